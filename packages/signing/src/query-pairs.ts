import { describeKind } from './argument-checks.js';

/** A parameter value: strings are used as they are, numbers as `String(n)` (so pass `'1.0'`, not `1.0`). */
export type ParamValue = string | number;

/**
 * Parameters as a plain object, a `URLSearchParams`, or any iterable of `[key, value]` pairs (an array of pairs, a
 * `Map`). A key repeats when it occurs in several pairs, or when a plain object gives it an array of values.
 */
export type ParamsInput =
  | Readonly<Record<string, ParamValue | readonly ParamValue[]>>
  | URLSearchParams
  | Iterable<readonly [string, ParamValue]>;

function valueText(value: unknown, name: string, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${name} value for key ${JSON.stringify(key)} must be finite`);
    return String(value);
  }
  throw new TypeError(
    `${name} value for key ${JSON.stringify(key)} must be a string or a number (received ${describeKind(value)})`,
  );
}

/**
 * Flattens any accepted form of parameters into `[key, value]` string pairs, in input order, checking every pair.
 * `name` is the argument name used in error messages.
 */
export function toParamPairs(input: unknown, name: string): Array<[string, string]> {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError(
      `${name} must be a plain object, a URLSearchParams or an iterable of [key, value] pairs (received ${describeKind(input)})`,
    );
  }
  const pairs: Array<[string, string]> = [];
  if (typeof (input as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
    for (const entry of input as Iterable<unknown>) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
        throw new TypeError(`${name} must yield [key, value] pairs with a string key`);
      }
      const key = entry[0];
      pairs.push([key, valueText(entry[1], name, key)]);
    }
    return pairs;
  }
  for (const key of Object.keys(input)) {
    const value = (input as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) pairs.push([key, valueText(item, name, key)]);
    } else {
      pairs.push([key, valueText(value, name, key)]);
    }
  }
  return pairs;
}
