import { Decimal, type Refund } from '@refundkit/refund-model';
import type { Vendor } from './outbox-store.js';

/**
 * What a vendor holds of one refund, field by field, as text: amounts and quantities as exact decimal strings in
 * yuan (元), whatever unit the vendor answers in. Field names are the vendor's (`refund_amount`,
 * `actual_refund_amount`), with `lines.<oid>.<field>` for one goods line of a Wangdian refund.
 */
export type Holding = Readonly<Record<string, string>>;

/** One field a vendor holds differently from what the relay sent: ours and theirs, exactly as each was written. */
export interface FieldDifference {
  field: string;
  ours: string;
  theirs: string;
}

/**
 * What `vendor` should hold for the refund version the relay sent. Kingdee: `refund_amount` (the refund's actual
 * amount, as the relay maps it). Wangdian: the refund's `refund_amount` (requested) and
 * `actual_refund_amount` (what its 退换单 refunds), and per goods line (`lines.<oid>.`) `refund_amount`,
 * `actual_refund_amount` and `num`.
 *
 * @example
 * expectedHolding('kingdee', refund); // { refund_amount: '12.5' }
 */
export function expectedHolding(vendor: Vendor, refund: Refund): Holding {
  if (vendor === 'kingdee') return { refund_amount: refund.actualAmount.toString() };
  const holding: Record<string, string> = {
    refund_amount: refund.requestedAmount.toString(),
    actual_refund_amount: refund.actualAmount.toString(),
  };
  for (const line of refund.lines) {
    const prefix = `lines.${line.subOrderId}.`;
    holding[`${prefix}refund_amount`] = line.requestedAmount.toString();
    holding[`${prefix}actual_refund_amount`] = line.actualAmount.toString();
    holding[`${prefix}num`] = line.quantity.toString();
  }
  return holding;
}

/**
 * Kingdee's `refund_amount` as yuan text: the vendor answers in the unit the relay sent (`fen`, the default, or
 * `yuan`). Text that is not a plain amount comes back unchanged, so the comparison reports it as it came.
 *
 * @example
 * kingdeeAmountInYuan('1250', 'fen'); // '12.5'
 */
export function kingdeeAmountInYuan(text: string, unit: 'fen' | 'yuan' = 'fen'): string {
  if (unit === 'yuan') return text;
  return /^\d{1,17}$/.test(text) ? Decimal.fromMinorUnits(text).toString() : text;
}

/** The text as a Decimal when it is one, else `undefined`. */
function decimalOf(text: string): Decimal | undefined {
  try {
    return Decimal.from(text);
  } catch {
    return undefined;
  }
}

/**
 * The fields of `expected` the vendor holds differently, in `expected`'s order. Two decimal texts are equal when
 * their values are (`"12.30"` equals `"12.3"`); any other text must match exactly. A field the vendor does not show
 * (absent from `held`) is not compared: what the vendor leaves out is not a difference.
 *
 * @example
 * compareHolding({ actual_refund_amount: '12.5' }, { actual_refund_amount: '8.00' });
 * // [{ field: 'actual_refund_amount', ours: '12.5', theirs: '8.00' }]
 */
export function compareHolding(expected: Holding, held: Holding): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const [field, ours] of Object.entries(expected)) {
    if (!Object.hasOwn(held, field)) continue;
    const theirs = held[field]!;
    const a = decimalOf(ours);
    const b = a === undefined ? undefined : decimalOf(theirs);
    const same = a !== undefined && b !== undefined ? a.equals(b) : ours === theirs;
    if (!same) differences.push({ field, ours, theirs });
  }
  return differences;
}
