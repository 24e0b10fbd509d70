/**
 * A per-account request-rate meter: how many requests an account made in the trailing minute, and the most it ever
 * made in any trailing minute. Times come from the sandbox clock, so a test with a fixed clock measures exactly.
 */

/** The rate of one account. */
export interface KingdeeRequestRate {
  /** Requests in the 60 s up to the sandbox's time now. */
  lastMinute: number;
  /** The most requests seen in any 60 s window ending at a request. */
  peakPerMinute: number;
}

const MINUTE_MS = 60_000;

/** Creates an empty meter. */
export function createRateMeter() {
  const times = new Map<string, number[]>();
  const peaks = new Map<string, number>();

  const trim = (list: number[], now: number) => {
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= now - MINUTE_MS) drop += 1;
    if (drop > 0) list.splice(0, drop);
  };

  return {
    /** Records one request of `account` at `now` (epoch ms). */
    record(account: string, now: number): void {
      let list = times.get(account);
      if (!list) {
        list = [];
        times.set(account, list);
      }
      trim(list, now);
      list.push(now);
      peaks.set(account, Math.max(peaks.get(account) ?? 0, list.length));
    },
    /** Every account's rate at `now`. */
    snapshot(now: number): Record<string, KingdeeRequestRate> {
      const out: Record<string, KingdeeRequestRate> = {};
      for (const [account, list] of times) {
        trim(list, now);
        out[account] = { lastMinute: list.length, peakPerMinute: peaks.get(account) ?? 0 };
      }
      return out;
    },
    clear(): void {
      times.clear();
      peaks.clear();
    },
  };
}
