import { describeKind } from './argument-checks.js';

/** 2012-01-01T00:00:00+08:00, the epoch of Wangdian timestamps, in Unix seconds. */
const WANGDIAN_EPOCH_SECONDS = 1_325_347_200;

/**
 * Returns the Wangdian `timestamp` query parameter for an instant: whole seconds since 2012-01-01 00:00:00 +08:00
 * (Unix seconds − 1325347200). The gateway accepts it within 120 s of its own clock, so pass a server-corrected time
 * when you have one; the default is `Date.now()`. Throws a `TypeError` for a non-number and a `RangeError` naming
 * `epochMs` for a non-finite instant or one before the Wangdian epoch.
 *
 * @example
 * wangdianTimestamp(Date.UTC(2026, 0, 1)); // 441878400
 */
export function wangdianTimestamp(epochMs: number = Date.now()): number {
  if (typeof epochMs !== 'number') {
    throw new TypeError(`epochMs must be a number of milliseconds (received ${describeKind(epochMs)})`);
  }
  if (!Number.isFinite(epochMs)) throw new RangeError('epochMs must be a finite number of milliseconds');
  const timestamp = checkedWangdianTimestamp(epochMs);
  if (timestamp <= 0) throw new RangeError('epochMs must be after 2012-01-01T00:00:00+08:00');
  return timestamp;
}

/**
 * @internal `wangdianTimestamp` without its checks, for the Wangdian client, whose clock always answers a finite
 * epoch-millisecond time: whole seconds since the Wangdian epoch.
 */
export function checkedWangdianTimestamp(epochMs: number): number {
  return Math.floor(epochMs / 1000) - WANGDIAN_EPOCH_SECONDS;
}
