import { ResponseError, redactText } from '@refundkit/transport';
import { isRetryableStatus, type TransportResponse } from '@refundkit/transport/internal';
import * as v from 'valibot';
import { classifyWangdianError, WangdianApiError } from './wangdian-errors.js';

const optional = v.optional(v.unknown());

/**
 * The Wangdian answer envelope: `status` (0, or absent, for success), `message` (some methods misspell it `messge`)
 * and `data`. Anything else passes through.
 */
const envelopeSchema = v.looseObject({
  /** A number, or digits as text; read below. */
  status: optional,
  message: optional,
  messge: optional,
  data: optional,
});

/**
 * Reads a Wangdian answer through its envelope schema: `data` on success (`status` 0 or absent, under a 2xx), a
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
  const parsed = v.safeParse(envelopeSchema, response.json);
  if (!parsed.success || Array.isArray(response.json)) {
    throw new ResponseError(
      `wangdian ${endpoint} answered HTTP ${httpStatus} with JSON that is not a Wangdian envelope`,
      {
        status: httpStatus,
        endpoint,
        retryable: retryableHttp,
      },
    );
  }
  const body = parsed.output;
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
