import { checkKingdeeRequest, type KingdeeSandbox, startKingdeeSandbox } from '@refundkit/sandbox';
import { InputValidationError, VendorApiError } from '@refundkit/transport';
import { checkEndpointInput } from '@refundkit/transport/internal';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retailBillDetail } from './endpoints/retail-bill-detail.js';
import { retailBillList } from './endpoints/retail-bill-list.js';
import { retailBillSave } from './endpoints/retail-bill-save.js';
import { storeList } from './endpoints/store-list.js';
import { createKingdeeRetailClient } from './kingdee-client.js';
import { KINGDEE_ENDPOINTS } from './kingdee-endpoints.js';
import { KingdeeRefundRefusedError } from './kingdee-refund-outcome.js';
import type { KingdeeRetailSettings } from './kingdee-settings.js';
import { docBody } from './test-support.js';

let kd: KingdeeSandbox;
beforeEach(async () => {
  kd = await startKingdeeSandbox({ stores: 7 });
});
afterEach(async () => {
  await kd.close();
});

function client(overrides: Omit<KingdeeRetailSettings, 'endpoints'> = {}) {
  return createKingdeeRetailClient({
    ...kd.credentials,
    baseUrl: kd.url,
    endpoints: KINGDEE_ENDPOINTS,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
    ...overrides,
  });
}

const store = () => kd.stores[1]!.id;
const bill = (n: number) => ({
  src_bill_id: `SRC-${n}`,
  store_id: store(),
  bill_date: `2024-03-01 10:${String(n).padStart(2, '0')}:00`,
  amt: `12345678901234.${String(n).padStart(4, '0')}`,
  material_entries: [
    { material_id: '1420169116878110999', qty: '0.0000000001', price: '99999999999999999999.9999999999' },
  ],
});

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('retail bills and stores through the client, over HTTP against the sandbox', () => {
  it('saves a bill by src_bill_id (a re-save updates it), finds it by each key, exact to the last digit', async () => {
    const c = client();
    const saved = await c.retailBillSave(bill(1));
    expect(saved).toMatchObject({ bill_id: expect.stringMatching(/^\d{19}$/), inner_no: 'SRC-1' });
    const again = await c.retailBillSave({ ...bill(1), remark: 'updated' });
    expect(again).toEqual(saved);
    expect(kd.retailBills.size).toBe(1);
    const keys = [{ bill_id: saved.bill_id! }, { bill_no: saved.bill_no! }, { inner_no: 'SRC-1' }];
    for (const key of keys) {
      const { order } = await c.retailBillDetail(key);
      expect(order).toMatchObject({
        id: saved.bill_id,
        store_id: store(),
        remark: 'updated',
        amt: '12345678901234.0001',
        material_entries: [
          { material_id: '1420169116878110999', qty: '0.0000000001', price: '99999999999999999999.9999999999' },
        ],
      });
    }
    const missing = await c.retailBillDetail({ inner_no: 'nope' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(VendorApiError);
    expect(missing).toMatchObject({ vendorCode: '1003', code: 'BUSINESS' });
  });

  it('walks every page of the bill list (pages from 1) and of the store list, with filters and a time window', async () => {
    const c = client();
    const ids: string[] = [];
    for (let n = 1; n <= 7; n += 1) ids.push((await c.retailBillSave(bill(n))).bill_id!);
    const all = await collect(c.pages('GET /jdy/v2/ls/retail_bill', { store_id: store() }, { pageSize: 2 }));
    expect(all.map((row) => row.id)).toEqual(ids);
    expect(kd.log.filter((entry) => entry.route === 'retailBillList')).toHaveLength(4);
    const windowed = await collect(
      c.pages(
        'GET /jdy/v2/ls/retail_bill',
        {
          start_time: new Date('2024-03-01T10:02:00+08:00'),
          end_time: Date.parse('2024-03-01T10:04:00+08:00'),
          fetch_detail: true,
        },
        { pageSize: 1 },
      ),
    );
    expect(windowed.map((row) => row.id)).toEqual(ids.slice(1, 4));
    expect(windowed[0]?.material_entries?.[0]?.qty).toBe('0.0000000001');
    const page = await c.retailBillList({ page_no: 2, page_size: 3, ids: [ids[0]!, ids[4]!, ids[5]!, ids[6]!] });
    expect(page.rows?.map((row) => row.id)).toEqual([ids[6]]);

    const stores = await collect(c.pages('GET /jdy/v2/ls/store', {}, { pageSize: 3 }));
    expect(stores.map((row) => row.id)).toEqual(kd.stores.map((row) => row.id));
    expect(kd.log.filter((entry) => entry.route === 'storeList')).toHaveLength(3);
    const first = await c.storeList({ number: 'S0002' });
    expect(first).toMatchObject({ count: 1, rows: [{ id: store(), number: 'S0002' }] });
  });

  it('refuses bad input before sending, naming the field', async () => {
    const c = client();
    const cases = [
      c.retailBillList({ page_no: 0 }),
      c.retailBillList({ ids: ['a,b'] }),
      c.retailBillDetail({}),
      c.retailBillSave({ src_bill_id: 'S', amt: '1e3' } as never),
      c.storeList({ page_size: 101 }),
      collect(c.pages('GET /jdy/v2/ls/store', {}, { pageSize: 0 })),
    ];
    const paths = [];
    for (const pending of cases) {
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputValidationError);
      paths.push((error as InputValidationError).issues.map((issue) => issue.path).sort());
    }
    expect(paths).toEqual([
      ['page_no'],
      ['ids[0]'],
      ['bill_id'],
      ['amt', 'store_id'],
      ['page_size'],
      ['options.pageSize'],
    ]);
    expect(kd.counters.requests).toBe(0);
  });

  it('refuses, before sending, a defined operation the client was not given, and serves the ones it was', async () => {
    const saves = createKingdeeRetailClient({ ...kd.credentials, baseUrl: kd.url });
    expect('retailBillList' in saves).toBe(false);
    const untypedCall = saves.call as (name: string, input: unknown) => Promise<unknown>;
    for (const [pending, path] of [
      [untypedCall('GET /jdy/v2/ls/retail_bill', {}), 'name'],
      [saves.request({ method: 'GET', path: '/jdy/v2/ls/store' }), 'path'],
      [collect(saves.pages('GET /jdy/v2/ls/store' as never)), 'name'],
    ] as const) {
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).issues[0]).toMatchObject({
        path,
        message: expect.stringContaining('endpoints'),
      });
    }
    expect(kd.counters.requests).toBe(0);
    const stores = createKingdeeRetailClient({ ...kd.credentials, baseUrl: kd.url, endpoints: { storeList } });
    expect((await collect(stores.pages('GET /jdy/v2/ls/store'))).length).toBe(kd.stores.length);
  });

  it('keeps walking the bill list when the app secret rotates and the token expires mid-run', async () => {
    const c = client({ appKey: undefined, appSecret: undefined, domain: undefined });
    for (let n = 1; n <= 6; n += 1) await c.retailBillSave(bill(n));
    const seen: string[] = [];
    for await (const row of c.pages('GET /jdy/v2/ls/retail_bill', {}, { pageSize: 2 })) {
      seen.push(row.id!);
      if (seen.length === 2) kd.rotateAppSecret();
      if (seen.length === 4) kd.expireTokens();
    }
    expect(seen).toHaveLength(6);
    expect(kd.counters.rejected).toMatchObject({ '1030002006': 1, '4011': 1 });
    // One authorization at start and one after the rotation; one token each, plus one after expiry.
    expect(kd.counters.authorizations).toBe(2);
    expect(kd.counters.tokenCalls).toEqual({ [`${kd.credentials.clientId}:${kd.credentials.appKey}`]: 3 });
  });
});

describe('refundSave outcome', () => {
  it('rejects a refund the channel refused, although the call was accepted (the vendor example’s answer)', async () => {
    kd.setRefundOutcome('R-refused', 'refused');
    const error = await client()
      .refundSave(docBody('R-refused'))
      .catch((e: unknown) => e);
    expect(KingdeeRefundRefusedError.isInstance(error)).toBe(true);
    expect(VendorApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'BUSINESS',
      retryable: false,
      resendable: false,
      refundNo: 'R-refused',
      vendorCode: '支付失败，签名异常',
      refundStatus: '1SUCCESSd=false',
      data: { err: '支付失败，签名异常', msg: '支付失败，签名异常', refund_no: 'R-refused' },
    });
    expect((error as Error).message).toContain('refused by the payment channel');
    // Its JSON has the refund's facts but not the answer's data, which may hold fields nobody documented.
    expect((error as KingdeeRefundRefusedError).toJSON()).toMatchObject({
      refundNo: 'R-refused',
      vendorCode: '支付失败，签名异常',
    });
    expect((error as KingdeeRefundRefusedError).toJSON()).not.toHaveProperty('data');
    expect(kd.refunds.get('R-refused')?.outcome.kind).toBe('refused');
  });

  it('answers succeeded or pending with the raw data, and the new outcome once the channel finishes', async () => {
    kd.setRefundOutcome('R-pending', 'pending');
    const c = client();
    expect(await c.refundSave(docBody('R-ok'))).toMatchObject({
      outcome: 'succeeded',
      data: { refund_status: 'SUCCESS' },
    });
    const pending = await c.refundSave(docBody('R-pending'));
    expect(pending).toMatchObject({
      outcome: 'pending',
      data: { refund_status: 'PROCESSING', err: '', finish_time: '' },
    });
    kd.setRefundOutcome('R-pending', 'succeeded');
    expect((await c.refundSave(docBody('R-pending'))).outcome).toBe('succeeded');
    kd.setRefundOutcome('R-odd', { kind: 'pending', refundStatus: 'SOMETHING' });
    expect((await c.refundSave(docBody('R-odd'))).outcome).toBe('unknown');
  });
});

describe('the client’s definitions agree with the sandbox’s own tables', () => {
  const value = fc.oneof(
    fc.constantFrom('', 'x', '1', 'true', '1.5', '2024-03-01 10:00:00', '1e3', '-2', 'a,b'),
    fc.integer({ min: -2, max: 150 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.constantFrom('a', 'b', ''), { maxLength: 2 }),
  );
  // A query is text on the wire: generate each parameter in the client's own input type (that is what a caller
  // can write), with values on both sides of every rule.
  const text = fc.constantFrom('', 'x', '1', 'a,b');
  const whole = fc.integer({ min: -2, max: 150 });
  const list = fc.array(fc.constantFrom('a', 'b', ''), { maxLength: 2 });
  const query = (keys: Record<string, fc.Arbitrary<unknown>>) => fc.record(keys, { requiredKeys: [] });
  const cases = [
    [
      retailBillList,
      'retailBillList',
      query({
        page_no: whole,
        page_size: whole,
        start_time: whole,
        end_time: whole,
        fetch_detail: fc.boolean(),
        ids: list,
        store_id: text,
        bill_no: text,
      }),
    ],
    [
      storeList,
      'storeList',
      query({
        page: whole,
        page_size: whole,
        enable: whole,
        start_modified: whole,
        end_modified: whole,
        name: text,
        number: text,
      }),
    ],
    [retailBillDetail, 'retailBillDetail', query({ bill_id: text, bill_no: text, inner_no: text })],
    [
      retailBillSave,
      'retailBillSave',
      fc.record(
        {
          src_bill_id: value,
          store_id: value,
          amt: value,
          source: value,
          bill_date: value,
          remark: value,
          material_entries: fc.oneof(
            fc.array(fc.dictionary(fc.constantFrom('qty', 'price', 'material_id'), value)),
            value,
          ),
        },
        { requiredKeys: [] },
      ),
    ],
  ] as const;

  it('accepts and refuses the same generated requests, naming the same fields', () => {
    for (const [definition, route, arbitrary] of cases) {
      fc.assert(
        fc.property(arbitrary, (input) => {
          // Nulls and absent keys read alike on the wire for a query; the sandbox sees what the client would send.
          const cleaned = Object.fromEntries(
            Object.entries(input).filter(([, v]) => v !== null || route === 'retailBillSave'),
          );
          let clientFields: string[] = [];
          let sent: unknown;
          try {
            sent = checkEndpointInput(definition, cleaned, 'test');
          } catch (error) {
            if (!InputValidationError.isInstance(error)) throw error;
            clientFields = error.issues.map((issue) => issue.path.replace(/^\[?(\w+).*$/, '$1'));
          }
          const verdict = checkKingdeeRequest(route, clientFields.length === 0 ? sent : cleaned);
          if (clientFields.length === 0) {
            expect(verdict.problems).toEqual([]);
          } else {
            expect(verdict.ok).toBe(false);
            const sandboxFields = verdict.fields.map((field) => field.replace(/^(\w+).*$/, '$1'));
            for (const field of new Set(clientFields)) expect(sandboxFields).toContain(field);
          }
        }),
        { numRuns: 300 },
      );
    }
  });
});
