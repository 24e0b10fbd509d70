/**
 * The marker every refundkit error carries. It is registered with `Symbol.for`, so two installed copies of this
 * package, or a package that never imports it (such as `@refundkit/refund-model`), still mark and recognise the same
 * errors.
 */
export const REFUNDKIT_ERROR_MARKER: unique symbol = Symbol.for('refundkit.error');

/** The stable codes of refundkit errors; branch on these, never on messages. */
export type RefundkitErrorCode =
  | 'VALIDATION'
  | 'CONFIGURATION'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'BAD_RESPONSE'
  | 'AUTHENTICATION'
  | 'TIMESTAMP'
  | 'TOKEN'
  | 'PERMISSION'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'SERVER'
  | 'ALREADY_EXISTS'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'BUSINESS'
  | 'UNKNOWN';

/** The vendors the refundkit clients speak to. */
export type Vendor = 'kingdee' | 'wangdian';

/** Options every refundkit error is built with. */
export interface RefundkitErrorOptions {
  code: RefundkitErrorCode;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The base of every error a caller of refundkit must handle. It carries a stable `code`, whether trying again may
 * help (`retryable`), optionally a lower bound on when to try again (`retryAfterMs`), and the underlying `cause`.
 * `message` and `toJSON()` are written so that they never contain secrets, signatures, tokens or buyer data, which
 * makes the error safe to log or return from an API as it is.
 */
export class RefundkitError extends Error {
  readonly [REFUNDKIT_ERROR_MARKER] = true as const;
  readonly code: RefundkitErrorCode;
  readonly retryable: boolean;
  declare readonly retryAfterMs?: number;

  constructor(message: string, options: RefundkitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RefundkitError';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * A plain, log-safe description: `name`, `code`, `message`, `retryable`, `retryAfterMs` when set, and the facts
   * a subclass adds (vendor code, status, endpoint, issues, setting). The cause is not included, since it may hold
   * a request or a response body.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

/**
 * Whether a value is a refundkit error. It checks the `Symbol.for('refundkit.error')` marker rather than
 * `instanceof`, so errors from another installed copy of this package, or from packages that define their own
 * marked errors, are recognised too.
 *
 * @example
 * try { await client.refundSave(body); } catch (e) { if (isRefundkitError(e) && e.retryable) queueForLater(); else throw e; }
 */
export function isRefundkitError(e: unknown): e is RefundkitError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { [REFUNDKIT_ERROR_MARKER]?: unknown })[REFUNDKIT_ERROR_MARKER] === true
  );
}

/** What a vendor API error is built from. */
export interface VendorApiErrorInit extends RefundkitErrorOptions {
  vendor: Vendor;
  vendorCode: string | number;
  vendorMessage: string;
  status: number;
  /** The label of the call, e.g. `POST /jdy/v2/ls/refundSave`; never a query string. */
  endpoint: string;
}

/**
 * The vendor answered, and the answer was an error: a gateway rejection (bad signature, expired token, overload) or
 * a business error. It carries the vendor's own code and message, the HTTP status and the endpoint, and `code`
 * translates the vendor code into a refundkit code by meaning.
 */
export class VendorApiError extends RefundkitError {
  readonly vendor: Vendor;
  readonly vendorCode: string;
  readonly vendorMessage: string;
  readonly status: number;
  readonly endpoint: string;

  constructor(init: VendorApiErrorInit) {
    const vendorCode = String(init.vendorCode);
    super(
      `${init.vendor} ${init.endpoint} failed with ${vendorCode}: ${init.vendorMessage} (HTTP ${init.status})`,
      init,
    );
    this.name = 'VendorApiError';
    this.vendor = init.vendor;
    this.vendorCode = vendorCode;
    this.vendorMessage = init.vendorMessage;
    this.status = init.status;
    this.endpoint = init.endpoint;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      vendor: this.vendor,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      status: this.status,
      endpoint: this.endpoint,
    };
  }
}

/** The codes a transport failure can have. */
export type TransportErrorCode = 'NETWORK' | 'TIMEOUT' | 'ABORTED';

/** What a transport error is built from. */
export interface TransportErrorOptions extends RefundkitErrorOptions {
  code: TransportErrorCode;
  endpoint: string;
}

/**
 * No answer came back: the connection failed (`NETWORK`), the attempt ran out of time (`TIMEOUT`), or the caller's
 * `AbortSignal` fired (`ABORTED`, never retried). Network failures and timeouts are retryable.
 */
export class TransportError extends RefundkitError {
  declare readonly code: TransportErrorCode;
  readonly endpoint: string;

  constructor(message: string, options: TransportErrorOptions) {
    super(message, { retryable: options.code !== 'ABORTED', ...options });
    this.name = 'TransportError';
    this.endpoint = options.endpoint;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), endpoint: this.endpoint };
  }
}

/** What a response error is built from. */
export interface ResponseErrorOptions extends Omit<RefundkitErrorOptions, 'code'> {
  status: number;
  endpoint: string;
}

/**
 * An answer came back but could not be understood: not JSON, cut short, or not in the shape the vendor documents.
 * Its code is `BAD_RESPONSE`; it is retryable when the status was 408, 429 or 5xx, or when the body was cut short.
 */
export class ResponseError extends RefundkitError {
  declare readonly code: 'BAD_RESPONSE';
  readonly status: number;
  readonly endpoint: string;

  constructor(message: string, options: ResponseErrorOptions) {
    super(message, { ...options, code: 'BAD_RESPONSE' });
    this.name = 'ResponseError';
    this.status = options.status;
    this.endpoint = options.endpoint;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, endpoint: this.endpoint };
  }
}

/** One problem found in caller input: where (`lines[2].quantity`, `refund_no`) and what, never the value itself. */
export interface InputIssue {
  path: string;
  message: string;
}

/**
 * Caller input failed validation before anything was sent. `issues` lists every failing field by path; the
 * message names them too, but never repeats the offending values (they may be personal data).
 */
export class InputValidationError extends RefundkitError {
  declare readonly code: 'VALIDATION';
  readonly issues: ReadonlyArray<InputIssue>;

  constructor(subject: string, issues: ReadonlyArray<InputIssue>, options: { cause?: unknown } = {}) {
    const list = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super(`Invalid ${subject}: ${list || 'no details'}`, { code: 'VALIDATION', retryable: false, ...options });
    this.name = 'InputValidationError';
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ path: issue.path, message: issue.message })));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues.map((issue) => ({ ...issue })) };
  }
}

/**
 * Settings given to a client factory are missing or wrong. Thrown at creation; `setting` names the setting, and the
 * message also names the environment variable that can supply it, where there is one.
 */
export class ConfigurationError extends RefundkitError {
  declare readonly code: 'CONFIGURATION';
  readonly setting: string;

  constructor(message: string, options: { setting: string; cause?: unknown }) {
    super(message, { code: 'CONFIGURATION', retryable: false, cause: options.cause });
    this.name = 'ConfigurationError';
    this.setting = options.setting;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), setting: this.setting };
  }
}
