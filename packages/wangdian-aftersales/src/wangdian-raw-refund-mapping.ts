import {
  REFUND_KINDS,
  REFUND_STATUSES,
  type Refund,
  type RefundKind,
  type RefundStatus,
  toShanghaiDateTime,
} from '@refundkit/refund-model';
import {
  type WangdianRawRefundRow,
  type WangdianRefundStatus,
  type WangdianRefundType,
  withoutUndefined,
} from './endpoints/raw-refund-upload.js';

/**
 * Canonical refund kind → Wangdian `type`: its position in refund-model's `REFUND_KINDS`, which lists the kinds in
 * Wangdian's order (cancel-order 0, refund-before-shipping 1, return-and-refund 2, exchange 3, refund-without-return 4).
 */
export const WANGDIAN_REFUND_TYPES: Readonly<Record<RefundKind, WangdianRefundType>> = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ Object.fromEntries(/* @__PURE__ */ REFUND_KINDS.map((kind, type) => [kind, type])) as Record<
    RefundKind,
    WangdianRefundType
  >,
);

/**
 * Canonical refund status → Wangdian `status`: its position in refund-model's `REFUND_STATUSES` plus one (cancelled 1,
 * requested 2, awaiting-return 3, awaiting-receipt 4, succeeded 5).
 */
export const WANGDIAN_REFUND_STATUSES: Readonly<Record<RefundStatus, WangdianRefundStatus>> =
  /* @__PURE__ */ Object.freeze(
    /* @__PURE__ */ Object.fromEntries(
      /* @__PURE__ */ REFUND_STATUSES.map((status, index) => [status, index + 1]),
    ) as Record<RefundStatus, WangdianRefundStatus>,
  );

/** Options of {@link toWangdianRawRefunds}. */
export interface ToWangdianRawRefundsOptions {
  /**
   * `refund_version` to send instead of `refund.version`: the ERP updates a known refund when the version changes,
   * so a caller that tracks platform revisions elsewhere can pass its own.
   */
  refundVersion?: string;
}

/**
 * Maps a canonical `Refund` (from `@refundkit/refund-model`) to `order_list` rows of
 * `aftersales.refund.RawRefund.upload`, one row per refund line, all sharing the refund's `refund_no`:
 *
 * | row field | from |
 * | --- | --- |
 * | refund_no, tid, refund_version | refundNo, orderNo, version (or `options.refundVersion`) |
 * | oid, title, num | line.subOrderId, line.title, line.quantity |
 * | refund_amount, actual_refund_amount | line.requestedAmount, line.actualAmount |
 * | price, total_amount | line.unitPrice, line.lineTotal (when present) |
 * | goods_no, goods_id, spec_no, spec_id | the line's (when present) |
 * | type | kind: cancel-order 0, refund-before-shipping 1, return-and-refund 2, exchange 3, refund-without-return 4 |
 * | status | status: cancelled 1, requested 2, awaiting-return 3, awaiting-receipt 4, succeeded 5 |
 * | is_aftersale | afterSale ? 1 : 0 |
 * | reason, remark | reason, remark (when present) |
 * | buyer_nick, pay_account | buyer.nick, buyer.payAccount (when present) |
 * | pay_no | payment.payNo (when present) |
 * | logistics_name, logistics_no | logistics.company, logistics.trackingNo (`''` when absent, as the vendor asks) |
 * | refund_time, current_phase_timeout | createdAt, completedAt as `YYYY-MM-DD HH:mm:ss` in +08:00 (when present) |
 *
 * Amounts stay exact `Decimal`s. The rows are not validated here; `uploadRawRefunds` checks them before sending
 * (a canonical refund can hold values Wangdian rejects, such as a title over 255 characters).
 *
 * @example
 * const rows = [...refunds].flatMap((refund) => toWangdianRawRefunds(refund));
 * await client.uploadRawRefunds('LCJ', rows);
 */
export function toWangdianRawRefunds(
  refund: Refund,
  options: ToWangdianRawRefundsOptions = {},
): WangdianRawRefundRow[] {
  if (typeof refund !== 'object' || refund === null || !Array.isArray(refund.lines)) {
    throw new TypeError('toWangdianRawRefunds: refund must be a Refund (see parseRefund)');
  }
  const type = WANGDIAN_REFUND_TYPES[refund.kind];
  const status = WANGDIAN_REFUND_STATUSES[refund.status];
  if (type === undefined || status === undefined) {
    const field = type === undefined ? 'kind' : 'status';
    throw new RangeError(`toWangdianRawRefunds: refund.${field} is not a canonical ${field} (see parseRefund)`);
  }
  const refundTime = refund.createdAt ? toShanghaiDateTime(refund.createdAt) : undefined;
  const completedTime = refund.completedAt ? toShanghaiDateTime(refund.completedAt) : undefined;
  // In the vendor page's order; a field the refund leaves out is dropped, not written.
  return refund.lines.map((line) =>
    withoutUndefined({
      refund_no: refund.refundNo,
      num: line.quantity,
      tid: refund.orderNo,
      oid: line.subOrderId,
      type,
      status,
      refund_version: options.refundVersion ?? refund.version,
      refund_amount: line.requestedAmount,
      actual_refund_amount: line.actualAmount,
      title: line.title,
      logistics_name: refund.logistics?.company ?? '',
      logistics_no: refund.logistics?.trackingNo ?? '',
      buyer_nick: refund.buyer.nick,
      refund_time: refundTime,
      current_phase_timeout: completedTime,
      is_aftersale: refund.afterSale ? 1 : 0,
      reason: refund.reason,
      price: line.unitPrice,
      pay_account: refund.buyer.payAccount,
      pay_no: refund.payment?.payNo,
      remark: refund.remark,
      total_amount: line.lineTotal,
      spec_no: line.specNo,
      spec_id: line.specId,
      goods_no: line.goodsNo,
      goods_id: line.goodsId,
    }),
  );
}
