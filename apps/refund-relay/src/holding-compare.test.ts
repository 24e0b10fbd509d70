import { parseRefund } from '@refundkit/refund-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { compareHolding, expectedHolding, kingdeeAmountInYuan } from './holding-compare.js';

const refund = parseRefund({
  refundNo: 'RF-H1',
  orderNo: 'O-1',
  shopCode: 'S0001',
  kind: 'return-and-refund',
  status: 'requested',
  requestedAmount: '12.505',
  actualAmount: '12.005',
  afterSale: true,
  buyer: { nick: 'someone' },
  lines: [
    { subOrderId: 'L1', title: 'cup', quantity: '2', requestedAmount: '10.50', actualAmount: '10' },
    { subOrderId: 'L2', title: 'lid', quantity: '1.5', requestedAmount: '2.005', actualAmount: '2.005' },
  ],
});

describe('expectedHolding', () => {
  it('gives Kingdee the actual amount and Wangdian the totals and every goods line, as exact decimal text', () => {
    expect(expectedHolding('kingdee', refund)).toEqual({ refund_amount: '12.005' });
    expect(expectedHolding('wangdian', refund)).toEqual({
      refund_amount: '12.505',
      actual_refund_amount: '12.005',
      'lines.L1.refund_amount': '10.5',
      'lines.L1.actual_refund_amount': '10',
      'lines.L1.num': '2',
      'lines.L2.refund_amount': '2.005',
      'lines.L2.actual_refund_amount': '2.005',
      'lines.L2.num': '1.5',
    });
  });
});

describe('compareHolding', () => {
  it('compares decimals by value and keeps both texts exactly as written when they differ', () => {
    const ours = expectedHolding('wangdian', refund);
    expect(compareHolding(ours, { actual_refund_amount: '12.0050', 'lines.L1.num': '2.00' })).toEqual([]);
    expect(compareHolding(ours, { actual_refund_amount: '8.00', 'lines.L2.num': '1.4999' })).toEqual([
      { field: 'actual_refund_amount', ours: '12.005', theirs: '8.00' },
      { field: 'lines.L2.num', ours: '1.5', theirs: '1.4999' },
    ]);
  });

  it('does not compare what the vendor leaves out, and compares text that is no amount exactly', () => {
    expect(compareHolding({ a: '1', b: 'x' }, {})).toEqual([]);
    expect(compareHolding({ a: '1', b: 'x' }, { a: 'one', b: 'X' })).toEqual([
      { field: 'a', ours: '1', theirs: 'one' },
      { field: 'b', ours: 'x', theirs: 'X' },
    ]);
    // An own field only: an inherited name is not something the vendor holds.
    expect(compareHolding({ toString: '1' }, Object.create({ toString: '2' }))).toEqual([]);
  });

  it('reports a difference exactly when the two amounts differ in value, whatever their spelling', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 12n });
    fc.assert(
      fc.property(amount, amount, fc.nat(3), (a, b, pad) => {
        const text = (scaled: bigint, zeros: number) =>
          `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, '0')}${'0'.repeat(zeros)}`;
        const found = compareHolding({ f: text(a, 0) }, { f: text(b, pad) });
        expect(found.length).toBe(a === b ? 0 : 1);
        if (found.length) expect(found[0]).toEqual({ field: 'f', ours: text(a, 0), theirs: text(b, pad) });
      }),
      { numRuns: fuzzRuns(200) },
    );
  });
});

describe('kingdeeAmountInYuan', () => {
  it('reads fen as yuan, leaves yuan and text that is no amount as it came', () => {
    expect(kingdeeAmountInYuan('1250')).toBe('12.5');
    expect(kingdeeAmountInYuan('7', 'fen')).toBe('0.07');
    expect(kingdeeAmountInYuan('12.50', 'yuan')).toBe('12.50');
    expect(kingdeeAmountInYuan('12.5', 'fen')).toBe('12.5');
    expect(kingdeeAmountInYuan('')).toBe('');
  });
});
