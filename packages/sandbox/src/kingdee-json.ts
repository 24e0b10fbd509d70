/**
 * Lossless JSON for the Kingdee sandbox: request bodies are read without rounding any number, and answers are written
 * with every number exactly as it was read or stored.
 *
 * lossless-json rather than `JSON.parse`: Node 20 has no way to see a number's source text from `JSON.parse`, so a
 * 19-digit id sent as a JSON number (`1420169116878110721`) would silently become `1420169116878110700`. The library
 * keeps every number as a `LosslessNumber` holding its digits, and refuses duplicate keys with different values.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

/** Parses JSON text keeping every number as a `LosslessNumber`; throws a `SyntaxError` on invalid JSON. */
export function parseKingdeeJson(text: string): unknown {
  return parse(text);
}

/** Writes a value as JSON, `LosslessNumber`s with their exact digits. */
export function writeKingdeeJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** Whether a parsed value is a JSON integer (a `LosslessNumber` of digits with an optional minus sign). */
export function isJsonInteger(value: unknown): value is LosslessNumber {
  return isLosslessNumber(value) && /^-?\d+$/.test(value.value);
}
