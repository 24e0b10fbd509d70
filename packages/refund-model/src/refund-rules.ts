import { Decimal } from './decimal.js';
import type { InputIssue } from './refundkit-errors.js';

/*
 * The domain rules that relate one field to another. They run on the schema's output even when other fields failed,
 * so a caller sees every issue at once; a rule whose fields did not parse is skipped (those fields already have an
 * issue of their own).
 */

type Loose = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decimalAt(record: Loose, key: string): Decimal | undefined {
  const value = record[key];
  return Decimal.isDecimal(value) ? value : undefined;
}

/**
 * Checks the cross-field rules: actual ≤ requested (refund and each line), `lineTotal = unitPrice × quantity` exactly,
 * and the lines' requested and actual amounts adding up exactly to the refund's.
 * @internal
 */
export function crossFieldIssues(output: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!isRecord(output)) return issues;
  const lines = Array.isArray(output.lines) ? output.lines : [];
  const lineTotals = { requestedAmount: 0n as bigint | undefined, actualAmount: 0n as bigint | undefined };

  lines.forEach((line: unknown, index) => {
    const path = `lines[${index}]`;
    if (!isRecord(line)) {
      lineTotals.requestedAmount = lineTotals.actualAmount = undefined;
      return;
    }
    checkNotAbove(line, path, issues);
    const quantity = decimalAt(line, 'quantity');
    const unitPrice = decimalAt(line, 'unitPrice');
    const lineTotal = decimalAt(line, 'lineTotal');
    // Compared at scale 8 so that an inexact or out-of-range product is simply unequal, never an exception.
    if (quantity && unitPrice && lineTotal && lineTotal.scaled * 10_000n !== unitPrice.scaled * quantity.scaled) {
      issues.push({ path: `${path}.lineTotal`, message: 'must equal unitPrice × quantity exactly' });
    }
    for (const key of ['requestedAmount', 'actualAmount'] as const) {
      const value = decimalAt(line, key);
      const total = lineTotals[key];
      lineTotals[key] = value && total !== undefined ? total + value.scaled : undefined;
    }
  });

  checkNotAbove(output, '', issues);
  if (lines.length > 0) {
    for (const key of ['requestedAmount', 'actualAmount'] as const) {
      const value = decimalAt(output, key);
      const total = lineTotals[key];
      if (value && total !== undefined && value.scaled !== total) {
        issues.push({ path: key, message: `must equal the sum of the lines' ${key} exactly` });
      }
    }
  }
  return issues;
}

function checkNotAbove(record: Loose, path: string, issues: InputIssue[]): void {
  const requested = decimalAt(record, 'requestedAmount');
  const actual = decimalAt(record, 'actualAmount');
  if (requested && actual && actual.compare(requested) > 0) {
    issues.push({ path: path ? `${path}.actualAmount` : 'actualAmount', message: 'must not exceed requestedAmount' });
  }
}
