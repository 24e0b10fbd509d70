import {
  isRefundkitError,
  RefundkitError,
  type RefundkitErrorCode,
  VendorApiError,
  type VendorApiErrorInit,
} from '@refundkit/transport';

const API_ERROR_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.WangdianApiError');
const UPLOAD_INCOMPLETE_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.UploadIncompleteError');

/**
 * What a Wangdian error means, finer than its `code`: status 1 is split by its message into `sid-not-found`
 * (wrong `sid` or wrong environment), `signature` (验证失败: bad key, salt or sign) and `argument`; status 100 into
 * `rate-limit`, `already-exists` and `business`.
 */
export type WangdianErrorReason =
  | 'sid-not-found'
  | 'signature'
  | 'argument'
  | 'unknown-parameter'
  | 'dynamic-password'
  | 'database'
  | 'ip-restricted'
  | 'timestamp'
  | 'version'
  | 'other'
  | 'rate-limit'
  | 'already-exists'
  | 'business'
  | 'unknown';

/** What a {@link WangdianApiError} is built from. */
export interface WangdianApiErrorInit extends Omit<VendorApiErrorInit, 'vendor'> {
  reason: WangdianErrorReason;
}

/**
 * Wangdian answered with `status` ≠ 0. Besides the `VendorApiError` facts (`vendorCode` is the status as text,
 * `vendorMessage` the vendor's `message`, `status` the HTTP status, `endpoint` like
 * `POST /openapi aftersales.refund.RawRefund.upload`), it carries `reason`, what the answer means in Wangdian's
 * terms. Branch on `code` (portable across vendors) or on `reason` (Wangdian-specific).
 */
export class WangdianApiError extends VendorApiError {
  declare readonly reason: WangdianErrorReason;

  constructor(init: WangdianApiErrorInit) {
    super({ ...init, vendor: 'wangdian' });
    RefundkitError.mark(this, API_ERROR_MARKER);
    this.name = 'WangdianApiError';
    this.reason = init.reason;
  }

  /** Whether `value` is a `WangdianApiError`, from this copy of the package or another. */
  static override isInstance(value: unknown): value is WangdianApiError {
    return RefundkitError.hasMarker(value, API_ERROR_MARKER);
  }
}

/** The refundkit meaning of a Wangdian answer: code, reason and whether trying again may help. */
export interface WangdianErrorMeaning {
  code: RefundkitErrorCode;
  reason: WangdianErrorReason;
  retryable: boolean;
}

/** Strips the punctuation and spaces the vendor varies (`超过每分钟最大调用频率限制!`, `最大并发次数 限制`). */
function bare(message: string): string {
  return message.replace(/[\p{P}\p{S}\s]/gu, '');
}

const RATE_LIMIT = /超过每分钟最大调用频率限制|最大并发次数限制/;
const ALREADY_EXISTS = /退换单已存在/;
const SID_NOT_FOUND = /sid.*(不存在|notexist|notfound|无效)|卖家账号.*不存在/i;
const SIGNATURE = /验证失败|签名|sign|salt|appkey|app_key|key不存在|key错误|key无效/i;

/**
 * Translates a Wangdian `status` and `message` into a refundkit meaning, following the vendor's code table:
 *
 * | status | message | code | reason | retried |
 * | --- | --- | --- | --- | --- |
 * | 1 | `sid` not found | AUTHENTICATION | sid-not-found | no |
 * | 1 | 验证失败 / sign / key / salt | AUTHENTICATION | signature | no |
 * | 1 | anything else | INVALID_ARGUMENT | argument | no |
 * | 2 | | INVALID_ARGUMENT | unknown-parameter | no |
 * | 3 | | AUTHENTICATION | dynamic-password | no |
 * | 4, 5 | | SERVER | database | no |
 * | 6 | | PERMISSION | ip-restricted | no |
 * | 7 | | TIMESTAMP | timestamp | re-signed once |
 * | 8 | | INVALID_ARGUMENT | version | no |
 * | 99 | | UNKNOWN | other | no |
 * | 100 | 超过每分钟最大调用频率限制 / 最大并发次数限制 | RATE_LIMITED | rate-limit | yes, after the long backoff |
 * | 100 | 退换单已存在 | ALREADY_EXISTS | already-exists | no |
 * | 100 | anything else | BUSINESS | business | no |
 * | other | | UNKNOWN | unknown | no |
 */
export function classifyWangdianError(status: number, message: string): WangdianErrorMeaning {
  const text = bare(message);
  switch (status) {
    case 1:
      if (SID_NOT_FOUND.test(text)) return { code: 'AUTHENTICATION', reason: 'sid-not-found', retryable: false };
      if (SIGNATURE.test(text)) return { code: 'AUTHENTICATION', reason: 'signature', retryable: false };
      return { code: 'INVALID_ARGUMENT', reason: 'argument', retryable: false };
    case 2:
      return { code: 'INVALID_ARGUMENT', reason: 'unknown-parameter', retryable: false };
    case 3:
      return { code: 'AUTHENTICATION', reason: 'dynamic-password', retryable: false };
    case 4:
    case 5:
      return { code: 'SERVER', reason: 'database', retryable: false };
    case 6:
      return { code: 'PERMISSION', reason: 'ip-restricted', retryable: false };
    case 7:
      return { code: 'TIMESTAMP', reason: 'timestamp', retryable: false };
    case 8:
      return { code: 'INVALID_ARGUMENT', reason: 'version', retryable: false };
    case 99:
      return { code: 'UNKNOWN', reason: 'other', retryable: false };
    case 100:
      if (RATE_LIMIT.test(text)) return { code: 'RATE_LIMITED', reason: 'rate-limit', retryable: true };
      if (ALREADY_EXISTS.test(text)) return { code: 'ALREADY_EXISTS', reason: 'already-exists', retryable: false };
      return { code: 'BUSINESS', reason: 'business', retryable: false };
    default:
      return { code: 'UNKNOWN', reason: 'unknown', retryable: false };
  }
}

/** How one upload call ended: `uploaded`, `failed` (the call that stopped the upload) or `skipped` (never sent). */
export type WangdianBatchOutcome = 'uploaded' | 'failed' | 'skipped';

/** One call of an upload: its position, the refund numbers and rows it carried, and how it ended. */
export interface WangdianUploadBatch {
  /** 0-based position of the call. */
  index: number;
  /** The distinct `refund_no` values of its rows, in first-seen order. */
  refundNos: string[];
  /** How many rows it carried. */
  rowCount: number;
  outcome: WangdianBatchOutcome;
  /** The vendor's `new_count` (uploaded batches only). */
  newCount?: number;
  /** The vendor's `chg_count` (uploaded batches only). */
  chgCount?: number;
  /** The refundkit code of the error that ended it (failed batch only). */
  errorCode?: RefundkitErrorCode;
}

/** What `uploadRawRefunds` answers: the vendor's counts summed over every call, and each call's facts. */
export interface WangdianUploadResult {
  /** Refunds the ERP created (sum of `new_count`). */
  newCount: number;
  /** Refunds the ERP updated (sum of `chg_count`); a re-upload counts here. */
  chgCount: number;
  batches: WangdianUploadBatch[];
}

/**
 * An upload stopped part-way (or at its first call): the calls before the failed one were uploaded, the failed
 * one and every later one were not. `code`, `retryable` and `retryAfterMs` are the cause's, so the error is handled
 * like the failure that ended it; `uploadedRefundNos` and `notUploadedRefundNos` say exactly which refund numbers
 * went in and which must be sent again (re-sending is safe: the ERP counts a known `refund_no` as changed), and
 * `result` is the partial result. When the cause is a timeout or a network failure the failed call may have
 * reached the ERP anyway; its refunds are still listed as not uploaded, since re-sending them is harmless.
 */
export class UploadIncompleteError extends RefundkitError {
  declare readonly uploadedRefundNos: readonly string[];
  declare readonly notUploadedRefundNos: readonly string[];
  /** The refund numbers of the call that failed (a subset of `notUploadedRefundNos`). */
  declare readonly failedRefundNos: readonly string[];
  declare readonly result: WangdianUploadResult;

  constructor(result: WangdianUploadResult, cause: unknown) {
    const failed = result.batches.find((batch) => batch.outcome === 'failed');
    const uploaded = result.batches.filter((batch) => batch.outcome === 'uploaded').flatMap((b) => b.refundNos);
    const notUploaded = result.batches.filter((batch) => batch.outcome !== 'uploaded').flatMap((b) => b.refundNos);
    const known = isRefundkitError(cause);
    const code: RefundkitErrorCode = known ? cause.code : 'UNKNOWN';
    const where = failed ? `call ${failed.index + 1} of ${result.batches.length}` : 'before the first call';
    super(
      `aftersales.refund.RawRefund.upload stopped at ${where} (${code}): ${uploaded.length} refunds uploaded, ` +
        `${notUploaded.length} not uploaded${known ? `; ${cause.message}` : ''}`,
      {
        code,
        // The cause's own answer to "can trying again help?"; an unknown cause is neither retryable nor resendable.
        ...(known
          ? { retryable: cause.retryable, resendable: cause.resendable, retryAfterMs: cause.retryAfterMs }
          : {}),
        cause,
      },
    );
    RefundkitError.mark(this, UPLOAD_INCOMPLETE_MARKER);
    this.name = 'UploadIncompleteError';
    this.uploadedRefundNos = Object.freeze(uploaded);
    this.notUploadedRefundNos = Object.freeze(notUploaded);
    this.failedRefundNos = Object.freeze([...(failed?.refundNos ?? [])]);
    this.result = result;
  }

  /** Whether `value` is an `UploadIncompleteError`, from this copy of the package or another. */
  static override isInstance(value: unknown): value is UploadIncompleteError {
    return RefundkitError.hasMarker(value, UPLOAD_INCOMPLETE_MARKER);
  }
}

const REFUSED_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.RawRefundsRefusedError');

/** One refund number a push refused, with the vendor's reason (its `error_list` entry). */
export interface WangdianRefusedRefund {
  refundNo: string;
  reason: string;
}

/**
 * `aftersales.refund.RawRefund.upload2` answered `status: 0` but refused some refunds in its `error_list`: a partly
 * refused push is never a success. `accepted` lists the refund numbers the ERP took (stored, counted in `newCount`
 * and `chgCount`), `refused` each refused number with the vendor's reason. Code `BUSINESS`, not retryable: the
 * reasons say what to fix (a shop permission, a missing order) before the refused numbers are pushed again.
 */
export class RawRefundsRefusedError extends RefundkitError {
  declare readonly accepted: readonly string[];
  declare readonly refused: readonly WangdianRefusedRefund[];
  declare readonly newCount: number;
  declare readonly chgCount: number;

  constructor(init: { accepted: string[]; refused: WangdianRefusedRefund[]; newCount: number; chgCount: number }) {
    super(
      `aftersales.refund.RawRefund.upload2 refused ${init.refused.length} of ${init.refused.length + init.accepted.length} refunds: ` +
        init.refused.map((entry) => `${entry.refundNo} (${entry.reason})`).join(', '),
      { code: 'BUSINESS' },
    );
    RefundkitError.mark(this, REFUSED_MARKER);
    this.name = 'RawRefundsRefusedError';
    this.accepted = Object.freeze([...init.accepted]);
    this.refused = Object.freeze(init.refused.map((entry) => Object.freeze({ ...entry })));
    this.newCount = init.newCount;
    this.chgCount = init.chgCount;
  }

  /** Whether `value` is a `RawRefundsRefusedError`, from this copy of the package or another. */
  static override isInstance(value: unknown): value is RawRefundsRefusedError {
    return RefundkitError.hasMarker(value, REFUSED_MARKER);
  }
}
