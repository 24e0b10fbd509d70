import { InputValidationError, parseRefund } from '@refundkit/refund-model';
import { describe, expect, it } from 'vitest';
import { canonicalRefundJson, purgedRefundBody, refundContentHash, storedRefund } from './refund-content.js';
import { sampleRefunds } from './test-support.js';

describe('canonicalRefundJson', () => {
  it('writes the same text outboxes have always stored, so their content hashes still find duplicates', () => {
    const refunds = sampleRefunds(40, 11, 'GOLD');
    expect(refunds).toHaveLength(40);
    // The hash of these 40 texts as written before the one-pass writer; a change here breaks every stored hash.
    expect(refundContentHash(refunds.map(canonicalRefundJson).join('\n'))).toBe(
      'f835e75fdb831246402dce441e52dc928682a5db46be41e21efdff76d1f9e1e7',
    );
  });

  it('sorts keys at every depth, writes amounts as decimal strings and instants in ISO form, and parses back', () => {
    const [refund] = sampleRefunds(1, 11, 'GOLD');
    const text = canonicalRefundJson(refund!);
    const sortedAtEveryDepth = (value: unknown): boolean =>
      Array.isArray(value)
        ? value.every(sortedAtEveryDepth)
        : value === null || typeof value !== 'object'
          ? true
          : Object.keys(value).join() === Object.keys(value).sort().join() &&
            Object.values(value).every(sortedAtEveryDepth);
    const parsed = JSON.parse(text);
    expect(sortedAtEveryDepth(parsed)).toBe(true);
    expect(parsed.actualAmount).toBe(refund!.actualAmount.toString());
    expect(parsed.createdAt).toBe(refund!.createdAt?.toISOString());
    expect(parsed.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(canonicalRefundJson(parseRefund(parsed))).toBe(text);
  });
});

describe('storedRefund', () => {
  // Every optional field set, so each Decimal and Date the model has is in the body.
  const full = parseRefund({
    refundNo: 'RF-FULL-1',
    orderNo: 'T-1',
    shopCode: 'LCJ',
    kind: 'return-and-refund',
    status: 'succeeded',
    version: '3',
    requestedAmount: '120.5',
    actualAmount: 100,
    reason: '尺码不合适',
    remark: '客服已核实',
    afterSale: true,
    buyer: { nick: 'nick_full', payAccount: '138****0000' },
    payment: {
      payNo: 'P1',
      merchantId: 'M1',
      channelOrderNo: 'C1',
      terminalNo: 'T1',
      terminalIp: '10.0.0.1',
      serviceGroup: 'G',
    },
    logistics: { company: '顺丰速运', trackingNo: 'SF1' },
    createdAt: '2024-05-22 09:07:18.125',
    completedAt: '2024-05-23T10:00:00Z',
    lines: [
      {
        subOrderId: 'O-1',
        title: '短袖',
        quantity: '2',
        unitPrice: '30.25',
        lineTotal: '60.5',
        requestedAmount: '60.5',
        actualAmount: '50',
        goodsNo: 'G1',
        goodsId: 'GI1',
        specNo: 'S1',
        specId: 'SI1',
      },
      { subOrderId: 'O-2', quantity: '0.5', requestedAmount: 60, actualAmount: '50' },
    ],
  });

  it('rebuilds a body intake wrote (its hash matching) into the refund parseRefund gives', () => {
    for (const refund of [full, ...sampleRefunds(60, 5, 'STORED')]) {
      const body = canonicalRefundJson(refund);
      const rebuilt = storedRefund(body, refundContentHash(body));
      expect(rebuilt).toStrictEqual(parseRefund(JSON.parse(body)));
      expect(rebuilt).toStrictEqual(refund);
      expect(canonicalRefundJson(rebuilt)).toBe(body);
    }
  });

  it('validates a body that is not what intake wrote, and refuses one that is no longer a valid refund', () => {
    const body = canonicalRefundJson(full);
    const hash = refundContentHash(body);
    // Changed after intake (an amount made negative): the hash no longer matches, so every rule is checked again.
    const changed = body.replace('"actualAmount":"100"', '"actualAmount":"-100"');
    expect(changed).not.toBe(body);
    expect(() => storedRefund(changed, hash)).toThrow(InputValidationError);
    // A purged body keeps its version's hash but lost the buyer: validated, and refused.
    expect(() => storedRefund(purgedRefundBody(body), hash)).toThrow(/buyer/);
    // Without a hash the body is always validated; a valid one gives the same refund.
    expect(storedRefund(body)).toStrictEqual(full);
    expect(() => storedRefund(changed)).toThrow(InputValidationError);
  });
});
