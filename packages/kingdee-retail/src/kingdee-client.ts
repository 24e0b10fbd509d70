import { formatIssuePath } from '@refundkit/refund-model';
import {
  createLogSink,
  createTransport,
  InputValidationError,
  isRefundkitError,
  ResponseError,
  type Transport,
  type VendorApiError,
} from '@refundkit/transport';
import * as v from 'valibot';
import { APP_SECRET_REJECTED_CODE, readKingdeeAnswer, TOKEN_REJECTED_CODES } from './kingdee-errors.js';
import {
  type KingdeeRefundSaveBody,
  type KingdeeRefundSaveData,
  kingdeeRefundSaveDataSchema,
  parseKingdeeRefundSaveBody,
} from './kingdee-refund-save.js';
import { type KingdeeRetailSettings, resolveKingdeeSettings } from './kingdee-settings.js';
import { kingdeeSignedHeaders } from './kingdee-signed-headers.js';
import { createKingdeeTokenManager } from './kingdee-token.js';
import { createMemoryTokenStore } from './kingdee-token-store.js';
import { USER_AGENT } from './version.js';

/** Query parameters of a Kingdee call: a plain object, a `URLSearchParams`, or `[key, value]` pairs. */
export type KingdeeQueryInput =
  | Record<string, string | number | boolean | null | undefined>
  | URLSearchParams
  | Iterable<readonly [string, string | number]>;

/** A signed call to any Kingdee open API v2 path. */
export interface KingdeeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path alone, e.g. `/jdy/v2/bd/customer`; no host, no query string. */
  path: string;
  /** Query parameters; they take part in the signature. `null`/`undefined` values are left out. */
  query?: KingdeeQueryInput | undefined;
  /** A value sent as JSON (`JSON.stringify`), or a string sent as it is (it must already be JSON). */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** A Kingdee 精斗云 retail client. */
export interface KingdeeRetailClient {
  /** Sends a signed call to any v2 path with the account set's app-token and answers its `data`. */
  request<T = unknown>(request: KingdeeRequest): Promise<T>;
  /** Saves a retail refund (零售退款保存) after validating the body; answers the checked `data`. */
  refundSave(
    body: KingdeeRefundSaveBody,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<KingdeeRefundSaveData>;
}

const REFUND_SAVE_PATH = '/jdy/v2/ls/refundSave';
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

function toQueryPairs(query: KingdeeQueryInput | undefined): Array<[string, string]> {
  if (query === undefined) return [];
  const pairs: Array<[string, string]> = [];
  const entries: Iterable<readonly [string, unknown]> =
    query instanceof URLSearchParams || Symbol.iterator in Object(query)
      ? (query as Iterable<readonly [string, unknown]>)
      : Object.entries(query as Record<string, unknown>);
  for (const entry of entries) {
    const [key, value] = entry;
    if (value === undefined || value === null) continue;
    pairs.push([String(key), String(value)]);
  }
  return pairs;
}

function checkRequest(request: KingdeeRequest): void {
  const issues: Array<{ path: string; message: string }> = [];
  if (typeof request !== 'object' || request === null) {
    throw new InputValidationError('Kingdee request', [{ path: '', message: 'must be an object' }]);
  }
  if (!METHODS.has(request.method)) issues.push({ path: 'method', message: 'must be GET, POST, PUT, DELETE or PATCH' });
  if (typeof request.path !== 'string' || !/^\/[^?#\s]*$/.test(request.path)) {
    issues.push({ path: 'path', message: 'must be a path starting with "/", without host or query string' });
  }
  if (request.query !== undefined && (typeof request.query !== 'object' || request.query === null)) {
    issues.push({ path: 'query', message: 'must be an object, a URLSearchParams or [key, value] pairs' });
  }
  if (issues.length > 0) throw new InputValidationError('Kingdee request', issues);
}

/**
 * Creates a Kingdee 精斗云 retail client. Settings are checked here, once: each credential comes from the settings or
 * else its environment variable (`KINGDEE_CLIENT_ID`, `KINGDEE_CLIENT_SECRET`, `KINGDEE_APP_KEY`,
 * `KINGDEE_APP_SECRET`, `KINGDEE_DOMAIN`, `KINGDEE_OUTER_INSTANCE_ID`), and a missing one throws a
 * `ConfigurationError` naming both. Give appKey + appSecret + domain, or outerInstanceId to have them fetched with
 * push_app_authorize; with both, the first are used and outerInstanceId fetches fresh ones after the vendor rotates
 * the secret. Every call is signed afresh per attempt, carries a cached app-token, is retried on transient failures
 * (it is idempotent by `refund_no`) and throws refundkit errors with the vendor's code.
 *
 * @example
 * const client = createKingdeeRetailClient({ clientId, clientSecret, outerInstanceId });
 * const data = await client.refundSave(toKingdeeRefundSave(refund, { cmd: 'pay.refund.query', signMsg: '1', mchId: 'M1001' }));
 */
export function createKingdeeRetailClient(settings: KingdeeRetailSettings = {}): KingdeeRetailClient {
  const resolved = resolveKingdeeSettings(settings);
  const transport: Transport = createTransport({
    vendor: 'kingdee',
    baseUrl: resolved.baseUrl,
    userAgent: USER_AGENT,
    redactQuery: ['app_signature'],
    // An unset one is passed as undefined, which the transport reads as left out.
    timeout: settings.timeout,
    fetch: settings.fetch,
    retry: settings.retry,
    hooks: settings.hooks,
    logger: settings.logger,
    loggerStyle: settings.loggerStyle,
  });
  const log = createLogSink(settings.logger, settings.loggerStyle);
  const tokens = createKingdeeTokenManager({
    transport,
    settings: resolved,
    store: settings.tokenStore ?? createMemoryTokenStore(),
    log,
  });
  const { clientId, clientSecret } = resolved;

  const call = async <T>(
    request: KingdeeRequest,
    bodyText: string | undefined,
    read: (data: unknown, status: number) => T,
  ): Promise<T> => {
    const { method, path, signal } = request;
    const endpoint = `${method} ${path}`;
    const query = toQueryPairs(request.query);
    for (let round = 1; ; round += 1) {
      const held = await tokens.get(signal, endpoint);
      try {
        return await transport.send({
          method,
          path,
          endpoint,
          body: bodyText,
          signal,
          prepare: (now) => ({
            query,
            headers: {
              ...kingdeeSignedHeaders({ clientId, clientSecret, method, path, query, now }),
              'app-token': held.token.appToken,
              'X-GW-Router-Addr': held.app.domain,
            },
          }),
          interpret: (response) => read(readKingdeeAnswer(endpoint, response), response.status),
        });
      } catch (error) {
        const vendorCode = isRefundkitError(error) ? (error as Partial<VendorApiError>).vendorCode : undefined;
        const refreshable =
          vendorCode !== undefined && (TOKEN_REJECTED_CODES.has(vendorCode) || vendorCode === APP_SECRET_REJECTED_CODE);
        if (round > 1 || !refreshable) throw error;
        log?.('info', 'refundkit kingdee app-token rejected; fetching a new one', { endpoint, vendorCode });
        tokens.invalidate(held, vendorCode);
      }
    }
  };

  return {
    request<T = unknown>(request: KingdeeRequest): Promise<T> {
      try {
        checkRequest(request);
      } catch (error) {
        return Promise.reject(error);
      }
      let bodyText: string | undefined;
      if (typeof request.body === 'string') bodyText = request.body;
      else if (request.body !== undefined) bodyText = JSON.stringify(request.body);
      return call(request, bodyText, (data) => data as T);
    },

    refundSave(body, options = {}) {
      let checked: KingdeeRefundSaveBody;
      try {
        checked = parseKingdeeRefundSaveBody(body);
      } catch (error) {
        return Promise.reject(error);
      }
      const endpoint = `POST ${REFUND_SAVE_PATH}`;
      return call(
        { method: 'POST', path: REFUND_SAVE_PATH, signal: options.signal },
        JSON.stringify(checked),
        (data, status) => {
          const result = v.safeParse(kingdeeRefundSaveDataSchema, data);
          if (!result.success) {
            const fields = result.issues.map((issue) => formatIssuePath(issue.path) || 'data');
            throw new ResponseError(
              `kingdee ${endpoint} answered data that does not match the documented shape (${fields.join(', ')})`,
              { status, endpoint },
            );
          }
          return result.output as KingdeeRefundSaveData;
        },
      );
    },
  };
}
