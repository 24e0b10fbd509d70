import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { amount, int, maybe, pagedAnswer, time } from '../wangdian-answer-fields.js';
import {
  boolParam,
  DAY_MS,
  intParam,
  opt,
  queryParams,
  statusListParam,
  windowTime,
} from '../wangdian-query-params.js';
import { wangdianPaging, wangdianWindow } from '../wangdian-query-walk.js';
import { text } from '../wangdian-schemas.js';

/*
 * 退货入库单查询 (`wms.stockin.Refund.queryWithDetail`): return stock-ins (goods of a 退换单 coming back into a
 * warehouse), current ones. The window `start_time`..`end_time` is required, at most 30 days, on `time_type` 0
 * (modified, the default) or 1 (stock-in time). The page names no page-size limit: 100 is taken. `created_time` and
 * `check_time` come back as epoch milliseconds.
 */

/** 入库单状态: 10 已取消, 20 编辑中, 30 待审核/待处理, 80 已完成. */
export const STOCKIN_STATUSES = [10, 20, 30, 80] as const;

/** The params fields both stock-in queries take. */
export const stockinQueryFields = {
  warehouse_no: opt(text(40)),
  /** 入库单号, ≤ 20. */
  stockin_no: opt(text(20)),
  /** 退换单号. */
  refund_no: opt(text(40)),
  /** 店铺编号, comma-separated, ≤ 255. */
  shop_nos: opt(text(255)),
  /** 入库单状态, comma-separated (`"30,80"`). */
  status: opt(statusListParam(STOCKIN_STATUSES, 255)),
  /** 0 修改时间 (default), 1 入库时间. */
  time_type: opt(intParam([0, 1] as const)),
  start_time: opt(windowTime),
  end_time: opt(windowTime),
  is_slave: opt(boolParam),
  need_sn: opt(boolParam),
};

/** One return stock-in in an answer. */
export const stockinAnswerRow = v.looseObject({
  stockin_id: int,
  order_no: v.string(),
  status: maybe(int),
  refund_no: maybe(v.string()),
  src_order_no: maybe(v.string()),
  src_order_id: maybe(int),
  warehouse_no: maybe(v.string()),
  shop_no: maybe(v.string()),
  type: maybe(int),
  process_status: maybe(int),
  goods_count: maybe(amount),
  total_goods_stockin_num: maybe(amount),
  actual_refund_amount: maybe(amount),
  refund_amount: maybe(amount),
  total_price: maybe(amount),
  modified: maybe(time),
  created: maybe(time),
  created_time: maybe(time),
  check_time: maybe(time),
  details_list: maybe(
    v.array(
      v.looseObject({
        rec_id: maybe(int),
        spec_no: maybe(v.string()),
        num: maybe(amount),
        expect_num: maybe(amount),
        stockin_num: maybe(amount),
        refund_amount: maybe(amount),
        total_cost: maybe(amount),
      }),
    ),
  ),
});

export const STOCKIN_WINDOW = wangdianWindow('start_time', 'end_time', 30 * DAY_MS, true);
const STOCKIN_WINDOW_CHECKS = { pairs: [['start_time', 'end_time']], maxSpanMs: 30 * DAY_MS, required: true } as const;

export const stockinRefundQueryWithDetail = defineEndpoint({
  name: 'wms.stockin.Refund.queryWithDetail',
  title: '退货入库单查询',
  request: v.tuple([
    queryParams(
      { ...stockinQueryFields, need_summary: opt(boolParam), need_gov_subsidy_info: opt(boolParam) },
      STOCKIN_WINDOW_CHECKS,
    ),
  ]),
  response: v.looseObject({
    ...pagedAnswer(stockinAnswerRow).entries,
    summary_data: maybe(
      v.array(
        v.looseObject({
          warehouse_no: maybe(v.string()),
          shop_data: maybe(
            v.array(
              v.looseObject({
                shop_no: maybe(v.string()),
                spec_data: maybe(
                  v.array(
                    v.looseObject({
                      spec_no: maybe(v.string()),
                      num: maybe(amount),
                      total_refund_amount: maybe(amount),
                    }),
                  ),
                ),
              }),
            ),
          ),
        }),
      ),
    ),
  }),
  paging: wangdianPaging(100, 'stockin_id'),
  window: STOCKIN_WINDOW,
  resendSafe: true,
});

/** The window checks both stock-in queries share. */
export { STOCKIN_WINDOW_CHECKS };
