import type { EndpointDefinition, InputIssue, PageWalkContext, PagingRule, WindowRule } from '@refundkit/transport';
import { InputValidationError } from '@refundkit/transport';
import { pagingIssues, sliceTimeRange } from '@refundkit/transport/internal';
import { queryWindowPairs, readWindowTime, wangdianTime } from './wangdian-query-params.js';

/*
 * What the Wangdian queries do beyond one call, carried by their paging and window rules (`wangdianPaging`,
 * `wangdianWindow`) so that a client given no query carries none of it: the check that no window ends later than
 * now, and the walk over every row of a range (docs/wangdian-paging.md).
 */

/** The window ends of a checked query request that lie after `now`, as issues naming the end parameter. */
function futureEndIssues(definition: EndpointDefinition, request: unknown, now: number): InputIssue[] {
  const params = Array.isArray(request) ? (request[0] as Record<string, unknown> | undefined) : undefined;
  if (params === undefined) return [];
  return queryWindowPairs(definition)
    .filter(([, to]) => typeof params[to] === 'string' && (readWindowTime(params[to]) ?? 0) > now)
    .map(([, to]) => ({ path: `args[0].${to}`, message: `must not be later than now (${wangdianTime(now)})` }));
}

/**
 * Walks every row of a Wangdian query: its range split into slices the gateway accepts, each slice walked from the
 * last page back, each row yielded once per slice by the rule's `idKey`.
 */
async function* walkWangdianQuery<Row>(context: PageWalkContext<Row>): AsyncGenerator<Row, void, undefined> {
  const { definition, args, subject } = context;
  const rule = definition.paging as PagingRule;
  const key = rule.idKey as string;
  const pageSize = context.pageSize ?? rule.defaultPageSize;
  const issues = pagingIssues(rule, { pageNo: rule.firstPage, pageSize }, 'options');
  if (issues.length > 0) throw new InputValidationError(subject, issues);
  const list = Array.isArray(args) ? args : [args];
  const params = list[0];
  let slices: unknown[][] = [list];
  const window = definition.window;
  if (window && typeof params === 'object' && params !== null) {
    const range = params as Record<string, unknown>;
    const start = readWindowTime(range[window.startParam]);
    const end = readWindowTime(range[window.endParam]);
    if (start !== undefined && end !== undefined) {
      const now = context.now();
      if (end > now) {
        throw new InputValidationError(`Wangdian ${definition.name} arguments`, [
          { path: `args[0].${window.endParam}`, message: `must not be later than now (${wangdianTime(now)})` },
        ]);
      }
      slices = sliceTimeRange(window, start, end).map((slice) => [
        { ...range, [window.startParam]: wangdianTime(slice.start), [window.endParam]: wangdianTime(slice.end) },
        ...list.slice(1),
      ]);
    }
  }
  const pick = context.rows ?? ((data: unknown) => ((data as Record<string, unknown>)[rule.rowsKey] ?? []) as Row[]);
  /** The rows of one page through the picker; a picker that throws or answers no array is the caller's input. */
  const pickRows = (data: unknown): Row[] => {
    let rows: unknown;
    try {
      rows = pick(data);
    } catch {
      rows = undefined;
    }
    if (!Array.isArray(rows)) {
      throw new InputValidationError(subject, [
        { path: 'options.rows', message: 'must answer an array of rows (it threw, or answered something else)' },
      ]);
    }
    return rows as Row[];
  };
  for (const sliceArgs of slices) {
    const seen = new Set<string>();
    const fetchPage = (pageNo: number) => context.fetchPage(sliceArgs, pageNo, pageSize, pageNo === 0 && !seen.size);
    const fresh = (rows: readonly Row[]): Row[] =>
      rows.filter((row) => {
        const id = String((row as Record<string, unknown>)[key]);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    const first = await fetchPage(0);
    const firstRows = pickRows(first);
    yield* fresh(firstRows);
    if (firstRows.length < pageSize) continue;
    const total = Number((first as Record<string, unknown>)[rule.totalKey ?? '']);
    if (!Number.isSafeInteger(total)) {
      // No count: walk forward until a short page.
      for (let pageNo = 1; ; pageNo++) {
        const rows = pickRows(await fetchPage(pageNo));
        yield* fresh(rows);
        if (rows.length < pageSize) break;
      }
      continue;
    }
    const last = Math.ceil(total / pageSize) - 1;
    for (let pageNo = last; pageNo >= 1; pageNo--) yield* fresh(pickRows(await fetchPage(pageNo)));
    if (last >= 1) yield* fresh(pickRows(await fetchPage(0)));
  }
}

/**
 * The paging rule of the Wangdian query methods, with the method's page-size limit and the field that identifies a
 * row (a walk yields each row once by it).
 */
/* @__NO_SIDE_EFFECTS__ */
export function wangdianPaging(maxPageSize: number, idKey: string, rowsKey = 'order'): PagingRule {
  return {
    pageNo: 'page_no',
    pageSize: 'page_size',
    firstPage: 0,
    maxPageSize,
    defaultPageSize: Math.min(100, maxPageSize),
    countParam: 'calc_total',
    rowsKey,
    totalKey: 'total_count',
    idKey,
    walk: walkWangdianQuery,
  };
}

/** A window rule on `yyyy-MM-dd HH:mm:ss` parameters (one-second resolution). */
/* @__NO_SIDE_EFFECTS__ */
export function wangdianWindow(startParam: string, endParam: string, maxSpanMs: number, required: boolean): WindowRule {
  return { startParam, endParam, maxSpanMs, required, stepMs: 1000, issuesAt: futureEndIssues };
}
