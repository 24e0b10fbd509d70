import { ConfigurationError } from '@refundkit/transport';
import type { Pool } from 'pg';

/** What every `@refundkit/postgres` factory is given. */
export interface PostgresSharedSettings {
  /**
   * The `pg` pool to work through (`new pg.Pool({ connectionString })`); you own it and end it. Each waiting call
   * holds one of its connections while it waits for the database, so size it for the concurrency you use.
   */
  pool: Pool;
  /** Create or update the tables on first use (default `true`); `false` when `migrate(pool)` runs at deploy time. */
  migrate?: boolean;
}

/** Checks the shared settings, naming the bad one; answers the pool. */
export function checkSharedSettings(settings: PostgresSharedSettings, factory: string): Pool {
  if (typeof settings !== 'object' || settings === null) {
    throw new ConfigurationError(`${factory} needs settings with a pg pool`, { setting: 'settings' });
  }
  const pool = settings.pool as Partial<Pool> | undefined;
  if (
    typeof pool !== 'object' ||
    pool === null ||
    typeof pool.connect !== 'function' ||
    typeof pool.query !== 'function'
  ) {
    throw new ConfigurationError(`${factory}: pool must be a pg Pool (new pg.Pool({ connectionString }))`, {
      setting: 'pool',
    });
  }
  if (settings.migrate !== undefined && typeof settings.migrate !== 'boolean') {
    throw new ConfigurationError(`${factory}: migrate must be true or false`, { setting: 'migrate' });
  }
  return settings.pool;
}

/** A key names a token or an account: a non-empty string (a programmer error otherwise). */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty string');
}
