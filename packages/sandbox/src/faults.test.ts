import { kingdeeAppSignature } from '@refundkit/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultPlanner, createPrng } from './faults.js';
import { type KingdeeSandbox, startKingdeeSandbox } from './kingdee-sandbox.js';
import { json, kingdeeFetch, wangdianFetch } from './test-requests.js';
import { startWangdianSandbox, type WangdianSandbox } from './wangdian-sandbox.js';

const TOKEN = '/jdyconnector/app_management/kingdee_auth_token';
const SAVE = '/jdy/v2/ls/refundSave';
const UPLOAD = 'aftersales.refund.RawRefund.upload';
const BODY = {
  channel_order_no: 'C1',
  cmd: 'pay.refund.query',
  mch_id: 'M1001',
  refund_no: 'R-1',
  service_group_name: 'g',
  sign_msg: '1',
  terminal_ip: '192.168.1.2',
  terminal_no: '0002',
  refund_amount: '1',
};
const ROW = {
  refund_no: 'R1',
  num: 1,
  tid: 'T1',
  oid: 'O1',
  type: 1,
  status: 2,
  refund_version: '1',
  refund_amount: 1,
  actual_refund_amount: 1,
  title: 't',
  buyer_nick: 'b',
  is_aftersale: 0,
  reason: '',
};

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function kingdee(options: Parameters<typeof startKingdeeSandbox>[0] = {}) {
  const kd = await startKingdeeSandbox(options);
  open.push(kd);
  return kd;
}
async function wangdian(options: Parameters<typeof startWangdianSandbox>[0] = {}) {
  const wd = await startWangdianSandbox(options);
  open.push(wd);
  return wd;
}

async function kdToken(kd: KingdeeSandbox): Promise<string> {
  const res = await kingdeeFetch(kd.url, kd.credentials, {
    method: 'GET',
    path: TOKEN,
    query: { app_key: 'abc', app_signature: kingdeeAppSignature({ appKey: 'abc', appSecret: 'abc123' }) },
  });
  return ((await json(res)).data as Record<string, string>)['app-token']!;
}

function kdSave(kd: KingdeeSandbox, appToken: string, body: unknown = BODY) {
  return kingdeeFetch(
    kd.url,
    kd.credentials,
    { method: 'POST', path: SAVE, body: JSON.stringify(body), token: appToken, router: kd.credentials.domain },
    kd.now(),
  );
}

function wdUpload(wd: WangdianSandbox, rows: unknown[] = [ROW]) {
  return wangdianFetch(wd.url, wd.credentials, { method: UPLOAD, body: JSON.stringify(['LCJ', rows]) }, wd.now());
}

/** Waits until the sandbox has logged `n` requests (the log entry is written when a fault is applied). */
async function logged(sandbox: { log: unknown[] }, n: number) {
  while (sandbox.log.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('createPrng / createFaultPlanner', () => {
  it('is deterministic for a seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const draws = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(draws);
    for (const d of draws) expect(d >= 0 && d < 1).toBe(true);
  });

  it('fires a rate-limited rule the same way for the same seed and request order', () => {
    const pattern = (seed: number) => {
      const planner = createFaultPlanner<'http-503', 'x'>(seed, ['http-503']);
      planner.set({ kind: 'http-503', rate: 0.5 });
      return Array.from({ length: 40 }, () => planner.decide('x').applied.length).join('');
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).toMatch(/1/);
    expect(pattern(7)).toMatch(/0/);
  });

  it('validates rules', () => {
    const planner = createFaultPlanner<'latency', 'x'>(1, ['latency']);
    expect(() => planner.set({ kind: 'latency', rate: 2 })).toThrow(RangeError);
    expect(() => planner.set({ kind: 'latency', count: -1 })).toThrow(RangeError);
    expect(() => planner.set({ kind: 'latency', latencyMs: -5 })).toThrow(RangeError);
    expect(() => planner.set({ kind: 'hang' as 'latency' })).toThrow(/kind must be one of latency/);
  });
});

describe('faults: Kingdee', () => {
  it('fails the next N matching requests with HTTP 5xx without storing, then recovers; counts and logs them', async () => {
    const kd = await kingdee();
    const appToken = await kdToken(kd);
    kd.setFaults([
      { kind: 'http-503', route: 'refundSave', count: 1 },
      { kind: 'http-502', route: 'refundSave', count: 1 },
      { kind: 'http-500', route: 'token', count: 1 },
    ]);
    const first = await kdSave(kd, appToken);
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toContain('text/html');
    expect(kd.refunds.size).toBe(0);
    expect((await kdSave(kd, appToken)).status).toBe(502);
    expect(kd.refunds.size).toBe(0);
    expect((await kdSave(kd, appToken)).status).toBe(200);
    expect(kd.refunds.size).toBe(1);
    expect(kd.faults.map((f) => f.fired)).toEqual([1, 1, 0]);
    expect(kd.counters).toMatchObject({ faultsInjected: 2, faultsByKind: { 'http-503': 1, 'http-502': 1 }, saves: 1 });
    expect(kd.log.slice(1).map((e) => [e.status, e.outcome, e.faults])).toEqual([
      [503, 'fault', ['http-503']],
      [502, 'fault', ['http-502']],
      [200, 'accepted', []],
    ]);
    kd.clearFaults();
    expect(kd.faults).toEqual([]);
  });

  it('answers overload with 519 and errcode 5007 (default) or 5003', async () => {
    const kd = await kingdee({
      faults: [
        { kind: 'overload', count: 1 },
        { kind: 'overload', count: 1, errcode: 5003 },
      ],
    });
    const first = await kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN });
    expect(first.status).toBe(519);
    expect(await json(first)).toMatchObject({ errcode: 5007, descriptionCn: expect.any(String) });
    const second = await kdSave(kd, 'x');
    expect(second.status).toBe(519);
    expect((await json(second)).errcode).toBe(5003);
    expect(kd.log[0]).toMatchObject({ status: 519, code: '5007', outcome: 'fault', faults: ['overload'] });
  });

  it('resets the connection without storing', async () => {
    const kd = await kingdee();
    const appToken = await kdToken(kd);
    kd.setFaults({ kind: 'reset', route: 'refundSave', count: 1 });
    await expect(kdSave(kd, appToken)).rejects.toThrow();
    expect(kd.refunds.size).toBe(0);
    expect(kd.counters.faultsByKind).toEqual({ reset: 1 });
    expect(kd.log[1]).toMatchObject({ status: 0, outcome: 'fault', faults: ['reset'] });
  });

  it('cuts a body short (the client sees a terminated body) or sends a non-JSON body, without storing', async () => {
    const kd = await kingdee();
    const appToken = await kdToken(kd);
    kd.setFaults([
      { kind: 'truncated-body', count: 1 },
      { kind: 'non-json-body', count: 1 },
    ]);
    const cut = await kdSave(kd, appToken);
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();
    const html = await kdSave(kd, appToken);
    expect(html.headers.get('content-type')).toContain('text/html');
    await expect(html.json()).rejects.toThrow(SyntaxError);
    expect(kd.refunds.size).toBe(0);
  });

  it('expires the presented app-token now (4011)', async () => {
    const kd = await kingdee();
    const appToken = await kdToken(kd);
    kd.setFaults({ kind: 'expire-token', route: 'refundSave', count: 1 });
    const res = await kdSave(kd, appToken);
    expect(res.status).toBe(519);
    expect((await json(res)).errcode).toBe(4011);
    expect((await json(await kdSave(kd, await kdToken(kd)))).errcode).toBe(0);
  });

  it('adds latency and still answers; shifts one request’s clock and Date header', async () => {
    const now = 1_700_000_000_000;
    const kd = await kingdee({ now: () => now });
    kd.setFaults([
      { kind: 'latency', latencyMs: 20, count: 1 },
      { kind: 'clock-offset', clockOffsetMs: 3_600_000, count: 1 },
    ]);
    const res = await kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN }, now);
    expect(res.headers.get('date')).toBe(new Date(now + 3_600_000).toUTCString());
    expect((await json(res)).errcode).toBe(4006);
    expect(kd.log[0]?.faults).toEqual(['latency', 'clock-offset']);
    const next = await kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN }, now);
    expect(next.headers.get('date')).toBe(new Date(now).toUTCString());
  });

  it('drop-response-after-commit stores the refund, then resets; the retry gets the stored result', async () => {
    const kd = await kingdee();
    const appToken = await kdToken(kd);
    kd.setFaults({ kind: 'drop-response-after-commit', route: 'refundSave', count: 1 });
    await expect(kdSave(kd, appToken)).rejects.toThrow();
    expect(kd.refunds.get('R-1')?.saves).toBe(1);
    const retry = await json(await kdSave(kd, appToken));
    expect(retry.errcode).toBe(0);
    expect(retry.data).toEqual(kd.refunds.get('R-1')?.data);
    expect(kd.counters).toMatchObject({ newRefunds: 1, replays: 1, faultsByKind: { 'drop-response-after-commit': 1 } });
    expect(kd.log[1]).toMatchObject({
      status: 0,
      code: '0',
      outcome: 'accepted',
      faults: ['drop-response-after-commit'],
    });
  });

  it('applies only the first request-ending fault, leaving the others’ counts untouched', async () => {
    const kd = await kingdee({
      faults: [
        { kind: 'http-500', count: 1 },
        { kind: 'http-503', count: 1 },
      ],
    });
    expect((await kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN })).status).toBe(500);
    expect((await kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN })).status).toBe(503);
    expect(kd.counters.faultsInjected).toBe(2);
  });

  it('rejects fault kinds of the other vendor', async () => {
    const kd = await kingdee();
    expect(() => kd.setFaults({ kind: 'already-exists' as 'reset' })).toThrow(RangeError);
  });
});

describe('faults: Wangdian', () => {
  it('answers overload with status 100 and the rate-limit message, per method, without storing', async () => {
    const wd = await wangdian({ faults: { kind: 'overload', route: UPLOAD, count: 1 } });
    expect(await json(await wdUpload(wd))).toEqual({ status: 100, message: '超过每分钟最大调用频率限制，请稍后重试' });
    expect(wd.refunds.size).toBe(0);
    expect((await json(await wdUpload(wd))).status).toBe(0);
    wd.setFaults({ kind: 'overload', message: '超过最大并发次数限制', count: 1 });
    expect(await json(await wdUpload(wd))).toEqual({ status: 100, message: '超过最大并发次数限制' });
    expect(wd.counters.faultsByKind).toEqual({ overload: 2 });
  });

  it('does not hit other methods', async () => {
    const wd = await wangdian({ faults: { kind: 'http-503', route: 'aftersales.refund.Refund.search' } });
    expect((await wdUpload(wd)).status).toBe(200);
    expect(wd.counters.faultsInjected).toBe(0);
  });

  it('already-exists answers 退换单已存在 without storing', async () => {
    const wd = await wangdian({ faults: { kind: 'already-exists', count: 1 } });
    expect(await json(await wdUpload(wd))).toEqual({ status: 100, message: '退换单已存在' });
    expect(wd.refunds.size).toBe(0);
  });

  it('drop-response-after-commit stores the rows; an identical retry counts in neither', async () => {
    const wd = await wangdian({ faults: { kind: 'drop-response-after-commit', count: 1 } });
    await expect(wdUpload(wd)).rejects.toThrow();
    expect(wd.refunds.size).toBe(1);
    expect(await json(await wdUpload(wd))).toEqual({ status: 0, data: { chg_count: 0, new_count: 0 } });
  });

  it('a shared rate hits the same requests for the same seed', async () => {
    const run = async (seed: number) => {
      const wd = await wangdian({ seed, faults: { kind: 'http-500', rate: 0.3 } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await wdUpload(wd, [{ ...ROW, oid: `O${i}` }])).status);
      return { statuses, stored: wd.refunds.size };
    };
    const a = await run(3);
    const b = await run(3);
    expect(b).toEqual(a);
    expect(a.stored).toBe(a.statuses.filter((s) => s === 200).length);
  });
});

describe('close()', () => {
  it('ends hanging requests and frees the port promptly', async () => {
    const kd = await startKingdeeSandbox({ faults: { kind: 'hang' } });
    const wd = await startWangdianSandbox({ faults: { kind: 'hang' } });
    const pending = [
      kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN }),
      kingdeeFetch(kd.url, kd.credentials, { method: 'GET', path: TOKEN }),
      wdUpload(wd),
    ];
    const settled = Promise.allSettled(pending);
    await logged(kd, 2);
    await logged(wd, 1);
    expect(kd.log.map((e) => e.faults)).toEqual([['hang'], ['hang']]);
    await Promise.all([kd.close(), wd.close()]);
    expect((await settled).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const again = await startKingdeeSandbox({ port: kd.port });
    await again.close();
    await kd.close(); // closing twice is harmless
  });

  it('ends requests waiting on injected latency', async () => {
    const wd = await startWangdianSandbox({ faults: { kind: 'latency', latencyMs: 3_600_000 } });
    const pending = wdUpload(wd);
    while (wd.counters.faultsInjected < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await wd.close();
    await expect(pending).rejects.toThrow();
    expect(wd.refunds.size).toBe(0);
  });
});
