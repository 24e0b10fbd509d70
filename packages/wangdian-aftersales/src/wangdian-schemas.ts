import { Decimal, toShanghaiDateTime } from '@refundkit/refund-model';
import * as v from 'valibot';
import { plainNumberText } from './wangdian-json.js';

/*
 * Field schemas the Wangdian endpoint definitions share: Decimal(19,4) values, `yyyy-MM-dd HH:mm:ss` (+08:00)
 * times, text limited in code points, closed integer lists. Every message says what is wrong, never the value.
 */

/** A Decimal(19,4) value as a caller may give it: an exact number, a decimal string (`"12.34"`) or a `Decimal`. */
export type WangdianDecimalInput = number | string | Decimal;

/** Largest Decimal(19,4) magnitude: 15 integer digits. */
const MAX_INTEGER_DIGITS = 15;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const DATE_TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Returns the exact `Decimal` of a Decimal(19,4) input, or a message saying why it is not one (never the value). */
function decimalProblem(value: unknown): Decimal | string {
  let decimal: Decimal | undefined;
  if (Decimal.isDecimal(value)) decimal = value;
  // A leading '+' is refused: the gateway's own tables (and the sandbox) read plain digits only.
  else if (typeof value === 'string' && value.startsWith('+')) return 'must be a plain decimal like 12.34 (no sign)';
  else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    try {
      decimal = Decimal.from(value);
    } catch {
      // Explained below, in our own words.
    }
  }
  if (decimal !== undefined) return decimal.isNegative() ? 'must not be negative' : decimal;
  return decimalMessage(value);
}

/** Why a value is not a Decimal(19,4) (the slow path, only for rejected values). */
function decimalMessage(value: unknown): string {
  let digits: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'must be a finite number';
    digits = plainNumberText(value);
  } else if (typeof value === 'string') digits = value;
  else return 'must be a number, a decimal string or a Decimal';
  const match = DECIMAL_TEXT.exec(digits);
  if (!match) return 'must be a plain decimal like 12.34 (no exponent, no spaces)';
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > 4) return 'has more than 4 decimal places (Decimal(19,4))';
  if (whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) {
    return `has more than ${MAX_INTEGER_DIGITS} integer digits (Decimal(19,4))`;
  }
  if (sign === '-') return 'must not be negative';
  return 'must be a Decimal(19,4)';
}

/** A non-negative Decimal(19,4): a number, a decimal string or a `Decimal` in, an exact `Decimal` out. */
export const decimal19x4 = v.pipe(
  v.custom<WangdianDecimalInput>(() => true),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const problem = decimalProblem(dataset.value);
    if (typeof problem === 'string') {
      addIssue({ message: problem });
      return NEVER;
    }
    return problem;
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

/** A `yyyy-MM-dd HH:mm:ss` (+08:00) time: that text (or `''`) or a `Date` in, the text out. */
export const shanghaiTime = v.pipe(
  v.custom<string | Date>(() => true),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const value = dataset.value;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) {
        addIssue({ message: 'must be a valid Date' });
        return NEVER;
      }
      try {
        return toShanghaiDateTime(value);
      } catch {
        addIssue({ message: 'must be a Date in the years 0000–9999 (+08:00)' });
        return NEVER;
      }
    }
    if (typeof value !== 'string') {
      addIssue({ message: 'must be a "YYYY-MM-DD HH:mm:ss" string (+08:00) or a Date' });
      return NEVER;
    }
    if (value !== '' && !isDateTimeText(value)) {
      addIssue({ message: 'must be "YYYY-MM-DD HH:mm:ss" (+08:00), a real date and time' });
      return NEVER;
    }
    return value;
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

/** One of a closed list of integers. */
/* @__NO_SIDE_EFFECTS__ */
export function oneOf<const T extends readonly number[]>(values: T) {
  return v.picklist(values, expecting(`must be one of ${values.join(', ')}`));
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
