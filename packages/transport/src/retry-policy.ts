import type { RefundkitError } from '@refundkit/refund-model';

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Total tries, the first included (default 3; 1 means no retries). */
  attempts?: number;
  /** The backoff before the first retry, doubled for each later one, before jitter (default 250 ms). */
  baseDelayMs?: number;
  /** The cap on any wait between attempts (default 20 000 ms); a server asking for longer is not waited for. */
  maxDelayMs?: number;
  /** The random source of the jitter, returning [0, 1) (default `Math.random`); inject one for deterministic tests. */
  random?: () => number;
}

/** Retry options with every default applied. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

const DEFAULT_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 20_000, random: Math.random };

/**
 * Applies the defaults (the transport's, overridden by `defaults`, as a client whose waits are longer raises
 * `maxDelayMs`) to the `retry` setting: a number is the total number of tries, `false` means one try only, and an
 * object sets any of attempts, baseDelayMs, maxDelayMs and random. Throws a `RangeError` naming the bad field;
 * `checkClientSettings` turns that into a `ConfigurationError`.
 */
export function resolveRetryPolicy(
  retry: RetryOptions | number | false | undefined,
  defaults: Partial<RetryPolicy> = {},
): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_POLICY, ...defaults };
  if (retry === undefined) return policy;
  if (retry === false) return { ...policy, attempts: 1 };
  const options: RetryOptions = typeof retry === 'number' ? { attempts: retry } : retry;
  if (typeof options !== 'object' || options === null) {
    throw new RangeError('retry must be a number of attempts, false, or { attempts, baseDelayMs, maxDelayMs }');
  }
  if (options.attempts !== undefined) {
    if (!Number.isInteger(options.attempts) || options.attempts < 1) {
      throw new RangeError('retry.attempts must be a whole number of tries, at least 1');
    }
    policy.attempts = options.attempts;
  }
  if (options.baseDelayMs !== undefined) {
    if (!Number.isFinite(options.baseDelayMs) || options.baseDelayMs < 0) {
      throw new RangeError('retry.baseDelayMs must be a finite number of milliseconds, at least 0');
    }
    policy.baseDelayMs = options.baseDelayMs;
  }
  if (options.maxDelayMs !== undefined) {
    if (!Number.isFinite(options.maxDelayMs) || options.maxDelayMs < 0) {
      throw new RangeError('retry.maxDelayMs must be a finite number of milliseconds, at least 0');
    }
    policy.maxDelayMs = options.maxDelayMs;
  }
  if (options.random !== undefined) {
    if (typeof options.random !== 'function') throw new RangeError('retry.random must be a function');
    policy.random = options.random;
  }
  return policy;
}

/**
 * Reads a `Retry-After` header (delay seconds or an HTTP date) as milliseconds from `now`; undefined when absent or
 * unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before the next try after `attempt` failed tries (1-based): full jitter over an exponential backoff,
 * `random() × min(maxMs, baseMs × 2^(attempt−1))`, never shorter than `retryAfterMs` (a vendor's lower bound). The
 * transport's retries use it, and so can an outbox that re-sends later.
 *
 * @example
 * backoffDelay(3, { baseMs: 500, maxMs: 60_000 }); // somewhere in [0, 2000)
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * The transport's wait before the next try after failed try number `attempt`: {@link backoffDelay} with the
 * policy, raised to the server's `Retry-After` and to the error's `retryAfterMs`, both lower bounds. Answers
 * undefined when that floor exceeds `maxDelayMs`: the error is then thrown at once, and its `retryAfterMs` tells
 * the caller when to come back.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: Pick<RefundkitError, 'retryAfterMs'>,
  retryAfterHeaderMs?: number,
): number | undefined {
  const floor = Math.max(retryAfterHeaderMs ?? 0, error.retryAfterMs ?? 0);
  if (floor > policy.maxDelayMs) return undefined;
  return backoffDelay(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, floor, policy.random);
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as the signal aborts.
 *
 * @example
 * await sleep(backoffDelay(attempts, backoff), signal);
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
