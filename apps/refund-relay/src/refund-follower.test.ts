import { join } from 'node:path';
import { createKingdeeRetailClient } from '@refundkit/kingdee-retail';
import { retailBillSave } from '@refundkit/kingdee-retail/endpoints';
import type { Refund } from '@refundkit/refund-model';
import {
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import { createServerClock } from '@refundkit/transport';
import { createWangdianClient, toWangdianRawRefunds } from '@refundkit/wangdian-aftersales';
import { rawRefundUpload2 } from '@refundkit/wangdian-aftersales/endpoints';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverPending } from './delivery-scheduler.js';
import { createKingdeeFollowPort, KINGDEE_FOLLOW_ENDPOINTS } from './kingdee-follow-port.js';
import type { LifecycleRecord } from './lifecycle.js';
import type { OutboxStore, Vendor } from './outbox-store.js';
import { createRedactor } from './redact.js';
import { followOnce, followUntilFinal } from './refund-follower.js';
import { SAMPLE_SHOPS } from './sample-refunds.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { killedMidFollow, manualClock, sampleRefunds, tempDir } from './test-support.js';
import { createTokenBucket } from './token-bucket.js';
import { createKingdeePort, createWangdianPort } from './vendor-ports.js';
import { createWangdianFollowPort, WANGDIAN_FOLLOW_ENDPOINTS } from './wangdian-follow-port.js';

const T0 = Date.UTC(2024, 5, 1, 2, 0, 0);
const STEP = 60_000;
const MAPPING = { cmd: 'pay.refund', signMsg: '1' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A SQLite outbox and both sandboxes over loopback on one manual clock (the relay's, both clients' and both
 * sandboxes' own, which drives the Wangdian ERP's business clock and Kingdee's pending outcomes): moving it moves
 * every vendor's work along.
 */
async function relay() {
  const clock = manualClock(T0);
  const kd: KingdeeSandbox = await startKingdeeSandbox({ now: clock.now });
  const wd: WangdianSandbox = await startWangdianSandbox({
    now: clock.now,
    shops: [...SAMPLE_SHOPS],
    erp: { stepMs: STEP, archiveAfterMs: 30 * STEP },
  });
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'outbox.db');
  let store: OutboxStore = openSqliteOutbox({ path });
  await store.open({ now: clock.now() });
  cleanups.push(
    cleanup,
    () => kd.close(),
    () => wd.close(),
    () => store.close(),
  );
  const serverClock = () => createServerClock({ now: clock.now });
  const kingdee = createKingdeeRetailClient({
    ...kd.credentials,
    baseUrl: kd.url,
    clock: serverClock(),
    retry: false,
    endpoints: { ...KINGDEE_FOLLOW_ENDPOINTS, retailBillSave },
  });
  const wangdian = createWangdianClient({
    ...wd.credentials,
    baseUrl: wd.url,
    clock: serverClock(),
    retry: false,
    env: {},
    endpoints: { ...WANGDIAN_FOLLOW_ENDPOINTS, rawRefundUpload2 },
  });
  const bucket = () => ({ concurrency: 2, bucket: createTokenBucket({ perMinute: 0, clock }) });
  const followPorts = {
    kingdee: createKingdeeFollowPort(kingdee, { mapping: MAPPING }),
    wangdian: createWangdianFollowPort(wangdian, { archiveAfterMs: 30 * STEP }),
  };
  const deliver = (refunds: readonly Refund[]) =>
    (async () => {
      await store.enqueueAll(
        refunds.map((refund) => ({ refund })),
        { now: clock.now() },
      );
      return deliverPending({
        store,
        ports: {
          kingdee: createKingdeePort(kingdee, MAPPING),
          wangdian: createWangdianPort(wangdian, { push: 'upload2' }),
        },
        limits: { kingdee: bucket(), wangdian: bucket() },
        maxAttempts: 2,
        backoff: { baseMs: 1, maxMs: 2 },
        clock,
        redact: createRedactor([]),
      });
    })();
  const follow = (options: { store?: OutboxStore } = {}) =>
    followOnce({ store: options.store ?? store, ports: followPorts, clock, missingAfterMs: 10 * STEP });
  /** Follows pass after pass, one ERP step apart, until nothing is open (at most `passes`). */
  const followToEnd = (passes = 12) =>
    followUntilFinal({
      store,
      ports: followPorts,
      clock: { now: clock.now, sleep: (ms) => clock.advance(ms) },
      missingAfterMs: 10 * STEP,
      intervalMs: STEP,
      timeoutMs: passes * STEP,
    });
  const rows = async (): Promise<Record<string, Partial<Record<Vendor, LifecycleRecord>>>> => {
    const byNo: Record<string, Partial<Record<Vendor, LifecycleRecord>>> = {};
    for (const row of await store.lifecycleRows()) byNo[row.refundNo] = { ...byNo[row.refundNo], [row.vendor]: row };
    return byNo;
  };
  const reopen = async () => {
    await store.close();
    store = openSqliteOutbox({ path });
    await store.open({ now: clock.now() });
    return store;
  };
  return { clock, kd, wd, kingdee, wangdian, deliver, follow, followToEnd, rows, reopen, store: () => store };
}

const historyOf = async (store: OutboxStore, refundNo: string, vendor: Vendor) =>
  (await store.lifecycleHistory(refundNo))
    .filter((o) => o.vendor === vendor)
    .map((o) => [o.state, o.stage, o.vendorStatus]);

describe('following delivered refunds to the end at both vendors', () => {
  it('follows a return through raw refund, 退换单 and stock-in to done at Wangdian, and to done at Kingdee', async () => {
    const r = await relay();
    const [plain, ret] = sampleRefunds(2, 3) as [Refund, Refund];
    const back: Refund = { ...ret, kind: 'return-and-refund' };
    const other: Refund = { ...plain, kind: 'refund-without-return' };
    const bill = await r.kingdee.retailBillSave({
      src_bill_id: 'SALE-1',
      bill_no: other.orderNo,
      store_id: r.kd.stores[0]!.id,
      bill_date: '2024-06-01 09:00:00',
      amt: '99.50',
    });
    await r.deliver([other, back]);
    const run = await r.followToEnd();
    expect(run).toMatchObject({ final: true, open: { kingdee: 0, wangdian: 0 } });
    const rows = await r.rows();
    for (const refund of [other, back]) {
      expect(rows[refund.refundNo]?.wangdian).toMatchObject({ state: 'done', stage: 'refund_order' });
      expect(rows[refund.refundNo]?.kingdee).toMatchObject({ state: 'done' });
    }
    // The return went through every stage; each state seen is stored once, in order.
    const wangdian = await historyOf(r.store(), back.refundNo, 'wangdian');
    expect(wangdian[0]).toEqual(['awaiting', null, null]);
    expect(wangdian).toContainEqual(['in_progress', 'refund_order', '20 待审核']);
    expect(wangdian).toContainEqual(['in_progress', 'stockin', '30 待处理']);
    expect(wangdian.at(-1)).toEqual(['done', 'refund_order', '90 已完成']);
    expect(new Set(wangdian.map((o) => JSON.stringify(o))).size).toBe(wangdian.length);
    const order = r.wd.erp.refundOrderOf(back.refundNo)!;
    expect(rows[back.refundNo]?.wangdian?.detail).toMatchObject({
      refundOrderNo: order.refundNo,
      refundOrderStatus: 90,
      stockinNo: r.wd.erp.stockinOf(order.refundNo)!.orderNo,
      stockinStatus: 80,
    });
    // Kingdee: the channel's success at delivery, then done with the sale's retail bill where there is one.
    expect(await historyOf(r.store(), other.refundNo, 'kingdee')).toEqual([
      ['in_progress', 'refund', 'SUCCESS'],
      ['done', 'retail_bill', 'SUCCESS'],
    ]);
    expect(rows[other.refundNo]?.kingdee?.detail).toMatchObject({
      outcome: 'succeeded',
      retailBillNo: other.orderNo,
      retailBillId: bill.bill_id,
    });
    expect(rows[back.refundNo]?.kingdee).toMatchObject({ stage: 'refund', detail: { retailBillNo: null } });
    // Nothing more to follow: another pass calls no vendor.
    const before = { kd: r.kd.counters.requests, wd: r.wd.counters.requests };
    expect((await r.follow()).wangdian).toMatchObject({ followed: 0, recorded: 0 });
    expect({ kd: r.kd.counters.requests, wd: r.wd.counters.requests }).toEqual(before);
  });

  it('records the refusals, the held amount and the 退换单 held in review each as the vendor shows it', async () => {
    const r = await relay();
    const [refused, rowRefused, held, review, pending] = sampleRefunds(5, 11);
    r.kd.setRefundOutcome(refused!.refundNo, { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' });
    r.kd.setRefundOutcome(pending!.refundNo, { kind: 'pending', resolvesAfterMs: 3 * STEP });
    r.wd.erp.refuseUpload2(rowRefused!.refundNo, '原始单不存在');
    r.wd.erp.holdAmount(held!.refundNo, '0.01');
    r.wd.erp.holdInReview(review!.refundNo);
    await r.deliver([refused!, rowRefused!, held!, review!, pending!]);
    const run = await r.followToEnd(8);
    expect(run.final).toBe(false);
    expect(run.open).toEqual({ kingdee: 0, wangdian: 1 });
    const rows = await r.rows();
    expect(rows[refused!.refundNo]?.kingdee).toMatchObject({
      state: 'refused',
      stage: 'refund',
      reason: '余额不足',
      detail: { err: 'NOTENOUGH' },
    });
    expect(rows[rowRefused!.refundNo]?.wangdian).toMatchObject({
      state: 'refused',
      stage: 'raw_refund',
      reason: '原始单不存在',
    });
    expect(rows[held!.refundNo]?.wangdian).toMatchObject({ state: 'different', stage: 'refund_order' });
    expect(rows[held!.refundNo]?.wangdian?.differences).toEqual([
      { field: 'actual_refund_amount', ours: held!.actualAmount.toString(), theirs: '0.01' },
    ]);
    expect(rows[review!.refundNo]?.wangdian).toMatchObject({ state: 'in_progress', vendorStatus: '20 待审核' });
    const inReview = (await r.store().oldestInProgress()).wangdian;
    expect(inReview).toMatchObject({ refundNo: review!.refundNo, state: 'in_progress' });
    expect(r.clock.now() - inReview!.stateSince).toBeGreaterThanOrEqual(6 * STEP);
    // The pending Kingdee refund was re-saved until the channel settled it.
    expect(await historyOf(r.store(), pending!.refundNo, 'kingdee')).toEqual([
      ['in_progress', 'refund', 'PROCESSING'],
      ['done', 'refund', 'SUCCESS'],
    ]);
    // The refused deliveries stay failed, with the vendor's reason.
    const failures = await r.store().failures();
    expect(failures.map((f) => [f.refundNo, f.vendor, f.errorCode]).sort()).toEqual(
      [
        [refused!.refundNo, 'kingdee', 'BUSINESS'],
        [rowRefused!.refundNo, 'wangdian', 'BUSINESS'],
      ].sort(),
    );
    // Let go of the review: the next passes follow it to done.
    r.wd.erp.holdInReview(review!.refundNo, false);
    expect((await r.followToEnd()).final).toBe(true);
    expect((await r.rows())[review!.refundNo]?.wangdian).toMatchObject({ state: 'done' });
  });

  it('marks a refund the vendor does not show missing after the threshold, and finds it when it shows up', async () => {
    const r = await relay();
    const [refund] = sampleRefunds(1, 21);
    await r.deliver([refund!]);
    // The ERP loses what it was sent (as if the push had never reached it).
    r.wd.reset();
    await r.follow();
    expect((await r.rows())[refund!.refundNo]?.wangdian).toMatchObject({ state: 'awaiting' });
    await r.clock.advance(10 * STEP);
    await r.follow();
    expect((await r.rows())[refund!.refundNo]?.wangdian).toMatchObject({ state: 'missing', stage: null });
    expect((await r.store().lifecycleCounts()).wangdian.missing).toBe(1);
    // Pushed again from elsewhere, it shows up: following goes on from there.
    await r.wangdian.rawRefundUpload2(refund!.shopCode, toWangdianRawRefunds(refund!));
    await r.follow();
    expect((await r.rows())[refund!.refundNo]?.wangdian).toMatchObject({ state: 'in_progress', stage: 'raw_refund' });
  });
});

describe('following refunds the ERP already archived', () => {
  it('finds them through the history methods and follows them to done', async () => {
    const r = await relay();
    const [plain, ret] = sampleRefunds(2, 71) as [Refund, Refund];
    const refunds: Refund[] = [
      { ...plain, kind: 'refund-without-return' },
      { ...ret, kind: 'return-and-refund' },
    ];
    await r.deliver(refunds);
    // Not followed until long after the ERP finished both and moved them to its archive.
    await r.clock.advance(45 * STEP);
    const before = r.wd.counters.byRoute;
    await r.follow();
    const rows = await r.rows();
    for (const refund of refunds) {
      expect(rows[refund.refundNo]?.wangdian).toMatchObject({ state: 'done', vendorStatus: '90 已完成' });
      expect(r.wd.erp.refundOrderOf(refund.refundNo)?.archived).toBe(true);
    }
    const after = r.wd.counters.byRoute;
    for (const method of ['aftersales.refund.RawRefund.searchHistory', 'aftersales.refund.Refund.searchHistory']) {
      expect((after[method] ?? 0) - (before[method] ?? 0)).toBeGreaterThan(0);
    }
  });
});

describe('following survives a restart', () => {
  it('stores nothing of a pass killed before its commit, and the pass run again records each state once', async () => {
    const r = await relay();
    const refunds = sampleRefunds(6, 31);
    await r.deliver(refunds);
    await r.clock.advance(2 * STEP);
    // A pass that dies inside its recording transaction (as the `mid-follow` kill does): nothing of it is kept.
    const store = r.store();
    const crashing = killedMidFollow(store);
    await expect(r.follow({ store: crashing })).rejects.toThrow('killed mid-follow');
    expect(await store.followCursor('wangdian', 'raw_refund')).toBeUndefined();
    const kept = await Promise.all(refunds.map((refund) => store.lifecycleHistory(refund.refundNo)));
    expect(kept.flat().every((o) => o.state === 'awaiting' || o.stage === 'refund')).toBe(true);

    // The restarted relay reads the same windows again and records what the lost pass saw, once.
    const reopened = await r.reopen();
    const first = await r.follow();
    expect(first.wangdian.recorded).toBe(refunds.length);
    expect(await reopened.followCursor('wangdian', 'raw_refund')).toBe(r.clock.now());
    // The same pass again (a restart right after the commit): nothing new.
    expect((await r.follow()).wangdian.recorded).toBe(0);
    expect((await r.followToEnd()).final).toBe(true);
    for (const refund of refunds) {
      const history = await historyOf(reopened, refund.refundNo, 'wangdian');
      expect(new Set(history.map((o) => JSON.stringify(o))).size).toBe(history.length);
      expect(history.at(-1)?.[0]).toBe('done');
    }
  });
});

describe('what following costs', () => {
  it('makes a number of vendor calls that grows with windows and pages, not with refunds', async () => {
    const calls = async (count: number) => {
      const r = await relay();
      const refunds = sampleRefunds(count, 41).map((refund) => ({ ...refund, shopCode: SAMPLE_SHOPS[0]! }));
      await r.deliver(refunds);
      const before = { kd: r.kd.counters.byRoute, wd: r.wd.counters.byRoute };
      const run = await r.followToEnd();
      expect(run.final).toBe(true);
      const spent = (now: Record<string, number>, then: Record<string, number>) =>
        Object.fromEntries(Object.entries(now).map(([route, n]) => [route, n - (then[route] ?? 0)]));
      return {
        refunds: refunds.length,
        passes: run.passes,
        wangdian: spent(r.wd.counters.byRoute, before.wd),
        kingdee: spent(r.kd.counters.byRoute, before.kd),
      };
    };
    const small = await calls(10);
    const large = await calls(200);
    const searches = (spent: Record<string, number>) =>
      Object.entries(spent)
        .filter(([method]) => !method.includes('upload'))
        .reduce((sum, [, n]) => sum + n, 0);
    // Each pass reads each feed once: a window of pages of 200 (stock-ins 100), whatever the number of refunds.
    const pagesPerWindow = (refunds: number) => Math.ceil(refunds / 100) + 1;
    expect(searches(small.wangdian)).toBeLessThanOrEqual(small.passes * 3 * pagesPerWindow(small.refunds));
    expect(searches(large.wangdian)).toBeLessThanOrEqual(large.passes * 3 * pagesPerWindow(large.refunds));
    expect(searches(large.wangdian)).toBeLessThan(large.refunds / 5);
    // Twenty times the refunds cost far less than twenty times the calls.
    expect(searches(large.wangdian)).toBeLessThan(10 * searches(small.wangdian));
    // Kingdee: no refund query to make; the outcomes came with the saves, and one retail bill list per pass.
    expect(large.kingdee.refundSave ?? 0).toBe(0);
    expect(large.kingdee.retailBillList).toBeLessThanOrEqual(large.passes);
  });
});
