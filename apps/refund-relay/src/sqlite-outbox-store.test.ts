import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_SCHEMA_VERSION, openSqliteOutbox } from './sqlite-outbox-store.js';
import { sampleRefunds, tempDir } from './test-support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function freshStore() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'nested', 'outbox.db');
  return { path, store: openSqliteOutbox({ path }) };
}

const claimAll = { now: 10, maxRefunds: 100, maxLines: 100, sameShop: false };

describe('openSqliteOutbox', () => {
  it('creates the file in WAL mode and migrates to the current user_version', async () => {
    const { path, store } = freshStore();
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(OUTBOX_SCHEMA_VERSION);
    const columns = db.prepare("SELECT name FROM pragma_table_info('deliveries')").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['state', 'attempts', 'next_attempt_at', 'solo']),
    );
    db.close();
    // Opening again does not re-run migrations.
    const again = openSqliteOutbox({ path });
    await again.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const { path, store } = freshStore();
    await store.close();
    const db = new Database(path);
    db.pragma(`user_version = ${OUTBOX_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteOutbox({ path })).toThrow(/newer refund-relay/);
  });

  it('stores a refund once, a duplicate not at all, and changed content as a new version with its own deliveries', async () => {
    const { store } = freshStore();
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

  it('stores a chunk of refunds in one transaction, each as enqueue would, later ones seeing earlier ones', async () => {
    const { path, store } = freshStore();
    const [a, b] = sampleRefunds(2);
    const changed = parseRefund({ ...JSON.parse(JSON.stringify(a)), status: 'cancelled' });
    expect(await store.enqueueAll([], { now: 1 })).toEqual([]);
    const results = await store.enqueueAll(
      [{ refund: a!, source: 'x.jsonl:1' }, { refund: b! }, { refund: a! }, { refund: changed }],
      { now: 1 },
    );
    expect(results.map((r) => [r.refundNo, r.outcome, r.versionNo])).toEqual([
      [a!.refundNo, 'new', 1],
      [b!.refundNo, 'new', 1],
      [a!.refundNo, 'duplicate', 1],
      [a!.refundNo, 'new-version', 2],
    ]);
    expect(await store.refundTotals()).toEqual({ refunds: 2, versions: 3 });
    // One transaction: a chunk that fails part-way stores nothing of it.
    const [c] = sampleRefunds(3, 9, 'TX');
    const broken = { ...c!, lines: undefined } as unknown as typeof c;
    await expect(store.enqueueAll([{ refund: c! }, { refund: broken! }], { now: 2 })).rejects.toThrow();
    expect(await store.refundTotals()).toEqual({ refunds: 2, versions: 3 });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT source FROM refunds WHERE refund_no = ?').get(a!.refundNo)).toEqual({
      source: 'x.jsonl:1',
    });
    db.close();
  });

  it('claims versions of one refund in order and hands the delivered version along with a newer one', async () => {
    const { store } = freshStore();
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
    const { store } = freshStore();
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
    const { path, store } = freshStore();
    await store.open({ now: 0 });
    for (const refund of sampleRefunds(5)) await store.enqueue(refund, { now: 1 });
    const claimed = await store.claim('kingdee', { ...claimAll, maxRefunds: 3 });
    expect(claimed).toHaveLength(3);
    await store.close();
    const reopened = openSqliteOutbox({ path });
    expect(await reopened.open({ now: 50 })).toEqual({ recovered: 3 });
    expect((await reopened.counts()).kingdee).toMatchObject({ pending: 5, in_flight: 0 });
    await reopened.close();
  });

  it('records a batch of results in one transaction: every one of them, or none', async () => {
    const { store } = freshStore();
    await store.open({ now: 0 });
    for (const refund of sampleRefunds(4)) await store.enqueue(refund, { now: 1 });
    const claimed = await store.claim('kingdee', { ...claimAll, maxRefunds: 4 });
    expect(claimed).toHaveLength(4);
    const [a, b, c, d] = claimed;
    const results = [
      { id: a!.id, result: { kind: 'delivered', alreadyThere: false, vendorResult: { n: 1 } } as const },
      { id: b!.id, result: { kind: 'retry', nextAttemptAt: 500, errorCode: 'SERVER', errorMessage: 'x' } as const },
      { id: c!.id, result: { kind: 'failed', errorCode: 'BUSINESS', errorMessage: 'no' } as const },
      { id: d!.id, result: { kind: 'release' } as const },
    ];
    // Something going wrong after every row is written and before the commit leaves all four in flight.
    await expect(
      store.recordAll(results, {
        now: 20,
        beforeCommit: () => {
          throw new Error('stopped before the commit');
        },
      }),
    ).rejects.toThrow('stopped before the commit');
    expect((await store.counts()).kingdee).toMatchObject({ in_flight: 4, delivered: 0, pending: 0, failed: 0 });

    let committedOnce = 0;
    await store.recordAll(results, { now: 20, beforeCommit: () => committedOnce++ });
    expect(committedOnce).toBe(1);
    expect((await store.counts()).kingdee).toMatchObject({ in_flight: 0, delivered: 1, pending: 2, failed: 1 });
    const byNo = new Map((await store.listDeliveries()).map((row) => [`${row.refundNo}/${row.vendor}`, row]));
    // The released delivery's attempt is not counted and it is due at once; the retried one waits for its time.
    expect(byNo.get(`${d!.refundNo}/kingdee`)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(byNo.get(`${b!.refundNo}/kingdee`)).toMatchObject({ state: 'pending', attempts: 1, errorCode: 'SERVER' });
    expect(await store.nextPendingAt('kingdee')).toBe(20);
    // A result for a delivery that is no longer in flight changes nothing, and an empty batch does nothing.
    await store.recordAll([{ id: a!.id, result: { kind: 'release' } }], { now: 30 });
    await store.recordAll([], { now: 30, beforeCommit: () => committedOnce++ });
    expect(committedOnce).toBe(1);
    expect((await store.counts()).kingdee).toMatchObject({ delivered: 1 });
    await store.close();
  });

  it('requeues failed and dead deliveries, except versions a newer delivered one overtook', async () => {
    const { store } = freshStore();
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

  it('refuses a second relay while the holder of the outbox is alive', async () => {
    const { path, store } = freshStore();
    await store.close();
    // A live process that is not us: a sleeping child.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const db = new Database(path);
      db.prepare('INSERT INTO relay_lease (id, host, pid, acquired_at) VALUES (1, ?, ?, 0)').run(
        (await import('node:os')).hostname(),
        child.pid,
      );
      db.close();
      const second = openSqliteOutbox({ path });
      await expect(second.open({ now: 1 })).rejects.toThrow(/another refund-relay/);
      await second.close();
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    const third = openSqliteOutbox({ path });
    await expect(third.open({ now: 2 })).resolves.toEqual({ recovered: 0 });
    await third.close();
  });
});
