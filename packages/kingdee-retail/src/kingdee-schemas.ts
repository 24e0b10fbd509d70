import * as v from 'valibot';

/**
 * A text field of a Kingdee answer. The pages document every field as text, but the gateway writes some ids as JSON
 * numbers; those arrive as their exact digits (the answer is parsed without rounding), so a number is read as text.
 */
export const kingdeeText = v.pipe(
  v.custom<string | number>((value) => typeof value === 'string' || typeof value === 'number', 'must be text'),
  v.transform((value) => String(value)),
);
