// The refundkit error family, in one module with no imports, so that every package (this one included, which
// imports nothing of ours) throws and recognises the same classes. `@refundkit/transport` and both vendor packages
// re-export it.
//
// Each class marks its instances with its own `Symbol.for` key and answers `isInstance(value)` by that marker, not
// by `instanceof`: two installed copies of a package define two classes, but `Symbol.for` gives them one symbol, so
// an error thrown by one copy is recognised by the other.
//
// Markers are set in the constructors rather than as class fields with computed keys: a computed key is a side
// effect for bundlers, which would keep every class in every bundle, even one that never throws it. Fields are
// `declare`d and assigned in the constructors as well: each would otherwise be defined once more, as `undefined`,
// by code of its own in every bundle.

/** The marker every refundkit error carries (`Symbol.for('refundkit.error')`). */
export const REFUNDKIT_ERROR_MARKER: unique symbol = /* @__PURE__ */ Symbol.for('refundkit.error');

const INPUT_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.InputValidationError');
const CONFIGURATION_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.ConfigurationError');
const TRANSPORT_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.TransportError');
const RESPONSE_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.ResponseError');
const VENDOR_MARKER = /* @__PURE__ */ Symbol.for('refundkit.error.VendorApiError');

/** Whether a `toJSON()` is describing its cause, whose own cause it then leaves out. */
let describing = false;

/** Whether `value` carries the marker `symbol` (set to `true`). */
function hasMarker(value: unknown, symbol: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbol] === true;
}

/** Marks `error` with `symbol` (not enumerable, so it stays out of spreads and logs). */
function mark(error: object, symbol: symbol): void {
  Object.defineProperty(error, symbol, { value: true, enumerable: false });
}

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
  /** Whether trying the same call again at once can help (default false). */
  retryable?: boolean | undefined;
  /**
   * Whether sending the same thing again later can help (default: `retryable`). True, for instance, for a timestamp
   * refusal that survived the client's own clock correction, or an answer that could not be read for a call that is
   * safe to re-send.
   */
  resendable?: boolean | undefined;
  /** The least milliseconds to wait before trying again, when the vendor said so. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/**
 * The base of every error a caller of refundkit must handle. It says what can be done next: `retryable` (an
 * immediate retry can help), `resendable` (a later re-send can help; `retryAfterMs` says how long to wait at least,
 * when known), or neither (fix the input or the settings). It carries a stable `code` and the underlying `cause`.
 * `message` and `toJSON()` never contain secrets, signatures, tokens or buyer data, so the error is safe to log.
 *
 * @example
 * try { await client.refundSave(body); } catch (e) { if (RefundkitError.isInstance(e) && e.resendable) later(e.retryAfterMs); else throw e; }
 */
export class RefundkitError extends Error {
  declare readonly [REFUNDKIT_ERROR_MARKER]: true;
  declare readonly code: RefundkitErrorCode;
  declare readonly retryable: boolean;
  declare readonly resendable: boolean;
  declare readonly retryAfterMs?: number;

  constructor(message: string, options: RefundkitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    mark(this, REFUNDKIT_ERROR_MARKER);
    this.name = 'RefundkitError';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.resendable = options.resendable ?? this.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether `value` is a refundkit error of any class, from this copy of the package or another. */
  static isInstance(value: unknown): value is RefundkitError {
    return hasMarker(value, REFUNDKIT_ERROR_MARKER);
  }

  /** For subclasses in other packages: marks an instance with the subclass's own `Symbol.for` marker. */
  protected static mark(error: RefundkitError, marker: symbol): void {
    mark(error, marker);
  }

  /** For subclasses in other packages: whether `value` carries `marker`, for their own `isInstance`. */
  protected static hasMarker(value: unknown, marker: symbol): boolean {
    return hasMarker(value, marker);
  }

  /**
   * A plain, log-safe description: `name`, `message`, and every field the error's class set (`code`, `retryable`,
   * `resendable`, `retryAfterMs` when set, and the facts a subclass adds, such as `issues` or `endpoint`). A cause
   * that is itself a refundkit error is described the same way, one level deep; any other cause is left out, since
   * it may hold a request or a response body. A subclass keeps a field out of it by defining the field not
   * enumerable.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message, ...(this as object) };
    // The cause is described one level deep (its own cause is not), so a chain of causes that loops back ends; a
    // foreign marked cause that cannot describe itself is left out rather than making this throw.
    if (isRefundkitError(this.cause) && !describing) {
      describing = true;
      try {
        json.cause = this.cause.toJSON();
      } catch {
        // left out
      } finally {
        describing = false;
      }
    }
    return json;
  }
}

/**
 * Whether a value is a refundkit error, whichever copy of which package threw it (the same as
 * `RefundkitError.isInstance`).
 *
 * @example
 * catch (e) { if (isRefundkitError(e) && e.retryable) queueForLater(); else throw e; }
 */
export function isRefundkitError(value: unknown): value is RefundkitError {
  return hasMarker(value, REFUNDKIT_ERROR_MARKER);
}

/**
 * One problem found in caller input: where it is (`lines[2].quantity`, `rows[0].refund_no`; `''` for the input as a
 * whole), what is wrong, and optionally what was expected and what kind of value was received. `received` names the
 * kind (`string`, `number`, `null`, `Array`, ...), never the value, since the value may be personal data.
 */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

/** Longest list of issues the message repeats; `issues` always holds them all. */
const SHOWN_ISSUES = 5;

/**
 * Caller input failed validation before anything was sent: a refund for `parseRefund`, a request body, arguments or
 * options of a client call. `issues` lists every failing field by path; the message names them too, never the
 * values. Code `VALIDATION`, neither retryable nor resendable: the input must be fixed.
 *
 * @example
 * catch (e) { if (InputValidationError.isInstance(e)) return reply(422, e.issues); }
 */
export class InputValidationError extends RefundkitError {
  declare readonly code: 'VALIDATION';
  /** What was checked, e.g. `refund` or `Kingdee POST /jdy/v2/ls/refundSave body`. */
  declare readonly subject: string;
  declare readonly issues: ReadonlyArray<InputIssue>;

  constructor(subject: string, issues: ReadonlyArray<InputIssue>, options: { cause?: unknown } = {}) {
    const list = issues.map((issue) => {
      const copy: { path: string; message: string; expected?: string; received?: string } = {
        path: String(issue.path),
        message: String(issue.message),
      };
      if (typeof issue.expected === 'string') copy.expected = issue.expected;
      if (typeof issue.received === 'string') copy.received = issue.received;
      return Object.freeze(copy);
    });
    const shown = list.slice(0, SHOWN_ISSUES).map((issue) => `${issue.path || '(input)'}: ${issue.message}`);
    const more = list.length > SHOWN_ISSUES ? `; and ${list.length - SHOWN_ISSUES} more` : '';
    super(`Invalid ${subject}: ${shown.join('; ') || 'no details'}${more}`, {
      code: 'VALIDATION',
      cause: options.cause,
    });
    mark(this, INPUT_MARKER);
    this.name = 'InputValidationError';
    this.subject = subject;
    this.issues = Object.freeze(list);
  }

  static override isInstance(value: unknown): value is InputValidationError {
    return hasMarker(value, INPUT_MARKER);
  }
}

/**
 * Settings given to a client factory are missing or wrong. Thrown at creation; `setting` names the setting (or the
 * environment variable it was read from), and the message names both where there is a variable.
 */
export class ConfigurationError extends RefundkitError {
  declare readonly code: 'CONFIGURATION';
  declare readonly setting: string;

  constructor(message: string, options: { setting: string; cause?: unknown }) {
    super(message, { code: 'CONFIGURATION', cause: options.cause });
    mark(this, CONFIGURATION_MARKER);
    this.name = 'ConfigurationError';
    this.setting = options.setting;
  }

  static override isInstance(value: unknown): value is ConfigurationError {
    return hasMarker(value, CONFIGURATION_MARKER);
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
 * `AbortSignal` fired (`ABORTED`, never retried). A network failure or a timeout is retryable by default; the
 * transport says otherwise for a call that is not safe to re-send, since the request may have reached the vendor.
 */
export class TransportError extends RefundkitError {
  declare readonly code: TransportErrorCode;
  declare readonly endpoint: string;

  constructor(message: string, options: TransportErrorOptions) {
    super(message, { ...options, retryable: options.retryable ?? options.code !== 'ABORTED' });
    mark(this, TRANSPORT_MARKER);
    this.name = 'TransportError';
    this.endpoint = options.endpoint;
  }

  static override isInstance(value: unknown): value is TransportError {
    return hasMarker(value, TRANSPORT_MARKER);
  }
}

/** What a response error is built from. */
export interface ResponseErrorOptions extends Omit<RefundkitErrorOptions, 'code'> {
  status: number;
  endpoint: string;
  /** Where in the answer the problem is (`data.new_count`), when it is one field. */
  path?: string | undefined;
}

/**
 * An answer came back but could not be understood: not JSON, cut short, or not in the documented shape (`path`
 * names the first field that differs). Code `BAD_RESPONSE`; retryable when the status was 408, 429 or 5xx or the
 * body was cut short, and resendable when the call is safe to re-send (whether the vendor acted on it is unknown).
 */
export class ResponseError extends RefundkitError {
  declare readonly code: 'BAD_RESPONSE';
  declare readonly status: number;
  declare readonly endpoint: string;
  declare readonly path?: string;

  constructor(message: string, options: ResponseErrorOptions) {
    super(message, { ...options, code: 'BAD_RESPONSE' });
    mark(this, RESPONSE_MARKER);
    this.name = 'ResponseError';
    this.status = options.status;
    this.endpoint = options.endpoint;
    if (options.path !== undefined) this.path = options.path;
  }

  static override isInstance(value: unknown): value is ResponseError {
    return hasMarker(value, RESPONSE_MARKER);
  }
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

/** Codes after which a later call can pass although this one cannot: the clock or the token is fetched afresh. */
const RESENDABLE_VENDOR_CODES: ReadonlySet<RefundkitErrorCode> = /* @__PURE__ */ new Set(['TIMESTAMP', 'TOKEN']);

/**
 * The vendor answered, and the answer was an error: a gateway refusal (bad signature, expired token, overload) or a
 * business error. It carries the vendor's own code and message, the HTTP status and the endpoint, and `code`
 * translates the vendor code into a refundkit code by meaning. A `TIMESTAMP` or `TOKEN` refusal that survived the
 * client's own correction is resendable unless told otherwise: the next call re-learns the clock or fetches a token.
 */
export class VendorApiError extends RefundkitError {
  declare readonly vendor: Vendor;
  declare readonly vendorCode: string;
  declare readonly vendorMessage: string;
  declare readonly status: number;
  declare readonly endpoint: string;

  constructor(init: VendorApiErrorInit) {
    const vendorCode = String(init.vendorCode);
    super(`${init.vendor} ${init.endpoint} failed with ${vendorCode}: ${init.vendorMessage} (HTTP ${init.status})`, {
      ...init,
      resendable: init.resendable ?? (init.retryable === true || RESENDABLE_VENDOR_CODES.has(init.code)),
    });
    mark(this, VENDOR_MARKER);
    this.name = 'VendorApiError';
    this.vendor = init.vendor;
    this.vendorCode = vendorCode;
    this.vendorMessage = init.vendorMessage;
    this.status = init.status;
    this.endpoint = init.endpoint;
  }

  static override isInstance(value: unknown): value is VendorApiError {
    return hasMarker(value, VENDOR_MARKER);
  }
}
