import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRefund } from '@refundkit/refund-model';
import type { KingdeeFault, KingdeeSandbox, WangdianFault, WangdianSandbox } from '@refundkit/sandbox';
import { systemClock } from './clock.js';
import type { DeliveryTally } from './delivery-scheduler.js';
import type { DeliveryRecord, OutboxStore, Vendor } from './outbox-store.js';
import { type IntakeReport, takeInFiles } from './refund-intake.js';
import type { CommandIo, CommandResult } from './relay-commands.js';
import { deliverOutbox, snapshotOutbox } from './relay-commands.js';
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

/** What the demo checked against the sandboxes' stored state. */
export interface DemoVerification {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  /** Changed versions Kingdee refused (expected: Kingdee keeps the first version of a refund). */
  kingdeeRefusedChanges: number;
}

/**
 * The demo: starts both sandboxes in-process (with injected faults), relays the bundled sample through a fresh SQLite
 * outbox in two passes (the day's JSON Lines export, then a CSV of later changes), prints progress and the summary,
 * and checks the sandboxes' stored state: every valid refund stored exactly once at each vendor, Wangdian holding the
 * latest version, Kingdee the first (it refuses changed versions, which the demo expects and reports). Exit code 0
 * when that expected set was delivered; invalid sample records are reported as invalid, not as failures.
 */
export async function runDemo(
  config: RelayConfig,
  io: CommandIo,
  options: DemoOptions = {},
): Promise<CommandResult & { verification: DemoVerification }> {
  const clock = io.clock ?? systemClock;
  const temporary = config.db === '' ? mkdtempSync(join(tmpdir(), 'refund-relay-demo-')) : undefined;
  const db = temporary ? join(temporary, 'outbox.db') : config.db;
  const demoConfig: RelayConfig = { ...config, db, sandbox: true };
  const sampleDir = options.sampleDir ?? SAMPLE_DIR;
  const faults = demoFaults(options.faultRate ?? 0.1);
  const store = openSqliteOutbox({ path: db, allowSharedFile: config.allowSharedDatabaseFile });
  try {
    const { recovered } = await store.open({ now: clock.now() });
    const connections = await connectVendors(demoConfig, { env: {}, sandboxFaults: faults });
    try {
      if (!config.json) {
        io.stderr(
          `refund-relay demo: Kingdee and Wangdian sandboxes in-process, ${Math.round((options.faultRate ?? 0.1) * 100)}% ` +
            `of vendor calls faulted, outbox ${db}\n`,
        );
      }
      const passes: RelayReport[] = [];
      for (const [index, name] of DEMO_FILES.entries()) {
        const file = join(sampleDir, name);
        // The header once, on stdout before the pass's progress (stderr) and its report (stdout).
        if (!config.json) io.stdout(`\npass ${index + 1}: ${name}\n`);
        const intake = await takeInFiles(store, [file], { now: () => clock.now() });
        const run = await deliverOutbox(store, demoConfig, connections, io);
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
      const verification = await verifyDemo(store, connections.sandboxes);
      const last = passes.at(-1)!;
      const report: RelayReport = {
        ...last,
        intake: mergeIntake(passes.map((pass) => pass.intake!)),
        run: mergeRuns(passes.map((pass) => pass.run!)),
        ok: verification.ok,
      };
      if (config.json) io.stdout(`${JSON.stringify({ ...report, passes, verification }, null, 2)}\n`);
      else io.stdout(`\nboth passes:\n${formatRunTable(report)}\n\n${formatVerification(verification)}\n`);
      return { exitCode: verification.ok ? 0 : 2, report, verification };
    } finally {
      await connections.close();
    }
  } finally {
    await store.close();
    if (temporary && !options.keepDb) rmSync(temporary, { recursive: true, force: true });
  }
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
): Promise<DemoVerification> {
  const kd = sandboxes.kingdee!;
  const wd = sandboxes.wangdian!;
  const versions = await store.listDeliveries();
  const refundNos = [...new Set(versions.map((v) => v.refundNo))];
  const checks: DemoVerification['checks'] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const unexpected = versions.filter(
    (v) =>
      v.state !== 'delivered' &&
      !(v.vendor === 'kingdee' && v.versionNo > 1 && v.state === 'failed' && v.errorCode === 'BUSINESS'),
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
    `${wd.refunds.size} rows stored for ${expectedRows} goods lines of ${latest.size} refunds (latest versions), ` +
      `${wdCounters.newRows} created, ${wdCounters.changedRows} updated, ${wdCounters.unchangedRows} re-sent unchanged`,
  );
  return { ok: checks.every((c) => c.ok), checks, kingdeeRefusedChanges: refused };
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
  lines.push(verification.ok ? 'demo ok: every valid refund reached both vendors exactly once' : 'demo FAILED');
  return lines.join('\n');
}
