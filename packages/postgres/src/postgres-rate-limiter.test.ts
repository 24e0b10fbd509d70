import { startKingdeeSandbox } from '@refundkit/sandbox';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test-support/wait.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { startSharers, stopSharers, useTestDatabase } from './test-support.js';

const { url, newPool } = useTestDatabase();

/** The database's clock, in epoch ms: the limiter's own clock. */
async function databaseNow(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ now: number }>('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now');
  return Number(rows[0]!.now);
}

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

describe('six processes sharing one limit', () => {
  it('keep their combined rate within the limit, measured at the sandbox', async () => {
    const kd = await startKingdeeSandbox();
    const perMinute = 1_200;
    const burst = 5;
    const children = await startSharers(6, url(), kd, {
      RATE_PER_MINUTE: String(perMinute),
      RATE_BURST: String(burst),
    });
    try {
      const done = children.map((child) => child.message((m: { type: string }) => m.type !== 'ready'));
      for (const child of children) child.send({ type: 'calls', count: 12, key: 'kingdee:shared-account' });
      expect((await Promise.all(done)).map((m) => (m as { type: string }).type)).toEqual(Array(6).fill('called'));
      const arrivals = kd.log.filter((entry) => entry.path === '/jdy/v2/ls/refundSave').map((entry) => entry.at);
      expect(arrivals).toHaveLength(72);
      // At most `burst` calls plus the refill of the time between them, in every stretch of arrivals. A call
      // arrives a little after its slot was granted; one second of such delay is allowed for a loaded machine
      // (the six processes unlimited would send all 72 well within it).
      const refillPerMs = (perMinute - burst) / 60_000;
      arrivals.sort((x, y) => x - y);
      for (let i = 0; i < arrivals.length; i++) {
        for (let j = i + burst; j < arrivals.length; j++) {
          const calls = j - i + 1;
          expect(calls).toBeLessThanOrEqual(
            burst + Math.floor((arrivals[j]! - arrivals[i]! + 1_000) * refillPerMs) + 1,
          );
        }
      }
      expect(arrivals.length).toBeLessThanOrEqual(burst + (arrivals.at(-1)! - arrivals[0]! + 1_000) * refillPerMs + 1);
    } finally {
      await stopSharers(children);
      await kd.close();
    }
  });
});
