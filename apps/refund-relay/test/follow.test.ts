// `refund-relay follow` and `deliver --follow` through the CLI, against both sandboxes over HTTP: in-process on one
// manual clock (the relay's, its clients' and the sandboxes'), and as a child process killed by its own test hook
// in the middle of a follow pass, then run again on the same SQLite outbox.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Refund } from '@refundkit/refund-model';
import { startKingdeeSandbox, startWangdianSandbox } from '@refundkit/sandbox';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import { main } from '../src/cli-main.js';
import type { RelayReport } from '../src/relay-report.js';
import { SAMPLE_SHOPS } from '../src/sample-refunds.js';
import { openSqliteOutbox } from '../src/sqlite-outbox-store.js';
import { CRASH_AT_ENV } from '../src/test-hook.js';
import { sampleRefunds, tempDir } from '../src/test-support.js';
import { buildRelay, runRelay } from './relay-process.js';
import { capture, FAST_FLAGS, sandboxEnv } from './sandbox-env.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Both sandboxes (the ERP stepping every `stepMs` of their clock) and the environment pointing the relay at them. */
async function sandboxes(now: () => number, stepMs: number) {
  const kd = await startKingdeeSandbox({ now });
  const wd = await startWangdianSandbox({ now, shops: [...SAMPLE_SHOPS], erp: { stepMs } });
  const { dir, cleanup } = tempDir('refund-relay-follow-');
  cleanups.push(
    cleanup,
    () => kd.close(),
    () => wd.close(),
  );
  const env = sandboxEnv(kd, wd);
  const file = (refunds: readonly Refund[]) => {
    const path = join(dir, `refunds-${refunds.length}.jsonl`);
    writeFileSync(path, `${refunds.map((refund) => JSON.stringify(refund)).join('\n')}\n`);
    return path;
  };
  return { kd, wd, env, dir, db: join(dir, 'outbox.db'), file };
}

async function historyIn(db: string, refundNo: string) {
  const store = openSqliteOutbox({ path: db, readonly: true });
  try {
    return await store.lifecycleHistory(refundNo);
  } finally {
    await store.close();
  }
}

describe('refund-relay follow and deliver --follow (in-process)', () => {
  it('follows one pass, then deliver --follow carries every refund to its end and reports it', async () => {
    // The sandboxes' ERP steps every 300 ms of real time; the relay waits a second between passes.
    const s = await sandboxes(Date.now, 300);
    const refunds = sampleRefunds(12, 51);
    const [refused, rowRefused] = refunds;
    s.kd.setRefundOutcome(refused!.refundNo, { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' });
    s.wd.erp.refuseUpload2(rowRefused!.refundNo, '原始单不存在');
    const flags = ['--db', s.db, '--json', '--wangdian-push', 'upload2', ...FAST_FLAGS];
    const runs: ReturnType<typeof capture>[] = [];
    const run = async (args: string[]) => {
      const out = capture();
      runs.push(out);
      return { code: await main(args, out.io(s.env)), out };
    };

    expect((await run(['push', s.file(refunds), ...flags])).code).toBe(2);
    const once = await run(['follow', ...flags]);
    expect(once.code).toBe(2);
    const first = JSON.parse(once.out.stdout) as RelayReport;
    expect(first.follow).toMatchObject({ passes: 1, final: false });
    expect(first.lifecycle?.kingdee).toMatchObject({ done: refunds.length - 1, refused: 1 });
    expect(first.lifecycle?.wangdian.refused).toBe(1);

    const rest = await run(['deliver', '--follow', '--follow-timeout', '2m', '--follow-interval', '1s', ...flags]);
    const report = JSON.parse(rest.out.stdout) as RelayReport;
    expect(report.follow).toMatchObject({ final: true, open: { kingdee: 0, wangdian: 0 } });
    expect(report.lifecycle?.wangdian).toMatchObject({ done: refunds.length - 1, refused: 1 });
    // Two deliveries stay failed (refused by the vendors), so the run is not ok.
    expect(rest.code).toBe(2);
    const history = await historyIn(s.db, rowRefused!.refundNo);
    expect(history.map((o) => [o.vendor, o.state, o.reason])).toContainEqual(['wangdian', 'refused', '原始单不存在']);

    const human = await run(['follow', '--db', s.db, ...FAST_FLAGS]);
    expect(human.code).toBe(0);
    expect(human.out.stdout).toMatch(/followed in 1 pass: 0 state changes recorded; every delivered refund is final/);
    expect(human.out.stdout).toMatch(new RegExp(`Wangdian: ${refunds.length - 1} done, 1 refused`));
    for (const out of runs) expect(findLeaks(out.stdout + out.stderr)).toEqual([]);
  });

  it('refuses a bad follow option, naming it', async () => {
    const out = capture();
    expect(await main(['follow', '--follow-timeout', '10 minutes'], out.io({}))).toBe(1);
    expect(out.stderr).toMatch(/--follow-timeout must be a whole number with a unit/);
    const push = capture();
    expect(await main(['status', '--follow'], push.io({}))).toBe(1);
    expect(push.stderr).toMatch(/--follow is not an option of status/);
  });
});

describe('a relay killed in the middle of a follow pass (child process)', () => {
  beforeAll(() => buildRelay(), 300_000);

  it('loses nothing and records nothing twice when it is run again', { timeout: 120_000 }, async () => {
    // The sandboxes run on real time here, the ERP stepping every 300 ms.
    const s = await sandboxes(Date.now, 300);
    const refunds = sampleRefunds(20, 61);
    const flags = ['--db', s.db, '--json', ...FAST_FLAGS];
    expect((await runRelay(['push', s.file(refunds), ...flags], s.env, s.dir).exit).code).toBe(0);

    const killed = runRelay(['follow', ...flags], { ...s.env, [CRASH_AT_ENV]: 'mid-follow:1' }, s.dir);
    expect((await killed.exit).signal).toBe('SIGKILL');
    // Nothing of the killed pass was stored: each refund is where its delivery left it.
    for (const refund of refunds) {
      const wangdian = (await historyIn(s.db, refund.refundNo)).filter((o) => o.vendor === 'wangdian');
      expect(wangdian.map((o) => o.state)).toEqual(['awaiting']);
    }

    const again = runRelay(['follow', '--until-final', '--follow-interval', '1s', ...flags], s.env, s.dir);
    const exit = await again.exit;
    expect(findLeaks(again.stdout() + again.stderr())).toEqual([]);
    expect(exit.code).toBe(0);
    expect((JSON.parse(again.stdout()) as RelayReport).follow?.final).toBe(true);
    for (const refund of refunds) {
      const history = (await historyIn(s.db, refund.refundNo)).filter((o) => o.vendor === 'wangdian');
      const keys = history.map((o) => JSON.stringify([o.state, o.stage, o.vendorStatus, o.detail]));
      expect(new Set(keys).size).toBe(keys.length);
      expect(history.at(-1)?.state).toBe('done');
    }
  });
});
