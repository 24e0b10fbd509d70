import {
  KingdeeRefundRefusedError,
  type KingdeeRetailClient,
  RefundkitError,
  toKingdeeRefundSave,
  VendorApiError,
} from '@refundkit/kingdee-retail';
import {
  InputValidationError,
  isRefundkitError,
  RawRefundsRefusedError,
  toWangdianRawRefunds,
  UploadIncompleteError,
  validateWangdianRawRefunds,
  type WangdianClient,
  type WangdianRawRefundRow,
} from '@refundkit/wangdian-aftersales';
import type { rawRefundUpload2 } from '@refundkit/wangdian-aftersales/endpoints';
import { kingdeeRefusalObservation, kingdeeSaveObservation } from './kingdee-follow-port.js';
import type { DeliveryItem, PortOutcome, VendorPort } from './vendor-port.js';

/** How the relay maps refunds for Kingdee's refundSave (the values the payment channel expects). */
export interface KingdeeMappingOptions {
  /** `cmd` (请求指令) of every refundSave body. */
  cmd: string;
  /** `sign_msg` (签名) of every refundSave body. */
  signMsg: string;
  /** Unit of `refund_amount`: `'fen'` (the vendor example, default) or `'yuan'`. */
  amountUnit?: 'fen' | 'yuan';
}

/**
 * The Kingdee port: one `refundSave` per refund, the body made by `toKingdeeRefundSave`. A refund the payment
 * channel refused (the call accepted, `data.err` set) fails with the channel's reason; a pending one is delivered
 * with `outcome: 'pending'` in its vendor result. Kingdee keeps the first
 * version of a refund: when a changed version is refused as a business error, the answer is turned into a clear,
 * non-retryable `BUSINESS` failure that names the changed fields.
 *
 * @example
 * const port = createKingdeePort(createKingdeeRetailClient({}), { cmd: 'pay.refund', signMsg: '1' });
 */
export function createKingdeePort(client: KingdeeRetailClient, mapping: KingdeeMappingOptions): VendorPort {
  const toBody = (item: DeliveryItem) =>
    toKingdeeRefundSave(item.refund, {
      cmd: mapping.cmd,
      signMsg: mapping.signMsg,
      ...(mapping.amountUnit ? { amountUnit: mapping.amountUnit } : {}),
    });
  return {
    vendor: 'kingdee',
    maxRefundsPerCall: 1,
    maxLinesPerCall: Number.MAX_SAFE_INTEGER,
    sameShop: false,
    async send(items) {
      return Promise.all(
        items.map(async (item): Promise<PortOutcome> => {
          let body: ReturnType<typeof toBody>;
          try {
            body = toBody(item);
          } catch (error) {
            return { ok: false, error, specific: true };
          }
          try {
            // A refund the channel refused rejects (KingdeeRefundRefusedError): recorded as failed with its reason.
            const result = await client.refundSave(body);
            return {
              ok: true,
              vendorResult: { outcome: result.outcome, ...result.data },
              observation: kingdeeSaveObservation(result, item.refund, mapping.amountUnit),
            };
          } catch (error) {
            if (KingdeeRefundRefusedError.isInstance(error)) {
              return { ok: false, error, specific: true, observation: kingdeeRefusalObservation(error) };
            }
            return { ok: false, error: explainKingdeeConflict(error, item, body, toBody) };
          }
        }),
      );
    },
  };
}

/**
 * Kingdee answers an identical re-save with the stored data, and refuses a refund number it already holds with
 * different content as a business error. When the relay delivered an earlier version of the refund, such a refusal
 * becomes a clear, non-retryable `BUSINESS` failure saying that Kingdee keeps the refund as first saved and naming
 * the changed fields; any other error is passed on as it is.
 */
function explainKingdeeConflict(
  error: unknown,
  item: DeliveryItem,
  body: object,
  toBody: (item: DeliveryItem) => object,
): unknown {
  if (!VendorApiError.isInstance(error) || error.code !== 'BUSINESS' || !item.previous) return error;
  let changed: string[];
  try {
    const before = toBody({ refund: item.previous, versionNo: item.versionNo - 1 }) as Record<string, unknown>;
    const after = body as Record<string, unknown>;
    changed = Object.keys({ ...before, ...after }).filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
  } catch {
    return error;
  }
  if (changed.length === 0) return error;
  const what = changed.includes('refund_amount') ? 'a changed refund_amount' : `changed ${changed.join(', ')}`;
  return new RefundkitError(
    `Kingdee keeps refund ${item.refund.refundNo} as first saved and refused ${what} (outbox version ${item.versionNo}); ` +
      `it does not accept changes to a saved refund. Vendor answer: ${error.message}`,
    { code: 'BUSINESS', cause: error },
  );
}

/** A Wangdian client that also serves upload2 (`endpoints: { rawRefundUpload2 }`), as the Wangdian port needs. */
export type WangdianPushClient = WangdianClient<{ rawRefundUpload2: typeof rawRefundUpload2 }>;

/** How the relay sends refunds to Wangdian. */
export interface WangdianPortOptions {
  /** Upload every refund to this shop (`shop_no`); default: each refund's own `shopCode`. */
  shopNo?: string;
  /** Most `order_list` rows in one call (default 100, the vendor's advice). */
  maxRows?: number;
  /**
   * The push method: `upload` (原始退款单推送, default: platform shops; a refused call refuses every row in it) or
   * `upload2` (原始退款单推送2, own-platform shops: it answers success and lists each refused refund in `error_list`,
   * which the port turns into that refund's failure and `refused` lifecycle, the others delivered).
   */
  push?: 'upload' | 'upload2';
}

/**
 * The Wangdian port: several refunds per call (one row per goods line, up to `maxRows` rows, one shop per call),
 * rows made by `toWangdianRawRefunds`. A refund whose rows fail the vendor's field checks fails alone, before the
 * call: the client checks the call's rows before sending them, and only when it refuses them are each refund's rows
 * checked alone and the others sent (so rows are checked once, not twice, when all are good). With `upload` (through `uploadRawRefunds`), when the client reports an upload that stopped part-way,
 * exactly the refunds it names as uploaded count as delivered; the others carry the error. With `upload2` (one
 * `rawRefundUpload2` call, each row's `modify_flag` saying what changed since the version Wangdian has), a refund
 * listed in `error_list` fails, not retried, with the vendor's reason, and is recorded as refused at stage
 * `raw_refund`; the rest of the call is delivered.
 */
export function createWangdianPort(client: WangdianPushClient, options: WangdianPortOptions = {}): VendorPort {
  const maxRows = options.maxRows ?? 100;
  const push = options.push ?? 'upload';
  return {
    vendor: 'wangdian',
    maxRefundsPerCall: maxRows,
    maxLinesPerCall: maxRows,
    sameShop: options.shopNo === undefined,
    async send(items) {
      const outcomes: (PortOutcome | undefined)[] = items.map(() => undefined);
      const shopNo = options.shopNo ?? items[0]?.refund.shopCode ?? '';
      // Each refund's rows as mapped (what the field checks read) and as sent (upload2 adds `modify_flag`).
      const rowsOf = items.map((item, index) => {
        try {
          const mapped = toWangdianRawRefunds(item.refund);
          const flag = push === 'upload2' ? modifyFlag(item) : undefined;
          return { mapped, sent: flag === undefined ? mapped : mapped.map((row) => ({ ...row, modify_flag: flag })) };
        } catch (error) {
          outcomes[index] = { ok: false, error, specific: true };
          return undefined;
        }
      });
      const upload = (sent: number[]) =>
        (push === 'upload2' ? sendUpload2 : sendUpload)(
          {
            client,
            shopNo,
            rows: sent.flatMap((index) => rowsOf[index]!.sent),
            sent,
            refundNoOf: (index: number) => items[index]!.refund.refundNo,
          },
          outcomes,
        );
      const sent = items.flatMap((_item, index) => (rowsOf[index] ? [index] : []));
      if (sent.length > 0) await upload(sent);
      // The client checks every row before it sends anything. When it refused the rows, each refund's rows are
      // checked alone: those that fail are refused before the call, and the others are sent in one call.
      if (sent.length > 1 && sent.every((index) => refusedBeforeSending(outcomes[index]))) {
        const valid = sent.filter((index) => {
          try {
            validateWangdianRawRefunds(shopNo, rowsOf[index]!.mapped);
            return true;
          } catch (error) {
            outcomes[index] = { ok: false, error, specific: true };
            return false;
          }
        });
        if (valid.length > 0 && valid.length < sent.length) await upload(valid);
      }
      return outcomes.map((outcome) => outcome ?? { ok: false, error: new Error('not sent') });
    },
  };
}

/** Whether a refund's outcome is the client's refusal of the call's rows, which it gives before sending anything. */
function refusedBeforeSending(outcome: PortOutcome | undefined): boolean {
  return outcome?.ok === false && InputValidationError.isInstance(outcome.error);
}

/** One Wangdian push: the rows of the refunds at `sent` (their indexes in the call's items), for one shop. */
interface UploadCall {
  client: WangdianPushClient;
  shopNo: string;
  rows: WangdianRawRefundRow[];
  sent: readonly number[];
  refundNoOf: (index: number) => string;
}

/** `upload` through the client's batching: a partial upload delivers exactly the refunds it names as uploaded. */
async function sendUpload(call: UploadCall, outcomes: (PortOutcome | undefined)[]): Promise<void> {
  const { client, shopNo, rows, sent, refundNoOf } = call;
  try {
    const result = await client.uploadRawRefunds(shopNo, rows);
    const vendorResult = { shopNo, newCount: result.newCount, chgCount: result.chgCount, refunds: sent.length };
    for (const index of sent) outcomes[index] = { ok: true, vendorResult };
  } catch (error) {
    const uploaded = UploadIncompleteError.isInstance(error) ? new Set(error.uploadedRefundNos) : undefined;
    // The failure that stopped a partial upload says more about each refund than the wrapper does.
    const cause = UploadIncompleteError.isInstance(error) ? error.cause : undefined;
    const reason = uploaded && isRefundkitError(cause) ? cause : error;
    for (const index of sent) {
      outcomes[index] = uploaded?.has(refundNoOf(index))
        ? { ok: true, vendorResult: { shopNo, uploadedBeforeFailure: true } }
        : { ok: false, error: reason };
    }
  }
}

/** `upload2` in one call: the refunds its `error_list` names fail as refused by Wangdian, the others are delivered. */
async function sendUpload2(call: UploadCall, outcomes: (PortOutcome | undefined)[]): Promise<void> {
  const { client, shopNo, rows, sent, refundNoOf } = call;
  try {
    const answer = await client.rawRefundUpload2(shopNo, rows);
    const vendorResult = { shopNo, push: 'upload2', newCount: answer.new_count, chgCount: answer.chg_count };
    for (const index of sent) outcomes[index] = { ok: true, vendorResult: { ...vendorResult, refunds: sent.length } };
  } catch (error) {
    if (!RawRefundsRefusedError.isInstance(error)) {
      for (const index of sent) outcomes[index] = { ok: false, error };
      return;
    }
    const reasons = new Map(error.refused.map((entry) => [entry.refundNo, entry.reason]));
    const vendorResult = { shopNo, push: 'upload2', newCount: error.newCount, chgCount: error.chgCount };
    for (const index of sent) {
      const refundNo = refundNoOf(index);
      const reason = reasons.get(refundNo);
      outcomes[index] =
        reason === undefined
          ? { ok: true, vendorResult: { ...vendorResult, refunds: sent.length - reasons.size } }
          : {
              ok: false,
              specific: true,
              error: new RefundkitError(`Wangdian refused raw refund ${refundNo} in upload2's error_list: ${reason}`, {
                code: 'BUSINESS',
                cause: error,
              }),
              observation: {
                state: 'refused',
                stage: 'raw_refund',
                vendorStatus: null,
                reason,
                differences: [],
                detail: { push: 'upload2' },
              },
            };
    }
  }
}

/**
 * upload2's `modify_flag` for a refund's rows: 1 (new order) for a first version, else the changes since the
 * version Wangdian has: 2 when the status changed, 4 when an amount did.
 */
function modifyFlag(item: DeliveryItem): 0 | 1 | 2 | 4 | 6 {
  const { refund, previous } = item;
  if (!previous) return 1;
  const status = refund.status !== previous.status ? 2 : 0;
  const amounts =
    !refund.actualAmount.equals(previous.actualAmount) || !refund.requestedAmount.equals(previous.requestedAmount)
      ? 4
      : 0;
  return (status + amounts) as 0 | 2 | 4 | 6;
}
