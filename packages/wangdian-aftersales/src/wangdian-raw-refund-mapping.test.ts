import { Decimal, parseRefund, REFUND_KINDS, REFUND_STATUSES } from '@refundkit/refund-model';
import { describe, expect, it } from 'vitest';
import { toWangdianJson } from './wangdian-json.js';
import { validateWangdianRawRefunds } from './wangdian-raw-refund.js';
import {
  toWangdianRawRefunds,
  WANGDIAN_REFUND_STATUSES,
  WANGDIAN_REFUND_TYPES,
} from './wangdian-raw-refund-mapping.js';

const refund = parseRefund({
  refundNo: 'RF-1',
  orderNo: 'ORD-1',
  shopCode: 'LCJ',
  kind: 'return-and-refund',
  status: 'awaiting-return',
  version: '3',
  requestedAmount: '30.3',
  actualAmount: '30.3',
  reason: '尺码不合适',
  remark: 'note',
  afterSale: true,
  buyer: { nick: 'buyer-1', payAccount: 'pay@example.com' },
  payment: { payNo: 'PAY-1' },
  logistics: { company: '顺丰', trackingNo: 'SF1' },
  createdAt: '2024-03-01T02:30:00Z',
  completedAt: '2024-03-02T16:00:01.999Z',
  lines: [
    {
      subOrderId: 'SUB-1',
      title: 'Shirt',
      quantity: '2',
      unitPrice: '10.1',
      lineTotal: '20.2',
      requestedAmount: '20.2',
      actualAmount: '20.2',
      goodsNo: 'G1',
      goodsId: 'GID1',
      specNo: 'S1',
      specId: 'SID1',
    },
    { subOrderId: 'SUB-2', title: '', quantity: '1', requestedAmount: '10.1', actualAmount: '10.1' },
  ],
});

describe('toWangdianRawRefunds', () => {
  it('maps each line to one row with the documented fields', () => {
    const rows = toWangdianRawRefunds(refund);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      refund_no: 'RF-1',
      num: Decimal.from(2),
      tid: 'ORD-1',
      oid: 'SUB-1',
      type: 2,
      status: 3,
      refund_version: '3',
      refund_amount: Decimal.from('20.2'),
      actual_refund_amount: Decimal.from('20.2'),
      title: 'Shirt',
      logistics_name: '顺丰',
      logistics_no: 'SF1',
      buyer_nick: 'buyer-1',
      refund_time: '2024-03-01 10:30:00',
      current_phase_timeout: '2024-03-03 00:00:01',
      is_aftersale: 1,
      reason: '尺码不合适',
      price: Decimal.from('10.1'),
      pay_account: 'pay@example.com',
      pay_no: 'PAY-1',
      remark: 'note',
      total_amount: Decimal.from('20.2'),
      spec_no: 'S1',
      spec_id: 'SID1',
      goods_no: 'G1',
      goods_id: 'GID1',
    });
    expect(rows[1]).not.toHaveProperty('price');
    expect(rows[1]).not.toHaveProperty('goods_no');
    expect(rows[1]?.oid).toBe('SUB-2');
    expect(rows[1]?.title).toBe('');
  });

  it('gives rows that pass validation and serialise with exact amounts', () => {
    const rows = validateWangdianRawRefunds('LCJ', toWangdianRawRefunds(refund));
    const json = toWangdianJson(['LCJ', rows]);
    expect(json).toContain('"num":2,');
    expect(json).toContain('"refund_amount":20.2,');
    expect(json).toContain('"price":10.1,');
  });

  it('writes empty logistics and omits absent optional fields, and honours refundVersion', () => {
    const minimal = parseRefund({
      refundNo: 'RF-2',
      orderNo: 'ORD-2',
      shopCode: 'LCJ',
      kind: 'cancel-order',
      status: 'cancelled',
      requestedAmount: '1',
      actualAmount: '0',
      afterSale: false,
      buyer: { nick: 'n' },
      lines: [{ subOrderId: 'S', quantity: 1, requestedAmount: 1, actualAmount: 0 }],
    });
    const [row] = toWangdianRawRefunds(minimal, { refundVersion: '7' });
    expect(row).toMatchObject({ type: 0, status: 1, is_aftersale: 0, refund_version: '7', reason: '' });
    expect(row?.logistics_name).toBe('');
    expect(row?.logistics_no).toBe('');
    for (const absent of ['refund_time', 'current_phase_timeout', 'pay_account', 'pay_no', 'remark']) {
      expect(row).not.toHaveProperty(absent);
    }
  });

  it('covers every kind and status with the vendor codes', () => {
    expect(Object.keys(WANGDIAN_REFUND_TYPES).sort()).toEqual([...REFUND_KINDS].sort());
    expect(Object.keys(WANGDIAN_REFUND_STATUSES).sort()).toEqual([...REFUND_STATUSES].sort());
    expect(WANGDIAN_REFUND_TYPES).toEqual({
      'cancel-order': 0,
      'refund-before-shipping': 1,
      'return-and-refund': 2,
      exchange: 3,
      'refund-without-return': 4,
    });
    expect(WANGDIAN_REFUND_STATUSES).toEqual({
      cancelled: 1,
      requested: 2,
      'awaiting-return': 3,
      'awaiting-receipt': 4,
      succeeded: 5,
    });
  });

  it('answers a wrong argument with a TypeError or RangeError', () => {
    expect(() => toWangdianRawRefunds(null as never)).toThrow(TypeError);
    expect(() => toWangdianRawRefunds({ ...refund, kind: 'nope' as never })).toThrow(RangeError);
    expect(() => toWangdianRawRefunds({ ...refund, status: 'nope' as never })).toThrow(RangeError);
  });
});
