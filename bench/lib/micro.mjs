// Micro-benchmarks of a subject beside its baseline, with tinybench, over several alternating rounds.
import { Bench } from 'tinybench';
import { pairedRatios, summarise } from './stats.mjs';

/**
 * Times `subject` and `baseline` (synchronous functions doing one operation each) with tinybench: warm-up, then
 * `rounds` rounds, each timing both for `timeMs`, alternating which goes first. Returns the per-operation latency
 * in µs (summary of every round's median), the ops/s of each, and the ratio subject/baseline paired round by round.
 * Both functions are called once first and must agree with `check(subjectResult, baselineResult)` when given, so a
 * baseline that computes something else is caught rather than timed.
 */
export function compareMicro({ subject, baseline, rounds, timeMs, check }) {
  if (check) check(subject(), baseline());
  const subjectMedians = [];
  const baselineMedians = [];
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: Math.min(100, timeMs), iterations: 32, throws: true });
    const order = round % 2 === 0 ? ['subject', 'baseline'] : ['baseline', 'subject'];
    for (const name of order) bench.add(name, name === 'subject' ? subject : baseline);
    bench.runSync();
    const p50 = (name) => {
      const task = bench.getTask(name);
      if (task?.result?.state !== 'completed') throw new Error(`tinybench task ${name} did not complete`);
      return task.result.latency.p50 * 1000;
    };
    subjectMedians.push(p50('subject'));
    baselineMedians.push(p50('baseline'));
  }
  const subjectSummary = summarise(subjectMedians);
  const baselineSummary = summarise(baselineMedians);
  return {
    subject: { ...subjectSummary, opsPerSecond: 1e6 / subjectSummary.median },
    baseline: { ...baselineSummary, opsPerSecond: 1e6 / baselineSummary.median },
    ratio: pairedRatios(subjectMedians, baselineMedians),
  };
}
