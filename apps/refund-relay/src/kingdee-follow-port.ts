import {
  KingdeeRefundRefusedError,
  type KingdeeRefundSaveResult,
  type KingdeeRetailClient,
  toKingdeeRefundSave,
} from '@refundkit/kingdee-retail';
import { type KingdeeRetailBill, retailBillList } from '@refundkit/kingdee-retail/endpoints';
import { parseRefund, type Refund } from '@refundkit/refund-model';
import { type FollowPass, problemText, type VendorFollowPort } from './follow-port.js';
import { compareHolding, expectedHolding, kingdeeAmountInYuan } from './holding-compare.js';
import type { DeliveryObservation, FollowCandidate, LifecycleDetail } from './lifecycle.js';
import type { KingdeeMappingOptions } from './vendor-ports.js';

const DAY_MS = 86_400_000;

/**
 * What a refundSave answer says of the refund's lifecycle: the channel's outcome (`succeeded`, `pending`,
 * `unknown`) in progress at stage `refund` (a succeeded one is done once its retail bill was looked for), or
 * `different` when Kingdee holds another `refund_amount` than was sent.
 */
export function kingdeeSaveObservation(
  result: KingdeeRefundSaveResult,
  refund: Refund,
  amountUnit: 'fen' | 'yuan' = 'fen',
): DeliveryObservation {
  const { data } = result;
  const detail: LifecycleDetail = { outcome: result.outcome };
  for (const name of ['refund_status', 'in_refund_no', 'channel_refund_no', 'finish_time', 'msg'] as const) {
    if (typeof data[name] === 'string' && data[name] !== '') detail[name] = data[name];
  }
  const held = typeof data.refund_amount === 'string' && data.refund_amount !== '' ? data.refund_amount : undefined;
  const differences =
    held === undefined
      ? []
      : compareHolding(expectedHolding('kingdee', refund), { refund_amount: kingdeeAmountInYuan(held, amountUnit) });
  return {
    state: differences.length > 0 ? 'different' : 'in_progress',
    stage: 'refund',
    vendorStatus: typeof data.refund_status === 'string' && data.refund_status !== '' ? data.refund_status : null,
    reason: null,
    differences,
    detail,
  };
}

/** A refund the payment channel refused: `refused` at stage `refund`, the channel's message as the reason. */
export function kingdeeRefusalObservation(error: KingdeeRefundRefusedError): DeliveryObservation {
  return {
    state: 'refused',
    stage: 'refund',
    vendorStatus: error.refundStatus === '' ? null : error.refundStatus,
    reason: error.vendorMessage,
    differences: [],
    detail: { outcome: 'refused', err: error.vendorCode },
  };
}

/** The queries the Kingdee follower makes besides refundSave: what its client must be given (`endpoints`). */
export const KINGDEE_FOLLOW_ENDPOINTS = { retailBillList };

/** A Kingdee client serving the follower's queries. */
export type KingdeeFollowClient = KingdeeRetailClient<typeof KINGDEE_FOLLOW_ENDPOINTS>;

/** Options of `createKingdeeFollowPort`. */
export interface KingdeeFollowOptions {
  /** The mapping delivery used: a re-save must be the identical body. */
  mapping: KingdeeMappingOptions;
}

/** How far before a refund's creation its sale's retail bill is looked for. */
const BILL_LOOKBACK_MS = 30 * DAY_MS;

/**
 * The Kingdee follow port. Kingdee offers no refund query: the channel's outcome comes in refundSave's answer, which
 * the delivery already stored, and an identical re-save answers the refund's current outcome without changing it.
 * A pass therefore calls nothing for refunds whose outcome is known; re-saves (one call each) only the ones the
 * channel left pending or did not say; and for the refunds that succeeded, walks the retail bill list once, by bill
 * time from the earliest one's creation (less `BILL_LOOKBACK_MS`) to now, 100 bills a page, to find each refund's
 * sale (a bill whose `bill_no` is the refund's order number): calls grow with pending refunds and bill pages, never
 * one per refund. A succeeded refund is then `done`, with its bill in the detail when there is one.
 */
export function createKingdeeFollowPort(client: KingdeeFollowClient, options: KingdeeFollowOptions): VendorFollowPort {
  const { mapping } = options;
  const unit = mapping.amountUnit ?? 'fen';
  return {
    vendor: 'kingdee',
    async follow(candidates, context): Promise<FollowPass> {
      const pass: FollowPass = { observations: [], cursors: [], problems: [] };
      const succeeded: { candidate: FollowCandidate; refund: Refund; observation: DeliveryObservation }[] = [];
      const observe = (candidate: FollowCandidate, observation: DeliveryObservation) =>
        pass.observations.push({
          refundNo: candidate.refundNo,
          versionNo: candidate.versionNo,
          vendor: 'kingdee',
          ...observation,
        });
      for (const candidate of candidates) {
        if (context.signal?.aborted) break;
        let refund: Refund;
        try {
          refund = parseRefund(JSON.parse(candidate.body));
        } catch {
          pass.problems.push(`refund ${candidate.refundNo}: its stored body is no longer readable`);
          continue;
        }
        if (candidate.stage === 'refund' && candidate.detail.outcome === 'succeeded') {
          succeeded.push({ candidate, refund, observation: candidate });
          continue;
        }
        const answered = deliveryAnswer(candidate);
        if (candidate.stage !== 'refund' && answered?.outcome === 'succeeded') {
          succeeded.push({ candidate, refund, observation: kingdeeSaveObservation(answered, refund, unit) });
          continue;
        }
        try {
          const body = toKingdeeRefundSave(refund, mapping);
          const result = await client.refundSave(body, context.signal ? { signal: context.signal } : {});
          const observation = kingdeeSaveObservation(result, refund, unit);
          if (result.outcome === 'succeeded' && observation.state === 'in_progress') {
            succeeded.push({ candidate, refund, observation });
          } else observe(candidate, observation);
        } catch (error) {
          if (KingdeeRefundRefusedError.isInstance(error)) observe(candidate, kingdeeRefusalObservation(error));
          else pass.problems.push(`refund ${candidate.refundNo}: ${problemText(error)}`);
        }
      }
      if (succeeded.length === 0 || context.signal?.aborted) return pass;
      let bills: Map<string, KingdeeRetailBill>;
      try {
        const since = Math.min(...succeeded.map(({ candidate, refund }) => createdAt(candidate, refund)));
        bills = await billsByNumber(client, since - BILL_LOOKBACK_MS, context.now, context.signal);
      } catch (error) {
        // Each stays in progress with what its re-save said; the bills are looked for again next pass.
        for (const { candidate, observation } of succeeded)
          if (observation !== candidate) observe(candidate, observation);
        pass.problems.push(`retail bills: ${problemText(error)}`);
        return pass;
      }
      for (const { candidate, refund, observation } of succeeded) {
        const bill = bills.get(refund.orderNo);
        observe(candidate, {
          state: 'done',
          stage: bill ? 'retail_bill' : 'refund',
          vendorStatus: observation.vendorStatus,
          reason: null,
          differences: [],
          detail: {
            ...observation.detail,
            retailBillNo: bill?.bill_no ?? null,
            ...(bill ? { retailBillId: bill.id ?? null, retailBillState: bill.order_state ?? null } : {}),
          },
        });
      }
      return pass;
    },
  };
}

/** The refundSave answer the delivery stored (`{ outcome, ...data }`), when it has one. */
function deliveryAnswer(candidate: FollowCandidate): KingdeeRefundSaveResult | undefined {
  const result = candidate.vendorResult;
  if (typeof result !== 'object' || result === null) return undefined;
  const { outcome, ...data } = result as { outcome?: unknown };
  return outcome === 'succeeded' || outcome === 'pending' || outcome === 'unknown'
    ? { outcome, data: data as KingdeeRefundSaveResult['data'] }
    : undefined;
}

function createdAt(candidate: FollowCandidate, refund: Refund): number {
  return Math.min(candidate.deliveredAt, refund.createdAt?.getTime() ?? candidate.deliveredAt);
}

/** Every retail bill with a bill time in `from`..`to`, by bill number (one list walk, 100 a page). */
async function billsByNumber(
  client: KingdeeFollowClient,
  from: number,
  to: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, KingdeeRetailBill>> {
  const bills = new Map<string, KingdeeRetailBill>();
  const query = { start_time: Math.max(0, from), end_time: to };
  for await (const bill of client.pages('GET /jdy/v2/ls/retail_bill', query, { pageSize: 100, signal })) {
    if (typeof bill.bill_no === 'string' && !bills.has(bill.bill_no)) bills.set(bill.bill_no, bill);
  }
  return bills;
}
