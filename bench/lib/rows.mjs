// The one record every benchmark produces, and its verdict against its target.

/**
 * Builds a measured row. `subject` and `baseline` are summaries (see stats.summarise) in `unit`; `ratio` is the
 * summary of subject/baseline; `better` says which direction is good; `target` (optional) is checked on the median
 * of the ratio (`on: 'ratio'`) or of the subject itself (`on: 'subject'`, e.g. a byte budget), or is a yes/no
 * check decided by the benchmark (`{ label, met }`). A missed target is reported, never thrown: thresholds fail
 * nothing.
 *
 * @example
 * measuredRow({ id: 'x', name: 'sign', unit: 'µs', subject, baseline: { label: 'node:crypto', ...b },
 *   ratio, better: 'lower', target: { on: 'ratio', op: '<=', value: 1.5 } });
 */
export function measuredRow({ id, name, unit, subject, baseline, ratio, better, target, notes = [], extra }) {
  let verdict = 'info';
  if (typeof target?.met === 'boolean') {
    verdict = target.met ? 'met' : 'missed';
  } else if (target) {
    const figure = target.on === 'subject' ? subject.median : ratio.median;
    verdict = (target.op === '<=' ? figure <= target.value : figure >= target.value) ? 'met' : 'missed';
  }
  return {
    id,
    name,
    status: 'ok',
    unit,
    subject,
    baseline,
    ratio,
    better,
    target: target ?? null,
    verdict,
    notes,
    ...(extra ? { extra } : {}),
  };
}

/** A benchmark that could not run here, with the reason (a missing package, API or build). */
export function skippedRow({ id, name, reason }) {
  return { id, name, status: 'skipped', reason, verdict: 'skipped' };
}

/** A benchmark that threw: the one outcome that makes the run exit non-zero. */
export function crashedRow({ id, name, error }) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // One line, so the table stays a table; the full error is printed to stderr when it happens.
  const reason = message.replace(/\s+/g, ' ').trim();
  return {
    id,
    name,
    status: 'crashed',
    reason: reason.length > 200 ? `${reason.slice(0, 199)}…` : reason,
    verdict: 'crashed',
  };
}

/**
 * Thrown by a benchmark that cannot run here (a package not built yet, an export missing): the harness turns it into
 * a skipped row instead of a crash.
 */
export class BenchmarkSkipped extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'BenchmarkSkipped';
  }
}
