import { defineEndpoint, walkForward } from '@refundkit/transport';
import * as v from 'valibot';
import {
  answerInteger,
  answerText,
  isWindowOrdered,
  queryCount,
  queryObjectMessage,
  queryPage,
  queryPageSize,
  queryText,
  queryTime,
} from '../kingdee-retail-fields.js';

/*
 * 门店列表 (`GET /jdy/v2/ls/store`): the account set's stores, a page at a time, so a caller can find the `id` to
 * send as a retail bill's `store_id` and the `number` to send as a refund's `shop_id`. Pages count from 1 (`page`);
 * `start_modified` / `end_modified` are epoch milliseconds, inclusive, on `modify_time`. A read: safe to re-send.
 */

const objectMessage = queryObjectMessage('store list');

const request = v.pipe(
  v.strictObject(
    {
      /** 编码 — store number, exact. */
      number: queryText,
      /** 名称 — part of the store name. */
      name: queryText,
      /** The store id, exact. */
      id: queryText,
      /** 1 enabled, 0 disabled. */
      enable: queryCount,
      /** Earliest modification time, inclusive. */
      start_modified: queryTime,
      /** Latest modification time, inclusive. */
      end_modified: queryTime,
      /** Page number, from 1. */
      page: queryPage,
      /** Rows per page, 1–100. */
      page_size: queryPageSize,
    },
    objectMessage,
  ),
  v.forward(
    v.check((query) => isWindowOrdered(query.start_modified, query.end_modified), 'must not be after end_modified'),
    ['start_modified'],
  ),
);

/** A store row; loose, documented fields as exact text. */
export const storeRow = v.looseObject({
  id: answerText,
  number: answerText,
  name: answerText,
  sale_type: answerText,
  remark: answerText,
  region: answerText,
  address: answerText,
  modify_time: answerText,
  create_time: answerText,
  enable: answerText,
  group_id: answerText,
  group_number: answerText,
  group_name: answerText,
  location_id: answerText,
  location_number: answerText,
  location_name: answerText,
  sale_dept_id: answerText,
  sale_dept_number: answerText,
  sale_dept_name: answerText,
  lng: answerText,
  lat: answerText,
});

/** `data` of a store list answer: the page's rows and the paging facts. */
const response = v.looseObject({
  total_page: answerInteger,
  cur_page_size: answerInteger,
  count: answerInteger,
  page_size: answerInteger,
  page: answerInteger,
  rows: v.optional(v.nullable(v.array(storeRow)), []),
});

/** 门店列表: `GET /jdy/v2/ls/store`. */
export const storeList = defineEndpoint({
  name: 'GET /jdy/v2/ls/store',
  title: '门店列表',
  request,
  response,
  paging: {
    pageNo: 'page',
    pageSize: 'page_size',
    firstPage: 1,
    maxPageSize: 100,
    defaultPageSize: 100,
    rowsKey: 'rows',
    totalKey: 'count',

    walk: walkForward,
  },
  resendSafe: true,
});

/** The store list's query, as a caller writes it. */
export type KingdeeStoreListQuery = v.InferInput<typeof request>;
/** A store row. */
export type KingdeeStore = v.InferOutput<typeof storeRow>;
