/**
 * A local stand-in for the Kingdee 精斗云 open API gateway: authorization list, app-token, refundSave, retail bills
 * (list, detail, save) and stores, with the gateway's checks (client id, auth version, sign headers, 5-minute
 * timestamp window, signature over the query, nonce replay, router address, app-token), state, a request log,
 * counters, refund outcomes, secret rotation, token expiry and fault injection.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { toShanghaiDateTime } from '@refundkit/refund-model';
import { kingdeeAppSignature, verifyKingdeeSignature } from '@refundkit/signing';
import type { SandboxFault, SandboxFaultKind } from './faults.js';
import { parseKingdeeJson, writeKingdeeJson } from './kingdee-json.js';
import {
  checkRetailBillDetailQuery,
  checkRetailBillListQuery,
  checkStoreListQuery,
  KINGDEE_DEFAULT_PAGE_SIZE,
  type KingdeeQueryCheck,
  type KingdeeQueryValue,
} from './kingdee-query.js';
import { createRateMeter, type KingdeeRequestRate } from './kingdee-rate-meter.js';
import {
  checkRefundSaveBody,
  differingFields,
  type KingdeeRefundOutcome,
  type KingdeeRefundOutcomeInput,
  type KingdeeRefundSaveBody,
  type KingdeeRefundSaveData,
  readRefundOutcome,
  refundOutcomeFields,
  settledRefundOutcome,
} from './kingdee-refund-save.js';
import {
  checkRetailBillSaveBody,
  type KingdeeStoredRetailBill,
  readShanghaiDateTime,
  retailBillRow,
  selectRetailBills,
} from './kingdee-retail-bill.js';
import {
  checkStoreRow,
  type KingdeeStoreInput,
  type KingdeeStoreRow,
  seedKingdeeStores,
  selectStores,
  storePage,
} from './kingdee-store.js';
import {
  type HandlerAnswer,
  type HandlerRequest,
  type Sandbox,
  type SandboxBaseCounters,
  type SandboxOptions,
  startSandboxEngine,
} from './sandbox-server.js';

/** The credentials of the sandbox's one app and account set; spread them into the Kingdee client's settings. */
export interface KingdeeSandboxCredentials {
  clientId: string;
  clientSecret: string;
  appKey: string;
  appSecret: string;
  domain: string;
  outerInstanceId: string;
}

/** Routes faults can target. */
export type KingdeeRoute =
  | 'authorize'
  | 'token'
  | 'refundSave'
  | 'retailBillList'
  | 'retailBillDetail'
  | 'retailBillSave'
  | 'storeList';
/** Fault kinds the Kingdee sandbox supports. */
export type KingdeeFaultKind = Exclude<SandboxFaultKind, 'already-exists'>;
/** A Kingdee fault rule (see `SandboxFault`). */
export type KingdeeFault = SandboxFault<KingdeeFaultKind, KingdeeRoute>;

export interface KingdeeSandboxOptions extends SandboxOptions<KingdeeSandboxCredentials, KingdeeFault> {
  /** `accountId` of the authorization (default '1544483385588547584'). */
  accountId?: string;
  /** Lifetime of an issued app-token in ms (default 24 h). */
  tokenTtlMs?: number;
  /** Outcomes by refund_no for refunds saved from the start (default: every refund succeeds). */
  refundOutcomes?: Readonly<Record<string, KingdeeRefundOutcomeInput>>;
  /** The account set's stores: a number of seeded stores (default 5), or the rows themselves. */
  stores?: number | readonly KingdeeStoreInput[];
}

/** A refund the sandbox saved. */
export interface KingdeeStoredRefund {
  /** The body as checked (null required fields became ''). */
  body: KingdeeRefundSaveBody;
  /** The `data` answered, answered again for an identical re-save (with the outcome as it is now). */
  data: KingdeeRefundSaveData;
  /** What the channel made of it. */
  outcome: KingdeeRefundOutcome;
  /** Server time of the first save, epoch ms. */
  savedAt: number;
  /** Accepted saves of this refund_no (1 + identical re-saves). */
  saves: number;
}

/** Counters of the Kingdee sandbox. */
export interface KingdeeSandboxCounters extends SandboxBaseCounters {
  /** Authorization lists answered (push_app_authorize with errcode 0). */
  authorizations: number;
  /** App-tokens issued. */
  tokensIssued: number;
  /**
   * Token calls that passed the gateway checks, issued or refused, by `<clientId>:<app_key>`: what several processes
   * sharing one token store should keep at one per token lifetime.
   */
  tokenCalls: Record<string, number>;
  /** Accepted refundSave calls (new refunds plus identical re-saves). */
  saves: number;
  /** refundSave calls that stored a new refund_no. */
  newRefunds: number;
  /** refundSave calls that repeated a stored refund with identical content (answered the stored result). */
  replays: number;
  /** Accepted refundSave answers by the outcome they carried. */
  refundOutcomes: Record<KingdeeRefundOutcome['kind'], number>;
  /** Accepted retail bill saves (new bills plus re-saves). */
  retailBillSaves: number;
  /** Retail bill saves that created a bill (a src_bill_id not seen before). */
  newRetailBills: number;
  /** Accepted retail bill list and detail calls. */
  retailBillQueries: number;
  /** Accepted store list calls. */
  storeQueries: number;
  /**
   * Request rate by account `<clientId>:<appKey>` over the calls that passed the gateway checks (token calls and
   * business calls), measured on the sandbox clock.
   */
  requestRates: Record<string, KingdeeRequestRate>;
}

export interface KingdeeSandbox
  extends Sandbox<KingdeeSandboxCredentials, KingdeeSandboxCounters, KingdeeFaultKind, KingdeeRoute, KingdeeFault> {
  /** Current credentials (appSecret changes after `rotateAppSecret()`). */
  readonly credentials: KingdeeSandboxCredentials;
  /** Saved refunds by refund_no (a live view). */
  readonly refunds: ReadonlyMap<string, KingdeeStoredRefund>;
  /** Saved retail bills by bill id (a live view). */
  readonly retailBills: ReadonlyMap<string, KingdeeStoredRetailBill>;
  /** The account set's stores (a copy). */
  readonly stores: KingdeeStoreRow[];
  /** App-token lifetime for tokens issued from now on, ms. */
  readonly tokenTtlMs: number;
  setTokenTtl(ms: number): void;
  /** Makes every app-token issued so far expired (later calls with them get 519 / 4011). */
  expireTokens(): void;
  /**
   * Rotates the appSecret (as the real one does about daily) and returns the new one. app_signatures made with the
   * old one get errcode 1030002006, and so do business calls with tokens issued before the rotation, unless
   * `keepTokens` is set: the client must fetch the credentials again through push_app_authorize.
   */
  rotateAppSecret(options?: { keepTokens?: boolean }): string;
  /**
   * Sets what the channel makes of a refund_no: for a later save of it, and at once for a refund already saved
   * (an identical re-save then answers the new outcome).
   */
  setRefundOutcome(refundNo: string, outcome: KingdeeRefundOutcomeInput): void;
  /** The request rate of each account at the sandbox's time now (also in `counters.requestRates`). */
  requestRates(): Record<string, KingdeeRequestRate>;
}

interface RouteInfo {
  route: KingdeeRoute;
  /** Needs app-token and X-GW-Router-Addr. */
  business: boolean;
}

const ROUTES: Record<string, RouteInfo> = {
  'POST /jdyconnector/app_management/push_app_authorize': { route: 'authorize', business: false },
  'GET /jdyconnector/app_management/kingdee_auth_token': { route: 'token', business: false },
  'POST /jdy/v2/ls/refundSave': { route: 'refundSave', business: true },
  'GET /jdy/v2/ls/retail_bill': { route: 'retailBillList', business: true },
  'POST /jdy/v2/ls/retail_bill': { route: 'retailBillSave', business: true },
  'GET /jdy/v2/ls/retail_bill_detail': { route: 'retailBillDetail', business: true },
  'GET /jdy/v2/ls/store': { route: 'storeList', business: true },
};
const PATHS = new Set(Object.keys(ROUTES).map((key) => key.slice(key.indexOf(' ') + 1)));

/** Gateway codes with their English and Chinese texts. */
const GATEWAY: Record<number, [string, string]> = {
  4001: ['auth type not supported', '不支持的认证类型'],
  4002: ['client id is empty', 'clientId为空'],
  4003: ['client id is invalid', 'clientId无效'],
  4006: ['timestamp is invalid', '时间戳无效'],
  4007: ['sign headers are invalid', '签名头无效'],
  4008: ['signature is invalid', '签名无效'],
  4009: ['app-token is empty', 'app-token为空'],
  4010: ['app-token is invalid', 'app-token无效'],
  4011: ['app-token has expired', 'app-token已过期'],
  5001: ['API not found', 'API不存在'],
  5002: ['method not allowed', '请求方法不支持'],
  5003: ['service unavailable', '服务不可用'],
  5007: ['service overloaded', '服务过载'],
};

/** Business code: the body or query failed the sandbox's checks (sandbox's own choice; the docs list none). */
export const KINGDEE_INVALID_BODY = 1001;
/** Business code: a key is already saved with different content (sandbox's own choice). */
export const KINGDEE_REFUND_CONFLICT = 1002;
/** Business code: no retail bill has the keys asked for (sandbox's own choice). */
export const KINGDEE_NOT_FOUND = 1003;
/** Business code of the docs: the authorization secret failed or expired. */
export const KINGDEE_APP_SECRET_INVALID = 1030002006;

const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;
/** The first retail bill id the sandbox gives: 19 digits, past what a binary float holds exactly. */
const FIRST_BILL_ID = 1_420_169_116_878_220_913n;

const DEFAULT_CREDENTIALS: KingdeeSandboxCredentials = {
  clientId: '205022',
  clientSecret: 'f2adcfef73369bfc4e1384677d38a0ff',
  appKey: 'abc',
  appSecret: 'abc123',
  domain: 'https://tf.jdy.com',
  outerInstanceId: '509132114453729280',
};

const KINDS: readonly KingdeeFaultKind[] = [
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
  'expire-token',
  'drop-response-after-commit',
];

function gateway(code: number, signatureValid: boolean | undefined): HandlerAnswer {
  const [description, descriptionCn] = GATEWAY[code] ?? ['gateway error', '网关错误'];
  return { status: 519, body: { errcode: code, description, descriptionCn }, code: String(code), signatureValid };
}

function business(errcode: number, description: string): HandlerAnswer {
  return { status: 200, body: { errcode, description }, code: String(errcode), signatureValid: true };
}

function success(data: unknown): HandlerAnswer {
  const body = { errcode: 0, description: 'success', data };
  // Written by lossless-json: numbers kept from a request body keep every digit.
  return { status: 200, body, text: writeKingdeeJson(body), code: '0', signatureValid: true };
}

function invalid(problems: readonly string[]): HandlerAnswer {
  return business(KINGDEE_INVALID_BODY, `参数错误: ${problems.join('; ')}`);
}

function header(headers: HandlerRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseBody(req: HandlerRequest): { ok: true; value: unknown } | { ok: false; answer: HandlerAnswer } {
  try {
    return { ok: true, value: parseKingdeeJson(req.body.toString('utf8')) };
  } catch {
    return { ok: false, answer: invalid(['body is not valid JSON']) };
  }
}

function readQuery(
  req: HandlerRequest,
  check: (query: URLSearchParams) => KingdeeQueryCheck,
): { ok: true; values: Record<string, KingdeeQueryValue> } | { ok: false; answer: HandlerAnswer } {
  // GET parameters belong in the signed query string; a body would be a second, unsigned copy of them.
  const text = req.body.toString('utf8').trim();
  if (text !== '' && text !== '{}') {
    return { ok: false, answer: invalid(['a GET request takes its parameters in the query string, not a body']) };
  }
  const checked = check(req.url.searchParams);
  return checked.ok ? checked : { ok: false, answer: invalid(checked.problems) };
}

interface HeldToken {
  expiresAt: number;
  /** The app key the token was issued for: its account. */
  appKey: string;
  /** Issued before a rotation that revoked it. */
  revoked: boolean;
}

/**
 * Starts a local Kingdee gateway on 127.0.0.1 (a free port unless `port` is given) that checks every call as the
 * real gateway does and keeps refunds, retail bills and stores in memory. The defaults are the vendor docs' example
 * values (client id `205022`, domain `https://tf.jdy.com`, ...), so the docs' requests work against it unchanged.
 *
 * @example
 * const kd = await startKingdeeSandbox({ refundOutcomes: { R2: 'refused' } });
 * const client = createKingdeeRetailClient({ ...kd.credentials, baseUrl: kd.url });
 * await client.refundSave(body);
 * kd.refunds.get(body.refund_no); // the stored refund and its outcome
 * kd.rotateAppSecret(); // the next business call answers 1030002006
 * await kd.close();
 */
export async function startKingdeeSandbox(options: KingdeeSandboxOptions = {}): Promise<KingdeeSandbox> {
  const credentials: KingdeeSandboxCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const accountId = options.accountId ?? '1544483385588547584';
  let tokenTtlMs = options.tokenTtlMs ?? 24 * 60 * 60 * 1000;
  checkTtl(tokenTtlMs);
  const outcomes = new Map<string, KingdeeRefundOutcome>();
  for (const [refundNo, outcome] of Object.entries(options.refundOutcomes ?? {})) {
    outcomes.set(refundNo, readRefundOutcome(outcome, `refundOutcomes.${refundNo}`));
  }
  const storeOption = options.stores ?? 5;
  if (typeof storeOption === 'number' && !(Number.isInteger(storeOption) && storeOption >= 0)) {
    throw new RangeError('stores must be a non-negative integer or a list of store rows');
  }
  const stores: KingdeeStoreRow[] =
    typeof storeOption === 'number'
      ? seedKingdeeStores(storeOption, Date.UTC(2024, 0, 1, 1, 0, 0))
      : storeOption.map((row, index) => checkStoreRow(row, index));
  const storeIds = new Set(stores.map((store) => store.id));
  const refunds = new Map<string, KingdeeStoredRefund>();
  const bills = new Map<string, KingdeeStoredRetailBill>();
  const billsByInnerNo = new Map<string, KingdeeStoredRetailBill>();
  const tokens = new Map<string, HeldToken>();
  const nonces = new Map<string, number>();
  const rates = createRateMeter();
  let extra = freshCounters();
  let inRefundSeq = 0;
  let billSeq = 0;

  function freshCounters() {
    return {
      authorizations: 0,
      tokensIssued: 0,
      tokenCalls: {} as Record<string, number>,
      saves: 0,
      newRefunds: 0,
      replays: 0,
      refundOutcomes: { succeeded: 0, refused: 0, pending: 0 },
      retailBillSaves: 0,
      newRetailBills: 0,
      retailBillQueries: 0,
      storeQueries: 0,
    };
  }

  const rememberNonce = (nonce: string, now: number): boolean => {
    for (const [key, seenAt] of nonces) {
      if (seenAt >= now - 2 * TIMESTAMP_WINDOW_MS) break;
      nonces.delete(key);
    }
    if (nonces.has(nonce)) return false;
    nonces.set(nonce, now);
    return true;
  };

  const authorize = (req: HandlerRequest): HandlerAnswer => {
    const outerInstanceId = req.url.searchParams.get('outerInstanceId');
    extra.authorizations += 1;
    if (outerInstanceId !== credentials.outerInstanceId) return success([]);
    return success([
      {
        appKey: credentials.appKey,
        appSecret: credentials.appSecret,
        domain: credentials.domain,
        status: 1,
        accountId,
        outerInstanceId: credentials.outerInstanceId,
        clientId: credentials.clientId,
      },
    ]);
  };

  const issueToken = (req: HandlerRequest, clientId: string): HandlerAnswer => {
    const appKey = req.url.searchParams.get('app_key');
    const appSignature = req.url.searchParams.get('app_signature');
    const account = `${clientId}:${appKey ?? ''}`;
    extra.tokenCalls[account] = (extra.tokenCalls[account] ?? 0) + 1;
    rates.record(account, req.now);
    if (!appKey || !appSignature) return business(KINGDEE_APP_SECRET_INVALID, 'app_key and app_signature are required');
    const expected = kingdeeAppSignature({ appKey: credentials.appKey, appSecret: credentials.appSecret });
    if (appKey !== credentials.appKey || !sameText(appSignature, expected)) {
      return business(KINGDEE_APP_SECRET_INVALID, '授权密钥已失效或不正确 (app_key or app_signature is invalid)');
    }
    const token = randomBytes(24).toString('hex');
    const expiresAt = req.now + tokenTtlMs;
    tokens.set(token, { expiresAt, appKey, revoked: false });
    extra.tokensIssued += 1;
    return success({
      'app-token': token,
      access_token: randomBytes(24).toString('hex'),
      expires: expiresAt,
      uid: '100000001',
    });
  };

  const outcomeOf = (refundNo: string): KingdeeRefundOutcome => outcomes.get(refundNo) ?? { kind: 'succeeded' };

  const answerRefund = (stored: KingdeeStoredRefund): HandlerAnswer => {
    extra.refundOutcomes[stored.outcome.kind] += 1;
    return success(stored.data);
  };

  const refundSave = (req: HandlerRequest): HandlerAnswer => {
    const parsed = parseBody(req);
    if (!parsed.ok) return parsed.answer;
    const checked = checkRefundSaveBody(parsed.value);
    if (!checked.ok) return invalid(checked.problems);
    const body = checked.body;
    const stored = refunds.get(body.refund_no);
    if (stored) {
      const differing = differingFields(stored.body, body);
      if (differing.length > 0) {
        const what = differing.includes('refund_amount') ? 'a different refund_amount' : 'different content';
        return business(
          KINGDEE_REFUND_CONFLICT,
          `退款单号已存在: refund_no already saved with ${what} (${differing.join(', ')})`,
        );
      }
      stored.saves += 1;
      extra.saves += 1;
      extra.replays += 1;
      const settled = settledRefundOutcome(stored.outcome, stored.savedAt, req.now);
      if (settled !== stored.outcome) {
        // The channel settled a pending refund: its answer from now on is the settled one.
        const at = stored.savedAt + (stored.outcome.kind === 'pending' ? (stored.outcome.resolvesAfterMs ?? 0) : 0);
        stored.outcome = settled;
        stored.data = { ...stored.data, ...refundOutcomeFields(settled, toShanghaiDateTime(new Date(at))) };
      }
      return answerRefund(stored);
    }
    inRefundSeq += 1;
    const outcome = outcomeOf(body.refund_no);
    const data: KingdeeRefundSaveData = {
      channel_refund_no: `P${String(inRefundSeq).padStart(12, '0')}`,
      ...refundOutcomeFields(outcome, toShanghaiDateTime(new Date(req.now))),
      in_refund_no: String(10_000_000 + inRefundSeq),
      mch_id: body.mch_id,
      refund_amount: body.refund_amount ?? '',
      refund_no: body.refund_no,
      shop_id: body.shop_id ?? '',
      trans_no: `T${req.now}${String(inRefundSeq).padStart(6, '0')}`,
    };
    const saved: KingdeeStoredRefund = { body, data, outcome, savedAt: req.now, saves: 1 };
    refunds.set(body.refund_no, saved);
    extra.saves += 1;
    extra.newRefunds += 1;
    return answerRefund(saved);
  };

  const retailBillSave = (req: HandlerRequest): HandlerAnswer => {
    const parsed = parseBody(req);
    if (!parsed.ok) return parsed.answer;
    const checked = checkRetailBillSaveBody(parsed.value, (id) => storeIds.has(id));
    if (!checked.ok) return invalid(checked.problems);
    const body = checked.body;
    const existing = billsByInnerNo.get(body.src_bill_id);
    if (body.bill_no !== undefined) {
      for (const other of bills.values()) {
        if (other.billNo === body.bill_no && other !== existing) {
          return business(KINGDEE_REFUND_CONFLICT, '单据编号已存在: bill_no belongs to another src_bill_id');
        }
      }
    }
    const billTime = body.bill_date === undefined ? undefined : readShanghaiDateTime(body.bill_date);
    extra.retailBillSaves += 1;
    if (existing) {
      // A re-save of the same src_bill_id updates the bill: same id, its number unless a new one is sent.
      existing.body = body;
      existing.billNo = body.bill_no ?? existing.billNo;
      existing.billTime = billTime ?? existing.billTime;
      existing.modifiedAt = req.now;
      existing.saves += 1;
      return success({ bill_id: existing.id, bill_no: existing.billNo, inner_no: existing.innerNo });
    }
    billSeq += 1;
    const id = String(FIRST_BILL_ID + BigInt(billSeq - 1) * 7_919n);
    const date = toShanghaiDateTime(new Date(req.now)).slice(0, 10).replaceAll('-', '');
    const bill: KingdeeStoredRetailBill = {
      id,
      billNo: body.bill_no ?? `LSD${date}${String(billSeq).padStart(5, '0')}`,
      innerNo: body.src_bill_id,
      body,
      billTime: billTime ?? req.now,
      savedAt: req.now,
      modifiedAt: req.now,
      saves: 1,
    };
    bills.set(id, bill);
    billsByInnerNo.set(bill.innerNo, bill);
    extra.newRetailBills += 1;
    return success({ bill_id: bill.id, bill_no: bill.billNo, inner_no: bill.innerNo });
  };

  const retailBillList = (req: HandlerRequest): HandlerAnswer => {
    const query = readQuery(req, checkRetailBillListQuery);
    if (!query.ok) return query.answer;
    const { values } = query;
    const pageNo = (values.page_no as number | undefined) ?? 1;
    const pageSize = (values.page_size as number | undefined) ?? KINGDEE_DEFAULT_PAGE_SIZE;
    const selected = selectRetailBills(bills.values(), values);
    const rows = selected
      .slice((pageNo - 1) * pageSize, pageNo * pageSize)
      .map((bill) => retailBillRow(bill, values.fetch_detail === true));
    extra.retailBillQueries += 1;
    return success({ rows });
  };

  const retailBillDetail = (req: HandlerRequest): HandlerAnswer => {
    const query = readQuery(req, checkRetailBillDetailQuery);
    if (!query.ok) return query.answer;
    const { bill_id: billId, bill_no: billNo, inner_no: innerNo } = query.values;
    // Every key given must name the same bill.
    const found = [...bills.values()].find(
      (bill) =>
        (billId === undefined || bill.id === billId) &&
        (billNo === undefined || bill.billNo === billNo) &&
        (innerNo === undefined || bill.innerNo === innerNo),
    );
    if (!found) return business(KINGDEE_NOT_FOUND, '零售单不存在: no retail bill has the keys given');
    extra.retailBillQueries += 1;
    return success({ order: { ...retailBillRow(found, true), inner_no: found.innerNo } });
  };

  const storeList = (req: HandlerRequest): HandlerAnswer => {
    const query = readQuery(req, checkStoreListQuery);
    if (!query.ok) return query.answer;
    const { values } = query;
    const page = (values.page as number | undefined) ?? 1;
    const pageSize = (values.page_size as number | undefined) ?? KINGDEE_DEFAULT_PAGE_SIZE;
    extra.storeQueries += 1;
    return success(storePage(selectStores(stores, values), page, pageSize));
  };

  const businessCall = (req: HandlerRequest, route: KingdeeRoute, clientId: string): HandlerAnswer => {
    if (header(req.headers, 'x-gw-router-addr') !== credentials.domain) {
      return { status: 404, body: { message: 'No Route' }, code: '404', signatureValid: true };
    }
    const token = header(req.headers, 'app-token');
    if (!token) return gateway(4009, true);
    const held = tokens.get(token);
    if (!held) return gateway(4010, true);
    rates.record(`${clientId}:${held.appKey}`, req.now);
    if (req.expireToken) held.expiresAt = Math.min(held.expiresAt, req.now);
    if (held.expiresAt <= req.now) return gateway(4011, true);
    if (held.revoked) {
      return business(KINGDEE_APP_SECRET_INVALID, '授权密钥已失效: the app secret was rotated; authorize again');
    }
    switch (route) {
      case 'refundSave':
        return refundSave(req);
      case 'retailBillSave':
        return retailBillSave(req);
      case 'retailBillList':
        return retailBillList(req);
      case 'retailBillDetail':
        return retailBillDetail(req);
      default:
        return storeList(req);
    }
  };

  const handle = (req: HandlerRequest): HandlerAnswer => {
    const known = ROUTES[`${req.method} ${req.url.pathname}`];
    if (!known) return gateway(PATHS.has(req.url.pathname) ? 5002 : 5001, undefined);
    if (header(req.headers, 'x-api-auth-version') !== '2.0') return gateway(4001, undefined);
    const clientId = header(req.headers, 'x-api-clientid');
    if (!clientId) return gateway(4002, undefined);
    if (clientId !== credentials.clientId) return gateway(4003, undefined);
    const signHeaders = (header(req.headers, 'x-api-signheaders') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .sort();
    if (signHeaders.length !== 2 || signHeaders[0] !== 'x-api-nonce' || signHeaders[1] !== 'x-api-timestamp') {
      return gateway(4007, undefined);
    }
    const nonce = header(req.headers, 'x-api-nonce') ?? '';
    // A positive integer: digits, at least one of them not 0 (leading zeros allowed).
    if (!/^\d{1,32}$/.test(nonce) || !/[1-9]/.test(nonce)) return gateway(4007, undefined);
    const timestamp = header(req.headers, 'x-api-timestamp') ?? '';
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(Number(timestamp) - req.now) > TIMESTAMP_WINDOW_MS) {
      return gateway(4006, undefined);
    }
    const signature = header(req.headers, 'x-api-signature');
    const valid =
      signature !== undefined &&
      verifyKingdeeSignature({
        clientSecret: credentials.clientSecret,
        method: req.method,
        path: req.url.pathname,
        query: req.url.searchParams,
        nonce,
        timestamp,
        signature,
      });
    if (!valid) return gateway(4008, false);
    if (!rememberNonce(`${clientId}:${nonce}`, req.now)) {
      return {
        status: 519,
        body: { errcode: 4008, description: 'nonce has already been used', descriptionCn: 'nonce重复' },
        code: '4008',
        signatureValid: true,
      };
    }
    if (known.route === 'authorize') return authorize(req);
    if (known.route === 'token') {
      if (req.expireToken) expireAll(req.now);
      return issueToken(req, clientId);
    }
    return businessCall(req, known.route, clientId);
  };

  const routeOf = (method: string, url: URL) => ROUTES[`${method} ${url.pathname}`]?.route ?? 'unknown';

  const engine = await startSandboxEngine<KingdeeFaultKind, KingdeeRoute>({
    port: options.port,
    faults: options.faults,
    now: options.now,
    clockOffsetMs: options.clockOffsetMs,
    seed: options.seed,
    logLimit: options.logLimit,
    kinds: KINDS,
    routeOf,
    handle,
    faultAnswer: (kind, terminal) => {
      const code = kind === 'overload' ? (terminal.errcode ?? 5007) : 5000;
      return gateway(code, undefined);
    },
    truncatedSample: JSON.stringify({ errcode: 0, description: 'success', data: { refund_no: '0', msg: 'ok' } }),
  });

  function expireAll(now: number) {
    for (const held of tokens.values()) held.expiresAt = Math.min(held.expiresAt, now);
  }

  function checkTtl(ms: number) {
    if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError('tokenTtlMs must be a positive number of milliseconds');
  }

  return {
    url: engine.url,
    port: engine.port,
    get credentials() {
      return { ...credentials };
    },
    refunds,
    retailBills: bills,
    get stores() {
      return stores.map((store) => ({ ...store }));
    },
    get log() {
      return engine.log();
    },
    get counters() {
      return {
        ...engine.counters(),
        ...extra,
        tokenCalls: { ...extra.tokenCalls },
        refundOutcomes: { ...extra.refundOutcomes },
        requestRates: rates.snapshot(engine.serverNow()),
      };
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
    get tokenTtlMs() {
      return tokenTtlMs;
    },
    setTokenTtl(ms) {
      checkTtl(ms);
      tokenTtlMs = ms;
    },
    expireTokens: () => expireAll(engine.serverNow()),
    rotateAppSecret(rotation = {}) {
      credentials.appSecret = randomBytes(16).toString('hex');
      if (!rotation.keepTokens) for (const held of tokens.values()) held.revoked = true;
      return credentials.appSecret;
    },
    setRefundOutcome(refundNo, input) {
      if (typeof refundNo !== 'string' || refundNo === '') throw new TypeError('refundNo must be a non-empty string');
      const outcome = readRefundOutcome(input, 'outcome');
      outcomes.set(refundNo, outcome);
      const stored = refunds.get(refundNo);
      if (stored) {
        stored.outcome = outcome;
        stored.data = {
          ...stored.data,
          ...refundOutcomeFields(outcome, toShanghaiDateTime(new Date(engine.serverNow()))),
        };
      }
    },
    requestRates: () => rates.snapshot(engine.serverNow()),
    reset() {
      refunds.clear();
      bills.clear();
      billsByInnerNo.clear();
      tokens.clear();
      nonces.clear();
      rates.clear();
      extra = freshCounters();
      engine.reset();
    },
    close: () => engine.close(),
  };
}
