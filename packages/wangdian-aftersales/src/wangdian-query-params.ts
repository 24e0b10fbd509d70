import { toShanghaiDateTime } from '@refundkit/refund-model';
import type { EndpointDefinition } from '@refundkit/transport';
import * as v from 'valibot';
import { shanghaiTime, TIME_MESSAGE, text } from './wangdian-schemas.js';

/*
 * What the Wangdian query definitions share: the params fields (integers, booleans, comma lists, window times), the
 * window rules (both ends together, start not after end, the longest span, when a window may be left out), and the
 * paging rule (`page_no` from 0, `page_size`, `calc_total`, in the signed query).
 */

/** A day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The vendor's date-time text read as Asia/Shanghai time, epoch ms (the text is already checked). */
export function shanghaiMs(value: string): number {
  return Date.parse(`${value.replace(' ', 'T')}+08:00`);
}

/** A window end: `yyyy-MM-dd HH:mm:ss` (+08:00) text or a `Date` in, the text out; never empty. */
export const windowTime = v.pipe(
  shanghaiTime,
  v.check((value: string) => value !== '', TIME_MESSAGE),
);

/** An integer parameter: a JSON integer, or digits as text (as the vendor's own examples send), out as a number. */
/* @__NO_SIDE_EFFECTS__ */
export function intParam<const T extends readonly number[]>(allowed?: T) {
  return v.pipe(
    v.custom<T extends readonly number[] ? T[number] | `${T[number]}` : number | string>(
      (value) =>
        (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e11) ||
        (typeof value === 'string' && /^-?\d{1,11}$/.test(value)),
      'must be an integer',
    ),
    v.check(
      (value) => allowed === undefined || allowed.includes(Number(value)),
      `must be one of ${allowed?.join(', ')}`,
    ),
    v.transform((value) => Number(value) as T extends readonly number[] ? T[number] : number),
  );
}

/** A boolean parameter (JSON `true`/`false`). */
export const boolParam = v.boolean('must be true or false');

/** A comma-separated list of statuses from `allowed`, at most `max` characters (`"30,80"`). */
/* @__NO_SIDE_EFFECTS__ */
export function statusListParam(allowed: readonly number[], max: number) {
  return v.pipe(
    text(max),
    v.check(
      (value: string) => value.split(',').every((part) => /^\d+$/.test(part) && allowed.includes(Number(part))),
      `must be a comma-separated list of ${allowed.join(', ')}`,
    ),
  );
}

/** A pair of parameters bounding one time window. */
export type WindowPair = readonly [from: string, to: string];

/** What a query's params schema checks about its windows. */
export interface WindowChecks {
  /** Every window pair the method takes. */
  pairs: readonly WindowPair[];
  /** The longest span of one window, ms. */
  maxSpanMs: number;
  /** One window required always (`true`), never (`false`), or unless one of these field groups is given in full. */
  required: boolean | readonly (readonly string[])[];
}

type Params = Record<string, unknown>;

/** The window issues of a checked params object: ends together, start not after end, span, required. */
function windowIssues(params: Params, checks: WindowChecks): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  let windows = 0;
  for (const [from, to] of checks.pairs) {
    const start = params[from];
    const end = params[to];
    if (start === undefined && end === undefined) continue;
    if (typeof start !== 'string') {
      issues.push({ path: from, message: `is required together with ${to}` });
      continue;
    }
    if (typeof end !== 'string') {
      issues.push({ path: to, message: `is required together with ${from}` });
      continue;
    }
    windows += 1;
    const span = shanghaiMs(end) - shanghaiMs(start);
    if (span < 0) issues.push({ path: from, message: `must not be after ${to}` });
    else if (span > checks.maxSpanMs) {
      issues.push({ path: to, message: `must be at most ${checks.maxSpanMs / DAY_MS} days after ${from}` });
    }
  }
  const { required } = checks;
  if (issues.length === 0 && windows === 0 && required !== false) {
    const waived = required !== true && required.some((group) => group.every((name) => params[name] !== undefined));
    if (!waived) {
      const [first] = checks.pairs;
      const alternatives = required === true ? '' : ` (or give ${required.map((g) => g.join(' + ')).join(', or ')})`;
      issues.push({ path: first?.[0] ?? '', message: `is required: give a time window${alternatives}` });
    }
  }
  return issues;
}

/** The window pairs of each query's params schema, for the client's checks against its clock. */
const WINDOW_PAIRS = new WeakMap<object, readonly WindowPair[]>();

/** The window pairs of a query definition (its one params argument); `[]` for other definitions. */
export function queryWindowPairs(definition: EndpointDefinition): readonly WindowPair[] {
  const items = (definition.request as { items?: readonly object[] }).items;
  return (items?.[0] && WINDOW_PAIRS.get(items[0])) ?? [];
}

/** A window end as given (`yyyy-MM-dd HH:mm:ss` text or a `Date`) as epoch ms; `undefined` if it is neither. */
export function readWindowTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const ms = shanghaiMs(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The params object of a query method: exactly the fields its page lists (`entries`), `null` or `undefined` fields
 * dropped, and its window rules checked. Unknown fields are refused, as the gateway refuses them (status 2).
 */
/* @__NO_SIDE_EFFECTS__ */
export function queryParams<const E extends v.ObjectEntries>(entries: E, checks: WindowChecks) {
  const schema = v.pipe(
    v.strictObject(entries, (issue) =>
      issue.expected === 'never' ? 'is not a parameter of this method' : 'must be an object of query parameters',
    ),
    v.transform((params) => {
      const out = { ...params } as Params;
      for (const key of Object.keys(out)) if (out[key] === undefined || out[key] === null) delete out[key];
      return out as typeof params;
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const issue of windowIssues(dataset.value as Params, checks)) {
        addIssue({
          message: issue.message,
          path: [
            {
              type: 'object',
              origin: 'value',
              input: dataset.value as Params,
              key: issue.path,
              value: (dataset.value as Params)[issue.path],
            },
          ],
        });
      }
    }),
  );
  WINDOW_PAIRS.set(schema, checks.pairs);
  return schema;
}

/** An optional field that may also be given as `null` (dropped before sending). */
/* @__NO_SIDE_EFFECTS__ */
export function opt<S extends v.GenericSchema>(schema: S) {
  return v.optional(v.nullable(schema));
}

/** Formats an epoch-ms time as the vendor's `yyyy-MM-dd HH:mm:ss` (+08:00). */
export function wangdianTime(ms: number): string {
  return toShanghaiDateTime(new Date(ms));
}
