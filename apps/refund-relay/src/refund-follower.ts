import type { RelayClock } from './clock.js';
import type { VendorFollowPort } from './follow-port.js';
import { isFinalLifecycleState, type LifecycleObservation } from './lifecycle.js';
import type { OutboxStore, Vendor } from './outbox-store.js';
import { VENDORS } from './outbox-store.js';
import type { TestHook } from './test-hook.js';

/** Per vendor, what one follow pass did. */
export interface FollowTally {
  /** Refunds the pass followed (delivered, not final). */
  followed: number;
  /** Observations it appended (changes seen). */
  recorded: number;
  /** Refunds still not final after it. */
  open: number;
  /** What could not be read this time (redacted); left for the next pass. */
  problems: string[];
}

/** Everything `followOnce` works with. */
export interface FollowOptions {
  store: OutboxStore;
  /** The vendors to follow, by their follow port. */
  ports: Partial<Record<Vendor, VendorFollowPort>>;
  clock: RelayClock;
  /** How long after delivery a refund the vendor does not show yet counts as `missing`. */
  missingAfterMs: number;
  /** Scrubs vendor texts (refusal reasons, problems) before they are stored or shown. */
  redact?: (text: string) => string;
  signal?: AbortSignal;
  /** The test hook: told of `mid-follow` inside each pass's recording transaction. */
  testHook?: TestHook;
}

/**
 * One follow pass at every vendor given: reads the refunds not yet final (`followCandidates`), lets the vendor's port
 * read what the vendor shows of them, marks those it still does not show `missingAfterMs` after delivery as
 * `missing`, and stores every observation together with the feed positions the pass read up to, in one transaction
 * per vendor. A pass killed before that commit stored nothing and the next one reads the same windows again; one
 * repeated after it appends nothing twice (an observation equal to the current lifecycle is not appended).
 *
 * @example
 * const tallies = await followOnce({ store, ports: { wangdian: followPort }, clock: systemClock });
 */
export async function followOnce(options: FollowOptions): Promise<Record<Vendor, FollowTally>> {
  const idle = (): FollowTally => ({ followed: 0, recorded: 0, open: 0, problems: [] });
  const tallies: Record<Vendor, FollowTally> = { kingdee: idle(), wangdian: idle() };
  await Promise.all(
    VENDORS.map(async (vendor) => {
      const port = options.ports[vendor];
      if (port) tallies[vendor] = await followVendor(vendor, port, options);
    }),
  );
  return tallies;
}

async function followVendor(vendor: Vendor, port: VendorFollowPort, options: FollowOptions): Promise<FollowTally> {
  const { store, clock } = options;
  const redact = options.redact ?? ((text: string) => text);
  const candidates = await store.followCandidates(vendor);
  if (candidates.length === 0) return { followed: 0, recorded: 0, open: 0, problems: [] };
  const now = clock.now();
  const pass = await port.follow(candidates, {
    now,
    cursor: (feed) => store.followCursor(vendor, feed),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const seen = new Set(pass.observations.map((observation) => observation.refundNo));
  const { missingAfterMs } = options;
  const observations: LifecycleObservation[] = pass.observations.map((observation) => ({
    ...observation,
    reason: observation.reason === null ? null : redact(observation.reason),
  }));
  for (const candidate of candidates) {
    if (seen.has(candidate.refundNo) || candidate.state !== 'awaiting') continue;
    if (now - candidate.deliveredAt < missingAfterMs) continue;
    observations.push({
      refundNo: candidate.refundNo,
      versionNo: candidate.versionNo,
      vendor,
      state: 'missing',
      stage: null,
      vendorStatus: null,
      reason: `not shown by ${vendor} ${Math.round(missingAfterMs / 60_000)} min after delivery`,
      differences: [],
      detail: {},
    });
  }
  const hook = options.testHook;
  const { recorded } = await store.recordObservations(observations, {
    now: clock.now(),
    cursors: pass.cursors,
    // The `mid-follow` kill happens here, inside the transaction: everything written, nothing committed.
    ...(hook ? { beforeCommit: () => void hook.arrive('mid-follow') } : {}),
  });
  const final = new Set(observations.filter((o) => isFinalLifecycleState(o.state)).map((o) => o.refundNo));
  return {
    followed: candidates.length,
    recorded,
    open: candidates.filter((candidate) => !final.has(candidate.refundNo)).length,
    problems: pass.problems.map(redact),
  };
}

/** What `followUntilFinal` did. */
export interface FollowRun {
  /** Passes made. */
  passes: number;
  /** Observations appended, per vendor, over every pass. */
  recorded: Record<Vendor, number>;
  /** Refunds still not final at the end, per vendor. */
  open: Record<Vendor, number>;
  /** Whether every followed refund is final (nothing open). */
  final: boolean;
  /** The problems of the last pass, per vendor. */
  problems: Record<Vendor, string[]>;
}

/**
 * Follows pass after pass, `intervalMs` apart (on the relay's clock), until nothing followed is open or `timeoutMs`
 * after the start, or the signal aborts; at least one pass is made.
 */
export async function followUntilFinal(
  options: FollowOptions & { timeoutMs: number; intervalMs: number },
): Promise<FollowRun> {
  const { clock } = options;
  const deadline = clock.now() + options.timeoutMs;
  const run: FollowRun = {
    passes: 0,
    recorded: { kingdee: 0, wangdian: 0 },
    open: { kingdee: 0, wangdian: 0 },
    final: false,
    problems: { kingdee: [], wangdian: [] },
  };
  for (;;) {
    const tallies = await followOnce(options);
    run.passes++;
    for (const vendor of VENDORS) {
      run.recorded[vendor] += tallies[vendor].recorded;
      run.open[vendor] = tallies[vendor].open;
      run.problems[vendor] = tallies[vendor].problems;
    }
    run.final = VENDORS.every((vendor) => run.open[vendor] === 0);
    const left = deadline - clock.now();
    if (run.final || left <= 0 || options.signal?.aborted) return run;
    await clock.sleep(Math.min(options.intervalMs, left), options.signal);
  }
}
