import { VENDORS, type Vendor } from './outbox-store.js';

/**
 * The relay's one test hook: stop the process at a named point of its work, at the nth arrival there, so a test can
 * prove that a `kill -9` at exactly that point loses no refund and delivers none twice. Nothing here runs unless the
 * hook is set, and only the CLI sets it:
 *
 * - `REFUND_RELAY_CRASH_AT=<point>[@<vendor>][:<n>]` (environment): the process sends itself SIGKILL at the nth
 *   arrival (default 1) at `<point>`, counting only one vendor's deliveries with `@kingdee` or `@wangdian`; the
 *   crash-point tests use it.
 * - `--pause-after <N>` (flag): the process freezes, without dying, at arrival N + 1 at `after-answer` (right after its
 *   (N+1)-th vendor call returned, before recording it) and prints `paused after …`, so a test can look at the outbox
 *   before killing it from outside.
 *
 * The points, in the order a refund meets them:
 *
 * | point          | arrival                                                                                     |
 * | -------------- | ------------------------------------------------------------------------------------------- |
 * | `intake`       | an input record was written to the outbox (its transaction committed), before the next one |
 * | `before-send`  | a batch was claimed (`in_flight`, committed) and its vendor call is about to be made        |
 * | `after-answer` | a vendor call returned (answer or error) and nothing of it is recorded yet                   |
 * | `mid-batch`    | the results of a claim of several deliveries (a Wangdian upload of several refunds, or a      |
 * |                | Kingdee claim's several calls) are written in their recording transaction, which has not     |
 * |                | committed (the kill must leave all of them in flight)                                         |
 * | `after-commit` | a delivery was recorded `delivered` (committed)                                              |
 * | `mid-follow`   | a follow pass's observations and feed positions are written in their transaction, which has |
 * |                | not committed (the kill must leave none of them stored; the next pass reads the same again)  |
 */

/** The points the test hook can stop the relay at (see the module comment). */
export const CRASH_POINTS = [
  'intake',
  'before-send',
  'after-answer',
  'mid-batch',
  'after-commit',
  'mid-follow',
] as const;

/** One of `CRASH_POINTS`. */
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** The environment variable that sets the hook to kill the process: `<point>[@<vendor>][:<n>]`. */
export const CRASH_AT_ENV = 'REFUND_RELAY_CRASH_AT';

/** Where the hook acts and what it does there: `kill` sends SIGKILL to the process, `pause` freezes it for good. */
export interface TestHookSetting {
  point: CrashPoint;
  /** The arrival at `point` that triggers the action, counting from 1. */
  nth: number;
  /** Count only arrivals for this vendor's deliveries (`before-send`, `after-answer`, `mid-batch`, `after-commit`). */
  vendor?: Vendor;
  action: 'kill' | 'pause';
}

/** A live hook: the relay reports each arrival; `stopped` tells other workers to stand still after a pause. */
export interface TestHook {
  readonly setting: TestHookSetting;
  readonly stopped: boolean;
  /**
   * Counts one arrival at `point` (for `vendor`'s deliveries, when it is about deliveries); at the set arrival it
   * kills the process or (pause) calls `onPause` and never resolves. Otherwise it resolves at once.
   */
  arrive(point: CrashPoint, options?: { vendor?: Vendor; onPause?: () => void }): Promise<void>;
}

/**
 * Reads `<point>[@<vendor>][:<n>]` (the `REFUND_RELAY_CRASH_AT` value) into a kill setting, or returns a message
 * saying what is wrong with it.
 *
 * @example
 * parseCrashAt('after-commit:25'); // { point: 'after-commit', nth: 25, action: 'kill' }
 * parseCrashAt('mid-batch@kingdee:2'); // { point: 'mid-batch', nth: 2, action: 'kill', vendor: 'kingdee' }
 */
export function parseCrashAt(text: string): TestHookSetting | string {
  const match = /^([a-z-]+)(?:@([a-z]+))?(?::(\d+))?$/.exec(text.trim());
  const point = CRASH_POINTS.find((name) => name === match?.[1]);
  const vendor = VENDORS.find((name) => name === match?.[2]);
  const nth = match?.[3] === undefined ? 1 : Number(match[3]);
  if (!point || (match?.[2] !== undefined && !vendor) || !Number.isSafeInteger(nth) || nth < 1) {
    return (
      `${CRASH_AT_ENV} must be <point>[@<vendor>][:<n>] with n ≥ 1, point one of ${CRASH_POINTS.join(', ')} ` +
      `and vendor one of ${VENDORS.join(', ')}`
    );
  }
  return { point, nth, action: 'kill', ...(vendor ? { vendor } : {}) };
}

/**
 * Makes the live hook for a setting (one per process run; arrivals are counted per point across both vendors and
 * every worker).
 */
export function createTestHook(setting: TestHookSetting): TestHook {
  const arrivals = new Map<CrashPoint, number>();
  let stopped = false;
  return {
    setting,
    get stopped() {
      return stopped;
    },
    async arrive(point, { vendor, onPause } = {}) {
      if (point !== setting.point || stopped) return;
      if (setting.vendor !== undefined && vendor !== setting.vendor) return;
      const count = (arrivals.get(point) ?? 0) + 1;
      arrivals.set(point, count);
      if (count !== setting.nth) return;
      stopped = true;
      if (setting.action === 'kill') process.kill(process.pid, 'SIGKILL');
      else onPause?.();
      await freeze();
    },
  };
}

/** A promise that stays pending for good while keeping the process alive (until it is killed). */
export function freeze(): Promise<never> {
  setInterval(() => {}, 1 << 30);
  return new Promise<never>(() => {});
}
