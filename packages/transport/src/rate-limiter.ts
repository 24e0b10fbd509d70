/**
 * A limit on how fast calls may go to one vendor account, shared by every client that is handed the same limiter.
 * The default of the vendor clients is none; `@refundkit/postgres` provides one that several processes share.
 *
 * Keys name one vendor account, e.g. `kingdee:<clientId>:<appKey>` or `wangdian:<sid>:<appKey>`; they never hold a
 * secret.
 *
 * @example
 * const client = createWangdianClient({ ...credentials, rateLimiter: createPostgresRateLimiter({ pool, perMinute: 60 }) });
 */
export interface RateLimiter {
  /**
   * Resolves once one more call for `key` may be made (taking that slot); rejects with the signal's reason as soon as
   * `signal` aborts. Called before every attempt, retries included.
   */
  acquire(key: string, options?: { signal?: AbortSignal | undefined }): Promise<void>;
  /**
   * The vendor refused a call for `key` for its rate: every sharer of the key waits at least `retryAfterMs` before
   * its next `acquire` resolves.
   */
  penalize(key: string, retryAfterMs: number): Promise<void>;
}
