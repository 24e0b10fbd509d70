/** Settings of the relay's retry backoff. */
export interface BackoffOptions {
  /** Delay before the second attempt, before jitter (ms). */
  baseMs: number;
  /** Upper bound of any delay (ms). */
  maxMs: number;
}

/**
 * The wait before the next attempt after `attempts` attempts failed: exponential (`baseMs * 2^(attempts-1)`, capped
 * at `maxMs`) with full jitter, never shorter than a vendor's `retryAfterMs`. `random` is injectable for tests.
 *
 * @example
 * backoffDelay(3, { baseMs: 500, maxMs: 60_000 }); // somewhere in [0, 2000)
 */
export function backoffDelay(
  attempts: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}
