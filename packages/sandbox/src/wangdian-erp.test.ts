import { afterEach, describe, expect, it } from 'vitest';
import { shanghai, wangdianCall, wangdianRow } from './test-requests.js';
import { startWangdianSandbox, type WangdianSandbox, type WangdianSandboxOptions } from './wangdian-sandbox.js';

const UPLOAD = 'aftersales.refund.RawRefund.upload';
const RAW_SEARCH = 'aftersales.refund.RawRefund.search';
const RAW_HISTORY = 'aftersales.refund.RawRefund.searchHistory';
const REFUND_SEARCH = 'aftersales.refund.Refund.search';
const REFUND_HISTORY = 'aftersales.refund.Refund.searchHistory';
const STOCKIN = 'wms.stockin.Refund.queryWithDetail';
const STOCKIN_HISTORY = 'wms.stockin.Refund.queryHisWithDetail';
const DAY = 86_400_000;
const PAGE = { pageSize: 50, pageNo: 0, calcTotal: true };

const row = wangdianRow;

let wd: WangdianSandbox | undefined;
afterEach(async () => {
  await wd?.close();
  wd = undefined;
});

/** A sandbox on a fixed base clock, so business times are exact. */
async function start(options: WangdianSandboxOptions = {}) {
  const base = Date.UTC(2024, 5, 1, 2, 0, 0);
  wd = await startWangdianSandbox({ now: () => base, erp: { stepMs: 60_000 }, ...options });
  return wd;
}

async function push(sandbox: WangdianSandbox, rows: unknown[]) {
  const { body } = await wangdianCall(sandbox, UPLOAD, ['LCJ', rows]);
  expect(body.status).toBe(0);
  return body.data;
}

/** A window of the last `days` business days up to the business clock. */
function lastDays(sandbox: WangdianSandbox, days = 1, names: [string, string] = ['start_time', 'end_time']) {
  const now = sandbox.erp.now();
  return { [names[0]]: shanghai(now - days * DAY), [names[1]]: shanghai(now) };
}

async function orders(sandbox: WangdianSandbox, method: string, params: Record<string, unknown>) {
  const { body } = await wangdianCall(sandbox, method, [params], PAGE);
  expect(body.status, JSON.stringify(body)).toBe(0);
  return (body.data as { order: Record<string, unknown>[] }).order;
}

const refundOrders = (sandbox: WangdianSandbox) =>
  orders(sandbox, REFUND_SEARCH, lastDays(sandbox, 1, ['modified_from', 'modified_to']));

describe('Wangdian ERP: a return through its lifecycle', () => {
  it('makes a 退换单 of a pushed return and moves it 20 → 30 → 80 → 90, the stock-in 待入库 → 已入库', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1')]);
    expect(await refundOrders(sandbox)).toEqual([]);
    const [pushed] = await orders(sandbox, RAW_SEARCH, lastDays(sandbox));
    expect(pushed).toMatchObject({ refund_no: 'R1', process_status: 0, type: 2, status: 2, shop_no: 'LCJ' });

    sandbox.erp.step();
    const [made] = await refundOrders(sandbox);
    expect(made).toMatchObject({ status: 20, type: 2, stockin_status: 1, raw_refund_nos: 'R1', check_time: '' });
    expect(made?.refund_no).toMatch(/^TK240601\d{4}$/);
    expect((await orders(sandbox, RAW_SEARCH, lastDays(sandbox)))[0]).toMatchObject({ process_status: 15 });
    const refundNo = String(made?.refund_no);
    expect(sandbox.erp.refundOrderOf('R1')?.refundNo).toBe(refundNo);

    sandbox.erp.step();
    const [approved] = await refundOrders(sandbox);
    expect(approved).toMatchObject({ status: 30, check_time: shanghai(sandbox.erp.now()) });
    const [waiting] = await orders(sandbox, STOCKIN, lastDays(sandbox));
    expect(waiting).toMatchObject({
      refund_no: refundNo,
      src_order_no: refundNo,
      status: 30,
      warehouse_no: 'WH001',
      total_goods_stockin_num: '0.0000',
      check_time: '',
      type: 2,
    });
    expect(waiting?.order_no).toMatch(/^RK20240601\d{2}$/);

    sandbox.erp.step();
    const [stocked] = await orders(sandbox, STOCKIN, lastDays(sandbox));
    expect(stocked).toMatchObject({ status: 80, total_goods_stockin_num: '2.0000', check_time: sandbox.erp.now() });
    expect(await refundOrders(sandbox)).toMatchObject([{ status: 30, stockin_status: 3 }]);

    sandbox.erp.step();
    expect(await refundOrders(sandbox)).toMatchObject([{ status: 80, settle_time: shanghai(sandbox.erp.now()) }]);
    sandbox.erp.step();
    expect(await refundOrders(sandbox)).toMatchObject([{ status: 90 }]);
    expect((await orders(sandbox, RAW_SEARCH, lastDays(sandbox)))[0]).toMatchObject({ process_status: 40 });
    sandbox.erp.step(5);
    expect(sandbox.erp.refundOrderOf('R1')).toMatchObject({ status: 90, nextAt: undefined });
  });

  it('moves a refund without return 20 → 30 → 80 → 90 with no stock-in', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1', { type: 4 })]);
    const seen: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      sandbox.erp.step();
      const [order] = await refundOrders(sandbox);
      seen.push([order?.status, order?.stockin_status]);
    }
    expect(seen).toEqual([
      [20, 0],
      [30, 0],
      [80, 0],
      [90, 0],
      [90, 0],
    ]);
    expect(await orders(sandbox, STOCKIN, lastDays(sandbox))).toEqual([]);
  });

  it('cancels the 退换单 (10) and its open stock-in when the platform status turns to 1', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1')]);
    sandbox.erp.step(2);
    expect(sandbox.erp.stockinOf(String(sandbox.erp.refundOrderOf('R1')?.refundNo))?.status).toBe(30);
    expect(await push(sandbox, [row('R1', { status: 1 })])).toEqual({ chg_count: 1, new_count: 0 });
    sandbox.erp.step();
    expect(await refundOrders(sandbox)).toMatchObject([{ status: 10, stockin_status: 4, rr_status: 1 }]);
    expect(await orders(sandbox, STOCKIN, lastDays(sandbox))).toMatchObject([{ status: 10 }]);
    sandbox.erp.step(3);
    expect(sandbox.erp.refundOrderOf('R1')?.status).toBe(10);
  });

  it('cancels a 退换单 made of a refund pushed already cancelled', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1', { status: 1, type: 1 })]);
    sandbox.erp.step(2);
    expect(await refundOrders(sandbox)).toMatchObject([{ status: 10, type: 1 }]);
  });

  it('keeps a 退换单 in review while held, and moves on once released', async () => {
    const sandbox = await start();
    sandbox.erp.holdInReview('R1');
    await push(sandbox, [row('R1'), row('R2')]);
    sandbox.erp.step(4);
    expect(sandbox.erp.refundOrderOf('R1')?.status).toBe(20);
    expect(sandbox.erp.refundOrderOf('R2')?.status).toBe(80);
    sandbox.erp.holdInReview('R1', false);
    sandbox.erp.step();
    expect(sandbox.erp.refundOrderOf('R1')?.status).toBe(30);
  });

  it('holds an amount other than the pushed one, exactly, and marks the 退换单 modified', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1')]);
    sandbox.erp.step();
    const before = sandbox.erp.refundOrderOf('R1')?.modifiedAt;
    sandbox.erp.advance(1_000);
    sandbox.erp.holdAmount('R1', '123456789012345.6789');
    const { text } = await wangdianCall(
      sandbox,
      REFUND_SEARCH,
      [lastDays(sandbox, 1, ['modified_from', 'modified_to'])],
      PAGE,
    );
    expect(text).toContain('"actual_refund_amount":123456789012345.6789');
    expect(text).toContain('"refund_amount":20.5000');
    expect(sandbox.erp.refundOrderOf('R1')?.modifiedAt).toBe((before ?? 0) + 1_000);
    sandbox.erp.holdAmount('R1', undefined);
    expect(
      (await wangdianCall(sandbox, REFUND_SEARCH, [lastDays(sandbox, 1, ['modified_from', 'modified_to'])], PAGE)).text,
    ).toContain('"actual_refund_amount":20.5000');
    expect(() => sandbox.erp.holdAmount('R1', '1.23456')).toThrow(RangeError);
  });
});

describe('Wangdian ERP: archive and business clock', () => {
  it('moves finished orders older than the archive age to the history methods, with their raw refunds and stock-in', async () => {
    const sandbox = await start({ erp: { stepMs: 60_000, archiveAfterMs: 10 * DAY } });
    expect(sandbox.erp.archiveAfterMs).toBe(10 * DAY);
    await push(sandbox, [row('R1'), row('R2', { type: 3 })]);
    sandbox.erp.step(5);
    sandbox.erp.holdInReview('R3');
    await push(sandbox, [row('R3')]);
    sandbox.erp.advance(10 * DAY - 60_000);
    const window = lastDays(sandbox, 20);
    expect((await orders(sandbox, REFUND_HISTORY, window)).map((o) => o.refund_no)).toEqual([]);
    sandbox.erp.advance(60_000);
    const history = await orders(sandbox, REFUND_HISTORY, window);
    expect(history.map((o) => [o.status, typeof o.modified])).toEqual([
      [90, 'string'],
      [90, 'string'],
    ]);
    const refundWindow = lastDays(sandbox, 20, ['modified_from', 'modified_to']);
    expect((await orders(sandbox, REFUND_SEARCH, refundWindow)).map((o) => o.raw_refund_nos)).toEqual(['R3']);
    expect((await orders(sandbox, RAW_HISTORY, window)).map((o) => o.refund_no).sort()).toEqual(['R1', 'R2']);
    expect((await orders(sandbox, RAW_SEARCH, window)).map((o) => o.refund_no)).toEqual(['R3']);
    expect((await orders(sandbox, STOCKIN_HISTORY, window)).map((o) => [o.status, o.type])).toEqual([
      [80, 2],
      [80, 3],
    ]);
    expect(await orders(sandbox, STOCKIN, window)).toEqual([]);
    // Found by its number without a window too.
    const [byNumber] = await orders(sandbox, REFUND_HISTORY, { refund_no: history[0]?.refund_no });
    expect(byNumber?.refund_no).toBe(history[0]?.refund_no);
  });

  it('archives after 90 days by default', async () => {
    const sandbox = await start();
    expect(sandbox.erp.archiveAfterMs).toBe(90 * DAY);
    await push(sandbox, [row('R1', { type: 4 })]);
    sandbox.erp.step(4);
    sandbox.erp.advance(90 * DAY - 1);
    expect(sandbox.erp.refundOrderOf('R1')?.archived).toBe(false);
    sandbox.erp.advance(1);
    expect(sandbox.erp.refundOrderOf('R1')?.archived).toBe(true);
  });

  it('stamps pushes and steps with business time, which starts where told and moves only when advanced', async () => {
    const base = Date.UTC(2024, 5, 1, 2, 0, 0);
    const sandbox = await start({ erp: { startAt: base - 40 * DAY, stepMs: DAY } });
    expect(sandbox.erp.now()).toBe(base - 40 * DAY);
    await push(sandbox, [row('R1')]);
    sandbox.erp.advance(DAY - 1);
    expect(sandbox.erp.refundOrderOf('R1')).toBeUndefined();
    sandbox.erp.advance(1);
    expect(sandbox.erp.refundOrderOf('R1')?.createdAt).toBe(base - 39 * DAY);
    expect(sandbox.getRefund('R1', 'O-R1')).toMatchObject({ createdAt: base - 40 * DAY, modifiedAt: base - 39 * DAY });
    const [raw] = await orders(sandbox, RAW_SEARCH, {
      start_time: shanghai(base - 41 * DAY),
      end_time: shanghai(base - 38 * DAY),
    });
    expect(raw?.created).toBe(shanghai(base - 40 * DAY));
    expect(() => sandbox.erp.advance(-1)).toThrow(RangeError);
    await expect(startWangdianSandbox({ erp: { stepMs: 0 } })).rejects.toThrow(RangeError);
  });

  it('reset() forgets 退换单 and stock-ins too', async () => {
    const sandbox = await start();
    await push(sandbox, [row('R1')]);
    sandbox.erp.step(3);
    sandbox.reset();
    expect(sandbox.erp.refundOrders.size).toBe(0);
    expect(sandbox.refunds.size).toBe(0);
  });
});
