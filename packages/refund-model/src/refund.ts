import type { Decimal } from './decimal.js';

/**
 * What kind of refund this is: cancelling the order, a refund before shipping, a return with refund, an exchange, or
 * a refund without a return (Wangdian's `type` 0–4, in that order).
 */
export type RefundKind =
  | 'cancel-order'
  | 'refund-before-shipping'
  | 'return-and-refund'
  | 'exchange'
  | 'refund-without-return';

/**
 * Where the refund stands on the selling platform: cancelled, requested, awaiting the buyer's return, awaiting
 * receipt of the return, or succeeded (Wangdian's `status` 1–5, in that order).
 */
export type RefundStatus = 'cancelled' | 'requested' | 'awaiting-return' | 'awaiting-receipt' | 'succeeded';

/** Every refund kind, in Wangdian's `type` order (0–4). */
export const REFUND_KINDS = [
  'cancel-order',
  'refund-before-shipping',
  'return-and-refund',
  'exchange',
  'refund-without-return',
] as const satisfies readonly RefundKind[];

/** Every refund status, in Wangdian's `status` order (1–5). */
export const REFUND_STATUSES = [
  'cancelled',
  'requested',
  'awaiting-return',
  'awaiting-receipt',
  'succeeded',
] as const satisfies readonly RefundStatus[];

/** One refunded line (sub-order) of a refund. */
export interface RefundLine {
  /** The platform's sub-order id of the line refunded (Wangdian `oid`). Not empty. */
  subOrderId: string;
  /** The goods title; may be `''`. */
  title: string;
  /** How many units are refunded; greater than zero. */
  quantity: Decimal;
  /** The price of one unit; not negative. */
  unitPrice?: Decimal;
  /** The price of the refunded goods; not negative; equals `unitPrice × quantity` exactly when both are given. */
  lineTotal?: Decimal;
  /** The amount the buyer asked back for this line; not negative. */
  requestedAmount: Decimal;
  /** The amount actually refunded for this line; not negative and not above `requestedAmount`. */
  actualAmount: Decimal;
  /** The platform's goods number. */
  goodsNo?: string;
  /** The platform's goods id. */
  goodsId?: string;
  /** The platform's spec (SKU) number. */
  specNo?: string;
  /** The platform's spec (SKU) id. */
  specId?: string;
}

/**
 * The canonical, vendor-neutral refund: everything the Kingdee and Wangdian mappings need. Amounts and quantities are
 * exact `Decimal`s, times are `Date`s. Produce one with `parseRefund`; `JSON.stringify` turns it into JSON (decimal
 * strings, ISO instants) that `parseRefund` reads back into an equal refund.
 */
export interface Refund {
  /** The merchant's refund number: the idempotency key. Not empty. */
  refundNo: string;
  /** The original order number. Not empty. */
  orderNo: string;
  /** The shop (store) code. Not empty. */
  shopCode: string;
  kind: RefundKind;
  status: RefundStatus;
  /** The refund's version on the platform; `"1"` unless given. Not empty. */
  version: string;
  /** The amount the buyer asked back; not negative; the sum of the lines' `requestedAmount`. */
  requestedAmount: Decimal;
  /** The amount actually refunded; not negative, not above `requestedAmount`; the sum of the lines' `actualAmount`. */
  actualAmount: Decimal;
  /** Why the buyer asked for the refund; may be `''`. */
  reason: string;
  /** A free-text remark. */
  remark?: string;
  /** Whether this is an after-sale refund (after delivery). */
  afterSale: boolean;
  buyer: {
    /** The buyer's nickname on the platform. Personal data. Not empty. */
    nick: string;
    /** The buyer's payment account. Personal data. */
    payAccount?: string;
  };
  payment?: {
    /** The payment number of the original payment. */
    payNo?: string;
    /** The merchant id at the payment channel. */
    merchantId?: string;
    /** The payment channel's order number. */
    channelOrderNo?: string;
    /** The number of the till or terminal that takes the refund. */
    terminalNo?: string;
    /** The IP address of that terminal. */
    terminalIp?: string;
    /** The payment service group name. */
    serviceGroup?: string;
  };
  logistics?: {
    /** The carrier of the return parcel. */
    company?: string;
    /** The carrier's tracking number. */
    trackingNo?: string;
  };
  /** When the refund was created. */
  createdAt?: Date;
  /** When the refund completed (succeeded). */
  completedAt?: Date;
  /** The refunded lines; at least one. */
  lines: RefundLine[];
}
