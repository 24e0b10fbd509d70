import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, resolveRetryPolicy, retryDelay, sleep } from './retry-policy.js';

describe('resolveRetryPolicy', () => {
  it('defaults to 3 tries, 250 ms base and 20 s cap, and reads numbers and false', () => {
    expect(resolveRetryPolicy(undefined)).toMatchObject({ attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000 });
    expect(resolveRetryPolicy(5).attempts).toBe(5);
    expect(resolveRetryPolicy(false).attempts).toBe(1);
    expect(resolveRetryPolicy({ baseDelayMs: 10 })).toMatchObject({ attempts: 3, baseDelayMs: 10 });
  });

  it("takes defaults over the transport's, which the setting overrides in turn", () => {
    expect(resolveRetryPolicy(undefined, { maxDelayMs: 60_000 })).toMatchObject({ attempts: 3, maxDelayMs: 60_000 });
    expect(resolveRetryPolicy(2, { maxDelayMs: 60_000 })).toMatchObject({ attempts: 2, maxDelayMs: 60_000 });
    expect(resolveRetryPolicy({ maxDelayMs: 5 }, { maxDelayMs: 60_000 }).maxDelayMs).toBe(5);
  });

  it('names the bad field', () => {
    expect(() => resolveRetryPolicy(0)).toThrow(/retry.attempts/);
    expect(() => resolveRetryPolicy({ attempts: 1.5 })).toThrow(/retry.attempts/);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/retry.baseDelayMs/);
    expect(() => resolveRetryPolicy({ maxDelayMs: Number.POSITIVE_INFINITY })).toThrow(/retry.maxDelayMs/);
  });
});

describe('retryDelay', () => {
  const policy = (random: number) => ({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, random: () => random });

  it('draws full jitter over an exponential ceiling capped at maxDelayMs', () => {
    expect(retryDelay(policy(0.5), 1, {})).toBe(50);
    expect(retryDelay(policy(0.5), 2, {})).toBe(100);
    expect(retryDelay(policy(0.5), 3, {})).toBe(200);
    expect(retryDelay(policy(0.5), 10, {})).toBe(500);
    expect(retryDelay(policy(0), 10, {})).toBe(0);
  });

  it('treats Retry-After and retryAfterMs as lower bounds, and gives up past maxDelayMs', () => {
    expect(retryDelay(policy(0), 1, {}, 300)).toBe(300);
    expect(retryDelay(policy(0), 1, { retryAfterMs: 400 }, 300)).toBe(400);
    expect(retryDelay(policy(0.99), 4, { retryAfterMs: 10 })).toBe(792);
    expect(retryDelay(policy(0), 1, {}, 5_000)).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(parseRetryAfter(new Date(0).toUTCString(), 1_000)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves after the wait and rejects with the reason when aborted', async () => {
    await sleep(1);
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with full jitter, is capped, and honours a vendor retry-after', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(1, options, undefined, () => 0.999)).toBe(99);
    expect(backoffDelay(3, options, undefined, () => 0.5)).toBe(200);
    expect(backoffDelay(10, options, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(1, options, 5_000, () => 0.5)).toBe(5_000);
  });
});
