import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { answerText, queryObjectMessage, queryText } from '../kingdee-retail-fields.js';
import { retailBillRow } from './retail-bill-list.js';

/*
 * 零售单详情 (`GET /jdy/v2/ls/retail_bill_detail`): one retail bill with its entries, found by `bill_id` (the save's
 * answer), `bill_no` or `inner_no` (the caller's own key: the save's `src_bill_id`). At least one is needed; several
 * must name the same bill. A read: safe to re-send.
 */

const objectMessage = queryObjectMessage('retail bill detail');

const request = v.pipe(
  v.strictObject(
    {
      /** The bill id, as the save answered it. */
      bill_id: queryText,
      /** The bill number, as the save answered it. */
      bill_no: queryText,
      /** The caller's key of the bill: the save's `src_bill_id`. */
      inner_no: queryText,
    },
    objectMessage,
  ),
  v.forward(
    v.check(
      (query) => query.bill_id !== undefined || query.bill_no !== undefined || query.inner_no !== undefined,
      'is required when neither bill_no nor inner_no is given',
    ),
    ['bill_id'],
  ),
);

/** `data` of a detail answer: the bill under `order`, with its `inner_no`. */
const response = v.looseObject({
  order: v.optional(v.nullable(v.looseObject({ ...retailBillRow.entries, inner_no: answerText }))),
});

/** 零售单详情: `GET /jdy/v2/ls/retail_bill_detail`. */
export const retailBillDetail = defineEndpoint({
  name: 'GET /jdy/v2/ls/retail_bill_detail',
  title: '零售单详情',
  request,
  response,
  resendSafe: true,
});

/** The detail's query: one or more of the bill's keys. */
export type KingdeeRetailBillDetailQuery = v.InferInput<typeof request>;
/** `data` of a detail answer. */
export type KingdeeRetailBillDetail = v.InferOutput<typeof response>;
