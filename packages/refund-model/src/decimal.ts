/**
 * How a result that does not fit the target scale is rounded. `'unnecessary'` refuses to round: it throws a
 * `RangeError` when the exact result needs more digits. The others follow their usual meaning: `'half-up'` (ties away
 * from zero), `'half-even'` (ties to the even neighbour), `'down'` (towards zero), `'up'` (away from zero), `'floor'`
 * (towards −∞) and `'ceiling'` (towards +∞).
 */
export type RoundingMode = 'unnecessary' | 'half-up' | 'half-even' | 'down' | 'up' | 'floor' | 'ceiling';

const SCALE = 4;
const ONE = 10n ** /* @__PURE__ */ BigInt(SCALE);
/** The largest magnitude of Decimal(19,4), in units of 10⁻⁴: 999 999 999 999 999.9999. */
const MAX_SCALED = 10n ** 19n - 1n;
const MAX_INTEGER_DIGITS = 19 - SCALE;
const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
/** Every rounding mode, for checking a mode given from outside TypeScript and for naming them in messages. */
export const ROUNDING_MODES = [
  'unnecessary',
  'half-up',
  'half-even',
  'down',
  'up',
  'floor',
  'ceiling',
] as const satisfies readonly RoundingMode[];

/** Whether a value is one of {@link ROUNDING_MODES}. */
export function isRoundingMode(value: unknown): value is RoundingMode {
  return (ROUNDING_MODES as readonly unknown[]).includes(value);
}

/**
 * Reads a string, number or bigint as a scaled bigint (value × 10⁴), or answers what is wrong with it. Messages say
 * what is wrong, never what was sent. Shared by `Decimal.from` (which throws) and the refund schema (which reports).
 * @internal
 */
export function readDecimal(
  value: unknown,
): { ok: true; decimal: Decimal } | { ok: false; error: 'type' | 'range'; message: string } {
  if (Decimal.isDecimal(value)) return { ok: true, decimal: value };
  if (typeof value === 'bigint') return fromScaled(value * ONE);
  if (typeof value === 'number') return readNumber(value);
  if (typeof value === 'string') return readText(value);
  return { ok: false, error: 'type', message: 'must be a decimal string, a number, a bigint or a Decimal' };
}

function readNumber(value: number): ReturnType<typeof readDecimal> {
  if (!Number.isFinite(value))
    return { ok: false, error: 'range', message: 'must be a finite number (not NaN or ±Infinity)' };
  // Below 10¹¹, a number of at most 4 decimal places has at most 15 significant digits: it is the double nearest its
  // own text, and `value × 10⁴` rounds to exactly that text's digits. So this finds every such number without
  // printing it, and anything it does not find (more places, exponents, larger values) takes the exact path below.
  if (Math.abs(value) < 1e11) {
    const scaled = Math.round(value * 10_000);
    if (scaled / 10_000 === value) return fromScaled(BigInt(scaled));
  }
  // `String(-0)` is "0", and every other finite number prints as its shortest round-trip text.
  const text = String(value);
  if (text.includes('e')) {
    return {
      ok: false,
      error: 'range',
      message: 'is a number in exponent notation; pass a decimal string',
    };
  }
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return {
      ok: false,
      error: 'range',
      message: 'is an integer beyond Number.MAX_SAFE_INTEGER; pass a string',
    };
  }
  return readText(text);
}

function readText(text: string): ReturnType<typeof readDecimal> {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    return {
      ok: false,
      error: 'range',
      message: 'must be a plain decimal such as "-12.34" (no exponent or spaces)',
    };
  }
  const [, sign, integerDigits = '', fractionDigits = ''] = match;
  const fraction = fractionDigits.replace(/0+$/, '');
  if (fraction.length > SCALE) return { ok: false, error: 'range', message: `has more than ${SCALE} decimal places` };
  if (integerDigits.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) {
    return { ok: false, error: 'range', message: `has more than ${MAX_INTEGER_DIGITS} integer digits (Decimal(19,4))` };
  }
  const magnitude = BigInt(integerDigits + fraction.padEnd(SCALE, '0'));
  return fromScaled(sign === '-' ? -magnitude : magnitude);
}

function fromScaled(scaled: bigint): ReturnType<typeof readDecimal> {
  if (scaled > MAX_SCALED || scaled < -MAX_SCALED) {
    return {
      ok: false,
      error: 'range',
      message: `is outside Decimal(19,4) (more than ${MAX_INTEGER_DIGITS} integer digits)`,
    };
  }
  return { ok: true, decimal: new (Decimal as unknown as new (scaled: bigint) => Decimal)(scaled) };
}

function checked(scaled: bigint, operation: string): Decimal {
  const result = fromScaled(scaled);
  if (!result.ok) throw new RangeError(`Decimal.${operation}: the result ${result.message}`);
  return result.decimal;
}

function checkRounding(rounding: unknown, operation: string): RoundingMode {
  if (!isRoundingMode(rounding)) {
    throw new RangeError(`Decimal.${operation}: rounding must be one of ${ROUNDING_MODES.join(', ')}`);
  }
  return rounding as RoundingMode;
}

function checkDigits(digits: unknown, operation: string): number {
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 0 || digits > SCALE) {
    throw new RangeError(`Decimal.${operation}: digits must be an integer from 0 to ${SCALE}`);
  }
  return digits;
}

/**
 * Divides `numerator` by a positive `divisor` and rounds the quotient to an integer by `rounding`.
 * @internal
 */
export function divideRounded(numerator: bigint, divisor: bigint, rounding: RoundingMode, operation: string): bigint {
  const quotient = numerator / divisor; // truncates towards zero
  const remainder = numerator % divisor; // has the sign of the numerator
  if (remainder === 0n) return quotient;
  if (rounding === 'unnecessary') {
    throw new RangeError(`Decimal.${operation}: the exact result needs rounding; pass a rounding mode`);
  }
  const twiceRest = (remainder < 0n ? -remainder : remainder) * 2n;
  // Whether the quotient moves away from zero (it was truncated towards zero).
  const away =
    rounding === 'up' ||
    (rounding === 'floor' && numerator < 0n) ||
    (rounding === 'ceiling' && numerator > 0n) ||
    (rounding === 'half-up' && twiceRest >= divisor) ||
    (rounding === 'half-even' && (twiceRest > divisor || (twiceRest === divisor && quotient % 2n !== 0n)));
  return away ? quotient + (numerator < 0n ? -1n : 1n) : quotient;
}

/**
 * An exact decimal number of type Decimal(19,4): at most 15 integer digits and 4 fraction digits, held as a bigint
 * count of ten-thousandths. Money and quantities in refundkit are Decimals, so no amount ever passes through binary
 * floating point. Decimals are immutable; every operation returns a new one and throws a `RangeError` instead of
 * silently losing a digit or overflowing.
 *
 * @example
 * Decimal.from('0.1').add(Decimal.from(0.2)).toString(); // "0.3"
 * Decimal.from('19.99').multiply(Decimal.from(3)).toMinorUnits(); // 5997n (fen)
 */
export class Decimal {
  /** The value × 10⁴ as a bigint (so `Decimal.from('12.34').scaled === 123400n`). Set by the constructor. */
  declare readonly scaled: bigint;
  /**
   * The mark of a Decimal this copy of the package made, and nothing else. `Decimal.isDecimal` asks for this private
   * field rather than the prototype chain, so an object forged with `Object.create(Decimal.prototype)` (whatever
   * `scaled` it carries), or a Proxy around a real Decimal, is never taken for one; only the range-checked
   * constructor sets it.
   */
  readonly #made = true;

  /** Use `Decimal.from` or `Decimal.fromMinorUnits`; the constructor is not public. */
  private constructor(scaled: bigint) {
    if (typeof scaled !== 'bigint' || scaled > MAX_SCALED || scaled < -MAX_SCALED) {
      throw new RangeError('Decimal: use Decimal.from() or Decimal.fromMinorUnits()');
    }
    this.scaled = scaled;
    Object.freeze(this);
  }

  /**
   * Makes a Decimal from a decimal string (`"12.34"`, `"-0.5"`, `"+7"`), a bigint (an integer), another Decimal
   * (returned as is), or a number, but only a finite number that is exactly what it prints as: `0.1` is read from its
   * text "0.1", while `0.1 + 0.2` (which prints as 0.30000000000000004), `1e21`, `NaN`, `±Infinity` and integers beyond
   * `Number.MAX_SAFE_INTEGER` are refused. Strings take no exponent, spaces or empty parts. Throws a `TypeError` for
   * other types and a `RangeError` for text that is not a plain decimal or does not fit Decimal(19,4) (trailing fraction
   * zeros and leading integer zeros do not count).
   *
   * @example
   * Decimal.from('12.30').toString(); // "12.3"
   * Decimal.from(-0).toString(); // "0"
   */
  static from(value: string | number | bigint | Decimal): Decimal {
    const result = readDecimal(value);
    if (result.ok) return result.decimal;
    const ErrorType = result.error === 'type' ? TypeError : RangeError;
    throw new ErrorType(`Decimal.from: the value ${result.message}`);
  }

  /**
   * Makes a Decimal from an integer count of minor units, `digits` decimal places below the unit (default 2, so
   * 分 for 元): `Decimal.fromMinorUnits(1999n)` is 19.99. `units` is a bigint, a safe-integer number or an integer
   * string; `digits` is 0 to 4. Throws a `TypeError`/`RangeError` naming the bad argument.
   *
   * @example
   * Decimal.fromMinorUnits(5, 0).toString(); // "5"
   * Decimal.fromMinorUnits('-150').toString(); // "-1.5"
   */
  static fromMinorUnits(units: bigint | number | string, digits = 2): Decimal {
    const places = checkDigits(digits, 'fromMinorUnits');
    let integer: bigint;
    if (typeof units === 'bigint') integer = units;
    else if (typeof units === 'number') {
      if (!Number.isSafeInteger(units)) throw new RangeError('Decimal.fromMinorUnits: units must be a safe integer');
      integer = BigInt(units);
    } else if (typeof units === 'string') {
      if (!INTEGER_TEXT.test(units)) throw new RangeError('Decimal.fromMinorUnits: units must be an integer string');
      integer = BigInt(units);
    } else throw new TypeError('Decimal.fromMinorUnits: units must be a bigint, a number or a string');
    return checked(integer * 10n ** BigInt(SCALE - places), 'fromMinorUnits');
  }

  /**
   * Adds up Decimals exactly; an empty iterable sums to 0. Throws a `TypeError` if an item is not a Decimal and a
   * `RangeError` if the total leaves Decimal(19,4).
   *
   * @example
   * Decimal.sum(lines.map((line) => line.actualAmount));
   */
  static sum(values: Iterable<Decimal>): Decimal {
    if (typeof (values as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== 'function') {
      throw new TypeError('Decimal.sum: values must be an iterable of Decimals');
    }
    let total = 0n;
    for (const value of values) {
      if (!Decimal.isDecimal(value)) throw new TypeError('Decimal.sum: every value must be a Decimal');
      total += value.scaled;
    }
    return checked(total, 'sum');
  }

  /**
   * Tells whether `value` is a Decimal made by this package (a type guard). It checks how the value was made, not its
   * prototype: `Object.create(Decimal.prototype)` and Proxies are not Decimals, so a Decimal is always in range.
   */
  static isDecimal(value: unknown): value is Decimal {
    return typeof value === 'object' && value !== null && #made in value;
  }

  /** Returns this + `other`, exactly; a `RangeError` if the sum leaves Decimal(19,4). */
  add(other: Decimal): Decimal {
    return checked(this.scaled + operand(other, 'add').scaled, 'add');
  }

  /** Returns this − `other`, exactly; a `RangeError` if the difference leaves Decimal(19,4). */
  subtract(other: Decimal): Decimal {
    return checked(this.scaled - operand(other, 'subtract').scaled, 'subtract');
  }

  /**
   * Returns this × `other` rounded back to 4 decimal places by `rounding`. The default, `'unnecessary'`, throws a
   * `RangeError` if the exact product has more than 4 decimal places, so nothing is rounded by accident. A product
   * outside Decimal(19,4) is a `RangeError` too.
   *
   * @example
   * Decimal.from('0.3333').multiply(Decimal.from('0.5'), 'half-even').toString(); // "0.1666"
   */
  multiply(other: Decimal, rounding: RoundingMode = 'unnecessary'): Decimal {
    const mode = checkRounding(rounding, 'multiply');
    const product = this.scaled * operand(other, 'multiply').scaled;
    return checked(divideRounded(product, ONE, mode, 'multiply'), 'multiply');
  }

  /** Compares with `other`: −1 if this is smaller, 0 if equal, 1 if larger. */
  compare(other: Decimal): -1 | 0 | 1 {
    const that = operand(other, 'compare').scaled;
    return this.scaled < that ? -1 : this.scaled > that ? 1 : 0;
  }

  /** Tells whether this equals `other` in value (`"1.50"` equals `"1.5"`). */
  equals(other: Decimal): boolean {
    return this.scaled === operand(other, 'equals').scaled;
  }

  /** Tells whether this is zero (there is no negative zero). */
  isZero(): boolean {
    return this.scaled === 0n;
  }

  /** Tells whether this is below zero. */
  isNegative(): boolean {
    return this.scaled < 0n;
  }

  /**
   * The canonical text: no exponent, no trailing fraction zeros, no point for whole numbers, no negative zero:
   * `"12.34"`, `"1"`, `"0.0001"`, `"-3.5"`. `Decimal.from(d.toString())` equals `d`.
   */
  toString(): string {
    const negative = this.scaled < 0n;
    const digits = (negative ? -this.scaled : this.scaled).toString().padStart(SCALE + 1, '0');
    const integer = digits.slice(0, -SCALE);
    const fraction = digits.slice(-SCALE).replace(/0+$/, '');
    return `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
  }

  /** The same text as `toString()`, so `JSON.stringify` writes Decimals as exact decimal strings. */
  toJSON(): string {
    return this.toString();
  }

  /**
   * The value as an integer count of minor units, `digits` places below the unit (default 2: 元 → 分). Rounding
   * defaults to `'unnecessary'`, which throws a `RangeError` when the value has more places than `digits`; pass a
   * rounding mode to allow rounding.
   *
   * @example
   * Decimal.from('12.34').toMinorUnits(); // 1234n
   * Decimal.from('0.125').toMinorUnits({ rounding: 'half-even' }); // 12n
   */
  toMinorUnits(options: { digits?: number | undefined; rounding?: RoundingMode | undefined } = {}): bigint {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Decimal.toMinorUnits: options must be an object such as { digits: 2 }');
    }
    const places = checkDigits(options.digits ?? 2, 'toMinorUnits');
    const mode = checkRounding(options.rounding ?? 'unnecessary', 'toMinorUnits');
    return divideRounded(this.scaled, 10n ** BigInt(SCALE - places), mode, 'toMinorUnits');
  }
}

function operand(value: Decimal, operation: string): Decimal {
  if (!Decimal.isDecimal(value)) {
    throw new TypeError(`Decimal.${operation}: the argument must be a Decimal (use Decimal.from first)`);
  }
  return value;
}
