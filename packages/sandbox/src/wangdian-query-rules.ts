/**
 * The Wangdian sandbox's own reading of the query methods' vendor pages: each method's `params` table (types,
 * lengths in code points, enums), its time windows and their maximum span, when a window may be left out, and the
 * largest `page_size` it takes. `checkQuery` holds a request against its table and answers the way the gateway does.
 */
import { toShanghaiDateTime } from '@refundkit/refund-model';
import { numberText } from './wangdian-json.js';

/** One documented request field of a query method. */
export type ParamRule =
  | { kind: 'text'; max: number }
  | { kind: 'date-time' }
  | { kind: 'int'; allowed?: readonly number[] }
  | { kind: 'bool' }
  /** A string of comma-separated integers from `allowed`. */
  | { kind: 'int-list'; max: number; allowed: readonly number[] };

/** A pair of parameters bounding a time range, and what it filters on. */
export interface WindowRule {
  from: string;
  to: string;
}

/** What a query method's page says about its request. */
export interface QueryTable {
  method: string;
  params: Readonly<Record<string, ParamRule>>;
  /** The method's time windows (empty: it takes none). */
  windows: readonly WindowRule[];
  /** Longest range one window may span, ms. */
  maxSpanMs?: number;
  /**
   * Whether one complete window is required: `true` always, `false` never, or a list of parameter groups any one of
   * which, fully given, makes the window optional.
   */
  windowRequired: boolean | readonly (readonly string[])[];
  /** Largest page_size. */
  maxPageSize: number;
}

const DAY_MS = 86_400_000;
/** Largest page_size where a page names none. */
const UNDOCUMENTED_PAGE_SIZE = 100;
/** The refund pages advise page_size below 200; the sandbox takes that as the limit. */
const ADVISED_PAGE_SIZE = 200;

const text = (max: number): ParamRule => ({ kind: 'text', max });
const dateTime: ParamRule = { kind: 'date-time' };
const int = (allowed?: readonly number[]): ParamRule => (allowed ? { kind: 'int', allowed } : { kind: 'int' });
const bool: ParamRule = { kind: 'bool' };

const RAW_REFUND_PARAMS = {
  start_time: dateTime,
  end_time: dateTime,
  time_type: int([1, 2]),
  refund_no: text(40),
  logistics_no: text(40),
  platform_id: int(),
  shop_no: text(40),
  tid: text(40),
  oid: text(40),
  detail_mask: int([0, 1]),
} as const;

const REFUND_STATUSES = [10, 20, 30, 40, 80, 81, 85, 86, 87, 90] as const;
const STOCKIN_STATUSES = [10, 20, 30, 80] as const;

const STOCKIN_PARAMS = {
  warehouse_no: text(40),
  stockin_no: text(20),
  refund_no: text(40),
  shop_nos: text(255),
  status: { kind: 'int-list', max: 255, allowed: STOCKIN_STATUSES },
  time_type: int([0, 1]),
  start_time: dateTime,
  end_time: dateTime,
  is_slave: bool,
  need_sn: bool,
} as const satisfies Record<string, ParamRule>;

/** Every query method the sandbox serves, by name. */
export const QUERY_TABLES: Readonly<Record<string, QueryTable>> = Object.fromEntries(
  (
    [
      {
        method: 'aftersales.refund.RawRefund.search',
        params: { ...RAW_REFUND_PARAMS, filter_detail: int([0, 1]) },
        windows: [{ from: 'start_time', to: 'end_time' }],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: [['platform_id', 'refund_no'], ['refund_no'], ['platform_id', 'tid'], ['logistics_no']],
        maxPageSize: ADVISED_PAGE_SIZE,
      },
      {
        method: 'aftersales.refund.RawRefund.searchHistory',
        params: RAW_REFUND_PARAMS,
        windows: [{ from: 'start_time', to: 'end_time' }],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: [['platform_id', 'refund_no'], ['platform_id', 'tid'], ['logistics_no']],
        maxPageSize: ADVISED_PAGE_SIZE,
      },
      {
        method: 'aftersales.refund.Refund.search',
        params: {
          shop_nos: text(255),
          tid: text(40),
          buyer_nick: text(100),
          trade_no: text(40),
          refund_no: text(40),
          return_logistics_no: text(40),
          modified_from: dateTime,
          modified_to: dateTime,
          settle_from: dateTime,
          settle_to: dateTime,
          agree_from: dateTime,
          agree_to: dateTime,
          status: int(REFUND_STATUSES),
          stockin_status: int([0, 1, 2, 3, 4]),
          return_warehouse_nos: text(1000),
          type: int([1, 2, 3, 4, 6]),
          fuzzy_query: bool,
          return_mask_manual_intercept: bool,
          refund_mask_reject_return: bool,
          order_type: int([0, 1]),
          rr_status: int([1, 2, 3, 4, 5]),
          current_phase_timeout_from: dateTime,
          current_phase_timeout_to: dateTime,
          need_gov_subsidy_info: bool,
          raw_refund_nos: text(255),
        },
        windows: [
          { from: 'modified_from', to: 'modified_to' },
          { from: 'settle_from', to: 'settle_to' },
          { from: 'agree_from', to: 'agree_to' },
          { from: 'current_phase_timeout_from', to: 'current_phase_timeout_to' },
        ],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: true,
        maxPageSize: ADVISED_PAGE_SIZE,
      },
      {
        method: 'aftersales.refund.Refund.searchHistory',
        params: {
          start_time: dateTime,
          end_time: dateTime,
          shop_no: text(20),
          refund_no: text(40),
          type: int([1, 2, 3, 4]),
          status: { kind: 'int-list', max: 4, allowed: [10, 90] },
        },
        windows: [{ from: 'start_time', to: 'end_time' }],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: [['refund_no']],
        maxPageSize: ADVISED_PAGE_SIZE,
      },
      {
        method: 'wms.stockin.Refund.queryWithDetail',
        params: { ...STOCKIN_PARAMS, need_summary: bool, need_gov_subsidy_info: bool },
        windows: [{ from: 'start_time', to: 'end_time' }],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: true,
        maxPageSize: UNDOCUMENTED_PAGE_SIZE,
      },
      {
        method: 'wms.stockin.Refund.queryHisWithDetail',
        params: STOCKIN_PARAMS,
        windows: [{ from: 'start_time', to: 'end_time' }],
        maxSpanMs: 30 * DAY_MS,
        windowRequired: true,
        maxPageSize: UNDOCUMENTED_PAGE_SIZE,
      },
      {
        method: 'setting.Shop.queryShop',
        params: { shop_no: text(20), platform_id: int() },
        windows: [],
        windowRequired: false,
        maxPageSize: UNDOCUMENTED_PAGE_SIZE,
      },
    ] satisfies QueryTable[]
  ).map((table) => [table.method, table]),
);

/** A refusal as the gateway words it. */
export interface QueryRefusal {
  status: number;
  message: string;
}

/** A checked query: the filters (absent and null fields dropped, integers as numbers) and the paging. */
export interface CheckedQuery {
  table: QueryTable;
  filter: Record<string, string | number | boolean>;
  /** Epoch ms bounds of each window given, by its `from` name. */
  windows: Record<string, { from: number; to: number }>;
  pageSize: number;
  pageNo: number;
  calcTotal: boolean;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Reads `yyyy-MM-dd HH:mm:ss` as Asia/Shanghai time (epoch ms); `undefined` if it is not a real date-time. */
export function readShanghaiDateTime(value: string): number | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(`${value.replace(' ', 'T')}+08:00`);
  // A day or time that does not exist (Feb 30, 24:00) does not read back as the same text.
  return Number.isNaN(ms) || toShanghaiDateTime(new Date(ms)) !== value ? undefined : ms;
}

const bad = (message: string): QueryRefusal => ({ status: 1, message: `参数错误: ${message}` });

function checkParam(name: string, rule: ParamRule, value: unknown): string | number | boolean | QueryRefusal {
  const at = `params.${name}`;
  switch (rule.kind) {
    case 'text':
      if (typeof value !== 'string') return bad(`${at} must be a string`);
      if ([...value].length > rule.max) return bad(`${at} is longer than ${rule.max} characters`);
      return value;
    case 'date-time':
      if (typeof value !== 'string') return bad(`${at} must be a string`);
      if (readShanghaiDateTime(value) === undefined) {
        return { status: 100, message: `Unparseable date: ${value} (${at})` };
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') return bad(`${at} must be true or false`);
      return value;
    case 'int': {
      // The gateway reads integers from JSON integers and from digit strings (the queryShop example sends "127").
      const source = typeof value === 'string' ? value : numberText(value);
      if (source === undefined || !/^-?\d{1,11}$/.test(source)) return bad(`${at} must be an integer`);
      const number = Number(source);
      if (rule.allowed && !rule.allowed.includes(number)) {
        return bad(`${at} must be one of ${rule.allowed.join(', ')}`);
      }
      return number;
    }
    case 'int-list': {
      if (typeof value !== 'string') return bad(`${at} must be a string`);
      if ([...value].length > rule.max) return bad(`${at} is longer than ${rule.max} characters`);
      const parts = value.split(',');
      if (!parts.every((part) => /^\d+$/.test(part)))
        return { status: 100, message: '状态应该是由逗号分隔开的整数数组' };
      if (!parts.every((part) => rule.allowed.includes(Number(part)))) {
        return bad(`${at} must list values from ${rule.allowed.join(', ')}`);
      }
      return value;
    }
  }
}

function pagingNumber(value: string | null): number | undefined {
  return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * Holds one query call (its positional arguments and its signed query) against the method's table, in the
 * gateway's order: paging, argument shape, each field, then the windows. Returns the checked query or the refusal.
 */
export function checkQuery(
  table: QueryTable,
  args: readonly unknown[],
  query: URLSearchParams,
  pageSizeCap: number,
): CheckedQuery | QueryRefusal {
  const pageSizeText = query.get('page_size');
  const pageNoText = query.get('page_no');
  if (pageSizeText === null || pageNoText === null) return { status: 100, message: '此方法仅支持分页查询' };
  const maxPageSize = Math.min(table.maxPageSize, pageSizeCap);
  const pageSize = pagingNumber(pageSizeText);
  if (pageSize === undefined || pageSize < 1 || pageSize > maxPageSize) {
    return bad(`page_size must be an integer from 1 to ${maxPageSize}`);
  }
  const pageNo = pagingNumber(pageNoText);
  if (pageNo === undefined) return bad('page_no must be an integer from 0');
  const calcTotal = query.get('calc_total');
  if (calcTotal !== null && calcTotal !== '0' && calcTotal !== '1') return bad('calc_total must be 0 or 1');
  if (args.length !== 1) return { status: 1, message: '参数个数错误: expected 1 argument (params)' };
  const source = args[0];
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    return { status: 1, message: 'argument type mismatch: params must be an object' };
  }
  const filter: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(source)) {
    const rule = table.params[name];
    // The gateway names an unknown parameter by itself, with status 2.
    if (!rule) return { status: 2, message: name };
    if (value === null || value === undefined) continue;
    const checked = checkParam(name, rule, value);
    if (typeof checked === 'object') return checked;
    filter[name] = checked;
  }
  const windows: CheckedQuery['windows'] = {};
  for (const window of table.windows) {
    const from = filter[window.from];
    const to = filter[window.to];
    if (from === undefined && to === undefined) continue;
    if (typeof from !== 'string' || typeof to !== 'string') return { status: 100, message: '参数中必须包含起止时间' };
    const fromMs = readShanghaiDateTime(from) ?? 0;
    const toMs = readShanghaiDateTime(to) ?? 0;
    if (fromMs > toMs) return { status: 100, message: '开始时间不能大于结束时间' };
    if (table.maxSpanMs !== undefined && toMs - fromMs > table.maxSpanMs) {
      return { status: 100, message: `您的查询时间过宽,查询时间不能大于${table.maxSpanMs / DAY_MS}天` };
    }
    windows[window.from] = { from: fromMs, to: toMs };
  }
  const required = table.windowRequired;
  if (required !== false && Object.keys(windows).length === 0) {
    const waived = required !== true && required.some((group) => group.every((name) => filter[name] !== undefined));
    if (!waived) return { status: 100, message: '参数中必须包含起止时间' };
  }
  return { table, filter, windows, pageSize, pageNo, calcTotal: calcTotal === '1' };
}
