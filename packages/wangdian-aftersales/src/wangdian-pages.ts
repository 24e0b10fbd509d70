import { InputValidationError } from '@refundkit/transport';
import { signalOptionIssues, walkPages } from '@refundkit/transport/internal';
import { UNDEFINED_METHOD_PAGING, type WangdianClient, type WangdianPagesOptions } from './wangdian-client.js';

/** Options of {@link walkWangdianPages}. */
export interface WangdianWalkOptions<Row> extends WangdianPagesOptions<Row> {
  /** The first page (default 0). */
  startPage?: number | undefined;
}

const SUBJECT = 'Wangdian walkWangdianPages() options';

/** The rows of one page of a method without a definition: `data` when it is an array, else its only list. */
function undefinedMethodRows(data: unknown): readonly unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [];
  const lists = Object.values(data).filter(Array.isArray);
  if (lists.length > 1) {
    throw new InputValidationError(SUBJECT, [
      { path: 'options.rows', message: 'is needed: the page has several lists, so pick the rows out of data' },
    ]);
  }
  return lists[0] ?? [];
}

/**
 * Iterates over every row of any paged method through `client.request()`, page by page (`page_no` from
 * `startPage`, `calc_total` on the first page), until a page comes back short or the counted total is reached.
 * The untyped pager, outside the client so that a bundle which never pages carries none of it; a defined query
 * is better walked by `client.pages()`, which also slices its time range.
 *
 * @example
 * for await (const row of walkWangdianPages(client, 'some.other.Method', { shop_no: 'LCJ' }, { pageSize: 50 })) { ... }
 */
export function walkWangdianPages<Row = unknown>(
  // biome-ignore lint/suspicious/noExplicitAny: any client, whatever definitions it was given.
  client: Pick<WangdianClient<any>, 'request'>,
  method: string,
  args: unknown,
  options: WangdianWalkOptions<Row> = {},
): AsyncIterable<Row> {
  return {
    [Symbol.asyncIterator]: () =>
      (async function* () {
        const issues = signalOptionIssues(options, 'options');
        if (issues.length > 0) throw new InputValidationError(SUBJECT, issues);
        const rule = UNDEFINED_METHOD_PAGING;
        yield* walkPages<Row>({
          rule,
          subject: SUBJECT,
          pageSize: options.pageSize,
          startPage: options.startPage,
          rows: options.rows ?? (undefinedMethodRows as (data: unknown) => readonly Row[]),
          fetchPage: ({ pageNo, pageSize }) =>
            client.request({
              method,
              args: Array.isArray(args) ? args : [args],
              paging: { pageNo, pageSize, calcTotal: pageNo === rule.firstPage },
              signal: options.signal,
            }),
        });
      })(),
  };
}
