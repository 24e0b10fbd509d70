import { isRefundkitError } from '@refundkit/transport';
import type { FollowCandidate, FollowCursor, LifecycleObservation } from './lifecycle.js';
import type { Vendor } from './outbox-store.js';

/** What a follow port works with during one pass. */
export interface FollowContext {
  /** The relay's time now, epoch ms. */
  now: number;
  /** Where the follower got to in one of this vendor's feeds (`undefined` before its first read). */
  cursor(feed: string): Promise<number | undefined>;
  signal?: AbortSignal;
}

/** What one pass of a follow port saw: observations and feed positions to store together, and what it cost. */
export interface FollowPass {
  observations: LifecycleObservation[];
  cursors: FollowCursor[];
  /**
   * Why part of the pass could not be read (a vendor call failed for good this time), redacted. What it would have
   * answered is left for the next pass: its feed position is not moved.
   */
  problems: string[];
}

/**
 * What the follower needs from a vendor: one pass over the refunds still to follow there. A port reads the vendor
 * through window and page queries wherever the vendor offers them, waits for the vendor's rate limiter before every
 * call (its client carries the delivery's limiter), and never writes to the outbox: the follower stores what the
 * pass answers, in one transaction.
 */
export interface VendorFollowPort {
  readonly vendor: Vendor;
  follow(candidates: readonly FollowCandidate[], context: FollowContext): Promise<FollowPass>;
}

/** How a failed read is told in a pass's problems: a refundkit error's (secret-free) message, else its name only. */
export function problemText(error: unknown): string {
  if (isRefundkitError(error)) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}
