import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKingdeeRequest } from './kingdee-request-check.js';
import { kingdeeSandboxPerTest, openKingdeeSession } from './kingdee-test-session.js';

const start = kingdeeSandboxPerTest();

/** Text that is sometimes a number, a boolean, empty, a list or a date, to land on both sides of each rule. */
const queryValue = fc.oneof(
  fc.constantFrom('0', '1', '10', '100', '101', '-1', '', 'true', 'false', 'x', '1709258400000', 'a,b', 'a,,b'),
  fc.integer({ min: -2, max: 200 }),
  fc.boolean(),
);
const listQuery = fc.dictionary(
  fc.constantFrom('page_no', 'page_size', 'start_time', 'end_time', 'fetch_detail', 'ids', 'store_id', 'page', 'nope'),
  queryValue,
  { maxKeys: 4 },
);
const storeQuery = fc.dictionary(
  fc.constantFrom('page', 'page_size', 'enable', 'start_modified', 'end_modified', 'name', 'page_no'),
  queryValue,
  { maxKeys: 4 },
);
const detailQuery = fc.dictionary(fc.constantFrom('bill_id', 'bill_no', 'inner_no', 'id'), queryValue, {
  maxKeys: 2,
});
const amount = fc.oneof(fc.constantFrom('1', '1.50', '-2', '1e3', '', '1,5', 'x'), fc.double(), fc.constant(null));
const saveBody = fc.record(
  {
    src_bill_id: fc.oneof(fc.constantFrom('S-1', ''), fc.integer()),
    store_id: fc.constant('STORE'),
    amt: amount,
    source: fc.oneof(fc.integer(), fc.constantFrom('1', 1.5)),
    bill_date: fc.constantFrom('2024-03-01 10:00:00', '2024-02-30 10:00:00', '2024-03-01'),
    material_entries: fc.oneof(
      fc.array(fc.record({ qty: amount, material_id: fc.constantFrom('M', 7) })),
      fc.constant({}),
    ),
  },
  { requiredKeys: [] },
);

describe('checkKingdeeRequest', () => {
  it('answers what the running sandbox answers, naming the same fields, on generated requests', async () => {
    const kd = await start({ stores: [{ id: 'STORE', number: 'S1', name: 'store' }] });
    const session = await openKingdeeSession(kd);
    const cases: [Parameters<typeof checkKingdeeRequest>[0], string, fc.Arbitrary<Record<string, unknown>>][] = [
      ['retailBillList', '/jdy/v2/ls/retail_bill', listQuery],
      ['storeList', '/jdy/v2/ls/store', storeQuery],
      ['retailBillDetail', '/jdy/v2/ls/retail_bill_detail', detailQuery],
    ];
    for (const [route, path, arbitrary] of cases) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (query) => {
          const verdict = checkKingdeeRequest(route, query);
          const sent = Object.fromEntries(Object.entries(query).map(([k, value]) => [k, String(value)]));
          const answer = await session.get(path, sent);
          if (verdict.ok) expect(answer.body.errcode).not.toBe(1001);
          else {
            expect(answer.body.errcode).toBe(1001);
            for (const field of verdict.fields) expect(String(answer.body.description)).toContain(field);
          }
        }),
        { numRuns: 60 },
      );
    }
    await fc.assert(
      fc.asyncProperty(saveBody, async (body) => {
        const verdict = checkKingdeeRequest('retailBillSave', body, { storeIds: ['STORE'] });
        const answer = await session.post('/jdy/v2/ls/retail_bill', body);
        expect(answer.body.errcode === 1001).toBe(!verdict.ok);
        for (const field of verdict.fields) expect(String(answer.body.description)).toContain(field);
      }),
      { numRuns: 80 },
    );
  });

  it('names fields for each route and takes JSON text or a URLSearchParams', () => {
    expect(checkKingdeeRequest('retailBillList', { page_no: 0, ids: ['a', 'b'] })).toEqual({
      ok: false,
      problems: ['page_no must be an integer from 1 (the first page is 1)'],
      fields: ['page_no'],
    });
    expect(checkKingdeeRequest('storeList', new URLSearchParams('page=2&page_size=100')).ok).toBe(true);
    expect(checkKingdeeRequest('retailBillDetail', {}).fields).toEqual(['bill_id']);
    expect(checkKingdeeRequest('refundSave', '{"cmd":1}').fields).toContain('cmd');
    expect(checkKingdeeRequest('refundSave', '{nope').fields).toEqual(['body']);
    expect(checkKingdeeRequest('retailBillSave', { src_bill_id: 'S', store_id: 'X' }).ok).toBe(true);
    expect(checkKingdeeRequest('retailBillSave', { src_bill_id: 'S', store_id: 'X' }, { storeIds: [] }).fields).toEqual(
      ['store_id'],
    );
  });
});
