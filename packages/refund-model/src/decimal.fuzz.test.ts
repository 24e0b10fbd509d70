import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, type RoundingMode } from './decimal.js';
import { decimalOf, fuzzRuns, MAX_SCALED, scaledArb, scaledToText } from './test-support.js';

const MODES: RoundingMode[] = ['unnecessary', 'half-up', 'half-even', 'down', 'up', 'floor', 'ceiling'];
const inRange = (scaled: bigint) => scaled <= MAX_SCALED && scaled >= -MAX_SCALED;

/**
 * The oracle: rounds n / d (d > 0) from the floor quotient and its non-negative remainder, a different route from the
 * implementation's truncating division. `undefined` means 'unnecessary' must throw.
 */
function oracleRound(n: bigint, d: bigint, mode: RoundingMode): bigint | undefined {
  let floor = n / d;
  if (n % d !== 0n && n < 0n) floor -= 1n;
  const rest = n - floor * d; // 0 ≤ rest < d
  if (rest === 0n) return floor;
  const ceiling = floor + 1n;
  const towardZero = n < 0n ? ceiling : floor;
  const awayFromZero = n < 0n ? floor : ceiling;
  switch (mode) {
    case 'unnecessary':
      return undefined;
    case 'floor':
      return floor;
    case 'ceiling':
      return ceiling;
    case 'down':
      return towardZero;
    case 'up':
      return awayFromZero;
    case 'half-up':
      return rest * 2n === d ? awayFromZero : rest * 2n > d ? ceiling : floor;
    case 'half-even':
      return rest * 2n === d ? (floor % 2n === 0n ? floor : ceiling) : rest * 2n > d ? ceiling : floor;
  }
}

function expectResult(run: () => Decimal | bigint, expected: bigint | undefined, checkRange = true) {
  if (expected === undefined || (checkRange && !inRange(expected))) {
    expect(run).toThrow(RangeError);
    return;
  }
  const result = run();
  expect(typeof result === 'bigint' ? result : result.scaled).toBe(expected);
}

describe('Decimal against a bigint oracle', () => {
  it('parses any Decimal(19,4) text, with sign, plus and trailing zeros, to its exact scaled value', () => {
    fc.assert(
      fc.property(scaledArb, fc.boolean(), fc.nat(6), (scaled, plus, zeros) => {
        expect(Decimal.from(scaledToText(scaled, { plus, trailingZeros: zeros })).scaled).toBe(scaled);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('writes canonical text that reads back to the same value', () => {
    fc.assert(
      fc.property(scaledArb, (scaled) => {
        const text = decimalOf(scaled).toString();
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d{0,3}[1-9])?$/);
        expect(text).not.toBe('-0');
        expect(Decimal.from(text).scaled).toBe(scaled);
        expect(JSON.parse(JSON.stringify(decimalOf(scaled)))).toBe(text);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('adds, subtracts and sums exactly, or throws a RangeError outside Decimal(19,4)', () => {
    fc.assert(
      fc.property(scaledArb, scaledArb, (a, b) => {
        expectResult(() => decimalOf(a).add(decimalOf(b)), a + b);
        expectResult(() => decimalOf(a).subtract(decimalOf(b)), a - b);
        expectResult(() => Decimal.sum([decimalOf(a), decimalOf(b), decimalOf(-b)]), a);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('multiplies with every rounding mode like the oracle', () => {
    const factor = fc.oneof(scaledArb, fc.bigInt({ min: -100_000_000n, max: 100_000_000n }));
    fc.assert(
      fc.property(factor, factor, fc.constantFrom(...MODES), (a, b, mode) => {
        expectResult(() => decimalOf(a).multiply(decimalOf(b), mode), oracleRound(a * b, 10_000n, mode));
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('compares like the scaled bigints', () => {
    fc.assert(
      fc.property(scaledArb, scaledArb, (a, b) => {
        expect(decimalOf(a).compare(decimalOf(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(decimalOf(a).equals(decimalOf(b))).toBe(a === b);
        expect(decimalOf(a).isNegative()).toBe(a < 0n);
        expect(decimalOf(a).isZero()).toBe(a === 0n);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('converts to and from minor units like the oracle', () => {
    fc.assert(
      fc.property(scaledArb, fc.integer({ min: 0, max: 4 }), fc.constantFrom(...MODES), (scaled, digits, mode) => {
        const divisor = 10n ** BigInt(4 - digits);
        const expected = oracleRound(scaled, divisor, mode);
        expectResult(() => decimalOf(scaled).toMinorUnits({ digits, rounding: mode }), expected, false);
        if (expected !== undefined && scaled % divisor === 0n) {
          expect(Decimal.fromMinorUnits(expected, digits).scaled).toBe(scaled);
        }
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('reads a number exactly as it prints, or refuses it with a RangeError', () => {
    const numbers = fc.oneof(
      fc.double(),
      fc.integer().map((n) => n / 100),
      fc.integer().map((n) => n / 10_000),
      fc.maxSafeInteger().map((n) => n / 10_000),
      fc.double({ min: -1e12, max: 1e12 }),
      fc.constantFrom(0.1 + 0.2, 1e21, -0, 2 ** 53 + 1, 1e-5, 99_999_999_999.9999, 1e11, 1e11 - 0.0001, 0.00005),
    );
    fc.assert(
      fc.property(numbers, (value) => {
        let decimal: Decimal;
        try {
          decimal = Decimal.from(value);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          // Refused only when what it prints is not a Decimal(19,4): an exponent, over 4 fraction digits or over
          // 15 integer digits (NaN and Infinity print as no decimal at all).
          expect(/^-?\d{1,15}(\.\d{1,4})?$/.test(String(value))).toBe(false);
          return;
        }
        expect(Number(decimal.toString())).toBe(value === 0 ? 0 : value);
        expect(decimal.equals(Decimal.from(String(value)))).toBe(true);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('refuses any string that is not a plain decimal with a RangeError, never another error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        const plain = /^[+-]?\d+(\.\d+)?$/.test(text);
        try {
          Decimal.from(text);
          expect(plain).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});

describe('Decimal against forgeries', () => {
  /** Objects that look like a Decimal by prototype or by proxy, holding anything at all as `scaled`. */
  const forgedArb = fc
    .tuple(
      fc.oneof(fc.bigInt(), fc.anything({ withBigInt: true }), fc.constant(10n ** 40n)),
      fc.constantFrom('prototype', 'frozen', 'proxy'),
      scaledArb,
    )
    .map(([scaled, kind, real]) => {
      if (kind === 'proxy') {
        return new Proxy(decimalOf(real), { get: (t, key) => (key === 'scaled' ? scaled : Reflect.get(t, key)) });
      }
      const forged = Object.create(Decimal.prototype, { scaled: { value: scaled, enumerable: true } });
      return kind === 'frozen' ? Object.freeze(forged) : forged;
    });

  it('never takes a forgery for a Decimal, in a guard, a constructor or an operation', () => {
    fc.assert(
      fc.property(forgedArb, scaledArb, (forged, scaled) => {
        const real = decimalOf(scaled);
        expect(Decimal.isDecimal(forged)).toBe(false);
        expect(() => Decimal.from(forged)).toThrow(TypeError);
        for (const operation of ['add', 'subtract', 'multiply', 'compare', 'equals'] as const) {
          expect(() => real[operation](forged)).toThrow(TypeError);
        }
        expect(() => Decimal.sum([real, forged])).toThrow(TypeError);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
