import * as v from 'valibot';
import { kingdeeText } from './kingdee-schemas.js';

/*
 * Field schemas the retail (ls/) endpoint definitions share: how a query parameter, a body field and an answer
 * field of each documented kind is read. The vendor's model types every field as text, an int or a bool and says no
 * more; what it leaves open is settled in docs/kingdee-retail-bills.md.
 */

/** The message of an object-level issue of a query: a parameter the operation does not take, or not an object. */
export function queryObjectMessage(operation: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.expected === 'never' ? `is not a ${operation} parameter` : 'must be an object');
}

/** A text query parameter: a non-empty string. */
export const queryText = v.optional(v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')));

/** A page number (`page_no`, `page`): a whole number from 1, the first page. */
export const queryPage = v.optional(
  v.pipe(
    v.number('must be a whole number from 1 (the first page is 1)'),
    v.safeInteger('must be a whole number from 1 (the first page is 1)'),
    v.minValue(1, 'must be a whole number from 1 (the first page is 1)'),
  ),
);

/** A page size: a whole number from 1 to 100. */
export const queryPageSize = v.optional(
  v.pipe(
    v.number('must be a whole number from 1 to 100'),
    v.safeInteger('must be a whole number from 1 to 100'),
    v.minValue(1, 'must be a whole number from 1 to 100'),
    v.maxValue(100, 'must be a whole number from 1 to 100'),
  ),
);

/** A whole, non-negative number (a flag such as a store's `enable`). */
export const queryCount = v.optional(
  v.pipe(
    v.number('must be a whole, non-negative number'),
    v.safeInteger('must be a whole, non-negative number'),
    v.minValue(0, 'must be a whole, non-negative number'),
    v.maxValue(999_999_999, 'must be a whole, non-negative number'),
  ),
);

const EPOCH_MESSAGE = 'must be a time: epoch milliseconds, a Date, or -1 for no bound';

/**
 * A time bound (`start_time`, `end_time`, `start_modified`, ...): epoch milliseconds or a `Date`, sent as the
 * decimal digits of epoch milliseconds; `-1` means no bound.
 */
export const queryTime = v.optional(
  v.pipe(
    v.union(
      [
        v.pipe(
          v.number(),
          v.safeInteger(),
          v.check((ms) => ms >= -1),
        ),
        v.pipe(
          v.date(),
          v.check((date) => date.getTime() >= 0),
          v.transform((date) => date.getTime()),
        ),
      ],
      EPOCH_MESSAGE,
    ),
    v.transform((ms) => String(ms)),
  ),
);

/** A list parameter (`ids`, `product_ids`): non-empty texts without commas, sent as one comma-separated value. */
export const queryList = v.optional(
  v.pipe(
    v.array(
      v.pipe(
        v.string('must be a list of strings'),
        v.nonEmpty('must not hold an empty value'),
        v.check((item) => !item.includes(','), 'must not hold a comma (the list is sent comma-separated)'),
      ),
      'must be a list of strings',
    ),
    v.nonEmpty('must not be empty'),
    v.transform((items) => items.join(',')),
  ),
);

/** `true` or `false`. */
export const queryFlag = v.optional(v.boolean('must be true or false'));

/** A text body field: a string, or null for absent. */
export const bodyText = v.optional(v.nullable(v.string('must be a string or null')));

/** A decimal body field (amount, price, quantity): decimal text, exact; an optional minus for a return. */
export const bodyDecimal = v.optional(
  v.nullable(
    v.pipe(
      v.string('must be a decimal written as a string, such as "12.50"'),
      v.regex(
        /^-?\d{1,20}(\.\d{1,10})?$/,
        'must be a decimal written as a string (digits, optional fraction, no exponent)',
      ),
    ),
  ),
);

/** A JSON integer body field (`source`). */
export const bodyInteger = v.optional(
  v.nullable(v.pipe(v.number('must be a whole number'), v.safeInteger('must be a whole number'))),
);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function isShanghaiDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    y >= 1000 &&
    at.getUTCFullYear() === y &&
    at.getUTCMonth() === mo - 1 &&
    at.getUTCDate() === d &&
    at.getUTCHours() === h &&
    at.getUTCMinutes() === mi &&
    at.getUTCSeconds() === s
  );
}

/** A date-time body field (`bill_date`): `YYYY-MM-DD HH:mm:ss`, Asia/Shanghai. */
export const bodyDateTime = v.optional(
  v.nullable(
    v.pipe(
      v.string('must be a date-time "YYYY-MM-DD HH:mm:ss"'),
      v.check(isShanghaiDateTime, 'must be a date-time "YYYY-MM-DD HH:mm:ss"'),
    ),
  ),
);

/** A documented text field of an answer: exact text (an id the gateway writes as a number arrives as its digits). */
export const answerText = v.optional(v.nullable(kingdeeText));

/** A documented int field of an answer, kept exact: a number, or digits when it is longer than a double holds. */
export const answerInteger = v.optional(v.nullable(v.union([v.number(), v.string()])));

/** Whether a window's start (query text) is not after its end; `-1` (no bound) or an absent end never is. */
export function isWindowOrdered(start: string | undefined, end: string | undefined): boolean {
  return start === undefined || end === undefined || start === '-1' || end === '-1' || Number(start) <= Number(end);
}
