import { hostname } from 'node:os';
import { runMigrations, type SchemaMigrations } from '@refundkit/postgres';
import type { Refund } from '@refundkit/refund-model';
import pg from 'pg';
import { pickBatch } from './claim-batch.js';
import { AWAITING, type DeliveryObservation } from './lifecycle.js';
import type {
  ClaimedDelivery,
  ClaimOptions,
  DeliveryCounts,
  DeliveryFailure,
  DeliveryRecord,
  DeliveryResult,
  DeliveryState,
  EnqueueOutcome,
  EnqueueResult,
  OutboxStore,
  Vendor,
} from './outbox-store.js';
import { DELIVERY_STATES, VENDORS } from './outbox-store.js';
import {
  observePostgres,
  POSTGRES_LIFECYCLE_MIGRATION,
  postgresLifecycle,
  startLifecyclesPostgres,
} from './postgres-lifecycle.js';
import { canonicalRefundJson, purgedRefundBody, refundContentHash } from './refund-content.js';

/**
 * The relay's advisory locks (first keys in refundkit's range, see `ADVISORY_LOCKS` of `@refundkit/postgres`): a
 * relay process holds the session lock (WORKERS, its worker id) while it runs, and `enqueue` serialises versions of
 * one refund number with a transaction lock (REFUNDS, hash of the number).
 */
const RELAY_LOCKS = { workers: 0x52_46_4b_10, refunds: 0x52_46_4b_11 } as const;

/** The outbox schema, one step per entry; steps are only ever appended. */
export const POSTGRES_OUTBOX_MIGRATIONS: SchemaMigrations = {
  component: 'refund-relay outbox',
  steps: [
    `
    CREATE TABLE refund_relay_refunds (
      refund_no    text    NOT NULL,
      version_no   integer NOT NULL,
      content_hash text    NOT NULL,
      shop_code    text    NOT NULL,
      line_count   integer NOT NULL,
      body         text    NOT NULL,
      source       text,
      created_at   bigint  NOT NULL,
      PRIMARY KEY (refund_no, version_no)
    );
    CREATE INDEX refund_relay_refunds_content ON refund_relay_refunds (refund_no, content_hash);
    CREATE TABLE refund_relay_workers (
      id         serial PRIMARY KEY,
      host       text    NOT NULL,
      pid        integer NOT NULL,
      started_at bigint  NOT NULL
    );
    CREATE TABLE refund_relay_deliveries (
      id                 bigserial PRIMARY KEY,
      refund_no          text    NOT NULL,
      version_no         integer NOT NULL,
      vendor             text    NOT NULL CHECK (vendor IN ('kingdee', 'wangdian')),
      state              text    NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed', 'dead')),
      attempts           integer NOT NULL DEFAULT 0,
      next_attempt_at    bigint  NOT NULL,
      last_error_code    text,
      last_error_message text,
      vendor_result      text,
      solo               boolean NOT NULL DEFAULT false,
      already_there      boolean NOT NULL DEFAULT false,
      lease_owner        integer,
      lease_until        bigint,
      created_at         bigint  NOT NULL,
      updated_at         bigint  NOT NULL,
      UNIQUE (refund_no, vendor, version_no),
      FOREIGN KEY (refund_no, version_no) REFERENCES refund_relay_refunds (refund_no, version_no)
    );
    CREATE INDEX refund_relay_deliveries_due ON refund_relay_deliveries (vendor, state, next_attempt_at);
    -- Stores a refund version unless one with the same content is stored; one round trip per refund.
    CREATE FUNCTION refund_relay_enqueue(p_refund_no text, p_hash text, p_shop_code text, p_line_count integer,
                                         p_body text, p_source text, p_now bigint, OUT outcome text, OUT version_no integer)
    LANGUAGE plpgsql AS $$
    DECLARE
      latest integer;
    BEGIN
      PERFORM pg_advisory_xact_lock(${RELAY_LOCKS.refunds}, hashtext(p_refund_no));
      SELECT r.version_no INTO version_no FROM refund_relay_refunds r
       WHERE r.refund_no = p_refund_no AND r.content_hash = p_hash ORDER BY r.version_no DESC LIMIT 1;
      IF FOUND THEN
        outcome := 'duplicate';
        RETURN;
      END IF;
      SELECT max(r.version_no) INTO latest FROM refund_relay_refunds r WHERE r.refund_no = p_refund_no;
      version_no := coalesce(latest, 0) + 1;
      outcome := CASE WHEN latest IS NULL THEN 'new' ELSE 'new-version' END;
      INSERT INTO refund_relay_refunds (refund_no, version_no, content_hash, shop_code, line_count, body, source, created_at)
      VALUES (p_refund_no, version_no, p_hash, p_shop_code, p_line_count, p_body, p_source, p_now);
      INSERT INTO refund_relay_deliveries (refund_no, version_no, vendor, state, next_attempt_at, created_at, updated_at)
      VALUES (p_refund_no, version_no, 'kingdee', 'pending', p_now, p_now, p_now),
             (p_refund_no, version_no, 'wangdian', 'pending', p_now, p_now, p_now);
    END $$;
    `,
    // Purged versions: their body holds no buyer data any more (see purgedRefundBody).
    'ALTER TABLE refund_relay_refunds ADD COLUMN purged_at bigint;',
    POSTGRES_LIFECYCLE_MIGRATION,
  ],
};

/** Options of `openPostgresOutbox`. */
export interface PostgresOutboxOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Open without taking part in delivery or migrating (for `status`). */
  readonly?: boolean;
  /**
   * How long a claimed delivery stays this relay's without being renewed, ms (default 30 000). A live relay renews
   * its leases every third of this; a relay that stops renewing (hung, or its host lost) loses them to any other.
   */
  leaseMs?: number;
  /** The longest an idle relay waits before looking again at work other relays hold, ms (default 250). */
  pollMs?: number;
  /** Wall-clock time for lease renewal and polling (default `Date.now`). */
  now?: () => number;
}

/** A pool or a client in a transaction. */
type Queryable = Pick<pg.Pool, 'query'>;

interface CandidateRow {
  id: string;
  refund_no: string;
  version_no: number;
  attempts: number;
  solo: boolean;
  shop_code: string;
  line_count: number;
  body: string;
  content_hash: string;
}

/**
 * The ids of the relay workers alive now: those whose session still holds their advisory lock. A relay that dies
 * (SIGKILL, crash, lost connection) loses its lock when the server ends its session, so its deliveries can be taken
 * over at once, from any host, without waiting for the lease to run out.
 */
const LIVE_WORKERS = `SELECT objid::bigint AS worker FROM pg_locks
                       WHERE locktype = 'advisory' AND classid = ${RELAY_LOCKS.workers}::bigint::oid
                         AND objsubid = 2 AND granted`;

/** A delivery held back by an earlier version of the same refund that is still pending or in flight. */
const BLOCKED_BY_EARLIER = `EXISTS (SELECT 1 FROM refund_relay_deliveries e
                             WHERE e.refund_no = d.refund_no AND e.vendor = d.vendor AND e.version_no < d.version_no
                               AND e.state IN ('pending', 'in_flight'))`;

/**
 * A delivery of vendor $1 that a claim at time $2 by worker $3 may take: pending and due, or in flight with another
 * relay whose lease ran out or who is dead (needs the \`live\` CTE of LIVE_WORKERS); in both cases not held back by
 * an earlier version of the same refund.
 */
const DUE = `d.vendor = $1
  AND ((d.state = 'pending' AND d.next_attempt_at <= $2)
    OR (d.state = 'in_flight' AND d.lease_owner <> $3
        AND (d.lease_until <= $2 OR d.lease_owner NOT IN (SELECT worker FROM live))))
  AND NOT ${BLOCKED_BY_EARLIER}`;

/**
 * Opens the PostgreSQL outbox at `url` (migrating it under an advisory lock, so several relays may start at once),
 * for several relay processes on one or several hosts sharing the work. Each relay registers as a worker and holds a
 * session advisory lock while it runs. `claim` picks due deliveries with `FOR UPDATE SKIP LOCKED`, so concurrent
 * relays never claim the same one, and takes over deliveries whose holder is dead (its lock is gone) or whose lease
 * ran out; `record` only counts for the current holder, so a relay that lost a delivery cannot overwrite the
 * result of the one that took it over. Both vendors are idempotent on the refund number, so a delivery sent again
 * after a takeover is stored once. The result implements `OutboxStore`; call `open()` before delivering.
 *
 * @example
 * const store = openPostgresOutbox({ url: 'postgres://relay@db.internal/refunds' });
 * await store.open({ now: Date.now() });
 */
export function openPostgresOutbox(options: PostgresOutboxOptions): OutboxStore {
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const wallNow = options.now ?? Date.now;
  const pool = new pg.Pool({ connectionString: options.url, max: 8 });
  // A broken idle connection must not crash the relay; the next query reports the problem.
  pool.on('error', () => {});
  const ready = options.readonly ? Promise.resolve() : runMigrations(pool, POSTGRES_OUTBOX_MIGRATIONS);
  ready.catch(() => {});
  let session: pg.Client | undefined;
  let worker: number | undefined;
  let renewal: NodeJS.Timeout | undefined;

  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    await ready;
    return pool.query<R>(text, values);
  };

  const transaction = async <T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    await ready;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const result = await body(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    } finally {
      client.release();
    }
  };

  const me = (): number => {
    if (worker === undefined) throw new Error('the PostgreSQL outbox was not opened; call open() first');
    return worker;
  };

  const renewLeases = async () => {
    if (worker === undefined) return;
    await pool.query(
      `UPDATE refund_relay_deliveries SET lease_until = $2 WHERE state = 'in_flight' AND lease_owner = $1`,
      [worker, wallNow() + leaseMs],
    );
  };

  return {
    async enqueue(refund, { now, source }) {
      await ready;
      return enqueueOne(pool, refund, source, now);
    },

    async enqueueAll(inputs, { now }) {
      if (inputs.length === 0) return [];
      return transaction(async (client) => {
        // Each refund number's lock is held to the commit: take them all first, in one order, so two relays storing
        // overlapping chunks queue behind each other instead of deadlocking.
        await client.query(
          `SELECT pg_advisory_xact_lock(${RELAY_LOCKS.refunds}, h)
             FROM (SELECT DISTINCT hashtext(n) AS h FROM unnest($1::text[]) AS n ORDER BY 1) AS numbers`,
          [inputs.map((input) => input.refund.refundNo)],
        );
        const results: EnqueueResult[] = [];
        for (const input of inputs) results.push(await enqueueOne(client, input.refund, input.source, now));
        return results;
      });
    },

    async open({ now }) {
      if (options.readonly) throw new Error('a read-only outbox cannot be opened for delivery');
      await ready;
      const client = new pg.Client({ connectionString: options.url });
      client.on('error', () => {});
      await client.connect();
      try {
        const { rows } = await client.query<{ id: number }>(
          'INSERT INTO refund_relay_workers (host, pid, started_at) VALUES ($1, $2, $3) RETURNING id',
          [hostname(), process.pid, now],
        );
        const id = rows[0]!.id;
        await client.query('SELECT pg_advisory_lock($1, $2)', [RELAY_LOCKS.workers, id]);
        session = client;
        worker = id;
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      renewal = setInterval(() => void renewLeases().catch(() => {}), Math.max(1, Math.floor(leaseMs / 3)));
      renewal.unref();
      const recovered = await transaction(async (client) => {
        const taken = await client.query(
          `UPDATE refund_relay_deliveries d
              SET state = 'pending', next_attempt_at = $1, lease_owner = NULL, lease_until = NULL, updated_at = $1
            WHERE d.state = 'in_flight'
              AND (d.lease_until <= $1 OR d.lease_owner NOT IN (${LIVE_WORKERS}))`,
          [now],
        );
        await client.query(`DELETE FROM refund_relay_workers WHERE id <> $1 AND id NOT IN (${LIVE_WORKERS})`, [worker]);
        return taken.rowCount ?? 0;
      });
      return { recovered };
    },

    async claim(vendor, claim: ClaimOptions) {
      const owner = me();
      const leaseUntil = wallNow() + leaseMs;
      let picked: CandidateRow[];
      if (claim.maxRefunds === 1) {
        // A batch of one is the first due row: claimed in one statement, skipping rows a concurrent claim locked.
        const { rows } = await query<CandidateRow>(
          `WITH live AS MATERIALIZED (${LIVE_WORKERS}),
                due AS (SELECT d.id FROM refund_relay_deliveries d WHERE ${DUE}
                         ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED)
           UPDATE refund_relay_deliveries u
              SET state = 'in_flight', attempts = u.attempts + 1, lease_owner = $3, lease_until = $4, updated_at = $2
             FROM due, refund_relay_refunds r
            WHERE u.id = due.id AND r.refund_no = u.refund_no AND r.version_no = u.version_no
           RETURNING u.id, u.refund_no, u.version_no, u.attempts - 1 AS attempts, u.solo, r.shop_code, r.line_count,
                     r.body, r.content_hash`,
          [vendor, claim.now, owner, leaseUntil],
        );
        picked = rows;
      } else {
        picked = await transaction(async (client) => {
          // Looks further ahead for rows of the same shop and within the line limit; rows a concurrent claim locked
          // are skipped, not waited for, and those looked at but not picked are free again at commit.
          const { rows } = await client.query<CandidateRow>(
            `WITH live AS MATERIALIZED (${LIVE_WORKERS})
             SELECT d.id, d.refund_no, d.version_no, d.attempts, d.solo, r.shop_code, r.line_count, r.body,
                    r.content_hash
               FROM refund_relay_deliveries d
               JOIN refund_relay_refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
              WHERE ${DUE}
              ORDER BY d.next_attempt_at, d.id
              LIMIT $4
              FOR UPDATE OF d SKIP LOCKED`,
            [vendor, claim.now, owner, Math.max(claim.maxRefunds * 2, 20)],
          );
          const batch = pickBatch(rows, claim);
          if (batch.length > 0) {
            await client.query(
              `UPDATE refund_relay_deliveries
                  SET state = 'in_flight', attempts = attempts + 1, lease_owner = $2, lease_until = $3, updated_at = $4
                WHERE id = ANY($1::bigint[])`,
              [batch.map((row) => row.id), owner, leaseUntil, claim.now],
            );
          }
          return batch;
        });
      }
      if (picked.length === 0) return [];
      const later = picked.filter((row) => row.version_no > 1);
      const previous = new Map<string, string>();
      if (later.length > 0) {
        const found = await query<{ id: string; body: string }>(
          `SELECT DISTINCT ON (c.id) c.id, r.body
             FROM refund_relay_deliveries c
             JOIN refund_relay_deliveries d ON d.refund_no = c.refund_no AND d.vendor = c.vendor
              AND d.version_no < c.version_no AND d.state = 'delivered'
             JOIN refund_relay_refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
              AND r.purged_at IS NULL
            WHERE c.id = ANY($1::bigint[])
            ORDER BY c.id, d.version_no DESC`,
          [later.map((row) => row.id)],
        );
        for (const row of found.rows) previous.set(row.id, row.body);
      }
      return picked.map((row): ClaimedDelivery => {
        const before = previous.get(row.id);
        return {
          id: Number(row.id),
          refundNo: row.refund_no,
          versionNo: row.version_no,
          vendor,
          attempts: row.attempts + 1,
          body: row.body,
          contentHash: row.content_hash,
          ...(before === undefined ? {} : { previousDeliveredBody: before }),
        };
      });
    },

    async record(id, result, { now }) {
      const owner = me();
      await transaction((client) => writeResult(client, owner, id, result, now));
    },

    async recordAll(results, { now, beforeCommit }) {
      if (results.length === 0) return;
      const owner = me();
      await transaction(async (client) => {
        // The common case, a whole upload delivered, is one statement; any other outcome is written one by one.
        const delivered = results.filter(
          (entry): entry is { id: number; result: Extract<DeliveryResult, { kind: 'delivered' }> } =>
            entry.result.kind === 'delivered',
        );
        if (delivered.length > 0) {
          const marked = await client.query<{ id: string; refund_no: string; version_no: number; vendor: Vendor }>(
            `UPDATE refund_relay_deliveries d
                SET state = 'delivered', already_there = v.already_there, vendor_result = v.vendor_result,
                    last_error_code = NULL, last_error_message = NULL, solo = false, lease_owner = NULL,
                    lease_until = NULL, updated_at = $5
               FROM unnest($1::bigint[], $2::boolean[], $3::text[]) AS v (id, already_there, vendor_result)
              WHERE d.id = v.id AND d.state = 'in_flight' AND d.lease_owner = $4
             RETURNING d.id, d.refund_no, d.version_no, d.vendor`,
            [
              delivered.map((entry) => entry.id),
              delivered.map((entry) => entry.result.alreadyThere),
              delivered.map((entry) => vendorResultText(entry.result.vendorResult)),
              owner,
              now,
            ],
          );
          const observations = new Map(delivered.map((entry) => [entry.id, entry.result.observation ?? AWAITING]));
          const starts = marked.rows.map((row) => ({
            key: { refundNo: row.refund_no, versionNo: row.version_no, vendor: row.vendor },
            observation: observations.get(Number(row.id)) ?? AWAITING,
          }));
          await startLifecyclesPostgres(client, starts, now);
        }
        for (const { id, result } of results) {
          if (result.kind !== 'delivered') await writeResult(client, owner, id, result, now);
        }
        beforeCommit?.();
      });
    },

    async nextPendingAt(vendor) {
      // Pending work that no earlier version holds back, and work other relays hold: due when their lease runs out
      // or at once when their holder is dead; looked at again within `pollMs` in any case, since a holder that
      // finishes (or a relay that stores new refunds) says nothing to this one.
      const { rows } = await query<{ at: string | null }>(
        `WITH live AS MATERIALIZED (${LIVE_WORKERS})
         SELECT MIN(CASE
                      WHEN d.state = 'pending' THEN d.next_attempt_at
                      WHEN d.lease_owner IN (SELECT worker FROM live) THEN LEAST(d.lease_until, $3)
                      ELSE d.next_attempt_at
                    END) AS at
           FROM refund_relay_deliveries d
          WHERE d.vendor = $1
            AND (d.state = 'pending' OR (d.state = 'in_flight' AND d.lease_owner IS DISTINCT FROM $2))
            AND NOT ${BLOCKED_BY_EARLIER}`,
        [vendor, worker ?? null, wallNow() + pollMs],
      );
      const at = rows[0]?.at;
      return at === null || at === undefined ? undefined : Number(at);
    },

    async counts() {
      const counts = Object.fromEntries(
        VENDORS.map((vendor) => [vendor, Object.fromEntries(DELIVERY_STATES.map((state) => [state, 0]))]),
      ) as DeliveryCounts;
      const { rows } = await query<{ vendor: Vendor; state: DeliveryState; n: string }>(
        'SELECT vendor, state, COUNT(*) AS n FROM refund_relay_deliveries GROUP BY vendor, state',
      );
      for (const row of rows) counts[row.vendor][row.state] = Number(row.n);
      return counts;
    },

    async alreadyThereCounts() {
      const counts: Record<Vendor, number> = { kingdee: 0, wangdian: 0 };
      const { rows } = await query<{ vendor: Vendor; n: string }>(
        `SELECT vendor, COUNT(*) AS n FROM refund_relay_deliveries
          WHERE state = 'delivered' AND already_there GROUP BY vendor`,
      );
      for (const row of rows) counts[row.vendor] = Number(row.n);
      return counts;
    },

    async failures() {
      const { rows } = await query<DeliveryFailure & { updatedAt: string }>(
        `SELECT refund_no AS "refundNo", version_no AS "versionNo", vendor, state, attempts,
                last_error_code AS "errorCode", last_error_message AS "errorMessage", updated_at AS "updatedAt"
           FROM refund_relay_deliveries WHERE state IN ('failed', 'dead') ORDER BY updated_at DESC, id DESC`,
      );
      return rows.map((row) => ({ ...row, updatedAt: Number(row.updatedAt) }));
    },

    async requeueFailed({ now, vendor }) {
      const result = await query(
        `UPDATE refund_relay_deliveries d
            SET state = 'pending', attempts = 0, solo = false, next_attempt_at = $1, updated_at = $1
          WHERE d.state IN ('failed', 'dead') AND ($2::text IS NULL OR d.vendor = $2)
            AND NOT EXISTS (SELECT 1 FROM refund_relay_deliveries n
                             WHERE n.refund_no = d.refund_no AND n.vendor = d.vendor
                               AND n.version_no > d.version_no AND n.state = 'delivered')
            AND NOT EXISTS (SELECT 1 FROM refund_relay_refunds r
                             WHERE r.refund_no = d.refund_no AND r.version_no = d.version_no
                               AND r.purged_at IS NOT NULL)`,
        [now, vendor ?? null],
      );
      return result.rowCount ?? 0;
    },

    async purgePersonalData({ before, now }) {
      return transaction(async (client) => {
        // The same rule as the SQLite outbox: nothing of the refund pending or in flight, its latest version
        // delivered or refused for good at each vendor, its last delivery change older than `before`, and a version
        // not yet purged. The rows are locked so a relay taking in a new version waits for the purge.
        const { rows } = await client.query<{ refund_no: string }>(
          `WITH latest AS (SELECT refund_no, max(version_no) AS version_no FROM refund_relay_refunds GROUP BY refund_no)
           SELECT d.refund_no FROM refund_relay_deliveries d JOIN latest l ON l.refund_no = d.refund_no
            GROUP BY d.refund_no
           HAVING max(d.updated_at) < $1
              AND count(*) FILTER (WHERE d.state IN ('pending', 'in_flight')) = 0
              AND count(*) FILTER (WHERE d.version_no = l.version_no AND d.state NOT IN ('delivered', 'failed')) = 0
              AND bool_or(EXISTS (SELECT 1 FROM refund_relay_refunds r
                                   WHERE r.refund_no = d.refund_no AND r.purged_at IS NULL))`,
          [before],
        );
        const result = { refunds: 0, versions: 0 };
        for (const { refund_no: refundNo } of rows) {
          const versions = await client.query<{ version_no: number; body: string }>(
            'SELECT version_no, body FROM refund_relay_refunds WHERE refund_no = $1 AND purged_at IS NULL FOR UPDATE',
            [refundNo],
          );
          for (const version of versions.rows) {
            await client.query(
              'UPDATE refund_relay_refunds SET body = $3, purged_at = $4 WHERE refund_no = $1 AND version_no = $2',
              [refundNo, version.version_no, purgedRefundBody(version.body), now],
            );
            result.versions++;
          }
          await client.query('UPDATE refund_relay_deliveries SET vendor_result = NULL WHERE refund_no = $1', [
            refundNo,
          ]);
          result.refunds++;
        }
        return result;
      });
    },

    async listDeliveries() {
      const { rows } = await query<DeliveryRecord>(
        `SELECT d.refund_no AS "refundNo", d.version_no AS "versionNo", d.vendor, d.state, d.attempts,
                d.already_there AS "alreadyThere", d.last_error_code AS "errorCode",
                d.last_error_message AS "errorMessage", r.body
           FROM refund_relay_deliveries d
           JOIN refund_relay_refunds r ON r.refund_no = d.refund_no AND r.version_no = d.version_no
          ORDER BY d.refund_no COLLATE "C", d.version_no, d.vendor`,
      );
      return rows;
    },

    async refundTotals() {
      const { rows } = await query<{ refunds: string; versions: string }>(
        'SELECT COUNT(DISTINCT refund_no) AS refunds, COUNT(*) AS versions FROM refund_relay_refunds',
      );
      return { refunds: Number(rows[0]?.refunds ?? 0), versions: Number(rows[0]?.versions ?? 0) };
    },

    ...postgresLifecycle(query, transaction),
    async close() {
      if (renewal) clearInterval(renewal);
      renewal = undefined;
      await ready.catch(() => {});
      if (session) {
        // Ending the session releases the worker lock: what this relay still holds can be taken over at once.
        await session.query('DELETE FROM refund_relay_workers WHERE id = $1', [worker]).catch(() => {});
        await session.end().catch(() => {});
      }
      session = undefined;
      worker = undefined;
      await pool.end();
    },
  };
}

/**
 * Writes how a claimed delivery's call ended, only while `owner` still holds it (a relay that lost a delivery to a
 * takeover changes nothing). `release` (claimed, never sent) puts it back, due at once, without counting the attempt.
 */
async function writeResult(db: Queryable, owner: number, id: number, result: DeliveryResult, now: number) {
  const mine = `id = $1 AND state = 'in_flight' AND lease_owner = $2`;
  const released = 'lease_owner = NULL, lease_until = NULL';
  if (result.kind === 'release') {
    await db.query(
      `UPDATE refund_relay_deliveries SET state = 'pending', attempts = attempts - 1, next_attempt_at = $3, ${released},
              updated_at = $3
        WHERE ${mine}`,
      [id, owner, now],
    );
    return;
  }
  switch (result.kind) {
    case 'delivered': {
      const marked = await db.query<KeyRow>(
        `UPDATE refund_relay_deliveries SET state = 'delivered', already_there = $3, vendor_result = $4,
                last_error_code = NULL, last_error_message = NULL, solo = false, ${released}, updated_at = $5
          WHERE ${mine} RETURNING refund_no, version_no, vendor`,
        [id, owner, result.alreadyThere, vendorResultText(result.vendorResult), now],
      );
      await startLifecycle(db, marked.rows[0], result.observation ?? AWAITING, now);
      return;
    }
    case 'retry':
      await db.query(
        `UPDATE refund_relay_deliveries SET state = 'pending', next_attempt_at = $3, last_error_code = $4,
                last_error_message = $5, ${released}, updated_at = $6
          WHERE ${mine}`,
        [id, owner, result.nextAttemptAt, result.errorCode, result.errorMessage, now],
      );
      return;
    case 'failed':
    case 'dead': {
      const marked = await db.query<KeyRow>(
        `UPDATE refund_relay_deliveries SET state = $3, last_error_code = $4, last_error_message = $5,
                ${released}, updated_at = $6
          WHERE ${mine} RETURNING refund_no, version_no, vendor`,
        [id, owner, result.kind, result.errorCode, result.errorMessage, now],
      );
      if (result.kind === 'failed' && result.observation) {
        await startLifecycle(db, marked.rows[0], result.observation, now);
      }
      return;
    }
    case 'isolate':
      await db.query(
        `UPDATE refund_relay_deliveries SET state = 'pending', solo = true, attempts = attempts - 1, ${released},
                updated_at = $3
          WHERE ${mine}`,
        [id, owner, now],
      );
      return;
  }
}

interface KeyRow {
  refund_no: string;
  version_no: number;
  vendor: Vendor;
}

/** A delivery's first lifecycle observation, written with its delivered (or vendor-refused) mark. */
async function startLifecycle(db: Queryable, row: KeyRow | undefined, observation: DeliveryObservation, now: number) {
  if (!row) return;
  await observePostgres(
    db,
    { refundNo: row.refund_no, versionNo: row.version_no, vendor: row.vendor },
    observation,
    now,
    now,
  );
}

/** Stores one refund version as `enqueue` describes, in one round trip (the `refund_relay_enqueue` function). */
async function enqueueOne(
  db: Queryable,
  refund: Refund,
  source: string | undefined,
  now: number,
): Promise<EnqueueResult> {
  const body = canonicalRefundJson(refund);
  const { rows } = await db.query<{ outcome: EnqueueOutcome; version_no: number }>(
    'SELECT outcome, version_no FROM refund_relay_enqueue($1, $2, $3, $4, $5, $6, $7)',
    [refund.refundNo, refundContentHash(body), refund.shopCode, refund.lines.length, body, source ?? null, now],
  );
  const row = rows[0]!;
  return { outcome: row.outcome, refundNo: refund.refundNo, versionNo: row.version_no };
}

/** The vendor's result as stored: its JSON, or NULL when there is none. */
function vendorResultText(result: unknown): string | null {
  return result === undefined ? null : JSON.stringify(result);
}
