import { describe, expect, it } from 'vitest';
import { isLosslessNumber } from './kingdee-json.js';
import type { KingdeeSandboxOptions } from './kingdee-sandbox.js';
import { type KingdeeAnswer, kingdeeSandboxPerTest, openKingdeeSession, signedGet } from './kingdee-test-session.js';

const BILL = '/jdy/v2/ls/retail_bill';
const DETAIL = '/jdy/v2/ls/retail_bill_detail';

const startSandbox = kingdeeSandboxPerTest();

async function start(options: KingdeeSandboxOptions = {}) {
  const kd = await startSandbox(options);
  return { kd, session: await openKingdeeSession(kd), store: kd.stores[0]!.id };
}

function bill(store: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    src_bill_id: `SRC-${n}`,
    store_id: store,
    bill_date: `2024-03-01 10:${String(n % 60).padStart(2, '0')}:00`,
    amt: `${n}.50`,
    material_entries: [{ index: '1', material_id: `M-${n % 3}`, qty: '1', price: `${n}.50`, all_amount: `${n}.50` }],
    settle_entries: [{ pay_type: 'wechat', settle_amt: `${n}.50` }],
    ...extra,
  };
}

function data(answer: KingdeeAnswer): Record<string, unknown> {
  expect(answer.body.errcode).toBe(0);
  return answer.body.data as Record<string, unknown>;
}

function rows(answer: KingdeeAnswer): Record<string, unknown>[] {
  return data(answer).rows as Record<string, unknown>[];
}

function refusal(answer: KingdeeAnswer): string {
  expect(answer.status).toBe(200);
  expect(answer.body.errcode).toBe(1001);
  return String(answer.body.description);
}

describe('retail bill save (POST /jdy/v2/ls/retail_bill)', () => {
  it('saves a bill and answers its id, number and inner_no; each key finds it through the detail endpoint', async () => {
    const { kd, session, store } = await start();
    const saved = data(await session.post(BILL, bill(store, 1, { bill_no: 'LS-001' })));
    expect(saved).toEqual({ bill_id: expect.stringMatching(/^\d{19}$/), bill_no: 'LS-001', inner_no: 'SRC-1' });
    const id = saved.bill_id as string;
    expect(BigInt(id)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    const byKey = await Promise.all([
      session.get(DETAIL, { bill_id: id }),
      session.get(DETAIL, { bill_no: 'LS-001' }),
      session.get(DETAIL, { inner_no: 'SRC-1' }),
      session.get(DETAIL, { bill_id: id, inner_no: 'SRC-1' }),
    ]);
    const orders = byKey.map((answer) => data(answer).order);
    for (const order of orders) expect(order).toEqual(orders[0]);
    expect(orders[0]).toMatchObject({
      id,
      bill_no: 'LS-001',
      inner_no: 'SRC-1',
      store_id: store,
      amt: '1.50',
      bill_date: '2024-03-01 10:01:00',
      material_entries: [{ index: '1', material_id: 'M-1', qty: '1', price: '1.50', all_amount: '1.50' }],
      settle_entries: [{ pay_type_id: 'wechat', settle_amt: '1.50' }],
      payment_entries: [],
    });
    expect(kd.retailBills.get(id)).toMatchObject({ innerNo: 'SRC-1', billNo: 'LS-001', saves: 1 });
    expect(kd.counters).toMatchObject({ retailBillSaves: 1, newRetailBills: 1, retailBillQueries: 4 });
  });

  it('gives a bill number when none is sent', async () => {
    const { session, store } = await start({ now: () => Date.UTC(2024, 2, 1, 2, 0, 0) });
    const saved = data(await session.post(BILL, bill(store, 7)));
    expect(saved.bill_no).toBe('LSD2024030100001');
  });

  it('updates the bill on a re-save of the same src_bill_id instead of adding one', async () => {
    const { kd, session, store } = await start();
    const first = data(await session.post(BILL, bill(store, 1)));
    const second = data(await session.post(BILL, bill(store, 1, { amt: '99.99', remark: 'changed' })));
    expect(second).toEqual(first);
    expect(kd.retailBills.size).toBe(1);
    const order = data(await session.get(DETAIL, { inner_no: 'SRC-1' })).order as Record<string, unknown>;
    expect(order).toMatchObject({ amt: '99.99', remark: 'changed', bill_no: first.bill_no });
    expect(rows(await session.get(BILL))).toHaveLength(1);
    expect(kd.counters).toMatchObject({ retailBillSaves: 2, newRetailBills: 1 });
    expect(kd.retailBills.get(first.bill_id as string)?.saves).toBe(2);
  });

  it('keeps amounts, quantities, big ids and JSON integers exactly, whatever their length', async () => {
    const { kd, session, store } = await start();
    const text = `{"src_bill_id":"SRC-big","store_id":"${store}","source":12345678901234567890,"amt":"12345678901234567.1234567891","material_entries":[{"material_id":"1420169116878110721","qty":"0.0000000001","price":"99999999999999999999.9999999999"}],"extra_number":9007199254740993}`;
    const saved = data(await session.post(BILL, text));
    const detail = await session.get(DETAIL, { bill_id: saved.bill_id as string });
    for (const exact of [
      '"source":12345678901234567890',
      '"amt":"12345678901234567.1234567891"',
      '"material_id":"1420169116878110721"',
      '"qty":"0.0000000001"',
      '"price":"99999999999999999999.9999999999"',
      `"store_id":"${store}"`,
      `"id":"${saved.bill_id as string}"`,
    ]) {
      expect(detail.text).toContain(exact);
    }
    const stored = kd.retailBills.get(saved.bill_id as string)!.body;
    expect(isLosslessNumber(stored.extra_number) && stored.extra_number.value).toBe('9007199254740993');
  });

  it('refuses a body that breaks the documented types, naming every field (errcode 1001), and stores nothing', async () => {
    const { kd, session, store } = await start();
    const cases: [unknown, string[]][] = [
      ['{nope', ['body is not valid JSON']],
      [[], ['body must be a JSON object']],
      [{}, ['src_bill_id is required', 'store_id is required']],
      [{ ...bill(store, 1), src_bill_id: '' }, ['src_bill_id must not be empty']],
      [{ ...bill(store, 1), store_id: '1' }, ['store_id is not a store of this account set']],
      [{ ...bill(store, 1), amt: 12.5 }, ['amt must be a string']],
      [{ ...bill(store, 1), amt: '1e3' }, ['amt must be a decimal']],
      [{ ...bill(store, 1), source: '1' }, ['source must be a JSON integer']],
      [{ ...bill(store, 1), source: 1.5 }, ['source must be a JSON integer']],
      [{ ...bill(store, 1), bill_date: '2024-02-30 10:00:00' }, ['bill_date must be a date-time']],
      [{ ...bill(store, 1), bill_date: '2024-03-01' }, ['bill_date must be a date-time']],
      [{ ...bill(store, 1), material_entries: {} }, ['material_entries must be a list']],
      [
        { ...bill(store, 1), material_entries: [{ qty: 1 }, 'x'] },
        ['material_entries[0].qty must be a string', 'material_entries[1] must be an object'],
      ],
      [
        { ...bill(store, 1), material_entries: [{ package_list: [{ qty: '-' }] }] },
        ['material_entries[0].package_list[0].qty must be a decimal'],
      ],
      [
        { ...bill(store, 1), settle_entries: [{ settle_amt: '1,5' }] },
        ['settle_entries[0].settle_amt must be a decimal'],
      ],
      [{ ...bill(store, 1), member_deals: [] }, ['member_deals must be an object']],
    ];
    for (const [body, messages] of cases) {
      const description = refusal(await session.post(BILL, typeof body === 'string' ? body : JSON.stringify(body)));
      for (const message of messages) expect(description).toContain(message);
    }
    expect(kd.retailBills.size).toBe(0);
    expect(kd.counters.rejected['1001']).toBe(cases.length);
  });

  it('accepts null for any documented field as absent, and negative amounts of a return', async () => {
    const { session, store } = await start();
    const saved = data(await session.post(BILL, { ...bill(store, 2), remark: null, amt: '-2.50', source: 3 }));
    const order = data(await session.get(DETAIL, { bill_id: saved.bill_id as string })).order as Record<
      string,
      unknown
    >;
    expect(order.remark).toBeUndefined();
    expect(order.amt).toBe('-2.50');
    expect(String(order.source)).toBe('3');
  });

  it('refuses a bill_no that already belongs to another src_bill_id (errcode 1002)', async () => {
    const { session, store } = await start();
    await session.post(BILL, bill(store, 1, { bill_no: 'LS-1' }));
    const clash = await session.post(BILL, bill(store, 2, { bill_no: 'LS-1' }));
    expect(clash.body.errcode).toBe(1002);
    expect(String(clash.body.description)).toContain('bill_no');
  });
});

describe('retail bill detail (GET /jdy/v2/ls/retail_bill_detail)', () => {
  it('needs one key (1001), and answers 1003 when no bill has the keys given', async () => {
    const { session, store } = await start();
    const saved = data(await session.post(BILL, bill(store, 1)));
    expect(refusal(await session.get(DETAIL))).toContain(
      'bill_id is required when neither bill_no nor inner_no is given',
    );
    for (const query of [
      { bill_id: '1' },
      { inner_no: 'nope' },
      { bill_id: saved.bill_id as string, inner_no: 'SRC-2' },
    ]) {
      const answer = await session.get(DETAIL, query);
      expect(answer.body).toMatchObject({ errcode: 1003 });
    }
    expect(refusal(await session.get(DETAIL, { bill_id: '' }))).toContain('bill_id must not be empty');
  });
});

describe('retail bill list (GET /jdy/v2/ls/retail_bill)', () => {
  it('pages from 1 across every page in id order, page_size 10 by default', async () => {
    const { session, store } = await start();
    const ids: string[] = [];
    for (let n = 1; n <= 25; n += 1) ids.push(data(await session.post(BILL, bill(store, n))).bill_id as string);
    const pages = await Promise.all(
      [1, 2, 3, 4].map(async (page) => rows(await session.get(BILL, { page_no: String(page), page_size: '10' }))),
    );
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5, 0]);
    expect(pages.flat().map((row) => row.id)).toEqual(ids);
    expect(rows(await session.get(BILL)).map((row) => row.id)).toEqual(ids.slice(0, 10));
    const small = await Promise.all(
      [1, 2, 3].map(async (page) => rows(await session.get(BILL, { page_no: String(page), page_size: '1' }))),
    );
    expect(small.flat().map((row) => row.id)).toEqual(ids.slice(0, 3));
  });

  it('answers header fields only, and the entries with fetch_detail=true', async () => {
    const { session, store } = await start();
    await session.post(BILL, bill(store, 1, { biz_type: 'sale', order_status: '2' }));
    const [plain] = rows(await session.get(BILL));
    expect(plain).toEqual({
      id: expect.any(String),
      bill_no: expect.any(String),
      bill_date: '2024-03-01 10:01:00',
      store_id: store,
      amt: '1.50',
      biz_type: 'sale',
      order_state: '2',
    });
    const [detailed] = rows(await session.get(BILL, { fetch_detail: 'true' }));
    expect(detailed).toMatchObject({ ...plain, material_entries: [expect.objectContaining({ qty: '1' })] });
    expect(rows(await session.get(BILL, { fetch_detail: 'false' }))).toEqual([plain]);
  });

  it('filters by store, bill number, ids, products, biz_type and the bill time window (inclusive, epoch ms)', async () => {
    const { session, kd } = await start();
    const [a, b] = kd.stores.map((s) => s.id) as [string, string];
    const saved: string[] = [];
    for (let n = 1; n <= 6; n += 1) {
      const answer = await session.post(BILL, bill(n % 2 ? a : b, n, { biz_type: n > 3 ? 'return' : 'sale' }));
      saved.push(data(answer).bill_id as string);
    }
    const idsOf = async (query: Record<string, string>) => rows(await session.get(BILL, query)).map((row) => row.id);
    expect(await idsOf({ store_id: b })).toEqual([saved[1], saved[3], saved[5]]);
    expect(await idsOf({ bill_no: kd.retailBills.get(saved[2]!)!.billNo })).toEqual([saved[2]]);
    expect(await idsOf({ ids: `${saved[4]},${saved[0]}` })).toEqual([saved[0], saved[4]]);
    expect(await idsOf({ product_ids: 'M-0' })).toEqual([saved[2], saved[5]]);
    expect(await idsOf({ biz_type: 'return', store_id: a })).toEqual([saved[4]]);
    // Bill n is dated 2024-03-01 10:0n:00 +08:00.
    const at = (minute: number) => String(Date.UTC(2024, 2, 1, 2, minute, 0));
    expect(await idsOf({ start_time: at(2), end_time: at(4) })).toEqual(saved.slice(1, 4));
    expect(await idsOf({ start_time: at(5) })).toEqual(saved.slice(4));
    expect(await idsOf({ start_time: '-1', end_time: at(1) })).toEqual(saved.slice(0, 1));
    expect(await idsOf({ start_time: String(Number(at(6)) + 1) })).toEqual([]);
  });

  it('refuses bad parameters, naming each (errcode 1001)', async () => {
    const { session } = await start();
    const cases: [Record<string, string>, string][] = [
      [{ page_no: '0' }, 'page_no must be an integer from 1'],
      [{ page_no: 'x' }, 'page_no must be an integer from 1'],
      [{ page_size: '101' }, 'page_size must be an integer from 1 to 100'],
      [{ page_size: '0' }, 'page_size must be an integer from 1 to 100'],
      [{ fetch_detail: '1' }, 'fetch_detail must be true or false'],
      [{ start_time: '2024-03-01 00:00:00' }, 'start_time must be epoch milliseconds'],
      [{ start_time: '2', end_time: '1' }, 'start_time must not be after end_time'],
      [{ ids: 'a,,b' }, 'ids must be a comma-separated list'],
      [{ page: '1' }, 'page is not a parameter of this endpoint'],
      [{ store_id: '' }, 'store_id must not be empty'],
    ];
    for (const [query, message] of cases) expect(refusal(await session.get(BILL, query))).toContain(message);
  });

  it('refuses a parameter given twice and a GET that carries its parameters in a body', async () => {
    const { kd, session } = await start();
    const twice = await signedGet(
      kd,
      session,
      BILL,
      [
        ['page_no', '1'],
        ['page_no', '2'],
      ],
      'page_no=1&page_no=2',
    );
    expect(refusal(twice)).toContain('page_no is given more than once');
    expect(refusal(await session.getWithBody(BILL, '{"page_no":2}'))).toContain('query string, not a body');
    expect(data(await session.getWithBody(BILL, '{}')).rows).toEqual([]);
  });
});

describe('every retail endpoint checks the gateway rules', () => {
  const ENDPOINTS: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string }[] = [
    { method: 'GET', path: BILL, query: { page_no: '1', page_size: '5' } },
    { method: 'GET', path: DETAIL, query: { inner_no: 'SRC-1' } },
    { method: 'POST', path: BILL, body: '{}' },
    { method: 'GET', path: '/jdy/v2/ls/store', query: { page: '1' } },
  ];

  it('refuses a missing (4009), unknown (4010), expired (4011) or rotated token, a wrong router and a bad signature', async () => {
    const { kd, session } = await start();
    for (const endpoint of ENDPOINTS) {
      const send = (extra: Parameters<typeof session.get>[2] = {}) =>
        endpoint.method === 'GET'
          ? session.get(endpoint.path, endpoint.query, extra)
          : session.post(endpoint.path, endpoint.body, extra);
      expect((await send({ headers: { 'app-token': undefined } })).body.errcode).toBe(4009);
      expect((await send({ token: 'nope' })).body.errcode).toBe(4010);
      const noRoute = await send({ router: 'https://other.jdy.com' });
      expect([noRoute.status, noRoute.body]).toEqual([404, { message: 'No Route' }]);
      const forged = await send({ headers: { 'X-Api-Signature': `${'A'.repeat(86)}==` } });
      expect([forged.status, forged.body.errcode]).toEqual([519, 4008]);
      kd.expireTokens();
      const expired = await send();
      expect([expired.status, expired.body.errcode]).toEqual([519, 4011]);
      await session.renew();
      kd.rotateAppSecret();
      const rotated = await send();
      expect([rotated.status, rotated.body.errcode]).toEqual([200, 1030002006]);
      await session.renew();
    }
    expect(kd.retailBills.size).toBe(0);
  });

  it('verifies the query: a parameter changed after signing fails the signature (4008)', async () => {
    const { kd, session } = await start();
    for (const endpoint of ENDPOINTS.filter((e) => e.method === 'GET')) {
      const signed = Object.entries(endpoint.query ?? {});
      const tampered = new URLSearchParams({ ...endpoint.query, page_size: '7' }).toString();
      const answer = await signedGet(kd, session, endpoint.path, signed, tampered);
      expect([answer.status, answer.body.errcode]).toEqual([519, 4008]);
    }
    expect(kd.log.filter((entry) => entry.signatureValid === false)).toHaveLength(3);
  });

  it('answers 5002 for a method the path does not take and logs each route by name', async () => {
    const { kd, session } = await start();
    const put = await session.get(BILL, {}, { method: 'PUT' });
    expect([put.status, put.body.errcode]).toEqual([519, 5002]);
    await session.get(BILL);
    await session.get('/jdy/v2/ls/store');
    await session.post(BILL, '{}');
    await session.get(DETAIL, { bill_id: '1' });
    expect(kd.log.slice(-4).map((entry) => entry.route)).toEqual([
      'retailBillList',
      'storeList',
      'retailBillSave',
      'retailBillDetail',
    ]);
  });
});
