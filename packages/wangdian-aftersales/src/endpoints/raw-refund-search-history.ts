import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { pagedAnswer } from '../wangdian-answer-fields.js';
import { queryParams } from '../wangdian-query-params.js';
import { wangdianPaging } from '../wangdian-query-walk.js';
import { RAW_REFUND_WINDOW, rawRefundAnswerRow, rawRefundSearchFields } from './raw-refund-search.js';

/*
 * 历史原始退款单查询 (`aftersales.refund.RawRefund.searchHistory`): archived raw refunds. The same params as the
 * current search but `filter_detail`; the window may be left out only for `platform_id` + `refund_no`,
 * `platform_id` + `tid`, or `logistics_no`.
 */

export const rawRefundSearchHistory = defineEndpoint({
  name: 'aftersales.refund.RawRefund.searchHistory',
  title: '历史原始退款单查询',
  request: v.tuple([
    queryParams(rawRefundSearchFields, {
      pairs: [['start_time', 'end_time']],
      maxSpanMs: RAW_REFUND_WINDOW.maxSpanMs,
      required: [['platform_id', 'refund_no'], ['platform_id', 'tid'], ['logistics_no']],
    }),
  ]),
  response: pagedAnswer(rawRefundAnswerRow),
  paging: wangdianPaging(200, 'refund_id'),
  window: RAW_REFUND_WINDOW,
  resendSafe: true,
});
