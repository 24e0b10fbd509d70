import { wangdianSign, wangdianTimestamp } from '@refundkit/signing';
import {
  createTransport,
  isRefundkitError,
  isRetryableStatus,
  REDACTED,
  ResponseError,
  type ServerClock,
  type TransportResponse,
} from '@refundkit/transport';
import packageJson from '../package.json' with { type: 'json' };
import { batchWangdianRows } from './wangdian-batches.js';
import {
  classifyWangdianError,
  UploadIncompleteError,
  WangdianApiError,
  type WangdianUploadBatch,
  type WangdianUploadResult,
} from './wangdian-errors.js';
import { toWangdianJson } from './wangdian-json.js';
import { validateWangdianRawRefunds, type WangdianRawRefundRow } from './wangdian-raw-refund.js';
import { resolveWangdianSettings, type WangdianClientSettings } from './wangdian-settings.js';

/** The method `uploadRawRefunds` calls. */
export const RAW_REFUND_UPLOAD_METHOD = 'aftersales.refund.RawRefund.upload';

/** Paging of a query method, sent in the signed query string (never in the body). */
export interface WangdianPaging {
  /** `page_size`: rows per page, a positive integer (the vendor caps it per method, commonly at 100). */
  pageSize: number;
  /** `page_no`: the page, counted from 0 (default 0). */
  pageNo?: number;
  /** `calc_total`: ask the vendor to count every matching row (`total_count`), which costs it time (default false). */
  calcTotal?: boolean;
}

/** One call in full, for {@link WangdianClient.request}. */
export interface WangdianRequest {
  /** The API method, e.g. `aftersales.refund.RawRefund.upload`. */
  method: string;
  /** The positional arguments, serialised once to compact JSON as the body (default `[]`). */
  args?: readonly unknown[];
  /** Paging parameters for query methods. */
  paging?: WangdianPaging;
  signal?: AbortSignal | undefined;
}

/** Options of {@link WangdianClient.pages}. */
export interface WangdianPagesOptions<Row> {
  /** Rows per page (default 100). */
  pageSize?: number;
  /** The first page (default 0). */
  startPage?: number;
  /**
   * Picks the rows out of one page's `data`. By default `data` itself when it is an array, else its only
   * array-valued property (Wangdian names the list per method: `order`, `goods_list`, ...).
   */
  rows?: (data: unknown) => readonly Row[];
  signal?: AbortSignal;
}

/** Options of {@link WangdianClient.uploadRawRefunds}. */
export interface WangdianUploadOptions {
  signal?: AbortSignal;
}

/** A Wangdian 旺店通 旗舰版 client; see {@link createWangdianClient}. */
export interface WangdianClient {
  /** The client's server clock (its offset is learned from timestamp errors). */
  readonly clock: ServerClock;
  /**
   * Calls any method with positional arguments and answers the response's `data`. The arguments are serialised once
   * to compact JSON; that exact text is signed and sent. Throws a `WangdianApiError` for `status` ≠ 0.
   */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /** Like `call`, with everything in one object, including paging and an `AbortSignal`. */
  request<T = unknown>(request: WangdianRequest): Promise<T>;
  /** Calls a paged query method for one page and answers its `data`. `args` is the argument list or one object. */
  page<T = unknown>(
    method: string,
    args: unknown,
    paging: WangdianPaging & { signal?: AbortSignal | undefined },
  ): Promise<T>;
  /** Iterates over every row of a paged query method, page by page, until a page comes back short. */
  pages<Row = unknown>(method: string, args: unknown, options?: WangdianPagesOptions<Row>): AsyncIterable<Row>;
  /** Validates, batches and uploads raw refund rows; see {@link createWangdianClient}. */
  uploadRawRefunds(
    shopNo: string,
    rows: readonly WangdianRawRefundRow[],
    options?: WangdianUploadOptions,
  ): Promise<WangdianUploadResult>;
  /** The same client with `signal` as the default `AbortSignal` of every call: `client.withSignal(s).call(...)`. */
  withSignal(signal: AbortSignal): WangdianClient;
}

const USER_AGENT = `${packageJson.name}/${packageJson.version}`;
const REDACT_QUERY = ['sign', 'salt'];

/**
 * Creates a client for the Wangdian 旺店通 旗舰版 open API (`POST ${baseUrl}/openapi`). Settings are validated here,
 * once: `sid`, `appKey` and `appSecret` (`secret:salt`) come from the settings or else from `WANGDIAN_SID`,
 * `WANGDIAN_APP_KEY` and `WANGDIAN_APP_SECRET`, and a bad or missing one throws a `ConfigurationError` naming it
 * (never echoing the secret). Each call serialises its arguments once to compact JSON, signs that exact text with a
 * fresh timestamp on every attempt (re-signed with the learned server offset after a timestamp error), retries only
 * what is safe (network failures, timeouts, 5xx and rate-limit answers, the latter after `rateLimitBackoffMs`) and
 * throws refundkit errors named by meaning. `uploadRawRefunds(shopNo, rows)` checks every field of every row before
 * anything is sent, splits the rows into calls of at most `maxBatch` rows without splitting a refund, and answers
 * `{ newCount, chgCount, batches }`; a failure part-way throws an `UploadIncompleteError` saying which refund numbers
 * were uploaded and which were not.
 *
 * @example
 * const client = createWangdianClient({ sid: 'mysid', appKey: 'mykey', appSecret: process.env.WDT_SECRET });
 * const { newCount, chgCount } = await client.uploadRawRefunds('LCJ', rows);
 * const data = await client.call('some.other.Method', 'arg1', { key: 1 });
 * for await (const refund of client.pages('aftersales.refund.Refund.search', { modified_from, modified_to })) { ... }
 */
export function createWangdianClient(settings: WangdianClientSettings = {}): WangdianClient {
  const resolved = resolveWangdianSettings(settings);
  const { sid, appKey, secret, salt, maxBatch, rateLimitBackoffMs } = resolved;
  const transport = createTransport({
    vendor: 'wangdian',
    baseUrl: resolved.baseUrl,
    userAgent: USER_AGENT,
    retry: resolved.retry,
    redactQuery: REDACT_QUERY,
    // An unset one is passed as undefined, which the transport reads as left out.
    timeout: settings.timeout,
    fetch: settings.fetch,
    hooks: settings.hooks,
    logger: settings.logger,
    loggerStyle: settings.loggerStyle,
    clock: settings.clock,
  });
  const secrets = [settings.appSecret, `${secret}:${salt}`, secret, salt];

  /** Sends one call with its body already serialised; `privateValues` (buyer data) are hidden should the vendor
   * quote them back in an error message. */
  const sendBody = <T>(
    method: string,
    body: string,
    paging: readonly [string, string][],
    signal: AbortSignal | undefined,
    privateValues: readonly string[] = [],
  ): Promise<T> => {
    const endpoint = `POST /openapi ${method}`;
    let sign = '';
    return transport.send<T>({
      method: 'POST',
      path: '/openapi',
      endpoint,
      body,
      signal,
      prepare(now) {
        const params: [string, string][] = [
          ['sid', sid],
          ['key', appKey],
          ['salt', salt],
          ['method', method],
          ['timestamp', String(wangdianTimestamp(now))],
          ['v', '1.0'],
        ];
        sign = wangdianSign({ secret, params: [...params, ...paging], body });
        return { query: [...params, ['sign', sign], ...paging] };
      },
      interpret(response) {
        return readData<T>(response, endpoint, [...secrets, sign, ...privateValues], rateLimitBackoffMs);
      },
    });
  };

  /** Checks a request, serialises its arguments once, and sends it. */
  const send = async <T>(request: WangdianRequest): Promise<T> => {
    const { method } = request;
    if (typeof method !== 'string' || !/^[A-Za-z0-9_.]+$/.test(method)) {
      throw new TypeError('method must be a Wangdian method name such as aftersales.refund.RawRefund.upload');
    }
    const args = request.args ?? [];
    if (!Array.isArray(args)) throw new TypeError('args must be an array of positional arguments');
    const paging = request.paging === undefined ? [] : pagingParams(request.paging);
    return sendBody<T>(method, toWangdianJson(args), paging, request.signal);
  };

  const build = (defaultSignal?: AbortSignal): WangdianClient => {
    const withSignal = <O extends { signal?: AbortSignal | undefined }>(options: O): O =>
      options.signal === undefined && defaultSignal !== undefined ? { ...options, signal: defaultSignal } : options;

    const page = <T>(
      method: string,
      args: unknown,
      paging: WangdianPaging & { signal?: AbortSignal | undefined },
    ): Promise<T> => {
      const { signal, ...rest } = withSignal(paging ?? ({} as WangdianPaging));
      return send<T>({
        method,
        args: Array.isArray(args) ? args : [args],
        paging: rest,
        signal,
      });
    };

    return {
      clock: transport.clock,
      call: (method, ...args) => send(withSignal<WangdianRequest>({ method, args })),
      request: (request) => send(withSignal(request)),
      page,
      pages<Row>(method: string, args: unknown, options: WangdianPagesOptions<Row> = {}): AsyncIterable<Row> {
        const pageSize = options.pageSize ?? 100;
        const startPage = options.startPage ?? 0;
        pagingParams({ pageSize, pageNo: startPage });
        const pick = options.rows ?? defaultRows;
        const { signal } = withSignal(options);
        return {
          async *[Symbol.asyncIterator]() {
            for (let pageNo = startPage; ; pageNo++) {
              const data = await page<unknown>(method, args, {
                pageSize,
                pageNo,
                signal,
              });
              const rows = pick(data) as readonly Row[];
              yield* rows;
              if (rows.length < pageSize) return;
            }
          },
        };
      },
      async uploadRawRefunds(shopNo, rows, options = {}) {
        const validated = validateWangdianRawRefunds(shopNo, rows);
        const planned = batchWangdianRows(validated, maxBatch);
        const { signal } = withSignal(options);
        const batches: WangdianUploadBatch[] = planned.map((batch, index) => ({
          index,
          refundNos: batch.refundNos,
          rowCount: batch.rows.length,
          outcome: 'skipped',
        }));
        const result: WangdianUploadResult = { newCount: 0, chgCount: 0, batches };
        for (const [index, batch] of planned.entries()) {
          const facts = batches[index]!;
          const privateValues = batch.rows.flatMap((row) => [row.buyer_nick, row.pay_account ?? '']);
          try {
            // Validated rows hold their fields in the vendor page's order, so this is the body in that order.
            const body = toWangdianJson([shopNo, batch.rows]);
            const data = await sendBody<unknown>(RAW_REFUND_UPLOAD_METHOD, body, [], signal, privateValues);
            const counts = uploadCounts(data);
            facts.outcome = 'uploaded';
            facts.newCount = counts.newCount;
            facts.chgCount = counts.chgCount;
            result.newCount += counts.newCount;
            result.chgCount += counts.chgCount;
          } catch (error) {
            facts.outcome = 'failed';
            if (isRefundkitError(error)) facts.errorCode = error.code;
            throw new UploadIncompleteError(result, error);
          }
        }
        return result;
      },
      withSignal: (signal) => {
        if (!(signal instanceof AbortSignal)) throw new TypeError('withSignal needs an AbortSignal');
        return build(signal);
      },
    };
  };

  return build();
}

function pagingParams(paging: WangdianPaging): [string, string][] {
  if (typeof paging !== 'object' || paging === null)
    throw new TypeError('paging must be { pageSize, pageNo?, calcTotal? }');
  const { pageSize, pageNo = 0, calcTotal = false } = paging;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  if (!Number.isInteger(pageNo) || pageNo < 0) throw new RangeError('pageNo must be an integer from 0');
  if (typeof calcTotal !== 'boolean') throw new TypeError('calcTotal must be a boolean');
  return [
    ['page_size', String(pageSize)],
    ['page_no', String(pageNo)],
    ['calc_total', calcTotal ? '1' : '0'],
  ];
}

/** The rows of one page: `data` when it is an array, else its only array-valued property. */
function defaultRows(data: unknown): readonly unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [];
  const lists = Object.values(data).filter(Array.isArray);
  if (lists.length > 1) {
    throw new TypeError('the page has several lists; pass options.rows to pick the rows out of data');
  }
  return lists[0] ?? [];
}

function uploadCounts(data: unknown): { newCount: number; chgCount: number } {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const count = (value: unknown) => {
    const n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
  };
  return { newCount: count(record.new_count), chgCount: count(record.chg_count) };
}

/** Hides every non-trivial private value (secret, salt, sign, buyer data) the vendor may have quoted back. */
function scrub(message: string, privateValues: readonly (string | undefined)[]): string {
  let text = message;
  const values = privateValues.filter((value): value is string => typeof value === 'string' && value.length >= 2);
  values.sort((a, b) => b.length - a.length);
  for (const value of values) text = text.replaceAll(value, REDACTED);
  return text;
}

/** Reads a Wangdian answer: `data` on success (`status` 0 or absent), a `WangdianApiError` otherwise. */
function readData<T>(
  response: TransportResponse,
  endpoint: string,
  privateValues: readonly (string | undefined)[],
  rateLimitBackoffMs: number,
): T {
  const { json, status: httpStatus } = response;
  const retryableHttp = isRetryableStatus(httpStatus);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ResponseError(`wangdian ${endpoint} answered HTTP ${httpStatus} with JSON that is not an object`, {
      status: httpStatus,
      endpoint,
      retryable: retryableHttp,
    });
  }
  const body = json as Record<string, unknown>;
  const raw = body.status;
  const vendorStatus = raw === undefined || raw === null || raw === '' ? 0 : Number(raw);
  if (!Number.isInteger(vendorStatus)) {
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
    return body.data as T;
  }
  const rawMessage =
    typeof body.message === 'string' ? body.message : typeof body.messge === 'string' ? body.messge : '';
  const meaning = classifyWangdianError(vendorStatus, rawMessage);
  throw new WangdianApiError({
    vendorCode: vendorStatus,
    vendorMessage: scrub(rawMessage, privateValues),
    status: httpStatus,
    endpoint,
    code: meaning.code,
    reason: meaning.reason,
    retryable: meaning.retryable,
    ...(meaning.code === 'RATE_LIMITED' ? { retryAfterMs: rateLimitBackoffMs } : {}),
  });
}
