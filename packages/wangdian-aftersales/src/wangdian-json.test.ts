import { Decimal } from '@refundkit/refund-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { toWangdianJson, UnwritableValueError } from './wangdian-json.js';

/** Canonical decimal text of Decimal(19,4): no trailing zeros, no exponent. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 9999 }))
  .map(([negative, whole, fraction]) => {
    const digits = String(fraction).padStart(4, '0').replace(/0+$/, '');
    const text = digits ? `${whole}.${digits}` : `${whole}`;
    return negative && text !== '0' ? `-${text}` : text;
  });

describe('toWangdianJson', () => {
  it('writes the upload doc example exactly as the signing worked example signs it', () => {
    const body = [
      'LCJ',
      [
        {
          refund_no: 'lztest',
          num: Decimal.from(1),
          tid: 'TID6NAFAmwYMM',
          oid: 'deb718e2afe5',
          type: 1,
          status: 2,
          refund_version: '1',
          refund_amount: Decimal.from('1.0000'),
          actual_refund_amount: 1,
          title: 'test',
          logistics_name: '',
          logistics_no: '',
          buyer_nick: '123444',
          refund_time: '2020-05-22 09:07:18',
          is_aftersale: 0,
          reason: '',
        },
      ],
    ];
    expect(toWangdianJson(body)).toBe(
      '["LCJ",[{"refund_no":"lztest","num":1,"tid":"TID6NAFAmwYMM","oid":"deb718e2afe5","type":1,"status":2,"refund_version":"1","refund_amount":1,"actual_refund_amount":1,"title":"test","logistics_name":"","logistics_no":"","buyer_nick":"123444","refund_time":"2020-05-22 09:07:18","is_aftersale":0,"reason":""}]]',
    );
  });

  it('writes decimals as exact JSON numbers, never as floats, strings or exponents', () => {
    const sum = Decimal.from('0.1').add(Decimal.from('0.2'));
    expect(toWangdianJson([sum])).toBe('[0.3]');
    expect(toWangdianJson({ a: Decimal.from('999999999999999.9999') })).toBe('{"a":999999999999999.9999}');
    expect(toWangdianJson([Decimal.from('0.0001'), Decimal.from('-3.5')])).toBe('[0.0001,-3.5]');
  });

  it('writes plain numbers without exponent notation', () => {
    expect(toWangdianJson([1e21, 1.5e-7, -2e-7, -0, 0.1, 123])).toBe(
      '[1000000000000000000000,0.00000015,-0.0000002,0,0.1,123]',
    );
    expect(toWangdianJson([12345678901234567890n])).toBe('[12345678901234567890]');
  });

  it('follows JSON.stringify for strings, undefined, toJSON and wrappers', () => {
    const value = {
      s: 'quote " backslash \\ newline \n tab \t 中文 \u2028 lone \ud800 pair 😀',
      u: undefined,
      f: () => 1,
      d: new Date('2024-01-02T03:04:05.000Z'),
      list: [undefined, null, true, false, () => 1],
      n: Object(5),
      w: Object('x'),
    };
    expect(toWangdianJson(value)).toBe(JSON.stringify(value));
  });

  it('refuses what has no exact JSON form', () => {
    expect(() => toWangdianJson([Number.NaN])).toThrow(TypeError);
    expect(() => toWangdianJson({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(/\$\.a\[1\]/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toWangdianJson(loop)).toThrow(/circular structure at \$\.self/);
    expect(() => toWangdianJson(undefined)).toThrow(TypeError);
    try {
      toWangdianJson([{ toJSON: () => ({ deep: [1n, Number.NEGATIVE_INFINITY] }) }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnwritableValueError);
      expect(error).toMatchObject({ problem: 'not a finite number', path: '$[0].deep[1]' });
      expect((error as Error).message).toBe('toWangdianJson: not a finite number at $[0].deep[1]');
    }
  });

  it('a repeated (non-circular) reference is fine', () => {
    const shared = { a: 1 };
    expect(toWangdianJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('property: JSON values serialise exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = toWangdianJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        if (!/e/i.test(JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"/g, ''))) {
          expect(text).toBe(JSON.stringify(value));
        }
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('property: decimals are written as their exact decimal text and parse back to the same number', () => {
    fc.assert(
      fc.property(fc.array(decimalText, { maxLength: 20 }), fc.string(), (texts, label) => {
        const decimals = texts.map((text) => Decimal.from(text));
        const json = toWangdianJson({ label, decimals });
        expect(json).toBe(`{"label":${JSON.stringify(label)},"decimals":[${texts.join(',')}]}`);
        const parsed = JSON.parse(json) as { label: string; decimals: number[] };
        expect(parsed.label).toBe(label);
        expect(parsed.decimals).toEqual(texts.map(Number));
        for (const decimal of decimals) expect(Decimal.from(decimal.toString()).equals(decimal)).toBe(true);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('property: values with Decimals anywhere are written as JSON.stringify writes them, Decimals as digits', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), decimalText.map(Decimal.from));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    /** An independent writer: JSON.stringify for every leaf, the canonical text for a Decimal. */
    const expected = (item: unknown): string => {
      if (Decimal.isDecimal(item)) return item.toString();
      if (Array.isArray(item)) return `[${item.map(expected).join(',')}]`;
      if (typeof item === 'object' && item !== null) {
        return `{${Object.entries(item).map(([key, member]) => `${JSON.stringify(key)}:${expected(member)}`)}}`;
      }
      return JSON.stringify(item);
    };
    fc.assert(
      fc.property(value, (input) => {
        expect(toWangdianJson(input)).toBe(expected(input));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('property: any finite number round-trips and never uses an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = toWangdianJson(n);
        expect(text).not.toMatch(/e/i);
        expect(JSON.parse(text)).toBe(Object.is(n, -0) ? 0 : n);
      }),
      { numRuns: fuzzRuns(500) },
    );
  });
});
