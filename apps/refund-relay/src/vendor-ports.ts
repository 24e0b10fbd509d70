import {
  type KingdeeRetailClient,
  RefundkitError,
  toKingdeeRefundSave,
  VendorApiError,
} from '@refundkit/kingdee-retail';
import {
  isRefundkitError,
  toWangdianRawRefunds,
  UploadIncompleteError,
  validateWangdianRawRefunds,
  type WangdianClient,
  type WangdianRawRefundRow,
} from '@refundkit/wangdian-aftersales';
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
 * The Kingdee port: one `refundSave` per refund, the body made by `toKingdeeRefundSave`. Kingdee keeps the first
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
            return { ok: true, vendorResult: await client.refundSave(body) };
          } catch (error) {
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

/** How the relay sends refunds to Wangdian. */
export interface WangdianPortOptions {
  /** Upload every refund to this shop (`shop_no`); default: each refund's own `shopCode`. */
  shopNo?: string;
  /** Most `order_list` rows in one call (default 100, the vendor's advice). */
  maxRows?: number;
}

/**
 * The Wangdian port: several refunds per `uploadRawRefunds` call (one row per goods line, up to `maxRows` rows, one
 * shop per call), rows made by `toWangdianRawRefunds`. A refund whose rows fail the vendor's field checks fails alone,
 * before the call. When the client reports an upload that stopped part-way, exactly the refunds it names as uploaded
 * count as delivered; the others carry the error.
 */
export function createWangdianPort(client: WangdianClient, options: WangdianPortOptions = {}): VendorPort {
  const maxRows = options.maxRows ?? 100;
  return {
    vendor: 'wangdian',
    maxRefundsPerCall: maxRows,
    maxLinesPerCall: maxRows,
    sameShop: options.shopNo === undefined,
    async send(items) {
      const outcomes: (PortOutcome | undefined)[] = items.map(() => undefined);
      const rows: WangdianRawRefundRow[] = [];
      const sent: number[] = [];
      const shopNo = options.shopNo ?? items[0]?.refund.shopCode ?? '';
      items.forEach((item, index) => {
        try {
          const refundRows = toWangdianRawRefunds(item.refund);
          validateWangdianRawRefunds(shopNo, refundRows);
          rows.push(...refundRows);
          sent.push(index);
        } catch (error) {
          outcomes[index] = { ok: false, error, specific: true };
        }
      });
      if (sent.length > 0) {
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
            const refundNo = items[index]!.refund.refundNo;
            outcomes[index] = uploaded?.has(refundNo)
              ? { ok: true, vendorResult: { shopNo, uploadedBeforeFailure: true } }
              : { ok: false, error: reason };
          }
        }
      }
      return outcomes.map((outcome) => outcome ?? { ok: false, error: new Error('not sent') });
    },
  };
}
