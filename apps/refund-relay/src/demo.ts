import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRefund } from '@refundkit/refund-model';
import type { KingdeeFault, KingdeeSandbox, WangdianFault, WangdianSandbox } from '@refundkit/sandbox';
import { type RelayClock, systemClock } from './clock.js';
import type { DeliveryTally } from './delivery-scheduler.js';
import { formatFollowRun } from './follow-report.js';
import type { DeliveryRecord, OutboxStore, Vendor } from './outbox-store.js';
import { VENDOR_LABELS } from './progress-reporter.js';
import { buildReconcileReport } from './reconcile-command.js';
import { formatReconcileReport, type ReconcileReport, type ReconcileVerdict } from './reconcile-report.js';
import type { FollowRun } from './refund-follower.js';
import { type IntakeReport, takeInFiles } from './refund-intake.js';
import type { CommandIo, CommandResult } from './relay-commands.js';
import { deliverOutbox, followOutbox, snapshotOutbox } from './relay-commands.js';
import type { RelayConfig } from './relay-config.js';
import { allDelivered, formatRunReport, formatRunTable, type RelayReport } from './relay-report.js';
import { openSqliteOutbox } from './sqlite-outbox-store.js';
import { connectVendors } from './vendor-connections.js';

/** The bundled sample files, found beside `src/` and `dist/` alike. */
export const SAMPLE_DIR = fileURLToPath(new URL('../samples/', import.meta.url));

/** The demo's first file (the day's export) and second file (later changes), in the bundled sample folder. */
export const DEMO_FILES = ['refunds.jsonl', 'refunds-update.csv'] as const;

/** Options of `runDemo`. */
export interface DemoOptions {
  /** Share (0–1) of vendor calls the sandboxes fail (5xx, overload, dropped answers after saving); default 0.1. */
  faultRate?: number;
  /** Keep the outbox file (a temporary one is removed otherwise). */
  keepDb?: boolean;
  /** Where the sample files are (default the bundled ones). */
  sampleDir?: string;
}

/** The sandbox faults the demo injects: server errors, overload answers and answers lost after the vendor saved. */
export function demoFaults(rate: number): { kingdee: KingdeeFault[]; wangdian: WangdianFault[] } {
  if (rate <= 0) return { kingdee: [], wangdian: [] };
  const share = rate / 3;
  return {
    kingdee: [
      { kind: 'http-503', route: 'refundSave', rate: share },
      { kind: 'overload', route: 'refundSave', rate: share },
      { kind: 'drop-response-after-commit', route: 'refundSave', rate: share },
    ],
    wangdian: [
      { kind: 'http-502', rate: share },
      { kind: 'overload', rate: share },
      { kind: 'drop-response-after-commit', rate: share },
    ],
  };
}

/** The business time one follow pass of the demo moves both sandboxes on: one Wangdian ERP step. */
const DEMO_PASS_MS = 3_600_000;

/** How long the demo follows, in business time: long enough for the held 退换单 to count as stuck (a day). */
const DEMO_FOLLOW_MS = 36 * DEMO_PASS_MS;

/** What the demo tells the sandboxes to do with one refund, and what reconcile must then say of it. */
export interface DemoInstruction {
  refundNo: string;
  vendor: Vendor;
  /** What the sandbox was told, in words. */
  told: string;
  /** The verdict reconcile must reach. */
  expect: ReconcileVerdict;
}

/**
 * Picks five refunds of the day's export that the later changes leave alone and tells the sandboxes what to do with
 * them: Kingdee's channel refuses one and keeps one pending for three business hours (it then succeeds), Wangdian's
 * upload2 refuses one row, its ERP holds another amount for one and keeps one 退换单 in review.
 */
function instructSandboxes(
  refundNos: readonly string[],
  sandboxes: { kingdee?: KingdeeSandbox; wangdian?: WangdianSandbox },
  changedLater: string,
): DemoInstruction[] {
  const kd = sandboxes.kingdee!;
  const wd = sandboxes.wangdian!;
  const [refused, pending, rowRefused, held, review] = refundNos.filter((no) => !changedLater.includes(no)).slice(6);
  kd.setRefundOutcome(refused!, { kind: 'refused', err: 'NOTENOUGH', msg: '余额不足' });
  kd.setRefundOutcome(pending!, { kind: 'pending', resolvesAfterMs: 3 * DEMO_PASS_MS });
  wd.erp.refuseUpload2(rowRefused!, '原始单不存在');
  wd.erp.holdAmount(held!, '0.01');
  wd.erp.holdInReview(review!);
  return [
    { refundNo: refused!, vendor: 'kingdee', told: 'the channel refuses it (余额不足)', expect: 'refused' },
    { refundNo: pending!, vendor: 'kingdee', told: 'the channel keeps it pending for 3h', expect: 'done' },
    { refundNo: rowRefused!, vendor: 'wangdian', told: 'upload2 refuses its row (原始单不存在)', expect: 'refused' },
    { refundNo: held!, vendor: 'wangdian', told: 'the ERP holds 0.01 as its amount', expect: 'different' },
    { refundNo: review!, vendor: 'wangdian', told: 'the ERP keeps its 退换单 in review', expect: 'stuck' },
  ];
}

/** What the demo checked against the sandboxes' stored state. */
export interface DemoVerification {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  /** Changed versions Kingdee refused (expected: Kingdee keeps the first version of a refund). */
  kingdeeRefusedChanges: number;
  /** What the sandboxes were told to do with a few refunds. */
  instructions: DemoInstruction[];
}

/**
 * The demo: starts both sandboxes in-process (with injected faults) on a clock of its own, tells them what to do with
 * five refunds (refuse, keep pending, hold another amount, keep in review), relays the bundled sample through a fresh
 * SQLite outbox in two passes (the day's JSON Lines export, then a CSV of later changes), follows every delivered
 * refund to its end with both vendors' business clocks moved one hour a pass (no real waiting), prints a reconcile
 * summary naming what the sandboxes were told, and checks the sandboxes' stored state: every valid refund stored
 * exactly once at each vendor (but the rows upload2 refused), Wangdian holding the latest version, Kingdee the first
 * (it refuses changed versions, which the demo expects and reports), and reconcile reaching the verdict each
 * instruction calls for. Exit code 0 when all of it holds; invalid sample records are reported as invalid.
 */
export async function runDemo(
  config: RelayConfig,
  io: CommandIo,
  options: DemoOptions = {},
): Promise<CommandResult & { verification: DemoVerification; reconcile: ReconcileReport; follow: FollowRun }> {
  const base = io.clock ?? systemClock;
  // The demo's business time: real time plus what following moved on. Delivery sleeps for real; following sleeps by
  // moving the clock, which both sandboxes and both clients read, so the vendors' work moves on without waiting.
  let movedMs = 0;
  const clock: RelayClock = { now: () => base.now() + movedMs, sleep: base.sleep };
  const followClock: RelayClock = {
    now: clock.now,
    sleep: async (ms) => {
      movedMs += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  const demoIo: CommandIo = { ...io, clock };
  const temporary = config.db === '' ? mkdtempSync(join(tmpdir(), 'refund-relay-demo-')) : undefined;
  const db = temporary ? join(temporary, 'outbox.db') : config.db;
  const demoConfig: RelayConfig = {
    ...config,
    db,
    sandbox: true,
    // upload2, so the row the ERP was told to refuse shows in error_list.
    wangdian: { ...config.wangdian, push: 'upload2' },
    follow: { ...config.follow, timeoutMs: DEMO_FOLLOW_MS, intervalMs: DEMO_PASS_MS },
  };
  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  const faults = demoFaults(options.faultRate ?? 0.1);
  const store = openSqliteOutbox({ path: db, allowSharedFile: config.allowSharedDatabaseFile });
  try {
    const { recovered } = await store.open({ now: clock.now() });
    const connections = await connectVendors(demoConfig, { env: {}, sandboxFaults: faults, clock });
    try {
      if (!config.json) {
        io.stderr(
          `refund-relay demo: Kingdee and Wangdian sandboxes in-process, ${Math.round((options.faultRate ?? 0.1) * 100)}% ` +
            `of vendor calls faulted, outbox ${db}\n`,
        );
      }
      const passes: RelayReport[] = [];
      let instructions: DemoInstruction[] = [];
      for (const [index, name] of DEMO_FILES.entries()) {
        const file = join(sampleDir, name);
        // The header once, on stdout before the pass's progress (stderr) and its report (stdout).
        if (!config.json) io.stdout(`\npass ${index + 1}: ${name}\n`);
        const intake = await takeInFiles(store, [file], { now: () => clock.now() });
        if (index === 0) {
          const stored = [...new Set((await store.listDeliveries()).map((d) => d.refundNo))];
          const later = readFileSync(join(sampleDir, DEMO_FILES[1]), 'utf8');
          instructions = instructSandboxes(stored, connections.sandboxes, later);
          if (!config.json) io.stdout(`${formatInstructions(instructions)}\n`);
        }
        const run = await deliverOutbox(store, demoConfig, connections, demoIo);
        const outbox = await snapshotOutbox(store);
        const report: RelayReport = {
          command: 'demo',
          db,
          targets: connections.targets,
          intake,
          ...(index === 0 ? { recovered } : {}),
          run,
          outbox,
          ok: allDelivered(outbox.counts),
        };
        passes.push(report);
        if (!config.json) io.stdout(`${formatRunReport(report)}\n`);
      }
      const follow = await followOutbox(
        store,
        demoConfig,
        connections,
        { ...io, clock: followClock },
        { untilFinal: true },
      );
      const lifecycle = await store.lifecycleCounts();
      if (!config.json) {
        io.stdout(
          `\nfollowing, both vendors' business clocks moved 1h a pass:\n${formatFollowRun(follow, lifecycle)}\n`,
        );
      }
      const reconcile = await buildReconcileReport(store, { now: clock.now(), db });
      const verification = await verifyDemo(store, connections.sandboxes, { instructions, reconcile });
      const last = passes.at(-1)!;
      const report: RelayReport = {
        ...last,
        intake: mergeIntake(passes.map((pass) => pass.intake!)),
        run: mergeRuns(passes.map((pass) => pass.run!)),
        follow,
        lifecycle,
        ok: verification.ok,
      };
      if (config.json) io.stdout(`${JSON.stringify({ ...report, passes, reconcile, verification }, null, 2)}\n`);
      else {
        io.stdout(
          `\nboth passes:\n${formatRunTable(report)}\n\n${formatReconcileReport(reconcile)}\n\n` +
            `${formatVerification(verification)}\n`,
        );
      }
      return { exitCode: verification.ok ? 0 : 2, report, verification, reconcile, follow };
    } finally {
      await connections.close();
    }
  } finally {
    await store.close();
    if (temporary && !options.keepDb) rmSync(temporary, { recursive: true, force: true });
  }
}

/** What the sandboxes were told, one line each. */
function formatInstructions(instructions: readonly DemoInstruction[]): string {
  return [
    'told the sandboxes:',
    ...instructions.map((i) => `  ${VENDOR_LABELS[i.vendor].padEnd(8)}  ${i.refundNo}  ${i.told}`),
  ].join('\n');
}

function mergeIntake(parts: IntakeReport[]): IntakeReport {
  const merged: IntakeReport = {
    files: parts.flatMap((p) => p.files),
    records: 0,
    newRefunds: 0,
    newVersions: 0,
    duplicates: 0,
    invalid: parts.flatMap((p) => p.invalid),
    changed: parts.flatMap((p) => p.changed),
    shops: new Set(parts.flatMap((p) => [...p.shops])),
  };
  Object.defineProperty(merged, 'shops', { enumerable: false });
  for (const p of parts) {
    merged.records += p.records;
    merged.newRefunds += p.newRefunds;
    merged.newVersions += p.newVersions;
    merged.duplicates += p.duplicates;
  }
  return merged;
}

function mergeRuns(parts: Record<Vendor, DeliveryTally>[]): Record<Vendor, DeliveryTally> {
  const total = (vendor: Vendor): DeliveryTally => {
    const sum = { delivered: 0, alreadyThere: 0, failed: 0, dead: 0, retries: 0, calls: 0 };
    for (const part of parts)
      for (const key of Object.keys(sum) as (keyof DeliveryTally)[]) sum[key] += part[vendor][key];
    return sum;
  };
  return { kingdee: total('kingdee'), wangdian: total('wangdian') };
}

/**
 * Checks the sandboxes' stored state against the outbox: each refund number stored once per vendor, no row created
 * twice, Wangdian holding every goods line of the latest version, Kingdee every refund with its first version's
 * amount, and every delivery delivered except Kingdee's refusals of changed versions.
 */
export async function verifyDemo(
  store: OutboxStore,
  sandboxes: { kingdee?: KingdeeSandbox; wangdian?: WangdianSandbox },
  told: { instructions: readonly DemoInstruction[]; reconcile: ReconcileReport },
): Promise<DemoVerification> {
  const { instructions, reconcile } = told;
  const refusedAt = (vendor: Vendor) =>
    new Set(instructions.filter((i) => i.vendor === vendor && i.expect === 'refused').map((i) => i.refundNo));
  const toldRefused = { kingdee: refusedAt('kingdee'), wangdian: refusedAt('wangdian') };
  const kd = sandboxes.kingdee!;
  const wd = sandboxes.wangdian!;
  const versions = await store.listDeliveries();
  const refundNos = [...new Set(versions.map((v) => v.refundNo))];
  const checks: DemoVerification['checks'] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const unexpected = versions.filter(
    (v) =>
      v.state !== 'delivered' &&
      !(v.vendor === 'kingdee' && v.versionNo > 1 && v.state === 'failed' && v.errorCode === 'BUSINESS') &&
      !(v.state === 'failed' && toldRefused[v.vendor].has(v.refundNo)),
  );
  const refused = versions.filter((v) => v.vendor === 'kingdee' && v.versionNo > 1 && v.state === 'failed').length;
  check(
    'deliveries',
    unexpected.length === 0,
    unexpected.length === 0
      ? `all ${versions.length} deliveries settled as expected (${refused} changed versions refused by Kingdee)`
      : `${unexpected.length} deliveries not delivered: ${unexpected
          .slice(0, 5)
          .map((v) => `${v.vendor} ${v.refundNo} v${v.versionNo} ${v.state}`)
          .join(', ')}`,
  );

  const kdCounters = kd.counters;
  const kdMissing = refundNos.filter((no) => !kd.refunds.has(no));
  check(
    'kingdee stored once',
    kd.refunds.size === refundNos.length && kdMissing.length === 0 && kdCounters.newRefunds === refundNos.length,
    `${kd.refunds.size} refunds stored for ${refundNos.length} refund numbers, ${kdCounters.newRefunds} created, ` +
      `${kdCounters.replays} idempotent replays`,
  );

  const latest = new Map<string, DeliveryRecord>();
  for (const v of versions)
    if (v.vendor === 'wangdian' && (latest.get(v.refundNo)?.versionNo ?? 0) < v.versionNo) latest.set(v.refundNo, v);
  let expectedRows = 0;
  let wrongRows = 0;
  for (const version of latest.values()) {
    if (toldRefused.wangdian.has(version.refundNo)) continue;
    const refund = parseRefund(JSON.parse(version.body));
    for (const line of refund.lines) {
      expectedRows++;
      const stored = wd.getRefund(refund.refundNo, line.subOrderId);
      if (!stored || String(stored.row.refund_version) !== refund.version) wrongRows++;
    }
  }
  const wdCounters = wd.counters;
  check(
    'wangdian stored once',
    wd.refunds.size === expectedRows && wrongRows === 0 && wdCounters.newRows === expectedRows,
    `${wd.refunds.size} rows stored for ${expectedRows} goods lines of ${latest.size - toldRefused.wangdian.size} refunds ` +
      `(latest versions; upload2 refused ${toldRefused.wangdian.size}), ${wdCounters.newRows} created, ` +
      `${wdCounters.changedRows} updated, ${wdCounters.unchangedRows} re-sent unchanged`,
  );

  // Reconcile names each refund the sandboxes were told about with its verdict, and needs a person for nothing else
  // but Kingdee's refusals of changed versions.
  const verdictOf = (i: DemoInstruction) =>
    reconcile.entries.find((e) => e.refundNo === i.refundNo && e.vendor === i.vendor)?.verdict;
  const wrong = instructions.filter((i) => verdictOf(i) !== i.expect);
  const toldAbout = new Set(instructions.map((i) => `${i.vendor} ${i.refundNo}`));
  const others = reconcile.entries.filter(
    (e) =>
      e.verdict !== 'done' &&
      !toldAbout.has(`${e.vendor} ${e.refundNo}`) &&
      !(e.vendor === 'kingdee' && e.verdict === 'refused' && e.versionNo > 1),
  );
  check(
    'reconcile',
    wrong.length === 0 && others.length === 0,
    wrong.length + others.length === 0
      ? `${instructions.length} refunds the sandboxes were told about reported as told (` +
          `${instructions.map((i) => i.expect.replace('_', ' ')).join(', ')}), every other refund done ` +
          `but ${refused} changed versions Kingdee refused`
      : [
          ...wrong.map((i) => `${i.vendor} ${i.refundNo}: ${verdictOf(i) ?? 'absent'}, expected ${i.expect}`),
          ...others.slice(0, 5).map((e) => `${e.vendor} ${e.refundNo} v${e.versionNo}: ${e.verdict}`),
        ].join('; '),
  );
  return { ok: checks.every((c) => c.ok), checks, kingdeeRefusedChanges: refused, instructions: [...instructions] };
}

function formatVerification(verification: DemoVerification): string {
  const lines = ['checked against the sandboxes’ stored state:'];
  for (const c of verification.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  if (verification.kingdeeRefusedChanges > 0) {
    lines.push(
      `  note: Kingdee keeps the first version of a refund and refused ${verification.kingdeeRefusedChanges} changed ` +
        'versions (recorded as failed with its reason; Wangdian took the updates)',
    );
  }
  lines.push(
    verification.ok
      ? 'demo ok: every valid refund reached both vendors exactly once, and reconcile named what the sandboxes were told'
      : 'demo FAILED',
  );
  return lines.join('\n');
}
