import { createHash } from 'node:crypto';
import type { Refund } from '@refundkit/refund-model';

/**
 * The stored text of a refund: its JSON (decimal strings, ISO instants) with object keys sorted, so the same refund
 * always gives the same text whatever order its input listed fields in or however its amounts were spelt
 * (`"59.9"`, `59.90`). `parseRefund(JSON.parse(text))` gives the refund back.
 *
 * @example
 * canonicalRefundJson(parseRefund({ ...input, actualAmount: '59.90' })) === canonicalRefundJson(parseRefund({ ...input, actualAmount: 59.9 }));
 */
export function canonicalRefundJson(refund: Refund): string {
  return JSON.stringify(sortKeys(refund));
}

/** The SHA-256 (hex) of a refund's canonical JSON: equal hashes mean the same content. */
export function refundContentHash(canonicalJson: string): string {
  return createHash('sha256').update(canonicalJson, 'utf8').digest('hex');
}

function sortKeys(value: unknown): unknown {
  // Every object's keys in sorted order; a value with `toJSON` (`Decimal`, `Date`) is replaced by its JSON form first.
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function') {
    return sortKeys((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
