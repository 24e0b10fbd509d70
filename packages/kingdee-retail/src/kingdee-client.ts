import {
  type EndpointDefinition,
  type EndpointInput,
  type EndpointName,
  type EndpointOf,
  type EndpointOutput,
  type EndpointRegistry,
  type InputIssue,
  InputValidationError,
  VendorApiError,
} from '@refundkit/transport';
import {
  checkEndpointInput,
  clientEndpoints,
  createLogSink,
  createTransport,
  notGivenIssue,
  readEndpointOutput,
  signalOptionIssues,
  type Transport,
} from '@refundkit/transport/internal';
import { type KingdeeRefundSaveBody, type KingdeeRefundSaveData, refundSave } from './endpoints/refund-save.js';
import type { KingdeeRetailBill, retailBillList } from './endpoints/retail-bill-list.js';
import type { KingdeeStore, storeList } from './endpoints/store-list.js';
import { KINGDEE_CORE_ENDPOINTS, KINGDEE_DEFINED_OPERATIONS } from './kingdee-defined.js';
import type { KINGDEE_ENDPOINTS } from './kingdee-endpoints.js';
import { readKingdeeAnswer, TOKEN_REFRESH_CODES } from './kingdee-errors.js';
import { type KingdeeRefundSaveResult, toKingdeeRefundSaveResult } from './kingdee-refund-outcome.js';
import { type KingdeeRetailSettings, resolveKingdeeSettings } from './kingdee-settings.js';
import { kingdeeSignedHeaders } from './kingdee-signed-headers.js';
import { createKingdeeTokenManager } from './kingdee-token.js';
import { USER_AGENT } from './version.js';

/** A query parameter value: text, a number or a boolean; `null`/`undefined` leave the parameter out. */
export type KingdeeQueryValue = string | number | boolean | null | undefined;

/** Query parameters of a Kingdee call: a plain object, a `URLSearchParams`, or `[key, value]` pairs. */
export type KingdeeQueryInput =
  | Record<string, KingdeeQueryValue>
  | URLSearchParams
  | Iterable<readonly [string, string | number | boolean]>;

/** The HTTP methods of the Kingdee open API. */
export type KingdeeMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A signed call to any Kingdee open API v2 path, for {@link KingdeeRetailClient.request}. */
export interface KingdeeRequest {
  method: KingdeeMethod;
  /** The path alone, e.g. `/jdy/v2/bd/customer`; no host, no query string. */
  path: string;
  /** Query parameters; they take part in the signature. `null`/`undefined` values are left out. */
  query?: KingdeeQueryInput | undefined;
  /** A value sent as JSON (`JSON.stringify`), or a string sent as it is (it must already be JSON). */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** Options of one call. */
export interface KingdeeCallOptions {
  signal?: AbortSignal | undefined;
}

/** Every definition this package has, keyed by client method: the default registry of the types below. */
type AllEndpoints = typeof KINGDEE_ENDPOINTS;
/** The definitions every client serves. */
export type KingdeeCoreEndpoints = typeof KINGDEE_CORE_ENDPOINTS;
/** The registry of a client given `E` in `settings.endpoints`: refundSave and `E`. */
export type KingdeeEndpointsOf<E extends EndpointRegistry> = KingdeeCoreEndpoints & E;

/** The name of every operation typed by registry `R` (default: every definition), e.g. `POST /jdy/v2/ls/refundSave`. */
export type KingdeeOperationName<R extends EndpointRegistry = AllEndpoints> = EndpointName<R>;
/** What a caller passes to an operation: the body of a POST, the query of a GET. */
export type KingdeeOperationInput<
  N extends KingdeeOperationName<R>,
  R extends EndpointRegistry = AllEndpoints,
> = EndpointInput<EndpointOf<R, N>>;
/**
 * What an operation answers: its checked `data`, except refundSave, which answers a {@link KingdeeRefundSaveResult}
 * (the refund's outcome with the raw `data`) and rejects with a `KingdeeRefundRefusedError` when the channel refused.
 */
export type KingdeeOperationOutput<
  N extends KingdeeOperationName<R>,
  R extends EndpointRegistry = AllEndpoints,
> = N extends typeof refundSave.name ? KingdeeRefundSaveResult : EndpointOutput<EndpointOf<R, N>>;

/** One typed method per operation of registry `R`, e.g. `refundSave(body, options?)`. */
export type KingdeeOperationMethods<R extends EndpointRegistry = KingdeeCoreEndpoints> = {
  [K in Exclude<keyof R, keyof KingdeeClientMembers>]: (
    input: EndpointInput<R[K]>,
    options?: KingdeeCallOptions,
  ) => Promise<KingdeeOperationOutput<R[K]['name'], R>>;
};

/** The operations that page, among those of registry `R`: the retail bill list and the store list. */
export type KingdeePagedOperationName<R extends EndpointRegistry = AllEndpoints> = Extract<
  typeof retailBillList.name | typeof storeList.name,
  KingdeeOperationName<R>
>;
/** The row type of a paged operation. */
export type KingdeePagedRow<N extends KingdeePagedOperationName> = N extends typeof retailBillList.name
  ? KingdeeRetailBill
  : KingdeeStore;

/** Options of {@link KingdeeRetailClient.pages}. */
export interface KingdeePagesOptions {
  /** Rows per page, 1–100 (default 100). */
  pageSize?: number | undefined;
  /** The first page to fetch (default 1). */
  startPage?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A Kingdee 精斗云 retail client given the definitions `E` besides refundSave: one typed method per operation it
 * serves (`refundSave`), the same operations by name through `call()`, and `request()` for any other path.
 */
export type KingdeeRetailClient<E extends EndpointRegistry = Record<never, never>> = KingdeeOperationMethods<
  KingdeeEndpointsOf<E>
> &
  KingdeeClientMembers<E>;

/** What every Kingdee client has besides its typed operation methods. */
export interface KingdeeClientMembers<E extends EndpointRegistry = Record<never, never>> {
  /**
   * Calls a defined operation by its name (`POST /jdy/v2/ls/refundSave`): the input is checked against its schema
   * before anything is sent, and the answer's `data` against its response schema.
   */
  call<N extends KingdeeOperationName<KingdeeEndpointsOf<E>>>(
    name: N,
    input: KingdeeOperationInput<N, KingdeeEndpointsOf<E>>,
    options?: KingdeeCallOptions,
  ): Promise<KingdeeOperationOutput<N, KingdeeEndpointsOf<E>>>;
  /**
   * The untyped path: a signed call to any v2 path with the account set's app-token, answering its `data` unchecked
   * (`unknown`). A method and path that name a defined operation are checked as `call()` checks them.
   */
  request(request: KingdeeRequest): Promise<unknown>;
  /**
   * Iterates over every row of a paged operation (`GET /jdy/v2/ls/retail_bill`, `GET /jdy/v2/ls/store`), page by
   * page from page 1, until a page comes back short (or, for stores, the counted total is reached). The query is
   * checked like the operation's own; its page parameters are set by the iterator.
   *
   * @example
   * for await (const bill of client.pages('GET /jdy/v2/ls/retail_bill', { store_id, start_time: since })) { ... }
   */
  pages<N extends KingdeePagedOperationName<KingdeeEndpointsOf<E>>>(
    name: N,
    query?: Omit<KingdeeOperationInput<N, KingdeeEndpointsOf<E>>, 'page_no' | 'page' | 'page_size'>,
    options?: KingdeePagesOptions,
  ): AsyncIterable<KingdeePagedRow<N>>;
}

const METHODS: ReadonlySet<unknown> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
/** The members of a client, which no key of `settings.endpoints` may take. */
const MEMBERS = ['call', 'request', 'pages'];
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a path may not hold.
const PATH = /^\/[^?#\s\u0000-\u001f\u007f-\u009f]*$/;

/** Reads the query input as pairs, or answers the issues (values must be text, numbers or booleans). */
function queryPairs(query: unknown, issues: InputIssue[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (query === undefined) return pairs;
  if (typeof query !== 'object' || query === null) {
    issues.push({ path: 'query', message: 'must be an object, a URLSearchParams or [key, value] pairs' });
    return pairs;
  }
  let entries: Iterable<unknown>;
  try {
    entries =
      query instanceof URLSearchParams || Symbol.iterator in query
        ? (query as Iterable<unknown>)
        : Object.entries(query);
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
        issues.push({ path: 'query', message: 'pairs must be [key, value] with a string key' });
        continue;
      }
      const [key, value] = entry as [string, unknown];
      if (value === undefined || value === null) continue;
      if (
        typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string' && typeof value !== 'boolean'
      ) {
        issues.push({ path: `query.${key}`, message: 'must be text, a finite number or a boolean' });
        continue;
      }
      pairs.push([key, String(value)]);
    }
  } catch {
    issues.push({ path: 'query', message: 'could not be read (a property getter or a Proxy threw)' });
  }
  return pairs;
}

/**
 * Creates a Kingdee 精斗云 retail client. Settings are checked here, once: each credential comes from the settings or
 * else its environment variable (`KINGDEE_CLIENT_ID`, `KINGDEE_CLIENT_SECRET`, `KINGDEE_APP_KEY`,
 * `KINGDEE_APP_SECRET`, `KINGDEE_DOMAIN`, `KINGDEE_OUTER_INSTANCE_ID`), read only when the settings leave it out,
 * and a missing one throws a `ConfigurationError` naming both. Give appKey + appSecret + domain, or outerInstanceId
 * to have them fetched with push_app_authorize; with both, the first are used and outerInstanceId fetches fresh ones
 * after the vendor rotates the secret. Every call is signed afresh per attempt, carries a cached app-token, is
 * retried on transient failures where a re-send is safe, waits for the `rateLimiter` when one is given (key
 * `kingdee:<clientId>:<appKey or outerInstanceId>`), and throws refundkit errors with the vendor's code.
 *
 * @example
 * const client = createKingdeeRetailClient({ clientId, clientSecret, outerInstanceId });
 * const data = await client.refundSave(toKingdeeRefundSave(refund, { cmd: 'pay.refund.query', signMsg: '1', mchId: 'M1001' }));
 */
export function createKingdeeRetailClient<const E extends EndpointRegistry = Record<never, never>>(
  settings: KingdeeRetailSettings<E> = {},
): KingdeeRetailClient<E> {
  const resolved = resolveKingdeeSettings(settings);
  const { registry, byName: definitions } = clientEndpoints('Kingdee', KINGDEE_CORE_ENDPOINTS, settings, MEMBERS);
  const transport: Transport = createTransport({
    ...resolved.transport,
    vendor: 'kingdee',
    baseUrl: resolved.baseUrl,
    userAgent: USER_AGENT,
    redactQuery: ['app_signature'],
    rateLimitKey: resolved.rateLimitKey,
  });
  const log = createLogSink(resolved.transport.logger, resolved.transport.loggerStyle);
  const tokens = createKingdeeTokenManager({
    transport,
    settings: resolved,
    // Without a store the token lives in the manager alone, as a private memory store would keep it.
    store: settings.tokenStore,
    log,
  });
  const { clientId, clientSecret } = resolved;

  /** Sends one signed call with the app-token, fetching a new token once when the gateway rejects it. */
  const send = async <T>(
    method: KingdeeMethod,
    path: string,
    query: ReadonlyArray<readonly [string, string]>,
    bodyText: string | undefined,
    signal: AbortSignal | undefined,
    resendSafe: boolean,
    read: (data: unknown, status: number) => T,
  ): Promise<T> => {
    const endpoint = `${method} ${path}`;
    for (let round = 1; ; round += 1) {
      const held = await tokens.get(signal, endpoint);
      try {
        return await transport.send({
          method,
          path,
          endpoint,
          body: bodyText,
          signal,
          resendSafe,
          prepare: (now) => ({
            query,
            headers: {
              ...kingdeeSignedHeaders({ clientId, clientSecret, method, path, query, now }),
              'app-token': held.token.appToken,
              'x-gw-router-addr': held.app.domain,
            },
          }),
          interpret: (response) => read(readKingdeeAnswer(endpoint, response), response.status),
        });
      } catch (error) {
        const vendorCode = VendorApiError.isInstance(error) ? error.vendorCode : '';
        if (round > 1 || !TOKEN_REFRESH_CODES.has(vendorCode)) throw error;
        log?.('info', 'refundkit kingdee app-token rejected; fetching a new one', { endpoint, vendorCode });
        tokens.invalidate(held, vendorCode);
      }
    }
  };

  /** Calls a defined operation: input checked by its schema, `data` read by its response schema. */
  const callDefined = <D extends EndpointDefinition>(
    definition: D,
    input: unknown,
    options: unknown,
    extraQuery: ReadonlyArray<readonly [string, string]> = [],
  ): Promise<EndpointOutput<D>> => {
    const [method, path] = definition.name.split(' ') as [KingdeeMethod, string];
    let checked: unknown;
    let query: Array<[string, string]> = [...extraQuery] as Array<[string, string]>;
    let signal: AbortSignal | undefined;
    try {
      const issues = signalOptionIssues(options, 'options');
      if (issues.length > 0) throw new InputValidationError(`Kingdee ${definition.name} options`, issues);
      signal = (options as KingdeeCallOptions | undefined)?.signal;
      checked = checkEndpointInput(
        definition,
        input,
        `Kingdee ${definition.name} ${method === 'GET' ? 'query' : 'body'}`,
      );
      if (method === 'GET') {
        const queryIssues: InputIssue[] = [];
        query = [...queryPairs(checked, queryIssues), ...query];
        if (queryIssues.length > 0) throw new InputValidationError(`Kingdee ${definition.name} query`, queryIssues);
      }
    } catch (error) {
      return Promise.reject(
        InputValidationError.isInstance(error)
          ? error
          : new InputValidationError(`Kingdee ${definition.name} options`, [
              { path: 'options', message: 'could not be read (a property getter or a Proxy threw)' },
            ]),
      );
    }
    return send(
      method,
      path,
      query,
      method === 'GET' ? undefined : JSON.stringify(checked),
      signal,
      definition.resendSafe,
      (data, status) => {
        const output = readEndpointOutput(definition, data, { vendor: 'kingdee', endpoint: definition.name, status });
        if (definition.name !== refundSave.name) return output;
        // The gateway accepted the call; the refund's own outcome is in data (a refusal rejects).
        return toKingdeeRefundSaveResult(output as KingdeeRefundSaveData, checked as KingdeeRefundSaveBody) as never;
      },
    );
  };

  const request = (input: KingdeeRequest): Promise<unknown> => {
    const issues: InputIssue[] = [];
    let method: unknown;
    let path: unknown;
    let query: Array<[string, string]> = [];
    let bodyText: string | undefined;
    let signal: unknown;
    try {
      if (typeof input !== 'object' || input === null) {
        throw new InputValidationError('Kingdee request', [{ path: '', message: 'must be an object' }]);
      }
      ({ method, path, signal } = input);
      if (!METHODS.has(method)) issues.push({ path: 'method', message: 'must be GET, POST, PUT, DELETE or PATCH' });
      if (typeof path !== 'string' || !PATH.test(path)) {
        issues.push({
          path: 'path',
          message: 'must be a path starting with "/", without host, query string, spaces or control characters',
        });
      }
      issues.push(...signalOptionIssues({ signal }, 'request'));
      const name = `${String(method)} ${String(path)}`;
      const definition = definitions.get(name);
      const notGiven = definition ? undefined : notGivenIssue(KINGDEE_DEFINED_OPERATIONS, name, 'path');
      if (notGiven) issues.push(notGiven);
      query = queryPairs(input.query, issues);
      if (definition !== undefined && issues.length === 0) {
        return callDefined(
          definition,
          method === 'GET' ? Object.fromEntries(query) : input.body,
          { signal },
          method === 'GET' ? [] : query,
        );
      }
      const body = input.body;
      if (typeof body === 'string') bodyText = body;
      else if (body !== undefined) {
        try {
          bodyText = JSON.stringify(body);
        } catch {
          issues.push({ path: 'body', message: 'must be serialisable to JSON (no cycles, no bigint)' });
        }
        if (bodyText === undefined && issues.every((issue) => issue.path !== 'body')) {
          issues.push({ path: 'body', message: 'has no JSON form' });
        }
      }
      if (issues.length > 0) throw new InputValidationError('Kingdee request', issues);
    } catch (error) {
      if (InputValidationError.isInstance(error)) return Promise.reject(error);
      return Promise.reject(
        new InputValidationError('Kingdee request', [
          { path: '', message: 'could not be read (a property getter or a Proxy threw)' },
        ]),
      );
    }
    const resendSafe = method === 'GET';
    return send(
      method as KingdeeMethod,
      path as string,
      query,
      bodyText,
      signal as AbortSignal | undefined,
      resendSafe,
      (data) => data,
    );
  };

  const methods = Object.fromEntries(
    Object.entries(registry).map(([name, definition]) => [
      name,
      (input: unknown, options?: KingdeeCallOptions) => callDefined(definition, input, options),
    ]),
  );

  const members: KingdeeClientMembers<E> = {
    call(name, input, options) {
      const definition = definitions.get(name);
      if (definition === undefined) {
        return Promise.reject(
          new InputValidationError('Kingdee call', [
            notGivenIssue(KINGDEE_DEFINED_OPERATIONS, name, 'name') ?? {
              path: 'name',
              message: 'is not a defined Kingdee operation; use request() for any other path',
            },
          ]),
        );
      }
      return callDefined(definition, input, options) as never;
    },
    request,
    pages(name, query = {} as never, options = {}) {
      const definition = definitions.get(name);
      return {
        [Symbol.asyncIterator]: () =>
          (async function* () {
            const subject = 'Kingdee pages() options';
            const rule = definition?.paging;
            // The rule's walk (walkForward for Kingdee's lists) travels with the definition.
            if (definition === undefined || rule?.walk === undefined) {
              throw new InputValidationError(subject, [
                (definition ? undefined : notGivenIssue(KINGDEE_DEFINED_OPERATIONS, name, 'name')) ?? {
                  path: 'name',
                  message: 'is not a paged Kingdee operation',
                },
              ]);
            }
            const issues = signalOptionIssues(options, 'options');
            if (issues.length > 0) throw new InputValidationError(subject, issues);
            yield* rule.walk({
              definition,
              args: query,
              subject,
              pageSize: options.pageSize,
              startPage: options.startPage,
              now: () => transport.clock.now(),
              fetchPage: ([args], pageNo, pageSize) =>
                callDefined(
                  definition,
                  { ...(args as object), [rule.pageNo]: pageNo, [rule.pageSize]: pageSize },
                  { signal: options.signal },
                ),
            });
          })() as AsyncGenerator<never>,
      };
    },
  };
  return { ...methods, ...members } as KingdeeRetailClient<E>;
}
