import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { amount, int, maybe, pagedAnswer, time } from '../wangdian-answer-fields.js';
import { boolParam, DAY_MS, intParam, opt, queryParams, windowTime } from '../wangdian-query-params.js';
import { wangdianPaging, wangdianWindow } from '../wangdian-query-walk.js';
import { text } from '../wangdian-schemas.js';

/*
 * 退换单查询 (`aftersales.refund.Refund.search`): the 退换单 (refund/exchange orders) the ERP made of raw refunds,
 * current ones only. It needs one time window, any of modified, settle, agree (审核) or refund-success time, each at
 * most 30 days; `pages()` slices by the modified window. Pages from 0, at most 200 rows. As the page's example
 * shows, `created` and `modified` come back as epoch milliseconds and `modified_date` as text.
 */

/** 退换单状态: 10 已取消, 20 待审核, 30 已审核, 40 已推送, 80 已结算, 81 待回传, 85 待过账, 86 已过账, 87 成本确认, 90 已完成. */
export const REFUND_ORDER_STATUSES = [10, 20, 30, 40, 80, 81, 85, 86, 87, 90] as const;
/** 入库状态: 0 无需入库, 1 待入库, 2 部分入库, 3 全部入库, 4 终止入库. */
export const REFUND_STOCKIN_STATUSES = [0, 1, 2, 3, 4] as const;

/** The fields of a 退换单 both the current and the history search answer. */
export const refundOrderAnswerFields = {
  refund_id: int,
  refund_no: v.string(),
  /** 1 售前退款, 2 退货, 3 换货, 4 退款不退货, 6 保价退款. */
  type: maybe(int),
  status: maybe(int),
  stockin_status: maybe(int),
  shop_no: maybe(v.string()),
  tid_list: maybe(v.string()),
  actual_refund_amount: maybe(amount),
  guarantee_refund_amount: maybe(amount),
  direct_refund_amount: maybe(amount),
  receive_amount: maybe(amount),
  return_goods_amount: maybe(amount),
  return_goods_count: maybe(amount),
  modified: maybe(time),
  created: maybe(time),
  settle_time: maybe(time),
};

/** One 退换单 in an answer. */
export const refundOrderAnswerRow = v.looseObject({
  ...refundOrderAnswerFields,
  raw_refund_nos: maybe(v.string()),
  src_tids: maybe(v.string()),
  rr_status: maybe(int),
  refund_amount: maybe(amount),
  return_warehouse_no: maybe(v.string()),
  return_logistics_no: maybe(v.string()),
  modified_date: maybe(time),
  check_time: maybe(time),
  refund_time: maybe(time),
  detail_list: maybe(
    v.array(
      v.looseObject({
        rec_id: maybe(int),
        oid: maybe(v.string()),
        tid: maybe(v.string()),
        num: maybe(amount),
        price: maybe(amount),
        refund_num: maybe(amount),
        total_amount: maybe(amount),
        refund_amount: maybe(amount),
        stockin_num: maybe(amount),
        raw_refund_no: maybe(v.string()),
      }),
    ),
  ),
});

export const refundSearch = defineEndpoint({
  name: 'aftersales.refund.Refund.search',
  title: '退换单查询',
  request: v.tuple([
    queryParams(
      {
        /** 店铺编号, comma-separated, ≤ 255. */
        shop_nos: opt(text(255)),
        tid: opt(text(40)),
        buyer_nick: opt(text(100)),
        /** 系统订单编号. */
        trade_no: opt(text(40)),
        /** 退换单号. */
        refund_no: opt(text(40)),
        return_logistics_no: opt(text(40)),
        modified_from: opt(windowTime),
        modified_to: opt(windowTime),
        settle_from: opt(windowTime),
        settle_to: opt(windowTime),
        agree_from: opt(windowTime),
        agree_to: opt(windowTime),
        status: opt(intParam(REFUND_ORDER_STATUSES)),
        stockin_status: opt(intParam(REFUND_STOCKIN_STATUSES)),
        /** 退回仓库编号, comma-separated, ≤ 1000. */
        return_warehouse_nos: opt(text(1000)),
        type: opt(intParam([1, 2, 3, 4, 6] as const)),
        fuzzy_query: opt(boolParam),
        return_mask_manual_intercept: opt(boolParam),
        refund_mask_reject_return: opt(boolParam),
        /** 0 default order, 1 newest modification first. */
        order_type: opt(intParam([0, 1] as const)),
        /** 平台状态 1–5. */
        rr_status: opt(intParam([1, 2, 3, 4, 5] as const)),
        current_phase_timeout_from: opt(windowTime),
        current_phase_timeout_to: opt(windowTime),
        need_gov_subsidy_info: opt(boolParam),
        /** 原始退款单号, comma-separated, ≤ 255. */
        raw_refund_nos: opt(text(255)),
      },
      {
        pairs: [
          ['modified_from', 'modified_to'],
          ['settle_from', 'settle_to'],
          ['agree_from', 'agree_to'],
          ['current_phase_timeout_from', 'current_phase_timeout_to'],
        ],
        maxSpanMs: 30 * DAY_MS,
        required: true,
      },
    ),
  ]),
  response: pagedAnswer(refundOrderAnswerRow),
  paging: wangdianPaging(200, 'refund_id'),
  window: wangdianWindow('modified_from', 'modified_to', 30 * DAY_MS, false),
  resendSafe: true,
});
