/**
 * The ERP behind the Wangdian sandbox: what it holds (raw refunds as pushed, the 退换单 it makes of them, return
 * stock-ins, the archive) and how it moves, on a business clock that tests advance through the handle.
 *
 * Every raw refund number becomes one 退换单 one step after it was first pushed. A 退换单 then moves one state per
 * step: 20 待审核 → 30 已审核 → 80 已结算 → 90 已完成. Returns (types 2 and 3) get a stock-in when they are
 * approved; it is completed (待入库 → 已入库) one step later, and the 退换单 is settled the step after. When every
 * pushed row of the refund has platform status 1 (取消退款), the next step cancels the 退换单 (10 已取消) instead,
 * with its open stock-in. A finished (10 or 90) 退换单 is archived with its raw refunds and stock-in once it has not
 * changed for the archive age; archived records answer only through the history methods.
 */
import type { Decimal } from '@refundkit/refund-model';
import { readExactDecimal } from './wangdian-json.js';
import type { WangdianRawRefundRow } from './wangdian-raw-refund.js';

/** A stored raw refund row (one refund_no + oid). */
export interface WangdianStoredRefund {
  shop_no: string;
  /** The row as last uploaded (numbers as sent: safe integers as numbers, others exact). */
  row: WangdianRawRefundRow;
  /** Business time of the first upload, epoch ms. */
  createdAt: number;
  /** Business time of the last change (an upload that changed it, or the ERP taking it up), epoch ms. */
  modifiedAt: number;
  /** Accepted uploads of this row (including identical ones). */
  uploads: number;
  /** 原始退款单唯一id. */
  rawRefundId: number;
  /** 0 待递交 (pushed), 15 已递交 (its 退换单 exists), 40 已处理 (its 退换单 is finished). */
  processStatus: 0 | 15 | 40;
  /** Moved to the archive (answered by RawRefund.searchHistory only). */
  archived: boolean;
  /** The push method that last stored it. */
  push: 'upload' | 'upload2';
}

/** A 退换单 (refund/exchange order) the ERP made of a raw refund number. */
export interface WangdianRefundOrder {
  refundId: number;
  /** 退换单号, e.g. `TK2406010001`. */
  refundNo: string;
  /** The raw refund number it was made of. */
  rawRefundNo: string;
  shopNo: string;
  /** 1 售前退款, 2 退货, 3 换货, 4 退款不退货. */
  type: 1 | 2 | 3 | 4;
  /** 10 已取消, 20 待审核, 30 已审核, 80 已结算, 90 已完成. */
  status: 10 | 20 | 30 | 80 | 90;
  /** 0 无需入库, 1 待入库, 3 全部入库, 4 终止入库. */
  stockinStatus: 0 | 1 | 3 | 4;
  createdAt: number;
  modifiedAt: number;
  /** 审核时间 (reached 30), epoch ms. */
  checkTime?: number;
  /** 结算时间 (reached 80), epoch ms. */
  settleTime?: number;
  /** Business time of its next step; absent when it waits (held in review, or finished). */
  nextAt?: number | undefined;
  archived: boolean;
  tradeId: number;
  tradeNo: string;
}

/** A return stock-in (退货入库单). */
export interface WangdianStockin {
  stockinId: number;
  /** 入库单号, e.g. `RK2024060101`. */
  orderNo: string;
  refundId: number;
  warehouseNo: string;
  /** 10 已取消, 30 待处理 (待入库), 80 已完成 (已入库). */
  status: 10 | 30 | 80;
  createdAt: number;
  modifiedAt: number;
  /** When it was completed, epoch ms. */
  checkTime?: number;
  archived: boolean;
}

/** The ERP settings of the sandbox. */
export interface WangdianErpOptions {
  /** Business time one ERP step takes, ms (default one hour): tests move it with `advance()` or `step()`. */
  stepMs?: number;
  /** How long a finished 退换单 stays current before it is archived, ms (default 90 days). */
  archiveAfterMs?: number;
  /** Where the business clock starts, epoch ms (default: the sandbox's clock at start). */
  startAt?: number;
}

/** What tests see of, and do to, the ERP through the sandbox handle. */
export interface WangdianErp {
  /** Business time now, epoch ms: the sandbox's clock plus everything `advance()` added. */
  now(): number;
  /** Business time one step takes, ms. */
  readonly stepMs: number;
  /** How long a finished 退换单 stays current before it is archived, ms. */
  readonly archiveAfterMs: number;
  /** Moves the business clock forward by `ms` and runs every step that falls due, in order. */
  advance(ms: number): void;
  /** Moves the business clock forward by `count` steps (default 1). */
  step(count?: number): void;
  /** 退换单 by their 退换单号 (a live view, archived ones included). */
  readonly refundOrders: ReadonlyMap<string, WangdianRefundOrder>;
  /** The 退换单 made of a raw refund number, once it exists. */
  refundOrderOf(rawRefundNo: string): WangdianRefundOrder | undefined;
  /** The stock-in of a 退换单, once it exists. */
  stockinOf(refundNo: string): WangdianStockin | undefined;
  /** Keeps the 退换单 of a raw refund number in review (status 20) until called again with `false`. */
  holdInReview(rawRefundNo: string, hold?: boolean): void;
  /**
   * Makes the ERP hold `amount` as the actual refund amount of a raw refund number's 退换单 (and stock-in), whatever
   * was pushed; `undefined` goes back to the pushed amounts. Changing it marks the 退换单 modified.
   */
  holdAmount(rawRefundNo: string, amount: string | undefined): void;
  /** Makes upload2 refuse every row of a raw refund number with `reason` in error_list; `undefined` stops it. */
  refuseUpload2(rawRefundNo: string, reason: string | undefined): void;
}

/** The ERP as the sandbox drives it. */
export interface ErpState extends WangdianErp {
  readonly raw: Map<string, WangdianStoredRefund>;
  readonly stockins: ReadonlyMap<number, WangdianStockin>;
  heldAmount(rawRefundNo: string): Decimal | undefined;
  /** The stored rows of a raw refund number (indexed as they are stored). */
  rowsOf(rawRefundNo: string): WangdianStoredRefund[];
  /** The 退换单 with this refund id. */
  orderById(refundId: number): WangdianRefundOrder | undefined;
  refusal(rawRefundNo: string): string | undefined;
  /** Runs every step due by now; the sandbox calls it before it answers anything. */
  catchUp(): void;
  /** Tells the ERP that a raw row was stored new or changed at business time `at`. */
  rowStored(stored: WangdianStoredRefund, isNew: boolean, at: number): void;
  nextRawRefundId(): number;
  /** Forgets everything stored (the clock keeps its advance, knobs are cleared). */
  reset(): void;
}

const DAY_MS = 86_400_000;
const RETURN_TYPES = new Set([2, 3]);

const two = (n: number) => String(n).padStart(2, '0');
/** `yyyymmdd` of a business time in Asia/Shanghai. */
function shanghaiDate(at: number): string {
  const d = new Date(at + 8 * 3_600_000);
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

function orderType(rawType: unknown): WangdianRefundOrder['type'] {
  return rawType === 2 || rawType === 3 || rawType === 4 ? rawType : 1;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number of ms`);
  return value;
}

/** Builds the sandbox's ERP over the sandbox clock `serverNow`. */
export function createErp(options: WangdianErpOptions, serverNow: () => number, warehouseNo: string): ErpState {
  const stepMs = positive('erp.stepMs', options.stepMs ?? 3_600_000);
  const archiveAfterMs = positive('erp.archiveAfterMs', options.archiveAfterMs ?? 90 * DAY_MS);
  if (options.startAt !== undefined && !Number.isFinite(options.startAt)) {
    throw new RangeError('erp.startAt must be a finite epoch-ms time');
  }
  let offset = options.startAt === undefined ? 0 : options.startAt - serverNow();
  const raw = new Map<string, WangdianStoredRefund>();
  const orders = new Map<string, WangdianRefundOrder>();
  const orderByRaw = new Map<string, WangdianRefundOrder>();
  const ordersById = new Map<number, WangdianRefundOrder>();
  const stockins = new Map<number, WangdianStockin>();
  const stockinByRefund = new Map<number, WangdianStockin>();
  /** Raw refund numbers waiting for their 退换单, with when it is made. */
  const pending = new Map<string, number>();
  const archiveAt = new Map<WangdianRefundOrder, number>();
  const held = new Set<string>();
  const amounts = new Map<string, Decimal>();
  const refusals = new Map<string, string>();
  let ids = { raw: 0, refund: 0, stockin: 0, trade: 0 };
  const daySeq = new Map<string, number>();

  const now = () => serverNow() + offset;

  /** Stored rows by raw refund number: every lookup by number stays one map read however much is stored. */
  const rowsByNo = new Map<string, WangdianStoredRefund[]>();
  const rowsOf = (rawRefundNo: string) => rowsByNo.get(rawRefundNo) ?? [];

  /** 退换单号 `TK` + yymmdd + 4 digits, 入库单号 `RK` + yyyymmdd + 2 digits, numbered per day. */
  const number = (prefix: 'TK' | 'RK', at: number) => {
    const date = shanghaiDate(at);
    const key = prefix === 'TK' ? `TK${date.slice(2)}` : `RK${date}`;
    const seq = (daySeq.get(key) ?? 0) + 1;
    daySeq.set(key, seq);
    return `${key}${String(seq).padStart(prefix === 'TK' ? 4 : 2, '0')}`;
  };

  const cancelledByPlatform = (order: WangdianRefundOrder) => {
    const rows = rowsOf(order.rawRefundNo);
    return rows.length > 0 && rows.every((s) => s.row.status === 1);
  };

  const touchRows = (rawRefundNo: string, processStatus: WangdianStoredRefund['processStatus'], at: number) => {
    for (const stored of rowsOf(rawRefundNo)) {
      if (stored.processStatus !== processStatus) {
        stored.processStatus = processStatus;
        stored.modifiedAt = at;
      }
    }
  };

  const finish = (order: WangdianRefundOrder, at: number) => {
    order.nextAt = undefined;
    archiveAt.set(order, at + archiveAfterMs);
    touchRows(order.rawRefundNo, 40, at);
  };

  const createOrder = (rawRefundNo: string, at: number) => {
    pending.delete(rawRefundNo);
    const rows = rowsOf(rawRefundNo);
    const first = rows[0];
    if (!first) return;
    ids.refund += 1;
    ids.trade += 1;
    const type = orderType(first.row.type);
    const order: WangdianRefundOrder = {
      refundId: ids.refund,
      refundNo: number('TK', at),
      rawRefundNo,
      shopNo: first.shop_no,
      type,
      status: 20,
      stockinStatus: RETURN_TYPES.has(type) ? 1 : 0,
      createdAt: at,
      modifiedAt: at,
      nextAt: at + stepMs,
      archived: false,
      tradeId: ids.trade,
      tradeNo: `JY${shanghaiDate(at)}${String(ids.trade).padStart(4, '0')}`,
    };
    orders.set(order.refundNo, order);
    ordersById.set(order.refundId, order);
    orderByRaw.set(rawRefundNo, order);
    touchRows(rawRefundNo, 15, at);
  };

  const stepOrder = (order: WangdianRefundOrder, at: number) => {
    const stockin = stockinByRefund.get(order.refundId);
    if (order.status < 80 && order.status !== 10 && cancelledByPlatform(order)) {
      order.status = 10;
      if (order.stockinStatus === 1) order.stockinStatus = 4;
      if (stockin && stockin.status === 30) {
        stockin.status = 10;
        stockin.modifiedAt = at;
      }
      order.modifiedAt = at;
      finish(order, at);
      return;
    }
    if (order.status === 20) {
      if (held.has(order.rawRefundNo)) {
        order.nextAt = undefined;
        return;
      }
      order.status = 30;
      order.checkTime = at;
      if (RETURN_TYPES.has(order.type)) {
        ids.stockin += 1;
        const record: WangdianStockin = {
          stockinId: ids.stockin,
          orderNo: number('RK', at),
          refundId: order.refundId,
          warehouseNo,
          status: 30,
          createdAt: at,
          modifiedAt: at,
          archived: false,
        };
        stockins.set(record.stockinId, record);
        stockinByRefund.set(order.refundId, record);
      }
    } else if (order.status === 30 && stockin && stockin.status === 30) {
      stockin.status = 80;
      stockin.checkTime = at;
      stockin.modifiedAt = at;
      order.stockinStatus = 3;
    } else if (order.status === 30) {
      order.status = 80;
      order.settleTime = at;
    } else if (order.status === 80) {
      order.status = 90;
      order.modifiedAt = at;
      finish(order, at);
      return;
    }
    order.modifiedAt = at;
    order.nextAt = at + stepMs;
  };

  const archive = (order: WangdianRefundOrder) => {
    archiveAt.delete(order);
    order.archived = true;
    for (const stored of rowsOf(order.rawRefundNo)) stored.archived = true;
    const stockin = stockinByRefund.get(order.refundId);
    if (stockin) stockin.archived = true;
  };

  const catchUp = () => {
    const until = now();
    for (;;) {
      // Every step due by now, earliest first (ties in the order pending, orders, archive). A step schedules the
      // next ones at least one step later, so all due before the earliest plus a step can run in one go, each
      // checked again just before it runs (an earlier step of the same batch may have made it moot).
      const due: { at: number; still: () => boolean; run: () => void }[] = [];
      for (const [rawRefundNo, at] of pending) {
        if (at <= until) {
          due.push({ at, still: () => pending.get(rawRefundNo) === at, run: () => createOrder(rawRefundNo, at) });
        }
      }
      for (const order of orders.values()) {
        const at = order.nextAt;
        if (at !== undefined && at <= until) {
          due.push({ at, still: () => order.nextAt === at, run: () => stepOrder(order, at) });
        }
      }
      for (const [order, at] of archiveAt) {
        if (at <= until) due.push({ at, still: () => archiveAt.get(order) === at, run: () => archive(order) });
      }
      if (due.length === 0) return;
      due.sort((a, b) => a.at - b.at);
      const first = due[0]!.at;
      for (const step of due) {
        if (step.at >= first + stepMs) break;
        if (step.still()) step.run();
      }
    }
  };

  const wake = (order: WangdianRefundOrder, at: number) => {
    if (order.nextAt === undefined && order.status !== 10 && order.status !== 90) order.nextAt = at + stepMs;
  };

  return {
    now,
    stepMs,
    archiveAfterMs,
    advance(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError('advance: ms must be a non-negative number');
      offset += ms;
      catchUp();
    },
    step(count = 1) {
      if (!(Number.isInteger(count) && count >= 0)) throw new RangeError('step: count must be a non-negative integer');
      this.advance(count * stepMs);
    },
    refundOrders: orders,
    refundOrderOf: (rawRefundNo) => orderByRaw.get(rawRefundNo),
    stockinOf(refundNo) {
      const order = orders.get(refundNo);
      return order ? stockinByRefund.get(order.refundId) : undefined;
    },
    holdInReview(rawRefundNo, hold = true) {
      catchUp();
      if (hold) held.add(rawRefundNo);
      else if (held.delete(rawRefundNo)) {
        const order = orderByRaw.get(rawRefundNo);
        if (order) wake(order, now());
      }
    },
    holdAmount(rawRefundNo, amount) {
      catchUp();
      if (amount === undefined) amounts.delete(rawRefundNo);
      else {
        const exact = readExactDecimal(amount);
        if (exact === undefined) throw new RangeError('holdAmount: amount must be a Decimal(19,4) string');
        amounts.set(rawRefundNo, exact);
      }
      const order = orderByRaw.get(rawRefundNo);
      if (order) order.modifiedAt = now();
    },
    refuseUpload2(rawRefundNo, reason) {
      if (reason === undefined) refusals.delete(rawRefundNo);
      else refusals.set(rawRefundNo, reason);
    },
    raw,
    stockins,
    heldAmount: (rawRefundNo) => amounts.get(rawRefundNo),
    rowsOf,
    orderById: (refundId) => ordersById.get(refundId),
    refusal: (rawRefundNo) => refusals.get(rawRefundNo),
    catchUp,
    rowStored(stored, isNew, at) {
      const rawRefundNo = stored.row.refund_no;
      if (isNew) {
        const rows = rowsByNo.get(rawRefundNo);
        if (rows) rows.push(stored);
        else rowsByNo.set(rawRefundNo, [stored]);
      }
      stored.archived = false;
      const order = orderByRaw.get(rawRefundNo);
      if (!order) {
        if (!pending.has(rawRefundNo)) pending.set(rawRefundNo, at + stepMs);
        return;
      }
      if (order.status === 10 || order.status === 90) return;
      // The ERP takes the new or changed row into its open 退换单 (and a cancellation is acted on at the next step).
      if (isNew) stored.processStatus = 15;
      order.modifiedAt = at;
      wake(order, at);
    },
    nextRawRefundId: () => {
      ids.raw += 1;
      return ids.raw;
    },
    reset() {
      for (const map of [
        raw,
        rowsByNo,
        orders,
        orderByRaw,
        stockins,
        stockinByRefund,
        pending,
        archiveAt,
        amounts,
        refusals,
      ]) {
        map.clear();
      }
      held.clear();
      daySeq.clear();
      ids = { raw: 0, refund: 0, stockin: 0, trade: 0 };
    },
  };
}
