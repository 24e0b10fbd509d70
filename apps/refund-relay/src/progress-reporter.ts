import type { DeliveryEvent } from './delivery-scheduler.js';
import type { Vendor } from './outbox-store.js';
import { VENDORS } from './outbox-store.js';

/** Where progress goes and how: a redrawn line on a terminal, plain lines otherwise, nothing when quiet. */
export interface ProgressOptions {
  write: (text: string) => void;
  /** Redraw one line with `\r` (a terminal and `CI` unset). */
  tty: boolean;
  quiet?: boolean;
  now?: () => number;
}

/** `1 retry`, `2 retries`: a count with its noun in the right number. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Vendor names as the operator reads them. */
export const VENDOR_LABELS: Record<Vendor, string> = { kingdee: 'Kingdee', wangdian: 'Wangdian' };

interface VendorProgress {
  total: number;
  done: number;
  retries: number;
  problems: number;
  lastDecile: number;
}

/**
 * Shows delivery progress, counted in refunds (one delivery of a refund version to a vendor; a Wangdian call carries
 * several) and retries (deliveries put back for a later attempt). On a terminal it redraws one line (at most ten
 * times a second) with a bar per vendor; otherwise it prints a plain line each time a vendor passes another tenth of
 * its work, plus one line per failed or dead-lettered delivery (with its redacted reason). `finish()` ends the
 * redrawn line.
 *
 * @example
 * const progress = createProgressReporter({ write: (t) => process.stderr.write(t), tty: process.stderr.isTTY && !process.env.CI });
 * await deliverPending({ ...options, onEvent: progress.onEvent });
 * progress.finish();
 */
export function createProgressReporter(options: ProgressOptions): {
  onEvent: (event: DeliveryEvent) => void;
  finish: () => void;
} {
  const now = options.now ?? Date.now;
  const state = Object.fromEntries(
    VENDORS.map((vendor) => [vendor, { total: 0, done: 0, retries: 0, problems: 0, lastDecile: 0 }]),
  ) as Record<Vendor, VendorProgress>;
  let drawnAt = 0;
  let drawn = false;

  const bar = (progress: VendorProgress) => {
    const width = 20;
    const share = progress.total === 0 ? 1 : Math.min(1, progress.done / progress.total);
    const filled = Math.round(share * width);
    return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  };
  const redraw = (force: boolean) => {
    if (!force && now() - drawnAt < 100) return;
    drawnAt = now();
    const parts = VENDORS.map((vendor) => {
      const p = state[vendor];
      return `${VENDOR_LABELS[vendor]} ${bar(p)} ${p.done}/${p.total}`;
    });
    const retries = VENDORS.reduce((sum, vendor) => sum + state[vendor].retries, 0);
    options.write(`\r${parts.join('  ')}  ${count(retries, 'retry', 'retries')}\u001b[K`);
    drawn = true;
  };
  const clearLine = () => {
    if (drawn) options.write('\r\u001b[K');
    drawn = false;
  };

  return {
    onEvent(event) {
      if (options.quiet) return;
      if (event.type === 'started') {
        state[event.vendor].total = event.pending;
        if (!options.tty) {
          options.write(`${VENDOR_LABELS[event.vendor]}: ${count(event.pending, 'refund', 'refunds')} to deliver\n`);
        } else redraw(true);
        return;
      }
      if (event.type === 'paused') {
        clearLine();
        options.write(`paused after ${count(event.calls, 'vendor call', 'vendor calls')} (test hook)\n`);
        return;
      }
      const progress = state[event.vendor];
      if (event.outcome === 'retry') progress.retries++;
      if (
        event.outcome === 'delivered' ||
        event.outcome === 'already-there' ||
        event.outcome === 'failed' ||
        event.outcome === 'dead'
      ) {
        progress.done++;
      }
      if (event.outcome === 'failed' || event.outcome === 'dead') {
        progress.problems++;
        clearLine();
        options.write(
          `${event.outcome} ${VENDOR_LABELS[event.vendor]} ${event.refundNo} (version ${event.versionNo}, ` +
            `attempt ${event.attempts}): ${event.errorCode} ${event.errorMessage}\n`,
        );
      }
      if (options.tty) {
        redraw(false);
        return;
      }
      const decile = progress.total === 0 ? 10 : Math.floor((progress.done / progress.total) * 10);
      if (decile > progress.lastDecile) {
        progress.lastDecile = decile;
        options.write(
          `${VENDOR_LABELS[event.vendor]}: ${progress.done}/${progress.total} refunds done, ` +
            `${count(progress.retries, 'retry', 'retries')}\n`,
        );
      }
    },
    finish() {
      if (options.quiet || !options.tty) return;
      redraw(true);
      options.write('\n');
      drawn = false;
    },
  };
}
