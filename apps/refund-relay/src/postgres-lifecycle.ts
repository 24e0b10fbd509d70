import type pg from 'pg';
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
  type StoredObservation,
  stableJson,
} from './lifecycle.js';
import { VENDORS, type Vendor } from './outbox-store.js';

/**
 * The PostgreSQL schema step that adds the lifecycle records: the current lifecycle per delivered version and
 * vendor, the append-only observations, the follower's feed positions, and `refund_relay_observe`, which applies
 * one observation in one round trip (appended and made current only when it changes the current lifecycle).
 */
export const POSTGRES_LIFECYCLE_MIGRATION = `
  CREATE TABLE refund_relay_lifecycle (
    refund_no     text    NOT NULL,
    version_no    integer NOT NULL,
    vendor        text    NOT NULL CHECK (vendor IN ('kingdee', 'wangdian')),
    state         text    NOT NULL
                  CHECK (state IN ('awaiting', 'in_progress', 'done', 'refused', 'missing', 'different')),
    stage         text,
    vendor_status text,
    reason        text,
    differences   text    NOT NULL DEFAULT '[]',
    detail        text    NOT NULL DEFAULT '{}',
    delivered_at  bigint  NOT NULL,
    state_since   bigint  NOT NULL,
    seen_at       bigint  NOT NULL,
    PRIMARY KEY (refund_no, vendor, version_no),
    FOREIGN KEY (refund_no, version_no) REFERENCES refund_relay_refunds (refund_no, version_no)
  );
  CREATE INDEX refund_relay_lifecycle_open ON refund_relay_lifecycle (vendor, state, delivered_at);
  CREATE TABLE refund_relay_observations (
    id            bigserial PRIMARY KEY,
    refund_no     text    NOT NULL,
    version_no    integer NOT NULL,
    vendor        text    NOT NULL,
    state         text    NOT NULL,
    stage         text,
    vendor_status text,
    reason        text,
    differences   text    NOT NULL,
    detail        text    NOT NULL,
    seen_at       bigint  NOT NULL
  );
  CREATE INDEX refund_relay_observations_refund ON refund_relay_observations (refund_no, id);
  CREATE TABLE refund_relay_follow_cursors (
    vendor text   NOT NULL,
    feed   text   NOT NULL,
    until  bigint NOT NULL,
    PRIMARY KEY (vendor, feed)
  );
  INSERT INTO refund_relay_lifecycle (refund_no, version_no, vendor, state, delivered_at, state_since, seen_at)
    SELECT refund_no, version_no, vendor, 'awaiting', updated_at, updated_at, updated_at
      FROM refund_relay_deliveries WHERE state = 'delivered';
  INSERT INTO refund_relay_observations (refund_no, version_no, vendor, state, differences, detail, seen_at)
    SELECT refund_no, version_no, vendor, 'awaiting', '[]', '{}', updated_at
      FROM refund_relay_deliveries WHERE state = 'delivered' ORDER BY id;
  CREATE FUNCTION refund_relay_observe(p_refund_no text, p_version_no integer, p_vendor text, p_state text,
                                       p_stage text, p_vendor_status text, p_reason text, p_differences text,
                                       p_detail text, p_now bigint, p_delivered_at bigint)
  RETURNS boolean LANGUAGE plpgsql AS $$
  DECLARE
    cur refund_relay_lifecycle%ROWTYPE;
  BEGIN
    SELECT * INTO cur FROM refund_relay_lifecycle
     WHERE refund_no = p_refund_no AND vendor = p_vendor AND version_no = p_version_no FOR UPDATE;
    IF NOT FOUND THEN
      IF p_delivered_at IS NULL THEN
        RETURN false;
      END IF;
      INSERT INTO refund_relay_lifecycle (refund_no, version_no, vendor, state, stage, vendor_status, reason,
                                          differences, detail, delivered_at, state_since, seen_at)
      VALUES (p_refund_no, p_version_no, p_vendor, p_state, p_stage, p_vendor_status, p_reason, p_differences,
              p_detail, p_delivered_at, p_now, p_now);
    ELSE
      IF p_delivered_at IS NULL AND EXISTS (SELECT 1 FROM refund_relay_lifecycle n
                                             WHERE n.refund_no = p_refund_no AND n.vendor = p_vendor
                                               AND n.version_no > p_version_no) THEN
        RETURN false;
      END IF;
      IF cur.state = p_state AND cur.stage IS NOT DISTINCT FROM p_stage
         AND cur.vendor_status IS NOT DISTINCT FROM p_vendor_status AND cur.reason IS NOT DISTINCT FROM p_reason
         AND cur.differences = p_differences AND cur.detail = p_detail THEN
        RETURN false;
      END IF;
      UPDATE refund_relay_lifecycle
         SET state = p_state, stage = p_stage, vendor_status = p_vendor_status, reason = p_reason,
             differences = p_differences, detail = p_detail, delivered_at = coalesce(p_delivered_at, cur.delivered_at),
             state_since = CASE WHEN cur.state = p_state THEN cur.state_since ELSE p_now END, seen_at = p_now
       WHERE refund_no = p_refund_no AND vendor = p_vendor AND version_no = p_version_no;
    END IF;
    INSERT INTO refund_relay_observations (refund_no, version_no, vendor, state, stage, vendor_status, reason,
                                           differences, detail, seen_at)
    VALUES (p_refund_no, p_version_no, p_vendor, p_state, p_stage, p_vendor_status, p_reason, p_differences,
            p_detail, p_now);
    RETURN true;
  END $$;
`;

/** A pool or a client in a transaction. */
type Queryable = Pick<pg.Pool, 'query'>;

interface Key {
  refundNo: string;
  versionNo: number;
  vendor: Vendor;
}

/**
 * Applies one observation (see `refund_relay_observe`) on `db`, inside the caller's transaction when `db` is one;
 * `deliveredAt` is given at delivery, when a version gets its first lifecycle row. Answers whether it was appended.
 */
export async function observePostgres(
  db: Queryable,
  key: Key,
  observation: DeliveryObservation,
  now: number,
  deliveredAt?: number,
): Promise<boolean> {
  const { rows } = await db.query<{ appended: boolean }>(
    'SELECT refund_relay_observe($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS appended',
    [
      key.refundNo,
      key.versionNo,
      key.vendor,
      observation.state,
      observation.stage,
      observation.vendorStatus,
      observation.reason,
      stableJson(observation.differences),
      stableJson(observation.detail),
      now,
      deliveredAt ?? null,
    ],
  );
  return rows[0]?.appended === true;
}

/**
 * Starts the lifecycle of several versions just delivered, in the caller's transaction and in one statement for
 * those without a lifecycle row yet (the usual case: a first delivery); any other goes through `observePostgres`.
 */
export async function startLifecyclesPostgres(
  db: Queryable,
  entries: readonly { key: Key; observation: DeliveryObservation }[],
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  const column = <T>(pick: (entry: (typeof entries)[number]) => T) => entries.map(pick);
  const { rows } = await db.query<{ refund_no: string; vendor: Vendor; version_no: number }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::text[])
         AS v (refund_no, version_no, vendor, state, stage, vendor_status, reason, differences, detail)),
     started AS (
       INSERT INTO refund_relay_lifecycle (refund_no, version_no, vendor, state, stage, vendor_status, reason,
                                           differences, detail, delivered_at, state_since, seen_at)
       SELECT refund_no, version_no, vendor, state, stage, vendor_status, reason, differences, detail, $10, $10, $10
         FROM input
       ON CONFLICT (refund_no, vendor, version_no) DO NOTHING
       RETURNING refund_no, vendor, version_no),
     appended AS (
       INSERT INTO refund_relay_observations (refund_no, version_no, vendor, state, stage, vendor_status, reason,
                                              differences, detail, seen_at)
       SELECT i.refund_no, i.version_no, i.vendor, i.state, i.stage, i.vendor_status, i.reason, i.differences,
              i.detail, $10
         FROM input i JOIN started s USING (refund_no, vendor, version_no))
     SELECT refund_no, vendor, version_no FROM started`,
    [
      column((e) => e.key.refundNo),
      column((e) => e.key.versionNo),
      column((e) => e.key.vendor),
      column((e) => e.observation.state),
      column((e) => e.observation.stage),
      column((e) => e.observation.vendorStatus),
      column((e) => e.observation.reason),
      column((e) => stableJson(e.observation.differences)),
      column((e) => stableJson(e.observation.detail)),
      now,
    ],
  );
  const started = new Set(rows.map((row) => `${row.refund_no}\u0000${row.vendor}\u0000${row.version_no}`));
  for (const { key, observation } of entries) {
    if (started.has(`${key.refundNo}\u0000${key.vendor}\u0000${key.versionNo}`)) continue;
    await observePostgres(db, key, observation, now, now);
  }
}

const NEWEST = `NOT EXISTS (SELECT 1 FROM refund_relay_lifecycle n
                             WHERE n.refund_no = l.refund_no AND n.vendor = l.vendor AND n.version_no > l.version_no)`;
const OPEN_STATES = `('awaiting', 'in_progress', 'missing')`;
const COLUMNS = `l.refund_no, l.version_no, l.vendor, l.state, l.stage, l.vendor_status, l.reason, l.differences,
                 l.detail, l.delivered_at, l.state_since, l.seen_at`;

/** The lifecycle methods of the PostgreSQL outbox over its query and transaction helpers. */
export function postgresLifecycle(
  query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>,
  transaction: <T>(body: (client: pg.PoolClient) => Promise<T>) => Promise<T>,
) {
  return {
    async recordObservations(
      observations: readonly LifecycleObservation[],
      options: { now: number; cursors?: readonly FollowCursor[]; beforeCommit?: () => void },
    ): Promise<{ recorded: number }> {
      const cursors = options.cursors ?? [];
      if (observations.length === 0 && cursors.length === 0) return { recorded: 0 };
      return transaction(async (client) => {
        let recorded = 0;
        for (const { refundNo, versionNo, vendor, ...observation } of observations) {
          if (await observePostgres(client, { refundNo, versionNo, vendor }, observation, options.now)) recorded++;
        }
        for (const cursor of cursors) {
          await client.query(
            `INSERT INTO refund_relay_follow_cursors (vendor, feed, until) VALUES ($1, $2, $3)
             ON CONFLICT (vendor, feed) DO UPDATE SET until = excluded.until`,
            [cursor.vendor, cursor.feed, cursor.until],
          );
        }
        options.beforeCommit?.();
        return { recorded };
      });
    },
    async followCandidates(vendor: Vendor): Promise<FollowCandidate[]> {
      const { rows } = await query<LifecycleRowText & { body: string; vendor_result: string | null }>(
        `SELECT ${COLUMNS}, r.body, d.vendor_result
           FROM refund_relay_lifecycle l
           JOIN refund_relay_refunds r ON r.refund_no = l.refund_no AND r.version_no = l.version_no
           JOIN refund_relay_deliveries d
             ON d.refund_no = l.refund_no AND d.vendor = l.vendor AND d.version_no = l.version_no
          WHERE l.vendor = $1 AND l.state IN ${OPEN_STATES} AND ${NEWEST}
          ORDER BY l.delivered_at, l.refund_no COLLATE "C"`,
        [vendor],
      );
      return rows.map((row) => ({
        ...lifecycleRecordOf(row),
        body: row.body,
        vendorResult: row.vendor_result === null ? undefined : JSON.parse(row.vendor_result),
      }));
    },
    async followCursor(vendor: Vendor, feed: string): Promise<number | undefined> {
      const { rows } = await query<{ until: string }>(
        'SELECT until FROM refund_relay_follow_cursors WHERE vendor = $1 AND feed = $2',
        [vendor, feed],
      );
      return rows[0] === undefined ? undefined : Number(rows[0].until);
    },
    async lifecycleCounts(): Promise<LifecycleCounts> {
      const counts = emptyLifecycleCounts(VENDORS);
      const { rows } = await query<{ vendor: Vendor; state: LifecycleRecord['state']; n: string }>(
        `SELECT l.vendor, l.state, COUNT(*) AS n FROM refund_relay_lifecycle l WHERE ${NEWEST}
          GROUP BY l.vendor, l.state`,
      );
      for (const row of rows) counts[row.vendor][row.state] = Number(row.n);
      return counts;
    },
    async oldestInProgress(): Promise<Partial<Record<Vendor, LifecycleRecord>>> {
      const { rows } = await query<LifecycleRowText>(
        `SELECT DISTINCT ON (l.vendor) ${COLUMNS} FROM refund_relay_lifecycle l
          WHERE l.state IN ${OPEN_STATES} AND ${NEWEST}
          ORDER BY l.vendor, l.state_since, l.refund_no COLLATE "C"`,
      );
      return Object.fromEntries(rows.map((row) => [row.vendor, lifecycleRecordOf(row)]));
    },
    async lifecycleHistory(refundNo: string): Promise<StoredObservation[]> {
      const { rows } = await query<LifecycleRowText>(
        `SELECT refund_no, version_no, vendor, state, stage, vendor_status, reason, differences, detail, seen_at,
                seen_at AS delivered_at, seen_at AS state_since
           FROM refund_relay_observations WHERE refund_no = $1 ORDER BY id`,
        [refundNo],
      );
      return rows.map((row) => {
        const { deliveredAt: _d, stateSince: _s, ...observation } = lifecycleRecordOf(row);
        return observation;
      });
    },
    async lifecycleRows(options: { since?: number } = {}): Promise<LifecycleRecord[]> {
      const { rows } = await query<LifecycleRowText>(
        `SELECT ${COLUMNS} FROM refund_relay_lifecycle l
          WHERE ${NEWEST} AND ($1::bigint IS NULL OR l.delivered_at >= $1)
          ORDER BY l.refund_no COLLATE "C", l.vendor`,
        [options.since ?? null],
      );
      return rows.map(lifecycleRecordOf);
    },
  };
}
