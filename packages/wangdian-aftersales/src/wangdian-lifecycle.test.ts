import { Decimal } from '@refundkit/refund-model';
import { startWangdianSandbox, type WangdianSandbox } from '@refundkit/sandbox';
import { createServerClock, InputValidationError } from '@refundkit/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { createWangdianClient, type WangdianClient } from './wangdian-client.js';
import { WANGDIAN_ENDPOINTS } from './wangdian-endpoints.js';
import { RawRefundsRefusedError, WangdianApiError } from './wangdian-errors.js';
import { wangdianTime } from './wangdian-query-params.js';
import type { WangdianClientSettings } from './wangdian-settings.js';
import { makeRow } from './wangdian-test-fixtures.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 1, 2, 0, 0);

interface Sent {
  url: URL;
  body: string;
}

let wd: WangdianSandbox | undefined;
afterEach(async () => {
  await wd?.close();
  wd = undefined;
});

/**
 * A sandbox and a client sharing one settable clock `at.now`: the sandbox's clock (and so its business clock) and
 * the client's, so windows can end "now" exactly. `sent` records every request.
 */
async function setup(
  options: Parameters<typeof startWangdianSandbox>[0] = {},
  settings: Omit<WangdianClientSettings, 'endpoints'> = {},
) {
  const at = { now: T0 };
  const sent: Sent[] = [];
  wd = await startWangdianSandbox({ now: () => at.now, erp: { stepMs: 60_000 }, ...options });
  const sandbox = wd;
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ url: new URL(request.url), body: await request.clone().text() });
    return fetch(request);
  };
  const client: WangdianClient<typeof WANGDIAN_ENDPOINTS> = createWangdianClient({
    ...sandbox.credentials,
    baseUrl: sandbox.url,
    endpoints: WANGDIAN_ENDPOINTS,
    fetch: recordingFetch,
    clock: createServerClock({ now: () => at.now }),
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    rateLimitBackoffMs: 5,
    env: {},
    ...settings,
  });
  return { sandbox, client, at, sent };
}

const lastHour = (now: number, names: [string, string] = ['start_time', 'end_time']) => ({
  [names[0]]: wangdianTime(now - 3_600_000),
  [names[1]]: wangdianTime(now),
});

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('the refund lifecycle against the sandbox', () => {
  it('pushes a return, then follows it to its 退换单 and stock-in, with exact amounts', async () => {
    const { sandbox, client, at } = await setup();
    const row = {
      ...makeRow('R1'),
      type: 2 as const,
      num: '2',
      refund_amount: '123456789012345.6789',
      actual_refund_amount: '19.99',
    };
    expect(await client.uploadRawRefunds('LCJ', [row])).toMatchObject({ newCount: 1 });

    const raw = await client.rawRefundSearch({ refund_no: 'R1' });
    expect(raw.total_count).toBe(1);
    expect(raw.order[0]).toMatchObject({ refund_no: 'R1', process_status: 0 });
    expect(raw.order[0]?.refund_amount).toEqual(Decimal.from('123456789012345.6789'));

    const follow = async () =>
      (
        await client.refundSearch({
          raw_refund_nos: 'R1',
          ...lastHour(sandbox.erp.now(), ['modified_from', 'modified_to']),
        })
      ).order[0];
    const steps: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      at.now += sandbox.erp.stepMs;
      const order = await follow();
      const stockins = await client.stockinRefundQueryWithDetail({
        refund_no: String(order?.refund_no),
        ...lastHour(at.now),
      });
      steps.push([order?.status, order?.stockin_status, stockins.order[0]?.status]);
    }
    expect(steps).toEqual([
      [20, 1, undefined],
      [30, 1, 30],
      [30, 3, 80],
      [80, 3, 80],
      [90, 3, 80],
    ]);
    const done = await follow();
    expect(done?.actual_refund_amount).toEqual(Decimal.from('19.99'));
    expect(done?.detail_list?.[0]?.refund_amount).toEqual(Decimal.from('123456789012345.6789'));
    const [stockin] = (await client.stockinRefundQueryWithDetail(lastHour(at.now))).order;
    expect(stockin?.total_goods_stockin_num).toEqual(Decimal.from(2));
    expect((await client.shopQueryShop({})).details.map((shop) => shop.shop_no)).toEqual(['LCJ']);
  });

  it('finds archived orders through the history methods', async () => {
    const { sandbox, client, at } = await setup({ erp: { stepMs: 60_000, archiveAfterMs: 2 * DAY } });
    await client.uploadRawRefunds('LCJ', [{ ...makeRow('R1'), type: 4 as const }]);
    at.now += 4 * sandbox.erp.stepMs + 2 * DAY;
    const window = { start_time: wangdianTime(at.now - 3 * DAY), end_time: wangdianTime(at.now) };
    expect(
      (await client.refundSearch({ modified_from: window.start_time, modified_to: window.end_time })).order,
    ).toEqual([]);
    expect((await client.refundSearchHistory(window)).order).toMatchObject([{ status: 90 }]);
    expect((await client.rawRefundSearchHistory(window)).order).toMatchObject([
      { refund_no: 'R1', process_status: 40 },
    ]);
  });
});

describe('documented request rules, checked before sending', () => {
  it('refuses a missing window, a lone end, a start after the end, a span over 30 days and a future end', async () => {
    const { client, sent } = await setup();
    const now = T0;
    const cases: [Promise<unknown>, string][] = [
      [client.refundSearch({ refund_no: 'TK1' }), 'args[0].modified_from'],
      [client.rawRefundSearch({ tid: 'T1' }), 'args[0].start_time'],
      [client.rawRefundSearch({ end_time: wangdianTime(now) }), 'args[0].start_time'],
      [
        client.rawRefundSearch({ start_time: wangdianTime(now), end_time: wangdianTime(now - 1000) }),
        'args[0].start_time',
      ],
      [
        client.stockinRefundQueryWithDetail({
          start_time: wangdianTime(now - 30 * DAY - 1000),
          end_time: wangdianTime(now),
        }),
        'args[0].end_time',
      ],
      [
        client.rawRefundSearch({ start_time: wangdianTime(now - 1000), end_time: wangdianTime(now + 1000) }),
        'args[0].end_time',
      ],
      [
        client.rawRefundSearch({ start_time: '2024/06/01 00:00:00', end_time: wangdianTime(now) }),
        'args[0].start_time',
      ],
    ];
    for (const [promise, path] of cases) {
      const error = await rejection(promise);
      expect(InputValidationError.isInstance(error), path).toBe(true);
      expect(
        (error as unknown as InputValidationError).issues.map((issue) => issue.path),
        path,
      ).toContain(path);
    }
    expect(sent).toHaveLength(0);
    // A window that ends now, exactly 30 days long, is fine.
    expect(
      (await client.rawRefundSearch({ start_time: wangdianTime(now - 30 * DAY), end_time: wangdianTime(now) })).order,
    ).toEqual([]);
  });

  it('refuses unknown fields, wrong types, lengths in code points and enums, naming the field', async () => {
    const { client, sent } = await setup();
    const window = lastHour(T0);
    const cases: [Promise<unknown>, string][] = [
      [client.rawRefundSearch({ ...window, shop_nos: 'LCJ' } as never), 'args[0].shop_nos'],
      [client.rawRefundSearch({ ...window, refund_no: '退'.repeat(41) }), 'args[0].refund_no'],
      [client.rawRefundSearch({ ...window, time_type: 3 as never }), 'args[0].time_type'],
      [
        client.refundSearch({ ...lastHour(T0, ['modified_from', 'modified_to']), fuzzy_query: 1 as never }),
        'args[0].fuzzy_query',
      ],
      [client.stockinRefundQueryWithDetail({ ...window, status: '30,99' }), 'args[0].status'],
      [client.shopQueryShop({ shop_no: 'x'.repeat(21) }), 'args[0].shop_no'],
      [
        client.request({ method: 'aftersales.refund.RawRefund.search', args: [window], paging: { pageSize: 201 } }),
        'paging.pageSize',
      ],
      [
        client.request({ method: 'wms.stockin.Refund.queryWithDetail', args: [window], paging: { pageSize: 101 } }),
        'paging.pageSize',
      ],
    ];
    for (const [promise, path] of cases) {
      const error = (await rejection(promise)) as unknown as InputValidationError;
      expect(error.code, path).toBe('VALIDATION');
      expect(
        error.issues.map((issue) => issue.path),
        path,
      ).toContain(path);
    }
    expect(sent).toHaveLength(0);
    expect((await client.rawRefundSearch({ ...window, refund_no: '退'.repeat(40), platform_id: '127' })).order).toEqual(
      [],
    );
  });

  it('refuses one refund_no + oid twice with different content in one upload, naming both rows', async () => {
    const { client, sent } = await setup();
    const a = makeRow('R1');
    const error = (await rejection(
      client.uploadRawRefunds('LCJ', [a, makeRow('R2'), { ...a, actual_refund_amount: '1.5' }]),
    )) as unknown as InputValidationError;
    expect(error.code).toBe('VALIDATION');
    expect(error.issues.map((issue) => issue.path)).toEqual(['rows[2]']);
    expect(error.issues[0]?.message).toContain('rows[0]');
    expect(sent).toHaveLength(0);
    // The same row twice, identical, is fine.
    expect((await client.uploadRawRefunds('LCJ', [a, { ...a }])).newCount).toBe(1);
  });

  it('surfaces the vendor’s shop and warehouse refusals as typed errors', async () => {
    const { client } = await setup({ shops: ['LCJ', { shop_no: 'LOCKED', permitted: false }] });
    const shop = await rejection(client.rawRefundSearch({ ...lastHour(T0), shop_no: 'LOCKED' }));
    expect(WangdianApiError.isInstance(shop)).toBe(true);
    expect(shop).toMatchObject({ code: 'BUSINESS', vendorMessage: '店铺权限不足' });
    const warehouse = await rejection(client.stockinRefundQueryWithDetail({ ...lastHour(T0), warehouse_no: 'NOPE' }));
    expect(warehouse).toMatchObject({ code: 'BUSINESS', vendorMessage: '仓库不存在' });
  });
});

describe('upload2', () => {
  it('answers a partly refused push as a typed error listing accepted and refused numbers with the reason', async () => {
    const { sandbox, client } = await setup();
    sandbox.erp.refuseUpload2('R2', '原始单不存在');
    const error = await rejection(
      client.rawRefundUpload2('LCJ', [{ ...makeRow('R1'), modify_flag: 1 }, makeRow('R2'), makeRow('R3')]),
    );
    expect(RawRefundsRefusedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'BUSINESS',
      accepted: ['R1', 'R3'],
      refused: [{ refundNo: 'R2', reason: '原始单不存在' }],
      newCount: 2,
      chgCount: 0,
    });
    expect(sandbox.getRefund('R1', makeRow('R1').oid)?.push).toBe('upload2');
    sandbox.erp.refuseUpload2('R2', undefined);
    expect(await client.rawRefundUpload2('LCJ', [makeRow('R2')])).toEqual({
      new_count: 1,
      chg_count: 0,
      error_list: [],
    });
    expect(
      await rejection(client.rawRefundUpload2('LCJ', [{ ...makeRow('R4'), modify_flag: 8 as never }])),
    ).toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('paging and windows', () => {
  it('pages across 3+ pages with page_no from 0, calc_total on the first page only, the pager in the signed query', async () => {
    const { client, sent } = await setup();
    await client.uploadRawRefunds(
      'LCJ',
      Array.from({ length: 25 }, (_, i) => makeRow(`P${String(i).padStart(2, '0')}`)),
    );
    sent.length = 0;
    const seen: string[] = [];
    for await (const row of client.pages('aftersales.refund.RawRefund.search', lastHour(T0), { pageSize: 10 })) {
      seen.push(row.refund_no);
    }
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `P${String(i).padStart(2, '0')}`));
    const pages = sent.map((s) => [s.url.searchParams.get('page_no'), s.url.searchParams.get('calc_total')]);
    // First page (counted), then from the last page back, then the first again.
    expect(pages).toEqual([
      ['0', '1'],
      ['2', '0'],
      ['1', '0'],
      ['0', '0'],
    ]);
    for (const request of sent) {
      expect(request.body).not.toContain('page');
      expect([...request.url.searchParams.keys()]).toEqual(
        expect.arrayContaining(['page_size', 'page_no', 'calc_total', 'sign']),
      );
    }
  });

  it('walks a 95-day range in consecutive 30-day slices with no overlap or gap, every row once', async () => {
    const { sandbox, client, at, sent } = await setup({ erp: { startAt: T0 - 96 * DAY, stepMs: 1000 * DAY } });
    const pushed: string[] = [];
    for (let day = 0; day < 95; day += 1) {
      pushed.push(`D${day}`);
      await client.uploadRawRefunds('LCJ', [makeRow(`D${day}`)]);
      sandbox.erp.advance(DAY);
    }
    at.now = T0;
    sent.length = 0;
    const start = T0 - 96 * DAY;
    const end = T0 - 1 * DAY;
    const seen: string[] = [];
    for await (const row of client.pages(
      'aftersales.refund.RawRefund.search',
      { start_time: wangdianTime(start), end_time: wangdianTime(end) },
      { pageSize: 7 },
    )) {
      seen.push(row.refund_no);
    }
    expect(seen.sort()).toEqual([...pushed].sort());
    const windows = [...new Set(sent.map((s) => s.body))].map((body) => JSON.parse(body)[0] as Record<string, string>);
    expect(windows.map((w) => [w.start_time, w.end_time])).toEqual([
      [wangdianTime(start), wangdianTime(start + 30 * DAY)],
      [wangdianTime(start + 30 * DAY + 1000), wangdianTime(start + 60 * DAY + 1000)],
      [wangdianTime(start + 60 * DAY + 2000), wangdianTime(start + 90 * DAY + 2000)],
      [wangdianTime(start + 90 * DAY + 3000), wangdianTime(end)],
    ]);
  });

  it('neither skips nor repeats rows when rows change between pages', async () => {
    let pushDuringWalk: (() => Promise<void>) | undefined;
    const setupResult = await setup(
      {},
      {
        hooks: {
          onResponse: () => {
            const run = pushDuringWalk;
            pushDuringWalk = undefined;
            if (run) void run();
          },
        },
      },
    );
    const { client, at, sandbox } = setupResult;
    const rows = Array.from({ length: 30 }, (_, i) => makeRow(`C${String(i).padStart(2, '0')}`));
    for (const [i, row] of rows.entries()) {
      await client.uploadRawRefunds('LCJ', [row]);
      at.now += 1000;
      if (i === 29) at.now += 5000;
    }
    const end = at.now - 2000;
    const changed = [rows[3]!, rows[15]!, rows[27]!];
    const other = createWangdianClient({
      ...sandbox.credentials,
      baseUrl: sandbox.url,
      clock: createServerClock({ now: () => at.now }),
      env: {},
    });
    let pushed: Promise<unknown> | undefined;
    pushDuringWalk = async () => {
      pushed = other.uploadRawRefunds(
        'LCJ',
        changed.map((row) => ({ ...row, status: 3 as const })),
      );
      await pushed;
    };
    const seen: string[] = [];
    for await (const row of client.pages(
      'aftersales.refund.RawRefund.search',
      { start_time: wangdianTime(T0 - DAY), end_time: wangdianTime(end) },
      { pageSize: 10 },
    )) {
      seen.push(row.refund_no);
      if (pushed) await pushed;
    }
    const unchanged = rows.filter((row) => !changed.includes(row)).map((row) => row.refund_no);
    // Every row that stayed in the window is seen exactly once; no row is seen twice.
    expect(new Set(seen).size).toBe(seen.length);
    for (const refundNo of unchanged) expect(seen).toContain(refundNo);
    // The changed rows left the window (modified after its end): the next window finds them.
    const next: string[] = [];
    for await (const row of client.pages(
      'aftersales.refund.RawRefund.search',
      { start_time: wangdianTime(end + 1000), end_time: wangdianTime(at.now) },
      { pageSize: 10 },
    )) {
      next.push(row.refund_no);
    }
    expect(next.sort()).toEqual(changed.map((row) => row.refund_no).sort());
  });
});

describe('rate limiting', () => {
  it('recognises the rate-limit answer by meaning, whatever the comma, and says when to retry', async () => {
    for (const message of ['超过每分钟最大调用频率限制，请稍后重试', '超过每分钟最大调用频率限制,请稍后重试']) {
      const { client, sandbox } = await setup(
        { rateLimitPerMinute: 1, rateLimitMessage: message },
        { retry: false, rateLimitBackoffMs: 300_000 },
      );
      await client.rawRefundSearch(lastHour(T0));
      const error = await rejection(client.rawRefundSearch(lastHour(T0)));
      expect(error).toMatchObject({
        code: 'RATE_LIMITED',
        retryable: true,
        retryAfterMs: 300_000,
        vendorMessage: message,
      });
      expect(sandbox.counters.rateLimited).toBe(1);
      await sandbox.close();
    }
  });
});
