import { InputValidationError } from '@refundkit/refund-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../test-support/fuzz.js';
import type { PagingRule, WindowRule } from './endpoint.js';
import { pagingIssues, pagingQuery, sliceTimeRange, walkPages } from './paging.js';

const RULE: PagingRule = {
  pageNo: 'page_no',
  pageSize: 'page_size',
  firstPage: 0,
  maxPageSize: 50,
  defaultPageSize: 10,
  countParam: 'calc_total',
  rowsKey: 'order',
  totalKey: 'total_count',
};

/** A paged store of `total` rows that records every page asked for. */
function store(total: number, options: { answerTotal?: boolean } = {}) {
  const asked: Array<{ pageNo: number; pageSize: number }> = [];
  return {
    asked,
    fetchPage: async (page: { pageNo: number; pageSize: number }) => {
      asked.push(page);
      const start = page.pageNo * page.pageSize;
      const order = Array.from({ length: Math.max(0, Math.min(page.pageSize, total - start)) }, (_, i) => start + i);
      return options.answerTotal ? { order, total_count: total } : { order };
    },
  };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe('paging', () => {
  it('writes the pager in the signed order, counting on the first page only', () => {
    expect(pagingQuery(RULE, { pageNo: 0, pageSize: 20 })).toEqual([
      ['page_size', '20'],
      ['page_no', '0'],
      ['calc_total', '1'],
    ]);
    expect(pagingQuery(RULE, { pageNo: 3, pageSize: 20 })[2]).toEqual(['calc_total', '0']);
    expect(pagingQuery(RULE, { pageNo: 3, pageSize: 20 }, true)[2]).toEqual(['calc_total', '1']);
    expect(pagingQuery({ ...RULE, countParam: undefined }, { pageNo: 1, pageSize: 5 })).toHaveLength(2);
  });

  it('checks page numbers from firstPage and sizes within the documented limit', () => {
    expect(pagingIssues(RULE, { pageNo: 0, pageSize: 50 })).toEqual([]);
    expect(pagingIssues(RULE, { pageNo: -1, pageSize: 51 }).map((issue) => issue.path)).toEqual([
      'paging.pageSize',
      'paging.pageNo',
    ]);
    for (const bad of [Number.NaN, 1.5, '10', 0, Number.POSITIVE_INFINITY]) {
      expect(pagingIssues(RULE, { pageNo: 0, pageSize: bad })).toHaveLength(1);
    }
    expect(pagingIssues(RULE, null)).toEqual([{ path: 'paging', message: 'must be an object' }]);
  });

  it('walks every row once, stopping at a short page or at the counted total', async () => {
    const short = store(25);
    expect(await all(walkPages({ rule: RULE, subject: 's', fetchPage: short.fetchPage }))).toEqual(
      Array.from({ length: 25 }, (_, i) => i),
    );
    expect(short.asked.map((page) => page.pageNo)).toEqual([0, 1, 2]);
    const exact = store(20, { answerTotal: true });
    expect(await all(walkPages({ rule: RULE, subject: 's', fetchPage: exact.fetchPage }))).toHaveLength(20);
    expect(exact.asked.map((page) => page.pageNo)).toEqual([0, 1]);
  });

  it('refuses bad options and bad pickers with an InputValidationError before yielding a row', async () => {
    const pages = store(5);
    await expect(
      all(walkPages({ rule: RULE, subject: 's', pageSize: 51, fetchPage: pages.fetchPage })),
    ).rejects.toThrow(InputValidationError);
    await expect(
      all(walkPages({ rule: RULE, subject: 's', startPage: -1, fetchPage: pages.fetchPage })),
    ).rejects.toMatchObject({ issues: [{ path: 'options.startPage' }] });
    expect(pages.asked).toHaveLength(0);
    const notAnArray = walkPages({ rule: RULE, subject: 's', rows: () => 5 as never, fetchPage: pages.fetchPage });
    await expect(all(notAnArray)).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ path: 'options.rows' }] });
    const throwing = walkPages({
      rule: RULE,
      subject: 's',
      rows: () => {
        throw new Error('picker bug');
      },
      fetchPage: pages.fetchPage,
    });
    await expect(all(throwing)).rejects.toMatchObject({ code: 'VALIDATION', issues: [{ path: 'options.rows' }] });
  });
});

describe('sliceTimeRange', () => {
  const DAY = 86_400_000;
  const window: WindowRule = {
    startParam: 'start_time',
    endParam: 'end_time',
    maxSpanMs: 30 * DAY,
    required: true,
    stepMs: 1000,
  };

  it('slices 95 days into four consecutive windows of at most 30 days', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = start + 95 * DAY - 1000;
    const slices = sliceTimeRange(window, start, end);
    expect(slices).toHaveLength(4);
    expect(slices[0]).toEqual({ start, end: start + 30 * DAY });
    expect(slices[1]?.start).toBe(start + 30 * DAY + 1000);
    expect(slices.at(-1)?.end).toBe(end);
  });

  it('refuses a start after the end, and times that are not finite', () => {
    expect(() => sliceTimeRange(window, 2, 1)).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'start_time' })] }),
    );
    expect(() => sliceTimeRange(window, Number.NaN, 1)).toThrow(InputValidationError);
  });

  it('property: slices cover the range exactly, in order, without overlap or gap, none longer than the span', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 400 }),
        (startSeconds, lengthSeconds, spanSeconds) => {
          const rule = { ...window, maxSpanMs: spanSeconds * 1000 };
          const start = startSeconds * 1000;
          const end = start + lengthSeconds * 1000;
          const slices = sliceTimeRange(rule, start, end);
          expect(slices[0]?.start).toBe(start);
          expect(slices.at(-1)?.end).toBe(end);
          slices.forEach((slice, index) => {
            expect(slice.end - slice.start).toBeLessThanOrEqual(rule.maxSpanMs);
            expect(slice.end).toBeGreaterThanOrEqual(slice.start);
            if (index > 0) expect(slice.start).toBe((slices[index - 1]?.end ?? 0) + 1000);
          });
        },
      ),
      { numRuns: fuzzRuns(200) },
    );
  });
});
