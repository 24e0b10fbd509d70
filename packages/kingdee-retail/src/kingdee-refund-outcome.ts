import { RefundkitError, VendorApiError } from '@refundkit/transport';
import type { KingdeeRefundSaveBody, KingdeeRefundSaveData } from './endpoints/refund-save.js';

/*
 * What a refundSave answer says about the refund itself. The gateway answers `errcode 0` whenever it accepted the
 * call; the payment channel's own verdict is in `data`: `err` / `msg` (its code and message) and `refund_status`.
 * The vendor's own example is a refusal that still reads like a success at a glance: `errcode 0`, `description
 * "success"`, `data.err = "支付失败，签名异常"`, `refund_status = "1SUCCESSd=false"`. So `err` decides first.
 */

/** How the channel took a saved refund, short of a refusal (a refusal is a {@link KingdeeRefundRefusedError}). */
export type KingdeeRefundOutcome = 'succeeded' | 'pending' | 'unknown';

/** What `refundSave` answers: the outcome, read from the documented fields, and the answer's `data` as it came. */
export interface KingdeeRefundSaveResult {
  /** `succeeded` (the channel refunded), `pending` (it is still refunding) or `unknown` (the answer does not say). */
  readonly outcome: KingdeeRefundOutcome;
  /** The answer's `data`, every field as the gateway sent it. */
  readonly data: KingdeeRefundSaveData;
}

/** `refund_status` values of a refund still under way at the channel. */
const PENDING_STATUSES: ReadonlySet<string> = new Set(['PROCESSING', 'PENDING', 'REFUNDING', 'USERPAYING']);
/** `refund_status` values of a refund the channel closed or failed, even without an `err`. */
const REFUSED_STATUSES: ReadonlySet<string> = new Set([
  'FAIL',
  'FAILED',
  'CLOSED',
  'REFUNDCLOSE',
  'ABNORMAL',
  'CHANGE',
]);

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Reads the channel's verdict from refundSave's `data`: a non-empty `err` is a refusal whatever `refund_status`
 * says; else `refund_status` `SUCCESS` succeeded, `PROCESSING` (and the like) pending, `FAIL` / `CLOSED` /
 * `REFUNDCLOSE` / `ABNORMAL` / `CHANGE` refused; anything else, an empty status included, unknown.
 *
 * @example
 * readKingdeeRefundOutcome({ err: '支付失败，签名异常', refund_status: '1SUCCESSd=false' }); // 'refused'
 */
export function readKingdeeRefundOutcome(data: KingdeeRefundSaveData): KingdeeRefundOutcome | 'refused' {
  if (text(data.err) !== '') return 'refused';
  const status = text(data.refund_status).toUpperCase();
  if (status === 'SUCCESS') return 'succeeded';
  if (PENDING_STATUSES.has(status)) return 'pending';
  if (REFUSED_STATUSES.has(status)) return 'refused';
  return 'unknown';
}

const REFUSED_MARKER: unique symbol = Symbol.for('refundkit.error.KingdeeRefundRefusedError');

/**
 * The payment channel refused the refund although the gateway accepted the call (`errcode 0`). It is a
 * `VendorApiError` with code `BUSINESS`, neither retryable nor resendable (the same body would be refused again):
 * `vendorCode` is the channel's `err` (or `refund_status` when `err` is empty), `vendorMessage` its `msg`, and
 * `data` the answer as it came.
 *
 * @example
 * catch (e) { if (KingdeeRefundRefusedError.isInstance(e)) markFailed(e.refundNo, e.vendorMessage); }
 */
export class KingdeeRefundRefusedError extends VendorApiError {
  declare readonly [REFUSED_MARKER]: true;
  /** The refund number of the answer (or of the body when the answer has none). */
  declare readonly refundNo: string;
  /** `refund_status` as the gateway sent it. */
  declare readonly refundStatus: string;
  /** The answer's `data`. */
  declare readonly data: KingdeeRefundSaveData;

  constructor(init: { data: KingdeeRefundSaveData; refundNo: string; endpoint: string }) {
    const { data } = init;
    const err = text(data.err);
    const refundStatus = typeof data.refund_status === 'string' ? data.refund_status : '';
    super({
      vendor: 'kingdee',
      vendorCode: err || refundStatus || 'refused',
      vendorMessage: text(data.msg) || err || 'the payment channel refused the refund',
      status: 200,
      endpoint: init.endpoint,
      code: 'BUSINESS',
      retryable: false,
      resendable: false,
    });
    RefundkitError.mark(this, REFUSED_MARKER);
    this.name = 'KingdeeRefundRefusedError';
    this.message = `kingdee refund ${init.refundNo} was refused by the payment channel: ${this.vendorMessage} (err ${this.vendorCode}, refund_status ${refundStatus || 'empty'})`;
    this.refundNo = init.refundNo;
    this.refundStatus = refundStatus;
    // Not enumerable, so `toJSON()` leaves the answer out: it may hold fields nobody documented.
    Object.defineProperty(this, 'data', { value: data, enumerable: false });
  }

  static override isInstance(value: unknown): value is KingdeeRefundRefusedError {
    return RefundkitError.hasMarker(value, REFUSED_MARKER);
  }
}

/**
 * Turns refundSave's checked `data` into the client's answer: a {@link KingdeeRefundSaveResult} for a refund that
 * succeeded, is pending or whose outcome the answer does not tell; a thrown {@link KingdeeRefundRefusedError} for
 * one the channel refused, so a caller that ignores the outcome cannot count a refused refund as done.
 */
export function toKingdeeRefundSaveResult(
  data: KingdeeRefundSaveData,
  body: KingdeeRefundSaveBody,
): KingdeeRefundSaveResult {
  const outcome = readKingdeeRefundOutcome(data);
  if (outcome !== 'refused') return { outcome, data };
  const refundNo = typeof data.refund_no === 'string' && data.refund_no !== '' ? data.refund_no : body.refund_no;
  throw new KingdeeRefundRefusedError({ data, refundNo, endpoint: 'POST /jdy/v2/ls/refundSave' });
}
