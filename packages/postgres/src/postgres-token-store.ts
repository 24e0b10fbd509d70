import type { KingdeeAppToken, KingdeeTokenStore } from '@refundkit/kingdee-retail';
import { ConfigurationError, RefundkitError } from '@refundkit/transport';
import type { Pool } from 'pg';
import { ADVISORY_LOCKS, migrateOnce } from './postgres-migrations.js';
import { checkKey, checkSharedSettings, type PostgresSharedSettings } from './postgres-settings.js';

/** Settings of {@link createPostgresTokenStore}. */
export interface PostgresTokenStoreSettings extends PostgresSharedSettings {
  /**
   * Longest a `refresh` waits for another process that is refreshing the same token, in ms (default 30 000). After
   * it the call rejects with a retryable `TOKEN` error instead of waiting on a holder that seems stuck.
   */
  lockTimeoutMs?: number;
}

/** A token store shared through PostgreSQL, with the cross-process single-flight `refresh`. */
export interface PostgresTokenStore extends KingdeeTokenStore {
  /**
   * Fetches a new token under the store's lock for `key`, unless another holder already replaced `stale` (then
   * that token is answered and `fetchToken` is not called). Exactly one process fetches; the others wait for it.
   */
  refresh(
    key: string,
    fetchToken: () => Promise<KingdeeAppToken>,
    stale: KingdeeAppToken | undefined,
  ): Promise<KingdeeAppToken>;
}

interface TokenRow {
  app_token: string;
  expires: string;
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Creates a Kingdee app-token store that every process and app with access to the database shares, so an account
 * set has one token between them. When the token must be replaced, `refresh` takes a transaction-level advisory lock
 * on the key: exactly one process calls the vendor, the others wait and then read what it stored. The lock lives in
 * the fetching process's transaction, so a process that dies while fetching releases it with its connection, and
 * `lockTimeoutMs` bounds the wait behind a stuck one. Tokens are secrets: nothing here logs them, and they sit in
 * `refundkit_kingdee_tokens`, so grant that table as you would a password.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const client = createKingdeeRetailClient({ ...credentials, tokenStore: createPostgresTokenStore({ pool }) });
 */
export function createPostgresTokenStore(settings: PostgresTokenStoreSettings): PostgresTokenStore {
  const pool = checkSharedSettings(settings, 'createPostgresTokenStore');
  const lockTimeoutMs = settings.lockTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 1) {
    throw new ConfigurationError('createPostgresTokenStore: lockTimeoutMs must be a whole number of ms, at least 1', {
      setting: 'lockTimeoutMs',
    });
  }
  const ready = () => (settings.migrate === false ? Promise.resolve() : migrateOnce(pool));

  return {
    async get(key) {
      checkKey(key);
      await ready();
      return read(pool, key);
    },
    async set(key, token) {
      checkKey(key);
      await ready();
      await write(pool, key, token);
    },
    async refresh(key, fetchToken, stale) {
      checkKey(key);
      if (typeof fetchToken !== 'function') throw new TypeError('fetchToken must be a function');
      await ready();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
          try {
            await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCKS.kingdeeTokens, key]);
          } catch (error) {
            if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
            throw new RefundkitError(
              `waited more than ${lockTimeoutMs} ms for another process refreshing the Kingdee app-token; try again`,
              { code: 'TOKEN', retryable: true },
            );
          }
          const held = await read(client, key);
          // Someone replaced the token this caller found stale (or stored one where it found none): use theirs.
          if (held && held.appToken !== stale?.appToken && held.expires > Date.now()) {
            await client.query('COMMIT');
            return held;
          }
          const token = await fetchToken();
          await write(client, key, token);
          await client.query('COMMIT');
          return { appToken: token.appToken, expires: token.expires };
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      } finally {
        client.release();
      }
    },
  };
}

type Queryable = Pick<Pool, 'query'>;

async function read(db: Queryable, key: string): Promise<KingdeeAppToken | undefined> {
  const { rows } = await db.query<TokenRow>('SELECT app_token, expires FROM refundkit_kingdee_tokens WHERE key = $1', [
    key,
  ]);
  const row = rows[0];
  return row ? { appToken: row.app_token, expires: Number(row.expires) } : undefined;
}

async function write(db: Queryable, key: string, token: KingdeeAppToken): Promise<void> {
  if (typeof token?.appToken !== 'string' || token.appToken === '' || !Number.isSafeInteger(token.expires)) {
    throw new TypeError('token must be { appToken: non-empty string, expires: epoch ms }');
  }
  await db.query(
    `INSERT INTO refundkit_kingdee_tokens (key, app_token, expires) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET app_token = excluded.app_token, expires = excluded.expires, updated_at = now()`,
    [key, token.appToken, token.expires],
  );
}
