import { parseRefund, type Refund } from '@refundkit/refund-model';
import { backoffDelay } from '@refundkit/transport';
import type { RelayClock } from './clock.js';
import { errorFacts } from './error-facts.js';
import type { ClaimedDelivery, DeliveryResult, OutboxStore, Vendor } from './outbox-store.js';
import { VENDORS } from './outbox-store.js';
import { freeze, type TestHook } from './test-hook.js';
import type { TokenBucket } from './token-bucket.js';
import type { DeliveryItem, PortOutcome, VendorPort } from './vendor-port.js';

/** How one delivery attempt ended, as the relay reports it. */
export type AttemptOutcome = 'delivered' | 'already-there' | 'retry' | 'failed' | 'dead' | 'isolated';

/** What the scheduler tells its observer (progress display, logs). */
export type DeliveryEvent =
  | { type: 'started'; vendor: Vendor; pending: number }
  | {
      type: 'attempt';
      vendor: Vendor;
      refundNo: string;
      versionNo: number;
      attempts: number;
      outcome: AttemptOutcome;
      errorCode?: string;
      /** Redacted. */
      errorMessage?: string;
    }
  | { type: 'paused'; calls: number };

/** Per vendor, what one run of `deliverPending` did. */
export interface DeliveryTally {
  delivered: number;
  alreadyThere: number;
  failed: number;
  dead: number;
  retries: number;
  calls: number;
}

/** Per-vendor limits of the scheduler. */
export interface VendorLimits {
  /** Vendor calls in flight at once. */
  concurrency: number;
  bucket: TokenBucket;
}

/** Everything `deliverPending` works with; ports, clock and store are injected so tests can replace each. */
export interface DeliverOptions {
  store: OutboxStore;
  ports: Record<Vendor, VendorPort>;
  limits: Record<Vendor, VendorLimits>;
  /** Attempts (including the first) before a retryable failure becomes `dead`. */
  maxAttempts: number;
  /** The re-send backoff: `baseMs` before jitter, doubled per attempt, capped at `maxMs`. */
  backoff: { baseMs: number; maxMs: number };
  clock: RelayClock;
  /** Scrubs error texts before they are stored or reported (see `createRedactor`). */
  redact: (text: string, refunds?: readonly Refund[]) => string;
  onEvent?: (event: DeliveryEvent) => void;
  /** Stops claiming new work once aborted; calls under way finish and are recorded. */
  signal?: AbortSignal;
  /**
   * The test hook (see `test-hook.ts`): told of every arrival at `before-send`, `after-answer`, `mid-batch` and
   * `after-commit`, it kills or freezes the process at the set one, so tests can crash the relay at an exact point.
   */
  testHook?: TestHook;
  random?: () => number;
}

/**
 * Delivers every pending delivery of both vendors until none is left that can go now or later: each vendor has its
 * own workers (`concurrency`), token bucket and batch size. A batch is claimed (`in_flight`, committed) before its
 * call and recorded after it: delivered (also when the vendor says it already has the refund), retried later with
 * backoff for retryable errors, dead after `maxAttempts`, failed for errors that no retry can fix. When a batch of
 * several refunds is refused as a whole, each refund is sent alone next, so one bad refund cannot sink 99 good ones.
 * Returns what happened per vendor.
 */
export async function deliverPending(options: DeliverOptions): Promise<Record<Vendor, DeliveryTally>> {
  const tallies = Object.fromEntries(
    VENDORS.map((vendor) => [vendor, { delivered: 0, alreadyThere: 0, failed: 0, dead: 0, retries: 0, calls: 0 }]),
  ) as Record<Vendor, DeliveryTally>;
  const shared = { calls: 0 };
  const counts = await options.store.counts();
  for (const vendor of VENDORS) {
    options.onEvent?.({ type: 'started', vendor, pending: counts[vendor].pending + counts[vendor].in_flight });
  }
  await Promise.all(VENDORS.map((vendor) => runVendor(vendor, options, tallies[vendor], shared)));
  return tallies;
}

async function runVendor(
  vendor: Vendor,
  options: DeliverOptions,
  tally: DeliveryTally,
  shared: { calls: number },
): Promise<void> {
  const { store, clock } = options;
  const port = options.ports[vendor];
  const { concurrency, bucket } = options.limits[vendor];
  let busy = 0;
  let changed = signalOnce();
  const notify = () => {
    changed.resolve();
    changed = signalOnce();
  };

  const waitForWork = async (): Promise<boolean> => {
    const next = await store.nextPendingAt(vendor);
    if (next === undefined && busy === 0) return false;
    const timer = new AbortController();
    const stop = () => timer.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    const waits: Promise<void>[] = [changed.promise];
    if (next !== undefined) waits.push(clock.sleep(Math.max(1, next - clock.now()), timer.signal));
    else waits.push(clock.sleep(2_147_483_647, timer.signal));
    await Promise.race(waits);
    timer.abort();
    options.signal?.removeEventListener('abort', stop);
    return true;
  };

  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted) {
      if (options.testHook?.stopped) await freeze();
      await bucket.take(options.signal);
      if (options.signal?.aborted) return;
      const batch = await store.claim(vendor, {
        now: clock.now(),
        maxRefunds: port.maxRefundsPerCall,
        maxLines: port.maxLinesPerCall,
        sameShop: port.sameShop,
      });
      if (batch.length === 0) {
        bucket.giveBack();
        if (!(await waitForWork())) {
          notify();
          return;
        }
        continue;
      }
      busy++;
      try {
        await deliverBatch(vendor, batch, port, options, tally, shared);
      } finally {
        busy--;
        notify();
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

function signalOnce(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

async function deliverBatch(
  vendor: Vendor,
  batch: ClaimedDelivery[],
  port: VendorPort,
  options: DeliverOptions,
  tally: DeliveryTally,
  shared: { calls: number },
): Promise<void> {
  const { store, clock } = options;
  const items: (DeliveryItem | undefined)[] = [];
  const outcomes: (PortOutcome | undefined)[] = [];
  for (const claimed of batch) {
    try {
      const refund = parseRefund(JSON.parse(claimed.body));
      const previous = claimed.previousDeliveredBody
        ? parseRefund(JSON.parse(claimed.previousDeliveredBody))
        : undefined;
      items.push({ refund, versionNo: claimed.versionNo, ...(previous ? { previous } : {}) });
      outcomes.push(undefined);
    } catch (error) {
      items.push(undefined);
      outcomes.push({ ok: false, error, specific: true });
    }
  }
  const sendable = items.filter((item): item is DeliveryItem => item !== undefined);
  if (sendable.length > 0) {
    let answers: PortOutcome[];
    await options.testHook?.arrive('before-send');
    try {
      answers = await port.send(sendable);
    } catch (error) {
      answers = sendable.map(() => ({ ok: false, error }));
    }
    let next = 0;
    for (let i = 0; i < items.length; i++) {
      if (items[i]) outcomes[i] = answers[next++] ?? { ok: false, error: new Error('the vendor port gave no answer') };
    }
  }
  tally.calls++;
  shared.calls++;
  await options.testHook?.arrive('after-answer', () => options.onEvent?.({ type: 'paused', calls: shared.calls }));

  const now = clock.now();
  const several = sendable.length > 1;
  const inCall = sendable.map((item) => item.refund);
  for (let i = 0; i < batch.length; i++) {
    const claimed = batch[i]!;
    const outcome = outcomes[i]!;
    let result: DeliveryResult;
    let reported: AttemptOutcome;
    let facts: { code: string; message: string } | undefined;
    if (outcome.ok) {
      result = { kind: 'delivered', alreadyThere: outcome.alreadyThere ?? false, vendorResult: outcome.vendorResult };
      reported = outcome.alreadyThere ? 'already-there' : 'delivered';
    } else {
      const error = errorFacts(outcome.error);
      // An answer to a call with several refunds may quote any of them: hide every buyer in the call.
      facts = { code: error.code, message: options.redact(error.message, inCall) };
      if (error.code === 'ALREADY_EXISTS' && !several) {
        result = { kind: 'delivered', alreadyThere: true, vendorResult: { alreadyExists: facts.message } };
        reported = 'already-there';
        facts = undefined;
      } else if (error.retryable) {
        if (claimed.attempts >= options.maxAttempts) {
          result = { kind: 'dead', errorCode: facts.code, errorMessage: facts.message };
          reported = 'dead';
        } else {
          const delay = backoffDelay(claimed.attempts, options.backoff, error.retryAfterMs, options.random);
          result = { kind: 'retry', nextAttemptAt: now + delay, errorCode: facts.code, errorMessage: facts.message };
          reported = 'retry';
        }
      } else if (several && !outcome.specific) {
        result = { kind: 'isolate' };
        reported = 'isolated';
      } else {
        result = { kind: 'failed', errorCode: facts.code, errorMessage: facts.message };
        reported = 'failed';
      }
    }
    await store.record(claimed.id, result, { now });
    if (result.kind === 'delivered') await options.testHook?.arrive('after-commit');
    if (i === 0 && batch.length > 1) await options.testHook?.arrive('mid-batch');
    if (reported === 'delivered') tally.delivered++;
    else if (reported === 'already-there') tally.alreadyThere++;
    else if (reported === 'retry') tally.retries++;
    else if (reported === 'failed') tally.failed++;
    else if (reported === 'dead') tally.dead++;
    options.onEvent?.({
      type: 'attempt',
      vendor,
      refundNo: claimed.refundNo,
      versionNo: claimed.versionNo,
      attempts: claimed.attempts,
      outcome: reported,
      ...(facts ? { errorCode: facts.code, errorMessage: facts.message } : {}),
    });
  }
}
