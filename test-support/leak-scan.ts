/**
 * Run-wide leak scan (vitest setup file, loaded before every test file).
 *
 * It sees every refundkit error constructed anywhere in the run (its message and its `toJSON()`), and every line
 * written to the console, stdout or stderr by the code under test, and fails the test during which a secret, salt,
 * signature, app-token or buyer name showed up in one of them. The first half works by replacing the global `Error`
 * with a transparent proxy before any module is imported, so every `class … extends Error` of ours is built through
 * it; the second by wrapping the console methods and the two streams' `write`.
 *
 * What counts as a leak is listed in `leak-patterns.ts`. Totals go to the run's folder, REFUNDKIT_TEST_RUN_DIR (set
 * by `test-run.global.ts`, which prints them once the run ends).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, afterEach } from 'vitest';
import { findLeaks } from './leak-patterns.ts';

const MARKER = Symbol.for('refundkit.error');
const seenErrors: Error[] = [];
const texts: string[] = [];
const totals = { errors: 0, lines: 0, hits: 0 };

const OriginalError = globalThis.Error;
if (!(OriginalError as { [MARKER]?: boolean })[MARKER]) {
  const watched = new Proxy(OriginalError, {
    construct(target, args, newTarget) {
      const error = Reflect.construct(target, args, newTarget) as Error;
      seenErrors.push(error);
      return error;
    },
    apply(target, thisArg, args) {
      const error = Reflect.apply(target, thisArg, args) as Error;
      seenErrors.push(error);
      return error;
    },
    get(target, key, receiver) {
      // Lets a second copy of this file (a nested run) see that the scan is already in place.
      if (key === MARKER) return true;
      return Reflect.get(target, key, receiver);
    },
  });
  globalThis.Error = watched;
}

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    texts.push(format(...args));
    original(...args);
  };
}
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    texts.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return original(chunk, ...rest);
  }) as typeof stream.write;
}

function refundkitTexts(error: Error): string[] {
  if ((error as { [MARKER]?: unknown })[MARKER] !== true) return [];
  const out = [String(error.message)];
  const toJSON = (error as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') out.push(JSON.stringify(toJSON.call(error)) ?? '');
  return out;
}

afterEach(() => {
  const errors = seenErrors.splice(0);
  const lines = texts.splice(0);
  const scanned = [...errors.flatMap(refundkitTexts), ...lines];
  totals.errors += errors.filter((error) => (error as { [MARKER]?: unknown })[MARKER] === true).length;
  totals.lines += lines.length;
  const hits = scanned.flatMap((text) => findLeaks(text));
  totals.hits += hits.length;
  if (hits.length > 0) {
    // Name what leaked and how often, never the value itself.
    const kinds = [...new Set(hits)].join(', ');
    throw new OriginalError(`leak scan: ${hits.length} leak(s) of ${kinds} in an error message, toJSON() or log line`);
  }
});

afterAll(() => {
  const dir = process.env.REFUNDKIT_TEST_RUN_DIR;
  if (dir) appendFileSync(join(dir, `leak-scan-${process.pid}.jsonl`), `${JSON.stringify(totals)}\n`);
});
