import type { DeliveryTally } from './delivery-scheduler.js';
import { LIFECYCLE_STATES, type LifecycleCounts, type LifecycleRecord, type StoredObservation } from './lifecycle.js';
import type { DeliveryCounts, DeliveryFailure, DeliveryRecord, PurgeResult, Vendor } from './outbox-store.js';
import { DELIVERY_STATES, VENDORS } from './outbox-store.js';
import { count, VENDOR_LABELS } from './progress-reporter.js';
import { describeLifecycleState, formatDuration } from './reconcile-report.js';
import type { FollowRun } from './refund-follower.js';
import type { IntakeReport, InvalidRecord } from './refund-intake.js';
import { table } from './text-table.js';

/** The state of the whole outbox. */
export interface OutboxSnapshot {
  refunds: number;
  versions: number;
  counts: DeliveryCounts;
  alreadyThere: Record<Vendor, number>;
}

/** The full history of one refund: every delivery of every version, and every observation at either vendor. */
export interface RefundHistory {
  refundNo: string;
  deliveries: Omit<DeliveryRecord, 'body'>[];
  /** In the order they were seen. */
  observations: StoredObservation[];
}

/** Everything a command reports; `--json` prints it as is. */
export interface RelayReport {
  command: string;
  db: string;
  targets?: Record<Vendor, string>;
  intake?: IntakeReport;
  /** In-flight deliveries of a crashed run put back to pending at start. */
  recovered?: number;
  /** Failed and dead deliveries put back to pending by `retry`. */
  requeued?: number;
  /** What this run's deliveries did, per vendor. */
  run?: Record<Vendor, DeliveryTally>;
  outbox: OutboxSnapshot;
  failures?: DeliveryFailure[];
  /** What `status` shows: the refund not final the longest at each vendor (by when it entered its state). */
  oldestInProgress?: Partial<Record<Vendor, LifecycleRecord>>;
  /** What `status --refund` shows of one refund. */
  history?: RefundHistory;
  /** What `purge` removed. */
  purged?: PurgeResult;
  /** What following did (`follow`, `deliver --follow`). */
  follow?: FollowRun;
  /** Refunds per vendor and lifecycle state (newest delivered version of each), after following and in `status`. */
  lifecycle?: LifecycleCounts;
  /** True when every delivery in the outbox is delivered and no input record was invalid. */
  ok: boolean;
}

/** True when every delivery of the outbox is delivered. */
export function allDelivered(counts: DeliveryCounts): boolean {
  return VENDORS.every((vendor) =>
    DELIVERY_STATES.every((state) => state === 'delivered' || counts[vendor][state] === 0),
  );
}

/** The per-vendor summary of a run: delivered, already there, failed, dead, still pending, invalid input. */
export function formatRunTable(report: RelayReport): string {
  const invalid = report.intake?.invalid.length ?? 0;
  const rows = [['', 'delivered', 'already there', 'failed', 'dead', 'pending', 'invalid']];
  for (const vendor of VENDORS) {
    const run = report.run?.[vendor];
    const counts = report.outbox.counts[vendor];
    rows.push([
      VENDOR_LABELS[vendor],
      String(run?.delivered ?? 0),
      String(run?.alreadyThere ?? 0),
      String(run?.failed ?? 0),
      String(run?.dead ?? 0),
      String(counts.pending + counts.in_flight),
      String(invalid),
    ]);
  }
  return table(rows);
}

/** The outbox-wide table of `status`: deliveries per vendor and state. */
export function formatStatusTable(outbox: OutboxSnapshot): string {
  const rows = [['', ...DELIVERY_STATES.map((state) => state.replace('_', ' ')), 'already there']];
  for (const vendor of VENDORS) {
    rows.push([
      VENDOR_LABELS[vendor],
      ...DELIVERY_STATES.map((state) => String(outbox.counts[vendor][state])),
      String(outbox.alreadyThere[vendor]),
    ]);
  }
  return table(rows);
}

/** The lifecycle table of `status`: delivered refunds per vendor and lifecycle state, then the oldest in progress. */
export function formatLifecycle(
  counts: LifecycleCounts,
  oldestInProgress: Partial<Record<Vendor, LifecycleRecord>>,
  now: number,
): string {
  const rows = [['', ...LIFECYCLE_STATES.map((state) => state.replace('_', ' '))]];
  for (const vendor of VENDORS) {
    rows.push([VENDOR_LABELS[vendor], ...LIFECYCLE_STATES.map((state) => String(counts[vendor][state]))]);
  }
  const oldest = VENDORS.map((vendor) => {
    const record = oldestInProgress[vendor];
    if (!record) return `  ${VENDOR_LABELS[vendor]}: none`;
    return (
      `  ${VENDOR_LABELS[vendor]}: ${record.refundNo} v${record.versionNo} ${describeLifecycleState(record)}, ` +
      `${record.state.replace('_', ' ')} since ${new Date(record.stateSince).toISOString()} ` +
      `(${formatDuration(now - record.stateSince)})`
    );
  });
  return [
    'after delivery (newest delivered version of each refund):',
    table(rows),
    'oldest still in progress:',
    ...oldest,
  ].join('\n');
}

/** Vendor facts of an observation as `key=value` pairs (its detail never holds buyer data). */
function detailText(detail: StoredObservation['detail']): string {
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/** `status --refund`: per vendor, each version's delivery, then every observation with the time it was seen. */
export function formatRefundHistory(history: RefundHistory): string {
  const versions = new Set(history.deliveries.map((d) => d.versionNo)).size;
  if (versions === 0) return `no refund ${history.refundNo} in the outbox`;
  const out = [`refund ${history.refundNo}: ${count(versions, 'version', 'versions')} in the outbox`];
  for (const vendor of VENDORS) {
    out.push('', VENDOR_LABELS[vendor]);
    for (const d of history.deliveries.filter((delivery) => delivery.vendor === vendor)) {
      const error = [d.errorCode, d.errorMessage].filter(Boolean).join(' ');
      out.push(
        `  v${d.versionNo} ${d.state.replace('_', ' ')} after ${count(d.attempts, 'attempt', 'attempts')}` +
          `${d.alreadyThere ? ' (already there)' : ''}${error ? `: ${error}` : ''}`,
      );
    }
    const seen = history.observations.filter((observation) => observation.vendor === vendor);
    if (seen.length === 0) out.push('  nothing observed yet');
    for (const o of seen) {
      const facts = [
        describeLifecycleState(o),
        o.reason,
        ...o.differences.map((d) => `${d.field} ours ${d.ours}, theirs ${d.theirs}`),
        detailText(o.detail),
      ].filter(Boolean);
      out.push(
        `  ${new Date(o.seenAt).toISOString()}  v${o.versionNo}  ${o.state.replace('_', ' ')}: ${facts.join('; ')}`,
      );
    }
  }
  return out.join('\n');
}

/** One line per invalid record: `file:line refundNo  path: message; …` (CSV goods lines get their own line number). */
export function formatInvalidRecords(invalid: readonly InvalidRecord[]): string {
  return invalid
    .map((record) => {
      const issues = record.issues
        .map((issue) => `${issue.path || '(record)'}${issue.line ? ` (line ${issue.line})` : ''}: ${issue.message}`)
        .join('; ');
      return `invalid ${record.file}:${record.line}${record.refundNo ? ` ${record.refundNo}` : ''}  ${issues}`;
    })
    .join('\n');
}

/** The failures of `status --failed`: one line each, reasons already redacted. */
export function formatFailures(failures: readonly DeliveryFailure[]): string {
  if (failures.length === 0) return 'no failed or dead deliveries';
  return failures
    .map(
      (f) =>
        `${f.state.padEnd(6)} ${VENDOR_LABELS[f.vendor].padEnd(8)} ${f.refundNo} v${f.versionNo} ` +
        `after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.errorCode ?? ''} ${f.errorMessage ?? ''}`.trimEnd(),
    )
    .join('\n');
}

/** The human report of push, retry, deliver and demo runs. */
export function formatRunReport(report: RelayReport): string {
  const out: string[] = [];
  if (report.intake) {
    const i = report.intake;
    if (i.invalid.length > 0) out.push(formatInvalidRecords(i.invalid), '');
    out.push(
      `read ${count(i.records, 'record', 'records')} from ${count(i.files.length, 'file', 'files')}: ${i.newRefunds} new, ` +
        `${i.newVersions} changed (new version), ${i.duplicates} duplicate, ${i.invalid.length} invalid`,
    );
  }
  if (report.recovered) {
    out.push(
      `recovered ${count(report.recovered, 'in-flight delivery', 'in-flight deliveries')} of an interrupted run (re-sent)`,
    );
  }
  if (report.requeued !== undefined) {
    out.push(`put ${count(report.requeued, 'failed or dead delivery', 'failed or dead deliveries')} back to pending`);
  }
  out.push('', formatRunTable(report), '');
  const o = report.outbox;
  const line = VENDORS.map((vendor) => {
    const c = o.counts[vendor];
    const problems = [
      c.failed && `${c.failed} failed`,
      c.dead && `${c.dead} dead`,
      c.pending + c.in_flight && `${c.pending + c.in_flight} pending`,
    ];
    return `${VENDOR_LABELS[vendor]} ${c.delivered} delivered${problems
      .filter(Boolean)
      .map((p) => `, ${p}`)
      .join('')}`;
  }).join('; ');
  out.push(`outbox ${report.db}: ${o.refunds} refunds, ${o.versions} versions; ${line}`);
  if (!report.ok && report.command !== 'demo') out.push(...nextSteps(report));
  return out.join('\n');
}

/**
 * What to do about a run that is not ok, suggesting only what would find something: `status --failed` and `retry`
 * for failed or dead deliveries, `deliver` for pending ones, fixing the files for invalid records.
 */
function nextSteps(report: RelayReport): string[] {
  const counts = VENDORS.map((vendor) => report.outbox.counts[vendor]);
  const failed = counts.some((c) => c.failed + c.dead > 0);
  const pending = counts.some((c) => c.pending + c.in_flight > 0);
  const invalid = report.intake?.invalid.length ?? 0;
  const steps: string[] = [];
  if (invalid > 0) {
    steps.push(
      `${invalid} record${invalid === 1 ? ' was' : 's were'} invalid and not stored (listed above): ` +
        `correct ${invalid === 1 ? 'it' : 'them'} and push again`,
    );
  }
  if (failed) steps.push('some deliveries failed: see `refund-relay status --failed`, then `refund-relay retry`');
  if (pending) steps.push('some deliveries are still pending: run `refund-relay deliver` to carry on');
  return steps;
}
