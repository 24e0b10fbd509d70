/**
 * The worked signing examples, as data: every input and the exact expected output. One list serves the signing
 * package's own suites (packages/signing/src/test-support.ts), the runtime suites (runtimes/), which hand it to
 * Bun, Deno and workerd, and the protocol pages (docs/protocols-kingdee.md, docs/protocols-wangdian.md), which
 * must show each example byte for byte (checked by signing-worked-examples.test.ts). Plain JSON-safe values only,
 * so a runtime program can receive the list as it is.
 */

/** A Kingdee `app_signature` of an app key under its app secret. */
export interface KingdeeAppSignatureExample {
  id: string;
  title: string;
  appKey: string;
  appSecret: string;
  appSignature: string;
}

/** A signed Kingdee request: the `X-Api-Signature` of method, path, query, nonce and timestamp. */
export interface KingdeeRequestExample {
  id: string;
  title: string;
  clientSecret: string;
  method: 'GET' | 'POST';
  path: string;
  /** Query parameters in the order given (order must not matter). */
  query: Array<[string, string]>;
  nonce: string;
  timestamp: string;
  signature: string;
  /** The whole string to sign, where the example pins it. */
  stringToSign?: string;
  /** The canonical query line of the string to sign, where the example pins it. */
  canonicalQuery?: string;
}

/** A Wangdian `sign` of the query parameters and the exact body text. */
export interface WangdianSignExample {
  id: string;
  title: string;
  /** The app secret as issued, `secret:salt`. */
  appSecret: string;
  /** The query parameters without `salt` (taken from the app secret) and without `sign`. */
  params: Record<string, string>;
  body: string;
  sign: string;
  /** A full request URL carrying the same parameters and the sign, where the example gives one. */
  url?: string;
}

/** Every worked example, grouped by what it signs. */
export interface SigningWorkedExamples {
  kingdeeAppSignatures: KingdeeAppSignatureExample[];
  kingdeeRequests: KingdeeRequestExample[];
  wangdianSigns: WangdianSignExample[];
}

/** The client secret of every Kingdee request example. */
export const KINGDEE_EXAMPLE_SECRET = 'f2adcfef73369bfc4e1384677d38a0ff';
/** The nonce and timestamp of the token request, reused by two other request examples. */
export const KINGDEE_TOKEN_NONCE = '4427456950';
export const KINGDEE_TOKEN_TIMESTAMP = '1670305063559';
/** The `app_signature` sent by the token request example. */
export const KINGDEE_TOKEN_APP_SIGNATURE =
  'MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA==';
/** The query of the example with punctuation and Chinese text, in the order given. */
export const KINGDEE_HOSTILE_QUERY: Array<[string, string]> = [
  ['search', 'a b*c~d/中文+=&'],
  ['page', '1'],
  ['page_size', '100'],
  ['a-b', 'x'],
  ['a', 'y'],
];

/** The compact JSON of the raw-refund upload request example (shop `LCJ`, one refund). */
export const WANGDIAN_UPLOAD_BODY =
  '["LCJ",[{"refund_no":"lztest","num":1,"tid":"TID6NAFAmwYMM","oid":"deb718e2afe5","type":1,"status":2,' +
  '"refund_version":"1","refund_amount":1,"actual_refund_amount":1,"title":"test","logistics_name":"",' +
  '"logistics_no":"","buyer_nick":"123444","refund_time":"2020-05-22 09:07:18","is_aftersale":0,"reason":""}]]';

/** The query parameters of the upload example, without `salt` and `sign`. */
export const WANGDIAN_UPLOAD_PARAMS: Readonly<Record<string, string>> = Object.freeze({
  sid: 'wdtapi3',
  key: 'appkey',
  method: 'aftersales.refund.RawRefund.upload',
  timestamp: '448900499',
  v: '1.0',
});

/** The worked examples themselves. */
export const SIGNING_WORKED_EXAMPLES: SigningWorkedExamples = {
  kingdeeAppSignatures: [
    {
      id: 'kingdee-app-signature',
      title: "app_signature of app key 'abc' under app secret 'abc123' (the vendor's own example)",
      appKey: 'abc',
      appSecret: 'abc123',
      appSignature: 'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ==',
    },
  ],
  kingdeeRequests: [
    {
      id: 'kingdee-auth-token',
      title: "GET kingdee_auth_token with app_key and app_signature (the vendor's own example)",
      clientSecret: KINGDEE_EXAMPLE_SECRET,
      method: 'GET',
      path: '/jdyconnector/app_management/kingdee_auth_token',
      query: [
        ['app_key', 'bVZgAZOv1'],
        ['app_signature', KINGDEE_TOKEN_APP_SIGNATURE],
      ],
      nonce: KINGDEE_TOKEN_NONCE,
      timestamp: KINGDEE_TOKEN_TIMESTAMP,
      signature: 'OTFiZTliNDFiMjNkYTI3YzVhNzg4MDI4ZGU3MWY1ZTA5ZTk1NjVlNGM1YTI1ZjIxY2Y5YTA3ZGY2OGI1MGQ1MQ==',
      stringToSign:
        'GET\n%2Fjdyconnector%2Fapp_management%2Fkingdee_auth_token\n' +
        'app_key=bVZgAZOv1&app_signature=MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA%253D%253D\n' +
        'x-api-nonce:4427456950\nx-api-timestamp:1670305063559\n',
    },
    {
      id: 'kingdee-refund-save',
      title: 'POST refundSave without a query',
      clientSecret: KINGDEE_EXAMPLE_SECRET,
      method: 'POST',
      path: '/jdy/v2/ls/refundSave',
      query: [],
      nonce: '1234567890',
      timestamp: '1700000000000',
      signature: 'ZjBmMjdmN2JkM2NiNDk1Mjc5NTQ3ZjY3MDU4OTBkOTgyZWIwYTUyZTkxZDM4MWVmMmZkNmZhMDEzNGQxOTAyMA==',
    },
    {
      id: 'kingdee-customer-page',
      title: 'GET customer with page and page_size',
      clientSecret: KINGDEE_EXAMPLE_SECRET,
      method: 'GET',
      path: '/jdy/v2/bd/customer',
      query: [
        ['page', '1'],
        ['page_size', '100'],
      ],
      nonce: KINGDEE_TOKEN_NONCE,
      timestamp: KINGDEE_TOKEN_TIMESTAMP,
      signature: 'YTZkNmQ4ZmI3NTAzY2FiM2NhYjQ1YmNjMDVhZmQwYzQ3YzBhNzEwMTBiODhkYmFhZTU5NjJiNmExOWQ4ZGE2NA==',
    },
    {
      id: 'kingdee-push-authorize',
      title: 'POST push_app_authorize with outerInstanceId',
      clientSecret: KINGDEE_EXAMPLE_SECRET,
      method: 'POST',
      path: '/jdyconnector/app_management/push_app_authorize',
      query: [['outerInstanceId', '509132114453729280']],
      nonce: KINGDEE_TOKEN_NONCE,
      timestamp: KINGDEE_TOKEN_TIMESTAMP,
      signature: 'YjJlZjM5N2M2ZmE3MmJkMzBkNGFhYzE2N2QwMjQxMWUyMGZjY2FhZmNmYWU2NmE1ZDQ4NjI3ZGFmZTI4ZWRmOA==',
    },
    {
      id: 'kingdee-hostile-query',
      title: 'GET customer with punctuation, Chinese text, and a-b sorted before a',
      clientSecret: KINGDEE_EXAMPLE_SECRET,
      method: 'GET',
      path: '/jdy/v2/bd/customer',
      query: KINGDEE_HOSTILE_QUERY,
      nonce: '0012345678',
      timestamp: '1700000000000',
      signature: 'Zjc5ZDBkZDdjMzVmM2Y3NTJiZTY4NGM3MzNmNTU2YjQ4OGJlNTA4MmNhZDc5ODVlMDI5ZjkxYWU1YWYyZTVlYQ==',
      canonicalQuery:
        'a-b=x&a=y&page=1&page_size=100&search=a%2Bb%2Ac%257Ed%252F%25E4%25B8%25AD%25E6%2596%2587%252B%253D%2526',
    },
  ],
  wangdianSigns: [
    {
      id: 'wangdian-weighing',
      title: "wms.stockout.Sales.weighingExt (the vendor's own example)",
      appSecret: '693f9fed686bfe13441385da98b436b6:dd488d0802b1e431e4c72cd355847853',
      params: {
        sid: 'wdterp30',
        key: 'czhc',
        method: 'wms.stockout.Sales.weighingExt',
        timestamp: '232623153',
        v: '1.0',
      },
      body: '["xc109393939393939","",1.2,0,false]',
      sign: '20f557aaf9190797c581bbceeb6d5a5c',
    },
    {
      id: 'wangdian-raw-refund-upload',
      title: 'aftersales.refund.RawRefund.upload with the request example of the upload page',
      appSecret: 'testsecret:testsalt',
      params: { ...WANGDIAN_UPLOAD_PARAMS },
      body: WANGDIAN_UPLOAD_BODY,
      sign: '4f94282fa2189bbe76c5a6e134cbec2b',
      url: 'http://wdt.wangdian.cn/openapi?key=appkey&method=aftersales.refund.RawRefund.upload&salt=testsalt&sid=wdtapi3&timestamp=448900499&v=1.0&sign=4f94282fa2189bbe76c5a6e134cbec2b',
    },
    {
      id: 'wangdian-refund-search-page',
      title: 'aftersales.refund.Refund.search with paging parameters',
      appSecret: 'testsecret:testsalt',
      params: {
        ...WANGDIAN_UPLOAD_PARAMS,
        method: 'aftersales.refund.Refund.search',
        page_size: '100',
        page_no: '0',
        calc_total: '1',
      },
      body: '[{"modified_from":"2020-01-01 00:00:00","modified_to":"2020-01-20 00:00:00"}]',
      sign: '85a5f2cce648d6a54e41c7a31769aa78',
    },
    {
      id: 'wangdian-chinese-buyer-nick',
      title: 'aftersales.refund.RawRefund.upload with a Chinese buyer_nick',
      appSecret: 'testsecret:testsalt',
      params: { ...WANGDIAN_UPLOAD_PARAMS },
      body: '["LCJ",[{"refund_no":"lztest","buyer_nick":"可用库存"}]]',
      sign: '485b38d039b331265bc97e21f04b9829',
    },
  ],
};
