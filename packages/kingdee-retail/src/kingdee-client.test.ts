import { inspect } from 'node:util';
import { type KingdeeSandbox, startKingdeeSandbox } from '@refundkit/sandbox';
import { isRefundkitError, type RefundkitError, VendorApiError } from '@refundkit/transport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../../../test-support/wait.js';
import { createKingdeeRetailClient } from './kingdee-client.js';
import type { KingdeeRetailSettings } from './kingdee-settings.js';
import { createMemoryTokenStore, type KingdeeAppToken, type KingdeeTokenStore } from './kingdee-token-store.js';
import { DOC_EXAMPLE, docBody } from './test-support.js';
import { USER_AGENT } from './version.js';

let kd: KingdeeSandbox;
/** Every secret-looking value that crossed the wire in a test: signatures, app signatures, tokens. */
let wireSecrets: Set<string>;
let userAgents: Set<string>;

/** A fetch that records what must never show up in errors or logs, then sends the request for real. */
const recordingFetch: typeof globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  for (const name of ['x-api-signature', 'app-token']) {
    const value = request.headers.get(name);
    if (value) wireSecrets.add(value);
  }
  userAgents.add(request.headers.get('user-agent') ?? '');
  const appSignature = new URL(request.url).searchParams.get('app_signature');
  if (appSignature) wireSecrets.add(appSignature);
  const response = await globalThis.fetch(request);
  if (request.url.includes('kingdee_auth_token')) {
    const text = await response.clone().text();
    try {
      const data = (JSON.parse(text) as { data?: Record<string, unknown> }).data ?? {};
      for (const name of ['app-token', 'access_token']) {
        if (typeof data[name] === 'string') wireSecrets.add(data[name] as string);
      }
    } catch {
      // not JSON: nothing to record
    }
  }
  return response;
};

function client(overrides: KingdeeRetailSettings = {}) {
  return createKingdeeRetailClient({
    ...kd.credentials,
    baseUrl: kd.url,
    fetch: recordingFetch,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
    ...overrides,
  });
}

const routes = (route: string) => kd.log.filter((entry) => entry.route === route);

beforeEach(async () => {
  kd = await startKingdeeSandbox();
  wireSecrets = new Set();
  userAgents = new Set();
});

afterEach(async () => {
  await kd.close();
});

describe('createKingdeeRetailClient against the sandbox', () => {
  it("saves the vendor page's example, signed, with the app-token and router address", async () => {
    const data = await client().refundSave(DOC_EXAMPLE);
    expect(data).toMatchObject({ refund_no: '10029', mch_id: 'M1001', refund_amount: '5000', shop_id: 'S0002' });
    expect(kd.refunds.get('10029')?.body).toMatchObject({ cmd: 'pay.refund.query', channel_order_no: '' });
    expect(kd.log.map((entry) => [entry.route, entry.signatureValid, entry.outcome])).toEqual([
      ['token', true, 'accepted'],
      ['refundSave', true, 'accepted'],
    ]);
    expect([...userAgents]).toEqual([USER_AGENT]);
    expect(USER_AGENT).toMatch(/^refundkit-kingdee-retail\/\S+ \(@refundkit\/kingdee-retail\)$/);
  });

  it('answers data through request() for any path, and passes unknown response fields through', async () => {
    const data = await client().request({
      method: 'POST',
      path: '/jdy/v2/ls/refundSave',
      body: docBody('R-request'),
    });
    expect(data).toMatchObject({ refund_no: 'R-request' });
    const saved = await client().refundSave(docBody('R-request'));
    expect(saved).toEqual(data);
  });

  it('lets 50 concurrent saves share one token request', async () => {
    const c = client();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.refundSave(docBody(`R-${i}`))));
    expect(results).toHaveLength(50);
    expect(kd.counters.tokensIssued).toBe(1);
    expect(routes('token')).toHaveLength(1);
    expect(kd.refunds.size).toBe(50);
  });

  it('shares tokens between clients through a token store, keyed by client id and app key', async () => {
    const store = createMemoryTokenStore();
    const keys: string[] = [];
    const spying: KingdeeTokenStore = {
      get: (key) => {
        keys.push(key);
        return store.get(key);
      },
      set: (key, token) => store.set(key, token),
    };
    await client({ tokenStore: spying }).refundSave(docBody('R-a'));
    await client({ tokenStore: spying }).refundSave(docBody('R-b'));
    expect(kd.counters.tokensIssued).toBe(1);
    expect(new Set(keys)).toEqual(new Set(['kingdee-app-token:205022:abc']));
  });

  it('replaces a token that expires mid-run and retries the call once', async () => {
    const c = client();
    await c.refundSave(docBody('R-1'));
    kd.expireTokens();
    await Promise.all([c.refundSave(docBody('R-2')), c.refundSave(docBody('R-3'))]);
    expect(kd.counters.tokensIssued).toBe(2);
    expect(kd.counters.rejected['4011']).toBe(2);
    expect(kd.refunds.size).toBe(3);
  });

  it('does not trust a stored token the gateway rejected', async () => {
    const stale: KingdeeAppToken = { appToken: 'not-a-token', expires: Date.now() + 3_600_000 };
    const store: KingdeeTokenStore = {
      get: async () => stale,
      set: async () => undefined,
    };
    await client({ tokenStore: store }).refundSave(docBody('R-stale'));
    expect(kd.counters.rejected['4010']).toBe(1);
    expect(kd.counters.tokensIssued).toBe(1);
  });

  it('discovers the credentials from outerInstanceId', async () => {
    const { clientId, clientSecret, outerInstanceId } = kd.credentials;
    await client({
      clientId,
      clientSecret,
      outerInstanceId,
      appKey: undefined,
      appSecret: undefined,
      domain: undefined,
    }).refundSave(DOC_EXAMPLE);
    expect(kd.counters.authorizations).toBe(1);
    expect(routes('authorize')[0]?.signatureValid).toBe(true);
    expect(kd.refunds.has('10029')).toBe(true);
  });

  it('authorizes again after the vendor rotates the app secret (1030002006)', async () => {
    const c = client();
    await c.refundSave(docBody('R-before'));
    kd.rotateAppSecret();
    kd.expireTokens();
    await c.refundSave(docBody('R-after'));
    expect(kd.counters.rejected['1030002006']).toBe(1);
    expect(kd.counters.authorizations).toBe(1);
    expect(kd.refunds.has('R-after')).toBe(true);
  });

  it('reports a rotated secret as AUTHENTICATION when there is no outerInstanceId to recover with', async () => {
    const c = client({ outerInstanceId: undefined });
    kd.rotateAppSecret();
    const error = await c.refundSave(DOC_EXAMPLE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', vendorCode: '1030002006', retryable: false });
  });

  it('corrects a server clock 10 minutes off and re-signs', async () => {
    kd.setClockOffset(10 * 60_000);
    await client().refundSave(DOC_EXAMPLE);
    expect(kd.counters.rejected['4006']).toBe(1);
    expect(kd.refunds.has('10029')).toBe(true);
    kd.setClockOffset(-10 * 60_000);
    await client().refundSave(docBody('R-behind'));
    expect(kd.counters.rejected['4006']).toBe(2);
  });

  it('retries 5xx and overload, then succeeds', async () => {
    kd.setFaults([
      { kind: 'http-503', route: 'refundSave', count: 1 },
      { kind: 'overload', route: 'refundSave', count: 1, errcode: 5007 },
    ]);
    const retries: string[] = [];
    await client({ hooks: { onRetry: (facts) => retries.push(facts.error.code) } }).refundSave(DOC_EXAMPLE);
    expect(routes('refundSave').map((entry) => entry.status)).toEqual([503, 519, 200]);
    expect(retries.sort()).toEqual(['BAD_RESPONSE', 'OVERLOADED'].sort());
  });

  it('retries a response lost after the save committed; the re-send is idempotent by refund_no', async () => {
    kd.setFaults({ kind: 'drop-response-after-commit', route: 'refundSave', count: 1 });
    const data = await client().refundSave(DOC_EXAMPLE);
    expect(data.refund_no).toBe('10029');
    expect(kd.counters.newRefunds).toBe(1);
    expect(kd.counters.replays).toBe(1);
  });

  it('does not retry business errors', async () => {
    const c = client();
    await c.refundSave(DOC_EXAMPLE);
    const conflict = await c.refundSave({ ...DOC_EXAMPLE, refund_amount: '4000' }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(VendorApiError);
    expect(conflict).toMatchObject({ vendorCode: '1002', code: 'BUSINESS', retryable: false, status: 200 });
    // request() to a defined operation checks the body as call() does: nothing is sent.
    const invalid = await c
      .request({ method: 'POST', path: '/jdy/v2/ls/refundSave', body: { refund_no: 'x' } })
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'VALIDATION', retryable: false, resendable: false });
    expect(routes('refundSave')).toHaveLength(2);
  });

  it('gives up after the configured attempts on persistent overload', async () => {
    kd.setFaults({ kind: 'overload', route: 'refundSave' });
    const error = await client({ retry: { attempts: 2, baseDelayMs: 1 } })
      .refundSave(DOC_EXAMPLE)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OVERLOADED', vendorCode: '5007', retryable: true });
    expect(routes('refundSave')).toHaveLength(2);
  });

  it('times out a hanging call', async () => {
    kd.setFaults({ kind: 'hang', route: 'refundSave' });
    const error = await client({ timeout: 200, retry: false })
      .refundSave(DOC_EXAMPLE)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'TIMEOUT', endpoint: 'POST /jdy/v2/ls/refundSave' });
  });

  it('aborts a call in flight and while it waits for a token', async () => {
    kd.setFaults({ kind: 'hang', route: 'refundSave' });
    const controller = new AbortController();
    const c = client({
      hooks: {
        onRequest: (facts) => {
          // Abort once the sandbox holds the (hanging) request, so the abort meets a call in flight.
          if (facts.endpoint === 'POST /jdy/v2/ls/refundSave') {
            void waitUntil(() => routes('refundSave').length === 1).then(() => controller.abort());
          }
        },
      },
    });
    const error = await c.refundSave(DOC_EXAMPLE, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED', retryable: false });
    expect(routes('refundSave')).toHaveLength(1);

    kd.setFaults({ kind: 'hang', route: 'token' });
    const waiting = new AbortController();
    const pending = client().refundSave(DOC_EXAMPLE, { signal: waiting.signal });
    // The new client's token request hangs at the sandbox; abort once it is there.
    await waitUntil(() => routes('token').length === 2);
    waiting.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('rejects invalid input naming every field, and sends nothing', async () => {
    const c = client();
    const error = await c
      .refundSave({ cmd: 5, refund_no: '', refund_amount: '1,00', refundNo: 'x' } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InputValidationError', code: 'VALIDATION' });
    const paths = (error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(
      [
        'channel_order_no',
        'cmd',
        'mch_id',
        'refund_amount',
        'refund_no',
        'refundNo',
        'service_group_name',
        'sign_msg',
        'terminal_ip',
        'terminal_no',
      ].sort(),
    );
    const badRequest = await c.request({ method: 'FETCH' as never, path: 'no-slash' }).catch((e: unknown) => e);
    expect(badRequest).toMatchObject({ code: 'VALIDATION' });
    expect(kd.log).toHaveLength(0);
    expect(kd.counters.requests).toBe(0);
  });

  it('fails at creation with a ConfigurationError naming the setting and variable', () => {
    vi.stubEnv('KINGDEE_CLIENT_SECRET', '');
    try {
      expect(() => createKingdeeRetailClient({ clientId: '1' })).toThrow(/clientSecret.*KINGDEE_CLIENT_SECRET/);
      expect(() => client({ timeout: -1 })).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION', setting: 'timeout' }),
      );
      expect(() => client({ baseUrl: 'nope' })).toThrow(expect.objectContaining({ setting: 'baseUrl' }));
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('never puts a secret, signature or token in an error, its JSON, a hook or a log line', async () => {
    const lines: unknown[] = [];
    const facts: unknown[] = [];
    const logger = {
      debug: (...args: unknown[]) => lines.push(args),
      info: (...args: unknown[]) => lines.push(args),
      warn: (...args: unknown[]) => lines.push(args),
      error: (...args: unknown[]) => lines.push(args),
    };
    const hooks = {
      onRequest: (f: unknown) => facts.push(f),
      onResponse: (f: unknown) => facts.push(f),
      onRetry: (f: unknown) => facts.push(f),
      onError: (f: unknown) => facts.push(f),
    };
    const errors: RefundkitError[] = [];
    const attempt = async (action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        expect(isRefundkitError(error)).toBe(true);
        errors.push(error as RefundkitError);
      }
    };
    const c = client({ logger, hooks, timeout: 300 });
    await attempt(() => c.refundSave(DOC_EXAMPLE));
    kd.expireTokens();
    await attempt(() => c.refundSave({ ...DOC_EXAMPLE, refund_amount: '1' }));
    kd.setFaults([
      { kind: 'truncated-body', route: 'refundSave', count: 1 },
      { kind: 'non-json-body', route: 'refundSave', count: 1 },
    ]);
    await attempt(() => c.refundSave(docBody('R-faults')));
    kd.setFaults({ kind: 'hang', route: 'refundSave' });
    await attempt(() => c.refundSave(docBody('R-hang')));
    kd.clearFaults();
    await attempt(() => c.refundSave({ ...DOC_EXAMPLE, sign_msg: 7 } as never));
    await attempt(() =>
      client({ logger, hooks, clientSecret: 'wrong-client-secret-value' }).refundSave(docBody('R-bad-signature')),
    );
    const staleSecret = client({ logger, hooks, outerInstanceId: undefined });
    const oldAppSecret = kd.credentials.appSecret;
    kd.rotateAppSecret();
    kd.expireTokens();
    await attempt(() => staleSecret.refundSave(docBody('R-rotated')));
    expect(errors.map((error) => error.code).sort()).toEqual(
      ['BUSINESS', 'AUTHENTICATION', 'AUTHENTICATION', 'BAD_RESPONSE', 'TIMEOUT', 'VALIDATION'].sort(),
    );

    const secrets = [
      ...wireSecrets,
      kd.credentials.clientSecret,
      kd.credentials.appSecret,
      oldAppSecret,
      'wrong-client-secret-value',
    ];
    expect(wireSecrets.size).toBeGreaterThan(5);
    const haystack = [
      ...errors.map((error) => error.message),
      ...errors.map((error) => JSON.stringify(error)),
      ...errors.map((error) => inspect(error, { depth: 10 })),
      ...lines.map((line) => inspect(line, { depth: 10 })),
      ...facts.map((fact) => inspect(fact, { depth: 10 })),
    ].join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(haystack.includes(secret), `a secret leaked: ${secret.slice(0, 4)}…`).toBe(false);
    }
  });
});

describe('the client core: definitions, shared tokens, rate limits, exact answers', () => {
  it('calls refundSave by its name as well as by its method, checked the same way', async () => {
    const c = client();
    const byName = await c.call('POST /jdy/v2/ls/refundSave', docBody('R-call'));
    expect(byName).toMatchObject({ refund_no: 'R-call' });
    const unknown = await c.call('GET /nowhere' as never, {} as never).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'name' }] });
    expect(routes('refundSave')).toHaveLength(1);
  });

  it('lets clients share one token request through the memory store’s refresh (single flight)', async () => {
    const tokenStore = createMemoryTokenStore();
    const refreshes: Array<KingdeeAppToken | undefined> = [];
    const spying: KingdeeTokenStore = {
      get: (key) => tokenStore.get(key),
      set: (key, token) => tokenStore.set(key, token),
      refresh: (key, fetchToken, stale) => {
        refreshes.push(stale);
        return tokenStore.refresh!(key, fetchToken, stale);
      },
    };
    const clients = Array.from({ length: 5 }, () => client({ tokenStore: spying }));
    await Promise.all(clients.map((c, index) => c.refundSave(docBody(`R-sf-${index}`))));
    expect(kd.counters.tokensIssued).toBe(1);
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    kd.expireTokens();
    await Promise.all(clients.map((c, index) => c.refundSave(docBody(`R-sf2-${index}`))));
    expect(kd.counters.tokensIssued).toBe(2);
    // Each rejected token was handed back as `stale`, so the store knew to replace it.
    expect(refreshes.filter((stale) => stale !== undefined).length).toBeGreaterThanOrEqual(1);
  });

  it('answers the token of another holder instead of fetching, when it already replaced the stale one', async () => {
    const fresh: KingdeeAppToken = { appToken: 'from-another-process', expires: Date.now() + 3_600_000 };
    const store = createMemoryTokenStore();
    await store.set('k', fresh);
    let fetched = 0;
    const fetchToken = async () => {
      fetched += 1;
      return { appToken: 'new', expires: Date.now() + 3_600_000 };
    };
    expect(await store.refresh!('k', fetchToken, { appToken: 'old', expires: 0 })).toEqual(fresh);
    expect(fetched).toBe(0);
    expect(await store.refresh!('k', fetchToken, fresh)).toMatchObject({ appToken: 'new' });
    const [a, b] = await Promise.all([
      store.refresh!('k2', fetchToken, undefined),
      store.refresh!('k2', fetchToken, undefined),
    ]);
    expect(a).toEqual(b);
    expect(fetched).toBe(2);
  });

  it('acquires the rate limiter before every call under the account key, token call included', async () => {
    const keys: string[] = [];
    const rateLimiter = {
      acquire: async (key: string) => {
        keys.push(key);
      },
      penalize: async () => undefined,
    };
    await client({ rateLimiter }).refundSave(docBody('R-rl'));
    expect(keys).toEqual(['kingdee:205022:abc', 'kingdee:205022:abc']);
  });

  it('reads a big id the gateway writes as a JSON number as its exact digits', async () => {
    const rewriting: typeof globalThis.fetch = async (input, init) => {
      const response = await recordingFetch(input, init);
      if (!new Request(input, init).url.includes('refundSave')) return response;
      const text = (await response.text()).replace('"data":{', '"data":{"bill_id":1420169116878110001,');
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const data = await client({ fetch: rewriting }).refundSave(docBody('R-big'));
    expect(data.bill_id).toBe('1420169116878110001');
  });

  it('takes every optional setting as undefined, and never reads the environment when given credentials', () => {
    const denied = new Proxy(
      {},
      {
        get() {
          throw new Error('NotCapable');
        },
      },
    );
    expect(() =>
      createKingdeeRetailClient({
        ...kd.credentials,
        outerInstanceId: undefined,
        baseUrl: undefined,
        timeout: undefined,
        retry: undefined,
        hooks: undefined,
        logger: undefined,
        tokenStore: undefined,
        rateLimiter: undefined,
        env: denied,
      }),
    ).not.toThrow();
  });

  it('refuses settings that would break a header, naming the setting', () => {
    for (const [setting, value] of [
      ['clientId', 'abc\r\nX-Evil: 1'],
      ['clientId', 'id\u0000'],
      ['appKey', '键'],
      ['domain', 'https://tf.jdy.com/path?x'],
      ['baseUrl', 'https://api.kingdee.com?x=1'],
    ] as const) {
      expect(() => client({ [setting]: value })).toThrow(expect.objectContaining({ code: 'CONFIGURATION', setting }));
    }
  });
});
