import type { Refund } from '@refundkit/refund-model';
import type { DeliveryObservation } from './lifecycle.js';
import type { Vendor } from './outbox-store.js';

/** One refund handed to a vendor port, with the version the vendor already has when there is one. */
export interface DeliveryItem {
  refund: Refund;
  /** The outbox version number (1, 2, …) of `refund`. */
  versionNo: number;
  /** The last version of the same refund this vendor received, when `refund` is a changed version. */
  previous?: Refund;
}

/**
 * How one refund of a vendor call ended. `specific` marks an error that belongs to this refund alone (its mapping
 * failed), so the relay does not try to isolate it from the rest of its batch. `observation` is what the answer
 * already says of the refund's lifecycle (Kingdee's channel outcome; a refusal the vendor listed for this refund),
 * stored with the delivery; on a failure it counts only when the failure is final.
 */
export type PortOutcome =
  | { ok: true; vendorResult: unknown; alreadyThere?: boolean; observation?: DeliveryObservation }
  | { ok: false; error: unknown; specific?: boolean; observation?: DeliveryObservation };

/**
 * What the relay needs from a vendor: how large one call may be and a way to send a batch. The relay owns retries,
 * rate limits and bookkeeping; a port only maps refunds and calls its client once per `send`. Tests inject fakes.
 */
export interface VendorPort {
  readonly vendor: Vendor;
  /** Most refunds in one call (Kingdee 1: one `refundSave` per refund). */
  readonly maxRefundsPerCall: number;
  /** Most goods lines in one call (Wangdian 100 `order_list` rows). */
  readonly maxLinesPerCall: number;
  /** Whether every refund of one call must belong to the same shop. */
  readonly sameShop: boolean;
  /** Sends the items in one call; answers one outcome per item, in order. Never rejects for a vendor error. */
  send(items: readonly DeliveryItem[]): Promise<PortOutcome[]>;
}
