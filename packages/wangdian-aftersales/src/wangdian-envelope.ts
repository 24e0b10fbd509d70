import { ResponseError, redactText } from '@refundkit/transport';
import { isRetryableStatus, type TransportResponse } from '@refundkit/transport/internal';
import { classifyWangdianError, WangdianApiError } from './wangdian-errors.js';

/**
 * The Wangdian answer envelope: `status` (0, or absent, for success), `message` (some methods misspell it `messge`)
 * and `data`. Anything else passes through.
 */
interface Envelope {
  status?: unknown;
  message?: unknown;
  messge?: unknown;
  data?: unknown;
}

/**
 * Reads a Wangdian answer envelope: `data` on success (`status` 0 or absent, under a 2xx), a
 * `WangdianApiError` classified by {@link classifyWangdianError} otherwise, with every `privateValues` entry
 * (secret, salt, sign, buyer data) hidden from the vendor's message; an answer that is no envelope is a
 * `ResponseError`. A rate-limit answer carries `retryAfterMs: rateLimitBackoffMs`.
 */
export function readWangdianAnswer(
  response: Pick<TransportResponse, 'status' | 'json'>,
  endpoint: string,
  privateValues: readonly (string | undefined)[],
  rateLimitBackoffMs: number,
): unknown {
  const { status: httpStatus } = response;
  const retryableHttp = isRetryableStatus(httpStatus);
  const json = response.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ResponseError(
      `wangdian ${endpoint} answered HTTP ${httpStatus} with JSON that is not a Wangdian envelope`,
      {
        status: httpStatus,
        endpoint,
        retryable: retryableHttp,
      },
    );
  }
  // Every field is `unknown`, so any object is an envelope; each field is read below.
  const body: Envelope = json;
  const raw = body.status;
  const vendorStatus = raw === undefined || raw === null || raw === '' ? 0 : Number(raw);
  if ((typeof raw !== 'number' && typeof raw !== 'string' && raw != null) || !Number.isInteger(vendorStatus)) {
    throw new ResponseError(`wangdian ${endpoint} answered a status that is not a number`, {
      status: httpStatus,
      endpoint,
    });
  }
  if (vendorStatus === 0) {
    if (httpStatus < 200 || httpStatus > 299) {
      throw new ResponseError(`wangdian ${endpoint} answered HTTP ${httpStatus} without a vendor status`, {
        status: httpStatus,
        endpoint,
        retryable: retryableHttp,
      });
    }
    return body.data;
  }
  const rawMessage =
    typeof body.message === 'string' ? body.message : typeof body.messge === 'string' ? body.messge : '';
  const meaning = classifyWangdianError(vendorStatus, rawMessage);
  throw new WangdianApiError({
    vendorCode: vendorStatus,
    vendorMessage: redactText(rawMessage, privateValues),
    status: httpStatus,
    endpoint,
    code: meaning.code,
    reason: meaning.reason,
    retryable: meaning.retryable,
    ...(meaning.code === 'RATE_LIMITED' ? { retryAfterMs: rateLimitBackoffMs } : {}),
  });
}
