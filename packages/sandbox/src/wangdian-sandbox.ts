/**
 * A local stand-in for the Wangdian 旺店通 旗舰版 open API (`POST /openapi`): sid, key, salt, version, timestamp and
 * sign checks over the exact body bytes, `aftersales.refund.RawRefund.upload` with the vendor table's row checks and
 * new/changed counts, `aftersales.refund.Refund.search` for paging, plus state, a request log, counters and faults.
 */
import { toShanghaiDateTime } from '@refundkit/refund-model';
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
import { canonicalRawRefundRow, checkRawRefundRow, type WangdianRawRefundRow } from './wangdian-raw-refund.js';

/** The credentials of the sandbox's one seller account; spread them into the Wangdian client's settings. */
export interface WangdianSandboxCredentials {
  sid: string;
  appKey: string;
  /** `secret:salt`, as Wangdian issues it. */
  appSecret: string;
}

/** Methods the sandbox serves (faults may also name any other method, or '*'). */
export type WangdianMethod = 'aftersales.refund.RawRefund.upload' | 'aftersales.refund.Refund.search';
/** Fault kinds the Wangdian sandbox supports. */
export type WangdianFaultKind = Exclude<SandboxFaultKind, 'expire-token'>;
/** A Wangdian fault rule (see `SandboxFault`); `route` is a method name. */
export type WangdianFault = SandboxFault<WangdianFaultKind, WangdianMethod | (string & {})>;

export interface WangdianSandboxOptions extends SandboxOptions<WangdianSandboxCredentials, WangdianFault> {
  /** Shop numbers that exist (default `['LCJ']`, the upload doc's shop). */
  shops?: readonly string[];
  /** Most rows one upload may carry (default 100, the vendor's recommendation). */
  maxBatch?: number;
  /** Largest `page_size` a query accepts (default 100). */
  maxPageSize?: number;
}

/** A stored raw refund row (one refund_no + oid). */
export interface WangdianStoredRefund {
  shop_no: string;
  /** The row as last uploaded. */
  row: WangdianRawRefundRow;
  /** Server time of the first upload, epoch ms. */
  createdAt: number;
  /** Server time of the last upload that changed it, epoch ms. */
  modifiedAt: number;
  /** Accepted uploads of this row (including identical ones). */
  uploads: number;
}

/** Counters of the Wangdian sandbox. */
export interface WangdianSandboxCounters extends SandboxBaseCounters {
  /** Accepted RawRefund.upload calls. */
  uploads: number;
  /** Rows in accepted uploads. */
  rows: number;
  /** Rows counted in new_count. */
  newRows: number;
  /** Rows counted in chg_count. */
  changedRows: number;
  /** Identical re-uploaded rows (in neither count). */
  unchangedRows: number;
  /** Accepted Refund.search calls. */
  searches: number;
}

export interface WangdianSandbox
  extends Sandbox<WangdianSandboxCredentials, WangdianSandboxCounters, WangdianFaultKind, string, WangdianFault> {
  /** Stored rows keyed by `wangdianRefundKey(refund_no, oid)` (a live view). */
  readonly refunds: ReadonlyMap<string, WangdianStoredRefund>;
  /** The stored row of a refund_no + oid. */
  getRefund(refundNo: string, oid: string): WangdianStoredRefund | undefined;
  /** Shop numbers that exist (a copy). */
  readonly shops: string[];
}

const UPLOAD = 'aftersales.refund.RawRefund.upload';
const SEARCH = 'aftersales.refund.Refund.search';
const REQUIRED_PARAMS = ['sid', 'key', 'salt', 'method', 'timestamp', 'v', 'sign'] as const;
const PAGING_PARAMS = ['page_size', 'page_no', 'calc_total'] as const;
const KNOWN_PARAMS = new Set<string>([...REQUIRED_PARAMS, ...PAGING_PARAMS]);
const TIMESTAMP_WINDOW_S = 120;
/** The rate-limit text of PROTOCOLS.md, answered with status 100. */
export const WANGDIAN_RATE_LIMIT_MESSAGE = '超过每分钟最大调用频率限制';
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

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
  return { status: 200, body: { status: 0, data }, code: '0', signatureValid: true };
}

function summarise(problems: readonly string[]): string {
  const shown = problems.slice(0, 10).join('; ');
  return problems.length > 10 ? `${shown}; and ${problems.length - 10} more` : shown;
}

/**
 * Starts a local Wangdian 旗舰版 gateway on 127.0.0.1 (a free port unless `port` is given) that checks every call as
 * the real one does and keeps uploaded raw refunds in memory. The defaults are the vendor docs' example values
 * (sid `wdtapi3`, key `appkey`, secret `testsecret:testsalt`, shop `LCJ`), so the docs' requests work unchanged.
 *
 * @example
 * const wd = await startWangdianSandbox({ maxBatch: 50 });
 * const client = createWangdianClient({ ...wd.credentials, baseUrl: wd.url });
 * await client.uploadRawRefunds('LCJ', rows);
 * wd.getRefund('lztest', 'deb718e2afe5');
 * await wd.close();
 */
export async function startWangdianSandbox(options: WangdianSandboxOptions = {}): Promise<WangdianSandbox> {
  const credentials: WangdianSandboxCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const { secret, salt } = parseWangdianAppSecret(credentials.appSecret);
  const shops = new Set(options.shops ?? ['LCJ']);
  const maxBatch = options.maxBatch ?? 100;
  const maxPageSize = options.maxPageSize ?? 100;
  for (const [name, value] of [
    ['maxBatch', maxBatch],
    ['maxPageSize', maxPageSize],
  ] as const) {
    if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer`);
  }
  const refunds = new Map<string, WangdianStoredRefund>();
  let extra = freshCounters();

  function freshCounters() {
    return { uploads: 0, rows: 0, newRows: 0, changedRows: 0, unchangedRows: 0, searches: 0 };
  }

  const upload = (args: unknown[], now: number): HandlerAnswer => {
    if (args.length !== 2) return fail(1, '参数个数错误: expected 2 arguments (shop_no, order_list)', true);
    const [shopNo, orderList] = args;
    if (typeof shopNo !== 'string') return fail(1, '参数类型错误: shop_no must be a string', true);
    if (!Array.isArray(orderList)) return fail(1, '参数类型错误: order_list must be a list', true);
    if (orderList.length === 0) return fail(1, '参数错误: order_list must not be empty', true);
    if (orderList.length > maxBatch) {
      return fail(1, `参数错误: order_list has ${orderList.length} rows, at most ${maxBatch} allowed`, true);
    }
    if (!shops.has(shopNo)) return fail(100, '店铺编号不存在或已停用', true);
    const problems = orderList.flatMap((row, index) => checkRawRefundRow(row, index));
    if (problems.length > 0) return fail(1, `参数错误: ${summarise(problems)}`, true);
    const rows = orderList as WangdianRawRefundRow[];
    // A refund_no + oid already held under another original order (tid), stored or earlier in this same upload, is a
    // different refund on the same number.
    const tidOf = new Map<string, string>();
    for (const row of rows) {
      const key = wangdianRefundKey(row.refund_no, row.oid);
      const held = tidOf.get(key) ?? refunds.get(key)?.row.tid;
      if (held !== undefined && held !== row.tid) return fail(100, '退换单已存在', true);
      tidOf.set(key, row.tid);
    }
    let newCount = 0;
    let chgCount = 0;
    for (const row of rows) {
      const key = wangdianRefundKey(row.refund_no, row.oid);
      const stored = refunds.get(key);
      const copy = structuredClone(row);
      if (!stored) {
        refunds.set(key, { shop_no: shopNo, row: copy, createdAt: now, modifiedAt: now, uploads: 1 });
        newCount += 1;
      } else if (stored.shop_no !== shopNo || canonicalRawRefundRow(stored.row) !== canonicalRawRefundRow(row)) {
        stored.shop_no = shopNo;
        stored.row = copy;
        stored.modifiedAt = now;
        stored.uploads += 1;
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
    return ok({ chg_count: chgCount, new_count: newCount });
  };

  const search = (args: unknown[], params: URLSearchParams): HandlerAnswer => {
    const pageSizeText = params.get('page_size');
    const pageNoText = params.get('page_no');
    if (pageSizeText === null || pageNoText === null) return fail(1, '此方法仅支持分页查询', true);
    const pageSize = /^\d+$/.test(pageSizeText) ? Number(pageSizeText) : Number.NaN;
    const pageNo = /^\d+$/.test(pageNoText) ? Number(pageNoText) : Number.NaN;
    if (!(pageSize >= 1 && pageSize <= maxPageSize)) {
      return fail(1, `参数错误: page_size must be an integer from 1 to ${maxPageSize}`, true);
    }
    if (!(pageNo >= 0)) return fail(1, '参数错误: page_no must be an integer from 0', true);
    const calcTotal = params.get('calc_total');
    if (calcTotal !== null && calcTotal !== '0' && calcTotal !== '1') {
      return fail(1, '参数错误: calc_total must be 0 or 1', true);
    }
    if (args.length !== 1) return fail(1, '参数个数错误: expected 1 argument (params)', true);
    const filter = args[0];
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      return fail(1, '参数类型错误: params must be an object', true);
    }
    const f = filter as Record<string, unknown>;
    for (const name of ['shop_no', 'refund_no', 'modified_from', 'modified_to']) {
      const value = f[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') return fail(1, `参数类型错误: ${name} must be a string`, true);
      if (name.startsWith('modified_') && !DATE_TIME.test(value)) {
        return fail(1, `参数错误: ${name} must be 'YYYY-MM-DD HH:mm:ss'`, true);
      }
    }
    const matching = [...refunds.values()]
      .map((stored) => ({ stored, modified: toShanghaiDateTime(new Date(stored.modifiedAt)) }))
      .filter(({ stored, modified }) => {
        if (typeof f.shop_no === 'string' && stored.shop_no !== f.shop_no) return false;
        if (typeof f.refund_no === 'string' && stored.row.refund_no !== f.refund_no) return false;
        if (typeof f.modified_from === 'string' && modified < f.modified_from) return false;
        if (typeof f.modified_to === 'string' && modified > f.modified_to) return false;
        return true;
      })
      .sort((a, b) => a.stored.modifiedAt - b.stored.modifiedAt);
    const page = matching.slice(pageNo * pageSize, pageNo * pageSize + pageSize).map(({ stored, modified }) => ({
      ...stored.row,
      shop_no: stored.shop_no,
      created: toShanghaiDateTime(new Date(stored.createdAt)),
      modified,
    }));
    extra.searches += 1;
    return ok(calcTotal === '1' ? { order: page, total_count: matching.length } : { order: page });
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
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.includes('x-www-form-urlencoded') || contentType.includes('multipart/form-data')) {
      return fail(1, '参数错误: form bodies are not supported; send a JSON array', true);
    }
    let args: unknown;
    try {
      args = JSON.parse(bodyText);
    } catch {
      return fail(1, '参数错误: body must be a JSON array of arguments', true);
    }
    if (!Array.isArray(args)) return fail(1, '参数错误: body must be a JSON array of arguments', true);
    const method = params.get('method');
    if (method === UPLOAD) return upload(args, req.now);
    if (method === SEARCH) return search(args, params);
    return fail(1, '接口名称错误: method not found', true);
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

  return {
    url: engine.url,
    port: engine.port,
    get credentials() {
      return { ...credentials };
    },
    refunds,
    getRefund: (refundNo, oid) => refunds.get(wangdianRefundKey(refundNo, oid)),
    get shops() {
      return [...shops];
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
      refunds.clear();
      extra = freshCounters();
      engine.reset();
    },
    close: () => engine.close(),
  };
}
