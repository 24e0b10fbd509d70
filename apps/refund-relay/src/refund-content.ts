import { hash } from 'node:crypto';
import { Decimal, parseRefund, type Refund, type RefundLine } from '@refundkit/refund-model';

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
  // The one-shot `hash` (Node ≥ 20.12): the same digest as `createHash` without a Hash object per call.
  return hash('sha256', canonicalJson, 'hex');
}

/** The fields of `T` whose values are of type `V` (optional ones too). */
type FieldsOf<T, V> = { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T];

// What a stored body spells as text and a `Refund` holds as a Decimal or a Date. Each `satisfies` names every such
// field of the type, so a Decimal or Date field added to the model fails to compile until it is listed here.
const REFUND_DECIMALS = Object.keys({ requestedAmount: 0, actualAmount: 0 } satisfies Record<
  FieldsOf<Refund, Decimal>,
  0
>);
const REFUND_INSTANTS = Object.keys({ createdAt: 0, completedAt: 0 } satisfies Record<FieldsOf<Refund, Date>, 0>);
const LINE_DECIMALS = Object.keys({
  quantity: 0,
  unitPrice: 0,
  lineTotal: 0,
  requestedAmount: 0,
  actualAmount: 0,
} satisfies Record<FieldsOf<RefundLine, Decimal>, 0>);
({}) satisfies Record<
  FieldsOf<Refund['buyer'] | NonNullable<Refund['payment']> | NonNullable<Refund['logistics']>, Decimal | Date>,
  0
>;

/**
 * The refund a stored body holds. A body whose SHA-256 is `contentHash` is the very text intake wrote after
 * `parseRefund` accepted the refund, so it is rebuilt without checking every rule again: its decimal strings become
 * `Decimal`s and its ISO instants `Date`s, giving the refund `parseRefund` gives. Any other body (no hash given, a
 * purged body, a body changed since intake) goes through `parseRefund`, which throws its `InputValidationError` when
 * the body no longer holds a valid refund.
 *
 * @example
 * const refund = storedRefund(claimed.body, claimed.contentHash);
 */
export function storedRefund(body: string, contentHash?: string): Refund {
  const json = JSON.parse(body);
  if (contentHash === undefined || refundContentHash(body) !== contentHash) return parseRefund(json);
  for (const field of REFUND_DECIMALS) json[field] = Decimal.from(json[field]);
  for (const field of REFUND_INSTANTS) if (json[field] !== undefined) json[field] = new Date(json[field]);
  for (const line of json.lines) {
    for (const field of LINE_DECIMALS) if (line[field] !== undefined) line[field] = Decimal.from(line[field]);
  }
  return json as Refund;
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
