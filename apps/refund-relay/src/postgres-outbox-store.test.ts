import { parseRefund } from '@refundkit/refund-model';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test-support/postgres.js';
import type { OutboxStore } from './outbox-store.js';
import { openPostgresOutbox, type PostgresOutboxOptions } from './postgres-outbox-store.js';
import { sampleRefunds } from './test-support.js';

// What the PostgreSQL store adds to the OutboxStore contract (outbox-store.test.ts): several relays on one outbox.

const open: OutboxStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

function relay(url: string, options: Omit<PostgresOutboxOptions, 'url'> = {}): OutboxStore {
  const store = openPostgresOutbox({ url, ...options });
  open.push(store);
  return store;
}

const claimOne = { now: 10, maxRefunds: 1, maxLines: 100, sameShop: false };

describe('openPostgresOutbox', () => {
  it('several relays claiming at once never claim one delivery twice, and claim all of them', async () => {
    const url = await createTestDatabase();
    const relays = [relay(url), relay(url), relay(url)];
    await Promise.all(relays.map((store) => store.open({ now: 0 })));
    for (const refund of sampleRefunds(40)) await relays[0]!.enqueue(refund, { now: 1 });
    const claimedBy = await Promise.all(
      relays.map(async (store) => {
        const ids: number[] = [];
        for (;;) {
          const batch = await store.claim('kingdee', { ...claimOne, maxRefunds: 3 });
          if (batch.length === 0) return ids;
          ids.push(...batch.map((d) => d.id));
        }
      }),
    );
    const all = claimedBy.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(40);
    expect((await relays[1]!.counts()).kingdee.in_flight).toBe(40);
  });

  it('relays storing the same refunds at once store each once', async () => {
    const url = await createTestDatabase();
    const relays = [relay(url), relay(url), relay(url)];
    const refunds = sampleRefunds(30);
    const outcomes = await Promise.all(
      relays.map(async (store) => {
        const seen: string[] = [];
        for (const refund of refunds) seen.push((await store.enqueue(refund, { now: 1 })).outcome);
        return seen;
      }),
    );
    expect(outcomes.flat().filter((o) => o === 'new')).toHaveLength(refunds.length);
    expect(outcomes.flat().filter((o) => o === 'duplicate')).toHaveLength(refunds.length * 2);
    expect(await relays[2]!.refundTotals()).toEqual({ refunds: refunds.length, versions: refunds.length });
  });

  it('takes over the deliveries of a relay whose session died, at once; the dead relay can no longer record them', async () => {
    const url = await createTestDatabase();
    const doomed = relay(url);
    const survivor = relay(url);
    await doomed.open({ now: 0 });
    await survivor.open({ now: 0 });
    for (const refund of sampleRefunds(3)) await survivor.enqueue(refund, { now: 1 });
    const held = await doomed.claim('kingdee', { ...claimOne, maxRefunds: 3 });
    expect(held).toHaveLength(3);
    // Its leases are fresh (30 s), but its session ends on the server (waiting until it has): as after SIGKILL.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(a.pid, 10000) FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
          AND a.pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = (
                SELECT MIN(id) FROM refund_relay_workers))`,
    );
    await admin.end();
    const taken = await survivor.claim('kingdee', { ...claimOne, maxRefunds: 3 });
    expect(taken.map((d) => d.id).sort()).toEqual(held.map((d) => d.id).sort());
    expect(taken.every((d) => d.attempts === 2)).toBe(true);
    for (const d of taken) {
      await survivor.record(d.id, { kind: 'delivered', alreadyThere: true, vendorResult: null }, { now: 20 });
    }
    await doomed
      .record(held[0]!.id, { kind: 'failed', errorCode: 'BUSINESS', errorMessage: 'late' }, { now: 30 })
      .catch(() => {});
    expect((await survivor.counts()).kingdee).toMatchObject({ delivered: 3, failed: 0, in_flight: 0 });
  });

  it('takes over from a live relay whose lease ran out (it stopped renewing), and ignores its late record', async () => {
    const url = await createTestDatabase();
    // This relay's clock is stuck: its renewals keep its leases at 1 000 + 50 ms.
    const stuck = relay(url, { leaseMs: 50, now: () => 1_000 });
    const other = relay(url);
    await stuck.open({ now: 0 });
    await other.open({ now: 0 });
    const [refund] = sampleRefunds(1);
    await other.enqueue(refund!, { now: 1 });
    const [held] = await stuck.claim('wangdian', claimOne);
    expect(await other.claim('wangdian', { ...claimOne, now: 1_040 })).toEqual([]);
    const [taken] = await other.claim('wangdian', { ...claimOne, now: 1_060 });
    expect(taken).toMatchObject({ id: held!.id, attempts: 2 });
    await stuck.record(held!.id, { kind: 'dead', errorCode: 'SERVER', errorMessage: 'late' }, { now: 1_070 });
    expect((await other.counts()).wangdian).toMatchObject({ in_flight: 1, dead: 0 });
    await other.record(taken!.id, { kind: 'delivered', alreadyThere: false, vendorResult: { ok: 1 } }, { now: 1_080 });
    expect((await other.counts()).wangdian).toMatchObject({ delivered: 1, in_flight: 0 });
  });

  it('an idle relay still sees work other relays hold, so it stays to take it over, and none once it is done', async () => {
    const url = await createTestDatabase();
    const busy = relay(url);
    const idle = relay(url);
    await busy.open({ now: 0 });
    await idle.open({ now: 0 });
    const [refund] = sampleRefunds(1);
    await busy.enqueue(refund!, { now: 1 });
    // A newer version waits behind the first.
    await busy.enqueue(parseRefund({ ...JSON.parse(JSON.stringify(refund)), status: 'cancelled' }), { now: 1 });
    const [held] = await busy.claim('kingdee', claimOne);
    expect(await busy.nextPendingAt('kingdee')).toBeUndefined();
    expect(await idle.nextPendingAt('kingdee')).toEqual(expect.any(Number));
    await busy.record(held!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 2 });
    expect(await idle.nextPendingAt('kingdee')).toBe(1);
    const [second] = await idle.claim('kingdee', claimOne);
    expect(second!.versionNo).toBe(2);
    await idle.record(second!.id, { kind: 'delivered', alreadyThere: false, vendorResult: null }, { now: 3 });
    expect(await busy.nextPendingAt('kingdee')).toBeUndefined();
    expect(await idle.nextPendingAt('kingdee')).toBeUndefined();
  });

  it('enqueueAll stores a chunk in order in one transaction; relays storing overlapping chunks at once do not deadlock', async () => {
    const url = await createTestDatabase();
    const [a, b] = [relay(url), relay(url)];
    const refunds = sampleRefunds(20);
    const changed = parseRefund({ ...JSON.parse(JSON.stringify(refunds[0])), status: 'cancelled' });
    const chunk = [refunds[0]!, refunds[0]!, changed].map((refund) => ({ refund, source: 'f:1' }));
    expect((await a.enqueueAll(chunk, { now: 1 })).map((r) => [r.outcome, r.versionNo])).toEqual([
      ['new', 1],
      ['duplicate', 1],
      ['new-version', 2],
    ]);
    const forward = refunds.map((refund) => ({ refund }));
    const outcomes = await Promise.all([
      a.enqueueAll(forward, { now: 2 }),
      b.enqueueAll([...forward].reverse(), { now: 2 }),
    ]);
    expect(outcomes.flat().filter((r) => r.outcome !== 'duplicate')).toHaveLength(refunds.length - 1);
    expect(await b.refundTotals()).toEqual({ refunds: refunds.length, versions: refunds.length + 1 });
  });

  it('recordAll writes every outcome or none, and a release puts a delivery back without counting the attempt', async () => {
    const url = await createTestDatabase();
    const store = relay(url);
    await store.open({ now: 0 });
    for (const refund of sampleRefunds(3)) await store.enqueue(refund, { now: 1 });
    const batch = await store.claim('kingdee', { ...claimOne, maxRefunds: 3 });
    const delivered = { kind: 'delivered', alreadyThere: false, vendorResult: null } as const;
    const results = batch.map((d) => ({ id: d.id, result: delivered }));
    await expect(
      store.recordAll(results, {
        now: 20,
        beforeCommit: () => {
          throw new Error('crash before commit');
        },
      }),
    ).rejects.toThrow('crash before commit');
    expect((await store.counts()).kingdee).toMatchObject({ in_flight: 3, delivered: 0 });
    await store.recordAll(
      [
        { id: batch[0]!.id, result: delivered },
        { id: batch[1]!.id, result: delivered },
        { id: batch[2]!.id, result: { kind: 'release' } as never },
      ],
      { now: 21 },
    );
    expect((await store.counts()).kingdee).toMatchObject({ delivered: 2, pending: 1, in_flight: 0 });
    const [again] = await store.claim('kingdee', { ...claimOne, now: 21 });
    expect(again).toMatchObject({ id: batch[2]!.id, attempts: 1 });
  });

  it('refuses a database migrated by a newer release', async () => {
    const url = await createTestDatabase();
    const first = relay(url);
    await first.open({ now: 0 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      "UPDATE refundkit_schema_versions SET version = version + 1 WHERE component = 'refund-relay outbox'",
    );
    await admin.end();
    await expect(relay(url).open({ now: 0 })).rejects.toThrow(/newer than this release/);
  });
});
