import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test-support/wait.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { useTestDatabase } from './test-support.js';

const { newPool } = useTestDatabase();

/** The database's clock, in epoch ms: the limiter's own clock. */
async function databaseNow(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ now: number }>('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now');
  return Number(rows[0]!.now);
}

// The limit shared by six processes, measured at the sandbox, is in shared-kingdee-account.test.ts.
describe('createPostgresRateLimiter', () => {
  it('refuses bad settings naming the setting', () => {
    expect(() => createPostgresRateLimiter({ pool: newPool(), perMinute: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION', setting: 'perMinute' }),
    );
    expect(() => createPostgresRateLimiter({ pool: newPool(), perMinute: 60, burst: 60 })).toThrow(
      expect.objectContaining({ setting: 'burst' }),
    );
  });

  it('lets a burst through at once, then one call per refill interval, by the shared clock; keys are separate', async () => {
    const pool = newPool();
    const limiter = createPostgresRateLimiter({ pool, perMinute: 60, burst: 3 });
    const before = await databaseNow(pool);
    for (let i = 0; i < 3; i++) await limiter.acquire('burst-key');
    // The burst is spent: another key still goes, and the fourth call of this key waits for one refill.
    await limiter.acquire('other-key');
    await limiter.acquire('burst-key');
    expect((await databaseNow(pool)) - before).toBeGreaterThanOrEqual(60_000 / (60 - 3));
  });

  it('penalize makes every sharer wait at least the given time, by the shared clock', async () => {
    const a = createPostgresRateLimiter({ pool: newPool(), perMinute: 6_000, burst: 10 });
    const bPool = newPool();
    const b = createPostgresRateLimiter({ pool: bPool, perMinute: 6_000, burst: 10 });
    await a.acquire('penalized');
    const before = await databaseNow(bPool);
    await a.penalize('penalized', 400);
    await b.acquire('penalized');
    expect((await databaseNow(bPool)) - before).toBeGreaterThanOrEqual(400);
  });

  it('acquire rejects with the signal reason when aborted while waiting', async () => {
    const pool = newPool();
    let queries = 0;
    const counted = Object.create(pool, {
      query: {
        value: (...args: unknown[]) => {
          queries++;
          return (pool.query as (...a: unknown[]) => unknown)(...args);
        },
      },
    }) as pg.Pool;
    const limiter = createPostgresRateLimiter({ pool: counted, perMinute: 60, burst: 1 });
    await limiter.penalize('aborted', 60_000);
    const controller = new AbortController();
    const before = queries;
    const waiting = limiter.acquire('aborted', { signal: controller.signal });
    await waitUntil(() => queries > before);
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    const already = new AbortController();
    already.abort(reason);
    await expect(limiter.acquire('aborted', { signal: already.signal })).rejects.toBe(reason);
  });
});
