import { describe, expect, it } from 'vitest';
import { kingdeeNonce } from './kingdee-nonce.js';
import {
  kingdeeAppSignature,
  kingdeeStringToSign,
  signKingdeeRequest,
  verifyKingdeeSignature,
} from './kingdee-sign.js';
import { KINGDEE_EXAMPLE_SECRET, KINGDEE_HOSTILE_QUERY, KINGDEE_TOKEN_NONCE } from './test-support.js';

const BASE = {
  clientSecret: KINGDEE_EXAMPLE_SECRET,
  method: 'GET',
  path: '/jdy/v2/bd/customer',
  nonce: KINGDEE_TOKEN_NONCE,
  timestamp: '1670305063559',
} as const;
const SIGNATURE_CUSTOMER_PAGE =
  'YTZkNmQ4ZmI3NTAzY2FiM2NhYjQ1YmNjMDVhZmQwYzQ3YzBhNzEwMTBiODhkYmFhZTU5NjJiNmExOWQ4ZGE2NA==';
const SIGNATURE_HOSTILE_QUERY =
  'Zjc5ZDBkZDdjMzVmM2Y3NTJiZTY4NGM3MzNmNTU2YjQ4OGJlNTA4MmNhZDc5ODVlMDI5ZjkxYWU1YWYyZTVlYQ==';
const HOSTILE = { ...BASE, nonce: '0012345678', timestamp: 1700000000000 };

describe('signKingdeeRequest query forms', () => {
  it('accepts a plain object, URLSearchParams, an array of pairs and a Map alike', () => {
    const forms = [
      { page: '1', page_size: '100' },
      { page: 1, page_size: 100 },
      new URLSearchParams('page_size=100&page=1'),
      [
        ['page_size', '100'],
        ['page', '1'],
      ] as const,
      new Map([
        ['page', '1'],
        ['page_size', '100'],
      ]),
    ];
    for (const query of forms) expect(signKingdeeRequest({ ...BASE, query })).toBe(SIGNATURE_CUSTOMER_PAGE);
  });

  it('signs the punctuation-and-Chinese example from a URL search string as it is sent', () => {
    const sent = new URLSearchParams(KINGDEE_HOSTILE_QUERY);
    expect(signKingdeeRequest({ ...HOSTILE, query: new URLSearchParams(sent.toString()) })).toBe(
      SIGNATURE_HOSTILE_QUERY,
    );
  });

  it('signs repeated keys as separate pairs', () => {
    const text = kingdeeStringToSign({ ...BASE, query: new URLSearchParams('id=2&id=1&ids=0') });
    expect(text.split('\n')[2]).toBe('id=1&id=2&ids=0');
    expect(kingdeeStringToSign({ ...BASE, query: { id: ['2', 1], ids: 0 } })).toBe(text);
  });

  it('treats an absent query, an empty object and an empty URLSearchParams alike', () => {
    const none = signKingdeeRequest(BASE);
    expect(signKingdeeRequest({ ...BASE, query: undefined })).toBe(none);
    expect(signKingdeeRequest({ ...BASE, query: null })).toBe(none);
    expect(signKingdeeRequest({ ...BASE, query: {} })).toBe(none);
    expect(signKingdeeRequest({ ...BASE, query: new URLSearchParams() })).toBe(none);
    expect(kingdeeStringToSign(BASE).split('\n')[2]).toBe('');
  });
});

describe('kingdeeStringToSign', () => {
  it('upper-cases the method and ends every line, the last included, with \\n', () => {
    expect(kingdeeStringToSign({ method: 'post', path: '/a b', nonce: 7, timestamp: 1 })).toBe(
      'POST\n%2Fa+b\n\nx-api-nonce:7\nx-api-timestamp:1\n',
    );
  });

  it('accepts nonce and timestamp as numbers or strings with the same result', () => {
    const asNumbers = signKingdeeRequest({ ...BASE, nonce: 4427456950, timestamp: 1670305063559 });
    expect(asNumbers).toBe(signKingdeeRequest(BASE));
  });

  it('keeps the leading zeros of a string nonce', () => {
    expect(kingdeeStringToSign({ ...BASE, nonce: '0012345678' })).toContain('x-api-nonce:0012345678\n');
  });
});

describe('verifyKingdeeSignature', () => {
  const input = { ...BASE, query: { page: 1, page_size: 100 } };

  it('accepts the right signature', () => {
    expect(verifyKingdeeSignature({ ...input, signature: SIGNATURE_CUSTOMER_PAGE })).toBe(true);
  });

  it('returns false, without throwing, for any malformed or wrong signature', () => {
    const bad: unknown[] = [
      null,
      undefined,
      '',
      42,
      {},
      [],
      SIGNATURE_CUSTOMER_PAGE.slice(0, -1),
      `${SIGNATURE_CUSTOMER_PAGE}=`,
      SIGNATURE_CUSTOMER_PAGE.toLowerCase(),
      ` ${SIGNATURE_CUSTOMER_PAGE.slice(1)}`,
      Buffer.from(SIGNATURE_CUSTOMER_PAGE, 'base64').toString(),
      SIGNATURE_HOSTILE_QUERY,
    ];
    for (const signature of bad) {
      expect(verifyKingdeeSignature({ ...input, signature: signature as string })).toBe(false);
    }
  });

  it('still throws for a programmer error in the other arguments', () => {
    expect(() => verifyKingdeeSignature({ ...input, clientSecret: '', signature: SIGNATURE_CUSTOMER_PAGE })).toThrow(
      RangeError,
    );
  });
});

describe('Kingdee input checks', () => {
  const cases: Array<[string, Record<string, unknown>, ErrorConstructor, RegExp]> = [
    ['a non-string secret', { clientSecret: 123 }, TypeError, /clientSecret/],
    ['a missing secret', { clientSecret: undefined }, TypeError, /clientSecret/],
    ['an empty secret', { clientSecret: '' }, RangeError, /clientSecret/],
    ['an unknown method', { method: 'HEAD' }, RangeError, /method/],
    ['a non-string method', { method: 1 }, TypeError, /method/],
    ['a path without a leading /', { path: 'jdy/v2/bd/customer' }, RangeError, /path/],
    ['a full URL as path', { path: 'https://api.kingdee.com/jdy' }, RangeError, /path/],
    ['a zero timestamp', { timestamp: 0 }, RangeError, /timestamp/],
    ['a negative timestamp', { timestamp: -1 }, RangeError, /timestamp/],
    ['a fractional timestamp', { timestamp: 1.5 }, RangeError, /timestamp/],
    ['a non-digit timestamp string', { timestamp: '1.7e12' }, RangeError, /timestamp/],
    ['an all-zero timestamp string', { timestamp: '000' }, RangeError, /timestamp/],
    ['a Date timestamp', { timestamp: new Date() }, TypeError, /timestamp/],
    ['an empty nonce', { nonce: '' }, RangeError, /nonce/],
    ['a nonce with a line break', { nonce: '1\nx-api-timestamp:2' }, RangeError, /nonce/],
    ['a negative nonce', { nonce: -5 }, RangeError, /nonce/],
    ['a string query', { query: 'a=1' }, TypeError, /query/],
    ['a query value of the wrong type', { query: { a: true } }, TypeError, /query/],
    ['a nested array query value', { query: { a: [['1']] } }, TypeError, /query/],
    ['a non-finite query value', { query: { a: Number.NaN } }, RangeError, /query/],
    ['a malformed query pair', { query: [['a']] }, TypeError, /query/],
  ];

  it.each(cases)('rejects %s', (_name, override, errorType, message) => {
    const call = () => signKingdeeRequest({ ...BASE, ...override } as never);
    expect(call).toThrow(errorType);
    expect(call).toThrow(message);
  });

  it('rejects a missing options object', () => {
    expect(() => signKingdeeRequest(undefined as never)).toThrow(/signKingdeeRequest expects an options object/);
    expect(() => kingdeeStringToSign(null as never)).toThrow(TypeError);
  });

  it('checks the app signature inputs', () => {
    expect(() => kingdeeAppSignature({ appKey: 'abc', appSecret: '' })).toThrow(/appSecret/);
    expect(() => kingdeeAppSignature({ appKey: 1 as never, appSecret: 'abc123' })).toThrow(/appKey/);
    expect(() => kingdeeAppSignature({ appKey: 'abc', appSecret: 5 as never })).toThrow(TypeError);
  });
});

describe('kingdeeNonce', () => {
  it('returns 10 digits, the first not zero', () => {
    for (let i = 0; i < 2000; i++) expect(kingdeeNonce()).toMatch(/^[1-9]\d{9}$/);
  });

  it('uses every digit in every position (not a fixed pattern)', () => {
    const seen = Array.from({ length: 10 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const nonce = kingdeeNonce();
      for (let position = 0; position < 10; position++) seen[position]!.add(nonce[position]!);
    }
    expect(seen[0]!.size).toBe(9);
    for (const digits of seen.slice(1)) expect(digits.size).toBe(10);
  });

  it('is accepted as a nonce by the signer', () => {
    const nonce = kingdeeNonce();
    expect(kingdeeStringToSign({ ...BASE, nonce })).toContain(`x-api-nonce:${nonce}\n`);
  });
});
