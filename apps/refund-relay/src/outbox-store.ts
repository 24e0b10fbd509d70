import type { Refund } from '@refundkit/refund-model';
import type {
  DeliveryObservation,
  FollowCandidate,
  FollowCursor,
  LifecycleCounts,
  LifecycleObservation,
  LifecycleRecord,
  StoredObservation,
} from './lifecycle.js';

/** The two vendors the relay delivers to. */
export type Vendor = 'kingdee' | 'wangdian';

/** Both vendors, in the order the relay reports them. */
export const VENDORS: readonly Vendor[] = ['kingdee', 'wangdian'];

/**
 * Where a delivery stands: `pending` (waiting, perhaps until `nextAttemptAt`), `in_flight` (claimed; the vendor call
 * may be under way), `delivered` (the vendor has it), `failed` (the vendor refused it for good), `dead` (retryable
 * failures used up every attempt).
 */
export type DeliveryState = 'pending' | 'in_flight' | 'delivered' | 'failed' | 'dead';

/** Every delivery state, in lifecycle order. */
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'in_flight', 'delivered', 'failed', 'dead'];

/** What `enqueue` did with a refund: stored it as new, ignored it as a duplicate, or stored a changed version. */
export type EnqueueOutcome = 'new' | 'duplicate' | 'new-version';

/** One refund for `enqueueAll`, with where it came from (`file:line`). */
export interface EnqueueInput {
  refund: Refund;
  source?: string;
}

/** The answer of `enqueue`: the outcome and the outbox's version number of the refund it now holds. */
export interface EnqueueResult {
  outcome: EnqueueOutcome;
  refundNo: string;
  versionNo: number;
}

/** A delivery the relay claimed: marked `in_flight` (and its attempt counted) before the vendor is called. */
export interface ClaimedDelivery {
  id: number;
  refundNo: string;
  versionNo: number;
  vendor: Vendor;
  /** Attempts including this one. */
  attempts: number;
  /** The refund as stored (JSON of the canonical `Refund`). */
  body: string;
  /** The content hash intake stored with the body (`refundContentHash`), which `storedRefund` checks. */
  contentHash: string;
  /** Stored versions before this one that the vendor has (the last delivered version's body), if any. */
  previousDeliveredBody?: string;
}

/** How `claim` picks a batch. */
export interface ClaimOptions {
  now: number;
  /** Most refunds in the batch. */
  maxRefunds: number;
  /** Most goods lines in the batch (Wangdian sends one row per line). */
  maxLines: number;
  /** Keep a batch to one shop (Wangdian uploads name one shop per call). */
  sameShop: boolean;
}

/** One row of `counts`: how many deliveries a vendor has in a state. */
export type DeliveryCounts = Record<Vendor, Record<DeliveryState, number>>;

/** A failed or dead delivery, as `status --failed` lists it. */
export interface DeliveryFailure {
  refundNo: string;
  versionNo: number;
  vendor: Vendor;
  state: 'failed' | 'dead';
  attempts: number;
  errorCode: string | null;
  /** Already redacted when it was stored. */
  errorMessage: string | null;
  updatedAt: number;
}

/** One delivery with its refund version, as `listDeliveries` returns it. */
export interface DeliveryRecord {
  refundNo: string;
  versionNo: number;
  vendor: Vendor;
  state: DeliveryState;
  attempts: number;
  alreadyThere: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  /** The refund version's stored JSON. */
  body: string;
}

/** What `purgePersonalData` removed. */
export interface PurgeResult {
  /** Refund numbers whose stored versions this call purged. */
  refunds: number;
  /** Stored versions whose body this call rewrote. */
  versions: number;
}

/**
 * What the relay records when a vendor call ends. `observation` (on `delivered`, and on `failed` for a refusal the
 * vendor itself gave, such as a payment channel's or an upload2 `error_list` row) is the refund's first lifecycle
 * observation, stored in the same transaction; a delivered result without one starts as `awaiting`.
 */
export type DeliveryResult =
  | { kind: 'delivered'; alreadyThere: boolean; vendorResult: unknown; observation?: DeliveryObservation }
  | { kind: 'retry'; nextAttemptAt: number; errorCode: string; errorMessage: string }
  | { kind: 'failed'; errorCode: string; errorMessage: string; observation?: DeliveryObservation }
  | { kind: 'dead'; errorCode: string; errorMessage: string }
  /** Put back to pending, alone in its next batch, without counting the attempt (to isolate a bad row). */
  | { kind: 'isolate' }
  /** Put back to pending (due at once) without counting the attempt: claimed, but its call was never made. */
  | { kind: 'release' };

/** A claimed delivery and how its vendor call ended: one entry of `recordAll`. */
export interface RecordedResult {
  id: number;
  result: DeliveryResult;
}

/**
 * The durable outbox the relay works from. The SQLite store implements it for one relay process; the PostgreSQL store
 * (`FOR UPDATE SKIP LOCKED` claims and leased `in_flight` rows) implements it for several relays sharing the work.
 * Every method is asynchronous, so both fit the same relay.
 */
export interface OutboxStore {
  /**
   * Stores a validated refund unless a stored version of it has the same content (a re-pushed or stale export is a
   * duplicate, never a step back): a new refund number becomes version 1, unseen content the next version, and each
   * new version gets one pending delivery per vendor.
   */
  enqueue(refund: Refund, options: { now: number; source?: string }): Promise<EnqueueResult>;
  /**
   * Stores several refunds, each as `enqueue` would and in order (a later one sees the earlier ones), in one
   * transaction: a crash stores all of them or none. Returns one result per input, in the same order.
   */
  enqueueAll(inputs: readonly EnqueueInput[], options: { now: number }): Promise<EnqueueResult[]>;
  /**
   * Takes this process's hold on the outbox and returns deliveries a crashed run left `in_flight` to `pending` (they
   * are sent again; both vendors are idempotent on the refund number). Returns how many were recovered.
   */
  open(options: { now: number }): Promise<{ recovered: number }>;
  /** Marks a batch of due deliveries `in_flight` in one committed transaction and returns it (empty when none). */
  claim(vendor: Vendor, options: ClaimOptions): Promise<ClaimedDelivery[]>;
  /** Records how the vendor call of a claimed delivery ended. */
  record(id: number, result: DeliveryResult, options: { now: number }): Promise<void>;
  /**
   * Records how the vendor calls of several claimed deliveries ended, in one transaction: after a crash either every
   * entry is stored or none is (the rest are still `in_flight`; `open` recovers them and they are sent again). Each
   * entry does what `record` does. `beforeCommit` runs inside the transaction once every entry is written, just
   * before the commit (the relay's `mid-batch` crash point). An empty list does nothing.
   */
  recordAll(results: readonly RecordedResult[], options: { now: number; beforeCommit?: () => void }): Promise<void>;
  /** The earliest `nextAttemptAt` of a vendor's pending deliveries, or `undefined` when none is pending. */
  nextPendingAt(vendor: Vendor): Promise<number | undefined>;
  /** How many deliveries each vendor has in each state. */
  counts(): Promise<DeliveryCounts>;
  /** How many deliveries each vendor recorded as "already there" (the vendor had the refund before this call). */
  alreadyThereCounts(): Promise<Record<Vendor, number>>;
  /** The failed and dead deliveries, newest first. */
  failures(): Promise<DeliveryFailure[]>;
  /**
   * Puts failed and dead deliveries back to pending with a fresh attempt budget, except those a newer delivered
   * version of the same refund has overtaken (re-sending them would overwrite newer data) and purged ones. Returns
   * how many.
   */
  requeueFailed(options: { now: number; vendor?: Vendor }): Promise<number>;
  /**
   * Removes the buyers' personal data from every stored version of the refunds that are final at both vendors and
   * became final before `before` (epoch ms): no delivery of any version is pending or in flight, both deliveries of
   * the latest version are `delivered` or `failed`, and the refund's newest delivery change is older than `before`.
   * Each version's body becomes `purgedRefundBody(body)` and the vendors' stored answers are dropped; the facts
   * exactly-once depends on stay: refund number, version, content hash (so a re-pushed refund is still a duplicate),
   * shop, line count and every delivery's state, attempts and (redacted) error. A purged version is never sent
   * again: `requeueFailed` leaves it alone and it is never a later version's `previousDeliveredBody`.
   */
  purgePersonalData(options: { before: number; now: number }): Promise<PurgeResult>;
  /** Every delivery with its refund version, ordered by refund number, version and vendor (for audits and tests). */
  listDeliveries(): Promise<DeliveryRecord[]>;
  /** The number of distinct refund numbers and of stored versions. */
  refundTotals(): Promise<{ refunds: number; versions: number }>;
  /**
   * Records what the follower saw, in one transaction together with the feed positions it read up to: an
   * observation that changes a refund's current lifecycle (state, stage, vendor status, reason, differences or
   * detail) is appended with `seenAt = now` and becomes the current one; one equal to the current lifecycle is not
   * appended again (so a pass repeated after a restart records nothing twice). Observations for a version that is
   * not delivered, or that a newer delivered version overtook, are ignored. Answers how many were appended.
   * `beforeCommit` runs inside the transaction once everything is written, just before the commit (the relay's
   * `mid-follow` crash point).
   */
  recordObservations(
    observations: readonly LifecycleObservation[],
    options: { now: number; cursors?: readonly FollowCursor[]; beforeCommit?: () => void },
  ): Promise<{ recorded: number }>;
  /**
   * The refunds still to follow at a vendor: the newest delivered version of each refund whose lifecycle is not
   * final (`awaiting`, `in_progress`, `missing`), oldest delivery first, with the stored body and delivery answer.
   */
  followCandidates(vendor: Vendor): Promise<FollowCandidate[]>;
  /** Where the follower got to in a vendor's feed (`until`), or `undefined` before its first read. */
  followCursor(vendor: Vendor, feed: string): Promise<number | undefined>;
  /** How many refunds each vendor has in each lifecycle state (newest delivered version of each refund). */
  lifecycleCounts(): Promise<LifecycleCounts>;
  /** The refund in progress (`awaiting`, `in_progress` or `missing`) the longest at each vendor, by `stateSince`. */
  oldestInProgress(): Promise<Partial<Record<Vendor, LifecycleRecord>>>;
  /** Every observation of a refund (all versions, both vendors), in the order they were seen. */
  lifecycleHistory(refundNo: string): Promise<StoredObservation[]>;
  /**
   * The current lifecycle of every refund at every vendor (newest delivered version), ordered by refund number and
   * vendor; with `since`, only those delivered at or after it (epoch ms).
   */
  lifecycleRows(options?: { since?: number }): Promise<LifecycleRecord[]>;
  /** Releases the hold taken by `open` and closes the store. */
  close(): Promise<void>;
}
