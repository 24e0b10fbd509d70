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

/** The refund fields that name or can reach the buyer: the buyer, free text, payment and parcel identifiers. */
const PERSONAL_FIELDS = ['buyer', 'reason', 'remark', 'payment', 'logistics'] as const;

/**
 * A stored refund body without its personal data: `buyer` (nick, pay account), the free-text `reason` and `remark`,
 * and the `payment` and `logistics` identifiers are removed; the refund, order and shop numbers, kind, status,
 * version, amounts and lines stay, keys still sorted. The result is no longer a valid refund input, and is not meant to
 * be sent again. Every outbox store's `purgePersonalData` writes this.
 *
 * @example
 * JSON.parse(purgedRefundBody(canonicalRefundJson(refund))).buyer; // undefined
 */
export function purgedRefundBody(body: string): string {
  const refund = JSON.parse(body) as Record<string, unknown>;
  for (const field of PERSONAL_FIELDS) delete refund[field];
  return JSON.stringify(sortKeys(refund));
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
