import * as v from 'valibot';
import { Decimal } from './decimal.js';
import { describeKind } from './input-issues.js';
import { dateTime } from './shanghai-time.js';

/** One key of an issue path: a property name or an array index, as valibot writes it. */
interface PathKey {
  key: unknown;
}

/**
 * A problem with an input: where (valibot's path form, for `formatIssuePath`) and what, never the value sent nor an
 * error the caller's own code threw.
 */
export interface PathIssue {
  path: readonly PathKey[];
  message: string;
  /** What the schema expected, as valibot words it, when the schema refused the value. */
  expected?: string | null;
  /** The kind of value received (`describeKind`), when the schema refused it; never the value. */
  receivedKind?: string;
}

/** The most items an array of the input may hold; a longer one (or a Proxy claiming a huge length) is refused. */
export const MAX_INPUT_ITEMS = 10_000;

/**
 * Stands where a value could not be read (a getter or Proxy trap threw, an array hole). A symbol, so every schema
 * refuses it; the issue it raises is dropped in favour of the one said when reading.
 */
const UNREADABLE: unique symbol = /* @__PURE__ */ Symbol('unreadable');
/**
 * Stands for a value of the wrong kind that must not be read further: an array where an object belongs, an object
 * where an array or a plain value belongs (unless a Decimal or a Date), a function. A symbol, so the schema refuses
 * it with the message of the field.
 */
const OPAQUE: unique symbol = /* @__PURE__ */ Symbol('opaque');

interface SchemaNode {
  type: string;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  wrapped?: SchemaNode;
  rest?: SchemaNode;
}

/** Object schemas that also look at keys beyond their entries (to keep, refuse or check them). */
const OPEN_OBJECT_TYPES: ReadonlySet<string> = new Set(['loose_object', 'strict_object', 'object_with_rest']);
/** Schemas of a single plain value: an object in their place is refused without being read. */
const VALUE_TYPES: ReadonlySet<string> = new Set([
  'string',
  'number',
  'bigint',
  'boolean',
  'picklist',
  'literal',
  'enum',
  'custom',
]);
/** Any other schema (a record, union, tuple, …): its value is copied as plain data, own enumerable keys only. */
const ANY: SchemaNode = { type: 'any' };
/** How deep a value under a schema of unknown shape is copied before it counts as unreadable. */
const MAX_ANY_DEPTH = 64;

/**
 * Checks `input` against a valibot `schema` the way `safeParseRefund` does, safe against hostile input: it first reads
 * the input once, as the schema describes it, into plain data, so no getter, Proxy trap or forged object of the
 * caller's runs after that step, and whatever throws while reading becomes an issue naming its path. Only the
 * schema's own keys are read; objects become plain objects holding just those keys; arrays become dense arrays (a hole
 * is an issue naming its index; more than `MAX_INPUT_ITEMS` items is an issue); an array where the schema wants
 * an object is refused; Decimals made by this package stay as they are and real Dates are copied, while any other
 * object where the schema wants a plain value is refused with that field's message. `output` is the schema's output
 * (partial when there are issues, for rules that look at several fields); it never throws for any input.
 *
 * @example
 * const { success, output, issues } = safeParseInput(requestSchema, args);
 * if (!success) throw new MyValidationError(issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })));
 */
export function safeParseInput<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
):
  | { success: true; output: v.InferOutput<TSchema>; issues: [] }
  | { success: false; output: unknown; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const snapshot = read(schema as unknown as SchemaNode, input, [], issues);
  const plan = issues.length === 0 ? planOf(schema as unknown as Runnable) : null;
  const checked = plan ? checkInOnePass(plan, snapshot) : undefined;
  if (checked) return { success: true, output: checked.value as v.InferOutput<TSchema>, issues: [] };
  const result = v.safeParse(schema, snapshot);
  // An unreadable value is refused by every schema; reading it already said why, so valibot's issue goes.
  for (const issue of result.issues ?? []) {
    if (issue.input !== UNREADABLE) {
      const opaque = issue.input === OPAQUE;
      issues.push({
        path: issue.path ?? [],
        // A value refused unread (OPAQUE) stands in as a symbol: valibot's default wording would name that symbol.
        message: opaque && issue.message.startsWith('Invalid type:') ? opaqueMessage(issue.expected) : issue.message,
        expected: issue.expected,
        ...(opaque ? {} : { receivedKind: describeKind(issue.input) }),
      });
    }
  }
  if (result.success && issues.length === 0) return { success: true, output: result.output, issues: [] };
  return { success: false, output: result.output, issues };
}

/** A valibot schema or pipe item, as `checkInOnePass` runs it. */
interface Runnable {
  kind: string;
  type: string;
  async?: boolean;
  entries?: Record<string, Runnable>;
  pipe?: Runnable[];
  default?: unknown;
  fallback?: unknown;
  '~run'(dataset: Dataset, config: v.Config<v.BaseIssue<unknown>>): Dataset;
}
interface Dataset {
  typed?: boolean;
  value: unknown;
  issues?: unknown;
}

/** An object schema (plain or strict) as one pass checks it: its entries and the pipe items that follow it. */
interface ObjectPlan {
  strict: boolean;
  /** Each entry's schema, and whether an absent key is simply left out (optional, no default, no fallback). */
  fields: Record<string, { schema: Runnable; skippable: boolean }>;
  /** How many entries must be present. */
  required: number;
  after: Runnable[];
}

const PLANS = /* @__PURE__ */ new WeakMap<object, ObjectPlan | null>();

/** The plan of a schema that is a plain or strict object, piped or not; `null` for any other (cached). */
function planOf(schema: Runnable): ObjectPlan | null {
  let plan = PLANS.get(schema);
  if (plan === undefined) {
    plan = makePlan(schema);
    PLANS.set(schema, plan);
  }
  return plan;
}

function makePlan(schema: Runnable): ObjectPlan | null {
  const after: Runnable[] = [];
  let base = schema;
  while (base.pipe) {
    after.unshift(...base.pipe.slice(1).filter((item) => item.kind !== 'metadata'));
    base = base.pipe[0] as Runnable;
  }
  // valibot's own plain and strict objects (named by type, so that referring to them does not bundle them).
  if ((base.type !== 'object' && base.type !== 'strict_object') || base.kind !== 'schema' || !base.entries) return null;
  if (base.async || after.some((item) => item.async)) return null;
  const fields: ObjectPlan['fields'] = Object.create(null);
  let required = 0;
  for (const [key, entry] of Object.entries(base.entries)) {
    // As valibot's object schemas do: an absent optional key without a default or fallback is left out.
    const skippable =
      (entry.type === 'optional' || entry.type === 'exact_optional' || entry.type === 'nullish') &&
      entry.default === undefined &&
      entry.fallback === undefined;
    if (!skippable) required++;
    fields[key] = { schema: entry, skippable };
  }
  return { strict: base.type === 'strict_object', fields, required, after };
}

/**
 * Checks the snapshot of a plain or strict object in one pass: each entry's own schema on its value, then the pipe
 * items after the object, with valibot's own `~run` of each. It answers only a clean success (the same output
 * valibot's object schema builds); at the first issue, or anything it does not handle (an absent key with a
 * default), it answers `undefined` and the whole schema runs on the snapshot as usual, to report every issue.
 */
function checkInOnePass(plan: ObjectPlan, snapshot: unknown): Dataset | undefined {
  if (typeof snapshot !== 'object' || snapshot === null) return undefined;
  const input = snapshot as Record<string, unknown>;
  const config = v.getGlobalConfig();
  const output: Record<string, unknown> = {};
  let required = 0;
  // The snapshot holds the entries' keys in the entries' own order (it was read so), so its output keeps valibot's
  // order; it holds other own keys only for open objects, which this pass leaves to valibot.
  for (const key in input) {
    const field = plan.fields[key];
    if (field === undefined) {
      if (plan.strict) return undefined;
      continue;
    }
    if (!field.skippable) required++;
    const dataset = field.schema['~run']({ value: input[key] }, config);
    if (dataset.issues || !dataset.typed) return undefined;
    output[key] = dataset.value;
  }
  if (required !== plan.required) return undefined;
  let dataset: Dataset = { typed: true, value: output };
  for (const item of plan.after) {
    dataset = item['~run'](dataset, config);
    if (dataset.issues || !dataset.typed) return undefined;
  }
  return dataset;
}

function unwrap(schema: SchemaNode): SchemaNode {
  let node = schema;
  while (node.wrapped && (node.type === 'nullish' || node.type === 'optional' || node.type === 'nullable')) {
    node = node.wrapped;
  }
  return node;
}

function read(schema: SchemaNode, value: unknown, path: PathKey[], issues: PathIssue[], depth = 0): unknown {
  if (typeof value === 'function') return OPAQUE;
  if (typeof value !== 'object' || value === null) return value;
  const node = unwrap(schema);
  let isArray: boolean;
  try {
    isArray = Array.isArray(value); // throws for a revoked Proxy
  } catch {
    return unreadable(path, issues);
  }
  // An array is never a Decimal nor a Date, and where the schema wants an array nothing else is read: only the
  // remaining cases ask what made the value (a Date's brand check throws for every other object, which costs).
  if (node.type === 'array' && node.item) return isArray ? readArray(node.item, value, path, issues, depth) : OPAQUE;
  const decimal = !isArray && Decimal.isDecimal(value);
  const time = isArray || decimal ? undefined : dateTime(value);
  const made = decimal || time !== undefined;
  if (node.entries) {
    if (isArray || made) return OPAQUE;
    return readEntries(node, node.entries, value, path, issues, depth);
  }
  if (made) return time === undefined ? value : new Date(time);
  if (VALUE_TYPES.has(node.type)) return OPAQUE;
  if (depth >= MAX_ANY_DEPTH) {
    issues.push({ path, message: `is nested more than ${MAX_ANY_DEPTH} levels deep` });
    return UNREADABLE;
  }
  if (isArray) return readArray(ANY, value, path, issues, depth + 1);
  const copy: Record<string, unknown> = {};
  const own = ownKeys(value, path, issues);
  if (own === undefined) return UNREADABLE;
  for (const key of own) {
    const item = readKey(ANY, value, key, path, issues, depth + 1);
    if (item !== undefined) setOwn(copy, key, item);
  }
  return copy;
}

/** Reads the keys of an object schema (its entries, then for an open object the other own keys) into a copy. */
function readEntries(
  node: SchemaNode,
  entries: Record<string, SchemaNode>,
  value: object,
  path: PathKey[],
  issues: PathIssue[],
  depth: number,
): unknown {
  // Open objects' own keys are listed first, so a Proxy whose key listing throws is refused before any value is read.
  const own = OPEN_OBJECT_TYPES.has(node.type) ? ownKeys(value, path, issues) : [];
  if (own === undefined) return UNREADABLE;
  const copy: Record<string, unknown> = {};
  for (const key in entries) {
    const item = readKey(entries[key] as SchemaNode, value, key, path, issues, depth);
    if (item !== undefined) setOwn(copy, key, item);
  }
  for (const key of own) {
    if (Object.hasOwn(entries, key)) continue;
    const item = readKey(node.rest ?? ANY, value, key, path, issues, depth);
    if (item !== undefined) setOwn(copy, key, item);
  }
  return copy;
}

/**
 * Sets an own key of a copy: by assignment, which keeps the copy a fast object of one shape, or, for `__proto__`
 * (whose assignment would set the prototype instead), by defining it.
 */
function setOwn(copy: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  } else copy[key] = value;
}

/** Reads `value[key]` once, guarded: the copy of what it holds, or `undefined` when it holds nothing. */
function readKey(
  schema: SchemaNode,
  value: object,
  key: string,
  path: PathKey[],
  issues: PathIssue[],
  depth: number,
): unknown {
  let item: unknown;
  try {
    item = (value as Record<string, unknown>)[key];
  } catch {
    return unreadable([...path, { key }], issues);
  }
  // A plain value is copied as it is; only an object (or a function) needs its path, to read it or refuse it.
  if (typeof item !== 'object' || item === null) return typeof item === 'function' ? OPAQUE : item;
  return read(schema, item, [...path, { key }], issues, depth);
}

/** The own enumerable string keys of `value`, or `undefined` (with an issue) when a Proxy trap throws. */
function ownKeys(value: object, path: PathKey[], issues: PathIssue[]): string[] | undefined {
  try {
    return Object.keys(value);
  } catch {
    unreadable(path, issues);
    return undefined;
  }
}

function readArray(item: SchemaNode, array: object, path: PathKey[], issues: PathIssue[], depth: number): unknown {
  let length: number;
  try {
    length = (array as unknown[]).length; // a Proxy's trap may throw or answer anything
  } catch {
    return unreadable(path, issues);
  }
  if (!Number.isSafeInteger(length) || length < 0) return unreadable(path, issues);
  if (length > MAX_INPUT_ITEMS) {
    issues.push({ path, message: `has more than ${MAX_INPUT_ITEMS} items` });
    return UNREADABLE;
  }
  const copy: unknown[] = [];
  for (let index = 0; index < length; index++) {
    let value: unknown;
    try {
      if (!(index in array)) {
        issues.push({ path: [...path, { key: index }], message: 'is missing (the array has a hole here)' });
        copy.push(UNREADABLE);
        continue;
      }
      value = (array as unknown[])[index];
    } catch {
      copy.push(unreadable([...path, { key: index }], issues));
      continue;
    }
    // As in readKey: only an object needs its path.
    if (typeof value !== 'object' || value === null) copy.push(typeof value === 'function' ? OPAQUE : value);
    else copy.push(read(item, value, [...path, { key: index }], issues, depth));
  }
  return copy;
}

function unreadable(path: PathKey[], issues: PathIssue[]): typeof UNREADABLE {
  issues.push({ path, message: 'could not be read (reading it threw an error)' });
  return UNREADABLE;
}

/** What a value of the wrong kind, refused unread, is told: `must be an object`, `must be an array`, … */
function opaqueMessage(expected: string | null): string {
  if (expected === 'Object') return 'must be an object';
  if (expected === 'Array') return 'must be an array';
  return expected ? `must be ${expected}` : 'is of the wrong kind';
}
