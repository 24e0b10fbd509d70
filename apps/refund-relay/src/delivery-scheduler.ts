import type { Refund } from '@refundkit/refund-model';
import { backoffDelay } from '@refundkit/transport';
import type { RelayClock } from './clock.js';
import { errorFacts } from './error-facts.js';
import type { ClaimedDelivery, DeliveryResult, OutboxStore, Vendor } from './outbox-store.js';
import { VENDORS } from './outbox-store.js';
import { storedRefund } from './refund-content.js';
import { freeze, type TestHook } from './test-hook.js';
import type { TokenBucket } from './token-bucket.js';
import type { DeliveryItem, PortOutcome, VendorPort } from './vendor-port.js';

/**
 * Calls one worker makes from a single claim when its port takes one refund per call: 16 in-flight marks commit in
 * one transaction and 16 results in another (measured against 8: 0.4–0.9 s less CPU per 10,000 refunds). A crash
 * before the results commit re-sends up to that many answered calls per worker, which the vendor answers
 * idempotently; more would re-send more, and hold more claimed refunds back under a rate limit.
 */
const CALLS_PER_CLAIM = 16;

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
  /**
   * Stops claiming new work once aborted; calls under way finish and are recorded, and deliveries claimed for calls
   * not yet made go back to pending (their attempt not counted).
   */
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
 * call and recorded after it, several at once where a vendor takes one refund per call (see `deliverClaimed`):
 * delivered (also when the vendor says it already has the refund), retried later with backoff for retryable errors,
 * dead after `maxAttempts`, failed for errors that no retry can fix. When a batch of several refunds is refused as a
 * whole, each refund is sent alone next, so one bad refund cannot sink 99 good ones. Returns what happened per
 * vendor.
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

  // A port that takes one refund per call (Kingdee) gets several calls' refunds per claim, so their in-flight marks
  // and their results each commit in one transaction instead of one per call.
  const callsPerClaim = port.maxRefundsPerCall === 1 ? CALLS_PER_CLAIM : 1;
  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted) {
      if (options.testHook?.stopped) await freeze();
      await bucket.take(options.signal);
      if (options.signal?.aborted) return;
      const claimed = await store.claim(vendor, {
        now: clock.now(),
        maxRefunds: port.maxRefundsPerCall * callsPerClaim,
        maxLines: callsPerClaim === 1 ? port.maxLinesPerCall : Number.MAX_SAFE_INTEGER,
        sameShop: port.sameShop,
      });
      if (claimed.length === 0) {
        bucket.giveBack();
        if (!(await waitForWork())) {
          notify();
          return;
        }
        continue;
      }
      busy++;
      try {
        const calls = callsPerClaim === 1 ? [claimed] : claimed.map((delivery) => [delivery]);
        await deliverClaimed(vendor, calls, port, options, tally, shared);
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

/** What becomes of one claimed delivery after its call: what to record, what to report, and the redacted error. */
interface Decision {
  claimed: ClaimedDelivery;
  result: DeliveryResult;
  reported?: AttemptOutcome;
  facts?: { code: string; message: string };
}

/**
 * Makes the calls of one claim, one after another (each waits for its rate-limit token; the first one's was taken
 * before the claim), then records every result in one transaction and only then counts and reports them.
 *
 * The order is what keeps each refund delivered exactly once per vendor, and batching does not change it:
 * 1. `claim` commits the in-flight marks (attempt counted) before the first call is made. A crash from there on
 *    leaves them in flight; `open` puts them back to pending and they are sent again, which both vendors answer
 *    idempotently on the refund number (Kingdee returns the stored refund, Wangdian counts the rows unchanged).
 * 2. The results commit together in `recordAll`, after the last call of the claim answered and before anything is
 *    counted, reported, or claimed again by this worker. A delivery is done only once its delivered mark is
 *    committed; a newer version of the same refund cannot be claimed while this one is still in flight. A crash
 *    before the commit (the `mid-batch` point is inside the transaction) stores none of the results: all of them
 *    are in flight, and are re-sent as in 1. A crash after it re-sends none of them.
 * A stop (abort) between two calls of a claim releases the deliveries whose calls were not made, uncounted.
 */
async function deliverClaimed(
  vendor: Vendor,
  calls: ClaimedDelivery[][],
  port: VendorPort,
  options: DeliverOptions,
  tally: DeliveryTally,
  shared: { calls: number },
): Promise<void> {
  const { store, clock } = options;
  const { bucket } = options.limits[vendor];
  const decisions: Decision[] = [];
  for (let index = 0; index < calls.length; index++) {
    if (index > 0) {
      if (options.testHook?.stopped) await freeze();
      await bucket.take(options.signal);
      if (options.signal?.aborted) {
        for (const claimed of calls.slice(index).flat()) decisions.push({ claimed, result: { kind: 'release' } });
        break;
      }
    }
    decisions.push(...(await callVendor(calls[index]!, port, options)));
    tally.calls++;
    shared.calls++;
    await options.testHook?.arrive('after-answer', {
      vendor,
      onPause: () => options.onEvent?.({ type: 'paused', calls: shared.calls }),
    });
  }

  const hook = options.testHook;
  await store.recordAll(
    decisions.map(({ claimed, result }) => ({ id: claimed.id, result })),
    {
      now: clock.now(),
      // The `mid-batch` kill happens here, synchronously inside the transaction: every result written, none
      // committed. The whole claim (an upload, or several Kingdee calls) is then still in flight, and its re-send
      // creates nothing twice at the vendor.
      ...(hook && decisions.length > 1 ? { beforeCommit: () => void hook.arrive('mid-batch', { vendor }) } : {}),
    },
  );
  for (const { claimed, result, reported, facts } of decisions) {
    if (result.kind === 'delivered') await options.testHook?.arrive('after-commit', { vendor });
    if (reported === undefined) continue;
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

/** Makes one vendor call for a batch of claimed deliveries and decides, for each, what to record. */
async function callVendor(batch: ClaimedDelivery[], port: VendorPort, options: DeliverOptions): Promise<Decision[]> {
  const items: (DeliveryItem | undefined)[] = [];
  const outcomes: (PortOutcome | undefined)[] = [];
  for (const claimed of batch) {
    try {
      // A body exactly as intake stored it is rebuilt without validating it again; any other is validated.
      const refund = storedRefund(claimed.body, claimed.contentHash);
      const previous = claimed.previousDeliveredBody ? storedRefund(claimed.previousDeliveredBody) : undefined;
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
    await options.testHook?.arrive('before-send', { vendor: port.vendor });
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

  const now = options.clock.now();
  const several = sendable.length > 1;
  const inCall = sendable.map((item) => item.refund);
  return batch.map((claimed, i): Decision => {
    const outcome = outcomes[i]!;
    // The vendor's own words in an observation are scrubbed like error texts.
    const observation = outcome.observation && {
      ...outcome.observation,
      reason: outcome.observation.reason === null ? null : options.redact(outcome.observation.reason, inCall),
    };
    if (outcome.ok) {
      return {
        claimed,
        result: {
          kind: 'delivered',
          alreadyThere: outcome.alreadyThere ?? false,
          vendorResult: outcome.vendorResult,
          ...(observation ? { observation } : {}),
        },
        reported: outcome.alreadyThere ? 'already-there' : 'delivered',
      };
    }
    const error = errorFacts(outcome.error);
    // An answer to a call with several refunds may quote any of them: hide every buyer in the call.
    const facts = { code: error.code, message: options.redact(error.message, inCall) };
    if (error.code === 'ALREADY_EXISTS' && !several) {
      return {
        claimed,
        result: { kind: 'delivered', alreadyThere: true, vendorResult: { alreadyExists: facts.message } },
        reported: 'already-there',
      };
    }
    if (error.retryable) {
      if (claimed.attempts >= options.maxAttempts) {
        return {
          claimed,
          result: { kind: 'dead', errorCode: facts.code, errorMessage: facts.message },
          reported: 'dead',
          facts,
        };
      }
      const delay = backoffDelay(claimed.attempts, options.backoff, error.retryAfterMs, options.random);
      return {
        claimed,
        result: { kind: 'retry', nextAttemptAt: now + delay, errorCode: facts.code, errorMessage: facts.message },
        reported: 'retry',
        facts,
      };
    }
    if (several && !outcome.specific) return { claimed, result: { kind: 'isolate' }, reported: 'isolated', facts };
    return {
      claimed,
      result: {
        kind: 'failed',
        errorCode: facts.code,
        errorMessage: facts.message,
        ...(observation ? { observation } : {}),
      },
      reported: 'failed',
      facts,
    };
  });
}
