import { Decimal, toShanghaiDateTime } from '@refundkit/refund-model';
import * as v from 'valibot';

/*
 * Field schemas the Wangdian endpoint definitions share: Decimal(19,4) values, `yyyy-MM-dd HH:mm:ss` (+08:00)
 * times, text limited in code points, closed integer lists. Every message says what is wrong, never the value.
 */

/** A Decimal(19,4) value as a caller may give it: an exact number, a decimal string (`"12.34"`) or a `Decimal`. */
export type WangdianDecimalInput = number | string | Decimal;

const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** The prefix of `Decimal.from`'s messages, before what is wrong with the value. */
const FROM_PREFIX = 'Decimal.from: the value ';

/**
 * A non-negative Decimal(19,4): a number, a decimal string or a `Decimal` in, an exact `Decimal` out. What a
 * Decimal(19,4) is, and why a value is not one, is `Decimal.from`'s; the gateway adds no sign and nothing below 0.
 */
export const decimal19x4 = v.pipe(
  v.custom<WangdianDecimalInput>(() => true),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value;
    let message = 'must be a number, a decimal string or a Decimal';
    // A leading '+' is refused: the gateway's own tables (and the sandbox) read plain digits only.
    if (typeof value === 'string' && value.startsWith('+')) message = 'must not start with a + sign';
    else if (typeof value === 'string' || typeof value === 'number' || Decimal.isDecimal(value)) {
      try {
        const decimal = Decimal.from(value);
        if (!decimal.isNegative()) return decimal;
        message = 'must not be negative';
      } catch (error) {
        message = (error as Error).message.replace(FROM_PREFIX, '');
      }
    }
    addIssue({ message });
    return NEVER;
  }),
);

/** Whether `value` is `yyyy-MM-dd HH:mm:ss` naming a real date and time, in the years 0100–9999. */
function isDateTimeText(value: string): boolean {
  const match = DATE_TIME_TEXT.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Years below 100 are refused, as `Date.UTC` (which reads them as 19xx) always made this check refuse them.
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days && Number(match[4]) <= 23 && Number(match[5]) <= 59 && Number(match[6]) <= 59;
}

/** What a time field says when it is neither a real `yyyy-MM-dd HH:mm:ss` time nor a Date. */
export const TIME_MESSAGE = 'must be a real "YYYY-MM-DD HH:mm:ss" time (+08:00) or a Date';

/** A `yyyy-MM-dd HH:mm:ss` (+08:00) time: that text (or `''`) or a `Date` in, the text out. */
export const shanghaiTime = v.pipe(
  v.custom<string | Date>(() => true),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value;
    let message = TIME_MESSAGE;
    if (value instanceof Date) {
      try {
        return toShanghaiDateTime(value);
      } catch {
        // An invalid Date, or one outside the years toShanghaiDateTime can write.
        message = 'must be a valid Date in the years 0000–9999 (+08:00)';
      }
    } else if (typeof value === 'string' && (value === '' || isDateTimeText(value))) {
      return value;
    }
    addIssue({ message });
    return NEVER;
  }),
);

/** A message saying "is required" for a value left out (or `undefined`), and `what` for any other. */
/* @__NO_SIDE_EFFECTS__ */
function expecting(what: string): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => (issue.input === undefined ? 'is required' : what);
}

/** Text of at most `max` code points. */
/* @__NO_SIDE_EFFECTS__ */
export function text(max: number) {
  return v.pipe(v.string(expecting('must be a string')), v.maxCodePoints(max, `must be at most ${max} characters`));
}

/** Non-empty text of at most `max` code points. */
/* @__NO_SIDE_EFFECTS__ */
export function nonEmptyText(max: number) {
  return v.pipe(
    v.string(expecting('must be a string')),
    v.maxCodePoints(max, `must be at most ${max} characters`),
    v.minLength(1, 'must not be empty'),
  );
}

/**
 * One of a closed list of integers: a custom check, which the core's schemas use already, rather than valibot's
 * `picklist`, which only this would bundle (the message lists the values, as picklist's `expected` would).
 */
/* @__NO_SIDE_EFFECTS__ */
export function oneOf<const T extends readonly number[]>(values: T) {
  return v.custom<T[number]>(
    (value) => (values as readonly unknown[]).includes(value),
    expecting(`must be one of ${values.join(', ')}`),
  );
}

/** A count in an answer: a whole number, or digits the gateway wrote as text; a number out. */
export const answerCount = v.pipe(
  v.custom<number | string>(
    (value) =>
      (typeof value === 'number' && Number.isSafeInteger(value)) ||
      (typeof value === 'string' && /^\d{1,15}$/.test(value)),
    'must be a whole number',
  ),
  v.transform(Number),
);
