import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { parseVendorJson } from './vendor-json.js';

describe('parseVendorJson', () => {
  it('keeps every digit of numbers a double cannot hold, and reads the others as numbers', () => {
    expect(
      parseVendorJson(
        '{"id":1420169116878110000,"max":9007199254740991,"over":9007199254740993,"d":123456789012345.6789,"e":1e400,"x":[0.1,-0,12.30]}',
      ),
    ).toEqual({
      id: '1420169116878110000',
      max: 9007199254740991,
      over: '9007199254740993',
      d: '123456789012345.6789',
      e: '1e400',
      x: [0.1, -0, 12.3],
    });
  });

  it('answers what JSON.parse answers for text without a long number, a repeated key included', () => {
    const text = '{"a":"1234567890123456789 in a string","b":[1,2.5,true,null],"b":"last"}';
    expect(parseVendorJson(text)).toEqual(JSON.parse(text));
    expect(parseVendorJson('{"a":1,"n":12345678901234567890,"a":2}')).toEqual({ a: 2, n: '12345678901234567890' });
  });

  it('throws a SyntaxError for text that is not JSON, on both paths', () => {
    expect(() => parseVendorJson('{"a":')).toThrow(SyntaxError);
    expect(() => parseVendorJson('{"a":12345678901234567890')).toThrow(SyntaxError);
  });

  it('property: a big integer or long decimal anywhere in an answer comes back as its exact text', () => {
    const digits = fc.stringMatching(/^[1-9]\d{16,30}$/);
    const decimal = fc.tuple(digits, fc.stringMatching(/^\d{1,8}[1-9]$/)).map(([w, f]) => `${w}.${f}`);
    fc.assert(
      fc.property(fc.oneof(digits, decimal), fc.string(), (number, key) => {
        const text = `{"data":{${JSON.stringify(key)}:[${number}]},"status":0}`;
        const parsed = parseVendorJson(text) as { data: Record<string, unknown[]>; status: number };
        expect(parsed.data[key]).toEqual([number]);
        expect(parsed.status).toBe(0);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('property: every double JSON.stringify writes (outside the unsafe integers) comes back as that number', () => {
    fc.assert(
      fc.property(
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .filter((x) => !Number.isInteger(x) || Number.isSafeInteger(x)),
        (x) => {
          expect(parseVendorJson(`{"v":[${JSON.stringify(x)}],"pad":"${'1'.repeat(20)}"}`)).toEqual({
            v: [JSON.parse(JSON.stringify(x))],
            pad: '1'.repeat(20),
          });
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });
});
