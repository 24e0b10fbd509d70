import { spawn } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { purgedRefundBody } from './refund-content.js';
import { OUTBOX_SCHEMA_VERSION, openSqliteOutbox, SharedOutboxFileError } from './sqlite-outbox-store.js';
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

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('outbox files hold personal data', () => {
  it('creates the folder 0700 and the database, WAL and SHM files 0600 under an ordinary umask', async () => {
    const previous = process.umask(0o022);
    try {
      const { path, store } = freshStore();
      await store.open({ now: 0 });
      await store.enqueue(sampleRefunds(1)[0]!, { now: 1 });
      expect(modeOf(dirname(path))).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file)).toBe(0o600);
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('refuses a database, WAL or SHM file others can read, naming it and the flag, unless allowed', async () => {
    for (const suffix of ['', '-wal', '-shm']) {
      const { path, store } = freshStore();
      await store.enqueue(sampleRefunds(1)[0]!, { now: 1 });
      const file = `${path}${suffix}`;
      // Close leaves no -wal/-shm behind; make the file to test (SQLite reuses an empty one).
      await store.close();
      if (suffix) writeFileSync(file, '');
      chmodSync(file, 0o644);
      expect(() => openSqliteOutbox({ path })).toThrow(SharedOutboxFileError);
      expect(() => openSqliteOutbox({ path, readonly: true })).toThrow(
        `${file} can be read by other users (mode 0644)`,
      );
      expect(() => openSqliteOutbox({ path })).toThrow(/--allow-shared-database-file/);
      const allowed = openSqliteOutbox({ path, allowSharedFile: true });
      expect((await allowed.refundTotals()).refunds).toBe(1);
      await allowed.close();
    }
  });

  it('makes no file for an in-memory outbox', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = openSqliteOutbox({ path: ':memory:' });
      await store.close();
      expect(existsSync(join(dir, ':memory:'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a group-readable file too, and leaves an owner-only existing file as it is', async () => {
    const { path, store } = freshStore();
    await store.close();
    chmodSync(path, 0o640);
    expect(() => openSqliteOutbox({ path })).toThrow(/mode 0640/);
    chmodSync(path, 0o600);
    const again = openSqliteOutbox({ path });
    await again.close();
    expect(modeOf(path)).toBe(0o600);
  });
});

describe('purgePersonalData', () => {
  const delivered = { kind: 'delivered', alreadyThere: false, vendorResult: { echoed: 'buyer data' } } as const;

  async function deliverAll(store: ReturnType<typeof openSqliteOutbox>, now: number) {
    for (const vendor of ['kingdee', 'wangdian'] as const) {
      for (const claimed of await store.claim(vendor, { ...claimAll, now })) {
        await store.record(claimed.id, delivered, { now });
      }
    }
  }

  it('removes the buyer data of refunds final at both vendors and keeps what exactly-once depends on', async () => {
    const { path, store } = freshStore();
    await store.open({ now: 0 });
    const [done, pending, young] = sampleRefunds(3);
    await store.enqueue(done!, { now: 1 });
    await deliverAll(store, 10);
    await store.enqueue(young!, { now: 20 });
    await deliverAll(store, 30); // final after the first cut-off
    await store.enqueue(pending!, { now: 31 });
    const facts = 'SELECT refund_no, version_no, content_hash, shop_code, line_count FROM refunds ORDER BY refund_no';
    const readFacts = () => {
      const db = new Database(path, { readonly: true });
      const rows = db.prepare(facts).all();
      db.close();
      return rows;
    };
    const before = readFacts();
    expect(await store.purgePersonalData({ before: 11, now: 40 })).toEqual({ refunds: 1, versions: 1 });
    expect(await store.purgePersonalData({ before: 11, now: 41 })).toEqual({ refunds: 0, versions: 0 });
    expect(await store.purgePersonalData({ before: 31, now: 40 })).toEqual({ refunds: 1, versions: 1 });
    expect(await store.purgePersonalData({ before: 1_000, now: 42 })).toEqual({ refunds: 0, versions: 0 });
    expect(readFacts()).toEqual(before);

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT refund_no, body, purged_at FROM refunds').all() as {
      refund_no: string;
      body: string;
      purged_at: number | null;
    }[];
    for (const row of rows) {
      const refund = [done, young, pending].find((r) => r!.refundNo === row.refund_no)!;
      if (row.refund_no === pending!.refundNo) {
        expect(row.purged_at).toBeNull();
        expect(row.body).toContain(refund.buyer.nick);
        continue;
      }
      expect(row.purged_at).toBe(40);
      expect(row.body).toBe(purgedRefundBody(JSON.stringify(refund)));
      expect(row.body).not.toContain(refund.buyer.nick);
      const body = JSON.parse(row.body);
      for (const field of ['buyer', 'reason', 'remark', 'payment', 'logistics']) expect(body).not.toHaveProperty(field);
      expect(body).toMatchObject({ refundNo: refund.refundNo, shopCode: refund.shopCode, orderNo: refund.orderNo });
    }
    expect(
      db
        .prepare('SELECT refund_no, version_no, content_hash, shop_code, line_count FROM refunds ORDER BY refund_no')
        .all(),
    ).toEqual(before);
    expect(
      db
        .prepare('SELECT COUNT(*) AS n FROM deliveries WHERE vendor_result IS NOT NULL AND refund_no = ?')
        .get(pending!.refundNo),
    ).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'delivered'").get()).toEqual({ n: 4 });
    db.close();

    // A re-pushed purged refund is still a duplicate, found by its content hash.
    expect((await store.enqueue(done!, { now: 50 })).outcome).toBe('duplicate');
    await store.close();
  });
});
