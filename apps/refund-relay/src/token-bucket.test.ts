import { describe, expect, it } from 'vitest';
import { manualClock } from './test-support.js';
import { createTokenBucket } from './token-bucket.js';

describe('createTokenBucket', () => {
  it('lets a burst through, then refills so no 60 s window exceeds perMinute', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ perMinute: 500, clock });
    expect(bucket.settings).toEqual({ perMinute: 500, burst: 50, refillPerMinute: 450 });
    let taken = 0;
    const takeMany = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await bucket.take();
        taken++;
      }
    };
    const all = takeMany(500);
    await clock.advance(0);
    expect(taken).toBe(50);
    // Walk a minute in 100 ms steps: at most 450 more.
    for (let t = 0; t < 600; t++) await clock.advance(100);
    expect(taken).toBeLessThanOrEqual(500);
    expect(taken).toBeGreaterThanOrEqual(499);
    for (let t = 0; t < 20; t++) await clock.advance(1_000);
    await all;
    expect(taken).toBe(500);
  });

  it('gives a token back and never waits without a limit', async () => {
    const clock = manualClock();
    const limited = createTokenBucket({ perMinute: 120, burst: 1, clock });
    await limited.take();
    limited.giveBack();
    await limited.take(); // would wait without the give-back
    expect(clock.sleeping()).toBe(0);
    const free = createTokenBucket({ perMinute: 0, clock });
    await Promise.all(Array.from({ length: 1000 }, () => free.take()));
    expect(clock.sleeping()).toBe(0);
  });

  it('checks its settings', () => {
    const clock = manualClock();
    expect(() => createTokenBucket({ perMinute: -1, clock })).toThrow(RangeError);
    expect(() => createTokenBucket({ perMinute: 10, burst: 10, clock })).toThrow(/burst/);
  });
});
