/**
 * Time as the relay sees it: `now()` in epoch milliseconds and `sleep(ms)`, which an abort signal cuts short. Tests
 * hand the relay a manual clock so rate limits and backoff run without real waiting.
 */
export interface RelayClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and a timer that does not keep the process alive on its own once aborted. */
export const systemClock: RelayClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) {
        resolve();
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
