// The built CLI as a child process: the demo once, and a relay killed with SIGKILL mid-run and resumed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleRefunds } from '../src/sample-refunds.js';
import { openSqliteOutbox } from '../src/sqlite-outbox-store.js';
import { tempDir, validSampleRecords } from '../src/test-support.js';
import { buildRelay, type RelayRun, runRelay } from './relay-process.js';
import { FAST_FLAGS, type Sandboxes, startSandboxes, storedAtVendors } from './sandbox-env.js';

let s: Sandboxes;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  // The CLI runs from its build, which imports the packages' builds.
  buildRelay();
  s = await startSandboxes();
  ({ dir, cleanup } = tempDir());
}, 300_000);

afterAll(async () => {
  await s?.close();
  cleanup?.();
});

async function waitFor(r: RelayRun, text: string): Promise<void> {
  while (!r.stderr().includes(text)) {
    if (r.child.exitCode !== null) throw new Error(`exited before "${text}":\n${r.stderr()}\n${r.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function deliveries(db: string) {
  const store = openSqliteOutbox({ path: db, readonly: true });
  try {
    return await store.listDeliveries();
  } finally {
    await store.close();
  }
}

describe('built refund-relay CLI', () => {
  it('runs the demo and exits 0 with a summary', async () => {
    const demo = runRelay(['demo'], {}, dir);
    const { code } = await demo.exit;
    // No error or warning but the failed deliveries the demo calls for (each told refusal, each refused change).
    const unexpected = demo
      .stderr()
      .split('\n')
      .filter((line) => !line.startsWith('failed '));
    expect(unexpected.join('\n')).not.toMatch(/Error|warning/i);
    expect(code).toBe(0);
    expect(demo.stdout()).toMatch(/Kingdee +\d+ +0 +\d+ +0 +0 +\d+/);
    expect(demo.stdout()).toContain('demo ok: every valid refund reached both vendors exactly once');
  });

  it('survives SIGKILL mid-run (twice) and ends with exactly one stored refund per refund per vendor', async () => {
    const { records } = generateSampleRefunds({ count: 120, seed: 5, batch: 'K' });
    const file = join(dir, 'crash.jsonl');
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
    const db = join(dir, 'crash.db');
    const flags = ['--db', db, '--wangdian-batch', '10', '--kingdee-concurrency', '3', ...FAST_FLAGS];

    // 1. push, frozen right after its 40th vendor call returned and before that call was recorded; kill -9.
    const first = runRelay(['push', file, ...flags, '--pause-after', '40'], s.env, dir);
    await waitFor(first, 'paused after');
    const atKill = await deliveries(db);
    const inFlight = atKill.filter((d) => d.state === 'in_flight');
    expect(inFlight.length).toBeGreaterThan(0);
    const stored = storedAtVendors(s);
    const sentButUnrecorded = inFlight.filter((d) =>
      (d.vendor === 'kingdee' ? stored.kingdee : stored.wangdian).has(d.refundNo),
    );
    expect(sentButUnrecorded.length).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    // 2. resume, killed again the same way part-way.
    const second = runRelay(['deliver', ...flags, '--pause-after', '15'], s.env, dir);
    await waitFor(second, 'paused after');
    second.child.kill('SIGKILL');
    await second.exit;

    // 3. resume to the end.
    const third = runRelay(['deliver', ...flags], s.env, dir);
    const { code } = await third.exit;
    expect(third.stdout()).toMatch(/recovered \d+ in-flight deliver/);
    expect(third.stdout() + third.stderr()).not.toContain(s.env.KINGDEE_CLIENT_SECRET);
    expect(code).toBe(0);

    const final = await deliveries(db);
    expect(final.every((d) => d.state === 'delivered')).toBe(true);
    const refunds = final.filter((d) => d.vendor === 'kingdee').map((d) => parseRefund(JSON.parse(d.body)));
    expect(refunds).toHaveLength(new Set(validSampleRecords(records).map((r) => r.refundNo)).size);
    const after = storedAtVendors(s);
    const kRefunds = [...after.kingdee].filter((no) => no.startsWith('RFK'));
    const wRefunds = [...after.wangdian].filter((no) => no.startsWith('RFK'));
    expect(kRefunds.sort()).toEqual(refunds.map((r) => r.refundNo).sort());
    expect(wRefunds.sort()).toEqual(refunds.map((r) => r.refundNo).sort());
    for (const refund of refunds) {
      expect(s.kd.refunds.get(refund.refundNo)?.saves).toBeGreaterThanOrEqual(1);
      for (const line of refund.lines)
        expect(s.wd.getRefund(refund.refundNo, line.subOrderId)?.uploads).toBeGreaterThanOrEqual(1);
    }
    // Created exactly once each: re-sent deliveries were idempotent replays, not second refunds.
    expect(s.kd.counters.newRefunds).toBe(after.kingdee.size);
    expect(s.wd.counters.newRows).toBe(after.wangdianRows);
  });
});
