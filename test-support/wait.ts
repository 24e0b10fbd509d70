/**
 * Resolves once `condition()` holds, checking again after every turn of the event loop's timers: for tests that
 * must act after something happened elsewhere (a sandbox logged a request), never after a guessed delay.
 */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}
