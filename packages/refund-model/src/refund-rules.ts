import { Decimal } from './decimal.js';
import type { InputIssue } from './refundkit-errors.js';

/*
 * The domain rules that relate one field to another. They run on the schema's output even when other fields failed,
 * so a caller sees every issue at once; a rule whose fields did not parse is skipped (those fields already have an
 * issue of their own).
 */

const AMOUNTS = ['requestedAmount', 'actualAmount'] as const;

/** `record[key]` scaled, when `record` is an object (not an array) whose field parsed into a Decimal. */
function scaledAt(record: unknown, key: string): bigint | undefined {
  const value =
    typeof record === 'object' && record !== null && !Array.isArray(record)
      ? (record as Record<string, unknown>)[key]
      : undefined;
  return Decimal.isDecimal(value) ? value.scaled : undefined;
}

/**
 * Checks the cross-field rules: actual ≤ requested (refund and each line), `lineTotal = unitPrice × quantity` exactly,
 * and the lines' requested and actual amounts adding up exactly to the refund's.
 * @internal
 */
export function crossFieldIssues(output: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  /** The record's requested and actual amounts, after checking actual ≤ requested (`path` ends with its dot). */
  const amountsOf = (record: unknown, path: string): Array<bigint | undefined> => {
    const [requested, actual] = AMOUNTS.map((key) => scaledAt(record, key));
    if (requested !== undefined && actual !== undefined && actual > requested) {
      issues.push({ path: `${path}actualAmount`, message: 'must not exceed requestedAmount' });
    }
    return [requested, actual];
  };
  const given = (output as { lines?: unknown } | null | undefined)?.lines;
  const lines: unknown[] = Array.isArray(given) ? given : [];
  // The lines' totals, undefined once a line's amount did not parse (that line has an issue of its own).
  let totals: Array<bigint | undefined> = [0n, 0n];
  lines.forEach((line: unknown, index) => {
    const path = `lines[${index}].`;
    const amounts = amountsOf(line, path);
    totals = totals.map((total, i) =>
      total === undefined || amounts[i] === undefined ? undefined : total + (amounts[i] as bigint),
    );
    const quantity = scaledAt(line, 'quantity');
    const unitPrice = scaledAt(line, 'unitPrice');
    const lineTotal = scaledAt(line, 'lineTotal');
    // Compared at scale 8 so that an inexact or out-of-range product is simply unequal, never an exception.
    if (
      quantity !== undefined &&
      unitPrice !== undefined &&
      lineTotal !== undefined &&
      lineTotal * 10_000n !== unitPrice * quantity
    ) {
      issues.push({ path: `${path}lineTotal`, message: 'must equal unitPrice × quantity exactly' });
    }
  });
  const amounts = amountsOf(output, '');
  if (lines.length > 0) {
    AMOUNTS.forEach((key, i) => {
      if (amounts[i] !== undefined && totals[i] !== undefined && amounts[i] !== totals[i]) {
        issues.push({ path: key, message: `must equal the sum of the lines' ${key} exactly` });
      }
    });
  }
  return issues;
}
