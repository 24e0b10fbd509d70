import type { InputIssue } from './refundkit-errors.js';

/**
 * Writes a valibot issue path the way every refundkit validation error reports it: keys joined by dots, array
 * indexes in brackets, after `prefix` when one is given; `''` (or the prefix) for the input itself. The vendor
 * packages use it for their own request checks, so all paths read alike.
 *
 * @example
 * formatIssuePath([{ key: 'lines' }, { key: 2 }, { key: 'quantity' }]); // 'lines[2].quantity'
 * formatIssuePath([{ key: 'buyer_nick' }], 'rows[3]'); // 'rows[3].buyer_nick'
 */
export function formatIssuePath(path: readonly { key: unknown }[] | undefined, prefix = ''): string {
  if (path != null && !Array.isArray(path)) throw new TypeError('formatIssuePath: path must be an array of { key }');
  if (typeof prefix !== 'string') throw new TypeError('formatIssuePath: prefix must be a string');
  for (const [index, item] of (path ?? []).entries()) {
    if (typeof item !== 'object' || item === null) {
      throw new TypeError(`formatIssuePath: path[${index}] must be an object with a key`);
    }
  }
  return pathText(path, prefix);
}

/** `formatIssuePath` without its argument checks, for paths valibot or `safeParseInput` made. */
function pathText(path: readonly { key: unknown }[] | undefined, prefix: string): string {
  let text = prefix;
  for (const { key } of path ?? []) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

/**
 * The kind of a value, for an issue's `received`: `undefined`, `null`, `string`, `number`, `bigint`, `boolean`,
 * `function`, `symbol`, `Array`, `Date`, `Object` or another class name. Never the value itself, which may be
 * personal data; a value that cannot even be inspected (a revoked Proxy) is `unknown`.
 */
export function describeKind(value: unknown): string {
  try {
    if (value === null) return 'null';
    if (typeof value !== 'object') return typeof value;
    if (Array.isArray(value)) return 'Array';
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === null || prototype === Object.prototype) return 'Object';
    const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,40}$/.test(name) ? name : 'Object';
  } catch {
    return 'unknown';
  }
}

/**
 * Turns valibot issues into refundkit input issues: the path written by {@link formatIssuePath} (after `prefix`),
 * the schema's message, valibot's `expected` (left out for a custom check, whose `'unknown'` says nothing), and the
 * kind of the value received (never the value).
 *
 * @example
 * const result = v.safeParse(schema, input);
 * if (!result.success) throw new InputValidationError('refundSave body', toInputIssues(result.issues));
 */
export function toInputIssues(
  issues: ReadonlyArray<{
    path?: readonly { key: unknown }[] | undefined;
    message: string;
    expected?: string | null | undefined;
    input?: unknown;
    /** The kind already described (`safeParseInput`); valibot's own `received` holds the value and is never read. */
    receivedKind?: string | undefined;
  }>,
  prefix = '',
): InputIssue[] {
  return issues.map((issue) => {
    const converted: { path: string; message: string; expected?: string; received?: string } = {
      path: pathText(issue.path, prefix),
      message: issue.message,
    };
    // A custom check's `expected` is always valibot's `'unknown'`, which says nothing: its message says what is wanted.
    if (typeof issue.expected === 'string' && issue.expected !== 'unknown') converted.expected = issue.expected;
    // `safeParseInput` describes the value itself; an issue it raised while reading (a getter threw, an array
    // hole) has no value to describe.
    if (issue.receivedKind !== undefined) converted.received = issue.receivedKind;
    else if ('input' in issue) converted.received = describeKind(issue.input);
    return converted;
  });
}
