import { isSafeNumber, parse } from 'lossless-json';

/**
 * A number whose text a double might not hold exactly: 16 or more digits (a dot may sit among them), or an exponent.
 * Every number text without either round-trips through `JSON.parse` unchanged, so such answers take the fast path.
 */
const MAYBE_UNSAFE_NUMBER = /\d[eE]|(?:\d\.?){16}/;

/** Keeps a number as a JavaScript number when that is exact, else as its own digits. */
function exactNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

/**
 * Parses a vendor answer without losing digits. A number that a double holds exactly (`0.1`, `12.30`,
 * `9007199254740991`) becomes a `number`, as with `JSON.parse`; any other (an id such as `1420169116878110000`, a
 * decimal such as `123456789012345.6789`, `1e400`) becomes a `string` holding exactly the digits the vendor sent. The
 * response schemas of the endpoint definitions then read each documented field into its type (ids as strings, money
 * as exact decimals). A repeated key keeps its last value, as with `JSON.parse`; text that is not JSON throws a
 * `SyntaxError`.
 *
 * Answers without a long number are handed to `JSON.parse` (a regular-expression test decides); the others go
 * through `lossless-json`, which reads number tokens as text.
 *
 * @example
 * parseVendorJson('{"id":1420169116878110000,"n":1}'); // { id: '1420169116878110000', n: 1 }
 */
export function parseVendorJson(text: string): unknown {
  if (!MAYBE_UNSAFE_NUMBER.test(text)) return JSON.parse(text);
  return parse(text, null, { parseNumber: exactNumber, onDuplicateKey: ({ newValue }) => newValue });
}
