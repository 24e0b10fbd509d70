import type { RelayClock } from './clock.js';

/** Settings of a token bucket: a sustained rate and a burst. */
export interface TokenBucketOptions {
  /** Calls allowed in any 60-second window; `0` or `Infinity` means no limit. */
  perMinute: number;
  /** Calls that may go at once after a quiet spell; default `min(50, ceil(perMinute / 10))`. */
  burst?: number;
  clock: RelayClock;
}

/** A rate limiter: `take()` resolves when a call may go. */
export interface TokenBucket {
  take(signal?: AbortSignal): Promise<void>;
  /** Gives back a token taken for a call that was not made. */
  giveBack(): void;
  /** The burst and refill rate (per minute) in use; refill is `perMinute - burst`, see `createTokenBucket`. */
  readonly settings: { perMinute: number; burst: number; refillPerMinute: number };
}

/**
 * A token bucket that never lets more than `perMinute` calls through in any 60-second window: it holds up to
 * `burst` tokens and refills at `perMinute - burst` a minute, so a full burst plus a minute of refill stays within
 * the limit. Waiting callers are served in order. With `perMinute` 0 or infinite it never waits.
 *
 * @example
 * const bucket = createTokenBucket({ perMinute: 500, clock: systemClock }); // 50 at once, then 450 a minute
 * await bucket.take();
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { clock } = options;
  const perMinute = options.perMinute;
  if (!(perMinute >= 0)) throw new RangeError('perMinute must be 0 (no limit) or a positive number');
  const unlimited = perMinute === 0 || perMinute === Number.POSITIVE_INFINITY;
  const burst = unlimited ? Number.POSITIVE_INFINITY : (options.burst ?? Math.min(50, Math.ceil(perMinute / 10)));
  if (!unlimited && !(burst >= 1 && burst < perMinute)) {
    throw new RangeError(`burst must be at least 1 and below perMinute (${perMinute})`);
  }
  const refillPerMinute = unlimited ? Number.POSITIVE_INFINITY : perMinute - burst;
  const msPerToken = unlimited ? 0 : 60_000 / refillPerMinute;
  let tokens = burst;
  let updatedAt = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    if (now > updatedAt) {
      tokens = Math.min(burst, tokens + (now - updatedAt) / msPerToken);
      updatedAt = now;
    }
  };

  return {
    settings: { perMinute, burst, refillPerMinute },
    take(signal) {
      if (unlimited) return Promise.resolve();
      const turn = queue.then(async () => {
        refill();
        while (tokens < 1) {
          if (signal?.aborted) return;
          await clock.sleep(Math.ceil((1 - tokens) * msPerToken), signal);
          refill();
        }
        tokens -= 1;
      });
      queue = turn.catch(() => {});
      return turn;
    },
    giveBack() {
      if (!unlimited) tokens = Math.min(burst, tokens + 1);
    },
  };
}
