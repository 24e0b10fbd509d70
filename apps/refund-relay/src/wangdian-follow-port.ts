import { parseRefund, type Refund, type RefundKind } from '@refundkit/refund-model';
import { WANGDIAN_REFUND_TYPES, type WangdianClient, type WangdianMethodName } from '@refundkit/wangdian-aftersales';
import {
  rawRefundSearch,
  rawRefundSearchHistory,
  refundSearch,
  refundSearchHistory,
  stockinRefundQueryHisWithDetail,
  stockinRefundQueryWithDetail,
} from '@refundkit/wangdian-aftersales/endpoints';
import { type FollowContext, type FollowPass, problemText, type VendorFollowPort } from './follow-port.js';
import { compareHolding, expectedHolding, type FieldDifference, type Holding } from './holding-compare.js';
import type { DeliveryObservation, FollowCandidate, FollowCursor, LifecycleDetail } from './lifecycle.js';

const DAY_MS = 86_400_000;

/** 原始退款单 process_status names. */
const RAW_STATUS: Readonly<Record<number, string>> = { 0: '待递交', 15: '已递交', 20: '递交失败', 40: '已处理' };
/** 退换单 status names. */
const ORDER_STATUS: Readonly<Record<number, string>> = {
  10: '已取消',
  20: '待审核',
  30: '已审核',
  40: '已推送',
  80: '已结算',
  81: '待回传',
  85: '待过账',
  86: '已过账',
  87: '成本确认',
  90: '已完成',
};
/** 退货入库单 status names. */
const STOCKIN_STATUS: Readonly<Record<number, string>> = { 10: '已取消', 20: '编辑中', 30: '待处理', 80: '已完成' };

/** A feed: one modified-time query per record kind, with its history twin for archived records. */
/** The queries a follow pass walks. */
type FollowMethod = WangdianMethodName<typeof WANGDIAN_FOLLOW_ENDPOINTS>;

interface Feed {
  name: 'raw_refund' | 'refund_order' | 'stockin';
  current: { method: FollowMethod; from: string; to: string; extra?: Record<string, unknown> };
  history: { method: FollowMethod; from: string; to: string };
  pageSize: number;
}

/** In the order a pass reads them: a refund's 退换单 is matched by the raw refund number, its stock-in by the 退换单. */
const FEEDS: readonly Feed[] = [
  {
    name: 'raw_refund',
    current: {
      method: 'aftersales.refund.RawRefund.search',
      from: 'start_time',
      to: 'end_time',
      extra: { time_type: 1 },
    },
    history: { method: 'aftersales.refund.RawRefund.searchHistory', from: 'start_time', to: 'end_time' },
    pageSize: 200,
  },
  {
    name: 'refund_order',
    current: { method: 'aftersales.refund.Refund.search', from: 'modified_from', to: 'modified_to' },
    history: { method: 'aftersales.refund.Refund.searchHistory', from: 'start_time', to: 'end_time' },
    pageSize: 200,
  },
  {
    name: 'stockin',
    current: { method: 'wms.stockin.Refund.queryWithDetail', from: 'start_time', to: 'end_time' },
    history: { method: 'wms.stockin.Refund.queryHisWithDetail', from: 'start_time', to: 'end_time' },
    pageSize: 100,
  },
];

/** The queries the Wangdian follower reads: what its client must be given (`endpoints`). */
export const WANGDIAN_FOLLOW_ENDPOINTS = {
  rawRefundSearch,
  rawRefundSearchHistory,
  refundSearch,
  refundSearchHistory,
  stockinRefundQueryWithDetail,
  stockinRefundQueryHisWithDetail,
};

/** A Wangdian client serving the follower's queries. */
export type WangdianFollowClient = WangdianClient<typeof WANGDIAN_FOLLOW_ENDPOINTS>;

/**
 * How far each window reaches back before the end of the last one read: covers clocks a little apart and records
 * changed in the second a window ended. What it reads twice is recorded once.
 */
const OVERLAP_MS = 60_000;

/** Options of `createWangdianFollowPort`. */
export interface WangdianFollowOptions {
  /**
   * Age after which the ERP may have moved finished records to its archive (default 30 days): the part of a window
   * older than this is read from the history methods as well.
   */
  archiveAfterMs?: number;
}

/** What one pass knows of one refund: the stored detail, updated by what the feeds answered. */
interface Snapshot {
  candidate: FollowCandidate;
  /** The stored body as JSON (`undefined` when it is not JSON), read once per pass. */
  json: unknown;
  isReturn: boolean;
  /** The refund's order number: the raw refund's `tid`, which a 退换单 lists in `tid_list`. */
  orderNo: string | undefined;
  touched: boolean;
  raw?: { processStatus: number; held: Record<string, string> };
  order?: { no: string; status: number; stockinStatus: number | undefined; held: Record<string, string> };
  stockin?: { no: string; status: number };
}

type Row = Record<string, unknown>;

/**
 * The Wangdian follow port. Each pass reads three feeds by modified time: raw refunds (`RawRefund.search`), then
 * 退换单 (`Refund.search`), then return stock-ins (`wms.stockin.Refund.queryWithDetail`, only while a return is
 * followed), each over the window from where the last pass ended (its durable feed position, less `OVERLAP_MS`; the
 * first time, from the earliest delivery) to now, in pages of 200 (stock-ins 100), sliced into the 30-day spans the
 * gateway takes. The part of a window older than `archiveAfterMs` is also read from the `…History` methods. A
 * window answers for every refund that changed in it, so calls grow with windows and pages, never with refunds; a
 * refund that did not change is not read again. Records are matched to the refunds followed: raw refunds by refund
 * number, 退换单 by their raw refund numbers (or a 退换单号 seen before), stock-ins by 退换单号.
 *
 * A refund is `refused` when its raw refund failed to submit (递交失败) or its 退换单 was cancelled (unless the
 * refund itself was a cancellation), `different` when the raw rows or the 退换单 hold other amounts or quantities
 * than were sent, `done` when its 退换单 is 已完成 (a return's stock-in completed), else in progress at the furthest
 * stage seen.
 */
export function createWangdianFollowPort(
  client: WangdianFollowClient,
  options: WangdianFollowOptions = {},
): VendorFollowPort {
  const archiveAfterMs = options.archiveAfterMs ?? 30 * DAY_MS;
  return {
    vendor: 'wangdian',
    async follow(candidates, context): Promise<FollowPass> {
      const pass: FollowPass = { observations: [], cursors: [], problems: [] };
      const byRefundNo = new Map<string, Snapshot>();
      const byOrderNo = new Map<string, Snapshot>();
      for (const candidate of candidates) {
        const snapshot = snapshotOf(candidate);
        byRefundNo.set(candidate.refundNo, snapshot);
        if (snapshot.order) byOrderNo.set(snapshot.order.no, snapshot);
      }
      if (byRefundNo.size === 0) return pass;
      const snapshots = [...byRefundNo.values()];
      // Order numbers to the one refund followed on each (`null` when several share it: no match by order then).
      const byTid = new Map<string, Snapshot | null>();
      for (const snapshot of snapshots) {
        if (snapshot.orderNo !== undefined) byTid.set(snapshot.orderNo, byTid.has(snapshot.orderNo) ? null : snapshot);
      }
      const earliest = Math.min(...snapshots.map((s) => s.candidate.deliveredAt));
      const awaiting = snapshots.filter((s) => s.candidate.state === 'awaiting').map((s) => s.candidate.deliveredAt);
      const earliestAwaiting = awaiting.length > 0 ? Math.min(...awaiting) : Number.POSITIVE_INFINITY;
      const end = client.clock.now();

      for (const feed of FEEDS) {
        if (context.signal?.aborted) break;
        if (feed.name === 'stockin' && !snapshots.some((s) => s.isReturn)) continue;
        const cursor = await context.cursor(feed.name);
        // From where the last pass ended; never after a refund still awaiting its first sight.
        const start = Math.min(Math.min(cursor ?? earliest, earliestAwaiting) - OVERLAP_MS, end);
        try {
          const rows = await readFeed(client, feed, start, end, archiveAfterMs, context);
          for (const row of rows) applyRow(feed.name, row, byRefundNo, byOrderNo, byTid);
          pass.cursors.push({ vendor: 'wangdian', feed: feed.name, until: end } satisfies FollowCursor);
        } catch (error) {
          pass.problems.push(`${feed.current.method}: ${problemText(error)}`);
        }
      }
      for (const snapshot of snapshots) {
        if (!snapshot.touched) continue;
        // Only the refunds a feed answered for are read in full (checked as when they were taken in).
        let refund: Refund;
        try {
          refund = parseRefund(snapshot.json);
        } catch {
          pass.problems.push(`refund ${snapshot.candidate.refundNo}: its stored body is no longer readable`);
          continue;
        }
        const observation = observationOf(snapshot, refund);
        if (observation) {
          pass.observations.push({
            refundNo: snapshot.candidate.refundNo,
            versionNo: snapshot.candidate.versionNo,
            vendor: 'wangdian',
            ...observation,
          });
        }
      }
      return pass;
    },
  };
}

/** Every row a feed answers for `start`..`end`: the archived part from the history method, then the current one. */
async function readFeed(
  client: WangdianFollowClient,
  feed: Feed,
  start: number,
  end: number,
  archiveAfterMs: number,
  context: FollowContext,
): Promise<Row[]> {
  const rows: Row[] = [];
  const walk = async (method: FollowMethod, params: Record<string, unknown>) => {
    const paging = { pageSize: feed.pageSize, ...(context.signal ? { signal: context.signal } : {}) };
    for await (const row of client.pages(method, params, paging)) rows.push(row);
  };
  const archivedUntil = Math.min(end, end - archiveAfterMs + OVERLAP_MS);
  if (start < archivedUntil) {
    const { method, from, to } = feed.history;
    await walk(method, { [from]: new Date(start), [to]: new Date(archivedUntil) });
  }
  const { method, from, to, extra } = feed.current;
  await walk(method, { ...extra, [from]: new Date(start), [to]: new Date(end) });
  return rows;
}

function snapshotOf(candidate: FollowCandidate): Snapshot {
  const { detail } = candidate;
  const json = jsonOf(candidate.body);
  const { kind, orderNo } = headOf(json);
  const type = kind === undefined ? undefined : WANGDIAN_REFUND_TYPES[kind];
  const snapshot: Snapshot = { candidate, json, isReturn: type === 2 || type === 3, orderNo, touched: false };
  if (typeof detail.rawRefundProcessStatus === 'number') {
    snapshot.raw = { processStatus: detail.rawRefundProcessStatus, held: {} };
  }
  if (typeof detail.refundOrderNo === 'string' && typeof detail.refundOrderStatus === 'number') {
    snapshot.order = {
      no: detail.refundOrderNo,
      status: detail.refundOrderStatus,
      stockinStatus: typeof detail.refundOrderStockinStatus === 'number' ? detail.refundOrderStockinStatus : undefined,
      held: {},
    };
  }
  if (typeof detail.stockinNo === 'string' && typeof detail.stockinStatus === 'number') {
    snapshot.stockin = { no: detail.stockinNo, status: detail.stockinStatus };
  }
  return snapshot;
}

/** A stored body as JSON, `undefined` when it is not JSON. */
function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A stored body's kind and order number, read without checking the whole refund (`undefined` when absent). */
function headOf(json: unknown): { kind: RefundKind | undefined; orderNo: string | undefined } {
  const { kind, orderNo } = (typeof json === 'object' && json !== null ? json : {}) as {
    kind?: unknown;
    orderNo?: unknown;
  };
  return {
    kind: typeof kind === 'string' && kind in WANGDIAN_REFUND_TYPES ? (kind as RefundKind) : undefined,
    orderNo: typeof orderNo === 'string' ? orderNo : undefined,
  };
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : String(value);
const int = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Puts what one feed row says into the snapshot of the refund it belongs to, if it is one being followed. */
function applyRow(
  feed: Feed['name'],
  row: Row,
  byRefundNo: ReadonlyMap<string, Snapshot>,
  byOrderNo: Map<string, Snapshot>,
  byTid: ReadonlyMap<string, Snapshot | null>,
): void {
  if (feed === 'raw_refund') {
    const snapshot = byRefundNo.get(String(row.refund_no));
    const status = int(row.process_status);
    if (!snapshot || status === undefined) return;
    const held = snapshot.raw?.held ?? {};
    const oid = text(row.oid);
    if (oid !== undefined) {
      for (const field of ['refund_amount', 'actual_refund_amount', 'num'] as const) {
        const value = text(row[field]);
        if (value !== undefined) held[`lines.${oid}.${field}`] = value;
      }
    }
    snapshot.raw = { processStatus: status, held };
    snapshot.touched = true;
    return;
  }
  if (feed === 'refund_order') {
    const orderNo = String(row.refund_no);
    const rawNos = (text(row.raw_refund_nos) ?? '').split(',').map((no) => no.trim());
    // An archived 退换单 names no raw refund: it is known by its 退换单号, or by an order only one followed refund has.
    const tids = (text(row.tid_list) ?? '').split(',').map((tid) => tid.trim());
    const snapshot =
      rawNos.map((no) => byRefundNo.get(no)).find((s) => s !== undefined) ??
      byOrderNo.get(orderNo) ??
      (text(row.raw_refund_nos) === undefined ? tids.map((tid) => byTid.get(tid)).find((s) => s) : undefined);
    const status = int(row.status);
    if (!snapshot || status === undefined) return;
    const held: Record<string, string> = {};
    const actual = text(row.actual_refund_amount);
    if (actual !== undefined) held.actual_refund_amount = actual;
    for (const line of Array.isArray(row.detail_list) ? (row.detail_list as Row[]) : []) {
      const oid = text(line.oid);
      if (oid === undefined) continue;
      for (const field of ['refund_amount', 'num'] as const) {
        const value = text(line[field]);
        if (value !== undefined) held[`lines.${oid}.${field}`] = value;
      }
    }
    snapshot.order = { no: orderNo, status, stockinStatus: int(row.stockin_status), held };
    byOrderNo.set(orderNo, snapshot);
    snapshot.touched = true;
    return;
  }
  const snapshot = byOrderNo.get(String(row.refund_no));
  const status = int(row.status);
  if (!snapshot || status === undefined) return;
  snapshot.stockin = { no: String(row.order_no), status };
  snapshot.touched = true;
}

const named = (names: Readonly<Record<number, string>>, code: number) =>
  names[code] === undefined ? String(code) : `${code} ${names[code]}`;

/** The lifecycle a snapshot shows, or `undefined` when nothing of the refund was seen yet. */
function observationOf(snapshot: Snapshot, refund: Refund): DeliveryObservation | undefined {
  const { raw, order, stockin } = snapshot;
  const detail: LifecycleDetail = {};
  if (raw) detail.rawRefundProcessStatus = raw.processStatus;
  if (order) {
    detail.refundOrderNo = order.no;
    detail.refundOrderStatus = order.status;
    if (order.stockinStatus !== undefined) detail.refundOrderStockinStatus = order.stockinStatus;
  }
  if (stockin) {
    detail.stockinNo = stockin.no;
    detail.stockinStatus = stockin.status;
  }
  const at = (stage: DeliveryObservation['stage'], vendorStatus: string | null) => ({ stage, vendorStatus });
  const rawAt = raw ? at('raw_refund', named(RAW_STATUS, raw.processStatus)) : undefined;
  const orderAt = order ? at('refund_order', named(ORDER_STATUS, order.status)) : undefined;
  const base = { reason: null, differences: [] as FieldDifference[], detail };

  if (raw?.processStatus === 20) {
    return { ...base, state: 'refused', ...rawAt!, reason: 'the ERP failed to take up the raw refund (20 递交失败)' };
  }
  if (order?.status === 10 && refund.status !== 'cancelled') {
    return { ...base, state: 'refused', ...orderAt!, reason: 'the ERP cancelled its 退换单 (10 已取消)' };
  }
  const expected = expectedHolding('wangdian', refund);
  const differences = mergeDifferences(
    raw ? compareHolding(expected, raw.held) : [],
    order ? compareHolding(expected, order.held as Holding) : [],
  );
  if (differences.length > 0) return { ...base, state: 'different', ...(orderAt ?? rawAt)!, differences };
  if (order && (order.status === 90 || (order.status === 10 && refund.status === 'cancelled'))) {
    const stocked = !snapshot.isReturn || order.stockinStatus === 3 || stockin?.status === 80 || order.status === 10;
    if (stocked) return { ...base, state: 'done', ...orderAt! };
  }
  if (stockin && order && order.status < 80) {
    return { ...base, state: 'in_progress', ...at('stockin', named(STOCKIN_STATUS, stockin.status)) };
  }
  if (orderAt) return { ...base, state: 'in_progress', ...orderAt };
  if (rawAt) return { ...base, state: 'in_progress', ...rawAt };
  return undefined;
}

/** The differences of both records, each field once (the 退换单's, the later record, wins). */
function mergeDifferences(raw: FieldDifference[], order: FieldDifference[]): FieldDifference[] {
  const byField = new Map<string, FieldDifference>();
  for (const difference of [...raw, ...order]) byField.set(difference.field, difference);
  return [...byField.values()];
}
