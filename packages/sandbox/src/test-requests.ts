/**
 * Test-only helpers that build vendor requests by hand (plain fetch, signing from @refundkit/signing), the way an
 * integrator's own code or another language's SDK would. Not exported from the package.
 */
import { signKingdeeRequest, wangdianSign } from '@refundkit/signing';
import type { KingdeeSandboxCredentials } from './kingdee-sandbox.js';
import type { WangdianSandboxCredentials } from './wangdian-sandbox.js';

let nonceSeq = 1_000_000_000;

/** A fresh 10-digit nonce per call, so tests never trip the replay check by accident. */
export function nextNonce(): string {
  nonceSeq += 1;
  return String(nonceSeq);
}

export interface KingdeeCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string>;
  body?: string;
  nonce?: string;
  timestamp?: string | number;
  token?: string;
  router?: string;
  /** Header overrides; `undefined` removes a header. */
  headers?: Record<string, string | undefined>;
}

/** Sends a signed Kingdee call to a sandbox. */
export async function kingdeeFetch(
  baseUrl: string,
  credentials: KingdeeSandboxCredentials,
  call: KingdeeCall,
  now: number = Date.now(),
): Promise<Response> {
  const nonce = call.nonce ?? nextNonce();
  const timestamp = String(call.timestamp ?? now);
  const signature = signKingdeeRequest({
    clientSecret: credentials.clientSecret,
    method: call.method,
    path: call.path,
    ...(call.query ? { query: call.query } : {}),
    nonce,
    timestamp,
  });
  const headers: Record<string, string | undefined> = {
    'Content-Type': 'application/json',
    'X-Api-ClientID': credentials.clientId,
    'X-Api-Auth-Version': '2.0',
    'X-Api-TimeStamp': timestamp,
    'X-Api-Nonce': nonce,
    'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
    'X-Api-Signature': signature,
    ...(call.token === undefined ? {} : { 'app-token': call.token }),
    ...(call.router === undefined ? {} : { 'X-GW-Router-Addr': call.router }),
    ...call.headers,
  };
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
  const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
  return fetch(`${baseUrl}${call.path}${query}`, {
    method: call.method,
    headers: sent,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
}

/** The current Wangdian timestamp of an epoch-ms time. */
export function wangdianSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) - 1325347200;
}

export interface WangdianCall {
  method: string;
  body: string;
  timestamp?: number;
  paging?: Record<string, string>;
  /** Query overrides (applied after signing unless `signOverrides`); `undefined` removes a parameter. */
  query?: Record<string, string | undefined>;
  /** Apply `query` overrides before signing. */
  signOverrides?: boolean;
  secret?: string;
  contentType?: string;
}

/** Sends a signed Wangdian call (exact body bytes) to a sandbox. */
export async function wangdianFetch(
  baseUrl: string,
  credentials: WangdianSandboxCredentials,
  call: WangdianCall,
  now: number = Date.now(),
): Promise<Response> {
  const [secret, salt] = credentials.appSecret.split(':') as [string, string];
  let params: Record<string, string | undefined> = {
    sid: credentials.sid,
    key: credentials.appKey,
    salt,
    method: call.method,
    timestamp: String(call.timestamp ?? wangdianSeconds(now)),
    v: '1.0',
    ...call.paging,
  };
  if (call.signOverrides) params = { ...params, ...call.query };
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) signed[name] = value;
  const sign = wangdianSign({ secret: call.secret ?? secret, params: signed, body: call.body });
  let query: Record<string, string | undefined> = { ...signed, sign };
  if (!call.signOverrides) query = { ...query, ...call.query };
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value);
  return fetch(`${baseUrl}/openapi?${search}`, {
    method: 'POST',
    headers: { 'Content-Type': call.contentType ?? 'application/json;charset=utf-8' },
    body: call.body,
  });
}

/** Reads a response's JSON body. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** Anything with a sandbox's address, credentials and clock. */
export interface WangdianTarget {
  url: string;
  credentials: WangdianSandboxCredentials;
  now(): number;
}

/**
 * Calls a Wangdian sandbox method with positional arguments (written with `JSON.stringify`, or a raw body text) and
 * optional paging, and returns the answer's text and its parsed JSON.
 */
export async function wangdianCall(
  sandbox: WangdianTarget,
  method: string,
  args: readonly unknown[] | string,
  paging?: { pageSize: number; pageNo: number; calcTotal?: boolean },
): Promise<{ text: string; body: Record<string, unknown> }> {
  const response = await wangdianFetch(
    sandbox.url,
    sandbox.credentials,
    {
      method,
      body: typeof args === 'string' ? args : JSON.stringify(args),
      ...(paging
        ? {
            paging: {
              page_size: String(paging.pageSize),
              page_no: String(paging.pageNo),
              ...(paging.calcTotal === undefined ? {} : { calc_total: paging.calcTotal ? '1' : '0' }),
            },
          }
        : {}),
    },
    sandbox.now(),
  );
  const text = await response.text();
  return { text, body: JSON.parse(text) as Record<string, unknown> };
}

/** `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai of an epoch-ms time. */
export function shanghai(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A valid raw refund row for pushes, numbered after `refundNo` (tid `T-…`, oid `O-…`), with `change` applied. */
export function wangdianRow(refundNo: string, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    refund_no: refundNo,
    num: 2,
    tid: `T-${refundNo}`,
    oid: `O-${refundNo}`,
    type: 2,
    status: 2,
    refund_version: '1',
    refund_amount: '20.5',
    actual_refund_amount: '20.5',
    title: '货品',
    buyer_nick: '买家',
    is_aftersale: 1,
    reason: '',
    ...change,
  };
}
