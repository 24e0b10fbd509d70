import { Decimal } from '@refundkit/refund-model';
import * as v from 'valibot';
import { answerCount } from './wangdian-schemas.js';

/*
 * Field schemas of the Wangdian answers: loose where the vendor is loose (it writes numbers as text, times as text
 * or epoch milliseconds), exact for money and quantities. Answers are parsed without losing digits first, so a long
 * decimal arrives here as its own text.
 */

/** Money or a quantity in an answer: a number or decimal text, out as an exact `Decimal`. */
export const amount = v.pipe(
  v.custom<number | string>((value) => typeof value === 'number' || typeof value === 'string', 'must be an amount'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return Decimal.from(String(dataset.value).trim());
    } catch {
      addIssue({ message: 'must be a Decimal(19,4) amount' });
      return NEVER;
    }
  }),
);

/** An integer in an answer (a number, or digits as text), out as a number. */
export const int = answerCount;

/** A time in an answer: `yyyy-MM-dd HH:mm:ss` text (or `''`), or epoch milliseconds as some answers send. */
export const time = v.custom<string | number>(
  (value) => typeof value === 'string' || typeof value === 'number',
  'must be a time',
);

/** A documented answer field that may be missing or `null`. */
/* @__NO_SIDE_EFFECTS__ */
export function maybe<S extends v.GenericSchema>(schema: S) {
  return v.optional(v.nullable(schema));
}

/** `data` of a paged query: its rows under `order` (`[]` when left out) and `total_count` when counted. */
/* @__NO_SIDE_EFFECTS__ */
export function pagedAnswer<R extends v.GenericSchema>(row: R) {
  return v.looseObject({
    order: v.nullish(v.array(row), []),
    total_count: maybe(int),
  });
}
