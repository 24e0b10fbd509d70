import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { amount, maybe, pagedAnswer } from '../wangdian-answer-fields.js';
import { DAY_MS, intParam, opt, queryParams, statusListParam, windowTime } from '../wangdian-query-params.js';
import { wangdianPaging, wangdianWindow } from '../wangdian-query-walk.js';
import { text } from '../wangdian-schemas.js';
import { refundOrderAnswerFields } from './refund-search.js';

/*
 * 历史退换单查询 (`aftersales.refund.Refund.searchHistory`): archived 退换单 (finished: 10 已取消 or 90 已完成).
 * Window `start_time`..`end_time` on the last change, at most 30 days, required unless `refund_no` is given.
 * `status` is a comma list documented as 4 characters long, so one status. Times come back as text here.
 */

export const refundSearchHistory = defineEndpoint({
  name: 'aftersales.refund.Refund.searchHistory',
  title: '历史退换单查询',
  request: v.tuple([
    queryParams(
      {
        start_time: opt(windowTime),
        end_time: opt(windowTime),
        shop_no: opt(text(20)),
        refund_no: opt(text(40)),
        type: opt(intParam([1, 2, 3, 4] as const)),
        /** 10 已取消 or 90 已完成. */
        status: opt(statusListParam([10, 90], 4)),
      },
      { pairs: [['start_time', 'end_time']], maxSpanMs: 30 * DAY_MS, required: [['refund_no']] },
    ),
  ]),
  response: pagedAnswer(
    v.looseObject({
      ...refundOrderAnswerFields,
      stockin_no: maybe(v.string()),
      detail_list: maybe(
        v.array(
          v.looseObject({
            oid: maybe(v.string()),
            tid: maybe(v.string()),
            num: maybe(amount),
            refund_num: maybe(amount),
            refund_amount: maybe(amount),
            stockin_num: maybe(amount),
          }),
        ),
      ),
    }),
  ),
  paging: wangdianPaging(200, 'refund_id'),
  window: wangdianWindow('start_time', 'end_time', 30 * DAY_MS, false),
  resendSafe: true,
});
