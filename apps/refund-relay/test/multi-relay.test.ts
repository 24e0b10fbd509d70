// Several relays on one PostgreSQL outbox: three relay processes (the built CLI) share 5,000 refunds on one
// database and deliver them to both sandboxes, while one of them is SIGKILLed twice (once by its own test hook right
// after a vendor answered and before the answer was recorded, once from outside in the middle of its work) and
// restarted each time. The sandboxes judge the end: every refund stored exactly once at each vendor, none left behind.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import { createTestDatabase } from '../../../test-support/postgres.js';
import { waitUntil } from '../../../test-support/wait.js';
import { openPostgresOutbox } from '../src/postgres-outbox-store.js';
import { CRASH_AT_ENV } from '../src/test-hook.js';
import { sampleRefunds, tempDir } from '../src/test-support.js';
import { buildRelay, type RelayRun, runRelay } from './relay-process.js';
import { recordFigures } from './reliability-figures.js';
import { FAST_FLAGS, type Sandboxes, startSandboxes } from './sandbox-env.js';

const COUNT = 5_000;

let s: Sandboxes;
let dir: string;
let cleanup: () => void;
let url: string;
beforeAll(async () => {
  buildRelay();
  s = await startSandboxes();
  ({ dir, cleanup } = tempDir('refund-relay-multi-'));
  url = await createTestDatabase();
}, 300_000);
afterAll(async () => {
  await s?.close();
  cleanup?.();
});

describe('three relays on one PostgreSQL outbox', () => {
  it(`deliver ${COUNT} refunds exactly once to both vendors while one relay is SIGKILLed and restarted twice`, async () => {
    const refunds = sampleRefunds(COUNT + 300, 20241201, 'P').slice(0, COUNT);
    expect(refunds).toHaveLength(COUNT);
    const rows = refunds.reduce((sum, refund) => sum + refund.lines.length, 0);
    const file = join(dir, 'refunds.jsonl');
    writeFileSync(file, `${refunds.map((refund) => JSON.stringify(refund)).join('\n')}\n`);
    const flags = ['--database', url, '--json', ...FAST_FLAGS];
    const begun = performance.now();

    // All three take in the same file (each refund is stored once, the others find duplicates) and deliver.
    // Relay A kills itself right after its 300th vendor answer, before recording it.
    const runs: RelayRun[] = [];
    const start = (args: string[], env: Record<string, string> = {}) => {
      const run = runRelay([...args, ...flags], { ...s.env, ...env }, dir);
      runs.push(run);
      return run;
    };
    const a1 = start(['push', file], { [CRASH_AT_ENV]: 'after-answer:300' });
    const b = start(['push', file]);
    const c = start(['push', file]);
    expect((await a1.exit).signal).toBe('SIGKILL');

    // A again, killed from outside once the vendors hold some more of the work.
    const a2 = start(['deliver']);
    const storedNow = s.kd.counters.newRefunds;
    await waitUntil(() => s.kd.counters.newRefunds >= Math.min(COUNT - 500, storedNow + 500));
    a2.child.kill('SIGKILL');
    expect((await a2.exit).signal).toBe('SIGKILL');

    const a3 = start(['deliver']);
    const ends = await Promise.all([b.exit, c.exit, a3.exit]);
    const seconds = (performance.now() - begun) / 1000;
    for (const run of runs) expect(findLeaks(run.stdout() + run.stderr())).toEqual([]);
    expect(ends.map((end) => end.code)).toEqual([0, 0, 0]);
    for (const run of [b, c, a3]) expect(JSON.parse(run.stdout()).ok).toBe(true);

    // The outbox: every delivery delivered, none pending, in flight, failed or dead.
    const store = openPostgresOutbox({ url, readonly: true });
    const [counts, totals] = await Promise.all([store.counts(), store.refundTotals()]).finally(() => store.close());
    expect(totals).toEqual({ refunds: COUNT, versions: COUNT });
    for (const vendor of ['kingdee', 'wangdian'] as const) {
      expect(counts[vendor]).toEqual({ pending: 0, in_flight: 0, delivered: COUNT, failed: 0, dead: 0 });
    }

    // The vendors: each refund stored once at Kingdee, each line's row once at Wangdian, nothing created twice.
    expect(s.kd.refunds.size).toBe(COUNT);
    expect(s.kd.counters.newRefunds).toBe(COUNT);
    for (const refund of refunds) expect(s.kd.refunds.has(refund.refundNo)).toBe(true);
    expect(s.wd.refunds.size).toBe(rows);
    expect(s.wd.counters.newRows).toBe(rows);
    for (const refund of refunds) {
      for (const line of refund.lines) expect(s.wd.getRefund(refund.refundNo, line.subOrderId)).toBeDefined();
    }
    // The relays share one Kingdee app-token through the database: five relay runs, three of them starting at the
    // same moment, and one token call between them.
    expect(s.kd.counters.tokensIssued).toBe(1);
    // A's deliveries under way when it died were taken over and sent again; the vendors answered those from what
    // they already held.
    expect(s.kd.counters.replays + s.wd.counters.unchangedRows).toBeGreaterThan(0);

    recordFigures('multiRelay', {
      refunds: COUNT,
      wangdianRows: rows,
      relays: 3,
      kills: 2,
      kingdeeTokens: s.kd.counters.tokensIssued,
      seconds: Number(seconds.toFixed(1)),
      vendorRequests: { kingdee: s.kd.counters.requests, wangdian: s.wd.counters.requests },
      resentAndAnsweredFromStore: {
        kingdeeReplays: s.kd.counters.replays,
        wangdianUnchangedRows: s.wd.counters.unchangedRows,
      },
    });
  }, 300_000);
});
