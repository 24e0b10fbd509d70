import type { FieldDifference } from './holding-compare.js';
import type { Vendor } from './outbox-store.js';

/**
 * Where a delivered refund stands at a vendor, as the relay last saw it there:
 * - `awaiting`: delivered, and the vendor does not show it yet;
 * - `in_progress`: the vendor shows it, not yet final (`stage` and `vendorStatus` say where);
 * - `done`: final, and holding what the relay sent;
 * - `refused`: the vendor refused it for good (`reason` says why: a payment channel's refusal, an upload2
 *   `error_list` row, a cancelled 退换单);
 * - `missing`: still not visible at the vendor a threshold after delivery (followed on: it may still appear);
 * - `different`: the vendor holds other values than the relay sent (`differences`: field, ours, theirs).
 */
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Every lifecycle state, in the order the relay reports them. */
export const LIFECYCLE_STATES = ['awaiting', 'in_progress', 'done', 'refused', 'missing', 'different'] as const;

/** States the follower stops at: nothing the vendor does later changes them without a person. */
export const FINAL_LIFECYCLE_STATES: ReadonlySet<LifecycleState> = new Set<LifecycleState>([
  'done',
  'refused',
  'different',
]);

/** Whether the follower stops following a refund in `state` (`done`, `refused` or `different`). */
export function isFinalLifecycleState(state: LifecycleState): boolean {
  return FINAL_LIFECYCLE_STATES.has(state);
}

/**
 * The vendor record an observation was read from. Wangdian: `raw_refund` (原始退款单), `refund_order` (退换单),
 * `stockin` (退货入库单). Kingdee: `refund` (the refundSave outcome), `retail_bill` (the linked 零售单).
 */
export type LifecycleStage = 'raw_refund' | 'refund_order' | 'stockin' | 'refund' | 'retail_bill';

/**
 * Vendor facts of an observation: the vendor's own numbers and codes (退换单号, 入库单号, in_refund_no, bill id,
 * refund_status …). Never buyer personal data.
 */
export type LifecycleDetail = Record<string, string | number | boolean | null>;

/** What the relay saw of one delivered refund version at one vendor. */
export interface LifecycleObservation {
  refundNo: string;
  /** The outbox version that was delivered. */
  versionNo: number;
  vendor: Vendor;
  state: LifecycleState;
  stage: LifecycleStage | null;
  /** The vendor's status as `<code> <name>`, e.g. `20 待审核`, `0 待递交`, `PROCESSING`; null when none. */
  vendorStatus: string | null;
  /** Why it was refused (the vendor's words, redacted), or why it counts as missing; null otherwise. */
  reason: string | null;
  /** Set for `different` (from `compareHolding`: field, ours, theirs as exact decimal strings); empty otherwise. */
  differences: FieldDifference[];
  detail: LifecycleDetail;
}

/** An observation as stored: appended once, with the time it was seen (epoch ms, relay clock). */
export interface StoredObservation extends LifecycleObservation {
  seenAt: number;
}

/** What a vendor port can say about a refund's lifecycle straight from the delivery answer. */
export type DeliveryObservation = Omit<LifecycleObservation, 'refundNo' | 'versionNo' | 'vendor'>;

/**
 * The current lifecycle of one delivered refund version at one vendor: its latest observation plus when it was
 * delivered and since when it is in its state. Only the newest delivered version of a refund at a vendor counts.
 */
export interface LifecycleRecord extends LifecycleObservation {
  /** When the delivery was recorded (delivered, or refused by the vendor in its answer), epoch ms. */
  deliveredAt: number;
  /** When it entered `state` (first observation in that state), epoch ms. */
  stateSince: number;
  /** When its latest observation was appended, epoch ms. */
  seenAt: number;
}

/** A refund the follower still has to follow at a vendor (its lifecycle is not final). */
export interface FollowCandidate extends LifecycleRecord {
  /** The delivered refund version as stored (JSON of the canonical `Refund`). */
  body: string;
  /** The vendor's answer at delivery (parsed JSON), when it was kept. */
  vendorResult: unknown;
}

/** A durable position of the follower in one of a vendor's modified-time feeds (e.g. Wangdian `raw_refund`). */
export interface FollowCursor {
  vendor: Vendor;
  /** The feed's name, e.g. `raw_refund`, `refund_order`, `stockin`, `raw_refund_history`, `retail_bill`. */
  feed: string;
  /** Everything the vendor changed up to this time (epoch ms, the window's end) has been read. */
  until: number;
}

/** How many delivered refunds each vendor has in each lifecycle state (newest delivered version only). */
export type LifecycleCounts = Record<Vendor, Record<LifecycleState, number>>;

/** JSON with object keys sorted at every depth, so equal facts always serialise to the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The parts of an observation that make it news: equal keys mean nothing changed at the vendor. */
export function observationKey(observation: DeliveryObservation): string {
  return stableJson([
    observation.state,
    observation.stage,
    observation.vendorStatus,
    observation.reason,
    observation.differences,
    observation.detail,
  ]);
}

/** The awaiting observation a delivered refund starts with when its vendor's answer says nothing more. */
export const AWAITING: DeliveryObservation = {
  state: 'awaiting',
  stage: null,
  vendorStatus: null,
  reason: null,
  differences: [],
  detail: {},
};

/** One stored lifecycle row as both stores read it (JSON columns as text, times as numbers). */
export interface LifecycleRowText {
  refund_no: string;
  version_no: number;
  vendor: Vendor;
  state: LifecycleState;
  stage: LifecycleStage | null;
  vendor_status: string | null;
  reason: string | null;
  differences: string;
  detail: string;
  delivered_at: number | string;
  state_since: number | string;
  seen_at: number | string;
}

/** A stored lifecycle row as a `LifecycleRecord`. */
export function lifecycleRecordOf(row: LifecycleRowText): LifecycleRecord {
  return {
    refundNo: row.refund_no,
    versionNo: Number(row.version_no),
    vendor: row.vendor,
    state: row.state,
    stage: row.stage,
    vendorStatus: row.vendor_status,
    reason: row.reason,
    differences: JSON.parse(row.differences) as FieldDifference[],
    detail: JSON.parse(row.detail) as LifecycleDetail,
    deliveredAt: Number(row.delivered_at),
    stateSince: Number(row.state_since),
    seenAt: Number(row.seen_at),
  };
}

/** Empty lifecycle counts: every vendor, every state, 0. */
export function emptyLifecycleCounts(vendors: readonly Vendor[]): LifecycleCounts {
  return Object.fromEntries(
    vendors.map((vendor) => [vendor, Object.fromEntries(LIFECYCLE_STATES.map((state) => [state, 0]))]),
  ) as LifecycleCounts;
}
