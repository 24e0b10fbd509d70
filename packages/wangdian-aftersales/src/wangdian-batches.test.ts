import { InputValidationError } from '@refundkit/transport';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import { batchWangdianRows } from './wangdian-batches.js';

const rows = (...refundNos: string[]) => refundNos.map((refund_no, line) => ({ refund_no, line }));

describe('batchWangdianRows', () => {
  it('splits 250 single-row refunds into 100, 100 and 50', () => {
    const input = Array.from({ length: 250 }, (_, i) => ({ refund_no: `R${i}` }));
    const batches = batchWangdianRows(input, 100);
    expect(batches.map((batch) => batch.rows.length)).toEqual([100, 100, 50]);
    expect(batches[2]?.refundNos[0]).toBe('R200');
  });

  it('never splits one refund, closing a batch early instead', () => {
    const batches = batchWangdianRows(rows('A', 'A', 'B', 'B', 'B', 'C'), 4);
    expect(batches.map((batch) => batch.refundNos)).toEqual([['A'], ['B', 'C']]);
  });

  it('keeps interleaved rows of a refund together, in their order', () => {
    const batches = batchWangdianRows(rows('A', 'B', 'A', 'C'), 10);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.rows.map((row) => `${row.refund_no}${row.line}`)).toEqual(['A0', 'A2', 'B1', 'C3']);
    expect(batches[0]?.refundNos).toEqual(['A', 'B', 'C']);
  });

  it('rejects a refund with more rows than maxBatch, naming its first row', () => {
    const attempt = () => batchWangdianRows(rows('A', 'B', 'B', 'B'), 2);
    expect(attempt).toThrow(InputValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as InputValidationError).issues.map((issue) => issue.path)).toEqual(['rows[1].refund_no']);
    }
  });

  it('property: every row lands in exactly one batch, batches respect maxBatch, refunds are never split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 300 }),
        fc.integer({ min: 5, max: 120 }),
        (ids, maxBatch) => {
          const input = ids.map((id, index) => ({ refund_no: `R${id}`, index }));
          const counts = new Map<string, number>();
          for (const row of input) counts.set(row.refund_no, (counts.get(row.refund_no) ?? 0) + 1);
          if ([...counts.values()].some((count) => count > maxBatch)) return;
          const batches = batchWangdianRows(input, maxBatch);
          const seen = batches.flatMap((batch) => batch.rows.map((row) => row.index)).sort((a, b) => a - b);
          expect(seen).toEqual(input.map((row) => row.index));
          const owner = new Map<string, number>();
          batches.forEach((batch, b) => {
            expect(batch.rows.length).toBeLessThanOrEqual(maxBatch);
            expect(batch.rows.length).toBeGreaterThan(0);
            expect(new Set(batch.rows.map((row) => row.refund_no))).toEqual(new Set(batch.refundNos));
            for (const refundNo of batch.refundNos) {
              expect(owner.has(refundNo)).toBe(false);
              owner.set(refundNo, b);
            }
          });
        },
      ),
      { numRuns: fuzzRuns(200) },
    );
  });
});
