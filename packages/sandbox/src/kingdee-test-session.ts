/**
 * Test-only: a hand-made Kingdee session against a sandbox (an app-token fetched with app_signature, then signed
 * business calls with token and router address), reading answers losslessly. Not exported from the package.
 */
import { request } from 'node:http';
import { kingdeeAppSignature, signKingdeeRequest } from '@refundkit/signing';
import { isSafeNumber, LosslessNumber, parse } from 'lossless-json';
import { afterEach } from 'vitest';
import { type KingdeeSandbox, type KingdeeSandboxOptions, startKingdeeSandbox } from './kingdee-sandbox.js';
import { type KingdeeCall, kingdeeFetch, nextNonce } from './test-requests.js';

/**
 * An answer: HTTP status, the exact body text, and the body parsed without rounding: numbers a float holds exactly
 * as numbers, others as `LosslessNumber`s.
 */
export interface KingdeeAnswer {
  status: number;
  text: string;
  body: { errcode?: unknown; description?: unknown; data?: unknown; [key: string]: unknown };
}

function read(status: number, text: string): KingdeeAnswer {
  const body = parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));
  return { status, text, body: body as KingdeeAnswer['body'] };
}

async function answer(response: Response): Promise<KingdeeAnswer> {
  return read(response.status, await response.text());
}

/** A session: `get` and `post` sign each call afresh; `token` is the app-token in use. */
export interface KingdeeTestSession {
  token: string;
  get(path: string, query?: Record<string, string>, extra?: Partial<KingdeeCall>): Promise<KingdeeAnswer>;
  post(path: string, body: unknown, extra?: Partial<KingdeeCall>): Promise<KingdeeAnswer>;
  /** Fetches a new app-token with the sandbox's current credentials. */
  renew(): Promise<void>;
  /** A signed GET that also carries a body (fetch cannot send one), through node:http. */
  getWithBody(path: string, body: string): Promise<KingdeeAnswer>;
}

/** Fetches an app-token from the sandbox and answers a session that uses it. */
export async function openKingdeeSession(kd: KingdeeSandbox): Promise<KingdeeTestSession> {
  const fetchToken = async () => {
    const { appKey, appSecret } = kd.credentials;
    const res = await answer(
      await kingdeeFetch(
        kd.url,
        kd.credentials,
        {
          method: 'GET',
          path: '/jdyconnector/app_management/kingdee_auth_token',
          query: { app_key: appKey, app_signature: kingdeeAppSignature({ appKey, appSecret }) },
        },
        kd.now(),
      ),
    );
    const data = res.body.data as Record<string, unknown> | undefined;
    const token = data?.['app-token'];
    if (typeof token !== 'string') throw new Error(`no app-token: errcode ${String(res.body.errcode)}`);
    return token;
  };
  const send = async (call: KingdeeCall) =>
    answer(
      await kingdeeFetch(
        kd.url,
        kd.credentials,
        { token: session.token, router: kd.credentials.domain, ...call },
        kd.now(),
      ),
    );
  const session: KingdeeTestSession = {
    token: await fetchToken(),
    get: (path, query, extra = {}) => send({ method: 'GET', path, ...(query ? { query } : {}), ...extra }),
    post: (path, body, extra = {}) =>
      send({ method: 'POST', path, body: typeof body === 'string' ? body : JSON.stringify(body), ...extra }),
    async renew() {
      session.token = await fetchToken();
    },
    getWithBody(path, body) {
      const nonce = nextNonce();
      const timestamp = String(kd.now());
      const { clientId, clientSecret, domain } = kd.credentials;
      const headers = {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'X-Api-ClientID': clientId,
        'X-Api-Auth-Version': '2.0',
        'X-Api-TimeStamp': timestamp,
        'X-Api-Nonce': nonce,
        'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
        'X-Api-Signature': signKingdeeRequest({ clientSecret, method: 'GET', path, nonce, timestamp }),
        'app-token': session.token,
        'X-GW-Router-Addr': domain,
      };
      return new Promise((resolve, reject) => {
        const req = request(`${kd.url}${path}`, { method: 'GET', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(read(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
  };
  return session;
}

/**
 * Starts one sandbox per test and closes it after the test: call at the top of a test file, then `await start()` in
 * each test.
 */
export function kingdeeSandboxPerTest(): (options?: KingdeeSandboxOptions) => Promise<KingdeeSandbox> {
  let current: KingdeeSandbox | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startKingdeeSandbox(options);
    return current;
  };
}

/**
 * Sends a GET whose URL query (`sent`, exactly as written) may differ from the pairs it was signed over (`signed`),
 * with the session's token and router address: for tests of what the signature covers.
 */
export async function signedGet(
  kd: KingdeeSandbox,
  session: KingdeeTestSession,
  path: string,
  signed: ReadonlyArray<readonly [string, string]>,
  sent: string,
): Promise<KingdeeAnswer> {
  const nonce = nextNonce();
  const timestamp = String(kd.now());
  const { clientId, clientSecret, domain } = kd.credentials;
  const res = await fetch(`${kd.url}${path}?${sent}`, {
    headers: {
      'X-Api-ClientID': clientId,
      'X-Api-Auth-Version': '2.0',
      'X-Api-TimeStamp': timestamp,
      'X-Api-Nonce': nonce,
      'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
      'X-Api-Signature': signKingdeeRequest({ clientSecret, method: 'GET', path, query: signed, nonce, timestamp }),
      'app-token': session.token,
      'X-GW-Router-Addr': domain,
    },
  });
  return answer(res);
}
