// The lifecycle end to end: refunds pushed through the CLI to both sandboxes over loopback, a real SQLite outbox,
// following on one clock shared by the relay, its clients and both sandboxes (so the Wangdian ERP's business clock
// and Kingdee's channel move when the test moves it, with no real waiting), then `reconcile` and `status` judged by
// their output and exit codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal, type Refund } from '@refundkit/refund-model';
import {
  type KingdeeSandbox,
  startKingdeeSandbox,
  startWangdianSandbox,
  type WangdianSandbox,
} from '@refundkit/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import { main } from '../src/cli-main.js';
import { type RelayClock, systemClock } from '../src/clock.js';
import type { Vendor } from '../src/outbox-store.js';
import type { ReconcileEntry, ReconcileReport } from '../src/reconcile-report.js';
import type { FollowRun } from '../src/refund-follower.js';
import { followOutbox } from '../src/relay-commands.js';
import { resolveRelayConfig } from '../src/relay-config.js';
import { SAMPLE_SHOPS } from '../src/sample-refunds.js';
import { openSqliteOutbox } from '../src/sqlite-outbox-store.js';
import { killedMidFollow, sampleRefunds, tempDir } from '../src/test-support.js';
import { connectVendors } from '../src/vendor-connections.js';
import { capture, FAST_FLAGS, sandboxEnv } from './sandbox-env.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Both sandboxes and an outbox on one clock: real time plus an offset the test moves, so the relay's clock, the
 * clients' signing clocks and the sandboxes' own clocks always agree. The CLI sleeps for real; following sleeps by
 * moving the offset instead of waiting.
 */
async function world() {
  let offset = 0;
  const clock: RelayClock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
  const advance = async (ms: number) => {
    offset += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const kd: KingdeeSandbox = await startKingdeeSandbox({ now: clock.now });
  const wd: WangdianSandbox = await startWangdianSandbox({ now: clock.now, shops: [...SAMPLE_SHOPS] });
  const { dir, cleanup } = tempDir('refund-relay-lifecycle-');
  cleanups.push(
    cleanup,
    () => kd.close(),
    () => wd.close(),
  );
  const db = join(dir, 'outbox.db');
  const env = sandboxEnv(kd, wd);

  /** Runs the CLI in-process on the shared clock; its output must hold no secret or buyer data. */
  const cli = async (argv: readonly string[], runClock: RelayClock = clock) => {
    const out = capture();
    const code = await main([...argv, '--db', db], { ...out.io(env), clock: runClock });
    expect(findLeaks(out.stdout + out.stderr)).toEqual([]);
    return { code, stdout: out.stdout, stderr: out.stderr };
  };

  const push = async (refunds: readonly Refund[], ...flags: string[]) => {
    const file = join(dir, `push-${cleanups.length}-${Date.now()}.jsonl`);
    writeFileSync(file, refunds.map((refund) => JSON.stringify(refund)).join('\n'));
    return cli(['push', file, ...FAST_FLAGS, ...flags]);
  };

  /** The clock following runs on: sleeping between passes moves it instead of waiting. */
  const followClock: RelayClock = { now: clock.now, sleep: advance };

  /**
   * `follow --until-final`, passes one business hour apart, until nothing is open or `hours` have passed. `crash`
   * makes the first pass die inside its recording transaction, as a relay killed there does (nothing of the pass
   * committed): the same following, on a store whose commit fails.
   */
  const follow = async (hours = 12, options: { crash?: boolean } = {}): Promise<FollowRun> => {
    const flags = ['--follow-interval', '1h', '--follow-timeout', `${hours}h`];
    if (!options.crash) {
      const run = await cli(['follow', '--until-final', '--json', ...flags], followClock);
      return JSON.parse(run.stdout).follow as FollowRun;
    }
    const config = resolveRelayConfig({ db, 'follow-interval': '1h', 'follow-timeout': `${hours}h` }, env);
    const store = killedMidFollow(openSqliteOutbox({ path: db }));
    const connections = await connectVendors(config, { env, clock });
    try {
      await store.open({ now: clock.now() });
      const io = { ...capture().io(env), clock: followClock };
      return await followOutbox(store, config, connections, io, { untilFinal: true });
    } finally {
      await Promise.all([store.close(), connections.close()]);
    }
  };

  const reconcile = async (...flags: string[]) => {
    const json = await cli(['reconcile', '--json', ...flags]);
    const human = await cli(['reconcile', ...flags]);
    expect(human.code).toBe(json.code);
    const report = JSON.parse(json.stdout) as ReconcileReport;
    const at = (refundNo: string, vendor: Vendor): ReconcileEntry => {
      const entry = report.entries.find((e) => e.refundNo === refundNo && e.vendor === vendor);
      expect(entry, `${refundNo} at ${vendor}`).toBeDefined();
      return entry!;
    };
    return { code: json.code, report, text: human.stdout, at };
  };

  const status = async (...flags: string[]) => {
    const json = await cli(['status', '--json', ...flags]);
    return { code: json.code, report: JSON.parse(json.stdout), text: (await cli(['status', ...flags])).stdout };
  };

  return {
    clock,
    kd,
    wd,
    push,
    follow,
    reconcile,
    status,
    advance,
  };
}

describe('reconcile and status after following both vendors', () => {
  it('finds every refund done at both vendors: exit code 0', async () => {
    const w = await world();
    const refunds = sampleRefunds(6, 51, 'LA');
    expect((await w.push(refunds)).code).toBe(0);
    // Just delivered: in progress at both vendors, nothing for a person yet.
    const early = await w.reconcile();
    expect(early.code).toBe(3);
    expect(early.text).toContain('reconcile: some refunds are still in progress (run reconcile again later) (exit 3)');
    expect((await w.follow()).final).toBe(true);
    const r = await w.reconcile();
    expect(r.code).toBe(0);
    expect(r.report.totals).toEqual({
      kingdee: { done: 6, in_progress: 0, stuck: 0, refused: 0, missing: 0, different: 0 },
      wangdian: { done: 6, in_progress: 0, stuck: 0, refused: 0, missing: 0, different: 0 },
    });
    expect(r.text).toContain('reconcile: every refund is done at both vendors (exit 0)');
    const s = await w.status();
    expect(s.code).toBe(0);
    expect(s.report.lifecycle.wangdian.done).toBe(6);
    expect(s.text).toMatch(/oldest still in progress:\n {2}Kingdee: none\n {2}Wangdian: none/);
  });

  it('reports a refund the payment channel refused, with the channel’s reason', async () => {
    const w = await world();
    const [refused, ...others] = sampleRefunds(4, 52, 'LB') as [Refund, ...Refund[]];
    w.kd.setRefundOutcome(refused.refundNo, { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' });
    expect((await w.push([refused, ...others])).code).toBe(2);
    await w.follow();
    const r = await w.reconcile();
    expect(r.code).toBe(2);
    expect(r.at(refused.refundNo, 'kingdee')).toMatchObject({ verdict: 'refused', reason: '余额不足' });
    expect(r.at(refused.refundNo, 'wangdian')).toMatchObject({ verdict: 'done' });
    for (const other of others) expect(r.at(other.refundNo, 'kingdee').verdict).toBe('done');
    expect(r.text).toContain(`needs a person (1):\n  Kingdee   ${refused.refundNo} v1  refused: 余额不足`);

    const s = await w.status();
    expect(s.code).toBe(2);
    expect(s.report.lifecycle.kingdee).toMatchObject({ done: 3, refused: 1 });
    const history = await w.status('--refund', refused.refundNo);
    expect(history.code).toBe(0);
    expect(history.text).toContain('  v1 failed after 1 attempt: BUSINESS');
    expect(history.text).toMatch(
      /\n {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}v1 {2}refused: refund [^\n]*; 余额不足; [^\n]*err=NOTENOUGH/,
    );
    expect(history.text).toMatch(/Wangdian\n {2}v1 delivered after 1 attempt\n[\s\S]*v1 {2}done: 退换单 90 已完成/);
  });

  it('reports an amount the ERP holds differently, ours and theirs as exact decimals', async () => {
    const w = await world();
    const [held, ...others] = sampleRefunds(3, 53, 'LC') as [Refund, ...Refund[]];
    w.wd.erp.holdAmount(held.refundNo, '0.01');
    expect((await w.push([held, ...others])).code).toBe(0);
    await w.follow();
    const r = await w.reconcile();
    expect(r.code).toBe(2);
    const entry = r.at(held.refundNo, 'wangdian');
    expect(entry.verdict).toBe('different');
    expect(entry.differences).toHaveLength(1);
    const [difference] = entry.differences;
    expect(difference).toMatchObject({ field: 'actual_refund_amount', ours: held.actualAmount.toString() });
    expect(Decimal.from(difference!.theirs).equals(Decimal.from('0.01'))).toBe(true);
    expect(r.text).toContain(
      `Wangdian  ${held.refundNo} v1  different: actual_refund_amount ours ${held.actualAmount}, theirs ${difference!.theirs}`,
    );
    expect(r.at(held.refundNo, 'kingdee').verdict).toBe('done');
    expect((await w.status()).report.lifecycle.wangdian).toMatchObject({ done: 2, different: 1 });
  });

  it('calls a 退换单 held in review in progress, then stuck once past the threshold', async () => {
    const w = await world();
    const [review, ...others] = sampleRefunds(3, 54, 'LD') as [Refund, ...Refund[]];
    w.wd.erp.holdInReview(review.refundNo);
    expect((await w.push([review, ...others])).code).toBe(0);
    const run = await w.follow();
    expect(run).toMatchObject({ final: false, open: { kingdee: 0, wangdian: 1 } });
    let r = await w.reconcile();
    expect(r.code).toBe(3);
    expect(r.at(review.refundNo, 'wangdian')).toMatchObject({ verdict: 'in_progress', state: '退换单 20 待审核' });
    expect(r.text).toMatch(new RegExp(`Wangdian {2}${review.refundNo} v1 {2}in progress: 退换单 20 待审核 for \\d+h`));

    // A day and a half on, still in review: stuck, and a person is needed.
    await w.advance(DAY + 12 * HOUR);
    await w.follow(1);
    r = await w.reconcile();
    expect(r.code).toBe(2);
    const stuck = r.at(review.refundNo, 'wangdian');
    expect(stuck).toMatchObject({ verdict: 'stuck', state: '退换单 20 待审核' });
    expect(stuck.forMs).toBeGreaterThan(DAY);
    expect(r.text).toMatch(/stuck: 退换单 20 待审核 for \d+d( \d+h)? \(longer than 1d\)/);
    // A longer threshold: still only in progress.
    expect((await w.reconcile('--stuck-after', '3d')).code).toBe(3);
    const s = await w.status();
    expect(s.report.oldestInProgress.wangdian).toMatchObject({ refundNo: review.refundNo });
    expect(s.text).toContain(`Wangdian: ${review.refundNo} v1 退换单 20 待审核, in progress since`);
  });

  it('reports a row upload2 refused, with the ERP’s reason', async () => {
    const w = await world();
    const [refused, ...others] = sampleRefunds(3, 55, 'LE') as [Refund, ...Refund[]];
    w.wd.erp.refuseUpload2(refused.refundNo, '原始单不存在');
    expect((await w.push([refused, ...others], '--wangdian-push', 'upload2')).code).toBe(2);
    await w.follow();
    const r = await w.reconcile();
    expect(r.code).toBe(2);
    expect(r.at(refused.refundNo, 'wangdian')).toMatchObject({ verdict: 'refused', reason: '原始单不存在' });
    expect(r.at(refused.refundNo, 'kingdee').verdict).toBe('done');
    for (const other of others) expect(r.at(other.refundNo, 'wangdian').verdict).toBe('done');
    expect(r.text).toContain(`needs a person (1):\n  Wangdian  ${refused.refundNo} v1  refused: 原始单不存在`);
    const s = await w.status();
    expect(s.code).toBe(2);
    expect(s.report.lifecycle.wangdian).toMatchObject({ done: 2, refused: 1 });
    const history = await w.status('--refund', refused.refundNo);
    expect(history.text).toMatch(
      /Wangdian\n {2}v1 failed after 1 attempt: BUSINESS [^\n]*\n {2}\S+ {2}v1 {2}refused: raw refund[^\n]*原始单不存在/,
    );
  });

  it('survives a restart in the middle of following: each state recorded once, then every refund done', async () => {
    const w = await world();
    const refunds = sampleRefunds(4, 56, 'LF');
    expect((await w.push(refunds)).code).toBe(0);
    await w.advance(2 * HOUR);
    // The first pass dies inside its recording transaction: nothing of it is kept, the refunds still await.
    await expect(w.follow(12, { crash: true })).rejects.toThrow('killed mid-follow');
    let r = await w.reconcile();
    expect(r.code).toBe(3);
    for (const refund of refunds) {
      expect(r.at(refund.refundNo, 'wangdian')).toMatchObject({ verdict: 'in_progress', state: 'awaiting the vendor' });
    }
    // The restarted relay reads the same windows again and follows every refund to its end.
    expect((await w.follow()).final).toBe(true);
    r = await w.reconcile();
    expect(r.code).toBe(0);
    expect(r.report.totals.wangdian.done).toBe(refunds.length);
    for (const refund of refunds) {
      const history = await w.status('--refund', refund.refundNo, '--json');
      const seen = (history.report.history.observations as { vendor: string; state: string; vendorStatus: string }[])
        .filter((o) => o.vendor === 'wangdian')
        .map((o) => `${o.state} ${o.vendorStatus}`);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.at(-1)).toBe('done 90 已完成');
    }
  });
});
