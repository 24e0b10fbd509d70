// Shared by this app's tests only; the CLI never imports it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRefund, type Refund } from '@refundkit/refund-model';
import type { RelayClock } from './clock.js';
import type { OutboxStore } from './outbox-store.js';
import { generateSampleRefunds } from './sample-refunds.js';

/** A temporary folder removed by the returned `cleanup`. */
export function tempDir(prefix = 'refund-relay-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock tests move by hand: `sleep` resolves once `advance` passes its deadline (or its signal aborts). */
export function manualClock(
  start = 1_700_000_000_000,
): RelayClock & { advance(ms: number): Promise<void>; sleeping(): number } {
  let now = start;
  const sleepers: { until: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (ms <= 0 || signal?.aborted) {
          resolve();
          return;
        }
        const entry = { until: now + ms, resolve };
        sleepers.push(entry);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    async advance(ms) {
      now += ms;
      for (const entry of sleepers.splice(0)) {
        if (entry.until <= now) entry.resolve();
        else sleepers.push(entry);
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
    sleeping: () => sleepers.length,
  };
}

/** `count` valid sample refunds (the generator's valid ones, parsed). */
export function sampleRefunds(count: number, seed = 7, batch?: string): Refund[] {
  const { records } = generateSampleRefunds({ count, seed, ...(batch ? { batch } : {}) });
  return validSampleRecords(records)
    .map((record) => parseRefund(record))
    .filter((refund, index, all) => all.findIndex((other) => other.refundNo === refund.refundNo) === index);
}

/** The records of a generated sample that are meant to be valid (the invalid ones are numbered `RFX…` or empty). */
export function validSampleRecords(records: Record<string, unknown>[]): Record<string, unknown>[] {
  return records.filter((record) => record.refundNo !== '' && !String(record.refundNo).startsWith('RFX'));
}

/**
 * `store` whose follow recordings die inside their transaction with "killed mid-follow", as a kill at the
 * `mid-follow` point does: nothing a pass would have recorded is kept.
 */
export function killedMidFollow(store: OutboxStore): OutboxStore {
  return {
    ...store,
    recordObservations: (observations, options) =>
      store.recordObservations(observations, {
        ...options,
        beforeCommit: () => {
          throw new Error('killed mid-follow');
        },
      }),
  };
}
