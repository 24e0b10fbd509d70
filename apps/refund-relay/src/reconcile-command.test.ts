import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import { capture } from '../test/sandbox-env.js';
import { main } from './cli-main.js';
import { compareHolding, expectedHolding } from './holding-compare.js';
import type { LifecycleObservation } from './lifecycle.js';
import type { Vendor } from './outbox-store.js';
import type { ReconcileReport } from './reconcile-report.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { manualClock, sampleRefunds, tempDir } from './test-support.js';

// reconcile and status over a real SQLite outbox whose lifecycle is written through the store, as the follower
// writes it; the end-to-end suite drives the same through both sandboxes.

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const HOUR = 3_600_000;
const clock = manualClock();
const t0 = clock.now();

async function run(argv: readonly string[]) {
  const out = capture();
  const code = await main(argv, { ...out.io({}), clock });
  expect(findLeaks(out.stdout + out.stderr)).toEqual([]);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

const refunds = sampleRefunds(5, 21, 'RC');
const db = join(dir, 'outbox.db');
const [a, b, c, d, e] = refunds.map((refund) => refund.refundNo) as [string, string, string, string, string];

/** Five refunds delivered to both vendors at t0, except Kingdee's refusal of `b` in its answer. */
async function seed(): Promise<void> {
  const store = openSqliteOutbox({ path: db });
  try {
    await store.open({ now: t0 });
    await store.enqueueAll(
      refunds.map((refund) => ({ refund })),
      { now: t0 },
    );
    for (const vendor of ['kingdee', 'wangdian'] as const) {
      const claimed = await store.claim(vendor, { now: t0, maxRefunds: 10, maxLines: 100, sameShop: false });
      await store.recordAll(
        claimed.map((delivery) => ({
          id: delivery.id,
          result:
            vendor === 'kingdee' && delivery.refundNo === b
              ? {
                  kind: 'failed' as const,
                  errorCode: 'BUSINESS',
                  errorMessage: 'kingdee refund was refused by the payment channel: 余额不足',
                  observation: {
                    state: 'refused' as const,
                    stage: 'refund' as const,
                    vendorStatus: 'FAIL',
                    reason: '余额不足',
                    differences: [],
                    detail: { refund_status: 'FAIL' },
                  },
                }
              : { kind: 'delivered' as const, alreadyThere: false, vendorResult: {} },
        })),
        { now: t0 },
      );
    }
  } finally {
    await store.close();
  }
}

async function observe(observations: LifecycleObservation[], now: number): Promise<void> {
  const store = openSqliteOutbox({ path: db });
  try {
    await store.recordObservations(observations, { now });
  } finally {
    await store.close();
  }
}

function seen(refundNo: string, vendor: Vendor, more: Partial<LifecycleObservation>): LifecycleObservation {
  return {
    refundNo,
    versionNo: 1,
    vendor,
    state: 'in_progress',
    stage: vendor === 'kingdee' ? 'refund' : 'refund_order',
    vendorStatus: null,
    reason: null,
    differences: [],
    detail: {},
    ...more,
  };
}

async function reconcile(...flags: string[]): Promise<{ code: number; report: ReconcileReport; text: string }> {
  const json = await run(['reconcile', '--db', db, '--json', ...flags]);
  const human = await run(['reconcile', '--db', db, ...flags]);
  expect(human.code).toBe(json.code);
  return { code: json.code, report: JSON.parse(json.stdout), text: human.stdout };
}

describe('reconcile and status on a SQLite outbox', () => {
  it('walks a set of refunds from delivered to each verdict, with the documented exit codes', async () => {
    await seed();
    // Just delivered: Kingdee refused b, everything else awaits the vendors.
    let r = await reconcile();
    expect(r.code).toBe(2);
    expect(r.report.totals.kingdee).toMatchObject({ in_progress: 4, refused: 1 });
    expect(r.text).toContain(`Kingdee   ${b} v1  refused: 余额不足`);

    const done = (refundNo: string, vendor: Vendor) =>
      seen(refundNo, vendor, { state: 'done', vendorStatus: 'SUCCESS' });
    const theirs = compareHolding(expectedHolding('wangdian', refunds[2]!), { actual_refund_amount: '0.01' });
    await observe(
      [
        ...[a, c, d, e].map((no) => done(no, 'kingdee')),
        done(a, 'wangdian'),
        done(b, 'wangdian'),
        seen(c, 'wangdian', { state: 'different', vendorStatus: '90 已完成', differences: theirs }),
        seen(d, 'wangdian', { vendorStatus: '20 待审核', detail: { refundOrderNo: 'TK2406010001' } }),
        seen(e, 'wangdian', { vendorStatus: '30 已审核' }),
      ],
      t0 + HOUR,
    );
    await clock.advance(2 * HOUR);
    r = await reconcile();
    expect(r.code).toBe(2);
    const at = (refundNo: string, vendor: Vendor) =>
      r.report.entries.find((entry) => entry.refundNo === refundNo && entry.vendor === vendor)!;
    expect(at(c, 'wangdian')).toMatchObject({ verdict: 'different', differences: theirs });
    expect(theirs).toEqual([
      { field: 'actual_refund_amount', ours: refunds[2]!.actualAmount.toString(), theirs: '0.01' },
    ]);
    expect(r.text).toContain(
      `Wangdian  ${c} v1  different: actual_refund_amount ours ${refunds[2]!.actualAmount}, theirs 0.01`,
    );
    expect(at(d, 'wangdian')).toMatchObject({ verdict: 'in_progress', state: '退换单 20 待审核', forMs: HOUR });
    expect(r.text).toContain(`Wangdian  ${d} v1  in progress: 退换单 20 待审核 for 1h`);

    // A day later d is still in review, e moved on: d is stuck (past the default day), e in progress.
    await observe([seen(e, 'wangdian', { vendorStatus: '80 已结算' })], t0 + 25 * HOUR);
    await clock.advance(24 * HOUR);
    r = await reconcile('--since', new Date(t0).toISOString());
    expect(at(d, 'wangdian')).toMatchObject({ verdict: 'stuck', forMs: 25 * HOUR });
    expect(r.text).toContain(`Wangdian  ${d} v1  stuck: 退换单 20 待审核 for 1d 1h (longer than 1d)`);
    expect(at(e, 'wangdian')).toMatchObject({ verdict: 'in_progress', forMs: HOUR });
    expect(
      (await reconcile('--stuck-after', '2d')).report.entries.find((x) => x.refundNo === d && x.vendor === 'wangdian')
        ?.verdict,
    ).toBe('in_progress');
    // Nothing was delivered in the last hour: --since leaves every refund out, and nothing is left to look at.
    r = await reconcile('--since', '1h');
    expect(r.report.entries).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.text).toContain('reconcile: every refund is done at both vendors (exit 0)');
  });

  it('shows the lifecycle in status, and the whole history of one refund with --refund', async () => {
    const status = await run(['status', '--db', db]);
    expect(status.code).toBe(2);
    expect(status.stdout).toContain('after delivery (newest delivered version of each refund):');
    expect(status.stdout).toMatch(/Kingdee +0 +0 +4 +1 +0 +0\n/);
    expect(status.stdout).toMatch(/Wangdian +0 +2 +2 +0 +0 +1\n/);
    expect(status.stdout).toContain(
      `Wangdian: ${d} v1 退换单 20 待审核, in progress since ${new Date(t0 + HOUR).toISOString()} (1d 1h)`,
    );
    expect(status.stdout).toContain('Kingdee: none');
    const json = JSON.parse((await run(['status', '--db', db, '--json'])).stdout);
    expect(json.lifecycle.wangdian).toEqual({
      awaiting: 0,
      in_progress: 2,
      done: 2,
      refused: 0,
      missing: 0,
      different: 1,
    });
    expect(json.oldestInProgress.wangdian.refundNo).toBe(d);

    const history = await run(['status', '--db', db, '--refund', e]);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines).toEqual([
      `refund ${e}: 1 version in the outbox`,
      '',
      'Kingdee',
      '  v1 delivered after 1 attempt',
      `  ${new Date(t0).toISOString()}  v1  awaiting: awaiting the vendor`,
      `  ${new Date(t0 + HOUR).toISOString()}  v1  done: refund SUCCESS`,
      '',
      'Wangdian',
      '  v1 delivered after 1 attempt',
      `  ${new Date(t0).toISOString()}  v1  awaiting: awaiting the vendor`,
      `  ${new Date(t0 + HOUR).toISOString()}  v1  in progress: 退换单 30 已审核`,
      `  ${new Date(t0 + 25 * HOUR).toISOString()}  v1  in progress: 退换单 80 已结算`,
    ]);
    const refused = await run(['status', '--db', db, '--refund', b, '--json']);
    const report = JSON.parse(refused.stdout);
    expect(report.history.deliveries.map((x: { vendor: string; state: string }) => [x.vendor, x.state])).toEqual([
      ['kingdee', 'failed'],
      ['wangdian', 'delivered'],
    ]);
    expect(report.history.observations[0]).toMatchObject({ vendor: 'kingdee', state: 'refused', reason: '余额不足' });
    const unknown = await run(['status', '--db', db, '--refund', 'NO-SUCH']);
    expect(unknown).toMatchObject({ code: 2, stdout: 'no refund NO-SUCH in the outbox\n' });
  });
});
