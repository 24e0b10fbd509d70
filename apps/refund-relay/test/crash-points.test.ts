// The crash suite: the built relay CLI, as a child process, sends itself SIGKILL at five exact points of its work
// (the test hook REFUND_RELAY_CRASH_AT=<point>[:<n>], see src/test-hook.ts), and is then run again on the same SQLite
// outbox. The sandboxes' stored state and counters judge the end: every refund stored and created exactly once at
// each vendor, and nothing delivered before the crash sent again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Refund } from '@refundkit/refund-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks } from '../../../test-support/leak-patterns.js';
import type { DeliveryRecord, Vendor } from '../src/outbox-store.js';
import { INTAKE_CHUNK } from '../src/refund-intake.js';
import { openSqliteOutbox } from '../src/sqlite-outbox-store.js';
import { CRASH_AT_ENV, type CrashPoint } from '../src/test-hook.js';
import { sampleRefunds, tempDir } from '../src/test-support.js';
import { buildRelay, type RelayRun, runRelay } from './relay-process.js';
import { recordFigures } from './reliability-figures.js';
import { FAST_FLAGS, type Sandboxes, startSandboxes } from './sandbox-env.js';

let s: Sandboxes;
let dir: string;
let cleanup: () => void;
const figures: Record<string, unknown>[] = [];

beforeAll(async () => {
  buildRelay();
  s = await startSandboxes();
  ({ dir, cleanup } = tempDir('refund-relay-crash-'));
}, 300_000);
afterAll(async () => {
  await s?.close();
  cleanup?.();
  recordFigures('crashSuite', { pointsExercised: figures.length, runs: figures });
});

async function deliveriesIn(db: string): Promise<DeliveryRecord[]> {
  const store = openSqliteOutbox({ path: db, readonly: true });
  try {
    return await store.listDeliveries();
  } finally {
    await store.close();
  }
}

/** Waits for a run to end; its output must hold no secret. */
async function ended(run: RelayRun) {
  const exit = await run.exit;
  expect(findLeaks(run.stdout() + run.stderr())).toEqual([]);
  return exit;
}

/** Whether a vendor sandbox holds a refund (Kingdee by number; Wangdian every line's row). */
function storedAt(vendor: string, refund: Refund): boolean {
  if (vendor === 'kingdee') return s.kd.refunds.has(refund.refundNo);
  return refund.lines.every((line) => s.wd.getRefund(refund.refundNo, line.subOrderId) !== undefined);
}

/** What the outbox and the sandboxes look like right after the kill. */
interface AtKill {
  deliveries: DeliveryRecord[];
  refunds: Refund[];
  byNo: Map<string, Refund>;
}

interface Scenario {
  point: CrashPoint;
  /** Count only this vendor's arrivals at the point. */
  vendor?: Vendor;
  nth: number;
  /** What proves the relay died at that point. */
  check(state: AtKill): void;
}

/**
 * A kill inside the recording transaction of a claim of several `vendor` deliveries (a Wangdian upload of several
 * refunds, or a Kingdee claim's calls): the vendor stored every refund of the claim and their results were written,
 * not committed. An earlier claim's are delivered; this claim's are all still in flight.
 */
function midBatch(vendor: Vendor): Scenario {
  return {
    point: 'mid-batch',
    vendor,
    nth: 2,
    check({ deliveries, byNo }) {
      const ofVendor = deliveries.filter((d) => d.vendor === vendor);
      expect(ofVendor.some((d) => d.state === 'delivered')).toBe(true);
      const sentUnrecorded = ofVendor.filter((d) => d.state === 'in_flight' && storedAt(vendor, byNo.get(d.refundNo)!));
      expect(sentUnrecorded.length).toBeGreaterThan(1);
    },
  };
}

const SCENARIOS: Scenario[] = [
  {
    point: 'intake',
    nth: 20,
    check({ deliveries, refunds }) {
      // The chunk holding the 20th record was written (each record with its two deliveries), the rest not; nothing sent.
      const written = Math.min(refunds.length, Math.ceil(20 / INTAKE_CHUNK) * INTAKE_CHUNK);
      expect(written).toBeLessThan(refunds.length);
      expect(deliveries).toHaveLength(2 * written);
      expect(deliveries.every((d) => d.state === 'pending')).toBe(true);
      expect(s.kd.counters.requests + s.wd.counters.requests).toBe(0);
    },
  },
  {
    point: 'before-send',
    nth: 1,
    check({ deliveries }) {
      // The first batch is claimed (in flight, attempt counted) but no vendor call was made.
      expect(deliveries.some((d) => d.state === 'in_flight' && d.attempts === 1)).toBe(true);
      expect(deliveries.some((d) => d.state === 'delivered')).toBe(false);
      expect(s.kd.counters.requests + s.wd.counters.requests).toBe(0);
    },
  },
  midBatch('wangdian'),
  midBatch('kingdee'),
  {
    point: 'after-answer',
    nth: 8,
    check({ deliveries, byNo }) {
      // The vendor stored what the eighth call carried; the outbox still has it in flight.
      const sentUnrecorded = deliveries.filter(
        (d) => d.state === 'in_flight' && storedAt(d.vendor, byNo.get(d.refundNo)!),
      );
      expect(sentUnrecorded.length).toBeGreaterThan(0);
    },
  },
  {
    point: 'after-commit',
    nth: 30,
    check({ deliveries }) {
      // At least the 30 committed deliveries are delivered (another worker may have committed just before).
      expect(deliveries.filter((d) => d.state === 'delivered').length).toBeGreaterThanOrEqual(30);
      expect(deliveries.some((d) => d.state !== 'delivered')).toBe(true);
    },
  },
];

/** Runs `push` with the crash hook set, checks the kill, resumes with `resume`, and judges the sandboxes. */
async function crashAndResume(scenario: Scenario, index: number) {
  s.kd.reset();
  s.wd.reset();
  const refunds = sampleRefunds(60, 40 + index, `Q${index}`);
  expect(refunds.length).toBeGreaterThan(50);
  const byNo = new Map(refunds.map((refund) => [refund.refundNo, refund]));
  const rows = refunds.reduce((sum, refund) => sum + refund.lines.length, 0);
  const file = join(dir, `crash-${index}-${scenario.point}.jsonl`);
  writeFileSync(file, refunds.map((refund) => JSON.stringify(refund)).join('\n'));
  const db = join(dir, `crash-${index}-${scenario.point}.db`);
  const flags = ['--db', db, '--wangdian-batch', '10', '--kingdee-concurrency', '3', ...FAST_FLAGS];

  const crashAt = `${scenario.point}${scenario.vendor ? `@${scenario.vendor}` : ''}:${scenario.nth}`;
  const first = runRelay(['push', file, ...flags], { ...s.env, [CRASH_AT_ENV]: crashAt }, dir);
  const killed = await ended(first);
  expect(killed, first.stderr()).toEqual({ code: null, signal: 'SIGKILL' });

  const atKill = await deliveriesIn(db);
  scenario.check({ deliveries: atKill, refunds, byNo });
  const deliveredAtKill = (vendor: string) =>
    new Set(atKill.filter((d) => d.vendor === vendor && d.state === 'delivered').map((d) => d.refundNo));
  const kingdeeDone = deliveredAtKill('kingdee');
  const wangdianDone = deliveredAtKill('wangdian');
  const savesBefore = s.kd.counters.saves;
  const rowsBefore = s.wd.counters.rows;

  // Resume on the same outbox: a crash during intake is resumed by pushing the same file again.
  const resumeArgs = scenario.point === 'intake' ? ['push', file] : ['deliver'];
  const resume = runRelay([...resumeArgs, ...flags], s.env, dir);
  const resumed = await ended(resume);
  expect(resumed, resume.stderr()).toEqual({ code: 0, signal: null });
  // Exactly the deliveries left in flight by the kill are recovered and re-sent.
  const inFlightAtKill = atKill.filter((d) => d.state === 'in_flight').length;
  if (inFlightAtKill > 0) expect(resume.stdout()).toContain(`recovered ${inFlightAtKill} in-flight deliver`);
  else expect(resume.stdout()).not.toContain('in-flight deliver');

  // Every refund delivered once per vendor in the outbox…
  const final = await deliveriesIn(db);
  expect(final).toHaveLength(2 * refunds.length);
  expect(final.every((d) => d.state === 'delivered')).toBe(true);
  // …stored at each vendor and created there exactly once…
  expect([...s.kd.refunds.keys()].sort()).toEqual([...byNo.keys()].sort());
  expect(s.kd.counters.newRefunds).toBe(refunds.length);
  for (const refund of refunds) expect(storedAt('wangdian', refund)).toBe(true);
  expect(s.wd.refunds.size).toBe(rows);
  expect(s.wd.counters.newRows).toBe(rows);
  // …and the resumed run sent exactly what was not recorded delivered: nothing delivered went out again.
  const rowsLeft = refunds.filter((r) => !wangdianDone.has(r.refundNo)).reduce((n, r) => n + r.lines.length, 0);
  // Sends of what the outbox had already recorded delivered before the kill (each one a duplicate delivery).
  const duplicates =
    s.kd.counters.saves -
    savesBefore -
    (refunds.length - kingdeeDone.size) +
    (s.wd.counters.rows - rowsBefore - rowsLeft);
  expect(duplicates).toBe(0);
  const lost = final.filter((d) => d.state !== 'delivered').length;

  figures.push({
    point: scenario.point,
    crashAt,
    refunds: refunds.length,
    atKill: {
      inFlight: inFlightAtKill,
      delivered: atKill.filter((d) => d.state === 'delivered').length,
      pending: atKill.filter((d) => d.state === 'pending').length,
      notYetInOutbox: 2 * refunds.length - atKill.length,
    },
    resentAfterCrash: {
      kingdeeReplays: s.kd.counters.replays,
      wangdianUnchangedRows: s.wd.counters.unchangedRows,
    },
    deliveredOncePerVendor: s.kd.counters.newRefunds === refunds.length && s.wd.counters.newRows === rows,
    lost,
    duplicates,
  });
}

describe('relay CLI killed with SIGKILL at an exact point, then resumed', () => {
  SCENARIOS.forEach((scenario, index) => {
    it(`${scenario.point}${scenario.vendor ? `@${scenario.vendor}` : ''}:${scenario.nth}: resumes to exactly one delivery per refund per vendor`, async () => {
      await crashAndResume(scenario, index);
    }, 120_000);
  });

  it('survives a kill at every point in turn on one outbox, then finishes', async () => {
    s.kd.reset();
    s.wd.reset();
    const refunds = sampleRefunds(80, 77, 'QC');
    expect(refunds.length).toBeGreaterThan(70);
    const rows = refunds.reduce((sum, refund) => sum + refund.lines.length, 0);
    const file = join(dir, 'chain.jsonl');
    writeFileSync(file, refunds.map((refund) => JSON.stringify(refund)).join('\n'));
    const flags = [
      '--db',
      join(dir, 'chain.db'),
      '--wangdian-batch',
      '10',
      '--kingdee-concurrency',
      '3',
      ...FAST_FLAGS,
    ];
    const steps: [string[], string][] = [
      [['push', file], 'intake:30'],
      [['push', file], 'before-send:3'],
      [['deliver'], 'mid-batch:1'],
      [['deliver'], 'after-answer:5'],
      [['deliver'], 'after-commit:20'],
    ];
    for (const [args, crashAt] of steps) {
      const run = runRelay([...args, ...flags], { ...s.env, [CRASH_AT_ENV]: crashAt }, dir);
      expect(await ended(run), `${crashAt}\n${run.stderr()}`).toEqual({ code: null, signal: 'SIGKILL' });
    }
    const last = runRelay(['deliver', ...flags], s.env, dir);
    expect(await ended(last), last.stderr()).toEqual({ code: 0, signal: null });
    const final = await deliveriesIn(join(dir, 'chain.db'));
    const lost = final.filter((d) => d.state !== 'delivered').length;
    expect(lost).toBe(0);
    expect([...s.kd.refunds.keys()].sort()).toEqual(refunds.map((r) => r.refundNo).sort());
    expect(s.kd.counters.newRefunds).toBe(refunds.length);
    expect(s.wd.refunds.size).toBe(rows);
    expect(s.wd.counters.newRows).toBe(rows);
    figures.push({
      chain: steps.map(([, crashAt]) => crashAt).join(' → '),
      refunds: refunds.length,
      lost,
      // Refunds or rows created at a vendor beyond one per refund line: a duplicate delivery.
      duplicates: s.kd.counters.newRefunds - refunds.length + (s.wd.counters.newRows - rows),
    });
  }, 180_000);
});
