/**
 * What the Wangdian sandbox answers to a checked query: the records each method sees (current or archived, shops
 * the account may see), filtered by the documented fields, ordered by last modification (oldest first, so a row
 * changed while a caller pages moves to the end), paged, and written in the field names and forms of the vendor
 * pages' response examples (money as exact numbers; Refund.search's `created`/`modified` and the stock-in
 * `created_time`/`check_time` as epoch milliseconds, as those examples show).
 */
import { Decimal, toShanghaiDateTime } from '@refundkit/refund-model';
import type { ErpState, WangdianRefundOrder, WangdianStockin, WangdianStoredRefund } from './wangdian-erp.js';
import { moneyNumber, quantityText, readExactDecimal } from './wangdian-json.js';
import { type CheckedQuery, type QueryRefusal, readShanghaiDateTime } from './wangdian-query-rules.js';

/** A shop of the sandbox account. */
export interface WangdianShop {
  shop_no: string;
  /** Default: the shop number. */
  shop_name?: string;
  /** 平台id (default 127, 自有平台). */
  platform_id?: number;
  /** Whether the API account holds the shop permission (default true). */
  permitted?: boolean;
  /** 停用 (default false): pushes to it answer 店铺编号不存在或已停用. */
  disabled?: boolean;
}

/** A shop as the sandbox holds it. */
export interface HeldShop extends Required<WangdianShop> {
  shop_id: number;
}

/** What answering needs besides the query. */
export interface AnswerContext {
  erp: ErpState;
  shops: ReadonlyMap<string, HeldShop>;
  warehouses: readonly string[];
  startedAt: number;
}

type Row = Record<string, unknown>;
/** A record a query selected; its answer row is built only when its page is answered (`row` or `build`). */
type Found = { modified: number; id: number } & ({ row: Row } | { build: () => Row });

const rowOf = (found: Found): Row => ('row' in found ? found.row : found.build());

const dateTime = (ms: number | undefined) => (ms === undefined ? '' : toShanghaiDateTime(new Date(ms)));
const ZERO = Decimal.from(0);
const sum = (values: unknown[]) => Decimal.sum(values.map((value) => readExactDecimal(value) ?? ZERO));
/** Whether a record time falls in a window, compared to the second as the gateway's date-time text is. */
const inWindow = (ms: number | undefined, window: { from: number; to: number } | undefined) => {
  if (window === undefined) return true;
  if (ms === undefined) return false;
  const second = Math.floor(ms / 1000) * 1000;
  return second >= window.from && second <= window.to;
};
const list = (value: unknown) => (typeof value === 'string' ? value.split(',').filter(Boolean) : undefined);

/** Shops a query may see, or the refusal of an explicit shop filter. */
function visibleShops(ctx: AnswerContext, single: unknown, several: unknown): Set<string> | QueryRefusal {
  const permitted = [...ctx.shops.values()].filter((shop) => shop.permitted).map((shop) => shop.shop_no);
  if (typeof single === 'string') {
    const shop = ctx.shops.get(single);
    if (!shop || shop.disabled) return { status: 100, message: '店铺编号不存在或已停用' };
    if (!shop.permitted) return { status: 100, message: '店铺权限不足' };
    return new Set([single]);
  }
  const named = list(several);
  if (named) {
    const good = named.filter((no) => permitted.includes(no));
    if (good.length === 0) return { status: 100, message: '传入店铺编号全部错误' };
    return new Set(good);
  }
  return new Set(permitted);
}

function rawRefundRow(stored: WangdianStoredRefund, ctx: AnswerContext): Row {
  const { row } = stored;
  const shop = ctx.shops.get(stored.shop_no);
  const money = (value: unknown) => moneyNumber(readExactDecimal(value) ?? ZERO);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const type = row.type === 0 ? 1 : row.type;
  const common = {
    refund_id: stored.rawRefundId,
    platform_id: shop?.platform_id ?? 127,
    refund_no: row.refund_no,
    tid: row.tid,
    oid: row.oid,
    status: row.status,
    goods_no: text(row.goods_no),
    goods_id: text(row.goods_id),
    spec_no: text(row.spec_no),
    spec_id: text(row.spec_id),
    num: money(row.num),
    price: money(row.price),
    total_amount: money(row.total_amount),
    remark: text(row.remark),
    refund_time: text(row.refund_time),
  };
  return {
    ...common,
    shop_no: stored.shop_no,
    shop_name: shop?.shop_name ?? stored.shop_no,
    type,
    process_status: stored.processStatus,
    pay_account: text(row.pay_account),
    pay_no: text(row.pay_no),
    refund_amount: money(row.refund_amount),
    actual_refund_amount: money(row.actual_refund_amount),
    current_phase_timeout: text(row.current_phase_timeout),
    title: text(row.title),
    logistics_name: text(row.logistics_name),
    logistics_no: text(row.logistics_no),
    buyer_nick: text(row.buyer_nick),
    is_aftersale: row.is_aftersale === 1,
    reason: text(row.reason),
    reason_id: 0,
    modified: dateTime(stored.modifiedAt),
    created: dateTime(stored.createdAt),
    shop_id: shop?.shop_id ?? 0,
    sub_platform_id: 0,
    shop_platform_id: shop?.platform_id ?? 127,
    is_reject: 0,
    refund_version: text(row.refund_version),
    tag: 0,
    is_external: 0,
    modify_flag: typeof row.modify_flag === 'number' ? row.modify_flag : 0,
    detail_list: [
      {
        ...common,
        goods_name: text(row.title),
        spec_name: '',
        type: 1,
        modified_date: dateTime(stored.modifiedAt),
        created_date: dateTime(stored.createdAt),
      },
    ],
    discount_list: [],
  };
}

function rawRefunds(checked: CheckedQuery, ctx: AnswerContext, archived: boolean): Found[] | QueryRefusal {
  const f = checked.filter;
  const shops = visibleShops(ctx, f.shop_no, undefined);
  if (!(shops instanceof Set)) return shops;
  const window = checked.windows.start_time;
  const found: Found[] = [];
  for (const stored of ctx.erp.raw.values()) {
    const { row } = stored;
    if (stored.archived !== archived || !shops.has(stored.shop_no)) continue;
    if (f.refund_no !== undefined && row.refund_no !== f.refund_no) continue;
    if (f.tid !== undefined && row.tid !== f.tid) continue;
    if (f.oid !== undefined && row.oid !== f.oid) continue;
    if (f.logistics_no !== undefined && row.logistics_no !== f.logistics_no) continue;
    if (f.platform_id !== undefined && (ctx.shops.get(stored.shop_no)?.platform_id ?? 127) !== f.platform_id) continue;
    const at =
      f.time_type === 2
        ? typeof row.refund_time === 'string'
          ? readShanghaiDateTime(row.refund_time)
          : undefined
        : stored.modifiedAt;
    if (!inWindow(at, window)) continue;
    const build = () => {
      const answer = rawRefundRow(stored, ctx);
      if (f.filter_detail === 1) answer.detail_list = [];
      return answer;
    };
    found.push({ build, modified: stored.modifiedAt, id: stored.rawRefundId });
  }
  return found;
}

function orderTotals(order: WangdianRefundOrder, ctx: AnswerContext) {
  const rows = ctx.erp.rowsOf(order.rawRefundNo);
  const returns = order.type === 2 || order.type === 3;
  const pushedActual = sum(rows.map((s) => s.row.actual_refund_amount));
  const actual = ctx.erp.heldAmount(order.rawRefundNo) ?? pushedActual;
  const count = sum(rows.map((s) => s.row.num));
  return {
    rows,
    refundAmount: sum(rows.map((s) => s.row.refund_amount)),
    actual,
    goodsCount: returns ? count : ZERO,
    goodsAmount: returns ? sum(rows.map((s) => s.row.refund_amount)) : ZERO,
  };
}

function refundOrderRow(order: WangdianRefundOrder, ctx: AnswerContext, history: boolean): Row {
  const totals = orderTotals(order, ctx);
  const first: Row = totals.rows[0]?.row ?? {};
  const shop = ctx.shops.get(order.shopNo);
  const tids = [...new Set(totals.rows.map((s) => s.row.tid))].join(',');
  const rawNos = order.rawRefundNo;
  const stockin = ctx.erp.stockinOf(order.refundNo);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const detail = (stored: WangdianStoredRefund, index: number) => ({
    rec_id: order.refundId * 100 + index + 1,
    refund_id: order.refundId,
    oid: stored.row.oid,
    tid: stored.row.tid,
    platform_id: shop?.platform_id ?? 127,
    trade_no: order.tradeNo,
    num: moneyNumber(readExactDecimal(stored.row.num) ?? ZERO),
    price: moneyNumber(readExactDecimal(stored.row.price) ?? ZERO),
    original_price: moneyNumber(readExactDecimal(stored.row.price) ?? ZERO),
    refund_num: moneyNumber(readExactDecimal(stored.row.num) ?? ZERO),
    total_amount: moneyNumber(readExactDecimal(stored.row.total_amount) ?? ZERO),
    refund_amount: moneyNumber(readExactDecimal(stored.row.refund_amount) ?? ZERO),
    stockin_num: moneyNumber(order.stockinStatus === 3 ? (readExactDecimal(stored.row.num) ?? ZERO) : ZERO),
    is_guarantee: true,
    goods_no: text(stored.row.goods_no),
    goods_name: text(stored.row.title),
    spec_no: text(stored.row.spec_no),
    spec_name: '',
    spec_code: '',
    remark: '',
    created: dateTime(order.createdAt),
    ...(history
      ? {
          trade_order_id: order.tradeId * 100 + index + 1,
          trade_id: order.tradeId,
          spec_id: 0,
          defect: false,
          returned_num: moneyNumber(readExactDecimal(stored.row.num) ?? ZERO),
          modified: dateTime(order.modifiedAt),
        }
      : {
          trade_order_id: order.tradeId * 100 + index + 1,
          goods_id: text(stored.row.goods_id),
          spec_id: text(stored.row.spec_id),
          sys_goods_id: 0,
          sys_spec_id: 0,
          barcode: '',
          api_goods_name: text(stored.row.title),
          api_spec_name: '',
          raw_refund_no: stored.row.refund_no,
          raw_refund_nos: stored.row.refund_no,
          sales_trade_id: order.tradeId,
          discount: moneyNumber(ZERO),
          paid: moneyNumber(ZERO),
          suite_id: 0,
          suite_num: moneyNumber(ZERO),
          gift_type: 0,
          modified: order.modifiedAt,
          modified_date: dateTime(order.modifiedAt),
        }),
  });
  const common = {
    refund_id: order.refundId,
    refund_no: order.refundNo,
    remark: '',
    type: order.type,
    stockin_status: order.stockinStatus,
    flag_name: '无',
    return_goods_count: moneyNumber(totals.goodsCount),
    receiver_telno: '',
    receiver_name: '',
    shop_no: order.shopNo,
    from_type: 0,
    settle_time: dateTime(order.settleTime),
    return_logistics_no: text(first.logistics_no),
    trade_no_list: order.tradeNo,
    guarantee_refund_amount: moneyNumber(totals.actual),
    return_goods_amount: moneyNumber(totals.goodsAmount),
    return_logistics_name: text(first.logistics_name),
    buyer_nick: text(first.buyer_nick),
    actual_refund_amount: moneyNumber(totals.actual),
    return_warehouse_no: ctx.warehouses[0],
    return_warehouse_id: 1,
    direct_refund_amount: moneyNumber(ZERO),
    receive_amount: moneyNumber(ZERO),
    status: order.status,
    shop_id: shop?.shop_id ?? 0,
    reason_id: 0,
    revert_reason: 0,
    bad_reason: 0,
    tid_list: tids,
    detail_list: totals.rows.map(detail),
  };
  if (history) {
    return {
      ...common,
      flag_id: 0,
      reason: text(first.reason),
      operator_id: 0,
      return_mobile: '',
      return_telno: '',
      salesman_id: 0,
      pay_status: 0,
      modified: dateTime(order.modifiedAt),
      return_name: '',
      created: dateTime(order.createdAt),
      stockin_no: stockin?.orderNo ?? '',
      salesman: '',
      return_mask: 0,
    };
  }
  return {
    ...common,
    src_tids: tids,
    modified: order.modifiedAt,
    note_count: 0,
    created: order.createdAt,
    check_time: dateTime(order.checkTime),
    reason_name: '无',
    refund_reason: text(first.reason),
    operator_name: '系统',
    revert_reason_name: '无',
    customer_name: '',
    trade_id: order.tradeId,
    raw_refund_nos: rawNos,
    pay_id: text(first.pay_no),
    provider_refund_no: '',
    shop_platform_id: shop?.platform_id ?? 127,
    sub_platform_id: 0,
    platform_id: shop?.platform_id ?? 127,
    warehouse_type: 1,
    modified_date: dateTime(order.modifiedAt),
    return_mask_info: '',
    process_status: 0,
    customer_id: 0,
    consign_mode: 0,
    refund_time: text(first.refund_time),
    fenxiao_tid: '',
    fenxiao_nick_no: '',
    wms_code: '',
    rr_status: typeof first.status === 'number' ? first.status : 0,
    current_phase_timeout: text(first.current_phase_timeout),
    amount_detail_list: [],
  };
}

function refundOrders(checked: CheckedQuery, ctx: AnswerContext, history: boolean): Found[] | QueryRefusal {
  const f = checked.filter;
  const shops = visibleShops(ctx, history ? f.shop_no : undefined, history ? undefined : f.shop_nos);
  if (!(shops instanceof Set)) return shops;
  const w = checked.windows;
  const statuses = history ? list(f.status)?.map(Number) : f.status === undefined ? undefined : [f.status];
  const rawNos = list(f.raw_refund_nos);
  const warehouses = list(f.return_warehouse_nos);
  const byRow =
    f.tid !== undefined ||
    f.buyer_nick !== undefined ||
    f.return_logistics_no !== undefined ||
    f.rr_status !== undefined ||
    (!history && w.current_phase_timeout_from !== undefined);
  const found: Found[] = [];
  for (const order of ctx.erp.refundOrders.values()) {
    if (order.archived !== history || !shops.has(order.shopNo)) continue;
    if (f.refund_no !== undefined && order.refundNo !== f.refund_no) continue;
    if (f.type !== undefined && order.type !== f.type) continue;
    if (statuses && !statuses.includes(order.status)) continue;
    if (f.stockin_status !== undefined && order.stockinStatus !== f.stockin_status) continue;
    if (f.trade_no !== undefined && order.tradeNo !== f.trade_no) continue;
    if (rawNos && !rawNos.includes(order.rawRefundNo)) continue;
    if (warehouses && !warehouses.includes(ctx.warehouses[0] ?? '')) continue;
    const windowed = history
      ? inWindow(order.modifiedAt, w.start_time)
      : inWindow(order.modifiedAt, w.modified_from) &&
        inWindow(order.settleTime, w.settle_from) &&
        inWindow(order.checkTime, w.agree_from);
    if (!windowed) continue;
    const build = () => refundOrderRow(order, ctx, history);
    // Filters on the answer's own fields need the row now; otherwise it is built only if its page is answered.
    if (byRow) {
      const row = build();
      if (f.tid !== undefined && !String(row.tid_list).split(',').includes(String(f.tid))) continue;
      if (f.buyer_nick !== undefined && row.buyer_nick !== f.buyer_nick) continue;
      if (f.return_logistics_no !== undefined && row.return_logistics_no !== f.return_logistics_no) continue;
      if (f.rr_status !== undefined && row.rr_status !== f.rr_status) continue;
      const timeout =
        typeof row.current_phase_timeout === 'string' ? readShanghaiDateTime(row.current_phase_timeout) : undefined;
      if (!history && !inWindow(timeout, w.current_phase_timeout_from)) continue;
      found.push({ row, modified: order.modifiedAt, id: order.refundId });
    } else found.push({ build, modified: order.modifiedAt, id: order.refundId });
  }
  if (!history && f.order_type === 1) found.sort((a, b) => b.modified - a.modified || a.id - b.id);
  return found;
}

function stockinRow(stockin: WangdianStockin, ctx: AnswerContext): Row | undefined {
  const order = ctx.erp.orderById(stockin.refundId);
  if (!order) return undefined;
  const totals = orderTotals(order, ctx);
  const shop = ctx.shops.get(order.shopNo);
  const done = stockin.status === 80;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const first: Row = totals.rows[0]?.row ?? {};
  const stocked = done ? totals.goodsCount : ZERO;
  return {
    order_no: stockin.orderNo,
    status: stockin.status,
    warehouse_no: stockin.warehouseNo,
    warehouse_name: stockin.warehouseNo,
    created_time: stockin.createdAt,
    remark: '',
    fenxiao_nick: '',
    operator_name: '系统',
    operator_id: 0,
    logistics_type: 0,
    logistics_name: text(first.logistics_name),
    logistics_no: text(first.logistics_no),
    logistics_id: 0,
    check_time: stockin.checkTime ?? '',
    refund_no: order.refundNo,
    goods_count: moneyNumber(totals.goodsCount),
    actual_refund_amount: moneyNumber(totals.actual),
    customer_no: '',
    customer_name: '',
    nick_name: text(first.buyer_nick),
    shop_name: shop?.shop_name ?? order.shopNo,
    shop_no: order.shopNo,
    shop_remark: '',
    flag_name: '',
    trade_no_list: order.tradeNo,
    tid_list: [...new Set(totals.rows.map((s) => s.row.tid))].join(','),
    src_order_id: order.refundId,
    stockin_id: stockin.stockinId,
    shop_platform_id: shop?.platform_id ?? 127,
    sub_platform_id: 0,
    shop_id: shop?.shop_id ?? 0,
    warehouse_id: 1,
    total_price: moneyNumber(ZERO),
    total_goods_stockin_num: quantityText(stocked),
    process_status: order.status,
    modified: dateTime(stockin.modifiedAt),
    check_operator_name: done ? '系统' : '',
    check_operator_id: 0,
    reason: '无',
    reason_id: 0,
    refund_amount: moneyNumber(done ? totals.goodsAmount : ZERO),
    adjust_num: moneyNumber(ZERO),
    created: dateTime(stockin.createdAt),
    flag_id: 0,
    goods_type_count: totals.rows.length,
    src_order_no: order.refundNo,
    note_count: 0,
    src_order_type: 12,
    type: order.type,
    details_list: totals.rows.map((stored, index) => {
      const num = readExactDecimal(stored.row.num) ?? ZERO;
      return {
        rec_id: stockin.stockinId * 100 + index + 1,
        stockin_id: stockin.stockinId,
        refund_detail_id: String(order.refundId * 100 + index + 1),
        num: moneyNumber(num),
        total_cost: moneyNumber(ZERO),
        remark: '',
        right_num: moneyNumber(num),
        goods_name: text(stored.row.title),
        goods_no: text(stored.row.goods_no),
        goods_id: 0,
        spec_id: 0,
        spec_no: text(stored.row.spec_no),
        defect: false,
        spec_name: '',
        spec_code: '',
        expect_num: moneyNumber(num),
        stockin_num: quantityText(done ? num : ZERO),
        refund_amount: moneyNumber(done ? (readExactDecimal(stored.row.refund_amount) ?? ZERO) : ZERO),
        src_order_id: order.refundId,
        src_order_type: 12,
        warehouse_id: 1,
        modified: dateTime(stockin.modifiedAt),
        created: dateTime(stockin.createdAt),
        refund_order_detail_list: [
          {
            refund_order_id: order.refundId * 100 + index + 1,
            stockin_order_detail_id: stockin.stockinId * 100 + index + 1,
            price: moneyNumber(readExactDecimal(stored.row.price) ?? ZERO),
            spec_no: text(stored.row.spec_no),
          },
        ],
      };
    }),
  };
}

function stockinRecords(checked: CheckedQuery, ctx: AnswerContext, history: boolean): Found[] | QueryRefusal {
  const f = checked.filter;
  if (f.warehouse_no !== undefined && !ctx.warehouses.includes(String(f.warehouse_no))) {
    return { status: 100, message: '仓库不存在' };
  }
  const shops = visibleShops(ctx, undefined, f.shop_nos);
  if (!(shops instanceof Set)) return shops;
  const statuses = list(f.status)?.map(Number);
  const found: Found[] = [];
  for (const stockin of ctx.erp.stockins.values()) {
    if (stockin.archived !== history) continue;
    if (f.warehouse_no !== undefined && stockin.warehouseNo !== f.warehouse_no) continue;
    if (f.stockin_no !== undefined && stockin.orderNo !== f.stockin_no) continue;
    if (statuses && !statuses.includes(stockin.status)) continue;
    // Its 退换单 gives the shop and 退换单号 the filters need; the row is built only if its page is answered.
    const order = ctx.erp.orderById(stockin.refundId);
    if (!order || !shops.has(order.shopNo)) continue;
    if (f.refund_no !== undefined && order.refundNo !== f.refund_no) continue;
    if (!inWindow(f.time_type === 1 ? stockin.checkTime : stockin.modifiedAt, checked.windows.start_time)) continue;
    found.push({ build: () => stockinRow(stockin, ctx)!, modified: stockin.modifiedAt, id: stockin.stockinId });
  }
  return found;
}

function summary(rows: Row[]) {
  const byWarehouse = new Map<string, Map<string, Map<string, { num: Decimal; amount: Decimal }>>>();
  for (const row of rows) {
    const shops = byWarehouse.get(String(row.warehouse_no)) ?? new Map();
    byWarehouse.set(String(row.warehouse_no), shops);
    const specs = shops.get(String(row.shop_no)) ?? new Map();
    shops.set(String(row.shop_no), specs);
    for (const detail of row.details_list as Row[]) {
      const key = String(detail.spec_no);
      const held = specs.get(key) ?? { num: ZERO, amount: ZERO };
      specs.set(key, {
        num: held.num.add(readExactDecimal(detail.stockin_num) ?? ZERO),
        amount: held.amount.add(readExactDecimal(detail.refund_amount) ?? ZERO),
      });
    }
  }
  return [...byWarehouse].map(([warehouse_no, shops]) => ({
    warehouse_no,
    shop_data: [...shops].map(([shop_no, specs]) => ({
      shop_no,
      spec_data: [...specs].map(([spec_no, totals]) => ({
        spec_no,
        num: moneyNumber(totals.num),
        total_refund_amount: moneyNumber(totals.amount),
      })),
    })),
  }));
}

function shopRows(checked: CheckedQuery, ctx: AnswerContext): Found[] | QueryRefusal {
  const f = checked.filter;
  const shops = visibleShops(ctx, f.shop_no, undefined);
  if (!(shops instanceof Set)) return shops;
  const found: Found[] = [];
  for (const shop of ctx.shops.values()) {
    if (!shops.has(shop.shop_no)) continue;
    if (f.platform_id !== undefined && shop.platform_id !== f.platform_id) continue;
    const created = dateTime(ctx.startedAt);
    found.push({
      modified: ctx.startedAt,
      id: shop.shop_id,
      row: {
        shop_id: shop.shop_id,
        shop_name: shop.shop_name,
        shop_no: shop.shop_no,
        platform_id: shop.platform_id,
        sub_platform_id: 0,
        contact: '',
        province: '',
        city: '',
        district: '',
        address: '',
        telno: '',
        mobile: '',
        zip: '',
        email: '',
        remark: '',
        website: '',
        group_id: '无',
        account_id: '',
        is_disabled: shop.disabled,
        auth_state: 1,
        auth_time: created,
        re_expire_time: '',
        modified: created,
        expire_time: '',
        created,
      },
    });
  }
  return found;
}

/**
 * Answers a checked query with the `data` the vendor page shows (`order` + `total_count`, or queryShop's `details` +
 * `total_count`; `total_count` only with `calc_total=1`), or the refusal of a shop or warehouse it may not see.
 */
export function answerQuery(checked: CheckedQuery, ctx: AnswerContext): Row | QueryRefusal {
  const method = checked.table.method;
  const history = method.endsWith('History') || method.endsWith('HisWithDetail');
  const found = method.startsWith('aftersales.refund.RawRefund.')
    ? rawRefunds(checked, ctx, history)
    : method.startsWith('aftersales.refund.Refund.')
      ? refundOrders(checked, ctx, history)
      : method.startsWith('wms.stockin.Refund.')
        ? stockinRecords(checked, ctx, history)
        : shopRows(checked, ctx);
  if (!Array.isArray(found)) return found;
  if (checked.filter.order_type !== 1) found.sort((a, b) => a.modified - b.modified || a.id - b.id);
  const start = checked.pageNo * checked.pageSize;
  const page = found.slice(start, start + checked.pageSize).map(rowOf);
  const total = checked.calcTotal ? { total_count: found.length } : {};
  if (method === 'setting.Shop.queryShop') return { ...total, details: page };
  const data: Row = { ...total, order: page };
  if (method === 'wms.stockin.Refund.queryWithDetail' && checked.filter.need_summary === true) {
    data.summary_data = summary(found.map(rowOf));
  }
  return data;
}
