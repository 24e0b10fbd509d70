import type { KingdeeFault, WangdianFault } from '@refundkit/sandbox';
import { type RelayClock, systemClock } from './clock.js';
import { type DeliveryTally, deliverPending } from './delivery-scheduler.js';
import { formatFollowRun } from './follow-report.js';
import { openOutbox, outboxLabel } from './outbox-open.js';
import type { OutboxStore, Vendor } from './outbox-store.js';
import { createProgressReporter, VENDOR_LABELS } from './progress-reporter.js';
import { createRedactor } from './redact.js';
import { type FollowRun, followUntilFinal } from './refund-follower.js';
import { takeInFiles } from './refund-intake.js';
import type { RelayConfig } from './relay-config.js';
import {
  allDelivered,
  formatFailures,
  formatLifecycle,
  formatRefundHistory,
  formatRunReport,
  formatStatusTable,
  type OutboxSnapshot,
  type RefundHistory,
  type RelayReport,
} from './relay-report.js';
import { openSharedAccounts } from './shared-accounts.js';
import { createTestHook, type TestHook } from './test-hook.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';
import { type ConnectOptions, connectVendors, type VendorConnections } from './vendor-connections.js';

/** What the relay's processes share beyond the outbox, as `connectVendors` takes it. */
type SharedConnectOptions = Pick<ConnectOptions, 'kingdeeTokenStore'>;

/** What a command talks to: environment, output streams, whether progress may redraw, clock and cancellation. */
export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress may redraw one line (stderr is a terminal and `CI` is unset). */
  progressTty: boolean;
  clock?: RelayClock;
  /** Aborting stops claiming new work; calls under way finish and are recorded. */
  signal?: AbortSignal;
  /** Faults for in-process sandboxes (demo and tests). */
  sandboxFaults?: { kingdee?: KingdeeFault[]; wangdian?: WangdianFault[] };
}

/** A command's outcome: the process exit code and the report it printed. */
export interface CommandResult {
  exitCode: number;
  report: RelayReport;
}

/** Reads the outbox-wide counts a report ends with. */
export async function snapshotOutbox(store: OutboxStore): Promise<OutboxSnapshot> {
  const [totals, counts, alreadyThere] = await Promise.all([
    store.refundTotals(),
    store.counts(),
    store.alreadyThereCounts(),
  ]);
  return { ...totals, counts, alreadyThere };
}

/**
 * Delivers everything pending in the outbox through the given connections, with the configured per-vendor
 * concurrency, token buckets, attempts and backoff, showing progress on stderr (nothing with `--json`). `testHook`
 * is the run's hook when the caller made one (a push shares it with the intake); otherwise one is made from the
 * configuration when set.
 */
export async function deliverOutbox(
  store: OutboxStore,
  config: RelayConfig,
  connections: VendorConnections,
  io: CommandIo,
  testHook: TestHook | undefined = testHookOf(config),
  buckets: Record<Vendor, TokenBucket> = relayBuckets(config, io.clock ?? systemClock),
): Promise<Record<Vendor, DeliveryTally>> {
  const clock = io.clock ?? systemClock;
  const progress = createProgressReporter({ write: io.stderr, tty: io.progressTty, quiet: config.json });
  try {
    return await deliverPending({
      store,
      ports: connections.ports,
      limits: {
        kingdee: { concurrency: config.kingdee.concurrency, bucket: buckets.kingdee },
        wangdian: { concurrency: config.wangdian.concurrency, bucket: buckets.wangdian },
      },
      maxAttempts: config.maxAttempts,
      backoff: config.backoff,
      clock,
      redact: createRedactor(connections.secrets),
      onEvent: progress.onEvent,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(testHook ? { testHook } : {}),
    });
  } finally {
    progress.finish();
  }
}

/** Each vendor's rate limiter as configured: what delivering and following through one process share. */
function relayBuckets(config: RelayConfig, clock: RelayClock): Record<Vendor, TokenBucket> {
  const bucket = (vendor: Vendor) =>
    createTokenBucket({
      perMinute: config[vendor].ratePerMinute,
      ...(config[vendor].burst === undefined ? {} : { burst: config[vendor].burst }),
      clock,
    });
  return { kingdee: bucket('kingdee'), wangdian: bucket('wangdian') };
}

/**
 * Follows the delivered refunds that are not final yet: one pass, or (`untilFinal`) pass after pass
 * (`config.follow.intervalMs` apart) until every one is final or `config.follow.timeoutMs` has passed, waiting for
 * the same rate limiters as delivery.
 */
export async function followOutbox(
  store: OutboxStore,
  config: RelayConfig,
  connections: VendorConnections,
  io: CommandIo,
  options: { untilFinal: boolean; buckets?: Record<Vendor, TokenBucket>; testHook?: TestHook | undefined },
): Promise<FollowRun> {
  const clock = io.clock ?? systemClock;
  const redact = createRedactor(connections.secrets);
  return followUntilFinal({
    store,
    ports: connections.followPorts(options.buckets ?? relayBuckets(config, clock)),
    clock,
    missingAfterMs: config.follow.missingAfterMs,
    redact: (text) => redact(text),
    timeoutMs: options.untilFinal ? config.follow.timeoutMs : 0,
    intervalMs: config.follow.intervalMs,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(options.testHook ? { testHook: options.testHook } : {}),
  });
}

/** The live test hook of a configuration, when it sets one (see `test-hook.ts`). */
function testHookOf(config: RelayConfig): TestHook | undefined {
  return config.testHook ? createTestHook(config.testHook) : undefined;
}

function announceTargets(config: RelayConfig, connections: VendorConnections, io: CommandIo): void {
  if (config.json) return;
  for (const vendor of ['kingdee', 'wangdian'] as const) {
    io.stderr(`${VENDOR_LABELS[vendor]} → ${connections.targets[vendor]}\n`);
  }
}

function finish(report: RelayReport, config: RelayConfig, io: CommandIo): CommandResult {
  const followed = report.follow && report.lifecycle ? formatFollowRun(report.follow, report.lifecycle) : undefined;
  // `follow` reports its following alone; a delivering run reports its deliveries, then what following saw.
  const human =
    report.command === 'follow' && followed !== undefined
      ? followed
      : [formatRunReport(report), ...(followed === undefined ? [] : ['', followed])].join('\n');
  io.stdout(`${config.json ? JSON.stringify(report, null, 2) : human}\n`);
  return { exitCode: report.ok ? 0 : 2, report };
}

/**
 * Runs a command body with both vendors connected as configured (on the command's clock and faults), after
 * announcing where their calls go, and disconnects them afterwards.
 */
async function withVendors<T>(
  config: RelayConfig,
  io: CommandIo,
  options: Pick<ConnectOptions, 'shops' | 'kingdeeTokenStore'>,
  body: (connections: VendorConnections) => Promise<T>,
): Promise<T> {
  const connections = await connectVendors(config, {
    env: io.env,
    ...(io.sandboxFaults ? { sandboxFaults: io.sandboxFaults } : {}),
    ...(io.clock ? { clock: io.clock } : {}),
    ...options,
  });
  try {
    announceTargets(config, connections, io);
    return await body(connections);
  } finally {
    await connections.close();
  }
}

/**
 * Runs a command body against the outbox: opens it (taking the relay's hold and recovering deliveries an
 * interrupted run left in flight) and what relays on it share (see `openSharedAccounts`), and closes both afterwards.
 */
async function withOutbox(
  config: RelayConfig,
  io: CommandIo,
  body: (store: OutboxStore, recovered: number, shared: SharedConnectOptions) => Promise<CommandResult>,
): Promise<CommandResult> {
  const store = openOutbox(config);
  const shared = openSharedAccounts(config);
  try {
    const { recovered } = await store.open({ now: (io.clock ?? systemClock).now() });
    return await body(
      store,
      recovered,
      shared.kingdeeTokenStore ? { kingdeeTokenStore: shared.kingdeeTokenStore } : {},
    );
  } finally {
    await Promise.all([store.close(), shared.close()]);
  }
}

/**
 * `push <files…>`: reads the files (JSON array, JSON Lines, CSV), validates every record, stores the valid ones
 * (duplicates once, changed content as a new version) and delivers everything pending to both vendors. Exit code 0
 * when no record was invalid and every delivery in the outbox is delivered, 2 otherwise.
 */
export async function pushCommand(
  files: readonly string[],
  config: RelayConfig,
  io: CommandIo,
): Promise<CommandResult> {
  const clock = io.clock ?? systemClock;
  return withOutbox(config, io, async (store, recovered, shared) => {
    const testHook = testHookOf(config);
    const intake = await takeInFiles(store, files, { now: () => clock.now(), ...(testHook ? { testHook } : {}) });
    return withVendors(config, io, { shops: intake.shops, ...shared }, async (connections) => {
      const run = await deliverOutbox(store, config, connections, io, testHook);
      const outbox = await snapshotOutbox(store);
      const ok = intake.invalid.length === 0 && allDelivered(outbox.counts);
      return finish(
        { command: 'push', db: outboxLabel(config), targets: connections.targets, intake, recovered, run, outbox, ok },
        config,
        io,
      );
    });
  });
}

/**
 * `deliver`: delivers what is pending (for example after an interrupted run) without reading files. `retry`: first
 * puts failed and dead deliveries back to pending with a fresh attempt budget (not those a newer delivered version
 * overtook), then delivers. With `follow`, it then follows the delivered refunds until every one is final or the
 * follow timeout (see `followOutbox`). Exit code 0 when every delivery in the outbox is delivered (and, with
 * `follow`, nothing followed is left open), 2 otherwise.
 */
export async function deliverCommand(
  config: RelayConfig,
  io: CommandIo,
  options: { retry: boolean; follow?: boolean },
): Promise<CommandResult> {
  const clock = io.clock ?? systemClock;
  return withOutbox(config, io, async (store, recovered, shared) => {
    const requeued = options.retry ? await store.requeueFailed({ now: clock.now() }) : undefined;
    return withVendors(config, io, shared, async (connections) => {
      const testHook = testHookOf(config);
      const buckets = relayBuckets(config, clock);
      const run = await deliverOutbox(store, config, connections, io, testHook, buckets);
      const follow = options.follow
        ? await followOutbox(store, config, connections, io, { untilFinal: true, buckets, testHook })
        : undefined;
      const outbox = await snapshotOutbox(store);
      return finish(
        {
          command: options.retry ? 'retry' : 'deliver',
          db: outboxLabel(config),
          targets: connections.targets,
          recovered,
          ...(requeued === undefined ? {} : { requeued }),
          run,
          ...(follow ? { follow, lifecycle: await store.lifecycleCounts() } : {}),
          outbox,
          ok: allDelivered(outbox.counts) && (follow?.final ?? true),
        },
        config,
        io,
      );
    });
  });
}

/**
 * `follow`: one follow pass over the delivered refunds not yet final at their vendor, or with `untilFinal` passes
 * until every one is final or the follow timeout; every state seen is stored in the outbox. Exit code 0 when
 * nothing followed is left open, 2 otherwise.
 */
export async function followCommand(
  config: RelayConfig,
  io: CommandIo,
  options: { untilFinal: boolean },
): Promise<CommandResult> {
  return withOutbox(config, io, async (store, recovered, shared) =>
    withVendors(config, io, shared, async (connections) => {
      const follow = await followOutbox(store, config, connections, io, {
        untilFinal: options.untilFinal,
        testHook: testHookOf(config),
      });
      const outbox = await snapshotOutbox(store);
      return finish(
        {
          command: 'follow',
          db: outboxLabel(config),
          targets: connections.targets,
          recovered,
          follow,
          lifecycle: await store.lifecycleCounts(),
          outbox,
          ok: follow.final,
        },
        config,
        io,
      );
    }),
  );
}

/**
 * `status`: deliveries per vendor and state and, after delivery, lifecycle states per vendor with the oldest refund
 * still in progress (read only; safe while a relay runs); with `failed`, the failed and dead deliveries with their
 * redacted reasons. Exit code 0 when everything is delivered, 2 otherwise. With `refundNo`, the full history of one
 * refund instead (each version's delivery at both vendors and every observation with its time): exit code 0 when
 * the outbox holds the refund, 2 when it does not.
 */
export async function statusCommand(
  config: RelayConfig,
  io: CommandIo,
  options: { failed: boolean; refundNo?: string },
): Promise<CommandResult> {
  const store = openOutbox(config, { readonly: true });
  try {
    const outbox = await snapshotOutbox(store);
    if (options.refundNo !== undefined) return await refundStatus(store, config, io, outbox, options.refundNo);
    const failures = options.failed ? await store.failures() : undefined;
    const [counts, oldestInProgress] = await Promise.all([store.lifecycleCounts(), store.oldestInProgress()]);
    const report: RelayReport = {
      command: 'status',
      db: outboxLabel(config),
      outbox,
      lifecycle: counts,
      oldestInProgress,
      ...(failures ? { failures } : {}),
      ok: allDelivered(outbox.counts),
    };
    if (config.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const lines = [
        `outbox ${outboxLabel(config)}: ${outbox.refunds} refunds, ${outbox.versions} versions`,
        '',
        formatStatusTable(outbox),
        '',
        formatLifecycle(counts, oldestInProgress, (io.clock ?? systemClock).now()),
      ];
      if (failures) lines.push('', formatFailures(failures));
      io.stdout(`${lines.join('\n')}\n`);
    }
    return { exitCode: report.ok ? 0 : 2, report };
  } finally {
    await store.close();
  }
}

/** `status --refund <no>`: one refund's deliveries and observations at both vendors. */
async function refundStatus(
  store: OutboxStore,
  config: RelayConfig,
  io: CommandIo,
  outbox: OutboxSnapshot,
  refundNo: string,
): Promise<CommandResult> {
  const [deliveries, observations] = await Promise.all([store.listDeliveries(), store.lifecycleHistory(refundNo)]);
  const history: RefundHistory = {
    refundNo,
    deliveries: deliveries.filter((d) => d.refundNo === refundNo).map(({ body: _body, ...delivery }) => delivery),
    observations,
  };
  const found = history.deliveries.length > 0;
  const report: RelayReport = { command: 'status', db: outboxLabel(config), outbox, history, ok: found };
  io.stdout(`${config.json ? JSON.stringify(report, null, 2) : formatRefundHistory(history)}\n`);
  return { exitCode: found ? 0 : 2, report };
}

/**
 * `purge --older-than <duration>`: removes the buyers' personal data from the stored refunds that have been final at
 * both vendors for longer than `olderThanMs` (see `OutboxStore.purgePersonalData`), keeping the delivery facts. It
 * does not take the relay's hold, so it may run (from cron, say) beside a delivering relay. Exit code 0.
 */
export async function purgeCommand(
  config: RelayConfig,
  io: CommandIo,
  options: { olderThanMs: number },
): Promise<CommandResult> {
  const now = (io.clock ?? systemClock).now();
  const before = now - options.olderThanMs;
  const store = openOutbox(config);
  try {
    const purged = await store.purgePersonalData({ before, now });
    const outbox = await snapshotOutbox(store);
    const report: RelayReport = { command: 'purge', db: config.db, purged, outbox, ok: true };
    if (config.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout(
        `purged the buyer data of ${purged.refunds} refund${purged.refunds === 1 ? '' : 's'} ` +
          `(${purged.versions} stored version${purged.versions === 1 ? '' : 's'}) final at both vendors since before ` +
          `${new Date(before).toISOString()}; outbox ${config.db}: ${outbox.refunds} refunds, ${outbox.versions} versions\n`,
      );
    }
    return { exitCode: 0, report };
  } finally {
    await store.close();
  }
}
