import { type RefundkitErrorCode, ResponseError, VendorApiError } from '@refundkit/transport';
import { isRetryableStatus, type TransportResponse } from '@refundkit/transport/internal';
import * as v from 'valibot';

/** Gateway and platform codes with a meaning of their own (see docs/ for the table). */
const CODES: Readonly<Record<number, RefundkitErrorCode>> = {
  4001: 'AUTHENTICATION',
  4002: 'AUTHENTICATION',
  4003: 'AUTHENTICATION',
  4004: 'AUTHENTICATION',
  4005: 'AUTHENTICATION',
  4006: 'TIMESTAMP',
  4007: 'AUTHENTICATION',
  4008: 'AUTHENTICATION',
  4009: 'TOKEN',
  4010: 'TOKEN',
  4011: 'TOKEN',
  4012: 'PERMISSION',
  5000: 'SERVER',
  5001: 'NOT_FOUND',
  5002: 'INVALID_ARGUMENT',
  5003: 'OVERLOADED',
  5004: 'OVERLOADED',
  5005: 'SERVER',
  5006: 'OVERLOADED',
  5007: 'OVERLOADED',
  1030002006: 'AUTHENTICATION',
  2000002000: 'SERVER',
};
/** The codes after which trying again at once can help: the gateway was busy or failed. */
const RETRYABLE_CODES: ReadonlySet<RefundkitErrorCode> = new Set(['SERVER', 'OVERLOADED', 'RATE_LIMITED']);

/** The vendor code of a failed or expired authorization secret: re-authorize, then fetch a new app-token. */
export const APP_SECRET_REJECTED_CODE = '1030002006';
/**
 * Vendor codes after which the client fetches a new app-token and retries the call once: a rejected token
 * (4010/4011), or a rejected authorization secret (re-authorized first).
 */
export const TOKEN_REFRESH_CODES: ReadonlySet<unknown> = new Set(['4010', '4011', APP_SECRET_REJECTED_CODE]);

/**
 * Translates a Kingdee answer code into a refundkit code by its meaning: 4006 `TIMESTAMP`; 4001–4005, 4007, 4008
 * and 1030002006 `AUTHENTICATION`; 4009–4011 `TOKEN`; 4012 `PERMISSION`; 5003/5004/5006/5007 `OVERLOADED`
 * (retryable); 5000/5005 and 2000002000 `SERVER` (retryable); 5001 `NOT_FOUND`; 5002 `INVALID_ARGUMENT`; HTTP 429
 * `RATE_LIMITED` (retryable); other gateway codes under HTTP 519 `SERVER` (5xxx, retryable) or `UNKNOWN` (4xxx);
 * any business answer `BUSINESS`, including a refund number saved before with other content (Kingdee answers an
 * identical re-save with the stored result, so it has no "already exists" outcome to count as delivered).
 *
 * @example
 * kingdeeErrorCode(5007, 519); // { code: 'OVERLOADED', retryable: true }
 */
export function kingdeeErrorCode(vendorCode: number, status: number): { code: RefundkitErrorCode; retryable: boolean } {
  let code = CODES[vendorCode];
  if (code === undefined) {
    if (status === 429) code = 'RATE_LIMITED';
    else if (status === 519 && vendorCode >= 4000 && vendorCode < 5000) code = 'UNKNOWN';
    else code = status >= 500 ? 'SERVER' : 'BUSINESS';
  }
  return { code, retryable: RETRYABLE_CODES.has(code) };
}

const code = v.nullish(v.custom<number | string>((value) => typeof value === 'number' || typeof value === 'string'));
const optional = v.nullish(v.unknown());

/**
 * The Kingdee answer envelope: `errcode` (or, on some connector calls, `code`), a description under one of four
 * names, and `data`. Anything else passes through.
 */
const envelopeSchema = v.looseObject({
  errcode: code,
  code,
  description: optional,
  descriptionCn: optional,
  msg: optional,
  message: optional,
  data: optional,
});

function firstText(...values: unknown[]): string {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return 'no description';
}

/**
 * Reads a Kingdee JSON answer for `endpoint` through its envelope schema: answers `data` when `errcode` (or `code`)
 * is 0 under a 2xx status, and throws a `VendorApiError` with the vendor's code and message otherwise (see
 * {@link kingdeeErrorCode}). A JSON answer with neither field (such as `404 No Route` for a wrong
 * `X-GW-Router-Addr`) becomes a `VendorApiError` named after its HTTP status; one that is not an envelope at all is
 * a `ResponseError`.
 */
export function readKingdeeAnswer(endpoint: string, response: Pick<TransportResponse, 'status' | 'json'>): unknown {
  const { status } = response;
  const parsed = v.safeParse(envelopeSchema, response.json);
  if (!parsed.success || Array.isArray(response.json)) {
    throw new ResponseError(`kingdee ${endpoint} answered HTTP ${status} with JSON that is not a Kingdee envelope`, {
      status,
      endpoint,
      retryable: isRetryableStatus(status),
    });
  }
  const json = parsed.output;
  const raw = json.errcode ?? json.code;
  const message = firstText(json.description, json.descriptionCn, json.msg, json.message);
  if (raw === undefined || raw === null) {
    if (status >= 200 && status < 300) {
      throw new ResponseError(`kingdee ${endpoint} answered without errcode or code`, { status, endpoint });
    }
    throw new VendorApiError({
      vendor: 'kingdee',
      vendorCode: String(status),
      vendorMessage: message,
      status,
      endpoint,
      code: status === 404 ? 'NOT_FOUND' : status === 429 ? 'RATE_LIMITED' : status >= 500 ? 'SERVER' : 'UNKNOWN',
      retryable: isRetryableStatus(status),
    });
  }
  const vendorCode = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(vendorCode) || (typeof raw === 'string' && raw.trim() === '')) {
    throw new ResponseError(`kingdee ${endpoint} answered a code that is not a number`, {
      status,
      endpoint,
      retryable: isRetryableStatus(status),
    });
  }
  const succeeded = vendorCode === 0 || (json.errcode === undefined && vendorCode === 200);
  if (succeeded && status >= 200 && status < 300) return json.data;
  throw new VendorApiError({
    vendor: 'kingdee',
    vendorCode,
    vendorMessage: message,
    status,
    endpoint,
    ...kingdeeErrorCode(vendorCode, status),
  });
}
