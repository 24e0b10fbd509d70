import { ConfigurationError, type RateLimiter, sleep } from '@refundkit/transport';
import { migrateOnce } from './postgres-migrations.js';
import { checkKey, checkSharedSettings, type PostgresSharedSettings } from './postgres-settings.js';

/** Settings of {@link createPostgresRateLimiter}. */
export interface PostgresRateLimiterSettings extends PostgresSharedSettings {
  /** Calls allowed per key in any 60-second window, across every process sharing the database. */
  perMinute: number;
  /**
   * Calls that may go at once after a quiet spell (default `min(50, ceil(perMinute / 10))`, below `perMinute`); the
   * bucket refills at `perMinute - burst` a minute, so a full burst plus a minute of refill stays within the limit.
   */
  burst?: number;
}

/**
 * Creates a rate limiter that every process with access to the database shares: one token bucket per key (name a
 * vendor account, e.g. `kingdee:<clientId>:<appKey>` or `wangdian:<sid>:<appKey>`) in `refundkit_rate_limits`,
 * taken and refilled atomically by the database's clock. `penalize` (a rate-limit answer from the vendor) empties the
 * bucket and stops it refilling for the given time, so every sharer slows down, not only the one that was refused.
 * Every sharer of a key should use the same `perMinute` and `burst`. `acquire` rejects with the signal's reason as
 * soon as its signal aborts.
 *
 * @example
 * const rateLimiter = createPostgresRateLimiter({ pool, perMinute: 300 });
 * const client = createKingdeeRetailClient({ ...credentials, rateLimiter });
 */
export function createPostgresRateLimiter(settings: PostgresRateLimiterSettings): RateLimiter {
  const pool = checkSharedSettings(settings, 'createPostgresRateLimiter');
  const { perMinute } = settings;
  if (typeof perMinute !== 'number' || !Number.isFinite(perMinute) || perMinute <= 1) {
    throw new ConfigurationError('createPostgresRateLimiter: perMinute must be a number above 1', {
      setting: 'perMinute',
    });
  }
  const burst = settings.burst ?? Math.min(50, Math.ceil(perMinute / 10));
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst >= perMinute) {
    throw new ConfigurationError(`createPostgresRateLimiter: burst must be a whole number from 1 to below perMinute`, {
      setting: 'burst',
    });
  }
  const perMs = (perMinute - burst) / 60_000;
  const ready = () => (settings.migrate === false ? Promise.resolve() : migrateOnce(pool));

  return {
    async acquire(key, options) {
      checkKey(key);
      const signal = options?.signal;
      signal?.throwIfAborted();
      await ready();
      for (;;) {
        const { rows } = await pool.query<{ wait: number }>('SELECT refundkit_rate_take($1, $2, $3) AS wait', [
          key,
          perMs,
          burst,
        ]);
        signal?.throwIfAborted();
        const wait = Number(rows[0]?.wait ?? 0);
        if (wait <= 0) return;
        await sleep(Math.ceil(wait), signal);
      }
    },
    async penalize(key, retryAfterMs) {
      checkKey(key);
      if (typeof retryAfterMs !== 'number' || Number.isNaN(retryAfterMs)) {
        throw new TypeError('retryAfterMs must be a number of milliseconds');
      }
      if (retryAfterMs <= 0) return;
      await ready();
      await pool.query('SELECT refundkit_rate_penalize($1, $2)', [key, retryAfterMs]);
    },
  };
}
