import { defineEndpoint, walkForward } from '@refundkit/transport';
import * as v from 'valibot';
import {
  answerInteger,
  answerText,
  isWindowOrdered,
  queryFlag,
  queryList,
  queryObjectMessage,
  queryPage,
  queryPageSize,
  queryText,
  queryTime,
} from '../kingdee-retail-fields.js';

/*
 * 零售单列表 (`GET /jdy/v2/ls/retail_bill`): retail bills, a page at a time. Every parameter travels in the signed
 * query string. Pages count from 1; `start_time` / `end_time` are epoch milliseconds, both inclusive, on the bill's
 * time; the answer holds the page's `rows` and no total, so a walk stops on a short page. A read: safe to re-send.
 */

const objectMessage = queryObjectMessage('retail bill list');

/** The list's query parameters. */
const request = v.pipe(
  v.strictObject(
    {
      /** 会员 — member id. */
      member_id: queryText,
      /** 门店 — store id (a store list row's `id`). */
      store_id: queryText,
      /** 收银员 — cashier id. */
      cashier_id: queryText,
      /** Whether rows hold their material, settlement, promotion and payment entries. */
      fetch_detail: queryFlag,
      /** 业务类型 — business type. */
      biz_type: queryText,
      /** Earliest bill time, inclusive: epoch ms or a Date. */
      start_time: queryTime,
      /** Latest bill time, inclusive: epoch ms or a Date. */
      end_time: queryTime,
      /** 单据编号 — bill number, exact. */
      bill_no: queryText,
      /** Page number, from 1. */
      page_no: queryPage,
      /** Rows per page, 1–100. */
      page_size: queryPageSize,
      /** Bills holding any of these material ids. */
      product_ids: queryList,
      /** 收银机 — POS id. */
      pos_id: queryText,
      /** Bills with any of these ids. */
      ids: queryList,
    },
    objectMessage,
  ),
  v.forward(
    v.check((query) => isWindowOrdered(query.start_time, query.end_time), 'must not be after end_time'),
    ['start_time'],
  ),
);

const entry = <T extends v.ObjectEntries>(entries: T) => v.optional(v.nullable(v.array(v.looseObject(entries))));

/** One material line of a bill: amounts and quantities as exact decimal text. */
const materialEntry = {
  index: answerText,
  material_id: answerText,
  barcode: answerText,
  sku_id: answerText,
  batch_no: answerText,
  stock_id: answerText,
  unit_id: answerText,
  base_unit_id: answerText,
  qty: answerText,
  return_qty: answerText,
  base_qty: answerText,
  price: answerText,
  tax_price: answerText,
  dis_rate: answerText,
  dis_amount: answerText,
  dis_price: answerText,
  tax_amount: answerText,
  all_amount: answerText,
  name: answerText,
};

/** A retail bill as the list (and the detail) answers it; loose, documented fields typed and exact. */
export const retailBillRow = v.looseObject({
  id: answerText,
  bill_no: answerText,
  store_id: answerText,
  cashier_id: answerText,
  emp_id: answerText,
  member_id: answerText,
  customer_id: answerText,
  amt: answerText,
  bal_amount: answerText,
  currency_id: answerText,
  bill_date: answerText,
  source: answerInteger,
  biz_type: answerText,
  pos_no: answerText,
  customer_type: answerText,
  remark: answerText,
  order_state: answerText,
  shift_id: answerText,
  daily_id: answerText,
  balance_no: answerText,
  balance_msg: answerText,
  msg: answerText,
  material_entries: entry(materialEntry),
  settle_entries: entry({
    income_type: answerText,
    pay_type_id: answerText,
    account_id: answerText,
    settlement_id: answerText,
    online_pay_type: answerText,
    settle_amt: answerText,
    settle_currency_amt: answerText,
  }),
  promotion_summary: entry({
    promotion_type: answerText,
    promotion_way: answerText,
    amt: answerText,
    schema_id: answerText,
    activity_id: answerText,
    activity_name: answerText,
  }),
  payment_entries: entry({
    payment_id: answerText,
    payment_no: answerText,
    payment_stat: answerText,
    payment_time: answerText,
  }),
});

/** `data` of a list answer: the page's rows. */
const response = v.looseObject({ rows: v.optional(v.nullable(v.array(retailBillRow)), []) });

/** 零售单列表: `GET /jdy/v2/ls/retail_bill`. */
export const retailBillList = defineEndpoint({
  name: 'GET /jdy/v2/ls/retail_bill',
  title: '零售单列表',
  request,
  response,
  paging: {
    pageNo: 'page_no',
    pageSize: 'page_size',
    firstPage: 1,
    maxPageSize: 100,
    defaultPageSize: 100,
    rowsKey: 'rows',

    walk: walkForward,
  },
  resendSafe: true,
});

/** The list's query, as a caller writes it. */
export type KingdeeRetailBillListQuery = v.InferInput<typeof request>;
/** A retail bill row of the list. */
export type KingdeeRetailBill = v.InferOutput<typeof retailBillRow>;
