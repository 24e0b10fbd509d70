import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { time } from '../wangdian-answer-fields.js';
import { RawRefundsRefusedError } from '../wangdian-errors.js';
import { answerCount, oneOf } from '../wangdian-schemas.js';
import { rawRefundRowEntries, rawRefundRowOf, shopNo } from './raw-refund-upload.js';

/*
 * 原始退款单推送2 (`aftersales.refund.RawRefund.upload2`): the push for own-platform (自有平台) shops. The same rows as
 * upload, plus `modify_flag`, a mask of what changed since the last push. Unlike upload it answers `status: 0` even
 * when it refuses rows: each refused refund number is listed in `error_list` with the vendor's reason, and the
 * client turns a non-empty list into a `RawRefundsRefusedError`. Re-sending is safe (the ERP keys rows as upload does).
 */

/** `modify_flag`: 1 new order, 2 status changed, 4 amount changed, added together (0–7). */
export const MODIFY_FLAGS = { newOrder: 1, statusChanged: 2, amountChanged: 4 } as const;

/** One upload2 `order_list` row: upload's fields plus `modify_flag`. */
export const rawRefundRow2 = rawRefundRowOf({
  ...rawRefundRowEntries,
  /** 修改掩码: 1 新订单, 2 状态变化, 4 金额变化, added together. */
  modify_flag: v.optional(oneOf([0, 1, 2, 3, 4, 5, 6, 7] as const)),
});

/** The upload2 call. */
export const rawRefundUpload2 = defineEndpoint({
  name: 'aftersales.refund.RawRefund.upload2',
  title: '原始退款单推送2',
  request: v.tuple([
    shopNo,
    v.pipe(
      v.array(rawRefundRow2, 'must be an array of order_list rows'),
      v.minLength(1, 'must contain at least one row'),
    ),
  ]),
  /** Counts, and every refused refund number (`no`) with the vendor's reason (`error`); `[]` when all were taken. */
  response: v.looseObject({
    new_count: v.optional(answerCount, 0),
    chg_count: v.optional(answerCount, 0),
    error_list: v.nullish(v.array(v.looseObject({ no: v.pipe(time, v.transform(String)), error: v.string() })), []),
  }),
  resendSafe: true,
  /** A non-empty `error_list` is a `RawRefundsRefusedError`: the refused refund numbers with their (redacted) reasons. */
  outcome(data, [, rows], redact) {
    if (data.error_list.length === 0) return data;
    const refused = data.error_list.map((entry) => ({ refundNo: entry.no, reason: redact(entry.error) }));
    const refusedNos = new Set(refused.map((entry) => entry.refundNo));
    const accepted = [...new Set(rows.map((row) => String(row.refund_no)))].filter((no) => !refusedNos.has(no));
    throw new RawRefundsRefusedError({ accepted, refused, newCount: data.new_count, chgCount: data.chg_count });
  },
});

/** One upload2 row as a caller writes it. */
export type WangdianRawRefundRow2 = v.InferInput<typeof rawRefundRow2>;
