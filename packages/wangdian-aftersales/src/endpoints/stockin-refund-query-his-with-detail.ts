import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { pagedAnswer } from '../wangdian-answer-fields.js';
import { queryParams } from '../wangdian-query-params.js';
import { wangdianPaging } from '../wangdian-query-walk.js';
import {
  STOCKIN_WINDOW,
  STOCKIN_WINDOW_CHECKS,
  stockinAnswerRow,
  stockinQueryFields,
} from './stockin-refund-query-with-detail.js';

/*
 * 历史退货入库单查询 (`wms.stockin.Refund.queryHisWithDetail`): archived return stock-ins, with the current query's
 * params but the summary and subsidy switches, and the same required 30-day window.
 */

export const stockinRefundQueryHisWithDetail = defineEndpoint({
  name: 'wms.stockin.Refund.queryHisWithDetail',
  title: '历史退货入库单查询',
  request: v.tuple([queryParams(stockinQueryFields, STOCKIN_WINDOW_CHECKS)]),
  response: pagedAnswer(stockinAnswerRow),
  paging: wangdianPaging(100, 'stockin_id'),
  window: STOCKIN_WINDOW,
  resendSafe: true,
});
