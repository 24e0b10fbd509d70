import { type InputIssue, InputValidationError, isRefundkitError } from '@refundkit/refund-model';
import type { PageWalk, PagingRule, WindowRule } from './endpoint.js';

/** One page to ask for. */
export interface PageRequest {
  pageNo: number;
  pageSize: number;
}

/**
 * Checks a page request against an operation's paging rule: a whole page number from `firstPage`, a whole page size
 * from 1 to `maxPageSize`. Answers the issues found (empty when it is fine), under `prefix`.
 */
export function pagingIssues(rule: PagingRule, page: unknown, prefix = 'paging'): InputIssue[] {
  if (typeof page !== 'object' || page === null) return [{ path: prefix, message: 'must be an object' }];
  const { pageNo, pageSize } = page as Partial<Record<keyof PageRequest, unknown>>;
  const issues: InputIssue[] = [];
  if (!Number.isSafeInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > rule.maxPageSize) {
    issues.push({ path: `${prefix}.pageSize`, message: `must be a whole number from 1 to ${rule.maxPageSize}` });
  }
  if (!Number.isSafeInteger(pageNo) || (pageNo as number) < rule.firstPage) {
    issues.push({ path: `${prefix}.pageNo`, message: `must be a whole number from ${rule.firstPage}` });
  }
  return issues;
}

/**
 * The query parameters of one page, in the order the vendor signs them: page size, page number, and the count
 * parameter when the operation has one (`1` when `count`, by default on the first page only, else `0`).
 */
export function pagingQuery(
  rule: PagingRule,
  page: PageRequest,
  count: boolean = page.pageNo === rule.firstPage,
): [string, string][] {
  const query: [string, string][] = [
    [rule.pageSize, String(page.pageSize)],
    [rule.pageNo, String(page.pageNo)],
  ];
  if (rule.countParam !== undefined) query.push([rule.countParam, count ? '1' : '0']);
  return query;
}

/** How {@link walkPages} fetches and reads pages. */
export interface WalkPagesOptions<Row> {
  rule: PagingRule;
  /** The page size (checked against the rule; default `rule.defaultPageSize`). */
  pageSize?: number | undefined;
  /** The first page to fetch (default `rule.firstPage`). */
  startPage?: number | undefined;
  /** Fetches one page and answers its checked `data`. */
  fetchPage(page: PageRequest): Promise<unknown>;
  /** Picks the rows out of a page's data (default: `data[rule.rowsKey]`, which must be an array). */
  rows?: ((data: unknown) => readonly Row[]) | undefined;
  /** Names the subject of validation errors, e.g. `wangdian pages() options`. */
  subject: string;
}

/**
 * Walks a paged operation forward, page by page, yielding every row, and stops after a short page (or an empty
 * one), or once the rows seen reach the total the vendor counted on the first page. Paging options are checked
 * before the first page is fetched; a picker that throws or answers something other than an array is an
 * `InputValidationError` naming `rows`, thrown before any row of that page is yielded.
 */
export async function* walkPages<Row>(options: WalkPagesOptions<Row>): AsyncGenerator<Row, void, undefined> {
  const { rule, subject } = options;
  const pageSize = options.pageSize ?? rule.defaultPageSize;
  const startPage = options.startPage ?? rule.firstPage;
  const issues = pagingIssues(rule, { pageNo: startPage, pageSize }, 'options');
  if (options.rows !== undefined && typeof options.rows !== 'function') {
    issues.push({ path: 'options.rows', message: 'must be a function from a page’s data to its rows' });
  }
  if (issues.length > 0) throw new InputValidationError(subject, renamePageIssues(issues));
  const pick = options.rows ?? ((data: unknown) => defaultRows(rule, data));
  let seen = 0;
  let total: number | undefined;
  for (let pageNo = startPage; ; pageNo++) {
    const data = await options.fetchPage({ pageNo, pageSize });
    let rows: readonly Row[];
    try {
      rows = pick(data);
    } catch (error) {
      if (isRefundkitError(error)) throw error;
      throw new InputValidationError(subject, [{ path: 'options.rows', message: 'threw while picking the rows' }]);
    }
    if (!Array.isArray(rows)) {
      throw new InputValidationError(subject, [{ path: 'options.rows', message: 'must answer an array of rows' }]);
    }
    if (pageNo === startPage && rule.totalKey !== undefined) total = totalOf(rule, data);
    yield* rows;
    seen += rows.length;
    if (rows.length < pageSize || (total !== undefined && seen >= total)) return;
  }
}

/** `options.pageNo` reads `options.startPage` in the walker's terms. */
function renamePageIssues(issues: InputIssue[]): InputIssue[] {
  return issues.map((issue) =>
    issue.path === 'options.pageNo' ? { ...issue, path: 'options.startPage' } : (issue as InputIssue),
  );
}

function defaultRows(rule: PagingRule, data: unknown): readonly never[] {
  if (typeof data !== 'object' || data === null) return [];
  const rows = (data as Record<string, unknown>)[rule.rowsKey];
  if (rows === undefined || rows === null) return [];
  return Array.isArray(rows) ? (rows as never[]) : [];
}

function totalOf(rule: PagingRule, data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null || rule.totalKey === undefined) return undefined;
  const raw = (data as Record<string, unknown>)[rule.totalKey];
  const total = typeof raw === 'string' ? Number(raw) : raw;
  return typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
}

/** One slice of a time range: both ends inclusive at the rule's `stepMs`, epoch milliseconds. */
export interface TimeSlice {
  start: number;
  end: number;
}

/**
 * Splits the range from `start` to `end` (epoch ms, both inclusive) into consecutive slices the vendor accepts: each
 * spans at most `rule.maxSpanMs`, the next starts one `stepMs` after the previous ends, so slices neither overlap
 * nor leave a gap at the vendor's resolution, and the last ends at `end`. A start after the end, or ends that are
 * not finite, are an `InputValidationError` naming the window parameters.
 *
 * @example
 * sliceTimeRange(rule, Date.parse('2024-01-01T00:00:00+08:00'), Date.parse('2024-03-31T23:59:59+08:00')); // 4 slices of ≤ 30 days
 */
export function sliceTimeRange(rule: WindowRule, start: number, end: number): TimeSlice[] {
  const issues: InputIssue[] = [];
  if (!Number.isFinite(start)) issues.push({ path: rule.startParam, message: 'must be a valid time' });
  if (!Number.isFinite(end)) issues.push({ path: rule.endParam, message: 'must be a valid time' });
  if (issues.length === 0 && start > end)
    issues.push({ path: rule.startParam, message: `must not be after ${rule.endParam}` });
  if (issues.length > 0) throw new InputValidationError('time window', issues);
  const slices: TimeSlice[] = [];
  for (let from = start; from <= end; ) {
    const to = Math.min(from + rule.maxSpanMs, end);
    slices.push({ start: from, end: to });
    if (to === end) break;
    from = to + rule.stepMs;
  }
  return slices;
}

/**
 * The forward walk as a {@link PageWalk}, for the `walk` of an operation read front to back (Kingdee's lists): every
 * page from `startPage` through {@link walkPages}, each sent with the caller's arguments. A client walks an operation
 * by its rule's `walk`, so one that serves no paged operation carries no pager.
 */
export const walkForward: PageWalk = (context) => {
  const rule = context.definition.paging as PagingRule;
  return walkPages({
    rule,
    subject: context.subject,
    pageSize: context.pageSize,
    startPage: context.startPage,
    rows: context.rows,
    fetchPage: ({ pageNo, pageSize }) => context.fetchPage([context.args], pageNo, pageSize, pageNo === rule.firstPage),
  });
};
