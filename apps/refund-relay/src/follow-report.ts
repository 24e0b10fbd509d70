import { LIFECYCLE_STATES, type LifecycleCounts } from './lifecycle.js';
import { VENDORS } from './outbox-store.js';
import { count, VENDOR_LABELS } from './progress-reporter.js';
import type { FollowRun } from './refund-follower.js';

/**
 * The human report of following: how many passes and observations, per vendor the refunds in each lifecycle state
 * (states with none left out), what is still open, and what could not be read in the last pass.
 */
export function formatFollowRun(run: FollowRun, lifecycle: LifecycleCounts): string {
  const recorded = VENDORS.reduce((sum, vendor) => sum + run.recorded[vendor], 0);
  const out = [
    `followed in ${count(run.passes, 'pass', 'passes')}: ${count(recorded, 'state change', 'state changes')} recorded; ` +
      (run.final
        ? 'every delivered refund is final'
        : `${VENDORS.map((vendor) => `${VENDOR_LABELS[vendor]} ${run.open[vendor]}`).join(', ')} still open`),
  ];
  for (const vendor of VENDORS) {
    const states = LIFECYCLE_STATES.filter((state) => lifecycle[vendor][state] > 0).map(
      (state) => `${lifecycle[vendor][state]} ${state.replace('_', ' ')}`,
    );
    out.push(`  ${VENDOR_LABELS[vendor]}: ${states.length > 0 ? states.join(', ') : 'nothing delivered'}`);
    for (const problem of run.problems[vendor]) out.push(`  ${VENDOR_LABELS[vendor]} could not read: ${problem}`);
  }
  return out.join('\n');
}
