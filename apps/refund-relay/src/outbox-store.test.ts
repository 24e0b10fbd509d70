import { join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test-support/postgres.js';
import type { OutboxStore } from './outbox-store.js';
import { openPostgresOutbox } from './postgres-outbox-store.js';
import { refundContentHash, storedRefund } from './refund-content.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { sampleRefunds, tempDir } from './test-support.js';

// The OutboxStore contract, run against every store: what the relay relies on, whichever database holds the outbox.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface StoreKind {
  name: string;
  /** A store on a new, empty outbox, and a way to open the same outbox again (as a restarted relay would). */
  fresh(): Promise<{ store: OutboxStore; reopen: () => OutboxStore }>;
}

const KINDS: StoreKind[] = [
  {
    name: 'SQLite',
    async fresh() {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      const path = join(dir, 'nested', 'outbox.db');
      return { store: openSqliteOutbox({ path }), reopen: () => openSqliteOutbox({ path }) };
    },
  },
  {
    name: 'PostgreSQL',
    async fresh() {
      const url = await createTestDatabase();
      return { store: openPostgresOutbox({ url }), reopen: () => openPostgresOutbox({ url }) };
    },
  },
];

const claimAll = { now: 10, maxRefunds: 100, maxLines: 100, sameShop: false };

describe.each(KINDS)('the $name outbox store', (kind) => {
  it('stores a refund once, a duplicate not at all, and changed content as a new version with its own deliveries', async () => {
    const { store } = await kind.fresh();
    const [refund] = sampleRefunds(3);
    const input = JSON.parse(JSON.stringify(refund));
    expect(await store.enqueue(refund!, { now: 1 })).toEqual({
      outcome: 'new',
      refundNo: refund!.refundNo,
      versionNo: 1,
    });
    // Same content, spelt differently (numbers, key order): a duplicate.
    const respelled = parseRefund({ ...input, actualAmount: Number(input.actualAmount), lines: input.lines });
    expect((await store.enqueue(respelled, { now: 2 })).outcome).toBe('duplicate');
    const changed = parseRefund({ ...input, status: 'cancelled' });
    expect(await store.enqueue(changed, { now: 3 })).toEqual({
      outcome: 'new-version',
      refundNo: refund!.refundNo,
      versionNo: 2,
    });
    const counts = await store.counts();
    expect(counts.kingdee.pending).toBe(2);
    expect(counts.wangdian.pending).toBe(2);
    expect(await store.refundTotals()).toEqual({ refunds: 1, versions: 2 });
    await store.close();
  });

  it('claims versions of one refund in order and hands the delivered version along with a newer one', async () => {
    const { store } = await kind.fresh();
    await store.open({ now: 0 });
    const [refund] = sampleRefunds(1);
    await store.enqueue(refund!, { now: 1 });
    await store.enqueue(parseRefund({ ...JSON.parse(JSON.stringify(refund)), status: 'cancelled' }), { now: 1 });
    const first = await store.claim('kingdee', claimAll);
    expect(first.map((d) => d.versionNo)).toEqual([1]);
    expect(first[0]!.attempts).toBe(1);
    // Version 2 waits while version 1 is in flight.
    expect(await store.claim('kingdee', claimAll)).toEqual([]);
    await store.record(first[0]!.id, { kind: 'delivered', alreadyThere: false, vendorResult: { ok: 1 } }, { now: 11 });
    const second = await store.claim('kingdee', claimAll);
    expect(second.map((d) => d.versionNo)).toEqual([2]);
    expect(second[0]!.previousDeliveredBody).toBe(first[0]!.body);
    // Each claimed body comes with the hash intake stored for it, which rebuilds it to the refund pushed.
    for (const claimed of [...first, ...second]) {
      expect(claimed.contentHash).toBe(refundContentHash(claimed.body));
    }
    expect(storedRefund(first[0]!.body, first[0]!.contentHash)).toStrictEqual(refund);
    await store.close();
  });

  it('batches by lines and shop, respects next_attempt_at, and isolates a refund without counting the attempt', async () => {
    const { store } = await kind.fresh();
    await store.open({ now: 0 });
    const refunds = sampleRefunds(30);
    for (const refund of refunds) await store.enqueue(refund, { now: 1 });
    const batch = await store.claim('wangdian', { now: 10, maxRefunds: 100, maxLines: 10, sameShop: true });
    const lines = batch.reduce((sum, d) => sum + JSON.parse(d.body).lines.length, 0);
    expect(lines).toBeLessThanOrEqual(10);
    expect(new Set(batch.map((d) => JSON.parse(d.body).shopCode)).size).toBe(1);
    await store.record(
      batch[0]!.id,
      { kind: 'retry', nextAttemptAt: 1_000, errorCode: 'SERVER', errorMessage: 'x' },
      { now: 11 },
    );
    await store.record(batch[1]!.id, { kind: 'isolate' }, { now: 11 });
    expect(await store.nextPendingAt('wangdian')).toBe(1);
    const rest = await store.claim('wangdian', { now: 12, maxRefunds: 1000, maxLines: 1000, sameShop: false });
    expect(rest.map((d) => d.id)).not.toContain(batch[0]!.id);
    // The isolated one comes alone (solo) or not at all in a multi-refund batch; its attempt was not counted.
    const isolated = rest.find((d) => d.id === batch[1]!.id);
    if (isolated) {
      expect(rest).toHaveLength(1);
      expect(isolated.attempts).toBe(1);
    }
    await store.close();
  });

  it('puts in-flight deliveries of a crashed run back to pending on open', async () => {
    const { store, reopen } = await kind.fresh();
    await store.open({ now: 0 });
    for (const refund of sampleRefunds(5)) await store.enqueue(refund, { now: 1 });
    const claimed = await store.claim('kingdee', { ...claimAll, maxRefunds: 3 });
    expect(claimed).toHaveLength(3);
    await store.close();
    const reopened = reopen();
    expect(await reopened.open({ now: 50 })).toEqual({ recovered: 3 });
    expect((await reopened.counts()).kingdee).toMatchObject({ pending: 5, in_flight: 0 });
    await reopened.close();
  });

  it('requeues failed and dead deliveries, except versions a newer delivered one overtook', async () => {
    const { store } = await kind.fresh();
    await store.open({ now: 0 });
    const [a, b] = sampleRefunds(2);
    await store.enqueue(a!, { now: 1 });
    await store.enqueue(b!, { now: 1 });
    const [da, db] = await store.claim('kingdee', claimAll);
    await store.record(da!.id, { kind: 'failed', errorCode: 'BUSINESS', errorMessage: 'no' }, { now: 2 });
    await store.record(db!.id, { kind: 'dead', errorCode: 'SERVER', errorMessage: 'down' }, { now: 2 });
    // A newer version of `a` is delivered: the failed version 1 must stay failed.
    await store.enqueue(parseRefund({ ...JSON.parse(JSON.stringify(a)), status: 'cancelled' }), { now: 3 });
    const [v2] = await store.claim('kingdee', claimAll);
    expect(v2!.versionNo).toBe(2);
    await store.record(v2!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 4 });
    expect((await store.failures()).map((f) => [f.refundNo, f.state])).toEqual(
      expect.arrayContaining([
        [a!.refundNo, 'failed'],
        [b!.refundNo, 'dead'],
      ]),
    );
    expect(await store.requeueFailed({ now: 5 })).toBe(1);
    const [again] = await store.claim('kingdee', { ...claimAll, now: 6 });
    expect(again).toMatchObject({ refundNo: b!.refundNo, attempts: 1 });
    await store.close();
  });

  it('waits while anything is pending, in flight or dead, and never re-sends or hands along a purged version', async () => {
    const { store } = await kind.fresh();
    await store.open({ now: 0 });
    const [refund] = sampleRefunds(1);
    await store.enqueue(refund!, { now: 1 });
    const [kingdee] = await store.claim('kingdee', claimAll);
    expect(await store.purgePersonalData({ before: 1_000, now: 11 })).toEqual({ refunds: 0, versions: 0 }); // in flight
    await store.record(kingdee!.id, { kind: 'failed', errorCode: 'BUSINESS', errorMessage: 'refused' }, { now: 12 });
    expect(await store.purgePersonalData({ before: 1_000, now: 13 })).toEqual({ refunds: 0, versions: 0 }); // pending
    const [wangdian] = await store.claim('wangdian', { ...claimAll, now: 14 });
    await store.record(wangdian!.id, { kind: 'dead', errorCode: 'SERVER', errorMessage: 'down' }, { now: 15 });
    expect(await store.purgePersonalData({ before: 1_000, now: 16 })).toEqual({ refunds: 0, versions: 0 }); // dead
    expect(await store.requeueFailed({ now: 17, vendor: 'wangdian' })).toBe(1);
    const [again] = await store.claim('wangdian', { ...claimAll, now: 18 });
    await store.record(again!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 19 });
    // Kingdee refused it for good and Wangdian has it: final at both.
    expect(await store.purgePersonalData({ before: 1_000, now: 20 })).toEqual({ refunds: 1, versions: 1 });
    expect(await store.requeueFailed({ now: 21 })).toBe(0);
    // A changed version is delivered without the purged one as its previous body.
    await store.enqueue(parseRefund({ ...JSON.parse(JSON.stringify(refund)), status: 'cancelled' }), { now: 22 });
    const [next] = await store.claim('wangdian', { ...claimAll, now: 23 });
    expect(next).toMatchObject({ versionNo: 2 });
    expect(next!.previousDeliveredBody).toBeUndefined();
    expect(JSON.parse(next!.body).buyer.nick).toBe(refund!.buyer.nick);
    await store.close();
  });

  it('starts a delivered refund awaiting, appends only observations that change it, and moves feed positions with them', async () => {
    const { store, reopen } = await kind.fresh();
    await store.open({ now: 0 });
    const [a, b] = sampleRefunds(2);
    await store.enqueue(a!, { now: 1 });
    await store.enqueue(b!, { now: 1 });
    const [da, dbb] = await store.claim('wangdian', claimAll);
    await store.recordAll(
      [
        { id: da!.id, result: { kind: 'delivered', alreadyThere: false, vendorResult: { shopNo: 'LCJ' } } },
        { id: dbb!.id, result: { kind: 'retry', nextAttemptAt: 99, errorCode: 'SERVER', errorMessage: 'down' } },
      ],
      { now: 20 },
    );
    expect((await store.lifecycleCounts()).wangdian).toMatchObject({ awaiting: 1, in_progress: 0, done: 0 });
    const [candidate] = await store.followCandidates('wangdian');
    expect(candidate).toMatchObject({
      refundNo: a!.refundNo,
      versionNo: 1,
      state: 'awaiting',
      deliveredAt: 20,
      stateSince: 20,
      vendorResult: { shopNo: 'LCJ' },
    });
    expect(JSON.parse(candidate!.body).refundNo).toBe(a!.refundNo);
    expect(await store.followCandidates('kingdee')).toEqual([]);

    const key = { refundNo: a!.refundNo, versionNo: 1, vendor: 'wangdian' as const };
    const seen = {
      ...key,
      state: 'in_progress' as const,
      stage: 'refund_order' as const,
      vendorStatus: '20 待审核',
      reason: null,
      differences: [],
      detail: { refundOrderNo: 'TK2406010001', refundOrderStatus: 20 },
    };
    const cursor = { vendor: 'wangdian' as const, feed: 'refund_order', until: 30 };
    expect(await store.recordObservations([seen], { now: 30, cursors: [cursor] })).toEqual({ recorded: 1 });
    // The same again (a pass repeated after a restart), key order aside: nothing appended, state since unchanged.
    const respelled = { ...seen, detail: { refundOrderStatus: 20, refundOrderNo: 'TK2406010001' } };
    expect(await store.recordObservations([respelled], { now: 40 })).toEqual({ recorded: 0 });
    expect(await store.followCursor('wangdian', 'refund_order')).toBe(30);
    expect(await store.followCursor('wangdian', 'stockin')).toBeUndefined();
    // A version that was never delivered is not followed.
    expect(await store.recordObservations([{ ...seen, refundNo: b!.refundNo }], { now: 41 })).toEqual({ recorded: 0 });
    const oldest = await store.oldestInProgress();
    expect(oldest.wangdian).toMatchObject({ refundNo: a!.refundNo, state: 'in_progress', stateSince: 30 });
    expect(oldest.kingdee).toBeUndefined();

    await store.close();
    const again = reopen();
    await again.open({ now: 50 });
    const approved = {
      ...seen,
      vendorStatus: '30 已审核',
      detail: { refundOrderNo: 'TK2406010001', refundOrderStatus: 30 },
    };
    expect(await again.recordObservations([approved], { now: 60 })).toEqual({ recorded: 1 });
    const held = {
      ...approved,
      state: 'different' as const,
      differences: [{ field: 'actual_refund_amount', ours: '19.99', theirs: '8.00' }],
    };
    expect(await again.recordObservations([held], { now: 70 })).toEqual({ recorded: 1 });
    expect(await again.followCandidates('wangdian')).toEqual([]);
    const [row] = await again.lifecycleRows();
    expect(row).toMatchObject({ state: 'different', stateSince: 70, seenAt: 70, deliveredAt: 20 });
    expect(row!.differences).toEqual([{ field: 'actual_refund_amount', ours: '19.99', theirs: '8.00' }]);
    expect(await again.lifecycleRows({ since: 21 })).toEqual([]);
    expect((await again.lifecycleHistory(a!.refundNo)).map((o) => [o.state, o.vendorStatus, o.seenAt])).toEqual([
      ['awaiting', null, 20],
      ['in_progress', '20 待审核', 30],
      ['in_progress', '30 已审核', 60],
      ['different', '30 已审核', 70],
    ]);
    expect((await again.lifecycleCounts()).wangdian).toMatchObject({ awaiting: 0, in_progress: 0, different: 1 });
    await again.close();
  });

  it('records a refusal the vendor gave in its answer as refused, and follows only the newest delivered version', async () => {
    const { store } = await kind.fresh();
    await store.open({ now: 0 });
    const [refund] = sampleRefunds(1);
    await store.enqueue(refund!, { now: 1 });
    const [kd] = await store.claim('kingdee', claimAll);
    const refusal = {
      state: 'refused' as const,
      stage: 'refund' as const,
      vendorStatus: '1SUCCESSd=false',
      reason: '余额不足',
      differences: [],
      detail: { err: 'NOTENOUGH' },
    };
    await store.record(
      kd!.id,
      { kind: 'failed', errorCode: 'BUSINESS', errorMessage: 'refused: 余额不足', observation: refusal },
      { now: 5 },
    );
    expect((await store.lifecycleCounts()).kingdee).toMatchObject({ refused: 1 });
    expect(await store.lifecycleRows()).toMatchObject([{ vendor: 'kingdee', state: 'refused', reason: '余额不足' }]);
    expect(await store.followCandidates('kingdee')).toEqual([]);
    // Sent again later and taken this time: the same version's lifecycle moves on, its refusal kept in the history.
    expect(await store.requeueFailed({ now: 5, vendor: 'kingdee' })).toBe(1);
    const [again] = await store.claim('kingdee', { ...claimAll, now: 5 });
    const taken = { ...refusal, state: 'in_progress' as const, vendorStatus: 'SUCCESS', reason: null, detail: {} };
    await store.recordAll(
      [{ id: again!.id, result: { kind: 'delivered', alreadyThere: false, vendorResult: null, observation: taken } }],
      { now: 5 },
    );
    expect((await store.lifecycleHistory(refund!.refundNo)).map((o) => [o.vendor, o.state])).toEqual([
      ['kingdee', 'refused'],
      ['kingdee', 'in_progress'],
    ]);
    expect((await store.followCandidates('kingdee')).map((c) => [c.state, c.deliveredAt])).toEqual([
      ['in_progress', 5],
    ]);

    const [wd1] = await store.claim('wangdian', claimAll);
    await store.record(wd1!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 6 });
    await store.enqueue(parseRefund({ ...JSON.parse(JSON.stringify(refund)), status: 'cancelled' }), { now: 7 });
    const [wd2] = await store.claim('wangdian', { ...claimAll, now: 8 });
    await store.record(wd2!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 9 });
    expect((await store.followCandidates('wangdian')).map((c) => c.versionNo)).toEqual([2]);
    const overtaken = { refundNo: refund!.refundNo, versionNo: 1, vendor: 'wangdian' as const, ...refusal };
    expect(await store.recordObservations([overtaken], { now: 10 })).toEqual({ recorded: 0 });
    expect((await store.lifecycleRows()).map((r) => [r.vendor, r.versionNo, r.state])).toEqual([
      ['kingdee', 1, 'in_progress'],
      ['wangdian', 2, 'awaiting'],
    ]);
    expect((await store.lifecycleCounts()).wangdian.awaiting).toBe(1);
    await store.close();
  });
});
