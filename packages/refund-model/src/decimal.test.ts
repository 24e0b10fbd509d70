import { describe, expect, it } from 'vitest';
import { Decimal, type RoundingMode } from './decimal.js';

const d = (value: string | number | bigint) => Decimal.from(value);

describe('Decimal.from (strings)', () => {
  it.each([
    ['12.34', '12.34'],
    ['12.3400', '12.34'],
    ['+7', '7'],
    ['-0', '0'],
    ['+0.0', '0'],
    ['-3.50', '-3.5'],
    ['0.0001', '0.0001'],
    ['007.5', '7.5'],
    ['999999999999999.9999', '999999999999999.9999'],
    ['-999999999999999.9999', '-999999999999999.9999'],
    ['0000000000000000001.10000000', '1.1'],
  ])('reads %s as %s', (text, canonical) => {
    expect(d(text).toString()).toBe(canonical);
  });

  it.each([
    '',
    ' ',
    ' 1',
    '1 ',
    '1.2.3',
    '1e5',
    '1E5',
    '.5',
    '5.',
    '--1',
    '+-1',
    '1,5',
    '0x10',
    'NaN',
    'Infinity',
    '１',
    '1_000',
  ])('refuses %j with a RangeError', (text) => {
    expect(() => d(text)).toThrow(RangeError);
  });

  it('refuses more than 4 significant fraction digits', () => {
    expect(() => d('0.00001')).toThrow(/more than 4 decimal places/);
    expect(() => d('1.23456')).toThrow(RangeError);
  });

  it('takes 19 significant digits (15 + 4) and refuses a 16th integer digit', () => {
    expect(d('123456789012345.6789').toString()).toBe('123456789012345.6789');
    expect(d('123456789012345.6789').scaled).toBe(1234567890123456789n);
    expect(() => d('1234567890123456')).toThrow(/more than 15 integer digits/);
    expect(() => d('1000000000000000.0')).toThrow(RangeError);
  });

  it('never echoes the value in its message', () => {
    expect(() => d('secret-nick')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-nick') }),
    );
  });
});

describe('Decimal.from (numbers)', () => {
  it('reads a number from the text it prints as', () => {
    expect(d(0.1).toString()).toBe('0.1');
    expect(d(12.34).toString()).toBe('12.34');
    expect(d(-3).toString()).toBe('-3');
    expect(d(0.0001).toString()).toBe('0.0001');
    expect(d(-999_999_999_999_999.9).toString()).toBe('-999999999999999.9');
  });

  it('makes negative zero plain zero', () => {
    const zero = d(-0);
    expect(zero.toString()).toBe('0');
    expect(zero.isNegative()).toBe(false);
    expect(zero.isZero()).toBe(true);
    expect(Object.is(Number(zero.toString()), 0)).toBe(true);
  });

  it('refuses 0.1 + 0.2, which prints as 0.30000000000000004', () => {
    expect(() => d(0.1 + 0.2)).toThrow(RangeError);
    expect(() => d(0.1 + 0.2)).toThrow(/more than 4 decimal places/);
  });

  it.each([
    [1e21, /exponent/],
    [1e-7, /exponent/],
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [Number.NEGATIVE_INFINITY, /finite/],
    [2 ** 53 + 2, /MAX_SAFE_INTEGER/],
    [1e20, /MAX_SAFE_INTEGER/],
    [1.23456, /decimal places/],
    [1 / 3, /decimal places/],
  ])('refuses %s with a RangeError', (value, message) => {
    expect(() => d(value)).toThrow(RangeError);
    expect(() => d(value)).toThrow(message);
  });

  it('refuses 2**53 + 1 (which is not even representable)', () => {
    expect(() => d(2 ** 53 + 1)).toThrow(RangeError);
  });

  it('takes safe integers up to 15 digits and refuses 16', () => {
    expect(d(999_999_999_999_999).toString()).toBe('999999999999999');
    expect(() => d(1_000_000_000_000_000)).toThrow(/more than 15 integer digits/);
  });
});

describe('Decimal.from (other inputs)', () => {
  it('reads a bigint as an integer', () => {
    expect(d(42n).toString()).toBe('42');
    expect(d(-42n).scaled).toBe(-420_000n);
    expect(() => d(10n ** 15n)).toThrow(RangeError);
  });

  it('returns a Decimal as is', () => {
    const value = d('1.5');
    expect(Decimal.from(value)).toBe(value);
  });

  it.each([null, undefined, {}, [], true, Symbol('x'), () => 1])('refuses %s with a TypeError', (value) => {
    expect(() => Decimal.from(value as never)).toThrow(TypeError);
  });

  it('cannot be constructed directly with an out-of-range value', () => {
    const Construct = Decimal as unknown as new (scaled: unknown) => Decimal;
    expect(() => new Construct(10n ** 19n)).toThrow(RangeError);
    expect(() => new Construct(5)).toThrow(RangeError);
  });

  it('is immutable', () => {
    const value = d('1');
    expect(Object.isFrozen(value)).toBe(true);
    expect(() => {
      (value as { scaled: bigint }).scaled = 5n;
    }).toThrow(TypeError);
  });
});

describe('arithmetic', () => {
  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    const sum = d('0.1').add(d(0.2));
    expect(sum.toString()).toBe('0.3');
    expect(sum.equals(d('0.3'))).toBe(true);
  });

  it('subtracts exactly', () => {
    expect(d('0.3').subtract(d('0.1')).toString()).toBe('0.2');
    expect(d('1').subtract(d('1.0001')).toString()).toBe('-0.0001');
    expect(d('5').subtract(d('5')).toString()).toBe('0');
  });

  it('refuses a sum of something not iterable with a TypeError naming values', () => {
    for (const values of [undefined, null, 5, {}]) {
      expect(() => Decimal.sum(values as never)).toThrow('Decimal.sum: values must be an iterable of Decimals');
    }
  });

  it('sums an iterable exactly; an empty one is 0', () => {
    expect(Decimal.sum([d('0.1'), d('0.2'), d('0.3')]).toString()).toBe('0.6');
    expect(Decimal.sum([]).toString()).toBe('0');
    expect(Decimal.sum(new Set([d('1'), d('2')])).toString()).toBe('3');
    expect(() => Decimal.sum(['1' as unknown as Decimal])).toThrow(TypeError);
  });

  it('multiplies exactly and refuses to round unless told to', () => {
    expect(d('19.99').multiply(d(3)).toString()).toBe('59.97');
    expect(d('0.01').multiply(d('0.01')).toString()).toBe('0.0001');
    expect(() => d('0.0005').multiply(d('0.1'))).toThrow(/needs rounding/);
    expect(d('0.0005').multiply(d('0.1'), 'half-up').toString()).toBe('0.0001');
    expect(d('0.0005').multiply(d('0.1'), 'half-even').toString()).toBe('0');
    expect(d('0.0005').multiply(d('0.1'), 'down').toString()).toBe('0');
    expect(d('0.3333').multiply(d('0.5'), 'half-even').toString()).toBe('0.1666');
    expect(d('-0.3333').multiply(d('0.5'), 'half-up').toString()).toBe('-0.1667');
  });

  it('refuses an unknown rounding mode', () => {
    expect(() => d('1').multiply(d('1'), 'nearest' as RoundingMode)).toThrow(RangeError);
  });

  it('throws a RangeError when a result leaves Decimal(19,4)', () => {
    const max = d('999999999999999.9999');
    expect(() => max.add(d('0.0001'))).toThrow(RangeError);
    expect(() => d('-999999999999999.9999').subtract(d('0.0001'))).toThrow(RangeError);
    expect(() => d('100000000').multiply(d('10000000'))).toThrow(/outside Decimal\(19,4\)/);
    expect(() => Decimal.sum([max, max])).toThrow(RangeError);
    expect(max.add(d('-0.0001')).toString()).toBe('999999999999999.9998');
  });

  it('refuses a non-Decimal operand with a TypeError', () => {
    expect(() => d('1').add('1' as unknown as Decimal)).toThrow(TypeError);
    expect(() => d('1').compare(1 as unknown as Decimal)).toThrow(TypeError);
  });
});

describe('comparison', () => {
  it('compares by value', () => {
    expect(d('1.5').compare(d('1.50'))).toBe(0);
    expect(d('1.4999').compare(d('1.5'))).toBe(-1);
    expect(d('-1').compare(d('-2'))).toBe(1);
    expect(d('1.5').equals(d('1.50'))).toBe(true);
    expect(d('1.5').equals(d('1.5001'))).toBe(false);
  });

  it('knows zero and negatives', () => {
    expect(d('0.0000').isZero()).toBe(true);
    expect(d('0.0001').isZero()).toBe(false);
    expect(d('-0.0001').isNegative()).toBe(true);
    expect(d('0').isNegative()).toBe(false);
  });

  it('recognises Decimals', () => {
    expect(Decimal.isDecimal(d('1'))).toBe(true);
    expect(Decimal.isDecimal('1')).toBe(false);
    expect(Decimal.isDecimal({ scaled: 1n })).toBe(false);
  });

  it('does not take a forged or proxied Decimal for one, whatever it holds', () => {
    const forgeries = [
      Object.create(Decimal.prototype),
      Object.create(Decimal.prototype, { scaled: { value: 10n ** 30n, enumerable: true } }),
      Object.create(Decimal.prototype, { scaled: { value: 'x' } }),
      Object.freeze(Object.assign(Object.create(Decimal.prototype), { scaled: 5n })),
      new Proxy(d('1'), {}),
      new Proxy(d('1'), { get: (target, key) => (key === 'scaled' ? 10n ** 30n : Reflect.get(target, key)) }),
    ];
    for (const forged of forgeries) {
      expect(forged instanceof Decimal).toBe(true); // the prototype chain says Decimal
      expect(Decimal.isDecimal(forged)).toBe(false); // how it was made says otherwise
      expect(() => Decimal.from(forged)).toThrow(TypeError);
      expect(() => d('1').add(forged)).toThrow(TypeError);
      expect(() => d('1').compare(forged)).toThrow(TypeError);
      expect(() => Decimal.sum([d('1'), forged])).toThrow(TypeError);
    }
  });
});

describe('formatting', () => {
  it.each([
    ['12.34', '12.34'],
    ['1.0000', '1'],
    ['0.0001', '0.0001'],
    ['-3.5', '-3.5'],
    ['-0.0001', '-0.0001'],
    ['100', '100'],
    ['123456789012345', '123456789012345'],
  ])('writes %s canonically as %s, never with an exponent', (text, canonical) => {
    expect(d(text).toString()).toBe(canonical);
    expect(`${d(text)}`).toBe(canonical);
    expect(d(text).toJSON()).toBe(canonical);
  });

  it('serialises to JSON as a decimal string', () => {
    expect(JSON.stringify({ amount: d('0.1').add(d('0.2')) })).toBe('{"amount":"0.3"}');
  });
});

describe('minor units', () => {
  it('converts to fen exactly by default', () => {
    expect(d('12.34').toMinorUnits()).toBe(1234n);
    expect(d('-12.3').toMinorUnits()).toBe(-1230n);
    expect(d('999999999999999.99').toMinorUnits()).toBe(99999999999999999n);
    expect(d('12.34').toMinorUnits({ digits: 4 })).toBe(123400n);
    expect(d('12').toMinorUnits({ digits: 0 })).toBe(12n);
    expect(() => d('12.345').toMinorUnits()).toThrow(/needs rounding/);
  });

  const cases: [string, RoundingMode, bigint][] = [
    ['0.125', 'half-up', 13n],
    ['0.125', 'half-even', 12n],
    ['0.135', 'half-even', 14n],
    ['0.1251', 'half-even', 13n],
    ['0.125', 'down', 12n],
    ['0.125', 'up', 13n],
    ['0.125', 'floor', 12n],
    ['0.125', 'ceiling', 13n],
    ['-0.125', 'half-up', -13n],
    ['-0.125', 'half-even', -12n],
    ['-0.125', 'down', -12n],
    ['-0.125', 'up', -13n],
    ['-0.125', 'floor', -13n],
    ['-0.125', 'ceiling', -12n],
    ['-0.1249', 'half-up', -12n],
    ['0.1299', 'down', 12n],
    ['0.12', 'unnecessary', 12n],
  ];
  it.each(cases)('rounds %s with %s to %s fen', (text, rounding, fen) => {
    expect(d(text).toMinorUnits({ rounding })).toBe(fen);
  });

  it('refuses options that are not an object with a TypeError naming them', () => {
    expect(() => d('1').toMinorUnits(null as never)).toThrow(/toMinorUnits: options must be an object/);
    expect(() => d('1').toMinorUnits(2 as never)).toThrow(TypeError);
  });

  it('refuses bad digits and rounding modes', () => {
    expect(() => d('1').toMinorUnits({ digits: 5 })).toThrow(RangeError);
    expect(() => d('1').toMinorUnits({ digits: 1.5 })).toThrow(RangeError);
    expect(() => d('1').toMinorUnits({ digits: -1 })).toThrow(RangeError);
    expect(() => d('1').toMinorUnits({ rounding: 'HALF_UP' as RoundingMode })).toThrow(RangeError);
  });

  it('reads minor units back', () => {
    expect(Decimal.fromMinorUnits(1999n).toString()).toBe('19.99');
    expect(Decimal.fromMinorUnits(1999).toString()).toBe('19.99');
    expect(Decimal.fromMinorUnits('-150').toString()).toBe('-1.5');
    expect(Decimal.fromMinorUnits(5, 0).toString()).toBe('5');
    expect(Decimal.fromMinorUnits(5n, 4).toString()).toBe('0.0005');
    expect(Decimal.fromMinorUnits(99999999999999999n).toString()).toBe('999999999999999.99');
  });

  it('refuses bad minor units', () => {
    expect(() => Decimal.fromMinorUnits(1.5)).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits(2 ** 53)).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits('1.5')).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits('')).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits(1n, 5)).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits(100000000000000000n)).toThrow(RangeError);
    expect(() => Decimal.fromMinorUnits(null as never)).toThrow(TypeError);
  });
});
