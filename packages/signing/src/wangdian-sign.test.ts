import { describe, expect, it, vi } from 'vitest';
import { WANGDIAN_UPLOAD_BODY, WANGDIAN_UPLOAD_PARAMS } from './test-support.js';
import { parseWangdianAppSecret } from './wangdian-app-secret.js';
import { verifyWangdianSign, wangdianSign } from './wangdian-sign.js';
import { wangdianTimestamp } from './wangdian-timestamp.js';

const UPLOAD_PARAMS = { ...WANGDIAN_UPLOAD_PARAMS, salt: 'testsalt' };
const UPLOAD_SIGN = '4f94282fa2189bbe76c5a6e134cbec2b';
const UPLOAD = { secret: 'testsecret', params: UPLOAD_PARAMS, body: WANGDIAN_UPLOAD_BODY };

describe('wangdianSign params forms', () => {
  it('accepts a plain object, URLSearchParams, an array of pairs and a Map alike, in any order', () => {
    const entries = Object.entries(UPLOAD_PARAMS).reverse();
    for (const params of [{ ...UPLOAD_PARAMS }, new URLSearchParams(entries), entries, new Map(entries)]) {
      expect(wangdianSign({ ...UPLOAD, params })).toBe(UPLOAD_SIGN);
    }
  });

  it('takes numbers as String(n), so a numeric timestamp signs like its text', () => {
    expect(wangdianSign({ ...UPLOAD, params: { ...UPLOAD_PARAMS, timestamp: 448900499 } })).toBe(UPLOAD_SIGN);
  });

  it('ignores a sign entry, so a received query can be verified as it is', () => {
    expect(wangdianSign({ ...UPLOAD, params: { ...UPLOAD_PARAMS, sign: 'whatever' } })).toBe(UPLOAD_SIGN);
  });

  it('signs the body text byte for byte: re-serialised or pretty JSON changes the sign', () => {
    const reparsed = JSON.stringify(JSON.parse(WANGDIAN_UPLOAD_BODY));
    expect(reparsed).toBe(WANGDIAN_UPLOAD_BODY);
    expect(wangdianSign({ ...UPLOAD, body: JSON.stringify(JSON.parse(WANGDIAN_UPLOAD_BODY), null, 2) })).not.toBe(
      UPLOAD_SIGN,
    );
    const escaped = '["LCJ",[{"refund_no":"lztest","buyer_nick":"\\u53ef\\u7528\\u5e93\\u5b58"}]]';
    expect(JSON.parse(escaped)).toEqual(JSON.parse('["LCJ",[{"refund_no":"lztest","buyer_nick":"可用库存"}]]'));
    expect(wangdianSign({ ...UPLOAD, body: escaped })).not.toBe('485b38d039b331265bc97e21f04b9829');
  });

  it('sorts keys in UTF-8 byte order (astral characters after U+E000–U+FFFF)', () => {
    // UTF-16 order would put '\u{1F600}' (surrogates D83D DE00) before '\uFF01'; byte order puts it after.
    // With an empty body the signed text is 's' + 'body' + '' + the sorted pairs + 's', which equals signing no
    // params and a body holding the pairs' concatenation.
    const params = { '\uff01': 'a', '\u{1f600}': 'b' };
    const signed = wangdianSign({ secret: 's', params, body: '' });
    expect(wangdianSign({ secret: 's', params: Object.entries(params).reverse(), body: '' })).toBe(signed);
    expect(signed).toBe(wangdianSign({ secret: 's', params: {}, body: '\uff01a\u{1f600}b' }));
    expect(signed).not.toBe(wangdianSign({ secret: 's', params: {}, body: '\u{1f600}b\uff01a' }));
  });
});

describe('verifyWangdianSign', () => {
  it('accepts the right sign', () => {
    expect(verifyWangdianSign({ ...UPLOAD, sign: UPLOAD_SIGN })).toBe(true);
  });

  it('returns false, without throwing, for any malformed or wrong sign', () => {
    const bad: unknown[] = [
      null,
      undefined,
      '',
      1,
      {},
      UPLOAD_SIGN.toUpperCase(),
      UPLOAD_SIGN.slice(1),
      `${UPLOAD_SIGN}0`,
      ` ${UPLOAD_SIGN}`,
      '0'.repeat(32),
      'z'.repeat(32),
    ];
    for (const sign of bad) expect(verifyWangdianSign({ ...UPLOAD, sign: sign as string })).toBe(false);
  });
});

describe('Wangdian input checks', () => {
  it.each([
    ['a non-string secret', { secret: 1 }, TypeError, /secret/],
    ['an empty secret', { secret: '' }, RangeError, /secret/],
    ['a non-string body', { body: ['LCJ'] }, TypeError, /body/],
    ['missing params', { params: undefined }, TypeError, /params/],
    ['a body key inside params', { params: { ...UPLOAD_PARAMS, body: 'x' } }, RangeError, /params/],
    ['a repeated key', { params: new URLSearchParams('sid=a&sid=b') }, RangeError, /params/],
    ['an array of values', { params: { ...UPLOAD_PARAMS, sid: ['a', 'b'] } }, RangeError, /params/],
    ['a params value of the wrong type', { params: { sid: null } }, TypeError, /params/],
  ] as const)('rejects %s', (_name, override, errorType, message) => {
    const call = () => wangdianSign({ ...UPLOAD, ...override } as never);
    expect(call).toThrow(errorType);
    expect(call).toThrow(message);
  });
});

describe('parseWangdianAppSecret', () => {
  it('splits at the first colon', () => {
    expect(parseWangdianAppSecret('testsecret:testsalt')).toEqual({ secret: 'testsecret', salt: 'testsalt' });
    expect(parseWangdianAppSecret('a:b:c')).toEqual({ secret: 'a', salt: 'b:c' });
  });

  it('rejects a value without a colon, with an empty half, or not a string', () => {
    expect(() => parseWangdianAppSecret('nocolon')).toThrow(RangeError);
    expect(() => parseWangdianAppSecret('nocolon')).toThrow(/appSecret/);
    expect(() => parseWangdianAppSecret(':salt')).toThrow(RangeError);
    expect(() => parseWangdianAppSecret('secret:')).toThrow(RangeError);
    expect(() => parseWangdianAppSecret('')).toThrow(RangeError);
    expect(() => parseWangdianAppSecret(undefined as never)).toThrow(TypeError);
  });
});

describe('wangdianTimestamp', () => {
  it('counts whole seconds since 2012-01-01 00:00:00 +08:00', () => {
    expect(wangdianTimestamp(Date.parse('2012-01-01T00:00:01+08:00'))).toBe(1);
    expect(wangdianTimestamp(Date.parse('2026-01-01T00:00:00Z'))).toBe(441878400);
    expect(wangdianTimestamp((1325347200 + 448900499) * 1000 + 999)).toBe(448900499);
  });

  it('defaults to the current time', () => {
    vi.useFakeTimers({ now: Date.parse('2020-05-22T09:07:18+08:00') });
    try {
      expect(wangdianTimestamp()).toBe(264762438);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a non-number, a non-finite instant and instants not after the epoch', () => {
    expect(() => wangdianTimestamp('1700000000000' as never)).toThrow(TypeError);
    expect(() => wangdianTimestamp(Number.NaN)).toThrow(/epochMs/);
    expect(() => wangdianTimestamp(Date.parse('2012-01-01T00:00:00+08:00'))).toThrow(RangeError);
    expect(() => wangdianTimestamp(0)).toThrow(RangeError);
  });
});
