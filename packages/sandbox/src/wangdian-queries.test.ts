import { afterEach, describe, expect, it } from 'vitest';
import { json, shanghai, wangdianCall, wangdianFetch, wangdianRow } from './test-requests.js';
import { startWangdianSandbox, type WangdianSandbox, type WangdianSandboxOptions } from './wangdian-sandbox.js';

const UPLOAD = 'aftersales.refund.RawRefund.upload';
const UPLOAD2 = 'aftersales.refund.RawRefund.upload2';
const RAW_SEARCH = 'aftersales.refund.RawRefund.search';
const RAW_HISTORY = 'aftersales.refund.RawRefund.searchHistory';
const REFUND_SEARCH = 'aftersales.refund.Refund.search';
const REFUND_HISTORY = 'aftersales.refund.Refund.searchHistory';
const STOCKIN = 'wms.stockin.Refund.queryWithDetail';
const STOCKIN_HISTORY = 'wms.stockin.Refund.queryHisWithDetail';
const QUERY_SHOP = 'setting.Shop.queryShop';
const QUERIES = [RAW_SEARCH, RAW_HISTORY, REFUND_SEARCH, REFUND_HISTORY, STOCKIN, STOCKIN_HISTORY, QUERY_SHOP];
const DAY = 86_400_000;
const BASE = Date.UTC(2024, 5, 1, 2, 0, 0);
const PAGE = { pageSize: 10, pageNo: 0, calcTotal: true };

/** A window each method takes (start_time/end_time, or Refund.search's modified pair). */
function windowOf(method: string, from: number, to: number): Record<string, string> {
  if (method === QUERY_SHOP) return {};
  return method === REFUND_SEARCH
    ? { modified_from: shanghai(from), modified_to: shanghai(to) }
    : { start_time: shanghai(from), end_time: shanghai(to) };
}

const row = wangdianRow;

let wd: WangdianSandbox | undefined;
afterEach(async () => {
  await wd?.close();
  wd = undefined;
});

async function start(options: WangdianSandboxOptions = {}) {
  wd = await startWangdianSandbox({ now: () => BASE, ...options });
  return wd;
}

async function call(sandbox: WangdianSandbox, method: string, params: unknown, paging: typeof PAGE | null = PAGE) {
  return (await wangdianCall(sandbox, method, [params], paging ?? undefined)).body;
}

describe('Wangdian queries: paging', () => {
  it('every query method requires page_size and page_no (status 100 此方法仅支持分页查询)', async () => {
    const sandbox = await start();
    for (const method of QUERIES) {
      const params = windowOf(method, BASE - DAY, BASE);
      expect(await call(sandbox, method, params, null), method).toEqual({
        status: 100,
        message: '此方法仅支持分页查询',
      });
      expect((await call(sandbox, method, params)).status, method).toBe(0);
    }
  });

  it('takes page_size up to each method’s limit (200 for the refund searches, 100 elsewhere), capped by maxPageSize', async () => {
    const sandbox = await start();
    const limits: Record<string, number> = {
      [RAW_SEARCH]: 200,
      [RAW_HISTORY]: 200,
      [REFUND_SEARCH]: 200,
      [REFUND_HISTORY]: 200,
      [STOCKIN]: 100,
      [STOCKIN_HISTORY]: 100,
      [QUERY_SHOP]: 100,
    };
    for (const method of QUERIES) {
      const params = windowOf(method, BASE - DAY, BASE);
      const limit = limits[method] ?? 0;
      expect((await call(sandbox, method, params, { pageSize: limit, pageNo: 0, calcTotal: true })).status).toBe(0);
      const over = await call(sandbox, method, params, { pageSize: limit + 1, pageNo: 0, calcTotal: true });
      expect(over, method).toEqual({ status: 1, message: `参数错误: page_size must be an integer from 1 to ${limit}` });
    }
    await sandbox.close();
    const capped = await start({ maxPageSize: 20 });
    expect(
      (
        await call(capped, RAW_SEARCH, windowOf(RAW_SEARCH, BASE - DAY, BASE), {
          pageSize: 21,
          pageNo: 0,
          calcTotal: false,
        })
      ).status,
    ).toBe(1);
  });
});

describe('Wangdian queries: time windows', () => {
  it('allows a span of exactly 30 days and refuses one second more, for every windowed method', async () => {
    const sandbox = await start();
    for (const method of QUERIES.filter((m) => m !== QUERY_SHOP)) {
      expect((await call(sandbox, method, windowOf(method, BASE - 30 * DAY, BASE))).status, method).toBe(0);
      expect(await call(sandbox, method, windowOf(method, BASE - 30 * DAY - 1000, BASE)), method).toEqual({
        status: 100,
        message: '您的查询时间过宽,查询时间不能大于30天',
      });
      expect(await call(sandbox, method, windowOf(method, BASE, BASE - 1000)), method).toEqual({
        status: 100,
        message: '开始时间不能大于结束时间',
      });
    }
  });

  it('requires a window unless the page lets a number stand in for it', async () => {
    const sandbox = await start();
    const missing = { status: 100, message: '参数中必须包含起止时间' };
    const cases: [string, Record<string, unknown>, boolean][] = [
      [RAW_SEARCH, {}, false],
      [RAW_SEARCH, { refund_no: 'R1' }, true],
      [RAW_SEARCH, { platform_id: 127, refund_no: 'R1' }, true],
      [RAW_SEARCH, { platform_id: 127, tid: 'T1' }, true],
      [RAW_SEARCH, { tid: 'T1' }, false],
      [RAW_SEARCH, { logistics_no: 'L1' }, true],
      [RAW_SEARCH, { start_time: shanghai(BASE) }, false],
      [RAW_HISTORY, { refund_no: 'R1' }, false],
      [RAW_HISTORY, { platform_id: 127, refund_no: 'R1' }, true],
      [REFUND_SEARCH, { refund_no: 'TK1' }, false],
      [REFUND_SEARCH, { modified_to: shanghai(BASE) }, false],
      [REFUND_SEARCH, { settle_from: shanghai(BASE - DAY), settle_to: shanghai(BASE) }, true],
      [REFUND_SEARCH, { agree_from: shanghai(BASE - DAY), agree_to: shanghai(BASE) }, true],
      [REFUND_HISTORY, {}, false],
      [REFUND_HISTORY, { refund_no: 'TK1' }, true],
      [STOCKIN, { refund_no: 'TK1' }, false],
      [STOCKIN_HISTORY, {}, false],
      [QUERY_SHOP, {}, true],
    ];
    for (const [method, params, accepted] of cases) {
      const answer = await call(sandbox, method, params);
      if (accepted) expect(answer.status, `${method} ${JSON.stringify(params)}`).toBe(0);
      else expect(answer, `${method} ${JSON.stringify(params)}`).toEqual(missing);
    }
  });

  it('refuses a date-time that is not yyyy-MM-dd HH:mm:ss, or not a real date', async () => {
    const sandbox = await start();
    for (const value of ['2024/06/01 00:00:00', '2024-06-01', '2024-02-30 00:00:00', '2024-06-01 24:00:00']) {
      const answer = await call(sandbox, RAW_SEARCH, { start_time: value, end_time: shanghai(BASE) });
      expect(answer, value).toEqual({ status: 100, message: `Unparseable date: ${value} (params.start_time)` });
    }
  });
});

describe('Wangdian queries: fields', () => {
  it('checks types, lengths in code points and enums, naming the field (status 1); unknown fields are status 2', async () => {
    const sandbox = await start();
    const window = windowOf(RAW_SEARCH, BASE - DAY, BASE);
    const cases: [string, Record<string, unknown>, string][] = [
      [RAW_SEARCH, { refund_no: 1 }, '参数错误: params.refund_no must be a string'],
      [RAW_SEARCH, { refund_no: '退'.repeat(41) }, '参数错误: params.refund_no is longer than 40 characters'],
      [RAW_SEARCH, { time_type: 3 }, '参数错误: params.time_type must be one of 1, 2'],
      [RAW_SEARCH, { platform_id: 1.5 }, '参数错误: params.platform_id must be an integer'],
      [RAW_SEARCH, { filter_detail: 2 }, '参数错误: params.filter_detail must be one of 0, 1'],
      [REFUND_SEARCH, { status: 50 }, '参数错误: params.status must be one of 10, 20, 30, 40, 80, 81, 85, 86, 87, 90'],
      [REFUND_SEARCH, { fuzzy_query: 1 }, '参数错误: params.fuzzy_query must be true or false'],
      [REFUND_SEARCH, { type: 5 }, '参数错误: params.type must be one of 1, 2, 3, 4, 6'],
      [STOCKIN, { stockin_no: 'x'.repeat(21) }, '参数错误: params.stockin_no is longer than 20 characters'],
      [STOCKIN, { status: '30,99' }, '参数错误: params.status must list values from 10, 20, 30, 80'],
      [REFUND_HISTORY, { status: '10,90' }, '参数错误: params.status is longer than 4 characters'],
      [QUERY_SHOP, { shop_no: 'x'.repeat(21) }, '参数错误: params.shop_no is longer than 20 characters'],
    ];
    for (const [method, params, message] of cases) {
      const answer = await call(sandbox, method, { ...windowOf(method, BASE - DAY, BASE), ...params });
      expect(answer, message).toEqual({ status: 1, message });
    }
    expect(await call(sandbox, RAW_SEARCH, { ...window, refund_no: '退'.repeat(40) })).toMatchObject({ status: 0 });
    expect(await call(sandbox, RAW_SEARCH, { ...window, platform_id: '127', refund_no: null })).toMatchObject({
      status: 0,
    });
    expect(await call(sandbox, STOCKIN, { ...windowOf(STOCKIN, BASE - DAY, BASE), status: 'a,b' })).toEqual({
      status: 100,
      message: '状态应该是由逗号分隔开的整数数组',
    });
    expect(await call(sandbox, RAW_SEARCH, { ...window, shop_nos: 'LCJ' })).toEqual({ status: 2, message: 'shop_nos' });
    expect(await call(sandbox, RAW_SEARCH, { ...window, modified_from: 'x' })).toEqual({
      status: 2,
      message: 'modified_from',
    });
    expect((await wangdianCall(sandbox, RAW_SEARCH, [window, {}], PAGE)).body.status).toBe(1);
    expect((await wangdianCall(sandbox, RAW_SEARCH, [[window]], PAGE)).body.status).toBe(1);
  });

  it('filters by the documented fields', async () => {
    const sandbox = await start({ erp: { stepMs: 60_000 } });
    await wangdianCall(sandbox, UPLOAD, [
      'LCJ',
      [row('R1', { logistics_no: 'SF1', refund_time: '2024-05-01 10:00:00' }), row('R2', { type: 4 })],
    ]);
    sandbox.erp.step(2);
    const window = windowOf(RAW_SEARCH, BASE - DAY, BASE + DAY);
    const raw = async (params: Record<string, unknown>) =>
      (
        (await call(sandbox, RAW_SEARCH, { ...window, ...params })).data as { order: { refund_no: string }[] }
      ).order.map((r) => r.refund_no);
    expect(await raw({})).toEqual(['R1', 'R2']);
    expect(await raw({ refund_no: 'R2' })).toEqual(['R2']);
    expect(await raw({ tid: 'T-R1', oid: 'O-R1' })).toEqual(['R1']);
    expect(await raw({ logistics_no: 'SF1' })).toEqual(['R1']);
    expect(await raw({ shop_no: 'LCJ', platform_id: 127 })).toEqual(['R1', 'R2']);
    expect(await raw({ platform_id: 1 })).toEqual([]);
    expect(await raw({ time_type: 2, start_time: '2024-04-20 00:00:00', end_time: '2024-05-10 00:00:00' })).toEqual([
      'R1',
    ]);
    const refundWindow = windowOf(REFUND_SEARCH, BASE - DAY, BASE + DAY);
    const refunds = async (params: Record<string, unknown>) =>
      (
        (await call(sandbox, REFUND_SEARCH, { ...refundWindow, ...params })).data as {
          order: { raw_refund_nos: string }[];
        }
      ).order.map((r) => r.raw_refund_nos);
    expect(await refunds({})).toEqual(['R1', 'R2']);
    expect(await refunds({ type: 4 })).toEqual(['R2']);
    expect(await refunds({ stockin_status: 1 })).toEqual(['R1']);
    expect(await refunds({ raw_refund_nos: 'R2,R9' })).toEqual(['R2']);
    expect(await refunds({ status: 30, tid: 'T-R1', shop_nos: 'LCJ' })).toEqual(['R1']);
    expect(await refunds({ return_logistics_no: 'SF1', rr_status: 2 })).toEqual(['R1']);
    expect(await refunds({ order_type: 1 })).toHaveLength(2);
    expect(await refunds({ agree_from: shanghai(BASE - DAY), agree_to: shanghai(BASE) })).toEqual([]);
    const stockins = await call(sandbox, STOCKIN, {
      ...windowOf(STOCKIN, BASE - DAY, BASE + DAY),
      warehouse_no: 'WH001',
      status: '30',
      need_summary: true,
    });
    expect(stockins.data).toMatchObject({
      total_count: 1,
      order: [{ status: 30, type: 2 }],
      summary_data: [{ warehouse_no: 'WH001', shop_data: [{ shop_no: 'LCJ' }] }],
    });
    expect(
      await call(sandbox, STOCKIN, { ...windowOf(STOCKIN, BASE - DAY, BASE + DAY), warehouse_no: 'NOPE' }),
    ).toEqual({
      status: 100,
      message: '仓库不存在',
    });
  });

  it('orders by last modification, so a row changed between two pages moves to the end', async () => {
    let now = BASE;
    const sandbox = await start({ now: () => now });
    for (const no of ['A', 'B', 'C', 'D']) {
      await wangdianCall(sandbox, UPLOAD, ['LCJ', [row(no)]]);
      now += 1000;
    }
    const window = windowOf(RAW_SEARCH, BASE - DAY, BASE + DAY);
    const page = async (pageNo: number) =>
      (
        (await call(sandbox, RAW_SEARCH, window, { pageSize: 2, pageNo, calcTotal: true })).data as {
          order: { refund_no: string }[];
        }
      ).order.map((r) => r.refund_no);
    expect(await page(0)).toEqual(['A', 'B']);
    await wangdianCall(sandbox, UPLOAD, ['LCJ', [row('A', { status: 3 })]]);
    expect(await page(1)).toEqual(['D', 'A']);
  });

  it('stores and answers decimals exactly, whatever their form', async () => {
    const sandbox = await start();
    const body =
      '["LCJ",[{"refund_no":"R1","num":3.25,"tid":"T1","oid":"O1","type":2,"status":2,"refund_version":"1","refund_amount":123456789012345.6789,"actual_refund_amount":"0.1","price":99999999999999.9999,"title":"","buyer_nick":"n","is_aftersale":1,"reason":""}]]';
    expect((await wangdianCall(sandbox, UPLOAD, body)).body.status).toBe(0);
    const { text } = await wangdianCall(sandbox, RAW_SEARCH, [windowOf(RAW_SEARCH, BASE - DAY, BASE)], PAGE);
    expect(text).toContain('"refund_amount":123456789012345.6789');
    expect(text).toContain('"price":99999999999999.9999');
    expect(text).toContain('"actual_refund_amount":0.1000');
    expect(text).toContain('"num":3.2500');
    expect(String(sandbox.getRefund('R1', 'O1')?.row.refund_amount)).toBe('123456789012345.6789');
  });
});

describe('Wangdian queries: shop permission', () => {
  const shops = [
    'LCJ',
    { shop_no: 'LOCKED', permitted: false },
    { shop_no: 'TB', shop_name: '淘宝店', platform_id: 1 },
    { shop_no: 'OFF', disabled: true },
  ];

  it('answers shop filters by permission, and leaves shops without it out', async () => {
    const sandbox = await start({ shops });
    const window = windowOf(RAW_SEARCH, BASE - DAY, BASE);
    expect(await call(sandbox, RAW_SEARCH, { ...window, shop_no: 'LOCKED' })).toEqual({
      status: 100,
      message: '店铺权限不足',
    });
    expect(await call(sandbox, RAW_SEARCH, { ...window, shop_no: 'NONE' })).toEqual({
      status: 100,
      message: '店铺编号不存在或已停用',
    });
    const refundWindow = windowOf(REFUND_SEARCH, BASE - DAY, BASE);
    expect(await call(sandbox, REFUND_SEARCH, { ...refundWindow, shop_nos: 'LOCKED,NONE' })).toEqual({
      status: 100,
      message: '传入店铺编号全部错误',
    });
    expect((await call(sandbox, REFUND_SEARCH, { ...refundWindow, shop_nos: 'LOCKED,LCJ' })).status).toBe(0);
    const listed = await call(sandbox, QUERY_SHOP, {});
    expect(listed.data).toMatchObject({
      total_count: 3,
      details: [
        { shop_no: 'LCJ', shop_name: 'LCJ', platform_id: 127, is_disabled: false, shop_id: 1 },
        { shop_no: 'TB', shop_name: '淘宝店', platform_id: 1 },
        { shop_no: 'OFF', is_disabled: true },
      ],
    });
    expect(((await call(sandbox, QUERY_SHOP, { platform_id: 1 })).data as { details: unknown[] }).details).toHaveLength(
      1,
    );
    expect(await call(sandbox, QUERY_SHOP, { shop_no: 'LOCKED' })).toEqual({ status: 100, message: '店铺权限不足' });
  });

  it('refuses pushes to shops without permission, disabled shops, and upload2 to a shop not on the own platform', async () => {
    const sandbox = await start({ shops });
    expect((await wangdianCall(sandbox, UPLOAD, ['LOCKED', [row('R1')]])).body).toEqual({
      status: 100,
      message: '店铺权限不足',
    });
    expect((await wangdianCall(sandbox, UPLOAD, ['OFF', [row('R1')]])).body).toEqual({
      status: 100,
      message: '店铺编号不存在或已停用',
    });
    expect((await wangdianCall(sandbox, UPLOAD2, ['TB', [row('R1')]])).body).toEqual({
      status: 100,
      message: '店铺平台不是自有平台',
    });
    expect((await wangdianCall(sandbox, UPLOAD, ['TB', [row('R1')]])).body.status).toBe(0);
    expect((await wangdianCall(sandbox, UPLOAD2, ['LOCKED', [row('R2'), row('R3')]])).body).toEqual({
      status: 0,
      data: {
        chg_count: 0,
        new_count: 0,
        error_list: [
          { no: 'R2', error: '店铺权限不足' },
          { no: 'R3', error: '店铺权限不足' },
        ],
      },
    });
    expect(sandbox.refunds.size).toBe(1);
  });
});

describe('Wangdian upload2', () => {
  it('stores accepted rows and lists the refused ones with their reasons in error_list (status 0)', async () => {
    const sandbox = await start();
    await wangdianCall(sandbox, UPLOAD2, ['LCJ', [row('KEEP')]]);
    sandbox.erp.refuseUpload2('R2', '原始单不存在');
    const { body } = await wangdianCall(sandbox, UPLOAD2, [
      'LCJ',
      [
        row('R1', { modify_flag: 1 }),
        row('R2'),
        row('KEEP', { status: 3, modify_flag: 2 }),
        row('R1', { oid: 'O-2', tid: 'OTHER' }),
        row('R1', { tid: 'OTHER' }),
      ],
    ]);
    expect(body).toEqual({
      status: 0,
      data: {
        chg_count: 1,
        new_count: 2,
        error_list: [
          { no: 'R2', error: '原始单不存在' },
          { no: 'R1', error: '退换单已存在' },
        ],
      },
    });
    expect(sandbox.getRefund('R2', 'O-R2')).toBeUndefined();
    expect(sandbox.getRefund('KEEP', 'O-KEEP')).toMatchObject({ push: 'upload2', row: { status: 3, modify_flag: 2 } });
    expect(sandbox.counters).toMatchObject({ refusedRows: 2, uploads: 2 });
    const [found] = (
      (await call(sandbox, RAW_SEARCH, { refund_no: 'KEEP' })).data as { order: Record<string, unknown>[] }
    ).order;
    expect(found?.modify_flag).toBe(2);
    sandbox.erp.refuseUpload2('R2', undefined);
    expect((await wangdianCall(sandbox, UPLOAD2, ['LCJ', [row('R2')]])).body).toEqual({
      status: 0,
      data: { chg_count: 0, new_count: 1, error_list: [] },
    });
  });

  it('checks rows like upload, plus modify_flag (a mask of 1, 2 and 4)', async () => {
    const sandbox = await start();
    for (const flag of [0, 7]) {
      expect(
        (await wangdianCall(sandbox, UPLOAD2, ['LCJ', [row(`F${flag}`, { modify_flag: flag })]])).body.status,
      ).toBe(0);
    }
    for (const [flag, message] of [
      [8, 'order_list[0].modify_flag must be one of 0, 1, 2, 3, 4, 5, 6, 7'],
      ['1', 'order_list[0].modify_flag must be an integer'],
    ] as const) {
      const { body } = await wangdianCall(sandbox, UPLOAD2, ['LCJ', [row('X', { modify_flag: flag })]]);
      expect(body.status).toBe(1);
      expect(body.message).toContain(message);
    }
    expect(
      (await wangdianCall(sandbox, UPLOAD2, ['LCJ', [row('Y', { refund_no: undefined })]])).body.message,
    ).toContain('order_list[0].refund_no is required');
  });
});

describe('Wangdian gateway: every method', () => {
  it('verifies sign and timestamp before anything else, for every served method', async () => {
    const sandbox = await start();
    for (const method of [UPLOAD, UPLOAD2, ...QUERIES]) {
      const bad = await wangdianFetch(
        sandbox.url,
        sandbox.credentials,
        { method, body: '[{}]', query: { sign: '0'.repeat(32) } },
        BASE,
      );
      expect(await json(bad), method).toEqual({ status: 1, message: '验证失败' });
      const stale = await wangdianFetch(sandbox.url, sandbox.credentials, { method, body: '[{}]' }, BASE - 121_000);
      expect(await json(stale), method).toEqual({ status: 7, message: '时间戳错误' });
    }
    expect(sandbox.log.every((entry) => entry.outcome === 'rejected')).toBe(true);
  });

  it('answers 权限不足 (status 100) for a method it does not serve', async () => {
    const sandbox = await start();
    for (const method of ['sales.TradeQuery.queryWithDetail', 'no.such.method']) {
      expect((await wangdianCall(sandbox, method, [{}], PAGE)).body).toEqual({ status: 100, message: '权限不足' });
    }
  });

  it('limits calls per method per minute of sandbox time, answering like the gateway (either comma)', async () => {
    let now = BASE;
    const sandbox = await start({ now: () => now, rateLimitPerMinute: 2 });
    const window = windowOf(RAW_SEARCH, BASE - DAY, BASE);
    expect((await call(sandbox, RAW_SEARCH, window)).status).toBe(0);
    expect((await call(sandbox, RAW_SEARCH, window)).status).toBe(0);
    expect(await call(sandbox, RAW_SEARCH, window)).toEqual({
      status: 100,
      message: '超过每分钟最大调用频率限制，请稍后重试',
    });
    expect((await call(sandbox, QUERY_SHOP, {})).status).toBe(0);
    now += 60_000;
    expect((await call(sandbox, RAW_SEARCH, window)).status).toBe(0);
    sandbox.setRateLimit(1, '超过每分钟最大调用频率限制,请稍后重试');
    expect(await call(sandbox, RAW_SEARCH, window)).toEqual({
      status: 100,
      message: '超过每分钟最大调用频率限制,请稍后重试',
    });
    expect(sandbox.counters.rateLimited).toBe(2);
    sandbox.setRateLimit(undefined);
    expect((await call(sandbox, RAW_SEARCH, window)).status).toBe(0);
    expect(() => sandbox.setRateLimit(0)).toThrow(RangeError);
  });
});
