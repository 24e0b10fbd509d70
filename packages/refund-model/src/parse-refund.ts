import * as v from 'valibot';
import { Decimal } from './decimal.js';
import { toInputIssues } from './input-issues.js';
import type { Refund } from './refund.js';
import { crossFieldIssues } from './refund-rules.js';
import { refundInputSchema } from './refund-schema.js';
import { type InputIssue, InputValidationError } from './refundkit-errors.js';

/**
 * Checks a refund input against every rule and returns either the canonical `Refund` or the full list of issues,
 * never throwing for bad input. Use it where invalid input is an expected outcome (a queue consumer, a form);
 * `parseRefund` is the throwing variant. The input is the JSON shape (`RefundInput`): decimal strings or exact numbers
 * for money and quantities, ISO 8601 strings for times (no offset means Asia/Shanghai, +08:00); unknown keys are
 * ignored.
 *
 * @example
 * const result = safeParseRefund(JSON.parse(body));
 * if (!result.success) return reply(422, result.issues); // [{ path: 'lines[0].quantity', message: '…' }]
 */
export function safeParseRefund(
  input: unknown,
): { success: true; output: Refund } | { success: false; issues: InputIssue[] } {
  const result = v.safeParse(refundInputSchema, input);
  const issues: InputIssue[] = toInputIssues(result.issues ?? []);
  issues.push(...crossFieldIssues(result.output));
  if (issues.length > 0 || !result.success) return { success: false, issues };
  return { success: true, output: withoutAbsent(result.output) as Refund };
}

/**
 * Checks a refund input against every rule and returns the canonical `Refund`: trimmed of unknown keys, money and
 * quantities as `Decimal`s, times as `Date`s, `version` defaulted to `"1"`, `reason`/`title` to `''`. Throws a
 * `InputValidationError` (subject `refund`) listing every issue with its path (`lines[2].quantity`) if anything is wrong. A refund
 * survives JSON: `parseRefund(JSON.parse(JSON.stringify(refund)))` equals `refund`.
 *
 * @example
 * const refund = parseRefund(JSON.parse(await readFile('refund.json', 'utf8')));
 * refund.actualAmount.toMinorUnits(); // 12345n (fen)
 */
export function parseRefund(input: unknown): Refund {
  const result = safeParseRefund(input);
  if (!result.success) throw new InputValidationError('refund', result.issues);
  return result.output;
}

/** Drops `null` and `undefined` properties from the schema's output, so absent optional fields have no key at all. */
function withoutAbsent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAbsent);
  if (typeof value !== 'object' || value === null || value instanceof Date || Decimal.isDecimal(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) result[key] = withoutAbsent(item);
  }
  return result;
}
