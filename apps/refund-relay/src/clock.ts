import { sleep } from '@refundkit/transport';

/**
 * Time as the relay sees it: `now()` in epoch milliseconds and `sleep(ms)`, which an abort signal cuts short. Tests
 * hand the relay a manual clock so rate limits and backoff run without real waiting.
 */
export interface RelayClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and transport's abort-aware `sleep`, which here ends quietly when aborted. */
export const systemClock: RelayClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => (ms <= 0 ? Promise.resolve() : sleep(ms, signal).catch(() => undefined)),
};
