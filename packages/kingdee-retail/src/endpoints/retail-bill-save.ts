import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { answerText, bodyDateTime, bodyDecimal, bodyInteger, bodyText } from '../kingdee-retail-fields.js';

/*
 * 零售单保存 (`POST /jdy/v2/ls/retail_bill`): saves a retail bill, keyed by the caller's `src_bill_id`: saving the
 * same `src_bill_id` again updates that bill instead of adding one, so a re-send after an unknown outcome is safe.
 * `store_id` (a store list row's `id`) is required with it. Amounts and quantities are decimal text, exact. The
 * body is loose: the vendor's model lists only part of what a bill holds (its list answers `biz_type`, which the
 * save model does not name), so other fields pass through as sent.
 */

const list = <T extends v.ObjectEntries>(entries: T) =>
  v.optional(v.nullable(v.array(v.looseObject(entries, 'must be an object'), 'must be a list')));

const packageEntry = {
  material_id: bodyText,
  unit_id: bodyText,
  price: bodyDecimal,
  dis_price: bodyDecimal,
  qty: bodyDecimal,
};

const materialEntry = {
  index: bodyText,
  material_id: bodyText,
  sku_id: bodyText,
  unit_id: bodyText,
  free: bodyText,
  price: bodyDecimal,
  dis_price: bodyDecimal,
  qty: bodyDecimal,
  discount_fee: bodyDecimal,
  all_amount: bodyDecimal,
  flavor: bodyText,
  flavor_index: bodyText,
  package_no: bodyText,
  package_list: list(packageEntry),
};

const promotionSummary = {
  promotion_type: bodyText,
  promotion_amt: bodyDecimal,
  schema_id: bodyText,
  schema_type: bodyText,
  activity_id: bodyText,
  activity_name: bodyText,
  coupon_no: bodyText,
  point_rule_id: bodyText,
  consume_points: bodyDecimal,
  gift_points: bodyDecimal,
};

const promotionDetail = {
  index: bodyText,
  material_id: bodyText,
  sku_id: bodyText,
  unit: bodyText,
  promotion_amt: bodyDecimal,
  promotion_type: bodyText,
  qty: bodyDecimal,
  promotion_schema: bodyText,
  schema_type: bodyText,
  activity_id: bodyText,
  activity_no: bodyText,
  activity_name: bodyText,
  coupon_no: bodyText,
  point_rule_id: bodyText,
};

const requiredKey = v.pipe(v.string('is required and must be a non-empty string'), v.nonEmpty('must not be empty'));

/** The save body. */
const request = v.looseObject(
  {
    /** The caller's own key of the bill: a re-save with it updates the bill. */
    src_bill_id: requiredKey,
    /** 门店 — the store's id (a store list row's `id`). */
    store_id: requiredKey,
    /** 来源 — source, a whole number. */
    source: bodyInteger,
    /** 单据编号 — bill number; the gateway gives one when absent. */
    bill_no: bodyText,
    /** 单据日期 — `YYYY-MM-DD HH:mm:ss` (Asia/Shanghai): what the list's time bounds apply to. */
    bill_date: bodyDateTime,
    member_id: bodyText,
    /** 金额 — amount, decimal text. */
    amt: bodyDecimal,
    discount_fee: bodyDecimal,
    bal_amount: bodyDecimal,
    delivery_type: bodyText,
    delivery_code: bodyText,
    seat_code: bodyText,
    short_code: bodyText,
    lack_tip: bodyText,
    delivery_start_time: bodyText,
    delivery_end_time: bodyText,
    receiver_name: bodyText,
    receiver_mobile: bodyText,
    receiver_address_id: bodyText,
    receiver_address: bodyText,
    receiver_longitude: bodyText,
    receiver_latitude: bodyText,
    order_status: bodyText,
    create_time: bodyText,
    modify_time: bodyText,
    remark: bodyText,
    encrypt_key: bodyText,
    material_entries: list(materialEntry),
    client_id: bodyText,
    settle_entries: list({ pay_type: bodyText, settle_amt: bodyDecimal }),
    promotion_summary: list(promotionSummary),
    promotion_details: list(promotionDetail),
    member_deals: v.optional(v.nullable(v.looseObject({}, 'must be an object'))),
  },
  'must be an object',
);

/** `data` of a save answer: the bill's id and number, and `inner_no` (the `src_bill_id`). */
const response = v.looseObject({ bill_id: answerText, bill_no: answerText, inner_no: answerText });

/** 零售单保存: `POST /jdy/v2/ls/retail_bill`. */
export const retailBillSave = defineEndpoint({
  name: 'POST /jdy/v2/ls/retail_bill',
  title: '零售单保存',
  request,
  response,
  resendSafe: true,
});

/** The save body, as a caller writes it. */
export type KingdeeRetailBillSaveBody = v.InferInput<typeof request>;
/** `data` of a save answer. */
export type KingdeeRetailBillSaveData = v.InferOutput<typeof response>;
