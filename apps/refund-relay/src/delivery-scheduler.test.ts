import { join } from 'node:path';
import type { Refund } from '@refundkit/refund-model';
import { RefundkitError } from '@refundkit/transport';
import {
  UploadIncompleteError,
  validateWangdianRawRefunds,
  type WangdianRawRefundRow,
} from '@refundkit/wangdian-aftersales';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { type DeliverOptions, type DeliveryEvent, deliverPending } from './delivery-scheduler.js';
import type { OutboxStore, Vendor } from './outbox-store.js';
import { createRedactor } from './redact.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { sampleRefunds, tempDir } from './test-support.js';
import { createTokenBucket } from './token-bucket.js';
import type { DeliveryItem, PortOutcome, VendorPort } from './vendor-port.js';
import { createWangdianPort, type WangdianPushClient } from './vendor-ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storeWith(refunds: Refund[]): Promise<OutboxStore> {
  const { dir, cleanup } = tempDir();
  const store = openSqliteOutbox({ path: join(dir, 'outbox.db') });
  cleanups.push(cleanup, () => store.close());
  await store.open({ now: Date.now() });
  for (const refund of refunds) await store.enqueue(refund, { now: Date.now() });
  return store;
}

/** A port whose answer per refund comes from `answer`, recording every call. */
function fakePort(
  vendor: Vendor,
  answer: (item: DeliveryItem, call: number) => PortOutcome,
  maxRefunds = 1,
): VendorPort & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    vendor,
    calls,
    maxRefundsPerCall: maxRefunds,
    maxLinesPerCall: 1000,
    sameShop: false,
    async send(items) {
      calls.push(items.map((item) => item.refund.refundNo));
      return items.map((item) => answer(item, calls.length));
    },
  };
}

const ok = (): PortOutcome => ({ ok: true, vendorResult: { fine: true } });
const error = (code: string, retryable: boolean, message = code) =>
  ({ ok: false, error: new RefundkitError(message, { code: code as never, retryable }) }) as PortOutcome;

function options(
  store: OutboxStore,
  ports: Record<Vendor, VendorPort>,
  extra: Partial<DeliverOptions> = {},
): DeliverOptions {
  const limits = { concurrency: 3, bucket: createTokenBucket({ perMinute: 0, clock: systemClock }) };
  return {
    store,
    ports,
    limits: { kingdee: limits, wangdian: limits },
    maxAttempts: 4,
    backoff: { baseMs: 1, maxMs: 5 },
    clock: systemClock,
    redact: createRedactor(['super-secret-value']),
    ...extra,
  };
}

describe('deliverPending', () => {
  it('retries retryable errors with backoff, dead-letters after maxAttempts, fails the rest, counts already-there', async () => {
    const refunds = sampleRefunds(8);
    const store = await storeWith(refunds);
    const [flaky, hopeless, refused, known] = refunds.map((r) => r.refundNo);
    const attempts = new Map<string, number>();
    const kingdee = fakePort('kingdee', (item) => {
      const n = (attempts.get(item.refund.refundNo) ?? 0) + 1;
      attempts.set(item.refund.refundNo, n);
      if (item.refund.refundNo === flaky && n < 3) return error('SERVER', true);
      if (item.refund.refundNo === hopeless) return error('OVERLOADED', true, 'busy, key super-secret-value');
      if (item.refund.refundNo === refused) return error('BUSINESS', false, `buyer ${item.refund.buyer.nick} refused`);
      if (item.refund.refundNo === known) return error('ALREADY_EXISTS', false);
      return ok();
    });
    const wangdian = fakePort('wangdian', ok, 100);
    const events: DeliveryEvent[] = [];
    const tallies = await deliverPending(options(store, { kingdee, wangdian }, { onEvent: (e) => events.push(e) }));
    expect(tallies.kingdee).toMatchObject({ delivered: 5, alreadyThere: 1, failed: 1, dead: 1, retries: 5 });
    expect(tallies.wangdian).toMatchObject({ delivered: 8, failed: 0 });
    expect(attempts.get(flaky!)).toBe(3);
    expect(attempts.get(hopeless!)).toBe(4);
    const failures = await store.failures();
    const byNo = Object.fromEntries(failures.map((f) => [f.refundNo, f]));
    expect(byNo[hopeless!]).toMatchObject({ state: 'dead', attempts: 4, errorCode: 'OVERLOADED' });
    expect(byNo[hopeless!]!.errorMessage).toBe('busy, key [redacted]');
    expect(byNo[refused!]).toMatchObject({ state: 'failed', attempts: 1, errorCode: 'BUSINESS' });
    expect(byNo[refused!]!.errorMessage).not.toContain(refunds[2]!.buyer.nick);
    expect((await store.alreadyThereCounts()).kingdee).toBe(1);
    expect(events.filter((e) => e.type === 'started')).toHaveLength(2);
  });

  it('keeps every vendor within its concurrency', async () => {
    // Enough refunds for every worker's claim (16 one-refund calls each).
    const refunds = sampleRefunds(60);
    expect(refunds.length).toBeGreaterThan(48);
    const store = await storeWith(refunds);
    let inFlight = 0;
    let peak = 0;
    const slow: VendorPort = {
      vendor: 'kingdee',
      maxRefundsPerCall: 1,
      maxLinesPerCall: 1000,
      sameShop: false,
      async send(items) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return items.map(ok);
      },
    };
    await deliverPending(options(store, { kingdee: slow, wangdian: fakePort('wangdian', ok, 100) }));
    expect(peak).toBe(3);
    expect((await store.counts()).kingdee.delivered).toBe(refunds.length);
  });

  it('claims several one-refund calls at once, records them together, and releases what a stop leaves unsent', async () => {
    const refunds = sampleRefunds(40);
    expect(refunds.length).toBeGreaterThan(32);
    const store = await storeWith(refunds);
    const claims: number[] = [];
    const recorded: number[] = [];
    const kingdeeIds = new Set<number>();
    const counting: OutboxStore = {
      ...store,
      async claim(vendor, claim) {
        const batch = await store.claim(vendor, claim);
        if (vendor === 'kingdee' && batch.length > 0) {
          claims.push(batch.length);
          for (const delivery of batch) kingdeeIds.add(delivery.id);
        }
        return batch;
      },
      async recordAll(results, recordOptions) {
        const kingdee = results.filter((entry) => kingdeeIds.has(entry.id)).length;
        if (kingdee > 0) recorded.push(kingdee);
        return store.recordAll(results, recordOptions);
      },
    };
    const stop = new AbortController();
    const kingdee = fakePort('kingdee', (_item, call) => {
      if (call === 18) stop.abort();
      return ok();
    });
    const one = { concurrency: 1, bucket: createTokenBucket({ perMinute: 0, clock: systemClock }) };
    const tallies = await deliverPending(
      options(
        counting,
        { kingdee, wangdian: fakePort('wangdian', ok, 100) },
        {
          limits: { kingdee: one, wangdian: one },
          signal: stop.signal,
        },
      ),
    );
    // One refund per call, sixteen calls per claim: the second claim stopped after its second call.
    expect(kingdee.calls.every((call) => call.length === 1)).toBe(true);
    expect(kingdee.calls).toHaveLength(18);
    expect(claims).toEqual([16, 16]);
    expect(recorded).toEqual([16, 16]);
    expect(tallies.kingdee).toMatchObject({ delivered: 18, calls: 18 });
    // Nothing stays in flight: the fourteen claimed but never sent are pending again, their attempt not counted.
    expect((await store.counts()).kingdee).toMatchObject({ delivered: 18, in_flight: 0, pending: refunds.length - 18 });
    const pending = (await store.listDeliveries()).filter((d) => d.vendor === 'kingdee' && d.state === 'pending');
    expect(pending.every((d) => d.attempts === 0)).toBe(true);
  });

  it('sends each refund of a batch the vendor refused as a whole alone, so only the bad one fails', async () => {
    const refunds = sampleRefunds(6);
    const store = await storeWith(refunds);
    const bad = refunds[3]!.refundNo;
    const wangdian = fakePort(
      'wangdian',
      (_item, call) => {
        const batch = wangdian.calls[call - 1]!;
        return batch.includes(bad) ? error('INVALID_ARGUMENT', false, 'order_list[3].title too long') : ok();
      },
      100,
    );
    const tallies = await deliverPending(options(store, { kingdee: fakePort('kingdee', ok), wangdian }));
    expect(tallies.wangdian).toMatchObject({ delivered: 5, failed: 1 });
    expect(wangdian.calls[0]).toHaveLength(6);
    expect(wangdian.calls.slice(1).every((call) => call.length === 1)).toBe(true);
    const [failure] = await store.failures();
    expect(failure).toMatchObject({ refundNo: bad, vendor: 'wangdian', state: 'failed', attempts: 1 });
  });

  it('marks exactly the refunds a partial Wangdian upload reports as uploaded delivered', async () => {
    const refunds = sampleRefunds(6);
    const store = await storeWith(refunds);
    let call = 0;
    const client = {
      async uploadRawRefunds(_shop: string, rows: readonly { refund_no: string }[]) {
        call++;
        const numbers = [...new Set(rows.map((row) => row.refund_no))];
        if (call === 1) {
          const cause = new RefundkitError('gateway 503', { code: 'SERVER', retryable: true });
          throw new UploadIncompleteError(
            {
              newCount: 2,
              chgCount: 0,
              batches: [
                {
                  index: 0,
                  refundNos: numbers.slice(0, 2),
                  rowCount: 2,
                  outcome: 'uploaded',
                  newCount: 2,
                  chgCount: 0,
                },
                {
                  index: 1,
                  refundNos: numbers.slice(2),
                  rowCount: rows.length - 2,
                  outcome: 'failed',
                  errorCode: 'SERVER',
                },
              ],
            },
            cause,
          );
        }
        return { newCount: numbers.length, chgCount: 0, batches: [] };
      },
    } as unknown as WangdianPushClient;
    const wangdian = createWangdianPort(client, { shopNo: 'LCJ' });
    const tallies = await deliverPending(options(store, { kingdee: fakePort('kingdee', ok), wangdian }));
    expect(tallies.wangdian).toMatchObject({ delivered: 6, retries: 4, failed: 0 });
    const deliveries = (await store.listDeliveries()).filter((d) => d.vendor === 'wangdian');
    const firstTwo = new Set(refunds.slice(0, 2).map((r) => r.refundNo));
    for (const d of deliveries) expect(d.attempts).toBe(firstTwo.has(d.refundNo) ? 1 : 2);
  });

  it('fails a refund whose rows Wangdian would reject before the call, without holding back the others', async () => {
    const refunds = sampleRefunds(3);
    const long = { ...refunds[1]!, lines: refunds[1]!.lines.map((line) => ({ ...line, title: '长'.repeat(300) })) };
    const store = await storeWith([refunds[0]!, long, refunds[2]!]);
    const sent: number[] = [];
    const client = {
      // Like the real client: every row is checked before anything is sent.
      async uploadRawRefunds(shop: string, rows: readonly WangdianRawRefundRow[]) {
        validateWangdianRawRefunds(shop, rows);
        sent.push(rows.length);
        return { newCount: rows.length, chgCount: 0, batches: [] };
      },
    } as unknown as WangdianPushClient;
    const tallies = await deliverPending(
      options(store, { kingdee: fakePort('kingdee', ok), wangdian: createWangdianPort(client, { shopNo: 'LCJ' }) }),
    );
    expect(tallies.wangdian).toMatchObject({ delivered: 2, failed: 1 });
    expect(sent).toHaveLength(1);
    const [failure] = await store.failures();
    expect(failure).toMatchObject({ refundNo: long.refundNo, errorCode: 'VALIDATION' });
  });
});
