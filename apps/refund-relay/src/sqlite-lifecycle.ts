import type Database from 'better-sqlite3';
import {
  type DeliveryObservation,
  emptyLifecycleCounts,
  type FollowCandidate,
  type FollowCursor,
  type LifecycleCounts,
  type LifecycleObservation,
  type LifecycleRecord,
  type LifecycleRowText,
  lifecycleRecordOf,
  observationKey,
  type StoredObservation,
  stableJson,
} from './lifecycle.js';
import { VENDORS, type Vendor } from './outbox-store.js';

/** The SQLite schema step that adds the lifecycle records (current state, observations, feed positions). */
export const SQLITE_LIFECYCLE_MIGRATION = `
  CREATE TABLE lifecycle (
    refund_no     TEXT    NOT NULL,
    version_no    INTEGER NOT NULL,
    vendor        TEXT    NOT NULL CHECK (vendor IN ('kingdee', 'wangdian')),
    state         TEXT    NOT NULL
                  CHECK (state IN ('awaiting', 'in_progress', 'done', 'refused', 'missing', 'different')),
    stage         TEXT,
    vendor_status TEXT,
    reason        TEXT,
    differences   TEXT    NOT NULL DEFAULT '[]',
    detail        TEXT    NOT NULL DEFAULT '{}',
    delivered_at  INTEGER NOT NULL,
    state_since   INTEGER NOT NULL,
    seen_at       INTEGER NOT NULL,
    PRIMARY KEY (refund_no, vendor, version_no),
    FOREIGN KEY (refund_no, version_no) REFERENCES refunds (refund_no, version_no)
  );
  CREATE INDEX lifecycle_open ON lifecycle (vendor, state, delivered_at);
  CREATE TABLE observations (
    id            INTEGER PRIMARY KEY,
    refund_no     TEXT    NOT NULL,
    version_no    INTEGER NOT NULL,
    vendor        TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    stage         TEXT,
    vendor_status TEXT,
    reason        TEXT,
    differences   TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    seen_at       INTEGER NOT NULL
  );
  CREATE INDEX observations_refund ON observations (refund_no, id);
  CREATE TABLE follow_cursors (
    vendor TEXT    NOT NULL,
    feed   TEXT    NOT NULL,
    until  INTEGER NOT NULL,
    PRIMARY KEY (vendor, feed)
  );
  INSERT INTO lifecycle (refund_no, version_no, vendor, state, delivered_at, state_since, seen_at)
    SELECT refund_no, version_no, vendor, 'awaiting', updated_at, updated_at, updated_at
      FROM deliveries WHERE state = 'delivered';
  INSERT INTO observations (refund_no, version_no, vendor, state, differences, detail, seen_at)
    SELECT refund_no, version_no, vendor, 'awaiting', '[]', '{}', updated_at
      FROM deliveries WHERE state = 'delivered' ORDER BY id;
`;

/** Only a refund's newest lifecycle version at a vendor (the newest one the vendor was given) counts. */
const NEWEST = `NOT EXISTS (SELECT 1 FROM lifecycle n
                             WHERE n.refund_no = l.refund_no AND n.vendor = l.vendor AND n.version_no > l.version_no)`;
const OPEN_STATES = `('awaiting', 'in_progress', 'missing')`;

/** Which delivered version at which vendor a row is about. */
export interface DeliveryKey {
  refundNo: string;
  versionNo: number;
  vendor: Vendor;
}

/** The lifecycle half of the SQLite outbox: statements over one open database, prepared on first use. */
export interface SqliteLifecycle {
  /**
   * Applies one observation inside the caller's transaction: appended and made current when it changes the
   * current lifecycle; a version without a lifecycle row gets one only when `deliveredAt` is given (at delivery).
   * Answers whether it was appended.
   */
  apply(key: DeliveryKey, observation: DeliveryObservation, now: number, deliveredAt?: number): boolean;
  recordObservations(
    observations: readonly LifecycleObservation[],
    options: { now: number; cursors?: readonly FollowCursor[]; beforeCommit?: (() => void) | undefined },
  ): { recorded: number };
  followCandidates(vendor: Vendor): FollowCandidate[];
  followCursor(vendor: Vendor, feed: string): number | undefined;
  lifecycleCounts(): LifecycleCounts;
  oldestInProgress(): Partial<Record<Vendor, LifecycleRecord>>;
  lifecycleHistory(refundNo: string): StoredObservation[];
  lifecycleRows(options: { since?: number }): LifecycleRecord[];
}

/**
 * The lifecycle statements of a SQLite outbox. A read-only outbox written by a build before the lifecycle records
 * answers empty lifecycle reads.
 */
export function sqliteLifecycle(db: Database.Database): SqliteLifecycle {
  let prepared: ReturnType<typeof prepare> | undefined;
  const present = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lifecycle'").get() !== undefined;
  let known: boolean | undefined;
  const ready = () => {
    known ??= present();
    if (!known) return undefined;
    prepared ??= prepare(db);
    return prepared;
  };
  const need = () => {
    const statements = ready();
    if (!statements) throw new Error('this outbox has no lifecycle records yet: open it writable once to migrate it');
    return statements;
  };

  const apply: SqliteLifecycle['apply'] = (key, observation, now, deliveredAt) => {
    const s = need();
    // One object literal with every statement's parameters: better-sqlite3 reads named parameters from it several
    // times faster than from an object built by spreading (measured: half the cost of a delivery's lifecycle rows).
    const values = {
      refundNo: key.refundNo,
      versionNo: key.versionNo,
      vendor: key.vendor,
      state: observation.state,
      stage: observation.stage,
      vendorStatus: observation.vendorStatus,
      reason: observation.reason,
      differences: stableJson(observation.differences),
      detail: stableJson(observation.detail),
      now,
      deliveredAt: deliveredAt ?? null,
      stateSince: now,
    };
    // At delivery a version almost never has a lifecycle row yet: try the insert first, read only on a conflict.
    if (deliveredAt !== undefined && s.insertCurrent.run(values).changes > 0) {
      s.insertObservation.run(values);
      return true;
    }
    // Past a delivery's insert, a version without a lifecycle row gets none.
    const current = s.current.get(key);
    if (!current) return false;
    if (deliveredAt === undefined && s.newer.get(key)) return false;
    if (observationKey(lifecycleRecordOf(current)) === observationKey(observation)) return false;
    if (current.state === observation.state) values.stateSince = Number(current.state_since);
    values.deliveredAt = deliveredAt ?? Number(current.delivered_at);
    s.updateCurrent.run(values);
    s.insertObservation.run(values);
    return true;
  };

  const recordTx = db.transaction(
    (
      observations: readonly LifecycleObservation[],
      now: number,
      cursors: readonly FollowCursor[],
      beforeCommit: (() => void) | undefined,
    ) => {
      let recorded = 0;
      for (const { refundNo, versionNo, vendor, ...observation } of observations) {
        if (apply({ refundNo, versionNo, vendor }, observation, now)) recorded++;
      }
      const s = need();
      for (const cursor of cursors) s.setCursor.run(cursor);
      beforeCommit?.();
      return { recorded };
    },
  );

  return {
    apply,
    recordObservations(observations, { now, cursors = [], beforeCommit }) {
      if (observations.length === 0 && cursors.length === 0) return { recorded: 0 };
      return recordTx.immediate(observations, now, cursors, beforeCommit);
    },
    followCandidates(vendor) {
      const s = ready();
      if (!s) return [];
      return s.candidates.all(vendor).map((row) => ({
        ...lifecycleRecordOf(row),
        body: row.body,
        vendorResult: row.vendor_result === null ? undefined : JSON.parse(row.vendor_result),
      }));
    },
    followCursor(vendor, feed) {
      return ready()?.cursor.get(vendor, feed)?.until ?? undefined;
    },
    lifecycleCounts() {
      const counts = emptyLifecycleCounts(VENDORS);
      for (const row of ready()?.counts.all() ?? []) counts[row.vendor][row.state] = row.n;
      return counts;
    },
    oldestInProgress() {
      const oldest: Partial<Record<Vendor, LifecycleRecord>> = {};
      const s = ready();
      if (!s) return oldest;
      for (const vendor of VENDORS) {
        const row = s.oldest.get(vendor);
        if (row) oldest[vendor] = lifecycleRecordOf(row);
      }
      return oldest;
    },
    lifecycleHistory(refundNo) {
      return (ready()?.history.all(refundNo) ?? []).map((row) => {
        const {
          deliveredAt: _d,
          stateSince: _s,
          ...observation
        } = lifecycleRecordOf({
          ...row,
          delivered_at: row.seen_at,
          state_since: row.seen_at,
        });
        return observation;
      });
    },
    lifecycleRows({ since }) {
      return (ready()?.rows.all({ since: since ?? null }) ?? []).map(lifecycleRecordOf);
    },
  };
}

const COLUMNS = `l.refund_no, l.version_no, l.vendor, l.state, l.stage, l.vendor_status, l.reason, l.differences,
                 l.detail, l.delivered_at, l.state_since, l.seen_at`;

function prepare(db: Database.Database) {
  return {
    current: db.prepare<[DeliveryKey], LifecycleRowText>(
      `SELECT ${COLUMNS} FROM lifecycle l
        WHERE l.refund_no = @refundNo AND l.vendor = @vendor AND l.version_no = @versionNo`,
    ),
    newer: db.prepare<[DeliveryKey], { one: number }>(
      `SELECT 1 AS one FROM lifecycle
        WHERE refund_no = @refundNo AND vendor = @vendor AND version_no > @versionNo LIMIT 1`,
    ),
    insertCurrent: db.prepare(
      `INSERT INTO lifecycle (refund_no, version_no, vendor, state, stage, vendor_status, reason, differences, detail,
                              delivered_at, state_since, seen_at)
       VALUES (@refundNo, @versionNo, @vendor, @state, @stage, @vendorStatus, @reason, @differences, @detail,
               @deliveredAt, @stateSince, @now)
       ON CONFLICT (refund_no, vendor, version_no) DO NOTHING`,
    ),
    updateCurrent: db.prepare(
      `UPDATE lifecycle SET state = @state, stage = @stage, vendor_status = @vendorStatus, reason = @reason,
              differences = @differences, detail = @detail, delivered_at = @deliveredAt,
              state_since = @stateSince, seen_at = @now
        WHERE refund_no = @refundNo AND vendor = @vendor AND version_no = @versionNo`,
    ),
    insertObservation: db.prepare(
      `INSERT INTO observations (refund_no, version_no, vendor, state, stage, vendor_status, reason, differences,
                                 detail, seen_at)
       VALUES (@refundNo, @versionNo, @vendor, @state, @stage, @vendorStatus, @reason, @differences, @detail, @now)`,
    ),
    setCursor: db.prepare(
      `INSERT INTO follow_cursors (vendor, feed, until) VALUES (@vendor, @feed, @until)
       ON CONFLICT (vendor, feed) DO UPDATE SET until = excluded.until`,
    ),
    cursor: db.prepare<[Vendor, string], { until: number }>(
      'SELECT until FROM follow_cursors WHERE vendor = ? AND feed = ?',
    ),
    candidates: db.prepare<[Vendor], LifecycleRowText & { body: string; vendor_result: string | null }>(
      `SELECT ${COLUMNS}, r.body, d.vendor_result
         FROM lifecycle l
         JOIN refunds r ON r.refund_no = l.refund_no AND r.version_no = l.version_no
         JOIN deliveries d ON d.refund_no = l.refund_no AND d.vendor = l.vendor AND d.version_no = l.version_no
        WHERE l.vendor = ? AND l.state IN ${OPEN_STATES} AND ${NEWEST}
        ORDER BY l.delivered_at, l.refund_no`,
    ),
    counts: db.prepare<[], { vendor: Vendor; state: LifecycleRecord['state']; n: number }>(
      `SELECT l.vendor, l.state, COUNT(*) AS n FROM lifecycle l WHERE ${NEWEST} GROUP BY l.vendor, l.state`,
    ),
    oldest: db.prepare<[Vendor], LifecycleRowText>(
      `SELECT ${COLUMNS} FROM lifecycle l
        WHERE l.vendor = ? AND l.state IN ${OPEN_STATES} AND ${NEWEST}
        ORDER BY l.state_since, l.refund_no LIMIT 1`,
    ),
    history: db.prepare<[string], Omit<LifecycleRowText, 'delivered_at' | 'state_since'>>(
      `SELECT refund_no, version_no, vendor, state, stage, vendor_status, reason, differences, detail, seen_at
         FROM observations WHERE refund_no = ? ORDER BY id`,
    ),
    rows: db.prepare<[{ since: number | null }], LifecycleRowText>(
      `SELECT ${COLUMNS} FROM lifecycle l
        WHERE ${NEWEST} AND (@since IS NULL OR l.delivered_at >= @since)
        ORDER BY l.refund_no, l.vendor`,
    ),
  };
}
