/**
 * Lossless JSON for the Wangdian sandbox: request bodies are read without rounding any number, and answers are
 * written with money and quantities as exact JSON numbers. lossless-json does the parsing and writing (a small,
 * dependency-free, well-kept library); Node 20's `JSON.parse` cannot hand a reviver the source text of a number.
 */
import { Decimal } from '@refundkit/refund-model';
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/** A JSON number as read from a request: a safe integer as a `number`, anything else as its exact text. */
export type WangdianNumber = number | LosslessNumber;

const SAFE_INTEGER_TEXT = /^-?\d{1,15}$/;

/**
 * Parses a request body without losing digits: integers up to 15 digits become numbers, every other number keeps its
 * source text (a `LosslessNumber`), so `123456789012345.6789` is stored and answered as sent. Throws a `SyntaxError`
 * for text that is not JSON.
 */
export function parseWangdianBody(text: string): unknown {
  return parse(text, null, (value) => (SAFE_INTEGER_TEXT.test(value) ? Number(value) : new LosslessNumber(value)));
}

/** Writes an answer as compact JSON; `LosslessNumber`s are written as their exact digits. */
export function writeWangdianJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** The source text of a JSON number (either form), or `undefined` for anything else. */
export function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (isLosslessNumber(value)) return value.value;
  return undefined;
}

/**
 * The exact Decimal of a money or quantity value as sent (a JSON number in either form, or a decimal string);
 * `undefined` when it is absent or not a Decimal(19,4).
 */
export function readExactDecimal(value: unknown): Decimal | undefined {
  const text = typeof value === 'string' ? value : numberText(value);
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  try {
    return Decimal.from(text);
  } catch {
    return undefined;
  }
}

/** A Decimal as the gateway answers money: a JSON number with four fraction digits (`12.9800`), exact. */
export function moneyNumber(value: Decimal): LosslessNumber {
  const [integer, fraction = ''] = value.toString().split('.');
  return new LosslessNumber(`${integer}.${fraction.padEnd(4, '0')}`);
}

/** A Decimal as some answers write quantities: a decimal string with four fraction digits (`"2.0000"`). */
export function quantityText(value: Decimal): string {
  return moneyNumber(value).value;
}
