/**
 * Test helpers shared by this package's test files (never exported from index.ts, never built): the worked
 * examples of PROTOCOLS.md, run as named tests against whichever implementation a test file hands in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as Signing from './index.js';

export { fuzzRuns } from '../../../test-support/fuzz.js';

/** The Kingdee secret of the worked examples B–F. */
export const KINGDEE_SECRET = 'f2adcfef73369bfc4e1384677d38a0ff';
/** Nonce and timestamp of example B, reused by D and E. */
export const NONCE_B = '4427456950';
export const TIMESTAMP_B = '1670305063559';
export const APP_SIGNATURE_B =
  'MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA==';
/** The query of example F, in the order given. */
export const QUERY_F: Array<[string, string]> = [
  ['search', 'a b*c~d/中文+=&'],
  ['page', '1'],
  ['page_size', '100'],
  ['a-b', 'x'],
  ['a', 'y'],
];

/** W1's body: the compact JSON of the RawRefund.upload doc's request example. */
export const W1_BODY =
  '["LCJ",[{"refund_no":"lztest","num":1,"tid":"TID6NAFAmwYMM","oid":"deb718e2afe5","type":1,"status":2,' +
  '"refund_version":"1","refund_amount":1,"actual_refund_amount":1,"title":"test","logistics_name":"",' +
  '"logistics_no":"","buyer_nick":"123444","refund_time":"2020-05-22 09:07:18","is_aftersale":0,"reason":""}]]';

/** W1's query parameters without `sign`. */
export const W1_PARAMS = {
  sid: 'wdtapi3',
  key: 'appkey',
  salt: 'testsalt',
  method: 'aftersales.refund.RawRefund.upload',
  timestamp: '448900499',
  v: '1.0',
} as const;

type Api = Pick<
  typeof Signing,
  | 'kingdeeAppSignature'
  | 'signKingdeeRequest'
  | 'verifyKingdeeSignature'
  | 'kingdeeStringToSign'
  | 'wangdianSign'
  | 'verifyWangdianSign'
  | 'parseWangdianAppSecret'
>;

/** Registers every worked example of PROTOCOLS.md as its own named test against `api`. */
export function describeWorkedExamples(label: string, api: Api): void {
  describe(`Kingdee worked examples (${label})`, () => {
    const kingdee = (
      request: Omit<Parameters<Api['signKingdeeRequest']>[0], 'clientSecret'>,
      expected: string,
    ): void => {
      const input = { clientSecret: KINGDEE_SECRET, ...request };
      expect(api.signKingdeeRequest(input)).toBe(expected);
      expect(api.verifyKingdeeSignature({ ...input, signature: expected })).toBe(true);
    };

    it('A (official): app_signature of appKey abc, appSecret abc123', () => {
      expect(api.kingdeeAppSignature({ appKey: 'abc', appSecret: 'abc123' })).toBe(
        'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ==',
      );
    });

    it('B (official): GET kingdee_auth_token with app_key and app_signature', () => {
      kingdee(
        {
          method: 'GET',
          path: '/jdyconnector/app_management/kingdee_auth_token',
          query: { app_key: 'bVZgAZOv1', app_signature: APP_SIGNATURE_B },
          nonce: NONCE_B,
          timestamp: TIMESTAMP_B,
        },
        'OTFiZTliNDFiMjNkYTI3YzVhNzg4MDI4ZGU3MWY1ZTA5ZTk1NjVlNGM1YTI1ZjIxY2Y5YTA3ZGY2OGI1MGQ1MQ==',
      );
    });

    it('B: string to sign', () => {
      expect(
        api.kingdeeStringToSign({
          method: 'GET',
          path: '/jdyconnector/app_management/kingdee_auth_token',
          query: { app_key: 'bVZgAZOv1', app_signature: APP_SIGNATURE_B },
          nonce: NONCE_B,
          timestamp: TIMESTAMP_B,
        }),
      ).toBe(
        'GET\n%2Fjdyconnector%2Fapp_management%2Fkingdee_auth_token\n' +
          'app_key=bVZgAZOv1&app_signature=MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA%253D%253D\n' +
          'x-api-nonce:4427456950\nx-api-timestamp:1670305063559\n',
      );
    });

    it('C: POST refundSave, no query', () => {
      kingdee(
        { method: 'POST', path: '/jdy/v2/ls/refundSave', nonce: '1234567890', timestamp: '1700000000000' },
        'ZjBmMjdmN2JkM2NiNDk1Mjc5NTQ3ZjY3MDU4OTBkOTgyZWIwYTUyZTkxZDM4MWVmMmZkNmZhMDEzNGQxOTAyMA==',
      );
    });

    it('D: GET customer with page and page_size', () => {
      kingdee(
        {
          method: 'GET',
          path: '/jdy/v2/bd/customer',
          query: { page: '1', page_size: '100' },
          nonce: NONCE_B,
          timestamp: TIMESTAMP_B,
        },
        'YTZkNmQ4ZmI3NTAzY2FiM2NhYjQ1YmNjMDVhZmQwYzQ3YzBhNzEwMTBiODhkYmFhZTU5NjJiNmExOWQ4ZGE2NA==',
      );
    });

    it('E: POST push_app_authorize with outerInstanceId', () => {
      kingdee(
        {
          method: 'POST',
          path: '/jdyconnector/app_management/push_app_authorize',
          query: { outerInstanceId: '509132114453729280' },
          nonce: NONCE_B,
          timestamp: TIMESTAMP_B,
        },
        'YjJlZjM5N2M2ZmE3MmJkMzBkNGFhYzE2N2QwMjQxMWUyMGZjY2FhZmNmYWU2NmE1ZDQ4NjI3ZGFmZTI4ZWRmOA==',
      );
    });

    it('F: GET customer with punctuation, Chinese and a-b before a', () => {
      kingdee(
        { method: 'GET', path: '/jdy/v2/bd/customer', query: QUERY_F, nonce: '0012345678', timestamp: '1700000000000' },
        'Zjc5ZDBkZDdjMzVmM2Y3NTJiZTY4NGM3MzNmNTU2YjQ4OGJlNTA4MmNhZDc5ODVlMDI5ZjkxYWU1YWYyZTVlYQ==',
      );
    });

    it('F: canonical query', () => {
      const text = api.kingdeeStringToSign({
        method: 'GET',
        path: '/jdy/v2/bd/customer',
        query: QUERY_F,
        nonce: '0012345678',
        timestamp: '1700000000000',
      });
      expect(text.split('\n')[2]).toBe(
        'a-b=x&a=y&page=1&page_size=100&search=a%2Bb%2Ac%257Ed%252F%25E4%25B8%25AD%25E6%2596%2587%252B%253D%2526',
      );
    });
  });

  describe(`Wangdian worked examples (${label})`, () => {
    const wangdian = (appSecret: string, params: Record<string, string>, body: string, expected: string): void => {
      const { secret, salt } = api.parseWangdianAppSecret(appSecret);
      const signed = { secret, params: { ...params, salt }, body };
      expect(api.wangdianSign(signed)).toBe(expected);
      expect(api.verifyWangdianSign({ ...signed, sign: expected })).toBe(true);
    };
    const { salt: _salt, ...w1 } = W1_PARAMS;

    it('official: wms.stockout.Sales.weighingExt', () => {
      wangdian(
        '693f9fed686bfe13441385da98b436b6:dd488d0802b1e431e4c72cd355847853',
        { sid: 'wdterp30', key: 'czhc', method: 'wms.stockout.Sales.weighingExt', timestamp: '232623153', v: '1.0' },
        '["xc109393939393939","",1.2,0,false]',
        '20f557aaf9190797c581bbceeb6d5a5c',
      );
    });

    it('W1: RawRefund.upload with the upload doc example body', () => {
      wangdian('testsecret:testsalt', w1, W1_BODY, '4f94282fa2189bbe76c5a6e134cbec2b');
    });

    it('W2: Refund.search with paging parameters', () => {
      wangdian(
        'testsecret:testsalt',
        { ...w1, method: 'aftersales.refund.Refund.search', page_size: '100', page_no: '0', calc_total: '1' },
        '[{"modified_from":"2020-01-01 00:00:00","modified_to":"2020-01-20 00:00:00"}]',
        '85a5f2cce648d6a54e41c7a31769aa78',
      );
    });

    it('W3: RawRefund.upload with a Chinese buyer_nick', () => {
      wangdian(
        'testsecret:testsalt',
        w1,
        '["LCJ",[{"refund_no":"lztest","buyer_nick":"可用库存"}]]',
        '485b38d039b331265bc97e21f04b9829',
      );
    });

    it("W1: the doc's URL carries the same sign", () => {
      const url = new URL(
        'http://wdt.wangdian.cn/openapi?key=appkey&method=aftersales.refund.RawRefund.upload&salt=testsalt&sid=wdtapi3&timestamp=448900499&v=1.0&sign=4f94282fa2189bbe76c5a6e134cbec2b',
      );
      expect(
        api.verifyWangdianSign({
          secret: 'testsecret',
          params: url.searchParams,
          body: W1_BODY,
          sign: url.searchParams.get('sign'),
        }),
      ).toBe(true);
    });
  });
}

/** Every printable ASCII punctuation character, and the space. */
export const ASCII_PUNCTUATION = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Any Unicode scalar value (no lone surrogates) as a one- or two-unit string. */
export const anyScalar: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

/** One unit of test text: ASCII letters, every punctuation character, CJK, emoji (with joiners), any scalar. */
export const textUnit: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...'aZ09'),
  fc.constantFrom(...ASCII_PUNCTUATION),
  fc.constantFrom('中', '文', '退款', 'é', '\u00a0', '\ufffd', '\u0000', '\n'),
  fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳', '🧧'),
  anyScalar,
);

/** Test text, possibly empty. */
export function text(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: textUnit, minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 12 });
}

/** Replaces the unit at `index % length` with `replacement`; the caller makes sure the result differs. */
export function replaceAt(value: string, index: number, replacement: string): string {
  const at = index % value.length;
  return value.slice(0, at) + replacement + value.slice(at + 1);
}
