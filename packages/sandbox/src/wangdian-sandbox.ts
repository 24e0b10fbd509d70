/**
 * A local stand-in for the Wangdian 旺店通 旗舰版 open API (`POST /openapi`): sid, key, salt, version, timestamp and
 * sign checks over the exact body bytes for every method; the raw refund pushes (`RawRefund.upload`, `upload2`) with
 * the vendor tables' row checks; the refund lifecycle queries (raw refunds, 退换单, return stock-ins, each current and
 * archived) and shops, held against the sandbox's own tables of the vendor pages; an ERP that moves pushed refunds
 * through their states on a business clock; a per-minute rate limit; plus a request log, counters and faults.
 */
import { parseWangdianAppSecret, verifyWangdianSign, wangdianTimestamp } from '@refundkit/signing';
import type { SandboxFault, SandboxFaultKind } from './faults.js';
import {
  type HandlerAnswer,
  type HandlerRequest,
  type Sandbox,
  type SandboxBaseCounters,
  type SandboxOptions,
  startSandboxEngine,
} from './sandbox-server.js';
import { createErp, type WangdianErp, type WangdianErpOptions, type WangdianStoredRefund } from './wangdian-erp.js';

export type { WangdianStoredRefund } from './wangdian-erp.js';

import { parseWangdianBody, writeWangdianJson } from './wangdian-json.js';
import { answerQuery, type HeldShop, type WangdianShop } from './wangdian-query-answers.js';
import { checkQuery, QUERY_TABLES } from './wangdian-query-rules.js';
import {
  canonicalRawRefundRow,
  checkRawRefundRow,
  type RawRefundPush,
  unknownRawRefundField,
  type WangdianRawRefundRow,
} from './wangdian-raw-refund.js';

/** The credentials of the sandbox's one seller account; spread them into the Wangdian client's settings. */
export interface WangdianSandboxCredentials {
  sid: string;
  appKey: string;
  /** `secret:salt`, as Wangdian issues it. */
  appSecret: string;
}

/** Methods the sandbox serves (faults may also name any other method, or '*'). */
export type WangdianMethod =
  | 'aftersales.refund.RawRefund.upload'
  | 'aftersales.refund.RawRefund.upload2'
  | 'aftersales.refund.RawRefund.search'
  | 'aftersales.refund.RawRefund.searchHistory'
  | 'aftersales.refund.Refund.search'
  | 'aftersales.refund.Refund.searchHistory'
  | 'wms.stockin.Refund.queryWithDetail'
  | 'wms.stockin.Refund.queryHisWithDetail'
  | 'setting.Shop.queryShop';
/** Fault kinds the Wangdian sandbox supports. */
export type WangdianFaultKind = Exclude<SandboxFaultKind, 'expire-token'>;
/** A Wangdian fault rule (see `SandboxFault`); `route` is a method name. */
export type WangdianFault = SandboxFault<WangdianFaultKind, WangdianMethod | (string & {})>;

export interface WangdianSandboxOptions extends SandboxOptions<WangdianSandboxCredentials, WangdianFault> {
  /**
   * The account's shops (default `['LCJ']`, the upload doc's shop): shop numbers, or shops with a name, platform
   * (default 127, 自有平台), whether the account holds their permission (default yes) and whether they are disabled.
   */
  shops?: readonly (string | WangdianShop)[];
  /** Warehouse numbers (default `['WH001']`); returns come back into the first. */
  warehouses?: readonly string[];
  /** Most rows one upload may carry (default 100, the vendor's recommendation). */
  maxBatch?: number;
  /** Caps every query method's largest `page_size` (default: each method's own limit, 200 or 100). */
  maxPageSize?: number;
  /** The ERP simulation: step length, archive age, where the business clock starts. */
  erp?: WangdianErpOptions;
  /** Calls one method may take per minute of sandbox time before it answers the rate-limit refusal (default no limit). */
  rateLimitPerMinute?: number;
  /** The rate-limit refusal's text (default `WANGDIAN_RATE_LIMIT_MESSAGE`). */
  rateLimitMessage?: string;
}

/** Counters of the Wangdian sandbox. */
export interface WangdianSandboxCounters extends SandboxBaseCounters {
  /** Accepted RawRefund.upload and upload2 calls. */
  uploads: number;
  /** Rows in accepted uploads. */
  rows: number;
  /** Rows counted in new_count. */
  newRows: number;
  /** Rows counted in chg_count. */
  changedRows: number;
  /** Identical re-uploaded rows (in neither count). */
  unchangedRows: number;
  /** Rows upload2 refused in error_list. */
  refusedRows: number;
  /** Accepted query calls (every search and queryShop method). */
  searches: number;
  /** Calls answered with the rate-limit refusal. */
  rateLimited: number;
}

export interface WangdianSandbox
  extends Sandbox<WangdianSandboxCredentials, WangdianSandboxCounters, WangdianFaultKind, string, WangdianFault> {
  /** Stored raw refund rows keyed by `wangdianRefundKey(refund_no, oid)` (a live view, archived ones included). */
  readonly refunds: ReadonlyMap<string, WangdianStoredRefund>;
  /** The stored row of a refund_no + oid. */
  getRefund(refundNo: string, oid: string): WangdianStoredRefund | undefined;
  /** Shop numbers that exist (a copy). */
  readonly shops: string[];
  /** The ERP: its business clock, its 退换单 and stock-ins, and the knobs tests turn. */
  readonly erp: WangdianErp;
  /** Sets (or, with `undefined`, lifts) the per-method calls-per-minute limit, and optionally its refusal text. */
  setRateLimit(perMinute: number | undefined, message?: string): void;
}

const UPLOAD = 'aftersales.refund.RawRefund.upload';
const UPLOAD2 = 'aftersales.refund.RawRefund.upload2';
const REQUIRED_PARAMS = ['sid', 'key', 'salt', 'method', 'timestamp', 'v', 'sign'] as const;
const PAGING_PARAMS = ['page_size', 'page_no', 'calc_total'] as const;
const KNOWN_PARAMS = new Set<string>([...REQUIRED_PARAMS, ...PAGING_PARAMS]);
const TIMESTAMP_WINDOW_S = 120;
/** The gateway's per-minute call limit refusal, answered with status 100 (it also comes with an ASCII comma). */
export const WANGDIAN_RATE_LIMIT_MESSAGE = '超过每分钟最大调用频率限制，请稍后重试';
/** What the gateway answers for a method the account may not call, which is any method it does not serve. */
const NOT_PERMITTED = '权限不足';
/** The 自有平台 platform id: upload2 takes only such shops. */
const OWN_PLATFORM = 127;

const DEFAULT_CREDENTIALS: WangdianSandboxCredentials = {
  sid: 'wdtapi3',
  appKey: 'appkey',
  appSecret: 'testsecret:testsalt',
};

const KINDS: readonly WangdianFaultKind[] = [
  'latency',
  'http-500',
  'http-502',
  'http-503',
  'overload',
  'reset',
  'hang',
  'truncated-body',
  'non-json-body',
  'clock-offset',
  'drop-response-after-commit',
  'already-exists',
];

/**
 * The key of `wd.refunds` for a refund_no + oid: unambiguous for any pair of strings.
 *
 * @example
 * wd.refunds.get(wangdianRefundKey('lztest', 'deb718e2afe5'));
 */
export function wangdianRefundKey(refundNo: string, oid: string): string {
  return JSON.stringify([refundNo, oid]);
}

function fail(status: number, message: string, signatureValid: boolean | undefined): HandlerAnswer {
  return { status: 200, body: { status, message }, code: String(status), signatureValid };
}

function ok(data: unknown): HandlerAnswer {
  const body = { status: 0, data };
  return { status: 200, body, text: writeWangdianJson(body), code: '0', signatureValid: true };
}

function summarise(problems: readonly string[]): string {
  const shown = problems.slice(0, 10).join('; ');
  return problems.length > 10 ? `${shown}; and ${problems.length - 10} more` : shown;
}

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive integer`);
  }
}

function holdShops(shops: readonly (string | WangdianShop)[]): Map<string, HeldShop> {
  const held = new Map<string, HeldShop>();
  for (const [index, entry] of shops.entries()) {
    const shop = typeof entry === 'string' ? { shop_no: entry } : entry;
    if (typeof shop.shop_no !== 'string' || shop.shop_no === '') {
      throw new TypeError(`shops[${index}].shop_no must be a non-empty string`);
    }
    held.set(shop.shop_no, {
      shop_no: shop.shop_no,
      shop_name: shop.shop_name ?? shop.shop_no,
      platform_id: shop.platform_id ?? OWN_PLATFORM,
      permitted: shop.permitted ?? true,
      disabled: shop.disabled ?? false,
      shop_id: index + 1,
    });
  }
  return held;
}

/**
 * Starts a local Wangdian 旗舰版 gateway on 127.0.0.1 (a free port unless `port` is given) that checks every call as
 * the real one does, keeps pushed raw refunds in memory and runs an ERP over them: each raw refund becomes a 退换单
 * that moves one state per step of a business clock, which tests move with `wd.erp.step()` / `wd.erp.advance(ms)`.
 * The defaults are the vendor docs' example values (sid `wdtapi3`, key `appkey`, secret `testsecret:testsalt`,
 * shop `LCJ`), so the docs' requests work unchanged.
 *
 * @example
 * const wd = await startWangdianSandbox({ erp: { stepMs: 60_000 } });
 * const client = createWangdianClient({ ...wd.credentials, baseUrl: wd.url });
 * await client.uploadRawRefunds('LCJ', rows);
 * wd.erp.step(2); // 退换单 made (20 待审核), then approved (30 已审核)
 * wd.erp.refundOrderOf('lztest')?.status; // 30
 * await wd.close();
 */
export async function startWangdianSandbox(options: WangdianSandboxOptions = {}): Promise<WangdianSandbox> {
  const credentials: WangdianSandboxCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const { secret, salt } = parseWangdianAppSecret(credentials.appSecret);
  const shops = holdShops(options.shops ?? ['LCJ']);
  const warehouses = [...(options.warehouses ?? ['WH001'])];
  if (warehouses.length === 0) throw new RangeError('warehouses must name at least one warehouse');
  const maxBatch = options.maxBatch ?? 100;
  const pageSizeCap = options.maxPageSize ?? Number.POSITIVE_INFINITY;
  positiveInteger('maxBatch', maxBatch);
  positiveInteger('maxPageSize', options.maxPageSize);
  positiveInteger('rateLimitPerMinute', options.rateLimitPerMinute);
  let rateLimit = options.rateLimitPerMinute;
  let rateLimitMessage = options.rateLimitMessage ?? WANGDIAN_RATE_LIMIT_MESSAGE;
  /** Calls per method in the current minute of sandbox time. */
  let minute = { index: -1, calls: new Map<string, number>() };
  const baseNow = options.now ?? Date.now;
  let serverNow = () => baseNow() + (options.clockOffsetMs ?? 0);
  const erp = createErp(options.erp ?? {}, () => serverNow(), warehouses[0] as string);
  const startedAt = erp.now();
  const refunds = erp.raw;
  let extra = freshCounters();

  function freshCounters() {
    return {
      uploads: 0,
      rows: 0,
      newRows: 0,
      changedRows: 0,
      unchangedRows: 0,
      refusedRows: 0,
      searches: 0,
      rateLimited: 0,
    };
  }

  /** Stores accepted rows; returns the counts. */
  const store = (shopNo: string, rows: WangdianRawRefundRow[], push: RawRefundPush) => {
    const at = erp.now();
    let newCount = 0;
    let chgCount = 0;
    // Rows are parsed afresh for each request, so the sandbox keeps them as they are.
    for (const row of rows) {
      const key = wangdianRefundKey(row.refund_no, row.oid);
      const stored = refunds.get(key);
      if (!stored) {
        const created: WangdianStoredRefund = {
          shop_no: shopNo,
          row,
          createdAt: at,
          modifiedAt: at,
          uploads: 1,
          rawRefundId: erp.nextRawRefundId(),
          processStatus: 0,
          archived: false,
          push,
        };
        refunds.set(key, created);
        erp.rowStored(created, true, at);
        newCount += 1;
      } else if (stored.shop_no !== shopNo || canonicalRawRefundRow(stored.row) !== canonicalRawRefundRow(row)) {
        stored.shop_no = shopNo;
        stored.row = row;
        stored.modifiedAt = at;
        stored.uploads += 1;
        stored.push = push;
        erp.rowStored(stored, false, at);
        chgCount += 1;
      } else {
        stored.uploads += 1;
        extra.unchangedRows += 1;
      }
    }
    extra.uploads += 1;
    extra.rows += rows.length;
    extra.newRows += newCount;
    extra.changedRows += chgCount;
    return { chg_count: chgCount, new_count: newCount };
  };

  /** The refund_no + oid keys held under another tid (stored, or earlier in the same list). */
  const tidClashes = (rows: readonly WangdianRawRefundRow[]) => {
    const tidOf = new Map<string, string>();
    const clashes = new Set<number>();
    for (const [index, row] of rows.entries()) {
      const key = wangdianRefundKey(row.refund_no, row.oid);
      const held = tidOf.get(key) ?? refunds.get(key)?.row.tid;
      if (held !== undefined && held !== row.tid) clashes.add(index);
      else tidOf.set(key, row.tid);
    }
    return clashes;
  };

  const push = (args: unknown[], method: RawRefundPush): HandlerAnswer => {
    if (args.length !== 2) return fail(1, '参数个数错误: expected 2 arguments (shop_no, order_list)', true);
    const [shopNo, orderList] = args;
    if (typeof shopNo !== 'string') return fail(1, '参数类型错误: shop_no must be a string', true);
    if (!Array.isArray(orderList)) return fail(1, '参数类型错误: order_list must be a list', true);
    if (orderList.length === 0) return fail(1, '参数错误: order_list must not be empty', true);
    if (orderList.length > maxBatch) {
      return fail(1, `参数错误: order_list has ${orderList.length} rows, at most ${maxBatch} allowed`, true);
    }
    const shop = shops.get(shopNo);
    if (!shop || shop.disabled) return fail(100, '店铺编号不存在或已停用', true);
    if (method === 'upload2' && shop.platform_id !== OWN_PLATFORM) return fail(100, '店铺平台不是自有平台', true);
    for (const row of orderList) {
      const unknown = unknownRawRefundField(row, method);
      if (unknown !== undefined) return fail(2, unknown, true);
    }
    const problems = orderList.flatMap((row, index) => checkRawRefundRow(row, index, method));
    if (problems.length > 0) return fail(1, `参数错误: ${summarise(problems)}`, true);
    const rows = orderList as WangdianRawRefundRow[];
    if (method === 'upload') {
      if (!shop.permitted) return fail(100, '店铺权限不足', true);
      // A refund_no + oid already held under another original order (tid) is a different refund on the same number.
      if (tidClashes(rows).size > 0) return fail(100, '退换单已存在', true);
      return ok(store(shopNo, rows, method));
    }
    // upload2 answers status 0 and lists each refused row with its reason; the other rows are stored.
    const clashes = tidClashes(rows);
    const errorList: { no: string; error: string }[] = [];
    const accepted: WangdianRawRefundRow[] = [];
    for (const [index, row] of rows.entries()) {
      const reason = !shop.permitted
        ? '店铺权限不足'
        : (erp.refusal(row.refund_no) ?? (clashes.has(index) ? '退换单已存在' : undefined));
      if (reason === undefined) accepted.push(row);
      else errorList.push({ no: row.refund_no, error: reason });
    }
    extra.refusedRows += errorList.length;
    const counts = accepted.length > 0 ? store(shopNo, accepted, method) : { chg_count: 0, new_count: 0 };
    return ok({ ...counts, error_list: errorList });
  };

  const query = (method: string, args: unknown[], params: URLSearchParams): HandlerAnswer => {
    const table = QUERY_TABLES[method];
    if (!table) return fail(100, NOT_PERMITTED, true);
    const checked = checkQuery(table, args, params, pageSizeCap);
    if ('status' in checked) return fail(checked.status, checked.message, true);
    const answer = answerQuery(checked, { erp, shops, warehouses, startedAt });
    if (typeof answer.status === 'number' && typeof answer.message === 'string') {
      return fail(answer.status, answer.message, true);
    }
    extra.searches += 1;
    return ok(answer);
  };

  const overLimit = (method: string, now: number) => {
    if (rateLimit === undefined) return false;
    const index = Math.floor(now / 60_000);
    if (minute.index !== index) minute = { index, calls: new Map() };
    const calls = (minute.calls.get(method) ?? 0) + 1;
    minute.calls.set(method, calls);
    return calls > rateLimit;
  };

  const handle = (req: HandlerRequest): HandlerAnswer => {
    if (req.url.pathname !== '/openapi') {
      return { status: 404, body: { message: 'Not Found' }, code: '404', signatureValid: undefined };
    }
    if (req.method !== 'POST') return fail(1, '参数错误: only POST is supported', undefined);
    const params = req.url.searchParams;
    for (const name of REQUIRED_PARAMS) {
      if (!params.get(name)) return fail(1, `参数错误: missing ${name}`, undefined);
    }
    const seen = new Set<string>();
    for (const name of params.keys()) {
      if (!KNOWN_PARAMS.has(name)) return fail(2, `未知参数: ${name}`, undefined);
      if (seen.has(name)) return fail(1, `参数错误: ${name} given more than once`, undefined);
      seen.add(name);
    }
    if (params.get('sid') !== credentials.sid) return fail(1, 'sid is not exists', undefined);
    if (params.get('key') !== credentials.appKey || params.get('salt') !== salt) return fail(1, '验证失败', false);
    const timestamp = params.get('timestamp') ?? '';
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(Number(timestamp) - wangdianTimestamp(req.now)) > TIMESTAMP_WINDOW_S
    ) {
      return fail(7, '时间戳错误', undefined);
    }
    if (params.get('v') !== '1.0') return fail(8, '版本号错误', undefined);
    const signed: Record<string, string> = {};
    for (const [name, value] of params) if (name !== 'sign') signed[name] = value;
    const bodyText = req.body.toString('utf8');
    if (!verifyWangdianSign({ secret, params: signed, body: bodyText, sign: params.get('sign') ?? '' })) {
      return fail(1, '验证失败', false);
    }
    const method = params.get('method') ?? '';
    if (overLimit(method, req.now)) {
      extra.rateLimited += 1;
      return fail(100, rateLimitMessage, true);
    }
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.includes('x-www-form-urlencoded') || contentType.includes('multipart/form-data')) {
      return fail(1, '参数错误: form bodies are not supported; send a JSON array', true);
    }
    let args: unknown;
    try {
      args = parseWangdianBody(bodyText);
    } catch {
      return fail(1, '参数错误: body must be a JSON array of arguments', true);
    }
    if (!Array.isArray(args)) return fail(1, '参数错误: body must be a JSON array of arguments', true);
    erp.catchUp();
    if (method === UPLOAD) return push(args, 'upload');
    if (method === UPLOAD2) return push(args, 'upload2');
    return query(method, args, params);
  };

  const engine = await startSandboxEngine<WangdianFaultKind, string>({
    port: options.port,
    faults: options.faults,
    now: options.now,
    clockOffsetMs: options.clockOffsetMs,
    seed: options.seed,
    logLimit: options.logLimit,
    kinds: KINDS,
    routeOf: (_method, url) => url.searchParams.get('method') ?? '',
    handle,
    faultAnswer: (kind, terminal) => ({
      status: 200,
      body: {
        status: 100,
        message: kind === 'overload' ? (terminal.message ?? WANGDIAN_RATE_LIMIT_MESSAGE) : '退换单已存在',
      },
    }),
    truncatedSample: JSON.stringify({ status: 0, data: { chg_count: 0, new_count: 1 } }),
  });
  serverNow = engine.serverNow;

  return {
    url: engine.url,
    port: engine.port,
    get credentials() {
      return { ...credentials };
    },
    refunds,
    getRefund: (refundNo, oid) => refunds.get(wangdianRefundKey(refundNo, oid)),
    get shops() {
      return [...shops.keys()];
    },
    erp,
    setRateLimit(perMinute, message) {
      positiveInteger('perMinute', perMinute);
      rateLimit = perMinute;
      if (message !== undefined) rateLimitMessage = message;
    },
    get log() {
      return engine.log();
    },
    get counters() {
      return { ...engine.counters(), ...extra };
    },
    get faults() {
      return engine.faults.list();
    },
    setFaults: (faults) => engine.faults.set(faults),
    addFaults: (faults) => engine.faults.add(faults),
    clearFaults: () => engine.faults.clear(),
    get clockOffsetMs() {
      return engine.clockOffsetMs;
    },
    setClockOffset: (ms) => engine.setClockOffset(ms),
    now: () => engine.serverNow(),
    reset() {
      erp.reset();
      minute = { index: -1, calls: new Map() };
      extra = freshCounters();
      engine.reset();
    },
    close: () => engine.close(),
  };
}
