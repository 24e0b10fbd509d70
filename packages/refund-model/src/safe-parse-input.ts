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
const OPEN_OBJECT_TYPES: readonly string[] = ['loose_object', 'strict_object', 'object_with_rest'];
/** Schemas of a single plain value: an object in their place is refused without being read. */
const VALUE_TYPES: readonly string[] = [
  'string',
  'number',
  'bigint',
  'boolean',
  'picklist',
  'literal',
  'enum',
  'custom',
];
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
  const time = dateTime(value);
  const made = Decimal.isDecimal(value) || time !== undefined;
  if (node.entries) {
    if (isArray || made) return OPAQUE;
    const copy: Record<string, unknown> = {};
    const keys = Object.keys(node.entries);
    if (OPEN_OBJECT_TYPES.includes(node.type)) {
      const own = ownKeys(value, path, issues);
      if (own === undefined) return UNREADABLE;
      keys.push(...own.filter((key) => !(key in node.entries!)));
    }
    for (const key of keys) readKey(node.entries[key] ?? node.rest ?? ANY, value, key, copy, path, issues, depth);
    return copy;
  }
  if (node.type === 'array' && node.item) return isArray ? readArray(node.item, value, path, issues, depth) : OPAQUE;
  if (made) return time === undefined ? value : new Date(time);
  if (VALUE_TYPES.includes(node.type)) return OPAQUE;
  if (depth >= MAX_ANY_DEPTH) {
    issues.push({ path, message: `is nested more than ${MAX_ANY_DEPTH} levels deep` });
    return UNREADABLE;
  }
  if (isArray) return readArray(ANY, value, path, issues, depth + 1);
  const copy: Record<string, unknown> = {};
  const own = ownKeys(value, path, issues);
  if (own === undefined) return UNREADABLE;
  for (const key of own) readKey(ANY, value, key, copy, path, issues, depth + 1);
  return copy;
}

/** Reads `value[key]` once, guarded, into `copy[key]` (left out when undefined). */
function readKey(
  schema: SchemaNode,
  value: object,
  key: string,
  copy: Record<string, unknown>,
  path: PathKey[],
  issues: PathIssue[],
  depth: number,
): void {
  let item: unknown;
  try {
    item = (value as Record<string, unknown>)[key];
  } catch {
    Object.defineProperty(copy, key, { value: unreadable([...path, { key }], issues), enumerable: true });
    return;
  }
  if (item === undefined) return;
  // defineProperty, not assignment, so a key such as "__proto__" is an own key and never a prototype.
  const copied = read(schema, item, [...path, { key }], issues, depth);
  Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true });
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
    const at = [...path, { key: index }];
    try {
      if (!(index in array)) {
        issues.push({ path: at, message: 'is missing (the array has a hole here)' });
        copy.push(UNREADABLE);
        continue;
      }
      copy.push(read(item, (array as unknown[])[index], at, issues, depth));
    } catch {
      copy.push(unreadable(at, issues));
    }
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
