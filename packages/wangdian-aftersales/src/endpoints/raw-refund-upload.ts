import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { answerCount, decimal19x4, nonEmptyText, oneOf, shanghaiTime, text } from '../wangdian-schemas.js';

/*
 * A field without `v.optional` is required: left out, or given as `undefined`, it reads "is required".
 *
 * 原始退款单推送 (`aftersales.refund.RawRefund.upload`): pushes platform refunds into the ERP. Two positional
 * arguments: the shop number (`shop_no`) and `order_list`, one row per goods line (a refund with several lines is
 * several rows with the same `refund_no`). The ERP keys a refund by shop and `refund_no`: pushing it again counts as
 * changed (or as nothing when it is identical), so a re-send after an unknown outcome is safe.
 */

/** Messages for row-level issues: a missing field, an unknown one, a row that is not an object. */
const rowMessage = (issue: v.BaseIssue<unknown>): string => {
  if (issue.expected === 'never') return 'is not a field of order_list';
  if (issue.path?.length) return 'is required';
  return 'must be an object of order_list fields';
};

/** Drops the optional fields given as `undefined`, so they are left out of the body rather than written. */
export function withoutUndefined<T extends object>(row: T): T {
  for (const key in row) if (row[key] === undefined) delete row[key];
  return row;
}

/**
 * One `order_list` row, in the vendor's field names and in the vendor page's order (the order the body is written
 * in). Decimal(19,4) fields take an exact number, a decimal string or a `Decimal` and come out as `Decimal`; the two
 * time fields take `YYYY-MM-DD HH:mm:ss` (+08:00) text or a `Date` and come out as text.
 */
export const rawRefundRowEntries = {
  /** 原始退款单号, ≤ 40 characters. */
  refund_no: nonEmptyText(40),
  /** 货品数量, Decimal(19,4). */
  num: decimal19x4,
  /** 原始单号 (the platform order number), ≤ 40. */
  tid: nonEmptyText(40),
  /** 原始子单号 (the platform sub-order number), ≤ 40. */
  oid: nonEmptyText(40),
  /** 退款单类型: 0 取消订单, 1 退款(未发货), 2 退货, 3 换货 (no return order), 4 退款不退货. */
  type: oneOf([0, 1, 2, 3, 4] as const),
  /** 平台状态: 1 取消退款, 2 已申请退款, 3 等待退货, 4 等待收货, 5 退款成功. */
  status: oneOf([1, 2, 3, 4, 5] as const),
  /** 退款版本, ≤ 40; "1" unless the refund changed on the platform. */
  refund_version: nonEmptyText(40),
  /** 申请退款金额, Decimal(19,4). */
  refund_amount: decimal19x4,
  /** 实际退款金额, Decimal(19,4). */
  actual_refund_amount: decimal19x4,
  /** 标题 (goods title), ≤ 255; `''` when there is none. */
  title: text(255),
  /** 物流公司名称, ≤ 40. */
  logistics_name: v.optional(text(40)),
  /** 物流单号, ≤ 40. */
  logistics_no: v.optional(text(40)),
  /** 客户网名, ≤ 100 (buyer personal data: never echoed in errors). */
  buyer_nick: nonEmptyText(100),
  /** 退款创建时间, `YYYY-MM-DD HH:mm:ss` in +08:00 or a `Date`. */
  refund_time: v.optional(shanghaiTime),
  /** 退款成功时间, `YYYY-MM-DD HH:mm:ss` in +08:00 or a `Date`. */
  current_phase_timeout: v.optional(shanghaiTime),
  /** 是否售后退款单: 1 after-sale, 0 not. */
  is_aftersale: oneOf([0, 1] as const),
  /** 退款原因, ≤ 255; `''` when there is none. */
  reason: text(255),
  /** 单价, Decimal(19,4). */
  price: v.optional(decimal19x4),
  /** 买家支付帐号, ≤ 128 (buyer personal data: never echoed in errors). */
  pay_account: v.optional(text(128)),
  /** 支付订单号, ≤ 60. */
  pay_no: v.optional(text(60)),
  /** 备注, ≤ 255. */
  remark: v.optional(text(255)),
  /** 退款货品总价, Decimal(19,4). */
  total_amount: v.optional(decimal19x4),
  /** 平台规格编号, ≤ 40. */
  spec_no: v.optional(text(40)),
  /** 平台规格id, ≤ 40. */
  spec_id: v.optional(text(40)),
  /** 平台货品编号, ≤ 40. */
  goods_no: v.optional(text(40)),
  /** 平台货品id, ≤ 40. */
  goods_id: v.optional(text(40)),
};

/** An `order_list` row schema of `entries`: no other field, `undefined` fields dropped (upload2 adds one field). */
/* @__NO_SIDE_EFFECTS__ */
export function rawRefundRowOf<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(v.strictObject(entries, rowMessage), v.transform(withoutUndefined));
}

/** One upload `order_list` row. */
export const rawRefundRow = rawRefundRowOf(rawRefundRowEntries);

type RowKey = { refund_no: string; oid: string };

/**
 * The rows that repeat an earlier row's `refund_no` + `oid` with other content: the vendor keeps one row per
 * refund_no + oid, so one of the two would silently replace the other. Each is the later row's index, with a
 * message naming the earlier row by `name` (`rows[0]`, `row 0`). Identical repeats are fine.
 */
export function duplicateRows(
  rows: readonly RowKey[],
  name: (index: number) => string,
): { index: number; message: string }[] {
  const firstAt = new Map<string, number>();
  const found: { index: number; message: string }[] = [];
  rows.forEach((row, index) => {
    const { refund_no: refundNo, oid } = row;
    // The length in front keeps "a"+"bc" apart from "ab"+"c" without a JSON array each.
    const key = `${refundNo.length}:${refundNo}${oid}`;
    const earlier = firstAt.get(key);
    if (earlier === undefined) firstAt.set(key, index);
    else if (JSON.stringify(rows[earlier]) !== JSON.stringify(row)) {
      found.push({ index, message: `repeats the refund_no + oid of ${name(earlier)} with other content` });
    }
  });
  return found;
}

/** A non-empty list of rows in which no refund_no + oid comes twice with other content. */
/* @__NO_SIDE_EFFECTS__ */
export function rowList<S extends v.GenericSchema<unknown, RowKey>>(row: S) {
  return v.pipe(
    v.array(row, 'must be an array of order_list rows'),
    v.minLength(1, 'must contain at least one row'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const { index, message } of duplicateRows(dataset.value, (earlier) => `row ${earlier}`)) {
        addIssue({
          message,
          path: [{ type: 'array', origin: 'value', input: dataset.value, key: index, value: dataset.value[index] }],
        });
      }
    }),
  );
}

/** The shop number (`shop_no`) every row of one call belongs to. */
export const shopNo = v.pipe(v.string('must be a non-empty string'), v.minLength(1, 'must be a non-empty string'));

/** The upload call. */
export const rawRefundUpload = defineEndpoint({
  name: 'aftersales.refund.RawRefund.upload',
  title: '原始退款单推送',
  request: v.tuple([shopNo, rowList(rawRefundRow)]),
  /** How many pushed refunds the ERP created (`new_count`) and changed (`chg_count`); 0 when left out. */
  response: v.looseObject({
    new_count: v.optional(answerCount, 0),
    chg_count: v.optional(answerCount, 0),
  }),
  resendSafe: true,
});

/** One `order_list` row as a caller writes it. */
export type WangdianRawRefundRow = v.InferInput<typeof rawRefundRow>;
/** A row after validation: decimals are `Decimal`, times are text, fields in the vendor page's order. */
export type ValidatedWangdianRawRefundRow = v.InferOutput<typeof rawRefundRow>;
/** `type` of a raw refund: 0 取消订单, 1 退款(未发货), 2 退货, 3 换货, 4 退款不退货. */
export type WangdianRefundType = WangdianRawRefundRow['type'];
/** `status` of a raw refund: 1 取消退款, 2 已申请退款, 3 等待退货, 4 等待收货, 5 退款成功. */
export type WangdianRefundStatus = WangdianRawRefundRow['status'];
