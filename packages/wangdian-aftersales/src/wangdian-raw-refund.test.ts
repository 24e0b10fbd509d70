import { Decimal } from '@refundkit/refund-model';
import { InputValidationError, isRefundkitError } from '@refundkit/transport';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { toWangdianJson } from './wangdian-json.js';
import { checkWangdianRawRefundRow, validateWangdianRawRefunds } from './wangdian-raw-refund.js';
import { DOC_EXAMPLE_BODY, DOC_EXAMPLE_ROW, makeRow } from './wangdian-test-fixtures.js';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).issues;
  }
  throw new Error('expected an InputValidationError');
}

describe('validateWangdianRawRefunds', () => {
  it('accepts the doc example and normalises it to the exact body the vendor docs sign', () => {
    const rows = validateWangdianRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    expect(toWangdianJson(['LCJ', rows])).toBe(DOC_EXAMPLE_BODY);
    expect(Decimal.isDecimal(rows[0]?.num)).toBe(true);
  });

  it('writes fields in the vendor page order whatever order they were given in', () => {
    const reversed = Object.fromEntries(Object.entries(DOC_EXAMPLE_ROW).reverse());
    expect(toWangdianJson(['LCJ', validateWangdianRawRefunds('LCJ', [reversed])])).toBe(DOC_EXAMPLE_BODY);
  });

  it('accepts decimals as numbers, decimal strings and Decimals, exactly', () => {
    const [row] = validateWangdianRawRefunds('LCJ', [
      makeRow('R1', 1, { num: '2.5000', refund_amount: Decimal.from('0.1').add(Decimal.from('0.2')), price: 0.3 }),
    ]);
    expect(toWangdianJson(row)).toContain('"num":2.5,');
    expect(toWangdianJson(row)).toContain('"refund_amount":0.3,');
    expect(toWangdianJson(row)).toContain('"price":0.3');
  });

  it('turns Date times into +08:00 text and drops undefined optional fields', () => {
    const [row] = validateWangdianRawRefunds('LCJ', [
      makeRow('R1', 1, { refund_time: new Date('2024-03-01T02:30:00Z'), remark: undefined }),
    ]);
    expect(row?.refund_time).toBe('2024-03-01 10:30:00');
    expect('remark' in (row ?? {})).toBe(false);
  });

  it('names every failing field by path and never echoes a value', () => {
    const secretNick = 'VERY-PRIVATE-NICK-'.repeat(10);
    const rows = [
      makeRow('R0'),
      {
        ...makeRow('R1'),
        refund_no: 'x'.repeat(41),
        buyer_nick: secretNick,
        pay_account: 'PAY-ACCOUNT-'.repeat(11),
        pay_no: 'p'.repeat(61),
        title: 't'.repeat(256),
        reason: 'r'.repeat(256),
        remark: 'm'.repeat(256),
        type: 5,
        status: 0,
        is_aftersale: 2,
        num: '1.23456',
        refund_amount: '-1',
        actual_refund_amount: '1e3',
        price: Number.NaN,
        total_amount: '1234567890123456',
        refund_time: '2024-02-30 10:00:00',
        current_phase_timeout: '2024/01/01',
        logistics_no: 'l'.repeat(41),
        goods_id: 7,
        bogus_field: 'x',
      },
      { refund_no: 'R2' },
      'not a row',
    ];
    const issues = issuesOf(() => validateWangdianRawRefunds('', rows));
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'shopNo',
        'rows[1].refund_no',
        'rows[1].buyer_nick',
        'rows[1].pay_account',
        'rows[1].pay_no',
        'rows[1].title',
        'rows[1].reason',
        'rows[1].remark',
        'rows[1].type',
        'rows[1].status',
        'rows[1].is_aftersale',
        'rows[1].num',
        'rows[1].refund_amount',
        'rows[1].actual_refund_amount',
        'rows[1].price',
        'rows[1].total_amount',
        'rows[1].refund_time',
        'rows[1].current_phase_timeout',
        'rows[1].logistics_no',
        'rows[1].goods_id',
        'rows[1].bogus_field',
        'rows[2].num',
        'rows[2].tid',
        'rows[2].oid',
        'rows[2].type',
        'rows[2].status',
        'rows[2].refund_version',
        'rows[2].refund_amount',
        'rows[2].actual_refund_amount',
        'rows[2].title',
        'rows[2].buyer_nick',
        'rows[2].is_aftersale',
        'rows[2].reason',
        'rows[3]',
      ]),
    );
    expect(paths.some((path) => path.startsWith('rows[0]'))).toBe(false);
    expect(paths.filter((path) => path === 'rows[1].buyer_nick')).toHaveLength(1);
    let error: unknown;
    try {
      validateWangdianRawRefunds('', rows);
    } catch (e) {
      error = e;
    }
    expect(isRefundkitError(error)).toBe(true);
    const texts = [String((error as Error).message), JSON.stringify(error), JSON.stringify(issues)];
    for (const text of texts) {
      expect(text).not.toContain('VERY-PRIVATE');
      expect(text).not.toContain('PAY-ACCOUNT');
      expect(text).not.toContain('xxxxxxxx');
    }
  });

  it('says what is wrong with each kind of bad value', () => {
    const check = (overrides: Record<string, unknown>) => {
      const result = checkWangdianRawRefundRow({ ...makeRow('R1'), ...overrides });
      return result.success ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
    };
    expect(check({ num: '1.23456' })).toEqual(['row.num: has more than 4 decimal places']);
    expect(check({ num: 0.1 + 0.2 })).toEqual(['row.num: has more than 4 decimal places']);
    expect(check({ num: '1234567890123456' })).toEqual(['row.num: has more than 15 integer digits (Decimal(19,4))']);
    expect(check({ num: '-0.5' })).toEqual(['row.num: must not be negative']);
    expect(check({ num: '+0.5' })).toEqual(['row.num: must not start with a + sign']);
    expect(check({ num: Number.NaN })).toEqual(['row.num: must be a finite number (not NaN or ±Infinity)']);
    expect(check({ num: '1e3' })).toEqual([
      'row.num: must be a plain decimal such as "-12.34" (no exponent or spaces)',
    ]);
    expect(check({ num: true })).toEqual(['row.num: must be a number, a decimal string or a Decimal']);
    expect(check({ num: 10n })).toEqual(['row.num: must be a number, a decimal string or a Decimal']);
    expect(check({ type: 1.5 })).toEqual(['row.type: must be one of 0, 1, 2, 3, 4']);
    expect(check({ status: '2' })).toEqual(['row.status: must be one of 1, 2, 3, 4, 5']);
    expect(check({ tid: '' })).toEqual(['row.tid: must not be empty']);
    expect(check({ oid: undefined })).toEqual(['row.oid: is required']);
    const { refund_no: _dropped, ...withoutRefundNo } = DOC_EXAMPLE_ROW;
    expect(
      (checkWangdianRawRefundRow(withoutRefundNo) as { issues: { path: string; message: string }[] }).issues,
    ).toMatchObject([{ path: 'row.refund_no', message: 'is required' }]);
    expect(check({ title: '' })).toEqual([]);
    expect(check({ title: '中'.repeat(255), buyer_nick: '😀'.repeat(100) })).toEqual([]);
    expect(check({ buyer_nick: '😀'.repeat(101) })).toEqual(['row.buyer_nick: must be at most 100 characters']);
    expect(check({ refund_time: '' })).toEqual([]);
    expect(check({ refund_time: new Date(Number.NaN) })).toEqual([
      'row.refund_time: must be a valid Date in the years 0000–9999 (+08:00)',
    ]);
    const badTime = ['row.refund_time: must be a real "YYYY-MM-DD HH:mm:ss" time (+08:00) or a Date'];
    for (const time of ['2024-02-30 10:00:00', '2024-03-01T10:00:00', 1709260200000, null]) {
      expect(check({ refund_time: time })).toEqual(badTime);
    }
    expect(check({ refund_time: new Date(Date.UTC(10000, 0, 1)) })).toEqual([
      'row.refund_time: must be a valid Date in the years 0000–9999 (+08:00)',
    ]);
    expect(check({ refund_time: new Date(Date.UTC(2024, 2, 1, 2, 30)) })).toEqual([]);
    expect(check({ extra: 1 })).toEqual(['row.extra: is not a field of order_list']);
  });

  it('rejects a missing shop number and empty or non-array rows', () => {
    expect(issuesOf(() => validateWangdianRawRefunds(undefined, [])).map((i) => i.path)).toEqual(['shopNo', 'rows']);
    expect(issuesOf(() => validateWangdianRawRefunds('LCJ', 'rows')).map((i) => i.path)).toEqual(['rows']);
  });

  it('property: any valid Decimal(19,4) amount passes and is written exactly', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 9999 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(4, '0')}`);
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const [row] = validateWangdianRawRefunds('LCJ', [makeRow('R1', 1, { refund_amount: a, total_amount: b })]);
        const parsed = JSON.parse(toWangdianJson(row)) as Record<string, number>;
        expect(parsed.refund_amount).toBe(Number(a));
        expect(toWangdianJson(row)).toContain(`"refund_amount":${Decimal.from(a).toString()},`);
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('property: the upload body writes validated rows in the vendor page order with exact decimals', () => {
    const text = (max: number) => fc.string({ unit: 'binary', maxLength: max });
    const amount = fc
      .tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 9999 }))
      .map(([whole, fraction]) => `${whole}.${fraction}`);
    const row = fc.record(
      {
        refund_no: fc.string({ minLength: 1, maxLength: 40 }),
        num: amount,
        tid: fc.constant('T'),
        oid: fc.string({ minLength: 1, maxLength: 20 }),
        type: fc.constantFrom(0, 1, 2, 3, 4),
        status: fc.constantFrom(1, 2, 3, 4, 5),
        refund_version: fc.constant('1'),
        refund_amount: amount,
        actual_refund_amount: fc.integer({ min: 0, max: 1_000_000 }),
        title: text(60),
        buyer_nick: fc.string({ minLength: 1, maxLength: 30 }),
        is_aftersale: fc.constantFrom(0, 1),
        reason: text(60),
        remark: text(60),
        price: amount,
        logistics_no: text(40),
      },
      {
        requiredKeys: [
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
        ],
      },
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(row, { minLength: 1, maxLength: 5 }), (shopNo, rows) => {
        const valid = validateWangdianRawRefunds(shopNo, rows);
        const written = toWangdianJson([shopNo, valid]);
        const [writtenShop, writtenRows] = JSON.parse(written) as [string, Record<string, unknown>[]];
        expect(writtenShop).toBe(shopNo);
        expect(writtenRows).toHaveLength(rows.length);
        writtenRows.forEach((writtenRow, index) => {
          const validRow = valid[index] as unknown as Record<string, unknown>;
          expect(Object.keys(writtenRow)).toEqual(Object.keys(validRow));
          expect(written).toContain(`"num":${String(validRow.num)}`);
        });
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});
