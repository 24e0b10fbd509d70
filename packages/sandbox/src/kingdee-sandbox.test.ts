import { describe, expect, it } from 'vitest';
import { type KingdeeSandbox, startKingdeeSandbox } from './kingdee-sandbox.js';
import { kingdeeSandboxPerTest } from './kingdee-test-session.js';
import { json, type KingdeeCall, kingdeeFetch, nextNonce } from './test-requests.js';

const AUTHORIZE = '/jdyconnector/app_management/push_app_authorize';
const TOKEN = '/jdyconnector/app_management/kingdee_auth_token';
const SAVE = '/jdy/v2/ls/refundSave';

/** The vendor page's request example body, byte for byte (tabs and nulls included). */
const DOC_BODY =
  ' { \t"channel_order_no":null, \t"cmd":"pay.refund.query", \t"mch_id":"M1001", \t"order_no":"10029", \t"refund_amount":"5000", \t"refund_desc":"客户退货。发起部分退款。", \t"refund_no":"10029", \t"service_group_name":null, \t"shop_id":"S0002", \t"sign_msg":"1", \t"terminal_ip":"192.168.1.2", \t"terminal_no":"0002" }';

const BODY = {
  channel_order_no: 'C1',
  cmd: 'pay.refund.query',
  mch_id: 'M1001',
  refund_no: 'R-1',
  service_group_name: 'g',
  sign_msg: '1',
  terminal_ip: '192.168.1.2',
  terminal_no: '0002',
  refund_amount: '12.50',
};

const start = kingdeeSandboxPerTest();

function call(sandbox: KingdeeSandbox, c: KingdeeCall, now?: number) {
  return kingdeeFetch(sandbox.url, sandbox.credentials, c, now ?? sandbox.now());
}

function authorize(sandbox: KingdeeSandbox) {
  return call(sandbox, {
    method: 'POST',
    path: AUTHORIZE,
    query: { outerInstanceId: sandbox.credentials.outerInstanceId },
    body: '{}',
  });
}

async function token(sandbox: KingdeeSandbox, now?: number): Promise<string> {
  const { appKey, appSecret } = sandbox.credentials;
  const { kingdeeAppSignature } = await import('@refundkit/signing');
  const res = await call(
    sandbox,
    {
      method: 'GET',
      path: TOKEN,
      query: { app_key: appKey, app_signature: kingdeeAppSignature({ appKey, appSecret }) },
    },
    now,
  );
  const body = await json(res);
  expect(body.errcode).toBe(0);
  return (body.data as Record<string, string>)['app-token']!;
}

function save(
  sandbox: KingdeeSandbox,
  appToken: string,
  body: unknown,
  extra: Partial<KingdeeCall> = {},
  now?: number,
) {
  return call(
    sandbox,
    {
      method: 'POST',
      path: SAVE,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      token: appToken,
      router: sandbox.credentials.domain,
      ...extra,
    },
    now,
  );
}

describe('startKingdeeSandbox: server', () => {
  it('listens on 127.0.0.1 on a free port, with the docs’ example credentials by default', async () => {
    const a = await start();
    const b = await startKingdeeSandbox();
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      expect(b.port).not.toBe(a.port);
      expect(a.credentials).toEqual({
        clientId: '205022',
        clientSecret: 'f2adcfef73369bfc4e1384677d38a0ff',
        appKey: 'abc',
        appSecret: 'abc123',
        domain: 'https://tf.jdy.com',
        outerInstanceId: '509132114453729280',
      });
    } finally {
      await b.close();
    }
  });

  it('refuses a bad start-up fault before it listens, leaving no server behind', async () => {
    const probe = await start();
    const port = probe.port;
    await probe.close();
    await expect(startKingdeeSandbox({ port, faults: { kind: 'latency', rate: 5 } })).rejects.toThrow(RangeError);
    // Nothing holds the port: a sandbox can take it at once.
    const again = await start({ port });
    expect(again.port).toBe(port);
  });

  it('takes a port and credential overrides, and frees the port on close', async () => {
    const first = await startKingdeeSandbox({ credentials: { clientId: 'c1', domain: 'https://x.jdy.com' } });
    expect(first.credentials.clientId).toBe('c1');
    expect(first.credentials.appKey).toBe('abc');
    const port = first.port;
    await first.close();
    const again = await start({ port });
    expect(again.port).toBe(port);
  });
});

describe('startKingdeeSandbox: acceptance', () => {
  it('runs the whole flow: authorization list, app-token, refundSave; stores, logs and counts', async () => {
    const sandbox = await start();
    const auth = await json(await authorize(sandbox));
    expect(auth.errcode).toBe(0);
    expect(auth.data).toEqual([
      expect.objectContaining({
        appKey: 'abc',
        appSecret: 'abc123',
        domain: 'https://tf.jdy.com',
        status: 1,
        accountId: expect.any(String),
      }),
    ]);
    const tokenRes = await json(
      await call(sandbox, {
        method: 'GET',
        path: TOKEN,
        query: {
          app_key: 'abc',
          // The vendor's published app_signature of appKey `abc`, appSecret `abc123`.
          app_signature: 'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ==',
        },
      }),
    );
    expect(tokenRes.errcode).toBe(0);
    const data = tokenRes.data as Record<string, unknown>;
    expect(data).toEqual({
      'app-token': expect.any(String),
      access_token: expect.any(String),
      expires: expect.any(Number),
      uid: expect.any(String),
    });
    expect(data.expires).toBeGreaterThan(sandbox.now() + 23 * 3600 * 1000);

    const res = await save(sandbox, data['app-token'] as string, BODY);
    expect(res.status).toBe(200);
    const saved = await json(res);
    expect(saved).toMatchObject({ errcode: 0, description: 'success' });
    expect(saved.data).toMatchObject({ refund_no: 'R-1', refund_amount: '12.50', mch_id: 'M1001', err: '' });
    expect((saved.data as { finish_time: string }).finish_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(sandbox.refunds.get('R-1')).toMatchObject({ body: BODY, saves: 1, data: saved.data });
    expect(sandbox.counters).toMatchObject({
      requests: 3,
      accepted: 3,
      authorizations: 1,
      tokensIssued: 1,
      saves: 1,
      newRefunds: 1,
      replays: 0,
      rejected: {},
    });
    expect(sandbox.log.map((e) => [e.route, e.signatureValid, e.status, e.code, e.outcome])).toEqual([
      ['authorize', true, 200, '0', 'accepted'],
      ['token', true, 200, '0', 'accepted'],
      ['refundSave', true, 200, '0', 'accepted'],
    ]);
  });

  it('accepts the vendor page’s refundSave request example unchanged (its headers, its body with nulls)', async () => {
    const sandbox = await start({ now: () => 1655775240000 });
    const appToken = await token(sandbox);
    const res = await save(sandbox, appToken, DOC_BODY, {
      timestamp: '1655775240000',
      nonce: '1655775240000',
      router: 'https://tf.jdy.com',
    });
    const body = await json(res);
    expect(body).toMatchObject({ errcode: 0, data: { refund_no: '10029', refund_amount: '5000', shop_id: 'S0002' } });
    expect(sandbox.refunds.get('10029')?.body).toMatchObject({ channel_order_no: '', service_group_name: '' });
  });

  it('accepts X-Api-SignHeaders in the official SDK’s reversed order, and with spaces or another case', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    for (const [i, value] of ['X-Api-Nonce,X-Api-TimeStamp', 'x-api-timestamp, x-api-nonce'].entries()) {
      const res = await save(
        sandbox,
        appToken,
        { ...BODY, refund_no: `R-${i}` },
        { headers: { 'X-Api-SignHeaders': value } },
      );
      expect((await json(res)).errcode).toBe(0);
    }
  });

  it('accepts published signatures byte for byte: authorization list, token call, refundSave', async () => {
    const TOKEN_QUERY = {
      app_key: 'bVZgAZOv1',
      app_signature: 'MzZlYTk0ODk4MWZlNjdiODNmNWU4YzViNzYxNGM5MTFlOGJkN2NjMzk0MTJkZGNhZGM0NzZhN2YxZDJmOTlkZA==',
    };
    const TOKEN_SIGNATURE = 'OTFiZTliNDFiMjNkYTI3YzVhNzg4MDI4ZGU3MWY1ZTA5ZTk1NjVlNGM1YTI1ZjIxY2Y5YTA3ZGY2OGI1MGQ1MQ==';
    const AUTHORIZE_SIGNATURE =
      'YjJlZjM5N2M2ZmE3MmJkMzBkNGFhYzE2N2QwMjQxMWUyMGZjY2FhZmNmYWU2NmE1ZDQ4NjI3ZGFmZTI4ZWRmOA==';
    const sandbox = await start({ now: () => 1670305063559 });
    const authorized = await call(sandbox, {
      method: 'POST',
      path: AUTHORIZE,
      query: { outerInstanceId: '509132114453729280' },
      body: '{}',
      nonce: '4427456950',
      headers: { 'X-Api-Signature': AUTHORIZE_SIGNATURE },
    });
    expect(await json(authorized)).toMatchObject({ errcode: 0, data: [expect.objectContaining({ appKey: 'abc' })] });
    // The token call shares the authorization call's nonce: on the same sandbox, within the window, a replay.
    const replay = await call(sandbox, {
      method: 'GET',
      path: TOKEN,
      query: TOKEN_QUERY,
      nonce: '4427456950',
      headers: { 'X-Api-Signature': TOKEN_SIGNATURE },
    });
    expect(replay.status).toBe(519);
    expect(await json(replay)).toMatchObject({ errcode: 4008, description: 'nonce has already been used' });

    const fresh = await startKingdeeSandbox({ now: () => 1670305063559 });
    try {
      const tokenCall = await call(fresh, {
        method: 'GET',
        path: TOKEN,
        query: TOKEN_QUERY,
        nonce: '4427456950',
        headers: { 'X-Api-Signature': TOKEN_SIGNATURE },
      });
      // The gateway signature verifies; that app key is not this sandbox's, so a business error follows.
      expect(tokenCall.status).toBe(200);
      expect((await json(tokenCall)).errcode).toBe(1030002006);
      expect(fresh.log[0]?.signatureValid).toBe(true);
    } finally {
      await fresh.close();
    }

    const c = await startKingdeeSandbox({ now: () => 1700000000000 });
    try {
      const appToken = await token(c);
      const res = await save(c, appToken, BODY, {
        nonce: '1234567890',
        headers: {
          'X-Api-Signature': 'ZjBmMjdmN2JkM2NiNDk1Mjc5NTQ3ZjY3MDU4OTBkOTgyZWIwYTUyZTkxZDM4MWVmMmZkNmZhMDEzNGQxOTAyMA==',
        },
      });
      expect((await json(res)).errcode).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('verifies queries with characters that need encoding, however the URL spells them (space, star, tilde, slash, CJK, plus, equals, ampersand)', async () => {
    const sandbox = await start();
    const { signKingdeeRequest } = await import('@refundkit/signing');
    const query: [string, string][] = [
      ['outerInstanceId', sandbox.credentials.outerInstanceId],
      ['search', 'a b*c~d/中文+=&'],
      ['a-b', 'x'],
      ['a', 'y'],
    ];
    const spellings = [
      new URLSearchParams(query).toString(), // space as '+'
      query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'), // space as %20
    ];
    for (const spelled of spellings) {
      const nonce = nextNonce();
      const timestamp = String(sandbox.now());
      const res = await fetch(`${sandbox.url}${AUTHORIZE}?${spelled}`, {
        method: 'POST',
        body: '{}',
        headers: {
          'Content-Type': 'application/json',
          'X-Api-ClientID': '205022',
          'X-Api-Auth-Version': '2.0',
          'X-Api-TimeStamp': timestamp,
          'X-Api-Nonce': nonce,
          'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
          'X-Api-Signature': signKingdeeRequest({
            clientSecret: sandbox.credentials.clientSecret,
            method: 'POST',
            path: AUTHORIZE,
            query,
            nonce,
            timestamp,
          }),
        },
      });
      expect(await json(res)).toMatchObject({ errcode: 0, data: [expect.objectContaining({ appKey: 'abc' })] });
    }
  });

  it('answers an identical re-save with the stored result and counts it as a replay', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    const first = await json(await save(sandbox, appToken, BODY));
    const second = await json(await save(sandbox, appToken, { ...BODY, refund_amount: '12.5000' }));
    expect(second).toEqual(first);
    expect(sandbox.refunds.get('R-1')?.saves).toBe(2);
    expect(sandbox.counters).toMatchObject({ saves: 2, newRefunds: 1, replays: 1 });
  });

  it('answers an unknown outerInstanceId with an empty authorization list', async () => {
    const sandbox = await start();
    const res = await json(
      await call(sandbox, { method: 'POST', path: AUTHORIZE, query: { outerInstanceId: '1' }, body: '{}' }),
    );
    expect(res).toMatchObject({ errcode: 0, data: [] });
  });
});

describe('startKingdeeSandbox: gateway rejections (HTTP 519)', () => {
  async function gatewayCode(sandbox: KingdeeSandbox, c: Partial<KingdeeCall>, now?: number) {
    const res = await call(
      sandbox,
      { method: 'POST', path: AUTHORIZE, query: { outerInstanceId: '1' }, body: '{}', ...c },
      now,
    );
    const body = await json(res);
    return { status: res.status, errcode: body.errcode, body };
  }

  it('rejects a wrong auth version (4001), a missing (4002) or unknown (4003) client id', async () => {
    const sandbox = await start();
    expect(await gatewayCode(sandbox, { headers: { 'X-Api-Auth-Version': '1.0' } })).toMatchObject({
      status: 519,
      errcode: 4001,
    });
    expect(await gatewayCode(sandbox, { headers: { 'X-Api-ClientID': undefined } })).toMatchObject({
      status: 519,
      errcode: 4002,
    });
    const unknown = await gatewayCode(sandbox, { headers: { 'X-Api-ClientID': '999' } });
    expect(unknown).toMatchObject({ status: 519, errcode: 4003 });
    const refused = await call(sandbox, {
      method: 'POST',
      path: AUTHORIZE,
      query: { outerInstanceId: '1' },
      body: '{}',
      headers: { 'X-Api-ClientID': '999' },
    });
    expect(refused.statusText).toBe('Gateway Rejected');
    expect(unknown.body).toEqual({ errcode: 4003, description: expect.any(String), descriptionCn: expect.any(String) });
  });

  it('rejects wrong sign headers and malformed nonces with 4007', async () => {
    const sandbox = await start();
    for (const headers of [
      { 'X-Api-SignHeaders': 'X-Api-TimeStamp' },
      { 'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce,X-Api-ClientID' },
      { 'X-Api-SignHeaders': undefined },
    ]) {
      expect(await gatewayCode(sandbox, { headers })).toMatchObject({ status: 519, errcode: 4007 });
    }
    expect(await gatewayCode(sandbox, { nonce: 'abc' })).toMatchObject({ errcode: 4007 });
    // A positive integer: zero is not one, whatever its leading zeros.
    expect(await gatewayCode(sandbox, { nonce: '0' })).toMatchObject({ errcode: 4007 });
    expect(await gatewayCode(sandbox, { nonce: '0000000000' })).toMatchObject({ errcode: 4007 });
  });

  it('rejects timestamps outside 5 minutes (4006), either way, and accepts just inside', async () => {
    const now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now });
    expect(await gatewayCode(sandbox, { timestamp: now - 300_001 })).toMatchObject({ status: 519, errcode: 4006 });
    expect(await gatewayCode(sandbox, { timestamp: now + 300_001 })).toMatchObject({ status: 519, errcode: 4006 });
    expect(await gatewayCode(sandbox, { timestamp: Math.floor(now / 1000) })).toMatchObject({ errcode: 4006 });
    expect(await gatewayCode(sandbox, { timestamp: now - 299_000 })).toMatchObject({ status: 200, errcode: 0 });
    expect(await gatewayCode(sandbox, { timestamp: now + 299_000 })).toMatchObject({ status: 200, errcode: 0 });
  });

  it('rejects a wrong or missing signature (4008) and logs it as invalid', async () => {
    const sandbox = await start();
    const wrong = `${'A'.repeat(86)}==`;
    expect(await gatewayCode(sandbox, { headers: { 'X-Api-Signature': wrong } })).toMatchObject({
      status: 519,
      errcode: 4008,
    });
    expect(await gatewayCode(sandbox, { headers: { 'X-Api-Signature': undefined } })).toMatchObject({ errcode: 4008 });
    // A signature over another query does not verify: sign outerInstanceId=1, send outerInstanceId=2.
    const { signKingdeeRequest } = await import('@refundkit/signing');
    const nonce = nextNonce();
    const timestamp = String(sandbox.now());
    const res = await fetch(`${sandbox.url}${AUTHORIZE}?outerInstanceId=2`, {
      method: 'POST',
      body: '{}',
      headers: {
        'Content-Type': 'application/json',
        'X-Api-ClientID': '205022',
        'X-Api-Auth-Version': '2.0',
        'X-Api-TimeStamp': timestamp,
        'X-Api-Nonce': nonce,
        'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
        'X-Api-Signature': signKingdeeRequest({
          clientSecret: sandbox.credentials.clientSecret,
          method: 'POST',
          path: AUTHORIZE,
          query: { outerInstanceId: '1' },
          nonce,
          timestamp,
        }),
      },
    });
    expect(res.status).toBe(519);
    expect(sandbox.log.map((e) => e.signatureValid)).toEqual([false, false, false]);
    expect(sandbox.counters.rejected).toEqual({ '4008': 3 });
  });

  it('rejects a nonce reused within the window (4008)', async () => {
    const sandbox = await start();
    const nonce = nextNonce();
    expect(await gatewayCode(sandbox, { nonce })).toMatchObject({ errcode: 0 });
    const replay = await gatewayCode(sandbox, { nonce });
    expect(replay).toMatchObject({ status: 519, errcode: 4008 });
    expect(replay.body.description).toContain('nonce');
  });

  it('answers 5001 for an unknown path and 5002 for a wrong method', async () => {
    const sandbox = await start();
    const unknown = await call(sandbox, { method: 'POST', path: '/jdy/v2/ls/nothing', body: '{}' });
    expect(unknown.status).toBe(519);
    expect((await json(unknown)).errcode).toBe(5001);
    const wrongMethod = await call(sandbox, { method: 'GET', path: SAVE });
    expect((await json(wrongMethod)).errcode).toBe(5002);
  });

  it('answers 404 No Route for a wrong or missing X-GW-Router-Addr', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    for (const router of ['https://other.jdy.com', undefined]) {
      const res = await save(sandbox, appToken, BODY, { headers: { 'X-GW-Router-Addr': router } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'No Route' });
    }
    expect(sandbox.refunds.size).toBe(0);
  });

  it('rejects a missing (4009), unknown (4010) or expired (4011) app-token', async () => {
    let now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now, tokenTtlMs: 60_000 });
    const appToken = await token(sandbox);
    const codeOf = async (t: string | undefined) => {
      const res = await save(sandbox, t ?? '', BODY, t === undefined ? { headers: { 'app-token': undefined } } : {});
      return [res.status, (await json(res)).errcode];
    };
    expect(await codeOf(undefined)).toEqual([519, 4009]);
    expect(await codeOf('nope')).toEqual([519, 4010]);
    now += 60_000;
    expect(await codeOf(appToken)).toEqual([519, 4011]);
    sandbox.setTokenTtl(120_000);
    const second = await token(sandbox);
    expect(await codeOf(second)).toEqual([200, 0]);
    sandbox.expireTokens();
    expect(await codeOf(second)).toEqual([519, 4011]);
    expect(() => sandbox.setTokenTtl(0)).toThrow(RangeError);
  });
});

describe('startKingdeeSandbox: business rejections (HTTP 200, errcode ≠ 0)', () => {
  it('rejects a wrong app_signature or app_key with 1030002006, and an app_signature of a rotated secret', async () => {
    const sandbox = await start();
    const bad = await json(
      await call(sandbox, { method: 'GET', path: TOKEN, query: { app_key: 'abc', app_signature: 'bm9wZQ==' } }),
    );
    expect(bad.errcode).toBe(1030002006);
    const old = await token(sandbox);
    const secret = sandbox.rotateAppSecret();
    expect(sandbox.credentials.appSecret).toBe(secret);
    const { kingdeeAppSignature } = await import('@refundkit/signing');
    const stale = await json(
      await call(sandbox, {
        method: 'GET',
        path: TOKEN,
        query: { app_key: 'abc', app_signature: kingdeeAppSignature({ appKey: 'abc', appSecret: 'abc123' }) },
      }),
    );
    expect(stale.errcode).toBe(1030002006);
    expect(await token(sandbox)).not.toBe(old);
    expect(sandbox.counters.tokensIssued).toBe(2);
  });

  it('checks the body: JSON object, required fields, string types, refund_no, refund_amount (errcode 1001)', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    const cases: [unknown, string][] = [
      ['{not json', 'not valid JSON'],
      [[BODY], 'JSON object'],
      [{ ...BODY, cmd: undefined }, 'cmd is required'],
      [{ ...BODY, terminal_no: 2 }, 'terminal_no must be a string'],
      [{ ...BODY, refund_amount: 12.5 }, 'refund_amount must be a string'],
      [{ ...BODY, refund_amount: '12,50' }, 'refund_amount must be a non-negative decimal'],
      [{ ...BODY, refund_amount: '-1' }, 'refund_amount must be a non-negative decimal'],
      [{ ...BODY, refund_amount: '1.00001' }, 'refund_amount must be a decimal'],
      [{ ...BODY, refund_no: '' }, 'refund_no must not be empty'],
      [{ ...BODY, refund_no: null }, 'refund_no must not be empty'],
    ];
    for (const [body, message] of cases) {
      const res = await save(sandbox, appToken, body);
      expect(res.status).toBe(200);
      const answer = await json(res);
      expect(answer.errcode).toBe(1001);
      expect(answer.description).toContain(message);
    }
    const missing = await json(await save(sandbox, appToken, {}));
    for (const field of [
      'channel_order_no',
      'cmd',
      'mch_id',
      'refund_no',
      'service_group_name',
      'sign_msg',
      'terminal_ip',
      'terminal_no',
    ]) {
      expect(missing.description).toContain(`${field} is required`);
    }
    expect(sandbox.refunds.size).toBe(0);
    expect(sandbox.counters.rejected).toEqual({ '1001': 11 });
  });

  it('accepts optional fields as null (absent) and keeps unknown fields', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    const res = await json(await save(sandbox, appToken, { ...BODY, shop_id: null, order_no: null, extra: 'x' }));
    expect(res.errcode).toBe(0);
    expect(sandbox.refunds.get('R-1')?.body).toEqual({ ...BODY, extra: 'x' });
  });

  it('rejects re-saving a refund_no with a different amount (1002) or other content, and keeps the first', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    await save(sandbox, appToken, BODY);
    const amount = await json(await save(sandbox, appToken, { ...BODY, refund_amount: '13' }));
    expect(amount.errcode).toBe(1002);
    expect(amount.description).toContain('a different refund_amount');
    const other = await json(await save(sandbox, appToken, { ...BODY, refund_desc: 'changed' }));
    expect(other.errcode).toBe(1002);
    expect(other.description).toContain('refund_desc');
    expect(sandbox.refunds.get('R-1')?.body.refund_amount).toBe('12.50');
    expect(sandbox.counters).toMatchObject({ saves: 1, newRefunds: 1, rejected: { '1002': 2 } });
  });
});

describe('startKingdeeSandbox: clock', () => {
  it('shifts the Date header and the timestamp window by the clock offset', async () => {
    const now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now, clockOffsetMs: 600_000 });
    const local = await call(
      sandbox,
      { method: 'POST', path: AUTHORIZE, query: { outerInstanceId: '1' }, body: '{}' },
      now,
    );
    expect((await json(local)).errcode).toBe(4006);
    expect(local.headers.get('date')).toBe(new Date(now + 600_000).toUTCString());
    const corrected = await call(sandbox, {
      method: 'POST',
      path: AUTHORIZE,
      query: { outerInstanceId: '1' },
      body: '{}',
    });
    expect((await json(corrected)).errcode).toBe(0);
    sandbox.setClockOffset(-30_000);
    expect(sandbox.clockOffsetMs).toBe(-30_000);
    const later = await call(sandbox, { method: 'POST', path: AUTHORIZE, query: { outerInstanceId: '1' }, body: '{}' });
    expect(later.headers.get('date')).toBe(new Date(now - 30_000).toUTCString());
    expect(() => sandbox.setClockOffset(Number.NaN)).toThrow(RangeError);
  });
});

describe('startKingdeeSandbox: log and reset', () => {
  it('never keeps secrets, tokens or signatures in the log', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    await save(sandbox, appToken, BODY);
    await save(sandbox, appToken, BODY, { headers: { 'X-Api-Signature': 'bad' } });
    const text = JSON.stringify(sandbox.log);
    for (const secret of [
      sandbox.credentials.clientSecret,
      sandbox.credentials.appSecret,
      appToken,
      'app_signature',
      'bad',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(sandbox.log[0]).toEqual({
      seq: 1,
      at: expect.any(Number),
      method: 'GET',
      path: TOKEN,
      route: 'token',
      signatureValid: true,
      status: 200,
      code: '0',
      outcome: 'accepted',
      faults: [],
    });
  });

  it('reset() forgets refunds, tokens, log and counters', async () => {
    const sandbox = await start();
    const appToken = await token(sandbox);
    await save(sandbox, appToken, BODY);
    sandbox.reset();
    expect(sandbox.refunds.size).toBe(0);
    expect(sandbox.log).toEqual([]);
    expect(sandbox.counters.requests).toBe(0);
    expect((await json(await save(sandbox, appToken, BODY))).errcode).toBe(4010);
  });
});

describe('startKingdeeSandbox: refund outcomes', () => {
  it('answers a channel refusal inside an accepted call, shaped as the vendor’s own refused example', async () => {
    const sandbox = await start({ refundOutcomes: { 'R-1': 'refused' } });
    const appToken = await token(sandbox);
    const answer = await json(await save(sandbox, appToken, BODY));
    expect(answer).toMatchObject({ errcode: 0, description: 'success' });
    expect(answer.data).toMatchObject({
      err: '支付失败，签名异常',
      msg: '支付失败，签名异常',
      refund_status: '1SUCCESSd=false',
      refund_no: 'R-1',
      finish_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    expect(sandbox.refunds.get('R-1')?.outcome).toEqual({ kind: 'refused' });
    expect(sandbox.counters.refundOutcomes).toEqual({ succeeded: 0, refused: 1, pending: 0 });
  });

  it('answers succeeded by default, pending when told, and a changed outcome on an identical re-save', async () => {
    const sandbox = await start();
    sandbox.setRefundOutcome('R-2', { kind: 'pending' });
    sandbox.setRefundOutcome('R-3', { kind: 'refused', err: 'ACCOUNT_ERROR', msg: '账户异常', refundStatus: 'CHANGE' });
    const appToken = await token(sandbox);
    const ok = (await json(await save(sandbox, appToken, BODY))).data;
    expect(ok).toMatchObject({ err: '', msg: 'success', refund_status: 'SUCCESS' });
    const pending = (await json(await save(sandbox, appToken, { ...BODY, refund_no: 'R-2' }))).data;
    expect(pending).toMatchObject({ err: '', refund_status: 'PROCESSING', finish_time: '' });
    const refused = (await json(await save(sandbox, appToken, { ...BODY, refund_no: 'R-3' }))).data;
    expect(refused).toMatchObject({ err: 'ACCOUNT_ERROR', msg: '账户异常', refund_status: 'CHANGE' });
    // The channel finishes the pending refund: the same save now answers its success, same numbers.
    sandbox.setRefundOutcome('R-2', 'succeeded');
    const later = (await json(await save(sandbox, appToken, { ...BODY, refund_no: 'R-2' }))).data as Record<
      string,
      string
    >;
    expect(later).toMatchObject({
      err: '',
      refund_status: 'SUCCESS',
      in_refund_no: (pending as Record<string, string>).in_refund_no,
    });
    expect(later.finish_time).not.toBe('');
    expect(sandbox.counters.refundOutcomes).toEqual({ succeeded: 2, refused: 1, pending: 1 });
  });

  it('settles a pending refund on its own clock: pending until resolvesAfterMs after the save, then as told', async () => {
    const at = { now: Date.UTC(2024, 5, 1, 2, 0, 0) };
    const sandbox = await start({ now: () => at.now });
    sandbox.setRefundOutcome('R-4', { kind: 'pending', resolvesAfterMs: 60_000 });
    sandbox.setRefundOutcome('R-5', {
      kind: 'pending',
      resolvesAfterMs: 60_000,
      resolvesTo: { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' },
    });
    const appToken = await token(sandbox, at.now);
    const resave = async (refundNo: string) =>
      (await json(await save(sandbox, appToken, { ...BODY, refund_no: refundNo }, {}, at.now))).data as Record<
        string,
        string
      >;
    expect(await resave('R-4')).toMatchObject({ refund_status: 'PROCESSING', finish_time: '' });
    expect(await resave('R-5')).toMatchObject({ refund_status: 'PROCESSING' });
    at.now += 59_999;
    expect(await resave('R-4')).toMatchObject({ refund_status: 'PROCESSING' });
    at.now += 1;
    expect(await resave('R-4')).toMatchObject({
      err: '',
      refund_status: 'SUCCESS',
      finish_time: '2024-06-01 10:01:00',
    });
    expect(await resave('R-5')).toMatchObject({ err: 'NOTENOUGH', msg: '余额不足' });
    expect(sandbox.refunds.get('R-5')?.outcome.kind).toBe('refused');
    expect(sandbox.counters.byRoute).toEqual({ token: 1, refundSave: 5 });
    expect(() => sandbox.setRefundOutcome('R-6', { kind: 'pending', resolvesAfterMs: -1 })).toThrow(/resolvesAfterMs/);
    expect(() =>
      sandbox.setRefundOutcome('R-6', { kind: 'pending', resolvesTo: { kind: 'pending' } as never }),
    ).toThrow(/resolvesTo/);
  });

  it('refuses an outcome that is not one', async () => {
    const sandbox = await start();
    expect(() => sandbox.setRefundOutcome('R-1', 'done' as never)).toThrow(TypeError);
    expect(() => sandbox.setRefundOutcome('R-1', { kind: 'refused', err: 1 } as never)).toThrow(/outcome\.err/);
    expect(() => sandbox.setRefundOutcome('', 'pending')).toThrow(/refundNo/);
    await expect(startKingdeeSandbox({ refundOutcomes: { X: 'nope' as never } })).rejects.toThrow(/refundOutcomes\.X/);
  });
});

describe('startKingdeeSandbox: secret rotation, token expiry, token counts and request rates', () => {
  it('answers 1030002006 to business calls with tokens from before a rotation, until credentials are fetched again', async () => {
    const sandbox = await start();
    const before = await token(sandbox);
    sandbox.rotateAppSecret();
    const revoked = await save(sandbox, before, BODY);
    expect(revoked.status).toBe(200);
    expect(await json(revoked)).toMatchObject({ errcode: 1030002006 });
    // The fresh credentials come from the authorization list; a token fetched with them works.
    const auth = await json(await authorize(sandbox));
    expect((auth.data as { appSecret: string }[])[0]?.appSecret).toBe(sandbox.credentials.appSecret);
    expect((await json(await save(sandbox, await token(sandbox), BODY))).errcode).toBe(0);
    expect(sandbox.refunds.size).toBe(1);
  });

  it('keeps tokens working across a rotation with keepTokens', async () => {
    const sandbox = await start();
    const before = await token(sandbox);
    sandbox.rotateAppSecret({ keepTokens: true });
    expect((await json(await save(sandbox, before, BODY))).errcode).toBe(0);
  });

  it('counts token calls per client id and app key, and measures request rates per account', async () => {
    let now = 1_700_000_000_000;
    const sandbox = await start({ now: () => now });
    const appToken = await token(sandbox);
    for (let i = 0; i < 4; i += 1) await save(sandbox, appToken, { ...BODY, refund_no: `R-${i}` });
    await call(sandbox, { method: 'GET', path: TOKEN, query: { app_key: 'other', app_signature: 'x' } });
    expect(sandbox.counters.tokenCalls).toEqual({ '205022:abc': 1, '205022:other': 1 });
    expect(sandbox.counters.tokensIssued).toBe(1);
    expect(sandbox.requestRates()).toEqual({
      '205022:abc': { lastMinute: 5, peakPerMinute: 5 },
      '205022:other': { lastMinute: 1, peakPerMinute: 1 },
    });
    now += 60_000;
    await save(sandbox, appToken, { ...BODY, refund_no: 'R-late' });
    expect(sandbox.counters.requestRates['205022:abc']).toEqual({ lastMinute: 1, peakPerMinute: 5 });
    sandbox.reset();
    expect(sandbox.counters.tokenCalls).toEqual({});
    expect(sandbox.requestRates()).toEqual({});
  });
});
