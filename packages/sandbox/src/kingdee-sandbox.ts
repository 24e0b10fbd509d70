/**
 * A local stand-in for the Kingdee 精斗云 open API gateway: authorization list, app-token, and refundSave, with the
 * gateway's checks (client id, auth version, sign headers, 5-minute timestamp window, signature, nonce replay,
 * router address, app-token), state, a request log, counters and fault injection.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { toShanghaiDateTime } from '@refundkit/refund-model';
import { kingdeeAppSignature, verifyKingdeeSignature } from '@refundkit/signing';
import type { SandboxFault, SandboxFaultKind } from './faults.js';
import {
  checkRefundSaveBody,
  differingFields,
  type KingdeeRefundSaveBody,
  type KingdeeRefundSaveData,
} from './kingdee-refund-save.js';
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
export type KingdeeRoute = 'authorize' | 'token' | 'refundSave';
/** Fault kinds the Kingdee sandbox supports. */
export type KingdeeFaultKind = Exclude<SandboxFaultKind, 'already-exists'>;
/** A Kingdee fault rule (see `SandboxFault`). */
export type KingdeeFault = SandboxFault<KingdeeFaultKind, KingdeeRoute>;

export interface KingdeeSandboxOptions extends SandboxOptions<KingdeeSandboxCredentials, KingdeeFault> {
  /** `accountId` of the authorization (default '1544483385588547584'). */
  accountId?: string;
  /** Lifetime of an issued app-token in ms (default 24 h). */
  tokenTtlMs?: number;
}

/** A refund the sandbox saved. */
export interface KingdeeStoredRefund {
  /** The body as checked (null required fields became ''). */
  body: KingdeeRefundSaveBody;
  /** The `data` answered, answered again for an identical re-save. */
  data: KingdeeRefundSaveData;
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
  /** Accepted refundSave calls (new refunds plus identical re-saves). */
  saves: number;
  /** refundSave calls that stored a new refund_no. */
  newRefunds: number;
  /** refundSave calls that repeated a stored refund with identical content (answered the stored result). */
  replays: number;
}

export interface KingdeeSandbox
  extends Sandbox<KingdeeSandboxCredentials, KingdeeSandboxCounters, KingdeeFaultKind, KingdeeRoute, KingdeeFault> {
  /** Current credentials (appSecret changes after `rotateAppSecret()`). */
  readonly credentials: KingdeeSandboxCredentials;
  /** Saved refunds by refund_no (a live view). */
  readonly refunds: ReadonlyMap<string, KingdeeStoredRefund>;
  /** App-token lifetime for tokens issued from now on, ms. */
  readonly tokenTtlMs: number;
  setTokenTtl(ms: number): void;
  /** Makes every app-token issued so far expired (later calls with them get 519 / 4011). */
  expireTokens(): void;
  /** Rotates the appSecret (as the real one does about daily); returns the new one. Old app_signatures then fail. */
  rotateAppSecret(): string;
}

const PATHS: Record<string, { route: KingdeeRoute; method: string }> = {
  '/jdyconnector/app_management/push_app_authorize': { route: 'authorize', method: 'POST' },
  '/jdyconnector/app_management/kingdee_auth_token': { route: 'token', method: 'GET' },
  '/jdy/v2/ls/refundSave': { route: 'refundSave', method: 'POST' },
};

/** Gateway codes with their English and Chinese texts (PROTOCOLS.md). */
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

/** Business code: the body failed the refundSave checks (sandbox's own choice; the docs list none). */
export const KINGDEE_INVALID_BODY = 1001;
/** Business code: the refund_no is already saved with different content (sandbox's own choice). */
export const KINGDEE_REFUND_CONFLICT = 1002;
/** Business code of the docs: the authorization secret failed or expired. */
export const KINGDEE_APP_SECRET_INVALID = 1030002006;

const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

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
  return { status: 200, body: { errcode: 0, description: 'success', data }, code: '0', signatureValid: true };
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

/**
 * Starts a local Kingdee gateway on 127.0.0.1 (a free port unless `port` is given) that checks every call as the
 * real gateway does and saves refunds in memory. The defaults are the vendor docs' example values (client id
 * `205022`, domain `https://tf.jdy.com`, ...), so the docs' requests work against it unchanged.
 *
 * @example
 * const kd = await startKingdeeSandbox();
 * const client = createKingdeeRetailClient({ ...kd.credentials, baseUrl: kd.url });
 * await client.refundSave(body);
 * kd.refunds.get(body.refund_no); // the stored refund
 * await kd.close();
 */
export async function startKingdeeSandbox(options: KingdeeSandboxOptions = {}): Promise<KingdeeSandbox> {
  const credentials: KingdeeSandboxCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const accountId = options.accountId ?? '1544483385588547584';
  let tokenTtlMs = options.tokenTtlMs ?? 24 * 60 * 60 * 1000;
  checkTtl(tokenTtlMs);
  const refunds = new Map<string, KingdeeStoredRefund>();
  const tokens = new Map<string, { expiresAt: number }>();
  const nonces = new Map<string, number>();
  let extra = freshCounters();
  let inRefundSeq = 0;

  function freshCounters() {
    return { authorizations: 0, tokensIssued: 0, saves: 0, newRefunds: 0, replays: 0 };
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

  const issueToken = (req: HandlerRequest): HandlerAnswer => {
    const appKey = req.url.searchParams.get('app_key');
    const appSignature = req.url.searchParams.get('app_signature');
    if (!appKey || !appSignature) return business(KINGDEE_APP_SECRET_INVALID, 'app_key and app_signature are required');
    const expected = kingdeeAppSignature({ appKey: credentials.appKey, appSecret: credentials.appSecret });
    if (appKey !== credentials.appKey || !sameText(appSignature, expected)) {
      return business(KINGDEE_APP_SECRET_INVALID, '授权密钥已失效或不正确 (app_key or app_signature is invalid)');
    }
    const token = randomBytes(24).toString('hex');
    const expiresAt = req.now + tokenTtlMs;
    tokens.set(token, { expiresAt });
    extra.tokensIssued += 1;
    return success({
      'app-token': token,
      access_token: randomBytes(24).toString('hex'),
      expires: expiresAt,
      uid: '100000001',
    });
  };

  const refundSave = (req: HandlerRequest): HandlerAnswer => {
    if (header(req.headers, 'x-gw-router-addr') !== credentials.domain) {
      return { status: 404, body: { message: 'No Route' }, code: '404', signatureValid: true };
    }
    const token = header(req.headers, 'app-token');
    if (!token) return gateway(4009, true);
    const held = tokens.get(token);
    if (!held) return gateway(4010, true);
    if (req.expireToken) held.expiresAt = Math.min(held.expiresAt, req.now);
    if (held.expiresAt <= req.now) return gateway(4011, true);
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body.toString('utf8'));
    } catch {
      return business(KINGDEE_INVALID_BODY, '参数错误: body is not valid JSON');
    }
    const checked = checkRefundSaveBody(parsed);
    if (!checked.ok) return business(KINGDEE_INVALID_BODY, `参数错误: ${checked.problems.join('; ')}`);
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
      return success(stored.data);
    }
    inRefundSeq += 1;
    const data: KingdeeRefundSaveData = {
      channel_refund_no: `P${String(inRefundSeq).padStart(12, '0')}`,
      err: '',
      finish_time: toShanghaiDateTime(new Date(req.now)),
      in_refund_no: String(10_000_000 + inRefundSeq),
      mch_id: body.mch_id,
      msg: 'success',
      refund_amount: body.refund_amount ?? '',
      refund_no: body.refund_no,
      refund_status: 'SUCCESS',
      shop_id: body.shop_id ?? '',
      trans_no: `T${req.now}${String(inRefundSeq).padStart(6, '0')}`,
    };
    refunds.set(body.refund_no, { body, data, savedAt: req.now, saves: 1 });
    extra.saves += 1;
    extra.newRefunds += 1;
    return success(data);
  };

  const handle = (req: HandlerRequest): HandlerAnswer => {
    const known = PATHS[req.url.pathname];
    if (!known) return gateway(5001, undefined);
    if (known.method !== req.method) return gateway(5002, undefined);
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
    // A positive integer: digits, at least one of them not 0 (leading zeros allowed, as worked example F sends).
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
      return issueToken(req);
    }
    return refundSave(req);
  };

  const routeOf = (_method: string, url: URL) => PATHS[url.pathname]?.route ?? 'unknown';

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
    get tokenTtlMs() {
      return tokenTtlMs;
    },
    setTokenTtl(ms) {
      checkTtl(ms);
      tokenTtlMs = ms;
    },
    expireTokens: () => expireAll(engine.serverNow()),
    rotateAppSecret() {
      credentials.appSecret = randomBytes(16).toString('hex');
      return credentials.appSecret;
    },
    reset() {
      refunds.clear();
      tokens.clear();
      nonces.clear();
      extra = freshCounters();
      engine.reset();
    },
    close: () => engine.close(),
  };
}
