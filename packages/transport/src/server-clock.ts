/** A clock that knows how far the server's clock is from ours, so signed timestamps land inside its window. */
export interface ServerClock {
  /** Local time plus the learned offset, in epoch milliseconds. */
  now(): number;
  /** Server time minus local time, in milliseconds (0 until something is learned). */
  readonly offsetMs: number;
  /** Learns the offset from a server time observed between `sentAt` and `receivedAt` (local epoch ms): the server
   * is assumed to have stamped it half-way through the round trip. */
  learn(serverTimeMs: number, sentAt: number, receivedAt: number): void;
  /** Learns the offset from an HTTP `Date` header; answers false (and learns nothing) when it is absent or invalid. */
  learnFromDateHeader(value: string | null, sentAt: number, receivedAt: number): boolean;
}

/**
 * Creates a {@link ServerClock}. `now` is the local time source (default `Date.now`); the offset starts at 0. A
 * `Date` header has whole-second precision, so the clock reads it as the middle of that second; the remaining error
 * (at most about half a second plus half the round trip) is far inside both vendors' timestamp windows.
 *
 * @example
 * const clock = createServerClock();
 * clock.learnFromDateHeader(response.headers.get('date'), sentAt, Date.now());
 * const timestamp = clock.now();
 */
export function createServerClock(options: { now?: () => number } = {}): ServerClock {
  const localNow = options.now ?? Date.now;
  let offsetMs = 0;
  const learn = (serverTimeMs: number, sentAt: number, receivedAt: number): void => {
    if (!Number.isFinite(serverTimeMs) || !Number.isFinite(sentAt) || !Number.isFinite(receivedAt)) {
      throw new RangeError('learn() needs three finite epoch-millisecond times');
    }
    offsetMs = Math.round(serverTimeMs - (sentAt + receivedAt) / 2);
  };
  return {
    now: () => localNow() + offsetMs,
    get offsetMs() {
      return offsetMs;
    },
    learn,
    learnFromDateHeader(value, sentAt, receivedAt) {
      if (!value) return false;
      const parsed = Date.parse(value);
      if (Number.isNaN(parsed)) return false;
      learn(parsed + 500, sentAt, receivedAt);
      return true;
    },
  };
}
