import { checkedWangdianTimestamp, signCheckedWangdianRequest } from '@refundkit/signing/internal';
import {
  type EndpointDefinition,
  type EndpointInput,
  type EndpointName,
  type EndpointOf,
  type EndpointOutput,
  type EndpointRegistry,
  type InputIssue,
  InputValidationError,
  isRefundkitError,
  type PagingRule,
  redactText,
  type ServerClock,
} from '@refundkit/transport';
import {
  checkEndpointInput,
  clientEndpoints,
  createTransport,
  notGivenIssue,
  pagingIssues,
  pagingQuery,
  readEndpointOutput,
  signalOptionIssues,
} from '@refundkit/transport/internal';
import { rawRefundUpload, type WangdianRawRefundRow } from './endpoints/raw-refund-upload.js';
import { batchWangdianRows } from './wangdian-batches.js';
import { WANGDIAN_CORE_ENDPOINTS, WANGDIAN_DEFINED_METHODS } from './wangdian-defined.js';
import type { WANGDIAN_ENDPOINTS } from './wangdian-endpoints.js';
import { readWangdianAnswer } from './wangdian-envelope.js';
import { UploadIncompleteError, type WangdianUploadBatch, type WangdianUploadResult } from './wangdian-errors.js';
import { toWangdianJson, UnwritableValueError } from './wangdian-json.js';
import type { WANGDIAN_METHODS } from './wangdian-method-list.js';
import { validateWangdianRawRefunds } from './wangdian-raw-refund.js';
import { resolveWangdianSettings, type WangdianClientSettings } from './wangdian-settings.js';

/** Paging of a query method, sent in the signed query string (never in the body). */
export interface WangdianPaging {
  /** `page_size`: rows per page, a whole number from 1 to the method's documented limit. */
  pageSize: number;
  /** `page_no`: the page, counted from 0 (default 0). */
  pageNo?: number | undefined;
  /** `calc_total`: ask the vendor to count every matching row (`total_count`), which costs it time (default false). */
  calcTotal?: boolean | undefined;
}

/** One call in full, for {@link WangdianClientMembers.request}. */
export interface WangdianRequest {
  /** The API method, e.g. `aftersales.refund.RawRefund.upload`. */
  method: string;
  /** The positional arguments, serialised once to compact JSON as the body (default `[]`). */
  args?: readonly unknown[] | undefined;
  /** Paging parameters for query methods. */
  paging?: WangdianPaging | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of {@link WangdianClientMembers.pages} (and, with `startPage`, of `walkWangdianPages`). */
export interface WangdianPagesOptions<Row> {
  /** Rows per page (default: the method's default, 100 for methods without a definition). */
  pageSize?: number | undefined;
  /**
   * Picks the rows out of one page's `data`. By default the method's documented list, or for methods without a
   * definition `data` itself when it is an array, else its only array-valued property.
   */
  rows?: ((data: unknown) => readonly Row[]) | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of {@link WangdianClientMembers.uploadRawRefunds}. */
export interface WangdianUploadOptions {
  signal?: AbortSignal | undefined;
}

/** Every definition this package has, keyed by client method: the default registry of the types below. */
type AllEndpoints = typeof WANGDIAN_ENDPOINTS;
/** The definitions every client serves. */
export type WangdianCoreEndpoints = typeof WANGDIAN_CORE_ENDPOINTS;
/** The registry of a client given `E` in `settings.endpoints`: the uploads and `E`. */
export type WangdianEndpointsOf<E extends EndpointRegistry> = WangdianCoreEndpoints & E;

/** The name of every method typed by registry `R` (default: every definition), e.g. `aftersales.refund.RawRefund.upload`. */
export type WangdianMethodName<R extends EndpointRegistry = AllEndpoints> = EndpointName<R>;
/** The positional arguments of a typed method. */
export type WangdianMethodArgs<
  M extends WangdianMethodName<R>,
  R extends EndpointRegistry = AllEndpoints,
> = EndpointInput<EndpointOf<R, M>>;
/** The checked `data` a typed method answers. */
export type WangdianMethodData<
  M extends WangdianMethodName<R>,
  R extends EndpointRegistry = AllEndpoints,
> = EndpointOutput<EndpointOf<R, M>>;
/** Every method of the vendor's method list. */
export type WangdianListedMethod = (typeof WANGDIAN_METHODS)[number];
/**
 * The methods `call()` of a client with registry `R` takes: those `R` defines, and the rest of the vendor's list that
 * this package does not define (a defined one the client was not given is not callable: it would go unchecked).
 */
export type WangdianCallableMethod<R extends EndpointRegistry = AllEndpoints> =
  | WangdianMethodName<R>
  | Exclude<WangdianListedMethod, WangdianMethodName>;
/** The arguments `call()` takes: typed for a defined method, anything for the rest of the list. */
export type WangdianCallArgs<M extends string, R extends EndpointRegistry = AllEndpoints> =
  M extends WangdianMethodName<R> ? WangdianMethodArgs<M, R> : unknown[];
/** What `call()` answers: the checked `data` of a defined method, `unknown` for the rest of the list. */
export type WangdianCallData<M extends string, R extends EndpointRegistry = AllEndpoints> =
  M extends WangdianMethodName<R> ? WangdianMethodData<M, R> : unknown;
/** One row of a defined query method's answer (its `order`, or queryShop's `details`); for a union, any of theirs. */
export type WangdianRowOf<
  M extends WangdianMethodName<R>,
  R extends EndpointRegistry = AllEndpoints,
> = M extends unknown
  ? WangdianMethodData<M, R> extends {
      order: readonly (infer Row)[];
    }
    ? Row
    : WangdianMethodData<M, R> extends { details: readonly (infer Row)[] }
      ? Row
      : unknown
  : never;

/** One typed method per operation of registry `R`, e.g. `rawRefundUpload(shopNo, rows)` (one call, no batching). */
export type WangdianOperationMethods<R extends EndpointRegistry = WangdianCoreEndpoints> = {
  [K in Exclude<keyof R, keyof WangdianClientMembers>]: (
    ...args: Extract<EndpointInput<R[K]>, readonly unknown[]>
  ) => Promise<EndpointOutput<R[K]>>;
};

/**
 * A Wangdian 旺店通 旗舰版 client given the definitions `E` besides the uploads: one typed method per operation it
 * serves and the members of {@link WangdianClientMembers}; see {@link createWangdianClient}.
 */
export type WangdianClient<E extends EndpointRegistry = Record<never, never>> = WangdianOperationMethods<
  WangdianEndpointsOf<E>
> &
  WangdianClientMembers<E>;

/** What every Wangdian client has besides its typed operation methods. */
export interface WangdianClientMembers<E extends EndpointRegistry = Record<never, never>> {
  /** The client's server clock (its offset is learned from timestamp errors). */
  readonly clock: ServerClock;
  /**
   * Calls any method of the vendor's list by name with its positional arguments. A method the client serves is
   * checked against its schema before anything is sent and answers its checked `data` (a query asks for its first
   * page); a method this package defines but the client was not given is refused; any other listed method takes and
   * answers `unknown` (the list is checked by the compiler, not at run time: a name outside it is sent as given, as
   * with {@link WangdianClientMembers.request}).
   */
  call<M extends WangdianCallableMethod<WangdianEndpointsOf<E>>>(
    method: M,
    ...args: Extract<WangdianCallArgs<M, WangdianEndpointsOf<E>>, readonly unknown[]>
  ): Promise<WangdianCallData<M, WangdianEndpointsOf<E>>>;
  /**
   * The untyped path: any method, everything in one object (arguments, paging, an `AbortSignal`), answering `data`
   * unchecked. The arguments are serialised once to compact JSON; that exact text is signed and sent. A defined
   * method is checked as `call()` checks it.
   */
  request(request: WangdianRequest): Promise<unknown>;
  /**
   * Iterates over every row of a defined query the client serves: its range sliced into the windows the gateway
   * accepts, each walked page by page, each row once. Any other method is walked by `walkWangdianPages()`.
   */
  pages<M extends WangdianMethodName<WangdianEndpointsOf<E>>>(
    method: M,
    args: unknown,
    options?: WangdianPagesOptions<WangdianRowOf<M, WangdianEndpointsOf<E>>>,
  ): AsyncIterable<WangdianRowOf<M, WangdianEndpointsOf<E>>>;
  /** Validates, batches and uploads raw refund rows; see {@link createWangdianClient}. */
  uploadRawRefunds(
    shopNo: string,
    rows: readonly WangdianRawRefundRow[],
    options?: WangdianUploadOptions,
  ): Promise<WangdianUploadResult>;
  /** The same client with `signal` as the default `AbortSignal` of every call: `client.withSignal(s).call(...)`. */
  withSignal(signal: AbortSignal): WangdianClient<E>;
}

/** What one call sends besides its method and definition: the body, the paging query, the signal, buyer data to hide. */
type Sent = [
  body: string,
  paging: readonly [string, string][],
  signal: AbortSignal | undefined,
  privateValues: readonly string[],
];

/** The members of a client, which no key of `settings.endpoints` may take. */
const MEMBERS = ['clock', 'call', 'request', 'pages', 'uploadRawRefunds', 'withSignal'];

declare const __PACKAGE_VERSION__: string | undefined;
/** The package and its version (written in at build time; `0.0.0-source` when run from source, as in its tests). */
const USER_AGENT = `@refundkit/wangdian-aftersales/${typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-source'}`;
const REDACT_QUERY = ['sign', 'salt'];
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;
/** Fields whose values are buyer personal data, hidden should the vendor quote them back in a message. */
const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'buyer_nick',
  'pay_account',
  'receiver_name',
  'receiver_mobile',
  'receiver_telno',
  'receiver_address',
]);
/** Paging of a method without a definition: the vendor's common rule, its largest documented page size. */
export const UNDEFINED_METHOD_PAGING: PagingRule = {
  pageNo: 'page_no',
  pageSize: 'page_size',
  firstPage: 0,
  maxPageSize: 1000,
  defaultPageSize: 100,
  countParam: 'calc_total',
  rowsKey: '',
};

/** The values of personal fields anywhere in `value` (bounded, cycle-safe). */
function personalValues(value: unknown, found: string[] = [], seen = new Set<object>()): string[] {
  if (typeof value !== 'object' || value === null || seen.has(value) || seen.size > 10_000) return found;
  seen.add(value);
  try {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && PERSONAL_FIELDS.has(key)) found.push(item);
      else personalValues(item, found, seen);
    }
  } catch {
    // A value that cannot be read again was already written into the body; nothing more to hide from it.
  }
  return found;
}

/** Runs `check`, turning anything it throws that is not a refundkit error (a getter, a Proxy) into one. */
function guarded<T>(subject: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isRefundkitError(error)) throw error;
    throw new InputValidationError(subject, [
      { path: '', message: 'could not be read (a property getter or a Proxy threw)' },
    ]);
  }
}

/**
 * Serialises arguments to the body, turning an unwritable value (a cycle, NaN) into an issue naming its path, and a
 * getter or Proxy that throws into one saying so.
 */
function bodyOf(subject: string, args: unknown): string {
  try {
    return toWangdianJson(args);
  } catch (error) {
    const unwritable = error instanceof UnwritableValueError;
    throw new InputValidationError(subject, [
      {
        path: unwritable ? `args${error.path.slice(1)}` : 'args',
        message: unwritable ? error.problem : 'could not be read (a property getter or a Proxy threw)',
      },
    ]);
  }
}

/**
 * Creates a client for the Wangdian 旺店通 旗舰版 open API (`POST ${baseUrl}/openapi`). Settings are validated here,
 * once: `sid`, `appKey` and `appSecret` (`secret:salt`) come from the settings or else from `WANGDIAN_SID`,
 * `WANGDIAN_APP_KEY` and `WANGDIAN_APP_SECRET` (read only when the settings leave them out), and a bad or missing
 * one throws a `ConfigurationError` naming it (never echoing the secret). Each call serialises its arguments once to
 * compact JSON, signs that exact text with a fresh timestamp on every attempt (re-signed with the learned server
 * offset after a timestamp error), retries only what is safe (network failures, timeouts, 5xx and rate-limit
 * answers, the latter after `rateLimitBackoffMs`), waits for the `rateLimiter` when one is given (key
 * `wangdian:<sid>:<appKey>`), and throws refundkit errors named by meaning. `uploadRawRefunds(shopNo, rows)` checks
 * every field of every row before anything is sent, splits the rows into calls of at most `maxBatch` rows without
 * splitting a refund, and answers `{ newCount, chgCount, batches }`; a failure part-way throws an
 * `UploadIncompleteError` saying which refund numbers were uploaded and which were not. The client serves the two
 * uploads and the definitions given in `endpoints` (typed methods and a typed `call()` for each); a call to another
 * operation this package defines is refused before anything is sent, so a bundle carries only the schemas it uses.
 *
 * @example
 * const client = createWangdianClient({ sid: 'mysid', appKey: 'mykey', appSecret: process.env.WDT_SECRET });
 * const { newCount, chgCount } = await client.uploadRawRefunds('LCJ', rows);
 * const data = await client.request({ method: 'some.other.Method', args: ['arg1', { key: 1 }] });
 * const queries = createWangdianClient({ ...settings, endpoints: { refundSearch } });
 * for await (const refund of queries.pages('aftersales.refund.Refund.search', { modified_from, modified_to })) { ... }
 */
export function createWangdianClient<const E extends EndpointRegistry = Record<never, never>>(
  settings: WangdianClientSettings<E> = {},
): WangdianClient<E> {
  const resolved = resolveWangdianSettings(settings);
  const { sid, appKey, secret, salt, maxBatch, rateLimitBackoffMs } = resolved;
  const { registry, byName: definitions } = clientEndpoints('Wangdian', WANGDIAN_CORE_ENDPOINTS, settings, MEMBERS);
  const transport = createTransport({
    ...resolved.transport,
    vendor: 'wangdian',
    baseUrl: resolved.baseUrl,
    userAgent: USER_AGENT,
    redactQuery: REDACT_QUERY,
    rateLimitKey: resolved.rateLimitKey,
  });
  // The app secret as given is `${secret}:${salt}` (it is split at its first colon), wherever it came from.
  const secrets = [`${secret}:${salt}`, secret, salt];

  /**
   * Sends one call with its body already serialised and reads the envelope, then the answer's `data` against the
   * definition when there is one; `privateValues` (buyer data) are hidden should the vendor quote them back in an
   * error message. A method without a definition is taken as safe to re-send only when paged: a paged call is a query.
   */
  function sendBody<D extends EndpointDefinition>(
    method: string,
    definition: D,
    ...rest: Sent
  ): Promise<EndpointOutput<D>>;
  function sendBody(method: string, definition: EndpointDefinition | undefined, ...rest: Sent): Promise<unknown>;
  function sendBody(
    method: string,
    definition: EndpointDefinition | undefined,
    body: string,
    paging: readonly [string, string][],
    signal: AbortSignal | undefined,
    privateValues: readonly string[],
  ): Promise<unknown> {
    const endpoint = `POST /openapi ${method}`;
    let sign = '';
    return transport.send({
      method: 'POST',
      path: '/openapi',
      endpoint,
      body,
      signal,
      resendSafe: definition?.resendSafe ?? paging.length > 0,
      prepare(now) {
        const params: [string, string][] = [
          ['sid', sid],
          ['key', appKey],
          ['salt', salt],
          ['method', method],
          ['timestamp', String(checkedWangdianTimestamp(now))],
          ['v', '1.0'],
        ];
        sign = signCheckedWangdianRequest(secret, [...params, ...paging], body);
        return { query: [...params, ['sign', sign], ...paging] };
      },
      interpret: (response) => {
        const data = readWangdianAnswer(response, endpoint, [...secrets, sign, ...privateValues], rateLimitBackoffMs);
        return definition
          ? readEndpointOutput(definition, data, { vendor: 'wangdian', endpoint, status: response.status })
          : data;
      },
    });
  }

  /** Checks one request in full (method, arguments, paging, signal), then sends it. Never throws: it rejects. */
  const send = async (request: WangdianRequest, defaultSignal: AbortSignal | undefined): Promise<unknown> => {
    const subject = 'Wangdian request';
    const { method, args, paging, signal, definition } = guarded(subject, () => {
      if (typeof request !== 'object' || request === null) {
        throw new InputValidationError(subject, [{ path: '', message: 'must be an object' }]);
      }
      const { method, args = [], paging, signal = defaultSignal } = request;
      const issues: InputIssue[] = [];
      if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
        issues.push({
          path: 'method',
          message: 'must be a Wangdian method name such as aftersales.refund.RawRefund.upload',
        });
      }
      if (!Array.isArray(args)) issues.push({ path: 'args', message: 'must be an array of positional arguments' });
      const definition = typeof method === 'string' ? definitions.get(method) : undefined;
      const notGiven = definition ? undefined : notGivenIssue(WANGDIAN_DEFINED_METHODS, method, 'method');
      if (notGiven) issues.push(notGiven);
      const rule = definition?.paging ?? UNDEFINED_METHOD_PAGING;
      if (paging !== undefined) {
        const page =
          typeof paging === 'object' && paging !== null
            ? { pageSize: paging.pageSize, pageNo: paging.pageNo ?? rule.firstPage }
            : paging;
        issues.push(...pagingIssues(rule, page));
        if (
          typeof paging === 'object' &&
          paging !== null &&
          paging.calcTotal !== undefined &&
          typeof paging.calcTotal !== 'boolean'
        ) {
          issues.push({ path: 'paging.calcTotal', message: 'must be a boolean' });
        }
      }
      issues.push(...signalOptionIssues({ signal }, 'request'));
      if (issues.length > 0) throw new InputValidationError(subject, issues);
      return { method: method as string, args: args as readonly unknown[], paging, signal, definition };
    });
    const subjectOf = `Wangdian ${method} arguments`;
    const checked: unknown = definition ? checkEndpointInput(definition, args, subjectOf, 'args') : args;
    const clockIssues = definition?.window?.issuesAt?.(definition, checked, transport.clock.now()) ?? [];
    if (clockIssues.length > 0) throw new InputValidationError(subjectOf, clockIssues);
    const rule = definition?.paging ?? UNDEFINED_METHOD_PAGING;
    // A defined query called without paging asks for its first page, counted: the gateway answers no query unpaged.
    const page = paging ?? (definition?.paging ? { pageSize: rule.defaultPageSize, calcTotal: true } : undefined);
    const query =
      page === undefined
        ? []
        : pagingQuery(
            rule,
            { pageNo: page.pageNo ?? rule.firstPage, pageSize: page.pageSize },
            page.calcTotal === true,
          );
    const body = bodyOf(subjectOf, checked);
    const privateValues = personalValues(checked);
    const output = await sendBody(method, definition, body, query, signal, privateValues);
    if (!definition?.outcome) return output;
    return definition.outcome(output, checked, (text) => redactText(text, [...secrets, ...privateValues]));
  };

  const build = (defaultSignal?: AbortSignal): WangdianClient<E> => {
    const methods = Object.fromEntries(
      Object.entries(registry).map(([name, definition]) => [
        name,
        (...args: unknown[]) => send({ method: definition.name, args }, defaultSignal),
      ]),
    );

    const members: WangdianClientMembers<E> = {
      clock: transport.clock,
      call: ((method: string, ...args: unknown[]) => {
        return send({ method, args }, defaultSignal);
      }) as WangdianClientMembers<E>['call'],
      request: (request) => send(request, defaultSignal),
      pages<Row>(method: string, args: unknown, options: WangdianPagesOptions<Row> = {}): AsyncIterable<Row> {
        return {
          [Symbol.asyncIterator]: () =>
            (async function* () {
              const subject = 'Wangdian pages() options';
              const { definition, pick, signal, pageSize } = guarded(subject, () => {
                const issues = signalOptionIssues(options, 'options');
                if (issues.length > 0) throw new InputValidationError(subject, issues);
                return {
                  definition: definitions.get(method),
                  pick: options?.rows,
                  signal: options?.signal ?? defaultSignal,
                  pageSize: options?.pageSize,
                };
              });
              const walk = definition?.paging?.walk;
              if (!definition || !walk) {
                throw new InputValidationError(subject, [
                  (definition ? undefined : notGivenIssue(WANGDIAN_DEFINED_METHODS, method, 'method')) ?? {
                    path: 'method',
                    message: 'must be a paged query this client serves (see walkWangdianPages)',
                  },
                ]);
              }
              // A Wangdian query walks its own way: windows, each from its last page back.
              yield* walk<Row>({
                definition,
                args,
                pageSize,
                rows: pick,
                subject,
                now: () => transport.clock.now(),
                fetchPage: (sliceArgs, pageNo, size, count) =>
                  send(
                    { method, args: sliceArgs, paging: { pageNo, pageSize: size, calcTotal: count }, signal },
                    undefined,
                  ),
              });
            })(),
        };
      },
      async uploadRawRefunds(shopNo, rows, options) {
        // signalOptionIssues reads the options inside its own guard.
        const optionIssues = signalOptionIssues(options, 'options');
        if (optionIssues.length > 0) throw new InputValidationError('Wangdian uploadRawRefunds options', optionIssues);
        const validated = guarded(rawRefundUpload.name, () => validateWangdianRawRefunds(shopNo, rows));
        const planned = batchWangdianRows(validated, maxBatch);
        const signal = options?.signal ?? defaultSignal;
        const batches: WangdianUploadBatch[] = planned.map((batch, index) => ({
          index,
          refundNos: batch.refundNos,
          rowCount: batch.rows.length,
          outcome: 'skipped',
        }));
        const result: WangdianUploadResult = { newCount: 0, chgCount: 0, batches };
        for (const [index, batch] of planned.entries()) {
          const facts = batches[index]!;
          try {
            // Validated rows hold their fields in the vendor page's order, so this is the body in that order.
            const body = toWangdianJson([shopNo, batch.rows]);
            const counts = await sendBody(
              rawRefundUpload.name,
              rawRefundUpload,
              body,
              [],
              signal,
              personalValues(batch.rows),
            );
            facts.outcome = 'uploaded';
            facts.newCount = counts.new_count;
            facts.chgCount = counts.chg_count;
            result.newCount += counts.new_count;
            result.chgCount += counts.chg_count;
          } catch (error) {
            facts.outcome = 'failed';
            if (isRefundkitError(error)) facts.errorCode = error.code;
            throw new UploadIncompleteError(result, error);
          }
        }
        return result;
      },
      withSignal: (signal) => {
        if (!(signal instanceof AbortSignal)) {
          throw new InputValidationError('Wangdian withSignal', [
            { path: 'signal', message: 'must be an AbortSignal' },
          ]);
        }
        return build(signal);
      },
    };
    return { ...methods, ...members } as WangdianClient<E>;
  };

  return build();
}
