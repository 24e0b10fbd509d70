import { join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test-support/postgres.js';
import type { OutboxStore } from './outbox-store.js';
import { openPostgresOutbox } from './postgres-outbox-store.js';
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
});
