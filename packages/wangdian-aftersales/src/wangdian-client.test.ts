import { startWangdianSandbox, type WangdianSandbox } from '@refundkit/sandbox';
import { wangdianSign } from '@refundkit/signing';
import { ConfigurationError, isRefundkitError, type RefundkitError, type RequestFacts } from '@refundkit/transport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../test-support/wait.js';
import { rawRefundSearch } from './endpoints/raw-refund-search.js';
import { rawRefundUpload } from './endpoints/raw-refund-upload.js';
import { createWangdianClient, type WangdianClient } from './wangdian-client.js';
import { WANGDIAN_ENDPOINTS } from './wangdian-endpoints.js';
import { UploadIncompleteError, WangdianApiError } from './wangdian-errors.js';
import { walkWangdianPages } from './wangdian-pages.js';
import type { WangdianClientSettings } from './wangdian-settings.js';
import { DOC_EXAMPLE_BODY, DOC_EXAMPLE_ROW, makeRow } from './wangdian-test-fixtures.js';

const SECRET = 'SECRET-9f8e7d6c';
const SALT = 'SALT-1a2b3c4d';
const UPLOAD = 'aftersales.refund.RawRefund.upload';
const SEARCH = 'aftersales.refund.RawRefund.search';
/** A search window of the last day, ending now (the sandbox refuses a search without one, or longer than 30 days). */
const window = () => ({
  start_time: new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 19).replace('T', ' '),
  end_time: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
});

interface Sent {
  url: URL;
  body: string;
}

let wd: WangdianSandbox;
let sent: Sent[];
let logLines: string[];
let hookFacts: unknown[];
let errors: unknown[];
const allSigns = new Set<string>();

/** A fetch that records what goes out (URL and exact body) before passing it on. */
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  allSigns.add(url.searchParams.get('sign') ?? '');
  sent.push({ url, body: await request.clone().text() });
  return fetch(request);
};

const record =
  (level: string) =>
  (...args: unknown[]) =>
    logLines.push(`${level} ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`);
const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };

const hooks = {
  onRequest: (facts: RequestFacts) => hookFacts.push(facts),
  onResponse: (facts: RequestFacts) => hookFacts.push(facts),
  onRetry: (facts: RequestFacts & { error: RefundkitError }) =>
    hookFacts.push({ ...facts, error: facts.error.toJSON() }),
  onError: (facts: RequestFacts & { error: RefundkitError }) =>
    hookFacts.push({ ...facts, error: facts.error.toJSON() }),
};

function client(settings: Omit<WangdianClientSettings, 'endpoints'> = {}): WangdianClient<typeof WANGDIAN_ENDPOINTS> {
  return createWangdianClient({
    ...wd.credentials,
    baseUrl: wd.url,
    endpoints: WANGDIAN_ENDPOINTS,
    fetch: recordingFetch,
    logger,
    hooks,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    rateLimitBackoffMs: 20,
    env: {},
    ...settings,
  });
}

async function rejection(promise: Promise<unknown>): Promise<RefundkitError> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    expect(isRefundkitError(error)).toBe(true);
    return error as RefundkitError;
  }
  throw new Error('expected the promise to reject');
}

const manyRows = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => makeRow(`${prefix}-${i}`));

beforeAll(async () => {
  wd = await startWangdianSandbox({ credentials: { appSecret: `${SECRET}:${SALT}` } });
  errors = [];
  logLines = [];
  hookFacts = [];
});

afterEach(() => {
  wd.clearFaults();
  wd.setClockOffset(0);
  wd.reset();
  sent = [];
});

afterAll(async () => {
  // Nothing secret may have reached a log line, a hook, an error message or a serialised error in any test.
  const signs = [...allSigns].filter((sign) => sign.length === 32);
  expect(signs.length).toBeGreaterThan(20);
  const texts = [
    ...logLines,
    ...hookFacts.map((facts) => JSON.stringify(facts)),
    ...errors.flatMap((error) => [
      String((error as Error).message),
      JSON.stringify(error),
      String((error as Error).stack),
    ]),
  ];
  expect(logLines.length).toBeGreaterThan(0);
  expect(errors.length).toBeGreaterThan(5);
  const urls = hookFacts.map((facts) => (facts as RequestFacts).url).filter((url) => url.includes('?'));
  expect(urls.length).toBeGreaterThan(20);
  for (const url of urls) expect(url).toMatch(/salt=.*redacted.*&.*sign=.*redacted/);
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SALT);
    expect(text).not.toContain('买家昵称');
    for (const sign of signs) expect(text).not.toContain(sign);
    expect(text).not.toMatch(/sign=[0-9a-f]{32}/);
  }
  await wd.close();
});

sent = [];

describe('createWangdianClient against the sandbox', () => {
  it('uploads the upload doc example: the exact body, signed, with the query in the documented order', async () => {
    const result = await client().uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    expect(result).toEqual({
      newCount: 1,
      chgCount: 0,
      batches: [{ index: 0, refundNos: ['lztest'], rowCount: 1, outcome: 'uploaded', newCount: 1, chgCount: 0 }],
    });
    expect(wd.getRefund('lztest', 'deb718e2afe5')?.shop_no).toBe('LCJ');
    expect(wd.log.map((entry) => [entry.route, entry.signatureValid, entry.outcome])).toEqual([
      [UPLOAD, true, 'accepted'],
    ]);
    const [request] = sent;
    expect(request?.body).toBe(DOC_EXAMPLE_BODY);
    expect(request?.url.pathname).toBe('/openapi');
    const query = [...(request?.url.searchParams ?? [])];
    expect(query.map(([name]) => name)).toEqual(['sid', 'key', 'salt', 'method', 'timestamp', 'v', 'sign']);
    const params = Object.fromEntries(query.filter(([name]) => name !== 'sign'));
    expect(params).toMatchObject({ sid: 'wdtapi3', key: 'appkey', salt: SALT, method: UPLOAD, v: '1.0' });
    expect(request?.url.searchParams.get('sign')).toBe(
      wangdianSign({ secret: SECRET, params, body: DOC_EXAMPLE_BODY }),
    );
  });

  it('uploads 250 rows in three calls of at most 100 rows', async () => {
    const result = await client().uploadRawRefunds('LCJ', manyRows(250, 'B'));
    expect(result.newCount).toBe(250);
    expect(result.batches.map((batch) => batch.rowCount)).toEqual([100, 100, 50]);
    expect(result.batches[1]?.refundNos[0]).toBe('B-100');
    expect(wd.counters.uploads).toBe(3);
    expect(sent).toHaveLength(3);
    expect(wd.refunds.size).toBe(250);
  });

  it('keeps the rows of one refund in one call and honours maxBatch', async () => {
    const rows = [makeRow('M1', 1), makeRow('M1', 2), makeRow('M2', 1), makeRow('M2', 2), makeRow('M3', 1)];
    const result = await client({ maxBatch: 3 }).uploadRawRefunds('LCJ', rows);
    expect(result.batches.map((batch) => batch.refundNos)).toEqual([['M1'], ['M2', 'M3']]);
    expect(result.newCount).toBe(5);
  });

  it('counts a re-upload of a changed refund as changed, and an identical one as neither', async () => {
    const wdt = client();
    await wdt.uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    const changed = await wdt.uploadRawRefunds('LCJ', [{ ...DOC_EXAMPLE_ROW, status: 5, refund_version: '2' }]);
    expect(changed).toMatchObject({ newCount: 0, chgCount: 1 });
    const same = await wdt.uploadRawRefunds('LCJ', [{ ...DOC_EXAMPLE_ROW, status: 5, refund_version: '2' }]);
    expect(same).toMatchObject({ newCount: 0, chgCount: 0 });
    expect(wd.getRefund('lztest', 'deb718e2afe5')?.row.status).toBe(5);
  });

  it('reports exactly which refund numbers went in when a call fails mid-way', async () => {
    const rows = manyRows(250, 'F');
    let responses = 0;
    const wdt = client({
      hooks: {
        ...hooks,
        onResponse: (facts) => {
          hooks.onResponse(facts);
          responses += 1;
          if (responses === 1) wd.setFaults({ kind: 'already-exists', route: UPLOAD, count: 1 });
        },
      },
    });
    const error = await rejection(wdt.uploadRawRefunds('LCJ', rows));
    expect(error).toBeInstanceOf(UploadIncompleteError);
    const incomplete = error as UploadIncompleteError;
    expect(incomplete.code).toBe('ALREADY_EXISTS');
    expect(incomplete.retryable).toBe(false);
    expect(incomplete.cause).toBeInstanceOf(WangdianApiError);
    const numbers = rows.map((row) => row.refund_no);
    expect(incomplete.uploadedRefundNos).toEqual(numbers.slice(0, 100));
    expect(incomplete.failedRefundNos).toEqual(numbers.slice(100, 200));
    expect(incomplete.notUploadedRefundNos).toEqual(numbers.slice(100));
    expect(incomplete.result.newCount).toBe(100);
    expect(incomplete.result.batches.map((batch) => batch.outcome)).toEqual(['uploaded', 'failed', 'skipped']);
    expect(incomplete.result.batches[1]?.errorCode).toBe('ALREADY_EXISTS');
    expect(wd.refunds.size).toBe(100);
    expect(sent).toHaveLength(2);
    expect(incomplete.toJSON()).toMatchObject({ code: 'ALREADY_EXISTS', uploadedRefundNos: numbers.slice(0, 100) });

    // Sending what was not uploaded finishes the job.
    const rest = rows.filter((row) => incomplete.notUploadedRefundNos.includes(row.refund_no));
    expect((await wdt.uploadRawRefunds('LCJ', rest)).newCount).toBe(150);
    expect(wd.refunds.size).toBe(250);
  });

  it('corrects a server clock 5 minutes off: status 7, then re-signed with the learned offset', async () => {
    wd.setClockOffset(5 * 60_000);
    const wdt = client({ retry: false });
    const result = await wdt.uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    expect(result.newCount).toBe(1);
    expect(wd.log.map((entry) => entry.code)).toEqual(['7', '0']);
    expect(Math.abs(wdt.clock.offsetMs - 5 * 60_000)).toBeLessThan(5_000);
    const [first, second] = sent.map((request) => Number(request.url.searchParams.get('timestamp')));
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(295);
    // Later calls start from the learned offset: no second timestamp error.
    await wdt.request({ method: SEARCH, args: [window()] }).catch(() => undefined);
    await wdt.request({ method: SEARCH, args: [window()], paging: { pageSize: 10 } });
    expect(wd.log.filter((entry) => entry.code === '7')).toHaveLength(1);
  });

  it('retries rate-limit answers after the rate-limit backoff', async () => {
    wd.setFaults({ kind: 'overload', route: UPLOAD, count: 2 });
    const retries: number[] = [];
    const wdt = client({
      rateLimitBackoffMs: 30,
      hooks: { ...hooks, onRetry: (facts) => retries.push(facts.delayMs) },
    });
    const result = await wdt.uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    expect(result.newCount).toBe(1);
    expect(retries).toHaveLength(2);
    for (const delay of retries) expect(delay).toBeGreaterThanOrEqual(30);
    expect(wd.counters.faultsByKind.overload).toBe(2);
  });

  it('recognises the concurrency-limit message too, and gives up with RATE_LIMITED when attempts run out', async () => {
    wd.setFaults({ kind: 'overload', message: '超过最大并发次数限制，请稍后再试', route: UPLOAD });
    const error = await rejection(client({ retry: 2 }).uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(20);
    expect(wd.log).toHaveLength(2);
  });

  it('throws a rate limit at once, with retryAfterMs, when the backoff exceeds the retry cap the caller set', async () => {
    wd.setFaults({ kind: 'overload', route: SEARCH, count: 1 });
    const wdt = client({ rateLimitBackoffMs: 120_000, retry: { attempts: 3, maxDelayMs: 1_000 } });
    const error = await rejection(wdt.request({ method: SEARCH, args: [window()], paging: { pageSize: 10 } }));
    expect(error).toBeInstanceOf(WangdianApiError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', reason: 'rate-limit', retryAfterMs: 120_000 });
    expect(wd.log).toHaveLength(1);
  });

  it('does not retry other status-100 answers', async () => {
    const error = await rejection(client().uploadRawRefunds('NO-SUCH-SHOP', [DOC_EXAMPLE_ROW]));
    expect(error.code).toBe('BUSINESS');
    expect(error.retryable).toBe(false);
    expect((error.cause as WangdianApiError).vendorMessage).toBe('店铺编号不存在或已停用');
    expect((error.cause as WangdianApiError).reason).toBe('business');
    expect(wd.log).toHaveLength(1);

    wd.setFaults({ kind: 'already-exists', route: UPLOAD, count: 1 });
    const exists = await rejection(client().uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]));
    expect(exists.code).toBe('ALREADY_EXISTS');
    expect(wd.log).toHaveLength(2);
  });

  it('retries a 503 and a dropped connection (a dropped call that was stored re-uploads as unchanged)', async () => {
    wd.setFaults([
      { kind: 'http-503', route: UPLOAD, count: 1 },
      { kind: 'drop-response-after-commit', route: UPLOAD, count: 1 },
    ]);
    const result = await client().uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW]);
    expect(result.batches[0]?.outcome).toBe('uploaded');
    expect(wd.log.map((entry) => entry.outcome)).toEqual(['fault', 'accepted', 'accepted']);
    expect(wd.refunds.size).toBe(1);
  });

  it('stops on an abort signal, during a call and before one', async () => {
    wd.setFaults({ kind: 'hang', route: UPLOAD });
    const controller = new AbortController();
    const wdt = client({
      // Abort once the sandbox holds the (hanging) upload, so the abort meets a call in flight.
      hooks: {
        ...hooks,
        onRequest: () => void waitUntil(() => wd.log.length === 1).then(() => controller.abort(new Error('stop'))),
      },
    });
    const error = await rejection(wdt.uploadRawRefunds('LCJ', [DOC_EXAMPLE_ROW], { signal: controller.signal }));
    expect(error).toBeInstanceOf(UploadIncompleteError);
    expect(error.code).toBe('ABORTED');
    expect((error as UploadIncompleteError).notUploadedRefundNos).toEqual(['lztest']);

    const aborted = AbortSignal.abort();
    const viaCall = await rejection(
      client()
        .withSignal(aborted)
        .request({ method: SEARCH, args: [window()] }),
    );
    expect(viaCall.code).toBe('ABORTED');
    const viaRequest = await rejection(client().request({ method: SEARCH, args: [window()], signal: aborted }));
    expect(viaRequest.code).toBe('ABORTED');
    const viaPages = await rejection(
      (async () => {
        for await (const _ of client().pages(SEARCH, window(), { signal: aborted })) break;
      })(),
    );
    expect(viaPages.code).toBe('ABORTED');
    expect(wd.log).toHaveLength(1);
  });

  it('times out a hanging call', async () => {
    wd.setFaults({ kind: 'hang', route: SEARCH });
    const error = await rejection(
      client({ timeout: 100, retry: 2 }).request({ method: SEARCH, args: [window()], paging: { pageSize: 5 } }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(wd.log).toHaveLength(2);
  });

  it('rejects invalid rows before sending anything, naming every failing field', async () => {
    const rows = [
      DOC_EXAMPLE_ROW,
      { ...DOC_EXAMPLE_ROW, refund_no: '', buyer_nick: '买家昵称'.repeat(30), type: 9, num: '0.12345' },
      { ...DOC_EXAMPLE_ROW, refund_no: 'x', status: 0, is_aftersale: 3, pay_no: 'p'.repeat(61) },
    ];
    const error = await rejection(client().uploadRawRefunds('LCJ', rows as never));
    expect(error.code).toBe('VALIDATION');
    expect((error as unknown as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort()).toEqual(
      [
        'rows[1].refund_no',
        'rows[1].buyer_nick',
        'rows[1].type',
        'rows[1].num',
        'rows[2].status',
        'rows[2].is_aftersale',
        'rows[2].pay_no',
      ].sort(),
    );
    expect(error.message).not.toContain('买家昵称');
    expect(wd.log).toHaveLength(0);
    expect(wd.counters.requests).toBe(0);
    expect(sent).toHaveLength(0);
  });

  it('names authentication failures by reason: signature and sid not found', async () => {
    const wrongSecret = await rejection(
      client({ appSecret: `WRONG-${SECRET}:${SALT}` }).request({ method: SEARCH, args: [window()] }),
    );
    expect(wrongSecret).toMatchObject({ code: 'AUTHENTICATION', reason: 'signature', vendorCode: '1' });
    const wrongSalt = await rejection(
      client({ appSecret: `${SECRET}:WRONG-${SALT}` }).request({ method: SEARCH, args: [window()] }),
    );
    expect(wrongSalt).toMatchObject({ code: 'AUTHENTICATION', reason: 'signature' });
    const wrongSid = await rejection(client({ sid: 'nobody' }).request({ method: SEARCH, args: [window()] }));
    expect(wrongSid).toMatchObject({ code: 'AUTHENTICATION', reason: 'sid-not-found' });
    // A defined method's arguments are checked before sending: the missing order_list never reaches the gateway.
    const badArgument = await rejection(client().call(UPLOAD, ...(['LCJ'] as never as [string, never[]])));
    expect(badArgument).toMatchObject({ code: 'VALIDATION', retryable: false, issues: [{ path: 'args[1]' }] });
    expect(wd.log).toHaveLength(3);
  });

  it('names the path of an argument that cannot be written, and never repeats what a getter threw', async () => {
    const untyped = client().call as (method: string, ...args: unknown[]) => Promise<unknown>;
    const notFinite = await rejection(untyped('some.other.Method', { list: [1, Number.NaN] }));
    expect(notFinite).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'args[0].list[1]', message: 'not a finite number' }],
    });
    const hostile = Object.defineProperty({ a: 1n }, 'b', {
      enumerable: true,
      get() {
        throw new TypeError('HOSTILE-TEXT at $.x');
      },
    });
    const unreadable = await rejection(untyped('some.other.Method', hostile));
    expect(unreadable).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'args', message: 'could not be read (a property getter or a Proxy threw)' }],
    });
    expect(JSON.stringify(unreadable) + unreadable.message).not.toContain('HOSTILE');
    expect(sent).toHaveLength(0);
  });

  it('calls any method with positional arguments and pages with the paging parameters in the query only', async () => {
    await client().uploadRawRefunds('LCJ', manyRows(25, 'P'));
    sent = [];
    const wdt = client();
    const filter = window();
    const page = await wdt.request({
      method: SEARCH,
      args: [filter],
      paging: { pageSize: 10, pageNo: 2, calcTotal: true },
    });
    expect(page).toMatchObject({ total_count: 25 });
    expect((page as { order: unknown[] }).order).toHaveLength(5);
    expect(sent[0]?.body).toBe(JSON.stringify([filter]));
    expect([...(sent[0]?.url.searchParams.keys() ?? [])]).toEqual([
      'sid',
      'key',
      'salt',
      'method',
      'timestamp',
      'v',
      'sign',
      'page_size',
      'page_no',
      'calc_total',
    ]);
    expect(Object.fromEntries(sent[0]?.url.searchParams ?? [])).toMatchObject({
      page_size: '10',
      page_no: '2',
      calc_total: '1',
    });

    sent = [];
    const seen: string[] = [];
    for await (const row of wdt.pages(SEARCH, [filter], { pageSize: 10 })) {
      seen.push(row.refund_no);
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // A defined query is walked from its last page back (then its first page again): docs/wangdian-paging.md.
    expect(sent.map((request) => request.url.searchParams.get('page_no'))).toEqual(['0', '2', '1', '0']);

    const exactPages: string[] = [];
    for await (const row of wdt.pages(SEARCH, filter, { pageSize: 5 })) {
      exactPages.push(row.refund_no);
    }
    expect(exactPages).toHaveLength(25);

    // The untyped pager walks forward through request(), picking the page's only list, from startPage.
    sent = [];
    const walked: unknown[] = [];
    for await (const row of walkWangdianPages(wdt, SEARCH, filter, { pageSize: 10, startPage: 1 })) walked.push(row);
    expect(walked).toHaveLength(15);
    expect(sent.map((request) => request.url.searchParams.get('page_no'))).toEqual(['1', '2']);
    const badWalk = await (async () => {
      for await (const _ of walkWangdianPages(wdt, SEARCH, filter, { pageSize: 0 })) break;
    })().catch((e: unknown) => e);
    expect(badWalk).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'options.pageSize' }] });
    const notRows = await (async () => {
      for await (const _ of walkWangdianPages(wdt, SEARCH, [filter], { pageSize: 10, rows: () => 5 as never })) break;
    })().catch((e: unknown) => e);
    expect(notRows).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'options.rows' }] });

    // A defined query sent without paging asks for its first page, counted.
    sent = [];
    expect(await wdt.request({ method: SEARCH, args: [filter] })).toMatchObject({ total_count: 25 });
    expect(Object.fromEntries(sent[0]?.url.searchParams ?? [])).toMatchObject({ page_no: '0', calc_total: '1' });
    // A method without a definition is sent as given: the gateway refuses a query without paging.
    wd.setFaults([]);
    const unpaged = await wdt.request({ method: 'sales.RawTrade.search', args: [{}] }).catch((e: unknown) => e);
    expect(unpaged).toBeInstanceOf(WangdianApiError);
  });
});

describe('vendor messages that quote private values', () => {
  it('hides the secret, salt, sign and buyer data a vendor message might repeat', async () => {
    const echoingFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = await request.text();
      const nick = (JSON.parse(body) as [string, { buyer_nick: string }[]])[1][0]?.buyer_nick;
      const message = `验证失败 sign=${url.searchParams.get('sign')} salt=${url.searchParams.get('salt')} secret=${SECRET} nick=${nick}`;
      return new Response(JSON.stringify({ status: 1, message }), { headers: { 'content-type': 'application/json' } });
    };
    const wdt = createWangdianClient({
      sid: 'wdtapi3',
      appKey: 'appkey',
      appSecret: `${SECRET}:${SALT}`,
      baseUrl: 'http://127.0.0.1:9',
      fetch: echoingFetch,
      env: {},
    });
    const error = await rejection(wdt.uploadRawRefunds('LCJ', [makeRow('E1')]));
    const cause = error.cause as WangdianApiError;
    expect(cause.reason).toBe('signature');
    expect(cause.vendorMessage).toMatch(
      /^验证失败 sign=\[redacted\] salt=\[redacted\] secret=\[redacted\] nick=\[redacted\]$/,
    );
    const text = `${error.message} ${JSON.stringify(error)} ${cause.message}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SALT);
    expect(text).not.toContain('买家昵称');
    expect(text).not.toMatch(/[0-9a-f]{32}/);
  });
});

describe('createWangdianClient settings', () => {
  const credentials = { sid: 'wdtapi3', appKey: 'appkey', appSecret: `${SECRET}:${SALT}` };

  it('takes the sandbox credentials spread in, and falls back to the environment', () => {
    expect(() => createWangdianClient({ ...credentials, env: {} })).not.toThrow();
    expect(() =>
      createWangdianClient({
        env: { WANGDIAN_SID: 's', WANGDIAN_APP_KEY: 'k', WANGDIAN_APP_SECRET: `${SECRET}:${SALT}` },
      }),
    ).not.toThrow();
  });

  it('lets settings win over the environment', async () => {
    const wdt = createWangdianClient({
      ...credentials,
      baseUrl: wd.url,
      endpoints: { rawRefundSearch },
      env: { WANGDIAN_SID: 'from-env', WANGDIAN_APP_KEY: 'from-env', WANGDIAN_APP_SECRET: 'a:b' },
    });
    await expect(wdt.request({ method: SEARCH, args: [window()], paging: { pageSize: 1 } })).resolves.toEqual({
      order: [],
    });
    wd.reset();
  });

  it('names both the setting and the variable of a missing credential', () => {
    for (const [setting, variable] of [
      ['sid', 'WANGDIAN_SID'],
      ['appKey', 'WANGDIAN_APP_KEY'],
      ['appSecret', 'WANGDIAN_APP_SECRET'],
    ] as const) {
      const settings: WangdianClientSettings = { ...credentials, env: {} };
      delete settings[setting];
      let error: unknown;
      try {
        createWangdianClient(settings);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).setting).toBe(setting);
      expect((error as Error).message).toContain(setting);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('validates the app secret without echoing it', () => {
    for (const appSecret of ['NO-COLON-SECRET-VALUE', ':ONLY-SALT-VALUE', 'ONLY-SECRET-VALUE:']) {
      let error: unknown;
      try {
        createWangdianClient({ ...credentials, appSecret, env: {} });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).setting).toBe('appSecret');
      const text = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
      expect(text).not.toContain('VALUE');
    }
  });

  it('rejects a bad baseUrl, maxBatch, rateLimitBackoffMs, timeout and retry', () => {
    const bad: [WangdianClientSettings, string][] = [
      [{ baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ baseUrl: 'http://wdt.wangdian.cn/openapi' }, 'baseUrl'],
      [{ baseUrl: 'http://wdt.wangdian.cn?x=1' }, 'baseUrl'],
      [{ maxBatch: 0 }, 'maxBatch'],
      [{ maxBatch: 2.5 }, 'maxBatch'],
      [{ rateLimitBackoffMs: -1 }, 'rateLimitBackoffMs'],
      [{ timeout: 0 }, 'timeout'],
      [{ retry: { attempts: 0 } }, 'retry'],
    ];
    for (const [settings, setting] of bad) {
      expect(() => createWangdianClient({ ...credentials, env: {}, ...settings })).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION', setting }),
      );
    }
  });

  it('defaults to the production origin and accepts https', () => {
    expect(() => createWangdianClient({ ...credentials, env: {}, baseUrl: 'https://wdt.wangdian.cn/' })).not.toThrow();
  });
});

describe('the client core: definitions, rate limits, settings', () => {
  it('calls the upload by name and through its derived method, checked and typed by its definition', async () => {
    const wdt = client();
    const byName = await wdt.call(UPLOAD, 'LCJ', [DOC_EXAMPLE_ROW]);
    expect(byName).toMatchObject({ new_count: 1, chg_count: 0 });
    expect(sent[0]?.body).toBe(DOC_EXAMPLE_BODY);
    const derived = await wdt.rawRefundUpload('LCJ', [makeRow('R-derived')]);
    expect(derived.new_count + derived.chg_count).toBe(1);
    const invalid = await rejection(wdt.call(UPLOAD, 'LCJ', [{ ...DOC_EXAMPLE_ROW, num: -1 }]));
    expect(invalid).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'args[1][0].num' }] });
    const untypedCall = wdt.call as (method: string, ...args: unknown[]) => Promise<unknown>;
    const malformed = await rejection(untypedCall('not a method', window()));
    expect(malformed).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'method' }] });
    expect(sent).toHaveLength(2);
    // A name outside the vendor's list is sent as given (the compiler refuses it); the gateway refuses it.
    const unknown = await rejection(untypedCall('no.such.Method', window()));
    expect(unknown).toMatchObject({ code: 'BUSINESS', vendorMessage: '权限不足' });
  });

  it('serves the uploads and the definitions it is given, and refuses another defined one before sending', async () => {
    const uploads = createWangdianClient({ ...wd.credentials, baseUrl: wd.url, fetch: recordingFetch, env: {} });
    expect(Object.keys(uploads)).toContain('rawRefundUpload');
    expect('rawRefundUpload2' in uploads).toBe(false);
    expect('rawRefundSearch' in uploads).toBe(false);
    const untyped = uploads.call as (method: string, ...args: unknown[]) => Promise<unknown>;
    for (const refused of [
      untyped(SEARCH, window()),
      uploads.request({ method: SEARCH, args: [window()] }),
      (async () => {
        for await (const _ of uploads.pages(SEARCH as never, window())) break;
      })(),
    ]) {
      expect(await rejection(refused)).toMatchObject({
        code: 'VALIDATION',
        issues: [{ path: 'method', message: expect.stringContaining('rawRefundSearch') }],
      });
    }
    // A method the client serves but cannot page is named as such, not as one it was not given.
    const unpaged = (async () => {
      for await (const _ of uploads.pages('aftersales.refund.RawRefund.upload' as never, [])) break;
    })();
    expect(await rejection(unpaged)).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'method', message: expect.stringContaining('must be a paged query this client serves') }],
    });
    expect(sent).toHaveLength(0);
    const given = createWangdianClient({ ...wd.credentials, baseUrl: wd.url, endpoints: { rawRefundSearch }, env: {} });
    await expect(given.rawRefundSearch({ refund_no: 'none' })).resolves.toMatchObject({ order: [] });
    await expect(given.call(SEARCH, { refund_no: 'none' })).resolves.toMatchObject({ order: [] });
  });

  it('refuses endpoints settings that are not definitions keyed by free method names', () => {
    const make = (endpoints: unknown) => () =>
      createWangdianClient({ ...wd.credentials, env: {}, endpoints: endpoints as never });
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    for (const endpoints of [
      5,
      [rawRefundSearch],
      { rawRefundSearch: { name: 'x' } },
      { pages: rawRefundSearch },
      { other: rawRefundUpload },
      { rawRefundUpload: rawRefundSearch },
      hostile,
    ]) {
      expect(make(endpoints)).toThrow(ConfigurationError);
      try {
        make(endpoints)();
      } catch (error) {
        expect((error as ConfigurationError).setting).toBe('endpoints');
      }
    }
    const throwing = Object.defineProperty({ ...wd.credentials, env: {} }, 'endpoints', {
      get() {
        throw new Error('getter');
      },
    });
    expect(() => createWangdianClient(throwing)).toThrow(ConfigurationError);
    expect(make(WANGDIAN_ENDPOINTS)).not.toThrow();
  });

  it('acquires the rate limiter under wangdian:<sid>:<appKey> and penalises a rate-limit answer', async () => {
    wd.setFaults({ kind: 'overload', route: UPLOAD, count: 1 });
    const events: string[] = [];
    const rateLimiter = {
      acquire: async (key: string) => {
        events.push(`acquire ${key}`);
      },
      penalize: async (key: string, ms: number) => {
        events.push(`penalize ${key} ${ms}`);
      },
    };
    await client({ rateLimiter }).uploadRawRefunds('LCJ', [makeRow('R-rl')]);
    const key = `wangdian:${wd.credentials.sid}:${wd.credentials.appKey}`;
    expect(events).toEqual([`acquire ${key}`, `penalize ${key} 20`, `acquire ${key}`]);
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
      createWangdianClient({
        ...wd.credentials,
        env: denied,
        baseUrl: undefined,
        timeout: undefined,
        retry: undefined,
        maxBatch: undefined,
        rateLimitBackoffMs: undefined,
        rateLimiter: undefined,
        clock: undefined,
      }),
    ).not.toThrow();
    const error = (() => {
      try {
        createWangdianClient({ env: denied });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'CONFIGURATION', setting: 'sid' });
    expect((error as Error).message).toContain('WANGDIAN_SID');
  });

  it('refuses settings that would break the signed query, naming the setting', () => {
    for (const [setting, value] of [
      ['sid', 'a\nb'],
      ['appKey', 'key\u0000'],
      ['baseUrl', 'http://wdt.wangdian.cn#x'],
    ] as const) {
      expect(() => client({ [setting]: value })).toThrow(expect.objectContaining({ code: 'CONFIGURATION', setting }));
    }
  });
});
