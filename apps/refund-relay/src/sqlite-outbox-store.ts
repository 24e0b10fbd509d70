import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { Refund } from '@refundkit/refund-model';
import Database from 'better-sqlite3';
import { pickBatch } from './claim-batch.js';
import { AWAITING } from './lifecycle.js';
import type {
  ClaimedDelivery,
  ClaimOptions,
  DeliveryCounts,
  DeliveryFailure,
  DeliveryRecord,
  DeliveryResult,
  DeliveryState,
  EnqueueInput,
  EnqueueResult,
  OutboxStore,
  PurgeResult,
  RecordedResult,
  Vendor,
} from './outbox-store.js';
import { DELIVERY_STATES, VENDORS } from './outbox-store.js';
import { printablePath } from './printable-path.js';
import { canonicalRefundJson, purgedRefundBody, refundContentHash } from './refund-content.js';
import { type DeliveryKey, SQLITE_LIFECYCLE_MIGRATION, sqliteLifecycle } from './sqlite-lifecycle.js';

/**
 * The schema, one step per entry: entry `i` takes the database from `user_version` i to i + 1. Steps are only ever
 * appended; a released step is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE refunds (
    refund_no    TEXT    NOT NULL,
    version_no   INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    shop_code    TEXT    NOT NULL,
    line_count   INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    source       TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (refund_no, version_no)
  );
  CREATE TABLE deliveries (
    id                 INTEGER PRIMARY KEY,
    refund_no          TEXT    NOT NULL,
    version_no         INTEGER NOT NULL,
    vendor             TEXT    NOT NULL CHECK (vendor IN ('kingdee', 'wangdian')),
    state              TEXT    NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed', 'dead')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    INTEGER NOT NULL,
    last_error_code    TEXT,
    last_error_message TEXT,
    vendor_result      TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (refund_no, vendor, version_no),
    FOREIGN KEY (refund_no, version_no) REFERENCES refunds (refund_no, version_no)
  );
  CREATE INDEX deliveries_due ON deliveries (vendor, state, next_attempt_at);
  `,
  `
  ALTER TABLE deliveries ADD COLUMN solo INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE deliveries ADD COLUMN already_there INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE relay_lease (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    host        TEXT    NOT NULL,
    pid         INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE refunds ADD COLUMN purged_at INTEGER;
  `,
  SQLITE_LIFECYCLE_MIGRATION,
];

/** The schema version this build writes; a database with a higher `user_version` is refused. */
export const OUTBOX_SCHEMA_VERSION = MIGRATIONS.length;

/** Options of `openSqliteOutbox`. */
export interface SqliteOutboxOptions {
  /** The database file; its folder is created when missing. */
  path: string;
  /** Open without taking the relay's hold or migrating (for `status`). The file must exist. */
  readonly?: boolean;
  /**
   * Use a database file (or its `-wal`/`-shm` file) that users other than its owner may read. Refused by default: the
   * outbox holds buyers' personal data.
   */
  allowSharedFile?: boolean;
}

/** Thrown when the outbox file cannot be opened (missing for `status`, not a database, no permission); names it. */
export class OutboxOpenError extends Error {
  override name = 'OutboxOpenError';
}

/** Thrown when the outbox file, or its `-wal`/`-shm` file, can be read by other users and that was not allowed. */
export class SharedOutboxFileError extends Error {
  override name = 'SharedOutboxFileError';
}

/** Permission bits that let users other than the owner read a file. */
const READABLE_BY_OTHERS = 0o044;

/**
 * Makes sure the outbox's files are private to their owner before SQLite opens them: a missing folder is created
 * 0700 and a missing database file 0600 (SQLite gives its `-wal` and `-shm` files the database file's mode); an
 * existing file that group or others may read is refused unless `allowShared`. POSIX modes only: skipped on Windows.
 */
function guardOutboxFiles(path: string, options: { create: boolean; allowShared: boolean }): void {
  // No file at all: SQLite's in-memory (`:memory:`) and temporary (`''`) databases.
  if (process.platform === 'win32' || path === ':memory:' || path === '') return;
  if (options.create) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (options.allowShared) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & READABLE_BY_OTHERS) !== 0) {
      throw new SharedOutboxFileError(
        `${printablePath(file)} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}) and the outbox holds buyers' ` +
          `personal data: run chmod 600 on it (and its -wal and -shm files), or pass --allow-shared-database-file ` +
          'to use it as it is',
      );
    }
  }
}

/** Keeps the `-wal` and `-shm` files at the database file's owner-only mode, whoever created them. */
function restrictSideFiles(path: string): void {
  if (process.platform === 'win32' || path === ':memory:' || path === '') return;
  for (const file of [`${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

/** What the delivered and final marks answer of the delivery they changed: its lifecycle key. */
const DELIVERY_KEY = 'refund_no AS refundNo, version_no AS versionNo, vendor';
interface CandidateRow {
  id: number;
  refund_no: string;
  version_no: number;
  attempts: number;
  solo: number;
  shop_code: string;
  line_count: number;
}

/**
 * Opens (creating and migrating when needed) the SQLite outbox at `path`: WAL journal, foreign keys on, schema
 * migrated step by step inside transactions with `PRAGMA user_version` as the version. The result implements
 * `OutboxStore`; call `open()` before delivering.
 *
 * @example
 * const store = openSqliteOutbox({ path: 'refund-relay.db' });
 * await store.open({ now: Date.now() });
 */
export function openSqliteOutbox(options: SqliteOutboxOptions): OutboxStore & { readonly path: string } {
  if (options.readonly && !existsSync(options.path)) {
    throw new OutboxOpenError(`no outbox at ${printablePath(options.path)} (nothing pushed there yet? see --db)`);
  }
  guardOutboxFiles(options.path, { create: !options.readonly, allowShared: options.allowSharedFile ?? false });
  let db: Database.Database;
  try {
    db = new Database(options.path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OutboxOpenError(`cannot open the outbox ${printablePath(options.path)}: ${reason}`, { cause: error });
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      if (!options.allowSharedFile) restrictSideFiles(options.path);
    } else if (Number(db.pragma('user_version', { simple: true })) > OUTBOX_SCHEMA_VERSION) {
      throw new Error(newerSchemaMessage(options.path));
    }
  } catch (error) {
    db.close();
    if (!String((error as { code?: unknown }).code).startsWith('SQLITE_')) throw error;
    const reason = (error as Error).message;
    throw new OutboxOpenError(`cannot open the outbox ${printablePath(options.path)}: ${reason}`, { cause: error });
  }
  let holding = false;

  const latestVersion = db.prepare<[string], { version_no: number }>(
    'SELECT version_no FROM refunds WHERE refund_no = ? ORDER BY version_no DESC LIMIT 1',
  );
  const sameContent = db.prepare<[string, string], { version_no: number }>(
    'SELECT version_no FROM refunds WHERE refund_no = ? AND content_hash = ? ORDER BY version_no DESC LIMIT 1',
  );
  const insertRefund = db.prepare(
    `INSERT INTO refunds (refund_no, version_no, content_hash, shop_code, line_count, body, source, created_at)
     VALUES (@refundNo, @versionNo, @hash, @shopCode, @lineCount, @body, @source, @now)`,
  );
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (refund_no, version_no, vendor, state, next_attempt_at, created_at, updated_at)
     VALUES (@refundNo, @versionNo, @vendor, 'pending', @now, @now, @now)`,
  );
  const candidates = db.prepare<[{ vendor: Vendor; now: number; limit: number }], CandidateRow>(
    `SELECT d.id, d.refund_no, d.version_no, d.attempts, d.solo, r.shop_code, r.line_count
       FROM deliveries d JOIN refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
      WHERE d.vendor = @vendor AND d.state = 'pending' AND d.next_attempt_at <= @now
        AND NOT EXISTS (SELECT 1 FROM deliveries e
                         WHERE e.refund_no = d.refund_no AND e.vendor = d.vendor AND e.version_no < d.version_no
                           AND e.state IN ('pending', 'in_flight'))
      ORDER BY d.next_attempt_at, d.id
      LIMIT @limit`,
  );
  // When `claim` can next take something: the earliest pending delivery that no earlier version of the same refund
  // still holds back (the same rule as `candidates`), so a blocked newer version never reads as work already due.
  const nextPending = db.prepare<[Vendor], { at: number | null }>(
    `SELECT MIN(d.next_attempt_at) AS at FROM deliveries d
      WHERE d.vendor = ? AND d.state = 'pending'
        AND NOT EXISTS (SELECT 1 FROM deliveries e
                         WHERE e.refund_no = d.refund_no AND e.vendor = d.vendor AND e.version_no < d.version_no
                           AND e.state IN ('pending', 'in_flight'))`,
  );
  const refundBody = db.prepare<[string, number], { body: string; contentHash: string }>(
    'SELECT body, content_hash AS contentHash FROM refunds WHERE refund_no = ? AND version_no = ?',
  );
  const markInFlight = db.prepare(
    `UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`,
  );
  const previousDelivered = db.prepare<[string, Vendor, number], { body: string }>(
    `SELECT r.body FROM deliveries d JOIN refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
      WHERE d.refund_no = ? AND d.vendor = ? AND d.version_no < ? AND d.state = 'delivered' AND r.purged_at IS NULL
      ORDER BY d.version_no DESC LIMIT 1`,
  );
  const recordDelivered = db.prepare<[Record<string, unknown>], DeliveryKey>(
    `UPDATE deliveries SET state = 'delivered', already_there = @alreadyThere, vendor_result = @vendorResult,
            last_error_code = NULL, last_error_message = NULL, solo = 0, updated_at = @now
      WHERE id = @id AND state = 'in_flight'
  RETURNING ${DELIVERY_KEY}`,
  );
  const recordRetry = db.prepare(
    `UPDATE deliveries SET state = 'pending', next_attempt_at = @nextAttemptAt, last_error_code = @errorCode,
            last_error_message = @errorMessage, updated_at = @now
      WHERE id = @id AND state = 'in_flight'`,
  );
  const recordFinal = db.prepare<[Record<string, unknown>], DeliveryKey>(
    `UPDATE deliveries SET state = @state, last_error_code = @errorCode, last_error_message = @errorMessage,
            updated_at = @now
      WHERE id = @id AND state = 'in_flight'
  RETURNING ${DELIVERY_KEY}`,
  );
  const recordIsolate = db.prepare(
    `UPDATE deliveries SET state = 'pending', solo = 1, attempts = attempts - 1, updated_at = @now
      WHERE id = @id AND state = 'in_flight'`,
  );
  const recordRelease = db.prepare(
    `UPDATE deliveries SET state = 'pending', attempts = attempts - 1, next_attempt_at = @now, updated_at = @now
      WHERE id = @id AND state = 'in_flight'`,
  );

  const lifecycle = sqliteLifecycle(db);
  const writeResult = (id: number, result: DeliveryResult, now: number): void => {
    switch (result.kind) {
      case 'delivered': {
        // A delivery's first lifecycle observation goes with its delivered mark, in its transaction; the update
        // answers the delivery's key (none when it was not in flight), so no second read per delivery.
        const key = recordDelivered.get({
          id,
          now,
          alreadyThere: result.alreadyThere ? 1 : 0,
          vendorResult: result.vendorResult === undefined ? null : JSON.stringify(result.vendorResult),
        });
        if (key) lifecycle.apply(key, result.observation ?? AWAITING, now, now);
        return;
      }
      case 'retry':
        recordRetry.run({
          id,
          now,
          nextAttemptAt: result.nextAttemptAt,
          errorCode: result.errorCode,
          errorMessage: result.errorMessage,
        });
        return;
      case 'failed':
      case 'dead': {
        // A vendor-refused delivery's observation goes with its failed mark, in its transaction.
        const key = recordFinal.get({
          id,
          now,
          state: result.kind,
          errorCode: result.errorCode,
          errorMessage: result.errorMessage,
        });
        if (key && result.kind === 'failed' && result.observation) lifecycle.apply(key, result.observation, now, now);
        return;
      }
      case 'isolate':
        recordIsolate.run({ id, now });
        return;
      case 'release':
        recordRelease.run({ id, now });
        return;
    }
  };
  // One transaction for every result of a batch: durable all together at the commit, or (killed before it) not at
  // all, in which case every one of them is still in flight and is recovered and sent again.
  const recordAllTx = db.transaction(
    (results: readonly RecordedResult[], now: number, beforeCommit: (() => void) | undefined) => {
      for (const { id, result } of results) writeResult(id, result, now);
      beforeCommit?.();
    },
  );

  const enqueueOne = (refund: Refund, now: number, source: string | undefined): EnqueueResult => {
    const body = canonicalRefundJson(refund);
    const hash = refundContentHash(body);
    const seen = sameContent.get(refund.refundNo, hash);
    if (seen) return { outcome: 'duplicate', refundNo: refund.refundNo, versionNo: seen.version_no };
    const latest = latestVersion.get(refund.refundNo);
    const versionNo = (latest?.version_no ?? 0) + 1;
    insertRefund.run({
      refundNo: refund.refundNo,
      versionNo,
      hash,
      shopCode: refund.shopCode,
      lineCount: refund.lines.length,
      body,
      source: source ?? null,
      now,
    });
    for (const vendor of VENDORS) insertDelivery.run({ refundNo: refund.refundNo, versionNo, vendor, now });
    return { outcome: latest ? 'new-version' : 'new', refundNo: refund.refundNo, versionNo };
  };
  const enqueueTx = db.transaction(enqueueOne);
  const enqueueAllTx = db.transaction((inputs: readonly EnqueueInput[], now: number) =>
    inputs.map((input) => enqueueOne(input.refund, now, input.source)),
  );

  const claimTx = db.transaction((vendor: Vendor, claim: ClaimOptions): ClaimedDelivery[] => {
    // Candidates are read one by one, without their bodies, and only until the batch is full; only the picked ones'
    // bodies are read. Up to four times `maxRefunds` are looked at to fill a batch by shop and lines.
    const rows = candidates.iterate({ vendor, now: claim.now, limit: Math.max(claim.maxRefunds * 4, 50) });
    return pickBatch(rows, claim).map((row) => {
      markInFlight.run(claim.now, row.id);
      const previous = row.version_no > 1 ? previousDelivered.get(row.refund_no, vendor, row.version_no) : undefined;
      return {
        id: row.id,
        refundNo: row.refund_no,
        versionNo: row.version_no,
        vendor,
        attempts: row.attempts + 1,
        ...refundBody.get(row.refund_no, row.version_no)!,
        ...(previous ? { previousDeliveredBody: previous.body } : {}),
      };
    });
  });

  // Refunds final at both vendors (nothing pending, in flight or dead; the latest version delivered or refused for
  // good at each vendor) whose last delivery change is older than `before`, with a version not yet purged.
  const purgeable = db.prepare<[{ before: number }], { refund_no: string }>(
    `WITH latest AS (SELECT refund_no, MAX(version_no) AS version_no FROM refunds GROUP BY refund_no)
     SELECT d.refund_no FROM deliveries d JOIN latest l ON l.refund_no = d.refund_no
      GROUP BY d.refund_no
     HAVING MAX(d.updated_at) < @before
        AND SUM(d.state IN ('pending', 'in_flight')) = 0
        AND SUM(d.version_no = l.version_no AND d.state NOT IN ('delivered', 'failed')) = 0
        AND EXISTS (SELECT 1 FROM refunds r WHERE r.refund_no = d.refund_no AND r.purged_at IS NULL)`,
  );
  const unpurgedVersions = db.prepare<[string], { version_no: number; body: string }>(
    'SELECT version_no, body FROM refunds WHERE refund_no = ? AND purged_at IS NULL',
  );
  const purgeVersion = db.prepare(
    'UPDATE refunds SET body = @body, purged_at = @now WHERE refund_no = @refundNo AND version_no = @versionNo',
  );
  const dropVendorResults = db.prepare('UPDATE deliveries SET vendor_result = NULL WHERE refund_no = ?');
  const purgeTx = db.transaction((before: number, now: number): PurgeResult => {
    const result: PurgeResult = { refunds: 0, versions: 0 };
    for (const { refund_no: refundNo } of purgeable.all({ before })) {
      for (const version of unpurgedVersions.all(refundNo)) {
        purgeVersion.run({ refundNo, versionNo: version.version_no, body: purgedRefundBody(version.body), now });
        result.versions++;
      }
      dropVendorResults.run(refundNo);
      result.refunds++;
    }
    return result;
  });

  const openTx = db.transaction((now: number) => {
    const lease = db.prepare<[], { host: string; pid: number }>('SELECT host, pid FROM relay_lease WHERE id = 1').get();
    if (lease && lease.pid !== process.pid && leaseHolderAlive(lease)) {
      throw new Error(
        `another refund-relay (pid ${lease.pid} on ${lease.host}) is delivering from ${options.path}; ` +
          'wait for it to finish (one relay per SQLite outbox)',
      );
    }
    db.prepare(
      `INSERT INTO relay_lease (id, host, pid, acquired_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, acquired_at = excluded.acquired_at`,
    ).run(hostname(), process.pid, now);
    const recovered = db
      .prepare(`UPDATE deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = 'in_flight'`)
      .run(now, now).changes;
    return { recovered };
  });

  return {
    path: options.path,
    async enqueue(refund, { now, source }) {
      return enqueueTx(refund, now, source);
    },
    async enqueueAll(inputs, { now }) {
      return inputs.length === 0 ? [] : enqueueAllTx.immediate(inputs, now);
    },
    async open({ now }) {
      const result = openTx.immediate(now);
      holding = true;
      return result;
    },
    async claim(vendor, claim) {
      // Committed before this returns, so the in-flight marks (and attempts) of the whole batch are in the WAL before
      // the scheduler makes any of its calls: a crash from here on finds them in flight and sends them again.
      return claimTx.immediate(vendor, claim);
    },
    async record(id, result, { now }) {
      recordAllTx.immediate([{ id, result }], now, undefined);
    },
    async recordAll(results, { now, beforeCommit }) {
      if (results.length > 0) recordAllTx.immediate(results, now, beforeCommit);
    },
    async nextPendingAt(vendor) {
      return nextPending.get(vendor)?.at ?? undefined;
    },
    async counts() {
      const counts = Object.fromEntries(
        VENDORS.map((vendor) => [vendor, Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0]))]),
      ) as DeliveryCounts;
      const rows = db
        .prepare<[], { vendor: Vendor; state: DeliveryState; n: number }>(
          'SELECT vendor, state, COUNT(*) AS n FROM deliveries GROUP BY vendor, state',
        )
        .all();
      for (const row of rows) counts[row.vendor][row.state] = row.n;
      return counts;
    },
    async alreadyThereCounts() {
      const counts: Record<Vendor, number> = { kingdee: 0, wangdian: 0 };
      const rows = db
        .prepare<[], { vendor: Vendor; n: number }>(
          `SELECT vendor, COUNT(*) AS n FROM deliveries WHERE state = 'delivered' AND already_there = 1 GROUP BY vendor`,
        )
        .all();
      for (const row of rows) counts[row.vendor] = row.n;
      return counts;
    },
    async failures() {
      return db
        .prepare<[], DeliveryFailure>(
          `SELECT refund_no AS refundNo, version_no AS versionNo, vendor, state, attempts,
                  last_error_code AS errorCode, last_error_message AS errorMessage, updated_at AS updatedAt
             FROM deliveries WHERE state IN ('failed', 'dead') ORDER BY updated_at DESC, id DESC`,
        )
        .all();
    },
    async requeueFailed({ now, vendor }) {
      return db
        .prepare(
          `UPDATE deliveries SET state = 'pending', attempts = 0, solo = 0, next_attempt_at = @now, updated_at = @now
            WHERE state IN ('failed', 'dead') AND (@vendor IS NULL OR vendor = @vendor)
              AND NOT EXISTS (SELECT 1 FROM deliveries n
                               WHERE n.refund_no = deliveries.refund_no AND n.vendor = deliveries.vendor
                                 AND n.version_no > deliveries.version_no AND n.state = 'delivered')
              AND NOT EXISTS (SELECT 1 FROM refunds r
                               WHERE r.refund_no = deliveries.refund_no AND r.version_no = deliveries.version_no
                                 AND r.purged_at IS NOT NULL)`,
        )
        .run({ now, vendor: vendor ?? null }).changes;
    },
    async purgePersonalData({ before, now }) {
      return purgeTx.immediate(before, now);
    },
    async listDeliveries() {
      return db
        .prepare<[], Omit<DeliveryRecord, 'alreadyThere'> & { alreadyThere: number }>(
          `SELECT d.refund_no AS refundNo, d.version_no AS versionNo, d.vendor, d.state, d.attempts,
                  d.already_there AS alreadyThere, d.last_error_code AS errorCode,
                  d.last_error_message AS errorMessage, r.body
             FROM deliveries d JOIN refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
            ORDER BY d.refund_no, d.version_no, d.vendor`,
        )
        .all()
        .map((row) => ({ ...row, alreadyThere: row.alreadyThere === 1 }));
    },
    async refundTotals() {
      const row = db
        .prepare<[], { refunds: number; versions: number }>(
          'SELECT COUNT(DISTINCT refund_no) AS refunds, COUNT(*) AS versions FROM refunds',
        )
        .get();
      return { refunds: row?.refunds ?? 0, versions: row?.versions ?? 0 };
    },
    async recordObservations(observations, recordOptions) {
      return lifecycle.recordObservations(observations, recordOptions);
    },
    async followCandidates(vendor) {
      return lifecycle.followCandidates(vendor);
    },
    async followCursor(vendor, feed) {
      return lifecycle.followCursor(vendor, feed);
    },
    async lifecycleCounts() {
      return lifecycle.lifecycleCounts();
    },
    async oldestInProgress() {
      return lifecycle.oldestInProgress();
    },
    async lifecycleHistory(refundNo) {
      return lifecycle.lifecycleHistory(refundNo);
    },
    async lifecycleRows(rowOptions = {}) {
      return lifecycle.lifecycleRows(rowOptions);
    },
    async close() {
      if (!db.open) return;
      if (holding) db.prepare('DELETE FROM relay_lease WHERE id = 1 AND pid = ?').run(process.pid);
      holding = false;
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) throw new Error(newerSchemaMessage(db.name));
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

function newerSchemaMessage(path: string): string {
  return `${path} was written by a newer refund-relay (schema newer than ${OUTBOX_SCHEMA_VERSION}); upgrade refund-relay`;
}

/** Whether the process holding the lease still runs; a lease from another host is assumed alive. */
function leaseHolderAlive(lease: { host: string; pid: number }): boolean {
  if (lease.host !== hostname()) return true;
  try {
    process.kill(lease.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
