import {
  type InputIssue,
  InputValidationError,
  ResponseError,
  safeParseInput,
  toInputIssues,
  type Vendor,
} from '@refundkit/refund-model';
import * as v from 'valibot';
import { settingError } from './client-settings.js';

/** valibot's object schemas, which take an array for an object unless told otherwise. */
const OBJECT_TYPES: ReadonlySet<string> = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

/** Any valibot schema. */
export type AnySchema = v.GenericSchema<unknown, unknown>;

/**
 * How a query operation pages: the names of its page parameters (they travel in the signed query string), where
 * pages are counted from, the documented page-size limit, and where the rows and the total are in `data`.
 */
export interface PagingRule {
  /** The page-number parameter, e.g. `page_no`. */
  readonly pageNo: string;
  /** The page-size parameter, e.g. `page_size`. */
  readonly pageSize: string;
  /** The number of the first page: 0 (Wangdian) or 1. */
  readonly firstPage: 0 | 1;
  /** The largest page size the vendor documents for this operation. */
  readonly maxPageSize: number;
  /** The page size used when the caller gives none (at most `maxPageSize`). */
  readonly defaultPageSize: number;
  /** A parameter that asks the vendor to count every matching row; sent as `1` on the first page only, else `0`. */
  readonly countParam?: string | undefined;
  /** The key of `data` that holds the rows of a page, e.g. `order`. */
  readonly rowsKey: string;
  /** The key of `data` that holds the total count, when the vendor answers one. */
  readonly totalKey?: string | undefined;
  /** The field that identifies a row, when a walk may see a row twice and yields it once (e.g. `refund_id`). */
  readonly idKey?: string | undefined;
  /**
   * How a client walks every row, when that takes more than reading pages forward until a short one (a Wangdian
   * query: its range cut into windows, each walked from its last page back). It travels with the definition, so a
   * client given no such operation carries none of its code.
   */
  readonly walk?: PageWalk | undefined;
}

/** What a client hands a {@link PagingRule.walk}: the call, and how to fetch one page of it. */
export interface PageWalkContext<Row> {
  readonly definition: EndpointDefinition;
  /** The caller's arguments, unchecked (each page's call checks them). */
  readonly args: unknown;
  /** Rows per page as the caller asked (default: the rule's). */
  readonly pageSize: number | undefined;
  /** The first page as the caller asked (default: the rule's; a walk that decides its own order ignores it). */
  readonly startPage?: number | undefined;
  /** Picks the rows out of a page's `data` (default: `data[rule.rowsKey]`). */
  readonly rows?: ((data: unknown) => readonly Row[]) | undefined;
  /** What the caller's options are called in an `InputValidationError`. */
  readonly subject: string;
  /** The client's clock (epoch ms, corrected to the server's). */
  now(): number;
  /** Sends one page's call (`count` asks the vendor for the total) and answers its checked `data`. */
  fetchPage(args: readonly unknown[], pageNo: number, pageSize: number, count: boolean): Promise<unknown>;
}

/** A walk over every row of a paged operation; see {@link PagingRule.walk}. */
export type PageWalk = <Row>(context: PageWalkContext<Row>) => AsyncIterable<Row>;

/**
 * A time-window rule: which request parameters bound the window and the longest span the vendor answers for, so
 * that a longer range can be sliced into windows it accepts.
 */
export interface WindowRule {
  /** The parameter holding the window's start, e.g. `start_time`. */
  readonly startParam: string;
  /** The parameter holding the window's end, e.g. `end_time`. */
  readonly endParam: string;
  /** The longest span between start and end the vendor accepts, in milliseconds. */
  readonly maxSpanMs: number;
  /** Whether the operation refuses a call without a window. */
  readonly required: boolean;
  /**
   * The resolution of the vendor's time parameters in milliseconds (1000 for `yyyy-MM-dd HH:mm:ss`). Both ends of a
   * window are inclusive at this resolution, so the next slice starts one step after the previous one ends.
   */
  readonly stepMs: number;
  /**
   * The issues of a checked request against the client's clock (a window that ends later than now), checked before
   * anything is sent. It travels with the definition, like {@link PagingRule.walk}.
   */
  readonly issuesAt?: ((definition: EndpointDefinition, request: unknown, now: number) => InputIssue[]) | undefined;
}

/**
 * One vendor operation, as data: its name, a request schema with every documented rule, a loose response schema of
 * `data` (unknown keys kept), its paging and time window where it has them, and whether a re-send after an unknown
 * outcome is safe. Vendor clients derive their typed methods and the typed `call()` from these definitions; paging
 * and window slicing are written once, against `paging` and `window`.
 */
export interface EndpointDefinition<
  Name extends string = string,
  Request extends AnySchema = AnySchema,
  Response extends AnySchema = AnySchema,
> {
  /** The vendor's name of the operation: a Wangdian method, or a Kingdee `METHOD /path`. */
  readonly name: Name;
  /** The vendor's own title of the operation (for docs and messages). */
  readonly title: string;
  /** The request in the vendor's field names, with every documented rule. */
  readonly request: Request;
  /** `data` of a successful answer: loose where the vendor is loose, exact for money and big ids. */
  readonly response: Response;
  /** How the operation pages, when it does. */
  readonly paging?: PagingRule | undefined;
  /** The time window it answers for, when it has one. */
  readonly window?: WindowRule | undefined;
  /**
   * Whether sending the same request again after an unknown outcome (a timeout, a dropped connection, an answer
   * that could not be read) is safe: true for reads and for writes the vendor de-duplicates by a key.
   */
  readonly resendSafe: boolean;
  /**
   * Reads the vendor's business outcome out of a successful call's checked `data`, when the call can succeed and still
   * refuse what it was sent: answers `data`, or throws a refundkit error naming what was refused. `request` is the
   * checked request; `redact` hides the call's secrets and personal data in vendor text. Left out, the call answers
   * `data`.
   */
  outcome?(
    data: v.InferOutput<Response>,
    request: v.InferOutput<Request>,
    redact: (text: string) => string,
  ): v.InferOutput<Response>;
}

/** A vendor's registry of definitions, keyed by the client method each becomes. */
export type EndpointRegistry = Readonly<Record<string, EndpointDefinition>>;
/** The same definitions keyed by the vendor's operation name, for the typed `call()`. */
export type EndpointsByName<R extends EndpointRegistry> = { [K in keyof R as R[K]['name']]: R[K] };

/** The operation names of a registry, e.g. `aftersales.refund.RawRefund.upload`. */
export type EndpointName<R extends EndpointRegistry> = keyof EndpointsByName<R> & string;
/** The definition of operation `N` in registry `R`. */
export type EndpointOf<R extends EndpointRegistry, N extends string> = Extract<
  EndpointsByName<R>[N],
  EndpointDefinition
>;

/** The definitions of a registry by operation name, for looking one up at run time. */
function indexEndpoints(registry: EndpointRegistry): ReadonlyMap<string, EndpointDefinition> {
  return new Map(Object.values(registry).map((definition) => [definition.name, definition]));
}

/** Whether `value` has the shape of an endpoint definition (a name, two schemas, a re-send rule). */
function isDefinition(value: unknown): value is EndpointDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { name, request, response, resendSafe } = value as Partial<EndpointDefinition>;
  return (
    typeof name === 'string' &&
    typeof request === 'object' &&
    request !== null &&
    typeof response === 'object' &&
    response !== null &&
    typeof resendSafe === 'boolean'
  );
}

/**
 * The definitions one client serves: its own (`core`) and those given in `settings.endpoints`, an object of
 * definitions keyed by the client method each becomes. Checked at creation: anything but such an object, a value that
 * is not a definition, a key that is one of the client's own members (`reserved`) or two keys for one operation is a
 * `ConfigurationError` naming `endpoints` (`label` names the vendor, as the settings reader does). Answers the merged registry and the same definitions by operation name.
 */
export function clientEndpoints(
  label: string,
  core: EndpointRegistry,
  settings: { readonly endpoints?: unknown },
  reserved: readonly string[],
): { registry: EndpointRegistry; byName: ReadonlyMap<string, EndpointDefinition> } {
  const fail = (problem: string, cause?: unknown) => settingError(label, 'endpoints', problem, cause);
  let given: unknown;
  try {
    given = settings.endpoints;
  } catch (cause) {
    throw fail('could not be read (a property getter or a Proxy threw)', cause);
  }
  if (given === undefined) return { registry: core, byName: indexEndpoints(core) };
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw fail('must be an object of endpoint definitions keyed by client method name');
  }
  const registry: Record<string, EndpointDefinition> = { ...core };
  const byName = new Map(indexEndpoints(core));
  let entries: [string, unknown][];
  try {
    entries = Object.entries(given);
  } catch (cause) {
    throw fail('could not be read (a property getter or a Proxy threw)', cause);
  }
  for (const [key, definition] of entries) {
    if (!isDefinition(definition)) throw fail(`.${key} must be an endpoint definition`);
    if (reserved.includes(key)) throw fail(`.${key} is a client member, not an operation name`);
    // The same definition under the same key: a full registry repeats the client's own definitions.
    if (registry[key] === definition) continue;
    if (Object.hasOwn(registry, key)) throw fail(`.${key} replaces an operation the client already serves`);
    if (byName.has(definition.name)) throw fail(`.${key} defines ${definition.name} a second time`);
    registry[key] = definition;
    byName.set(definition.name, definition);
  }
  return { registry, byName };
}

/**
 * The issue of a call to an operation the package defines but this client was not given (`known` maps each defined
 * operation name to its definition's export), so it is refused rather than sent unchecked; `undefined` otherwise.
 */
export function notGivenIssue(
  known: Readonly<Record<string, string>>,
  name: unknown,
  path: string,
): InputIssue | undefined {
  const key = typeof name === 'string' && Object.hasOwn(known, name) ? known[name] : undefined;
  if (key === undefined) return undefined;
  return { path, message: `is defined by ${key}, which this client was not given: pass it in settings.endpoints` };
}

/**
 * The issues of a call's options argument: absent, or an object whose `signal` is absent or an `AbortSignal`. A
 * getter or Proxy that throws is an issue too, never a throw.
 */
export function signalOptionIssues(options: unknown, path: string): InputIssue[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) return [{ path, message: 'must be an object' }];
  try {
    const signal = (options as { signal?: unknown }).signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      return [{ path: `${path}.signal`, message: 'must be an AbortSignal' }];
    }
  } catch {
    return [{ path, message: 'could not be read (a property getter or a Proxy threw)' }];
  }
  return [];
}

/** The request input type of a definition (what a caller passes). */
export type EndpointInput<D extends EndpointDefinition> = v.InferInput<D['request']>;
/** The request after its schema ran (what is sent). */
export type EndpointRequest<D extends EndpointDefinition> = v.InferOutput<D['request']>;
/** The `data` type of a definition's answer. */
export type EndpointOutput<D extends EndpointDefinition> = v.InferOutput<D['response']>;

/**
 * Declares an endpoint definition, keeping its literal name and schema types for the typed client methods.
 *
 * @example
 * export const refundSave = defineEndpoint({
 *   name: 'POST /jdy/v2/ls/refundSave', title: '零售退款保存', request: bodySchema, response: dataSchema, resendSafe: true,
 * });
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineEndpoint<const Name extends string, Request extends AnySchema, Response extends AnySchema>(
  definition: EndpointDefinition<Name, Request, Response>,
): EndpointDefinition<Name, Request, Response> {
  return definition;
}

/**
 * Reads caller input against a schema, never throwing: the schema's output, or every issue found, each path under
 * `prefix`. The input is read once through refund-model's `safeParseInput`, so a getter that throws, a revoked Proxy,
 * an array hole, an array where an object belongs or a forged Decimal is an issue at its own path, never the
 * caller's own error.
 */
export function readInput<S extends AnySchema>(
  schema: S,
  input: unknown,
  prefix = '',
): { success: true; output: v.InferOutput<S> } | { success: false; issues: InputIssue[] } {
  const result = safeParseInput(schema, input);
  return result.success
    ? { success: true, output: result.output }
    : { success: false, issues: toInputIssues(result.issues, prefix) };
}

/**
 * Checks caller input against a schema before anything is sent (see {@link readInput}) and answers the schema's
 * output, or throws an `InputValidationError` whose issues name every failing field (under `prefix`).
 */
export function checkInput<S extends AnySchema>(
  schema: S,
  input: unknown,
  subject: string,
  prefix = '',
): v.InferOutput<S> {
  const result = readInput(schema, input, prefix);
  if (result.success) return result.output;
  throw new InputValidationError(subject, result.issues);
}

/** Checks a request against its definition's request schema; see {@link checkInput}. */
export function checkEndpointInput<D extends EndpointDefinition>(
  definition: D,
  input: unknown,
  subject: string,
  prefix = '',
): EndpointRequest<D> {
  return checkInput(definition.request, input, subject, prefix);
}

/** Where an answer came from, for a `ResponseError`. */
export interface AnswerFacts {
  vendor: Vendor;
  endpoint: string;
  status: number;
}

/**
 * Checks `data` of an answer against the definition's response schema and answers the schema's output (typed by
 * inference, never by a cast). A mismatch is a `ResponseError` whose `path` names the first field that differs
 * (`data.new_count`); it is resendable when the definition says a re-send is safe.
 */
export function readEndpointOutput<D extends EndpointDefinition>(
  definition: D,
  data: unknown,
  facts: AnswerFacts,
): EndpointOutput<D> {
  const result = v.safeParse(definition.response, data);
  if (result.success && !(Array.isArray(data) && OBJECT_TYPES.has(definition.response.type))) return result.output;
  const paths = result.success
    ? ['data']
    : [...new Set(toInputIssues(result.issues, 'data').map((issue) => issue.path))];
  throw new ResponseError(
    `${facts.vendor} ${facts.endpoint} answered data that does not match the documented shape at ${paths.join(', ')}`,
    { status: facts.status, endpoint: facts.endpoint, path: paths[0], resendable: definition.resendSafe },
  );
}
