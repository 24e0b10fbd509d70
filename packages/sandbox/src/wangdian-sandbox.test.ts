import { afterEach, describe, expect, it } from 'vitest';
import { json, type WangdianCall, wangdianFetch } from './test-requests.js';
import {
  startWangdianSandbox,
  type WangdianSandbox,
  type WangdianSandboxOptions,
  wangdianRefundKey,
} from './wangdian-sandbox.js';

const UPLOAD = 'aftersales.refund.RawRefund.upload';
const SEARCH = 'aftersales.refund.Refund.search';
const RAW_SEARCH = 'aftersales.refund.RawRefund.search';
/** The compact JSON of the upload doc's request example. */
const DOC_BODY =
  '["LCJ",[{"refund_no":"lztest","num":1,"tid":"TID6NAFAmwYMM","oid":"deb718e2afe5","type":1,"status":2,"refund_version":"1","refund_amount":1,"actual_refund_amount":1,"title":"test","logistics_name":"","logistics_no":"","buyer_nick":"123444","refund_time":"2020-05-22 09:07:18","is_aftersale":0,"reason":""}]]';
/** Epoch ms at which the published examples' timestamp 448900499 is current. */
const DOC_NOW = (448900499 + 1325347200) * 1000;

const ROW = {
  refund_no: 'R1',
  num: 1,
  tid: 'T1',
  oid: 'O1',
  type: 2,
  status: 5,
  refund_version: '1',
  refund_amount: '10.50',
  actual_refund_amount: 10.5,
  title: '',
  buyer_nick: '买家',
  is_aftersale: 1,
  reason: '',
};

let wd: WangdianSandbox | undefined;
afterEach(async () => {
  await wd?.close();
  wd = undefined;
});

async function start(options: WangdianSandboxOptions = {}) {
  wd = await startWangdianSandbox(options);
  return wd;
}

function send(sandbox: WangdianSandbox, c: WangdianCall) {
  return wangdianFetch(sandbox.url, sandbox.credentials, c, sandbox.now());
}

async function upload(sandbox: WangdianSandbox, rows: unknown[], shop = 'LCJ') {
  return json(await send(sandbox, { method: UPLOAD, body: JSON.stringify([shop, rows]) }));
}

describe('startWangdianSandbox: server', () => {
  it('listens on 127.0.0.1 with the docs’ example credentials and shop by default', async () => {
    const sandbox = await start();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.credentials).toEqual({ sid: 'wdtapi3', appKey: 'appkey', appSecret: 'testsecret:testsalt' });
    expect(sandbox.shops).toEqual(['LCJ']);
  });

  it('refuses bad options', async () => {
    await expect(startWangdianSandbox({ maxBatch: 0 })).rejects.toThrow(RangeError);
    await expect(startWangdianSandbox({ maxPageSize: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('startWangdianSandbox: worked examples', () => {
  it('accepts the upload doc example with its published URL, body and sign', async () => {
    const sandbox = await start({ now: () => DOC_NOW });
    const res = await fetch(
      `${sandbox.url}/openapi?key=appkey&method=aftersales.refund.RawRefund.upload&salt=testsalt&sid=wdtapi3&timestamp=448900499&v=1.0&sign=4f94282fa2189bbe76c5a6e134cbec2b`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: DOC_BODY },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 0, data: { chg_count: 0, new_count: 1 } });
    expect(sandbox.getRefund('lztest', 'deb718e2afe5')).toMatchObject({
      shop_no: 'LCJ',
      row: JSON.parse(DOC_BODY)[1][0],
      uploads: 1,
      createdAt: DOC_NOW,
    });
    expect(sandbox.refunds.has(wangdianRefundKey('lztest', 'deb718e2afe5'))).toBe(true);
    expect(sandbox.log[0]).toMatchObject({ route: UPLOAD, signatureValid: true, code: '0', outcome: 'accepted' });
  });

  it('accepts a paged Refund.search signed with its paging parameters', async () => {
    const sandbox = await start({ now: () => DOC_NOW });
    await fetch(
      `${sandbox.url}/openapi?key=appkey&method=aftersales.refund.RawRefund.upload&salt=testsalt&sid=wdtapi3&timestamp=448900499&v=1.0&sign=4f94282fa2189bbe76c5a6e134cbec2b`,
      { method: 'POST', body: DOC_BODY },
    );
    const res = await fetch(
      `${sandbox.url}/openapi?sid=wdtapi3&key=appkey&salt=testsalt&method=${SEARCH}&timestamp=448900499&v=1.0&page_size=100&page_no=0&calc_total=1&sign=85a5f2cce648d6a54e41c7a31769aa78`,
      { method: 'POST', body: '[{"modified_from":"2020-01-01 00:00:00","modified_to":"2020-01-20 00:00:00"}]' },
    );
    // The sign verifies; the row was modified in 2026, outside the doc's date range.
    expect(await res.json()).toEqual({ status: 0, data: { order: [], total_count: 0 } });
    expect(sandbox.log[1]?.signatureValid).toBe(true);
  });

  it('verifies the sign of an incomplete row, then rejects the row (status 1, field names only)', async () => {
    const sandbox = await start({ now: () => DOC_NOW });
    const res = await fetch(
      `${sandbox.url}/openapi?sid=wdtapi3&key=appkey&salt=testsalt&method=${UPLOAD}&timestamp=448900499&v=1.0&sign=485b38d039b331265bc97e21f04b9829`,
      { method: 'POST', body: '["LCJ",[{"refund_no":"lztest","buyer_nick":"可用库存"}]]' },
    );
    const body = await json(res);
    expect(body.status).toBe(1);
    expect(body.message).toContain('order_list[0].tid is required');
    expect(body.message).not.toContain('可用库存');
    expect(sandbox.log[0]?.signatureValid).toBe(true);
    expect(sandbox.refunds.size).toBe(0);
  });

  it('verifies the official example’s sign, then refuses the method it does not serve (status 100 权限不足)', async () => {
    const sandbox = await start({
      now: () => (232623153 + 1325347200) * 1000,
      credentials: {
        sid: 'wdterp30',
        appKey: 'czhc',
        appSecret: '693f9fed686bfe13441385da98b436b6:dd488d0802b1e431e4c72cd355847853',
      },
    });
    const res = await fetch(
      `${sandbox.url}/openapi?sid=wdterp30&key=czhc&salt=dd488d0802b1e431e4c72cd355847853&method=wms.stockout.Sales.weighingExt&timestamp=232623153&v=1.0&sign=20f557aaf9190797c581bbceeb6d5a5c`,
      { method: 'POST', body: '["xc109393939393939","",1.2,0,false]' },
    );
    expect(await json(res)).toEqual({ status: 100, message: '权限不足' });
    expect(sandbox.log[0]?.signatureValid).toBe(true);
  });
});

describe('startWangdianSandbox: authentication and request checks', () => {
  const body = JSON.stringify(['LCJ', [ROW]]);

  it('answers an unknown sid with status 1 "sid is not exists"', async () => {
    const sandbox = await start();
    const res = await json(await send(sandbox, { method: UPLOAD, body, query: { sid: 'other' }, signOverrides: true }));
    expect(res).toEqual({ status: 1, message: 'sid is not exists' });
  });

  it('answers a wrong key, salt, secret or sign with status 1 验证失败 and logs the signature invalid', async () => {
    const sandbox = await start();
    const cases: WangdianCall[] = [
      { method: UPLOAD, body, query: { key: 'other' }, signOverrides: true },
      { method: UPLOAD, body, query: { salt: 'other' }, signOverrides: true },
      { method: UPLOAD, body, secret: 'wrongsecret' },
      { method: UPLOAD, body, query: { sign: '0'.repeat(32) } },
      { method: UPLOAD, body, query: { sign: undefined } },
    ];
    for (const c of cases) {
      const res = await json(await send(sandbox, c));
      expect(res.status).toBe(1);
    }
    expect(sandbox.log.slice(0, 4).map((e) => [e.signatureValid, e.code])).toEqual([
      [false, '1'],
      [false, '1'],
      [false, '1'],
      [false, '1'],
    ]);
    expect(sandbox.refunds.size).toBe(0);
  });

  it('signs over the exact body bytes: a re-serialised body fails, escaped non-ASCII signed as sent passes', async () => {
    const sandbox = await start();
    const compact = JSON.stringify(['LCJ', [ROW]]);
    const pretty = JSON.stringify(['LCJ', [ROW]], null, 2);
    // Sign the compact text, send the pretty one.
    const { wangdianSign } = await import('@refundkit/signing');
    const params = {
      sid: 'wdtapi3',
      key: 'appkey',
      salt: 'testsalt',
      method: UPLOAD,
      timestamp: String(Math.floor(sandbox.now() / 1000) - 1325347200),
      v: '1.0',
    };
    const sign = wangdianSign({ secret: 'testsecret', params, body: compact });
    const mismatch = await fetch(`${sandbox.url}/openapi?${new URLSearchParams({ ...params, sign })}`, {
      method: 'POST',
      body: pretty,
    });
    expect(await mismatch.json()).toEqual({ status: 1, message: '验证失败' });
    const escaped = compact.replace('买家', '\\u4e70\\u5bb6');
    const ok = await json(await send(sandbox, { method: UPLOAD, body: escaped }));
    expect(ok).toEqual({ status: 0, data: { chg_count: 0, new_count: 1 } });
    expect(sandbox.getRefund('R1', 'O1')?.row.buyer_nick).toBe('买家');
  });

  it('rejects timestamps outside 120 s (status 7), milliseconds included, and accepts just inside', async () => {
    const now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now });
    const ts = Math.floor(now / 1000) - 1325347200;
    for (const timestamp of [ts - 121, ts + 121, now, Math.floor(now / 1000)]) {
      expect(await json(await send(sandbox, { method: UPLOAD, body, timestamp }))).toEqual({
        status: 7,
        message: '时间戳错误',
      });
    }
    for (const [i, timestamp] of [ts - 120, ts + 120].entries()) {
      const rows = [{ ...ROW, refund_no: `R${i + 10}` }];
      expect(
        (await json(await send(sandbox, { method: UPLOAD, body: JSON.stringify(['LCJ', rows]), timestamp }))).status,
      ).toBe(0);
    }
  });

  it('rejects a missing parameter (1), an unknown parameter (2) and another version (8)', async () => {
    const sandbox = await start();
    expect(
      (await json(await send(sandbox, { method: UPLOAD, body, query: { v: undefined }, signOverrides: true }))).status,
    ).toBe(1);
    expect(
      (await json(await send(sandbox, { method: UPLOAD, body, query: { extra: '1' }, signOverrides: true }))).status,
    ).toBe(2);
    expect(
      (await json(await send(sandbox, { method: UPLOAD, body, query: { v: '2.0' }, signOverrides: true }))).status,
    ).toBe(8);
    const good = new URL((await send(sandbox, { method: UPLOAD, body: '[]' })).url);
    good.searchParams.append('sid', 'wdtapi3');
    const twice = await fetch(good, { method: 'POST', body: '[]' });
    expect(await twice.json()).toEqual({ status: 1, message: '参数错误: sid given more than once' });
  });

  it('rejects an unknown method, a non-array body, a form body and another path or HTTP method', async () => {
    const sandbox = await start();
    const unknown = await json(await send(sandbox, { method: 'trade.Nothing.push', body: '[]' }));
    expect(unknown).toEqual({ status: 100, message: '权限不足' });
    expect((await json(await send(sandbox, { method: UPLOAD, body: '{"shop_no":"LCJ"}' }))).status).toBe(1);
    expect((await json(await send(sandbox, { method: UPLOAD, body: 'not json' }))).status).toBe(1);
    const form = await json(
      await send(sandbox, { method: UPLOAD, body, contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(form.status).toBe(1);
    const other = await fetch(`${sandbox.url}/openapi2/trade_push.php`, { method: 'POST', body: '[]' });
    expect(other.status).toBe(404);
    expect((await json(await fetch(`${sandbox.url}/openapi`))).status).toBe(1);
    expect(sandbox.refunds.size).toBe(0);
  });
});

describe('startWangdianSandbox: RawRefund.upload', () => {
  it('checks the argument count and types (status 1)', async () => {
    const sandbox = await start();
    for (const args of [['LCJ'], ['LCJ', [ROW], 1], [1, [ROW]], ['LCJ', ROW], ['LCJ', []]]) {
      const res = await json(await send(sandbox, { method: UPLOAD, body: JSON.stringify(args) }));
      expect(res.status).toBe(1);
    }
  });

  it('rejects a batch over maxBatch (status 1) and accepts one at it', async () => {
    const sandbox = await start({ maxBatch: 2 });
    const rows = [1, 2, 3].map((i) => ({ ...ROW, oid: `O${i}` }));
    const over = await upload(sandbox, rows);
    expect(over.status).toBe(1);
    expect(over.message).toContain('at most 2');
    expect((await upload(sandbox, rows.slice(0, 2))).data).toEqual({ chg_count: 0, new_count: 2 });
  });

  it('answers an unknown shop with status 100 店铺编号不存在或已停用; `shops` adds shops', async () => {
    const sandbox = await start({ shops: ['LCJ', 'S2'] });
    expect(await upload(sandbox, [ROW], 'NOPE')).toEqual({ status: 100, message: '店铺编号不存在或已停用' });
    expect((await upload(sandbox, [ROW], 'S2')).status).toBe(0);
  });

  it('checks every row against the vendor table (status 1, naming row and field) and stores nothing', async () => {
    const sandbox = await start();
    const long = (n: number) => 'x'.repeat(n);
    const cases: [Record<string, unknown>, string][] = [
      ...[
        'refund_no',
        'num',
        'tid',
        'oid',
        'type',
        'status',
        'refund_version',
        'refund_amount',
        'actual_refund_amount',
        'title',
        'buyer_nick',
        'is_aftersale',
        'reason',
      ].map((field): [Record<string, unknown>, string] => [{ [field]: undefined }, `${field} is required`]),
      [{ refund_no: null }, 'refund_no is required'],
      [{ refund_no: long(41) }, 'refund_no is longer than 40'],
      [{ tid: long(41) }, 'tid is longer than 40'],
      [{ oid: '' }, 'oid must not be empty'],
      [{ buyer_nick: '' }, 'buyer_nick must not be empty'],
      [{ refund_version: '' }, 'refund_version must not be empty'],
      [{ buyer_nick: '买'.repeat(101) }, 'buyer_nick is longer than 100'],
      [{ pay_account: long(129) }, 'pay_account is longer than 128'],
      [{ pay_no: long(61) }, 'pay_no is longer than 60'],
      [{ title: long(256) }, 'title is longer than 255'],
      [{ reason: long(256) }, 'reason is longer than 255'],
      [{ remark: long(256) }, 'remark is longer than 255'],
      [{ logistics_no: long(41) }, 'logistics_no is longer than 40'],
      [{ type: 5 }, 'type must be one of 0, 1, 2, 3, 4'],
      [{ type: -1 }, 'type must be one of'],
      [{ type: '1' }, 'type must be an integer'],
      [{ status: 0 }, 'status must be one of 1, 2, 3, 4, 5'],
      [{ status: 6 }, 'status must be one of'],
      [{ is_aftersale: 2 }, 'is_aftersale must be one of 0, 1'],
      [{ is_aftersale: true }, 'is_aftersale must be an integer'],
      [{ num: 1.00001 }, 'num must be a Decimal(19,4)'],
      [{ refund_amount: '1.23456' }, 'refund_amount must be a Decimal(19,4)'],
      [{ refund_amount: '1e3' }, 'refund_amount must be a Decimal(19,4)'],
      [{ actual_refund_amount: -1 }, 'actual_refund_amount must not be negative'],
      [{ price: '1234567890123456' }, 'price must be a Decimal(19,4)'],
      [{ total_amount: true }, 'total_amount must be a number or a decimal string'],
      [{ refund_version: 1 }, 'refund_version must be a string'],
      [{ refund_time: '2020/05/22' }, "refund_time must be 'YYYY-MM-DD HH:mm:ss'"],
      [{ current_phase_timeout: '2024-02-30 10:00:00' }, "current_phase_timeout must be 'YYYY-MM-DD HH:mm:ss'"],
    ];
    for (const [change, message] of cases) {
      const res = await upload(sandbox, [ROW, { ...ROW, oid: 'O2', ...change }]);
      expect(res.status, message).toBe(1);
      expect(res.message, message).toContain(`order_list[1].${message}`);
    }
    expect(sandbox.refunds.size).toBe(0);
    expect((await upload(sandbox, ['not a row'])).message).toContain('order_list[0] must be an object');
  });

  it('answers a field the table does not list with status 2 and its name, storing nothing', async () => {
    const sandbox = await start();
    expect(await upload(sandbox, [ROW, { ...ROW, oid: 'O2', custom_field: 1 }])).toEqual({
      status: 2,
      message: 'custom_field',
    });
    expect(await upload(sandbox, [{ ...ROW, modify_flag: 1 }])).toEqual({ status: 2, message: 'modify_flag' });
    expect(sandbox.refunds.size).toBe(0);
  });

  it('accepts the table’s limits, decimals as strings and optional nulls', async () => {
    const sandbox = await start();
    const row = {
      ...ROW,
      refund_no: 'x'.repeat(40),
      buyer_nick: '买'.repeat(100),
      pay_account: 'p'.repeat(128),
      pay_no: 'n'.repeat(60),
      title: 't'.repeat(255),
      num: '999999999999999.9999',
      price: '0.0001',
      total_amount: 0,
      type: 0,
      status: 1,
      is_aftersale: 0,
      logistics_name: null,
      refund_time: '',
      current_phase_timeout: '2024-02-29 23:59:59',
    };
    expect(await upload(sandbox, [row])).toEqual({ status: 0, data: { chg_count: 0, new_count: 1 } });
  });

  it('counts first uploads in new_count, changed re-uploads in chg_count, identical ones in neither', async () => {
    let now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now });
    const a = { ...ROW, oid: 'A' };
    const b = { ...ROW, oid: 'B' };
    expect((await upload(sandbox, [a, b])).data).toEqual({ chg_count: 0, new_count: 2 });
    now += 1000;
    // Same values, other spelling: decimals by value, keys in another order.
    const aSame = { ...a, refund_amount: 10.5, num: '1.0000', actual_refund_amount: '10.5' };
    const reordered = Object.fromEntries(Object.entries(b).reverse());
    expect((await upload(sandbox, [aSame, reordered])).data).toEqual({ chg_count: 0, new_count: 0 });
    expect(sandbox.getRefund('R1', 'A')?.modifiedAt).toBe(1_700_000_000_000);
    now += 1000;
    const aChanged = { ...a, status: 3 };
    const c = { ...ROW, oid: 'C' };
    expect((await upload(sandbox, [aChanged, b, c])).data).toEqual({ chg_count: 1, new_count: 1 });
    expect(sandbox.getRefund('R1', 'A')).toMatchObject({ row: { status: 3 }, uploads: 3, modifiedAt: now });
    // The same row twice in one batch: new, then identical.
    expect(
      (
        await upload(sandbox, [
          { ...ROW, oid: 'D' },
          { ...ROW, oid: 'D' },
        ])
      ).data,
    ).toEqual({ chg_count: 0, new_count: 1 });
    expect(sandbox.counters).toMatchObject({ uploads: 4, rows: 9, newRows: 4, changedRows: 1, unchangedRows: 4 });
  });

  it('answers 退换单已存在 (status 100) when a stored refund_no + oid arrives under another tid', async () => {
    const sandbox = await start();
    await upload(sandbox, [ROW]);
    expect(
      await upload(sandbox, [
        { ...ROW, oid: 'O9' },
        { ...ROW, tid: 'OTHER' },
      ]),
    ).toEqual({
      status: 100,
      message: '退换单已存在',
    });
    expect(sandbox.refunds.size).toBe(1);
  });

  it('answers 退换单已存在 for one refund_no + oid under two tids in the same upload, storing nothing', async () => {
    const sandbox = await start();
    expect(await upload(sandbox, [ROW, { ...ROW, tid: 'OTHER' }])).toEqual({ status: 100, message: '退换单已存在' });
    expect(sandbox.refunds.size).toBe(0);
  });
});

describe('startWangdianSandbox: paging', () => {
  const paging = (pageNo: number, pageSize = 2, calcTotal?: string) => ({
    page_size: String(pageSize),
    page_no: String(pageNo),
    ...(calcTotal === undefined ? {} : { calc_total: calcTotal }),
  });
  const WINDOW = '[{"modified_from":"2024-01-01 00:00:00","modified_to":"2024-01-20 00:00:00"}]';

  it('requires paging (status 100 此方法仅支持分页查询) and checks page_size, page_no, calc_total and params', async () => {
    const sandbox = await start();
    expect(await json(await send(sandbox, { method: SEARCH, body: WINDOW }))).toEqual({
      status: 100,
      message: '此方法仅支持分页查询',
    });
    expect(await json(await send(sandbox, { method: SEARCH, body: WINDOW, paging: { page_size: '2' } }))).toEqual({
      status: 100,
      message: '此方法仅支持分页查询',
    });
    for (const p of [paging(0, 0), paging(0, 201), { page_size: '2', page_no: '-1' }, paging(0, 2, '2')]) {
      const res = await json(await send(sandbox, { method: SEARCH, body: WINDOW, paging: p }));
      expect(res.status, JSON.stringify(p)).toBe(1);
    }
    const cases: [string, number][] = [
      ['[]', 1],
      ['[{},{}]', 1],
      ['["x"]', 1],
      ['[{"modified_from":"yesterday","modified_to":"2024-01-01 00:00:00"}]', 100],
      ['[{"shop_no":"LCJ"}]', 2],
    ];
    for (const [body, status] of cases) {
      expect((await json(await send(sandbox, { method: SEARCH, body, paging: paging(0) }))).status, body).toBe(status);
    }
  });

  it('pages through raw refunds in modification order, with total_count when calc_total=1', async () => {
    let now = Date.UTC(2024, 0, 1, 0, 0, 0);
    const sandbox = await start({ now: () => now });
    for (const oid of ['A', 'B', 'C', 'D', 'E']) {
      await upload(sandbox, [{ ...ROW, oid }]);
      now += 60_000;
    }
    const body = JSON.stringify([{ start_time: '2024-01-01 08:00:00', end_time: '2024-01-02 08:00:00' }]);
    const pages: unknown[] = [];
    for (let pageNo = 0; pageNo < 3; pageNo += 1) {
      const res = await json(await send(sandbox, { method: RAW_SEARCH, body, paging: paging(pageNo, 2, '1') }));
      expect(res.status).toBe(0);
      const data = res.data as { order: { oid: string }[]; total_count: number };
      expect(data.total_count).toBe(5);
      pages.push(data.order.map((r) => r.oid));
    }
    expect(pages).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
    const noTotal = await json(await send(sandbox, { method: RAW_SEARCH, body, paging: paging(0, 1, '0') }));
    expect(noTotal.data).toEqual({
      order: [
        expect.objectContaining({
          oid: 'A',
          shop_no: 'LCJ',
          created: '2024-01-01 08:00:00',
          modified: '2024-01-01 08:00:00',
        }),
      ],
    });
    const filtered = await json(
      await send(sandbox, {
        method: RAW_SEARCH,
        body: JSON.stringify([{ start_time: '2024-01-01 08:01:00', end_time: '2024-01-01 08:02:00' }]),
        paging: paging(0, 10, '1'),
      }),
    );
    expect((filtered.data as { total_count: number }).total_count).toBe(2);
    expect(sandbox.counters.searches).toBe(5);
  });
});

describe('startWangdianSandbox: clock, log, reset', () => {
  it('shifts the timestamp window and the Date header by the clock offset', async () => {
    const now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now });
    sandbox.setClockOffset(-300_000);
    const body = JSON.stringify(['LCJ', [ROW]]);
    const local = await wangdianFetch(sandbox.url, sandbox.credentials, { method: UPLOAD, body }, now);
    expect(local.headers.get('date')).toBe(new Date(now - 300_000).toUTCString());
    expect((await json(local)).status).toBe(7);
    expect((await json(await send(sandbox, { method: UPLOAD, body }))).status).toBe(0);
    expect(sandbox.getRefund('R1', 'O1')?.createdAt).toBe(now - 300_000);
  });

  it('keeps no secret, sign or buyer data in the log; reset() forgets everything stored', async () => {
    const sandbox = await start();
    await upload(sandbox, [ROW]);
    await send(sandbox, { method: UPLOAD, body: '[]', query: { sign: 'deadbeef' } });
    const text = JSON.stringify(sandbox.log);
    for (const hidden of ['testsecret', 'testsalt', 'deadbeef', '买家', 'appkey']) expect(text).not.toContain(hidden);
    expect(sandbox.log[0]).toEqual({
      seq: 1,
      at: expect.any(Number),
      method: 'POST',
      path: '/openapi',
      route: UPLOAD,
      signatureValid: true,
      status: 200,
      code: '0',
      outcome: 'accepted',
      faults: [],
    });
    expect(sandbox.counters).toMatchObject({ requests: 2, accepted: 1, rejected: { '1': 1 } });
    sandbox.reset();
    expect(sandbox.refunds.size).toBe(0);
    expect(sandbox.log).toEqual([]);
    expect(sandbox.counters).toMatchObject({ requests: 0, uploads: 0, newRows: 0 });
  });
});
