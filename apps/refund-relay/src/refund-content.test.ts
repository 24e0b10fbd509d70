import { parseRefund } from '@refundkit/refund-model';
import { describe, expect, it } from 'vitest';
import { canonicalRefundJson, refundContentHash } from './refund-content.js';
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
