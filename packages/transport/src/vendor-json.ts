/**
 * A number whose text a double might not hold exactly: 16 or more digits (a dot may sit among them), or an exponent.
 * Every number text without either round-trips through `JSON.parse` unchanged, so such answers take the fast path.
 */
const MAYBE_INEXACT = /\d[eE]|(?:\d\.?){16}/;
/** One JSON number token, matched where a value starts. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /^-?\d+$/;

/** The significant digits of a number text: no sign, point, exponent, leading or trailing zeros. */
function significant(text: string): string {
  return text
    .replace(/[eE].*$/, '')
    .replace(/[-.]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
}

/**
 * Whether `JSON.parse` reads the number text without losing a digit: a safe integer, or a finite, non-vanishing
 * number whose significant digits come back when the double is written again (always so for at most 15 digits).
 */
function isExact(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return false;
  if (INTEGER.test(token)) return Number.isSafeInteger(value);
  const digits = significant(token);
  if (value === 0) return digits === '';
  return digits.length <= 15 || digits === significant(String(value));
}

/**
 * Parses a vendor answer without losing digits. A number that a double holds exactly (`0.1`, `12.30`,
 * `9007199254740991`) becomes a `number`, as with `JSON.parse`; any other (an id such as `1420169116878110000`, a
 * decimal such as `123456789012345.6789`, `1e400`) becomes a `string` holding exactly the digits the vendor sent. The
 * response schemas of the endpoint definitions then read each documented field into its type (ids as strings, money
 * as exact decimals). Otherwise it is `JSON.parse`: the same grammar, a repeated key keeps its last value, and text
 * that is not JSON throws a `SyntaxError`.
 *
 * Why not a JSON library: the answers are small and rarely hold such a number, so `JSON.parse` does the work; only an
 * answer whose text may hold one is scanned once (strings skipped) and its inexact number tokens quoted before the
 * same `JSON.parse`. That costs a few hundred bytes of bundle where a lossless parser costs several kilobytes.
 *
 * @example
 * parseVendorJson('{"id":1420169116878110000,"n":1}'); // { id: '1420169116878110000', n: 1 }
 */
export function parseVendorJson(text: string): unknown {
  if (!MAYBE_INEXACT.test(text)) return JSON.parse(text);
  // Checks the grammar as the text stands, so quoting a token can never make text that is not JSON readable.
  const parsed: unknown = JSON.parse(text);
  let out = '';
  let copied = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34) {
      // A string: skip to its closing quote, escapes included.
      for (index++; index < text.length && text.charCodeAt(index) !== 34; index++) {
        if (text.charCodeAt(index) === 92) index++;
      }
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      NUMBER.lastIndex = index;
      const token = NUMBER.exec(text)?.[0] ?? '';
      if (token !== '' && !isExact(token)) {
        out += `${text.slice(copied, index)}"${token}"`;
        copied = index + token.length;
      }
      index += Math.max(token.length, 1) - 1;
    }
  }
  // Long digit runs inside strings (ids such as "T1796128302216000001") are no numbers: then nothing was quoted.
  return copied === 0 ? parsed : JSON.parse(out + text.slice(copied));
}
