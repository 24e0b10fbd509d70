import { Decimal } from '@refundkit/refund-model';

// Characters that force a string through JSON.stringify's escaping: quote, backslash, control characters and
// surrogates (a lone surrogate must be written as \uXXXX; a well-formed pair is left as is by JSON.stringify).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON must escape.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Serialises a value to compact JSON, the exact text a Wangdian call sends and signs, writing exact decimals as JSON
 * numbers. It follows `JSON.stringify` (no whitespace, `toJSON()` honoured, `undefined`, functions and symbols skipped
 * in objects and written as `null` in arrays, non-ASCII left unescaped) with three differences: a refund-model
 * `Decimal` is written as its exact decimal value (`Decimal.from('0.3')` → `0.3`, never `0.30000000000000004` or
 * `"0.3"`), a `bigint` is written as its digits, and no number is ever written in exponent notation (`1e21` →
 * `1000000000000000000000`). Non-finite numbers, circular structures and a top-level value with no JSON form throw
 * a `TypeError` (an `UnwritableValueError`) naming the path, so nothing unsendable is ever signed.
 *
 * @example
 * toWangdianJson(['LCJ', [{ refund_no: 'R1', num: Decimal.from('1.5'), reason: '' }]]);
 * // '["LCJ",[{"refund_no":"R1","num":1.5,"reason":""}]]'
 */
export function toWangdianJson(value: unknown): string {
  // Fast path: most bodies (validated rows too) hold only plain values and Decimals, which JSON.stringify writes
  // exactly once each Decimal is the double that prints it; it is several times faster than the careful writer.
  const simple = withDecimalsAsNumbers(value, 0);
  if (simple !== NOT_SIMPLE) return JSON.stringify(simple);
  const text = write(value, '', '$', []);
  if (text === undefined) throw new UnwritableValueError('has no JSON form', '$');
  return text;
}

/**
 * Writes a finite number in plain positional notation from its shortest round-trip digits: `0.1` → `0.1`,
 * `1e21` → `1000000000000000000000`, `1.5e-7` → `0.00000015`, `-0` → `0`.
 */
export function plainNumberText(value: number): string {
  if (Object.is(value, -0)) return '0';
  const text = String(value);
  return text.includes('e') ? expandExponent(text) : text;
}

/** Deeper than this, the fast path gives up and the careful writer takes over (which also finds cycles). */
const MAX_FAST_DEPTH = 64;

/** Whether `JSON.stringify` writes the number `value` as the careful writer would: finite, without an exponent. */
function isPlainNumber(value: number): boolean {
  return Number.isFinite(value) && (value === 0 || (Math.abs(value) < 1e21 && Math.abs(value) >= 1e-6));
}

/** Decimals below this many ten-thousandths have at most 15 significant digits: a double writes them exactly. */
const EXACT_AS_DOUBLE = 10n ** 15n;
/** What `withDecimalsAsNumbers` answers when the value holds something only the careful writer may write. */
const NOT_SIMPLE: unique symbol = Symbol('not simple');

/**
 * A copy of a value of strings, booleans, null, numbers that print without an exponent (`isPlainNumber`), Decimals
 * and plain arrays and objects of those, with each Decimal of at most 15 significant digits replaced by
 * the double nearest it, which `JSON.stringify` writes as exactly the Decimal's own text (no double stands closer to
 * another decimal of 15 digits or fewer). Anything else (a larger Decimal, a `toJSON`, an `undefined` member, a
 * bigint, a `__proto__` key holding an object, a cycle, which shows as depth) answers `NOT_SIMPLE`.
 */
function withDecimalsAsNumbers(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return isPlainNumber(value) ? value : NOT_SIMPLE;
    case 'object': {
      if (value === null) return value;
      if (Decimal.isDecimal(value)) {
        const scaled = value.scaled;
        return scaled < EXACT_AS_DOUBLE && scaled > -EXACT_AS_DOUBLE ? Number(scaled) / 10_000 : NOT_SIMPLE;
      }
      if (depth >= MAX_FAST_DEPTH || 'toJSON' in value) return NOT_SIMPLE;
      if (Array.isArray(value)) {
        const copy: unknown[] = new Array(value.length);
        for (let index = 0; index < value.length; index++) {
          const item = withDecimalsAsNumbers(value[index], depth + 1);
          if (item === NOT_SIMPLE) return NOT_SIMPLE;
          copy[index] = item;
        }
        return copy;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return NOT_SIMPLE;
      // A spread copies own enumerable data in JSON.stringify's key order, and reads each getter once.
      const copy: Record<string, unknown> = { ...value };
      for (const key of Object.keys(copy)) {
        const item = copy[key];
        if (typeof item === 'object' && item !== null) {
          if (key === '__proto__') return NOT_SIMPLE;
          const swapped = withDecimalsAsNumbers(item, depth + 1);
          if (swapped === NOT_SIMPLE) return NOT_SIMPLE;
          copy[key] = swapped;
        } else if (
          typeof item === 'number' ? !isPlainNumber(item) : typeof item !== 'string' && typeof item !== 'boolean'
        ) {
          return NOT_SIMPLE;
        }
      }
      return copy;
    }
    default:
      return NOT_SIMPLE;
  }
}

/**
 * The `TypeError` of a value `toWangdianJson` cannot write: `problem` says what (`not a finite number`,
 * `circular structure`, `has no JSON form`), `path` where (`$`, `$[1][0].num`). The client turns it into an issue.
 */
export class UnwritableValueError extends TypeError {
  declare readonly problem: string;
  declare readonly path: string;
  constructor(problem: string, path: string) {
    super(`toWangdianJson: ${problem} at ${path}`);
    this.problem = problem;
    this.path = path;
  }
}

/** The careful writer: `key` is what `toJSON` is called with, `path` where the value sits (for errors). */
function write(value: unknown, key: string, path: string, ancestors: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new UnwritableValueError('not a finite number', path);
      return plainNumberText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (Decimal.isDecimal(object)) return object.toString();
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return write((toJSON as (key: string) => unknown).call(object, key), key, path, ancestors);
  }
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return write(object.valueOf(), key, path, ancestors);
  }
  if (ancestors.includes(object)) throw new UnwritableValueError('circular structure', path);
  ancestors.push(object);
  let text: string;
  if (Array.isArray(object)) {
    text = '[';
    for (let index = 0; index < object.length; index++) {
      if (index > 0) text += ',';
      text += write(object[index], String(index), `${path}[${index}]`, ancestors) ?? 'null';
    }
    text += ']';
  } else {
    text = '{';
    let first = true;
    for (const name of Object.keys(object)) {
      const member = write((object as Record<string, unknown>)[name], name, `${path}.${name}`, ancestors);
      if (member === undefined) continue;
      text += first ? `${quote(name)}:${member}` : `,${quote(name)}:${member}`;
      first = false;
    }
    text += '}';
  }
  ancestors.pop();
  return text;
}

function quote(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Expands the exponent form `String(number)` gives (`1.5e-7`, `1e+21`) into plain positional notation. */
function expandExponent(text: string): string {
  const negative = text.startsWith('-');
  const [mantissa = '', exponentText = '0'] = (negative ? text.slice(1) : text).split('e');
  const exponent = Number(exponentText);
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent; // position of the decimal point within `digits`
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}
