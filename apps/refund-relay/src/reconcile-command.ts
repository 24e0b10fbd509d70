import { systemClock } from './clock.js';
import { openOutbox, outboxLabel } from './outbox-open.js';
import type { OutboxStore } from './outbox-store.js';
import {
  formatReconcileReport,
  RECONCILE_EXIT_CODES,
  type ReconcileReport,
  reconcileEntries,
  reconcileOutcome,
  reconcileTotals,
} from './reconcile-report.js';
import type { CommandIo } from './relay-commands.js';
import type { RelayConfig } from './relay-config.js';

/** How long a refund may stay unchanged at a vendor, in progress, before `reconcile` calls it stuck: one day. */
export const DEFAULT_STUCK_AFTER_MS = 86_400_000;

/** Options of `reconcile`. */
export interface ReconcileCommandOptions {
  /** Leave out refunds delivered before this time (epoch ms). */
  since?: number;
  /** In progress and unchanged longer than this (ms) is stuck (default one day). */
  stuckAfterMs?: number;
}

/**
 * Reads what reconcile needs from an open outbox and builds the report (see `reconcileEntries`): each refund's
 * deliveries and current lifecycle at both vendors, as of `now`.
 */
export async function buildReconcileReport(
  store: OutboxStore,
  options: ReconcileCommandOptions & { now: number; db: string },
): Promise<ReconcileReport> {
  const stuckAfterMs = options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  // Every lifecycle row: `reconcileEntries` applies `since`, knowing a refund left out from one never delivered.
  const [deliveries, lifecycle] = await Promise.all([store.listDeliveries(), store.lifecycleRows()]);
  const entries = reconcileEntries(deliveries, lifecycle, {
    now: options.now,
    stuckAfterMs,
    since: options.since,
  });
  return {
    command: 'reconcile',
    db: options.db,
    at: options.now,
    since: options.since ?? null,
    stuckAfterMs,
    totals: reconcileTotals(entries),
    entries,
    outcome: reconcileOutcome(entries),
  };
}

/**
 * `reconcile [--since <time>] [--stuck-after <duration>] [--json]`: compares what the relay sent with what each
 * vendor was last seen holding, per refund and vendor (read only; safe while a relay runs). Exit code 0 when every
 * refund is done at both vendors, 2 when something needs a person (refused, missing, different, stuck), 3 when
 * nothing does but some refunds are still in progress.
 */
export async function reconcileCommand(
  config: RelayConfig,
  io: CommandIo,
  options: ReconcileCommandOptions = {},
): Promise<{ exitCode: number; report: ReconcileReport }> {
  const store = openOutbox(config, { readonly: true });
  try {
    const report = await buildReconcileReport(store, {
      ...options,
      now: (io.clock ?? systemClock).now(),
      db: outboxLabel(config),
    });
    io.stdout(`${config.json ? JSON.stringify(report, null, 2) : formatReconcileReport(report)}\n`);
    return { exitCode: RECONCILE_EXIT_CODES[report.outcome], report };
  } finally {
    await store.close();
  }
}
