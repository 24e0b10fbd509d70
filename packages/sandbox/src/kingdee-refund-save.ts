/**
 * The refundSave body as the Kingdee sandbox checks and stores it (零售退款保存, `POST /jdy/v2/ls/refundSave`).
 */
import { Decimal } from '@refundkit/refund-model';
import { writeKingdeeJson } from './kingdee-json.js';

/** Required string fields of the vendor page's body table. */
const REQUIRED = [
  'channel_order_no',
  'cmd',
  'mch_id',
  'refund_no',
  'service_group_name',
  'sign_msg',
  'terminal_ip',
  'terminal_no',
] as const;

/** Optional string fields of the vendor page's body table. */
const OPTIONAL = ['order_no', 'refund_amount', 'refund_desc', 'shop_id'] as const;

/** The refundSave body after the sandbox's checks: every documented field a string; unknown fields kept as sent. */
export interface KingdeeRefundSaveBody {
  channel_order_no: string;
  cmd: string;
  mch_id: string;
  refund_no: string;
  service_group_name: string;
  sign_msg: string;
  terminal_ip: string;
  terminal_no: string;
  order_no?: string;
  refund_amount?: string;
  refund_desc?: string;
  shop_id?: string;
  [field: string]: unknown;
}

/** The `data` the sandbox answers for a saved refund, shaped as the vendor page's response example. */
export interface KingdeeRefundSaveData {
  channel_refund_no: string;
  err: string;
  finish_time: string;
  in_refund_no: string;
  mch_id: string;
  msg: string;
  refund_amount: string;
  refund_no: string;
  refund_status: string;
  shop_id: string;
  trans_no: string;
}

/**
 * Checks a parsed refundSave body. Required fields must be present; a `null` required field counts as present and
 * empty (the vendor's own request example sends `"channel_order_no": null`); an optional `null` counts as absent.
 * Every documented field is a string; `refund_no` must be non-empty; `refund_amount`, when given, a non-negative
 * decimal string. Returns the normalised body or the problems (field names only, never values).
 */
export function checkRefundSaveBody(
  input: unknown,
): { ok: true; body: KingdeeRefundSaveBody } | { ok: false; problems: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: ['body must be a JSON object'] };
  }
  const source = input as Record<string, unknown>;
  const problems: string[] = [];
  const body: Record<string, unknown> = { ...source };
  for (const field of REQUIRED) {
    const value = source[field];
    if (value === undefined) problems.push(`${field} is required`);
    else if (value === null) body[field] = '';
    else if (typeof value !== 'string') problems.push(`${field} must be a string`);
  }
  for (const field of OPTIONAL) {
    const value = source[field];
    if (value === null) delete body[field];
    else if (value !== undefined && typeof value !== 'string') problems.push(`${field} must be a string`);
  }
  if (body.refund_no === '') problems.push('refund_no must not be empty');
  if (typeof body.refund_amount === 'string') {
    if (!/^\d+(\.\d+)?$/.test(body.refund_amount)) problems.push('refund_amount must be a non-negative decimal');
    else {
      try {
        Decimal.from(body.refund_amount);
      } catch {
        problems.push('refund_amount must be a decimal with at most 4 fraction digits');
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, body: body as KingdeeRefundSaveBody };
}

/** Names of the fields whose values differ between a stored body and a new one (amounts compared as decimals). */
export function differingFields(stored: KingdeeRefundSaveBody, next: KingdeeRefundSaveBody): string[] {
  const names = new Set([...Object.keys(stored), ...Object.keys(next)]);
  const differing: string[] = [];
  for (const name of names) {
    const a = stored[name];
    const b = next[name];
    if (name === 'refund_amount' && typeof a === 'string' && typeof b === 'string') {
      if (!Decimal.from(a).equals(Decimal.from(b))) differing.push(name);
    } else if (writeKingdeeJson(a) !== writeKingdeeJson(b)) differing.push(name);
  }
  return differing.sort();
}

/**
 * What the payment channel makes of a saved refund, as the sandbox answers it inside an accepted call (errcode 0):
 * `succeeded` (the default), `refused` by the channel, or still `pending`.
 */
export type KingdeeRefundOutcome =
  | { kind: 'succeeded' }
  | {
      kind: 'refused';
      /** `data.err` and, unless `msg` is given, `data.msg` (default `支付失败，签名异常`). */
      err?: string;
      msg?: string;
      /** `data.refund_status` (default `1SUCCESSd=false`, as the vendor's own refused example answers). */
      refundStatus?: string;
    }
  | {
      kind: 'pending';
      msg?: string;
      refundStatus?: string;
      /**
       * Sandbox time (ms) after the first save at which the channel settles the refund: the next save of it (an
       * identical re-save) answers `resolvesTo` from then on. Without it the refund stays pending.
       */
      resolvesAfterMs?: number;
      /** What it settles as (default `succeeded`). */
      resolvesTo?: 'succeeded' | Extract<KingdeeRefundOutcome, { kind: 'refused' }>;
    };

/** An outcome by its kind alone, or in full. */
export type KingdeeRefundOutcomeInput = KingdeeRefundOutcome | KingdeeRefundOutcome['kind'];

const OUTCOME_KINDS = new Set(['succeeded', 'refused', 'pending']);

/** Reads an outcome input; throws a `TypeError` naming `where` when it is not one. */
export function readRefundOutcome(input: KingdeeRefundOutcomeInput, where: string): KingdeeRefundOutcome {
  const outcome = typeof input === 'string' ? ({ kind: input } as KingdeeRefundOutcome) : input;
  if (typeof outcome !== 'object' || outcome === null || !OUTCOME_KINDS.has(outcome.kind)) {
    throw new TypeError(`${where} must be 'succeeded', 'refused' or 'pending', or an object with that kind`);
  }
  for (const name of ['err', 'msg', 'refundStatus'] as const) {
    const value = (outcome as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`${where}.${name} must be a string`);
  }
  if (outcome.kind === 'pending') {
    const { resolvesAfterMs, resolvesTo } = outcome;
    if (resolvesAfterMs !== undefined && !(Number.isFinite(resolvesAfterMs) && resolvesAfterMs >= 0)) {
      throw new TypeError(`${where}.resolvesAfterMs must be a non-negative number of ms`);
    }
    if (resolvesTo !== undefined && resolvesTo !== 'succeeded') {
      const settled = readRefundOutcome(resolvesTo, `${where}.resolvesTo`);
      if (settled.kind !== 'refused') throw new TypeError(`${where}.resolvesTo must be 'succeeded' or a refusal`);
    }
  }
  return { ...outcome };
}

/**
 * The outcome a pending refund saved at `savedAt` has settled into by `now` (`resolvesAfterMs` after it), or the
 * outcome itself while it has not.
 */
export function settledRefundOutcome(
  outcome: KingdeeRefundOutcome,
  savedAt: number,
  now: number,
): KingdeeRefundOutcome {
  if (outcome.kind !== 'pending' || outcome.resolvesAfterMs === undefined) return outcome;
  if (now < savedAt + outcome.resolvesAfterMs) return outcome;
  return outcome.resolvesTo === undefined || outcome.resolvesTo === 'succeeded'
    ? { kind: 'succeeded' }
    : outcome.resolvesTo;
}

/** The outcome fields of refundSave's `data`: `err`, `msg`, `refund_status` and `finish_time`. */
export function refundOutcomeFields(
  outcome: KingdeeRefundOutcome,
  finishTime: string,
): Pick<KingdeeRefundSaveData, 'err' | 'msg' | 'refund_status' | 'finish_time'> {
  switch (outcome.kind) {
    case 'succeeded':
      return { err: '', msg: 'success', refund_status: 'SUCCESS', finish_time: finishTime };
    case 'refused': {
      const err = outcome.err ?? '支付失败，签名异常';
      return {
        err,
        msg: outcome.msg ?? err,
        refund_status: outcome.refundStatus ?? '1SUCCESSd=false',
        finish_time: finishTime,
      };
    }
    case 'pending':
      return {
        err: '',
        msg: outcome.msg ?? '退款处理中',
        refund_status: outcome.refundStatus ?? 'PROCESSING',
        finish_time: '',
      };
  }
}
