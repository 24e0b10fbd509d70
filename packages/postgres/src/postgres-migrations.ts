import type { Pool } from 'pg';

/** A schema some component keeps in PostgreSQL: its name and its steps, each taking version `i` to `i + 1`. */
export interface SchemaMigrations {
  /** Names the schema in `refundkit_schema_versions`, e.g. `@refundkit/postgres` or `refund-relay outbox`. */
  component: string;
  /**
   * SQL per step, run in order inside one transaction. Steps are only ever appended: a released step is never
   * edited, so every database that reached version `n` holds the same schema.
   */
  steps: readonly string[];
}

/**
 * The first keys of refundkit's two-key advisory locks, one per purpose ("RFK" and a number); the second key says
 * which thing is locked (0 for migrations, a hash of the token key, a relay worker's number). Another application
 * using advisory locks on the same database keeps clear of 0x52464b00 to 0x52464bff.
 */
export const ADVISORY_LOCKS = {
  migrations: 0x52_46_4b_00,
  kingdeeTokens: 0x52_46_4b_01,
  relayWorkers: 0x52_46_4b_02,
} as const;

/**
 * Brings a component's schema up to date, safely when several processes do it at once: one transaction takes a
 * transaction-level advisory lock (so concurrent callers queue, and a caller that dies releases it), reads the
 * component's version from `refundkit_schema_versions`, runs the missing steps and records the new version; a
 * database written by a newer release (a version above `steps.length`) is refused. Resolves the versions before and
 * after.
 *
 * @example
 * await runMigrations(pool, { component: 'my-app', steps: ['CREATE TABLE things (id bigint PRIMARY KEY)'] });
 */
export async function runMigrations(pool: Pool, migrations: SchemaMigrations): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [ADVISORY_LOCKS.migrations]);
      await client.query(`CREATE TABLE IF NOT EXISTS refundkit_schema_versions (
        component   text PRIMARY KEY,
        version     integer NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now()
      )`);
      const found = await client.query<{ version: number }>(
        'SELECT version FROM refundkit_schema_versions WHERE component = $1',
        [migrations.component],
      );
      const from = found.rows[0]?.version ?? 0;
      const to = migrations.steps.length;
      if (from > to) {
        throw new Error(
          `the database holds ${migrations.component} schema version ${from}, newer than this release's ${to}; upgrade`,
        );
      }
      for (let version = from; version < to; version++) await client.query(migrations.steps[version]!);
      if (to > from) {
        await client.query(
          `INSERT INTO refundkit_schema_versions (component, version) VALUES ($1, $2)
           ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = now()`,
          [migrations.component, to],
        );
      }
      await client.query('COMMIT');
      return { from, to };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
}

/** The schema of this package: the shared token table and the shared rate-limit table with its take function. */
export const REFUNDKIT_POSTGRES_MIGRATIONS: SchemaMigrations = {
  component: '@refundkit/postgres',
  steps: [
    `
    CREATE TABLE refundkit_kingdee_tokens (
      key        text PRIMARY KEY,
      app_token  text NOT NULL,
      expires    bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- A token bucket per key: tokens left as of refilled_at (epoch ms by the database's clock, so hosts' clocks
    -- never matter). A refilled_at in the future is a penalty: nothing refills before it.
    CREATE TABLE refundkit_rate_limits (
      key         text PRIMARY KEY,
      tokens      double precision NOT NULL,
      refilled_at double precision NOT NULL
    );
    -- Takes one call slot of a key's bucket, refilled at p_per_ms slots a millisecond up to p_burst. Answers 0 when
    -- the slot was taken, otherwise how many milliseconds to wait before asking again (nothing is taken then).
    CREATE FUNCTION refundkit_rate_take(p_key text, p_per_ms double precision, p_burst double precision)
    RETURNS double precision LANGUAGE plpgsql AS $$
    DECLARE
      now_ms double precision := extract(epoch FROM clock_timestamp()) * 1000;
      bucket refundkit_rate_limits%ROWTYPE;
      available double precision;
    BEGIN
      INSERT INTO refundkit_rate_limits (key, tokens, refilled_at) VALUES (p_key, p_burst, now_ms)
        ON CONFLICT (key) DO NOTHING;
      SELECT * INTO bucket FROM refundkit_rate_limits WHERE key = p_key FOR UPDATE;
      IF bucket.refilled_at > now_ms THEN
        RETURN bucket.refilled_at - now_ms;
      END IF;
      available := least(p_burst, bucket.tokens + (now_ms - bucket.refilled_at) * p_per_ms);
      IF available >= 1 THEN
        UPDATE refundkit_rate_limits SET tokens = available - 1, refilled_at = now_ms WHERE key = p_key;
        RETURN 0;
      END IF;
      RETURN (1 - available) / p_per_ms;
    END $$;
    -- Empties a key's bucket and stops it refilling for p_ms milliseconds from now (or longer, when a penalty
    -- already runs longer): every sharer of the key waits.
    CREATE FUNCTION refundkit_rate_penalize(p_key text, p_ms double precision)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      until_ms double precision := extract(epoch FROM clock_timestamp()) * 1000 + p_ms;
    BEGIN
      INSERT INTO refundkit_rate_limits (key, tokens, refilled_at) VALUES (p_key, 0, until_ms)
        ON CONFLICT (key) DO UPDATE SET tokens = 0,
          refilled_at = greatest(refundkit_rate_limits.refilled_at, excluded.refilled_at);
    END $$;
    `,
  ],
};

/**
 * Creates or updates this package's tables (`refundkit_kingdee_tokens`, `refundkit_rate_limits` and their
 * functions) in the pool's database. Safe to call from many processes at once and on every start; the token store
 * and the rate limiter also call it on first use unless created with `migrate: false`.
 *
 * @example
 * await migrate(pool); // e.g. in a deploy step, before any app starts
 */
export function migrate(pool: Pool): Promise<{ from: number; to: number }> {
  return runMigrations(pool, REFUNDKIT_POSTGRES_MIGRATIONS);
}

const migrated = new WeakMap<Pool, Promise<unknown>>();

/**
 * Migrates this package's schema once per pool in this process (the first caller runs {@link migrate}, later ones
 * wait for it; a failure is not remembered, so the next use tries again).
 */
export function migrateOnce(pool: Pool): Promise<unknown> {
  let done = migrated.get(pool);
  if (!done) {
    done = migrate(pool).catch((error: unknown) => {
      migrated.delete(pool);
      throw error;
    });
    migrated.set(pool, done);
  }
  return done;
}
