import {
  isRefundkitError,
  RefundkitError,
  ResponseError,
  TransportError,
  type Vendor,
  VendorApiError,
} from '@refundkit/refund-model';
import { createLogSink, type Logger, type LoggerStyle, type LogLevel } from './logger.js';
import type { RateLimiter } from './rate-limiter.js';
import { redactUrl } from './redact.js';
import { parseRetryAfter, type RetryPolicy, retryDelay, sleep } from './retry-policy.js';
import { createServerClock, type ServerClock } from './server-clock.js';
import { parseVendorJson } from './vendor-json.js';

/** The facts of one attempt that hooks and logs receive; the URL has its credentials redacted. */
export interface RequestFacts {
  vendor: Vendor;
  method: string;
  /** The full URL with the values of `redactQuery` parameters replaced by `[redacted]`. */
  url: string;
  /** The call's label, e.g. `POST /jdy/v2/ls/refundSave`. */
  endpoint: string;
  /** 1 for the first try, 2 for the first retry, and so on. A timestamp re-send repeats its attempt's number. */
  attempt: number;
}

/**
 * Observability hooks. Each receives redacted facts only (never headers or bodies); a hook that throws is ignored,
 * so observability cannot break a request.
 */
export interface TransportHooks {
  onRequest?(facts: RequestFacts): void;
  onResponse?(facts: RequestFacts & { status: number; durationMs: number; vendorCode?: string }): void;
  onRetry?(facts: RequestFacts & { delayMs: number; error: RefundkitError }): void;
  onError?(facts: RequestFacts & { durationMs: number; error: RefundkitError }): void;
}

/**
 * The settings of a transport, taken as given: a client checks them once, at creation, with its settings reader and
 * `checkClientSettings` (whose answer it spreads in), so nothing here is checked again.
 */
export interface TransportOptions {
  vendor: Vendor;
  /** The origin (and optional path prefix) every request path is appended to. */
  baseUrl: string;
  /** The `User-Agent` header, naming the calling package and its version. */
  userAgent: string;
  /** Milliseconds one attempt may take, response body included (default 30 000). */
  timeout?: number | undefined;
  /** The `fetch` to use (default `globalThis.fetch`): for proxies, instrumentation and tests. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Total tries and backoff, as `checkClientSettings` resolved the client's `retry` setting. */
  retry: RetryPolicy;
  hooks?: TransportHooks | undefined;
  /** A console-like `(message, details)` or pino-like `(details, message)` logger; see `loggerStyle`. */
  logger?: Logger | undefined;
  /** How to call `logger`: `'auto'` (default) detects pino-like loggers by `child()` and `levels`. */
  loggerStyle?: LoggerStyle | undefined;
  /** A shared clock; by default each transport has its own. */
  clock?: ServerClock | undefined;
  /** Query parameter names whose values are hidden in URLs given to hooks and logs. */
  redactQuery?: string[] | undefined;
  /** A limit on calls, acquired before every attempt and penalised when the vendor answers rate-limited. */
  rateLimiter?: RateLimiter | undefined;
  /** The limiter key of this transport's vendor account, e.g. `wangdian:<sid>:<appKey>`. */
  rateLimitKey: string;
}

/** How long every sharer of a rate-limit key waits after a rate-limited answer that names no time. */
const DEFAULT_PENALTY_MS = 1_000;

/**
 * A response as `interpret` sees it: the body was read in full and parsed as JSON without losing digits (numbers a
 * double cannot hold exactly are strings; see `parseVendorJson`).
 */
export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** What an attempt adds to the request once it knows the (corrected) time: the signed query and headers. */
export interface PreparedAttempt {
  query?: ReadonlyArray<readonly [string, string]>;
  headers?: Record<string, string>;
}

/** One logical call: sent, and re-sent as the retry policy allows, each time prepared afresh. */
export interface TransportRequest<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path below the base URL, e.g. `/jdy/v2/ls/refundSave`. */
  path: string;
  /** A label for errors and hooks; default `${method} ${path}`. Never put a query string or a secret in it. */
  endpoint?: string | undefined;
  /** The exact text to send, as JSON (`application/json;charset=utf-8`); it is sent byte for byte as given. */
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Whether the call may be sent again after an unknown outcome (a timeout, a dropped connection, a body cut short,
   * a 5xx without a readable answer): true for reads and for writes the vendor de-duplicates by a key. When false,
   * such failures are neither retried nor marked resendable.
   */
  resendSafe: boolean;
  /** Called before every attempt with the clock's corrected time, so that each attempt is signed afresh. */
  prepare(now: number, attempt: number): PreparedAttempt;
  /** Turns a JSON response into the result, or throws a refundkit error with `retryable` set. */
  interpret(response: TransportResponse): T;
}

/** A configured HTTP core for one vendor. */
export interface Transport {
  readonly clock: ServerClock;
  send<T>(request: TransportRequest<T>): Promise<T>;
}

/**
 * Whether an HTTP status means "try again later" even without a readable body: 408, 429 and every 5xx. The vendor
 * clients use it too, for answers whose JSON they cannot read.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The outcome of one attempt on the wire. */
type AttemptResult =
  | { ok: true; status: number; headers: Headers; text: string }
  | { ok: false; error: RefundkitError };

/**
 * Creates the HTTP core a vendor client stands on. Each attempt is one call of the injected `fetch` (default
 * `globalThis.fetch`) with the caller's `signal` and one deadline that covers the response body as well as its
 * head; every attempt is signed again with a fresh timestamp and nonce (`prepare`), and whether a vendor answer is
 * retryable is decided from its JSON body (`interpret`), not from its status alone (see the README for why this
 * loop is not ky's).
 * Retries use exponential backoff with full jitter, honour `Retry-After`, and stop at validation, authentication
 * and business errors. A failure after which the vendor may have acted (a timeout, a dropped connection, a body cut
 * short, a 5xx without a readable answer) is retried only for a request marked `resendSafe` (a read, or a write
 * the vendor de-duplicates by a key, such as both refund saves by their refund number). With a `rateLimiter`, a
 * slot is acquired before every attempt, and a rate-limited answer penalises the key for everyone sharing it.
 * The options are not checked here: the client did that when it was created (see {@link TransportOptions}).
 *
 * @example
 * const transport = createTransport({ vendor: 'kingdee', baseUrl: 'https://api.kingdee.com', userAgent: 'my-app/1.0.0' });
 * const data = await transport.send({
 *   method: 'POST', path: '/jdy/v2/ls/refundSave', body: JSON.stringify(body), resendSafe: true,
 *   prepare: (now) => ({ headers: signHeaders(now) }),
 *   interpret: ({ json }) => readData(json),
 * });
 */
export function createTransport(options: TransportOptions): Transport {
  const { vendor, userAgent, baseUrl: base, rateLimiter, rateLimitKey } = options;
  const timeout = options.timeout ?? 30_000;
  const policy = options.retry;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const hooks = options.hooks ?? {};
  const log = createLogSink(options.logger, options.loggerStyle);
  const clock = options.clock ?? createServerClock();
  const redactQuery = options.redactQuery ?? [];
  const localNow = () => clock.now() - clock.offsetMs;

  const emit = <K extends keyof TransportHooks>(
    name: K,
    facts: Parameters<NonNullable<TransportHooks[K]>>[0],
    level: LogLevel,
    message: string,
  ) => {
    const hook = hooks[name] as ((facts: unknown) => void) | undefined;
    if (hook) {
      try {
        hook(facts);
      } catch {
        // A hook's failure is not the request's failure.
      }
    }
    if (log) {
      const details: Record<string, unknown> = { ...facts };
      if (isRefundkitError(details.error)) details.error = details.error.toJSON();
      log(level, message, details);
    }
  };

  // How a redirect is refused: `error` where the runtime has it (fetch then also skips the copy of the request and
  // its body that a followable redirect needs), else `manual` (workerd), whose 3xx answer is refused as unreadable.
  let redirect: 'error' | 'manual' = 'error';
  try {
    new Request('http://a', { redirect });
  } catch {
    redirect = 'manual';
  }

  const aborted = (endpoint: string, reason: unknown, while_ = '') =>
    new TransportError(`${vendor} ${endpoint} was aborted${while_}`, { code: 'ABORTED', endpoint, cause: reason });

  const attemptOnce = async (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    endpoint: string,
    signal: AbortSignal | undefined,
    resendSafe: boolean,
  ): Promise<AttemptResult> => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeout);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    // `status` is set once the response head has arrived, so a failure after it is a body cut short. The request
    // may have reached the vendor in every case below, so only a call that is safe to re-send is retried.
    const failure = (e: unknown, status?: number): RefundkitError => {
      if (signal?.aborted) return aborted(endpoint, signal.reason);
      if (deadline.signal.aborted) {
        return new TransportError(`${vendor} ${endpoint} timed out after ${timeout} ms`, {
          code: 'TIMEOUT',
          endpoint,
          retryable: resendSafe,
        });
      }
      if (status !== undefined) {
        return new ResponseError(`${vendor} ${endpoint}: the response body was cut short (HTTP ${status})`, {
          status,
          endpoint,
          retryable: resendSafe,
          cause: e,
        });
      }
      const detail = networkDetail(e);
      return new TransportError(`${vendor} ${endpoint} failed on the network${detail ? ` (${detail})` : ''}`, {
        code: 'NETWORK',
        endpoint,
        retryable: resendSafe,
        cause: e,
      });
    };
    try {
      let response: Response;
      try {
        // One call of the injected fetch with the exact text that was signed; one deadline (the timer above) covers
        // the head and the body. See the README for why this is not a ky call. A redirect is never followed, so the
        // signed headers and the token go only to the configured base URL.
        response = await fetchImpl(url, {
          method,
          headers,
          body: body ?? null,
          redirect,
          signal: combined,
        });
      } catch (e) {
        return { ok: false, error: failure(e) };
      }
      try {
        const text = await response.text();
        return { ok: true, status: response.status, headers: response.headers, text };
      } catch (e) {
        return { ok: false, error: failure(e, response.status) };
      }
    } finally {
      clearTimeout(timer);
    }
  };

  /** Waits for the rate limiter's slot; a limiter that fails is reported as such (nothing was sent). */
  const acquire = async (endpoint: string, signal: AbortSignal | undefined): Promise<void> => {
    if (rateLimiter === undefined) return;
    try {
      await rateLimiter.acquire(rateLimitKey, { signal });
    } catch (reason) {
      if (signal?.aborted) throw aborted(endpoint, signal.reason, ' while waiting for the rate limiter');
      if (isRefundkitError(reason)) throw reason;
      throw new RefundkitError(`${vendor} ${endpoint}: the rate limiter failed, so nothing was sent`, {
        code: 'UNKNOWN',
        resendable: true,
        cause: reason,
      });
    }
  };

  const penalize = async (error: RefundkitError, retryAfterHeaderMs: number | undefined): Promise<void> => {
    if (rateLimiter === undefined || error.code !== 'RATE_LIMITED') return;
    try {
      await rateLimiter.penalize(rateLimitKey, error.retryAfterMs ?? retryAfterHeaderMs ?? DEFAULT_PENALTY_MS);
    } catch (reason) {
      log?.('warn', 'refundkit rate limiter penalize failed', { name: (reason as Error | undefined)?.name });
    }
  };

  const send = async <T>(request: TransportRequest<T>): Promise<T> => {
    const { method, path, body, signal, resendSafe } = request;
    const endpoint = request.endpoint ?? `${method} ${path}`;
    const bareUrl = `${base}${path.startsWith('/') ? path : `/${path}`}`;
    // The facts go only to hooks and the logger: without either, the URL is not parsed again to redact it.
    const observed = log !== undefined || hooks.onRequest || hooks.onResponse || hooks.onRetry || hooks.onError;
    // Set at the start of each attempt (before anything can fail) and again once its URL is known. The base URL
    // carries no query (the settings reader refuses one), so it needs no redaction.
    let facts!: RequestFacts;
    let durationMs = 0;
    let resentForTimestamp = false;
    // Every way a call fails passes the one catch at the end, which reports it to `onError` once.
    try {
      for (let attempt = 1; ; ) {
        facts = { vendor, method, url: bareUrl, endpoint, attempt };
        durationMs = 0;
        if (signal?.aborted) throw aborted(endpoint, signal.reason);
        await acquire(endpoint, signal);
        const prepared = request.prepare(clock.now(), attempt);
        const query = prepared.query ?? [];
        const url = query.length === 0 ? bareUrl : `${bareUrl}?${new URLSearchParams(query as [string, string][])}`;
        facts = { vendor, method, url: observed ? redactUrl(url, redactQuery) : '', endpoint, attempt };
        const headers: Record<string, string> = { accept: 'application/json', 'user-agent': userAgent };
        if (body !== undefined) headers['content-type'] = 'application/json;charset=utf-8';
        const extraHeaders = prepared.headers;
        if (extraHeaders) {
          for (const name of Object.keys(extraHeaders)) headers[name.toLowerCase()] = extraHeaders[name]!;
        }

        if (observed) emit('onRequest', facts, 'debug', 'refundkit request');
        const started = performance.now();
        const sentAt = localNow();
        const result = await attemptOnce(url, method, headers, body, endpoint, signal, resendSafe);
        const receivedAt = localNow();
        durationMs = Math.round((performance.now() - started) * 100) / 100;

        let error: RefundkitError;
        let retryAfterHeaderMs: number | undefined;
        if (result.ok) {
          const { status } = result;
          retryAfterHeaderMs = parseRetryAfter(result.headers.get('retry-after'));
          let json: unknown;
          let parsed = false;
          try {
            json = parseVendorJson(result.text);
            parsed = true;
          } catch {
            // Reported below without the body: it may hold anything.
          }
          if (!parsed) {
            // A 408/429 is a refusal before any work; a 5xx may have come after the vendor acted on the call.
            const retryable = status === 408 || status === 429 || (resendSafe && isRetryableStatus(status));
            error = new ResponseError(
              `${vendor} ${endpoint} answered HTTP ${status} with a body that is not JSON (${describeBody(result)})`,
              {
                status,
                endpoint,
                retryable,
                resendable: retryable || resendSafe,
                ...(retryable && retryAfterHeaderMs !== undefined ? { retryAfterMs: retryAfterHeaderMs } : {}),
              },
            );
          } else {
            try {
              const value = request.interpret({ status, headers: result.headers, text: result.text, json });
              if (observed) emit('onResponse', { ...facts, status, durationMs }, 'debug', 'refundkit response');
              return value;
            } catch (e) {
              error = !isRefundkitError(e)
                ? new ResponseError(`${vendor} ${endpoint}: the response could not be interpreted`, {
                    status,
                    endpoint,
                    resendable: resendSafe,
                    cause: e,
                  })
                : resendSafe && ResponseError.isInstance(e) && !e.resendable
                  ? // Whether the vendor acted on the call is unknown; for a call safe to re-send, a later re-send tells.
                    new ResponseError(e.message, {
                      status: e.status,
                      endpoint: e.endpoint,
                      path: e.path,
                      retryable: e.retryable,
                      resendable: true,
                      retryAfterMs: e.retryAfterMs,
                      cause: e.cause,
                    })
                  : e;
            }
          }
          emit(
            'onResponse',
            {
              ...facts,
              status,
              durationMs,
              ...(VendorApiError.isInstance(error) ? { vendorCode: error.vendorCode } : {}),
            },
            'debug',
            'refundkit response',
          );
          // A timestamp refusal is re-signed once with the offset learnt from the answer's Date header; without a
          // readable Date there is nothing to correct, and the same clock would be refused again.
          if (
            error.code === 'TIMESTAMP' &&
            !resentForTimestamp &&
            clock.learnFromDateHeader(result.headers.get('date'), sentAt, receivedAt)
          ) {
            resentForTimestamp = true;
            log?.('info', 'refundkit clock corrected', { ...facts, offsetMs: clock.offsetMs });
            continue;
          }
        } else {
          error = result.error;
        }
        await penalize(error, retryAfterHeaderMs);

        const delayMs =
          error.retryable && attempt < policy.attempts
            ? retryDelay(policy, attempt, error, retryAfterHeaderMs)
            : undefined;
        if (delayMs === undefined) throw error;
        emit('onRetry', { ...facts, delayMs, error }, 'warn', 'refundkit retry');
        try {
          await sleep(delayMs, signal);
        } catch (reason) {
          throw aborted(endpoint, reason, ' while waiting to retry');
        }
        attempt += 1;
      }
    } catch (error) {
      // Only a refundkit error is a failed call; anything else (a `prepare` that threw) is a bug, thrown as it is.
      if (isRefundkitError(error))
        emit('onError', { ...facts, durationMs, error }, 'error', 'refundkit request failed');
      throw error;
    }
  };

  return { clock, send };
}

/** A short, secret-free description of a network failure: the system error code when there is one. */
function networkDetail(e: unknown): string | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A description of an unreadable body that never repeats its content. */
function describeBody(result: { headers: Headers; text: string }): string {
  const type = result.headers.get('content-type') ?? 'no content-type';
  return result.text.length === 0 ? `empty, ${type}` : `${result.text.length} characters, ${type}`;
}
