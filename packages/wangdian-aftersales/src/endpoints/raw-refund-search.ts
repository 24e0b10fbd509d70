import { defineEndpoint } from '@refundkit/transport';
import * as v from 'valibot';
import { amount, int, maybe, pagedAnswer, time } from '../wangdian-answer-fields.js';
import { DAY_MS, intParam, opt, queryParams, windowTime } from '../wangdian-query-params.js';
import { wangdianPaging, wangdianWindow } from '../wangdian-query-walk.js';
import { text } from '../wangdian-schemas.js';

/*
 * 原始退款单查询 (`aftersales.refund.RawRefund.search`): raw refunds as the ERP holds them, current ones only (archived
 * ones answer through `.searchHistory`). One params object; the window `start_time`..`end_time` spans at most 30
 * days and filters by `time_type` (1 modified, the default; 2 refund time). It may be left out when `refund_no`
 * (with or without `platform_id`), `platform_id` + `tid`, or `logistics_no` is given. Pages from 0, at most 200
 * rows (the page's advice for large sellers, taken as the limit).
 */

/** The params fields both raw refund searches take. */
export const rawRefundSearchFields = {
  /** 开始时间, `yyyy-MM-dd HH:mm:ss` (+08:00) or a `Date`. */
  start_time: opt(windowTime),
  /** 结束时间. */
  end_time: opt(windowTime),
  /** 时间条件类型: 1 修改时间 (default), 2 退款时间. */
  time_type: opt(intParam([1, 2] as const)),
  /** 原始退单号, ≤ 40. */
  refund_no: opt(text(40)),
  /** 物流单号, ≤ 40. */
  logistics_no: opt(text(40)),
  /** 平台id. */
  platform_id: opt(intParam()),
  /** 店铺编号, ≤ 40 (one shop). */
  shop_no: opt(text(40)),
  /** 原始单号, ≤ 40. */
  tid: opt(text(40)),
  /** 原始子单号, ≤ 40. */
  oid: opt(text(40)),
  /** 明细掩码: 1 also answers discount_list. */
  detail_mask: opt(intParam([0, 1] as const)),
};

/** One raw refund in an answer (documented fields typed, money exact, everything else kept). */
export const rawRefundAnswerRow = v.looseObject({
  refund_id: int,
  platform_id: maybe(int),
  shop_no: maybe(v.string()),
  shop_name: maybe(v.string()),
  refund_no: v.string(),
  tid: maybe(v.string()),
  oid: maybe(v.string()),
  /** 1 售前退款, 2 退货, 3 换货, 4 退款不退货. */
  type: maybe(int),
  /** Platform status: 1 取消退款 … 5 退款成功, 7 卖家拒绝退款. */
  status: maybe(int),
  /** 0 待递交, 15 已递交, 20 递交失败, 40 已处理. */
  process_status: maybe(int),
  refund_amount: maybe(amount),
  actual_refund_amount: maybe(amount),
  num: maybe(amount),
  price: maybe(amount),
  total_amount: maybe(amount),
  refund_time: maybe(time),
  current_phase_timeout: maybe(time),
  modified: maybe(time),
  created: maybe(time),
  modify_flag: maybe(int),
  detail_list: maybe(
    v.array(
      v.looseObject({
        refund_no: maybe(v.string()),
        oid: maybe(v.string()),
        num: maybe(amount),
        price: maybe(amount),
        total_amount: maybe(amount),
      }),
    ),
  ),
  discount_list: maybe(v.array(v.looseObject({ amount: maybe(amount) }))),
});

/** The window rules both raw refund searches share, but for when the window may be left out. */
export const RAW_REFUND_WINDOW = wangdianWindow('start_time', 'end_time', 30 * DAY_MS, false);

export const rawRefundSearch = defineEndpoint({
  name: 'aftersales.refund.RawRefund.search',
  title: '原始退款单查询',
  request: v.tuple([
    queryParams(
      {
        ...rawRefundSearchFields,
        /** 是否过滤明细: 1 answers only details taken from the raw refund's own lines. */
        filter_detail: opt(intParam([0, 1] as const)),
      },
      {
        pairs: [['start_time', 'end_time']],
        maxSpanMs: RAW_REFUND_WINDOW.maxSpanMs,
        required: [['refund_no'], ['platform_id', 'tid'], ['logistics_no']],
      },
    ),
  ]),
  response: pagedAnswer(rawRefundAnswerRow),
  paging: wangdianPaging(200, 'refund_id'),
  window: RAW_REFUND_WINDOW,
  resendSafe: true,
});
