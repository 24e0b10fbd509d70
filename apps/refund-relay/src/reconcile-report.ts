import type { FieldDifference } from './holding-compare.js';
import type { LifecycleRecord, LifecycleStage } from './lifecycle.js';
import type { DeliveryRecord, Vendor } from './outbox-store.js';
import { VENDORS } from './outbox-store.js';
import { count, VENDOR_LABELS } from './progress-reporter.js';
import { table } from './text-table.js';

/**
 * What `reconcile` says of one refund at one vendor: `done` (final and holding what was sent), `in_progress` (not
 * final yet), `stuck` (in progress, but unchanged at the vendor for longer than the stuck threshold), `refused` (the
 * vendor refused it; `reason` says why), `missing` (the vendor does not have it: not visible long after delivery, or
 * never delivered), `different` (the vendor holds other values; `differences` says which).
 */
export type ReconcileVerdict = (typeof RECONCILE_VERDICTS)[number];

/** Every verdict, in the order the report shows them. */
export const RECONCILE_VERDICTS = ['done', 'in_progress', 'stuck', 'refused', 'missing', 'different'] as const;

/** The verdicts a person has to look at. */
const NEEDS_A_PERSON: ReadonlySet<ReconcileVerdict> = new Set(['stuck', 'refused', 'missing', 'different']);

/** One refund at one vendor: the version reconciled, the verdict, and what the vendor shows. */
export interface ReconcileEntry {
  refundNo: string;
  /** The newest outbox version sent to this vendor. */
  versionNo: number;
  vendor: Vendor;
  verdict: ReconcileVerdict;
  /** Where it stands in the operator's words: `退换单 20 待审核`, `awaiting the vendor`, `delivery pending`. */
  state: string;
  /** Since when the vendor shows it exactly so (epoch ms), when known. */
  since: number | null;
  /** How long it has been so at the time of the report, ms, when known. */
  forMs: number | null;
  /** Why it was refused, or why it counts as missing. */
  reason: string | null;
  /** The fields held differently (ours vs theirs, exact decimal strings). */
  differences: FieldDifference[];
}

/**
 * The overall result and its exit code: `all-done` (0: every refund done at both vendors, or nothing to
 * reconcile), `needs-person` (2: something is refused, missing, different or stuck), `in-progress` (3: nothing
 * needs a person, but some refunds are not final yet; run it again later).
 */
export type ReconcileOutcome = 'all-done' | 'needs-person' | 'in-progress';

/** The exit code of each outcome. */
export const RECONCILE_EXIT_CODES: Readonly<Record<ReconcileOutcome, number>> = {
  'all-done': 0,
  'needs-person': 2,
  'in-progress': 3,
};

/** What `reconcile` reports; `--json` prints it as is. */
export interface ReconcileReport {
  command: 'reconcile';
  db: string;
  /** When the report was made (epoch ms, relay clock). */
  at: number;
  /** With `--since`: refunds delivered before it are left out (epoch ms); undelivered ones are always in. */
  since: number | null;
  /** In progress and unchanged longer than this (ms) counts as stuck. */
  stuckAfterMs: number;
  totals: Record<Vendor, Record<ReconcileVerdict, number>>;
  entries: ReconcileEntry[];
  outcome: ReconcileOutcome;
}

/** Vendor record names as the operator reads them. */
const STAGE_LABELS: Record<LifecycleStage, string> = {
  raw_refund: 'raw refund',
  refund_order: '退换单',
  stockin: 'stock-in',
  refund: 'refund',
  retail_bill: 'retail bill',
};

/** Where a lifecycle record stands, in words: its vendor record and status, or what it waits for. */
export function describeLifecycleState(record: Pick<LifecycleRecord, 'state' | 'stage' | 'vendorStatus'>): string {
  const where = [record.stage ? STAGE_LABELS[record.stage] : undefined, record.vendorStatus ?? undefined]
    .filter(Boolean)
    .join(' ');
  if (record.state === 'awaiting') return 'awaiting the vendor';
  if (record.state === 'missing') return where ? `not visible since delivery (${where})` : 'not visible since delivery';
  return where || record.state.replace('_', ' ');
}

/** Options of `reconcileEntries`. */
export interface ReconcileOptions {
  /** The report's time (epoch ms). */
  now: number;
  /** In progress and unchanged at the vendor longer than this (ms) is `stuck`. */
  stuckAfterMs: number;
  /** Leave out refunds whose newest version was delivered before this time (epoch ms). */
  since?: number | undefined;
}

/**
 * Reconciles each refund at each vendor from its deliveries and its current lifecycle. The newest version sent to a
 * vendor decides: still pending or in flight is `in_progress` (`delivery pending`); dead (every attempt used up) is
 * `missing`; failed is `refused` with the vendor's reason (the lifecycle's, else the delivery's error); delivered
 * takes its lifecycle: `awaiting` and `in_progress` are `in_progress`, or `stuck` once unchanged (`seenAt`) for
 * longer than `stuckAfterMs`; `done`, `refused`, `missing` and `different` as they are. With `since`, a refund
 * whose newest version was delivered before it is left out; one without a lifecycle of its newest version (pending,
 * in flight, dead, or failed without the vendor's verdict) is always in. Entries come ordered by refund number, then vendor.
 */
export function reconcileEntries(
  deliveries: readonly Omit<DeliveryRecord, 'body'>[],
  lifecycle: readonly LifecycleRecord[],
  options: ReconcileOptions,
): ReconcileEntry[] {
  const newest = new Map<string, Omit<DeliveryRecord, 'body'>>();
  for (const delivery of deliveries) {
    const key = `${delivery.vendor}\u0000${delivery.refundNo}`;
    if ((newest.get(key)?.versionNo ?? 0) < delivery.versionNo) newest.set(key, delivery);
  }
  const current = new Map(lifecycle.map((record) => [`${record.vendor}\u0000${record.refundNo}`, record]));
  const entries: ReconcileEntry[] = [];
  for (const [key, delivery] of newest) {
    const record = current.get(key);
    const recorded = record?.versionNo === delivery.versionNo ? record : undefined;
    if (options.since !== undefined && recorded && recorded.deliveredAt < options.since) continue;
    entries.push(entryOf(delivery, recorded, options));
  }
  return entries.sort((a, b) =>
    a.refundNo < b.refundNo ? -1 : a.refundNo > b.refundNo ? 1 : VENDORS.indexOf(a.vendor) - VENDORS.indexOf(b.vendor),
  );
}

function entryOf(
  delivery: Omit<DeliveryRecord, 'body'>,
  record: LifecycleRecord | undefined,
  options: ReconcileOptions,
): ReconcileEntry {
  const base = {
    refundNo: delivery.refundNo,
    versionNo: delivery.versionNo,
    vendor: delivery.vendor,
    since: null,
    forMs: null,
    reason: null,
    differences: [],
  };
  const failure = [delivery.errorCode, delivery.errorMessage].filter(Boolean).join(' ') || null;
  switch (delivery.state) {
    case 'pending':
    case 'in_flight':
      return { ...base, verdict: 'in_progress', state: 'delivery pending' };
    case 'dead':
      return {
        ...base,
        verdict: 'missing',
        state: `not delivered (dead after ${count(delivery.attempts, 'attempt', 'attempts')})`,
        reason: failure,
      };
    case 'failed':
      return {
        ...base,
        verdict: 'refused',
        state: record ? describeLifecycleState(record) : 'refused at delivery',
        ...(record ? { since: record.seenAt, forMs: options.now - record.seenAt } : {}),
        reason: record?.reason ?? failure,
      };
  }
  if (!record) return { ...base, verdict: 'in_progress', state: 'awaiting the vendor' };
  // Missing counts from the delivery; anything else from when the vendor started to show it as it is now.
  const since = record.state === 'missing' ? record.deliveredAt : record.seenAt;
  const forMs = options.now - since;
  const state = record.state;
  const verdict: ReconcileVerdict =
    state === 'awaiting' || state === 'in_progress' ? (forMs > options.stuckAfterMs ? 'stuck' : 'in_progress') : state;
  return {
    ...base,
    verdict,
    state: describeLifecycleState(record),
    since,
    forMs,
    reason: record.reason,
    differences: record.differences,
  };
}

/** The outcome of a set of entries: any needing a person decides, then any not final, else all done. */
export function reconcileOutcome(entries: readonly ReconcileEntry[]): ReconcileOutcome {
  if (entries.some((entry) => NEEDS_A_PERSON.has(entry.verdict))) return 'needs-person';
  if (entries.some((entry) => entry.verdict === 'in_progress')) return 'in-progress';
  return 'all-done';
}

/** How many entries each vendor has of each verdict. */
export function reconcileTotals(entries: readonly ReconcileEntry[]): Record<Vendor, Record<ReconcileVerdict, number>> {
  const totals = Object.fromEntries(
    VENDORS.map((vendor) => [vendor, Object.fromEntries(RECONCILE_VERDICTS.map((verdict) => [verdict, 0]))]),
  ) as Record<Vendor, Record<ReconcileVerdict, number>>;
  for (const entry of entries) totals[entry.vendor][entry.verdict]++;
  return totals;
}

/** A duration as the operator reads it, to its two largest units: `45s`, `12m 5s`, `3h 12m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor(seconds / 3_600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'm'],
    [seconds % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([n], index) => index === 0 || n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

/** What one entry amounts to, after its refund number: the verdict's facts. */
export function describeEntry(entry: ReconcileEntry, stuckAfterMs: number): string {
  const since = entry.forMs === null ? '' : ` for ${formatDuration(entry.forMs)}`;
  switch (entry.verdict) {
    case 'done':
      return `done: ${entry.state}`;
    case 'in_progress':
      return `in progress: ${entry.state}${since}`;
    case 'stuck':
      return `stuck: ${entry.state}${since} (longer than ${formatDuration(stuckAfterMs)})`;
    case 'refused':
      return `refused: ${entry.reason ?? entry.state}`;
    case 'missing':
      return `missing: ${entry.state}${since}${entry.reason ? `: ${entry.reason}` : ''}`;
    case 'different':
      return `different: ${entry.differences.map((d) => `${d.field} ours ${d.ours}, theirs ${d.theirs}`).join('; ')}`;
  }
}

/** In-progress entries the human report lists before it says how many more there are. */
const IN_PROGRESS_SHOWN = 20;

/** The human report of `reconcile`: a table of verdicts per vendor, what needs a person, what is still under way. */
export function formatReconcileReport(report: ReconcileReport): string {
  const label = (verdict: ReconcileVerdict) => verdict.replace('_', ' ');
  const rows = [['', ...RECONCILE_VERDICTS.map(label)]];
  for (const vendor of VENDORS)
    rows.push([VENDOR_LABELS[vendor], ...RECONCILE_VERDICTS.map((v) => String(report.totals[vendor][v]))]);
  const scope = report.since === null ? '' : ` delivered since ${new Date(report.since).toISOString()}`;
  const out = [
    `reconcile outbox ${report.db} at ${new Date(report.at).toISOString()}: ` +
      `${count(report.entries.length, 'refund delivery', 'refund deliveries')}${scope}`,
    '',
    table(rows),
  ];
  const line = (entry: ReconcileEntry) =>
    `  ${VENDOR_LABELS[entry.vendor].padEnd(8)}  ${entry.refundNo} v${entry.versionNo}  ${describeEntry(entry, report.stuckAfterMs)}`;
  const person = report.entries.filter((entry) => NEEDS_A_PERSON.has(entry.verdict));
  if (person.length > 0) out.push('', `needs a person (${person.length}):`, ...person.map(line));
  const open = report.entries.filter((entry) => entry.verdict === 'in_progress');
  if (open.length > 0) {
    out.push('', `still in progress (${open.length}):`, ...open.slice(0, IN_PROGRESS_SHOWN).map(line));
    if (open.length > IN_PROGRESS_SHOWN) out.push(`  … and ${open.length - IN_PROGRESS_SHOWN} more (--json lists all)`);
  }
  const verdict = {
    'all-done': 'every refund is done at both vendors',
    'needs-person': 'something needs a person',
    'in-progress': 'some refunds are still in progress (run reconcile again later)',
  }[report.outcome];
  out.push('', `reconcile: ${verdict} (exit ${RECONCILE_EXIT_CODES[report.outcome]})`);
  return out.join('\n');
}
