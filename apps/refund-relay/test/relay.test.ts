import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRefund } from '@refundkit/refund-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import { main } from '../src/cli-main.js';
import { refundInputsToCsv } from '../src/csv-refunds.js';
import { generateSampleRefunds } from '../src/sample-refunds.js';
import { openSqliteOutbox } from '../src/sqlite-outbox-store.js';
import { tempDir, validSampleRecords } from '../src/test-support.js';
import { capture, FAST_FLAGS, type Sandboxes, startSandboxes, storedAtVendors } from './sandbox-env.js';

let s: Sandboxes;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  s = await startSandboxes();
  ({ dir, cleanup } = tempDir());
});
afterAll(async () => {
  await s.close();
  cleanup();
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function listDeliveries(db: string) {
  const store = openSqliteOutbox({ path: db, readonly: true });
  try {
    return await store.listDeliveries();
  } finally {
    await store.close();
  }
}

describe('refund-relay demo (in-process)', () => {
  it('relays the bundled sample through both sandboxes and verifies their stored state', async () => {
    const out = capture();
    const code = await main(['demo', '--json'], out.io({}));
    const report = JSON.parse(out.stdout);
    expect(report.verification.checks.map((c: { ok: boolean }) => c.ok)).toEqual([true, true, true, true]);
    expect(code).toBe(0);
    // The whole loop: followed to the end, and reconcile names exactly what the sandboxes were told.
    const told = report.verification.instructions as { refundNo: string; vendor: string; expect: string }[];
    expect(told.map((i) => `${i.vendor} ${i.expect}`)).toEqual([
      'kingdee refused',
      'kingdee done',
      'wangdian refused',
      'wangdian different',
      'wangdian stuck',
    ]);
    type Entry = { refundNo: string; vendor: string; verdict: string; versionNo: number; reason: string | null };
    const person = (report.reconcile.entries as Entry[]).filter((e) => e.verdict !== 'done');
    const changedAtKingdee = person.filter((e) => e.vendor === 'kingdee' && e.versionNo > 1);
    expect(changedAtKingdee).toHaveLength(report.verification.kingdeeRefusedChanges);
    expect(
      person.filter((e) => !changedAtKingdee.includes(e)).map((e) => `${e.vendor} ${e.refundNo} ${e.verdict}`),
    ).toEqual(told.filter((i) => i.expect !== 'done').map((i) => `${i.vendor} ${i.refundNo} ${i.expect}`));
    expect(report.reconcile.outcome).toBe('needs-person');
    expect(report.follow.open).toEqual({ kingdee: 0, wangdian: 1 });
    expect(report.intake.invalid.length).toBe(13);
    expect(report.intake.duplicates).toBe(10);
    expect(report.intake.newRefunds).toBe(300);
    expect(report.intake.newVersions).toBe(9);
    expect(report.verification.kingdeeRefusedChanges).toBeGreaterThanOrEqual(3);
    // Kingdee refused its changed versions and the refund its channel was told to refuse.
    expect(report.run.kingdee.failed).toBe(report.verification.kingdeeRefusedChanges + 1);
    // No secret, signature, token or buyer data reaches the output.
    expect(findLeaks(out.stdout + out.stderr)).toEqual([]);
  });

  it('prints each pass header once, before that pass’s progress and report', async () => {
    const out = capture();
    expect(await main(['demo', '--faults', '0'], out.io({}))).toBe(0);
    const all = out.stdout + out.stderr;
    for (const header of ['pass 1: refunds.jsonl', 'pass 2: refunds-update.csv']) {
      expect(all.split(header).length - 1).toBe(1);
    }
    expect(out.stdout.indexOf('pass 1: refunds.jsonl')).toBeLessThan(out.stdout.indexOf('read 321 records'));
    expect(out.stderr).toContain('Kingdee: 300 refunds to deliver');
    expect(out.stderr).not.toMatch(/\b1 retries\b/);
    // Every line of the README's sample output is a line of the real output, up to paths and numbers.
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const sample = /The output, shortened[^`]*```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample).toBeDefined();
    const realLines = all.split('\n');
    for (const line of sample!.split('\n').filter((l) => l.trim())) {
      const pattern = line
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace('/path/to/', '/.*/')
        .replace(/\d+/g, '\\d+')
        .replace(/\\d\+ (retries|retry)$/, '\\d+ retr(y|ies)')
        .replace(/ +/g, ' +');
      expect(
        realLines.some((real) => new RegExp(`^${pattern}$`).test(real)),
        line,
      ).toBe(true);
    }
  });
});

describe('refund-relay push (sandboxes over HTTP as the vendors)', () => {
  it('reports invalid records with file, line and paths, stores duplicates once and changes as versions', async () => {
    const { records } = generateSampleRefunds({ count: 12, seed: 11, batch: 'A' });
    const valid = validSampleRecords(records).slice(0, 6);
    const [a, b, c, d, e, f] = valid;
    const db = join(dir, 'intake.db');
    const jsonl = write('day1.jsonl', [a, b, a, { ...c, lines: [] }].map((r) => JSON.stringify(r)).join('\n'));
    const json = write('day1.json', JSON.stringify([d, e, { ...b, actualAmount: Number(b!.actualAmount) }], null, 2));
    const csv = write('day1.csv', refundInputsToCsv([f!, { ...a!, status: 'cancelled', version: '2' }]));
    const out = capture();
    const code = await main(['push', jsonl, json, csv, '--db', db, '--json', ...FAST_FLAGS], out.io(s.env));
    const report = JSON.parse(out.stdout);
    expect(report.intake).toMatchObject({ records: 9, newRefunds: 5, duplicates: 2, newVersions: 1 });
    expect(report.intake.invalid).toEqual([
      {
        file: jsonl,
        line: 4,
        refundNo: c!.refundNo,
        issues: [{ path: 'lines', message: 'must contain at least one line' }],
      },
    ]);
    expect(report.targets.kingdee).toBe(s.env.KINGDEE_BASE_URL);
    expect(code).toBe(2); // one record was invalid
    const deliveries = await listDeliveries(db);
    expect(deliveries.every((delivery) => delivery.state === 'delivered')).toBe(true);
    expect(deliveries.filter((delivery) => delivery.refundNo === a!.refundNo).map((x) => x.versionNo)).toEqual([
      1, 1, 2, 2,
    ]);
    // Wangdian took the update; Kingdee's body did not change (status is not part of it), so it answered idempotently.
    const row = s.wd.getRefund(String(a!.refundNo), parseRefund(a).lines[0]!.subOrderId);
    expect(row?.row.status).toBe(1);
    expect(s.kd.refunds.get(String(a!.refundNo))?.saves).toBe(2);

    // Pushing the same files again stores nothing new and sends nothing.
    const requestsBefore = s.kd.counters.requests + s.wd.counters.requests;
    const again = capture();
    await main(['push', jsonl, json, '--db', db, '--json', ...FAST_FLAGS], again.io(s.env));
    // a's version 1 comes back in day1.jsonl: content seen before is a duplicate, never a step back.
    expect(JSON.parse(again.stdout).intake).toMatchObject({ newRefunds: 0, newVersions: 0, duplicates: 6 });
    expect(s.kd.counters.requests + s.wd.counters.requests).toBe(requestsBefore);
  });

  it('records Kingdee refusing a changed amount as failed with the reason; status and retry report it', async () => {
    const { records } = generateSampleRefunds({ count: 5, seed: 12, batch: 'B' });
    const refund = validSampleRecords(records)[0]!;
    const db = join(dir, 'changed.db');
    const first = write('changed-1.jsonl', JSON.stringify(refund));
    const lines = (refund.lines as Record<string, string>[]).map((line) => ({ ...line, actualAmount: '1.00' }));
    const changed = { ...refund, version: '2', lines, actualAmount: (lines.length * 1).toFixed(2) };
    const second = write('changed-2.jsonl', JSON.stringify(changed));
    expect(await main(['push', first, '--db', db, ...FAST_FLAGS], capture().io(s.env))).toBe(0);
    const out = capture();
    expect(await main(['push', second, '--db', db, ...FAST_FLAGS], out.io(s.env))).toBe(2);
    expect(out.stderr).toMatch(/failed Kingdee .* refused a changed refund_amount/);
    expect(out.stderr).not.toContain(String((refund.buyer as { nick: string }).nick));

    const status = capture();
    expect(await main(['status', '--failed', '--db', db], status.io({}))).toBe(2);
    expect(status.stdout).toMatch(/failed +Kingdee +RF\S+ v2 after 1 attempt: BUSINESS Kingdee keeps refund/);
    const json = capture();
    await main(['status', '--json', '--db', db], json.io({}));
    expect(JSON.parse(json.stdout).outbox.counts).toMatchObject({
      kingdee: { delivered: 1, failed: 1 },
      wangdian: { delivered: 2 },
    });

    // retry sends it again; Kingdee still refuses, and the stored state stays the first version.
    const retry = capture();
    expect(await main(['retry', '--db', db, '--json', ...FAST_FLAGS], retry.io(s.env))).toBe(2);
    expect(JSON.parse(retry.stdout)).toMatchObject({ requeued: 1, run: { kingdee: { failed: 1 } } });
    expect(s.kd.refunds.get(String(refund.refundNo))?.body.refund_amount).not.toBe(String(lines.length * 100));
  });

  it('records a refund the Kingdee payment channel refused as failed with the channel’s reason', async () => {
    const { records } = generateSampleRefunds({ count: 5, seed: 12, batch: 'R' });
    const refund = validSampleRecords(records)[0]!;
    s.kd.setRefundOutcome(String(refund.refundNo), { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' });
    const db = join(dir, 'refused.db');
    const out = capture();
    expect(
      await main(['push', write('refused.jsonl', JSON.stringify(refund)), '--db', db, ...FAST_FLAGS], out.io(s.env)),
    ).toBe(2);
    expect(out.stderr).toMatch(/failed Kingdee .*refused by the payment channel: 余额不足/);
    const json = capture();
    await main(['status', '--json', '--db', db], json.io({}));
    expect(JSON.parse(json.stdout).outbox.counts).toMatchObject({ kingdee: { failed: 1 }, wangdian: { delivered: 1 } });
    const deliveries = await listDeliveries(db);
    expect(deliveries.find((d) => d.vendor === 'kingdee')).toMatchObject({
      state: 'failed',
      errorCode: 'BUSINESS',
      errorMessage: expect.stringContaining('余额不足'),
    });
  });

  it('loses nothing and delivers nothing twice with 20% injected faults across both vendors', async () => {
    const { records } = generateSampleRefunds({ count: 150, seed: 99, batch: 'C' });
    const file = write('faulty.jsonl', records.map((r) => JSON.stringify(r)).join('\n'));
    const db = join(dir, 'faults.db');
    s.kd.setFaults([
      { kind: 'http-503', rate: 0.05 },
      { kind: 'overload', route: 'refundSave', rate: 0.05 },
      { kind: 'reset', rate: 0.04 },
      { kind: 'drop-response-after-commit', route: 'refundSave', rate: 0.06 },
    ]);
    s.wd.setFaults([
      { kind: 'http-502', rate: 0.05 },
      { kind: 'overload', rate: 0.05 },
      { kind: 'truncated-body', rate: 0.04 },
      { kind: 'drop-response-after-commit', rate: 0.06 },
    ]);
    const before = storedAtVendors(s);
    const out = capture();
    try {
      await main(
        ['push', file, '--db', db, '--json', '--max-attempts', '30', '--wangdian-batch', '5', ...FAST_FLAGS],
        out.io(s.env),
      );
    } finally {
      s.kd.clearFaults();
      s.wd.clearFaults();
    }
    const report = JSON.parse(out.stdout);
    expect(s.kd.counters.faultsInjected).toBeGreaterThan(10);
    expect(s.wd.counters.faultsInjected).toBeGreaterThan(2);
    expect(report.outbox.counts.kingdee).toMatchObject({ delivered: 150, pending: 0, failed: 0, dead: 0 });
    expect(report.outbox.counts.wangdian).toMatchObject({ delivered: 150, pending: 0, failed: 0, dead: 0 });
    const after = storedAtVendors(s);
    const refunds = (await listDeliveries(db))
      .filter((d) => d.vendor === 'kingdee')
      .map((d) => parseRefund(JSON.parse(d.body)));
    const rows = refunds.reduce((sum, r) => sum + r.lines.length, 0);
    // Exactly once: every refund stored at each vendor, and each created there once (re-sends were replays/no-ops).
    for (const refund of refunds) {
      expect(after.kingdee.has(refund.refundNo)).toBe(true);
      expect(after.wangdian.has(refund.refundNo)).toBe(true);
    }
    expect(after.kingdeeCreated - before.kingdeeCreated).toBe(150);
    expect(after.wangdianRowsCreated - before.wangdianRowsCreated).toBe(rows);
    expect(after.wangdianRows - before.wangdianRows).toBe(rows);
  });
});
