// Latency and throughput rounds for HTTP calls, timed with performance.now(), subject and baseline interleaved.
import { pairedRatios, summarise } from './stats.mjs';

/**
 * Calls `call(index)` `count` times one after another; returns each call's latency in ms.
 */
export async function sequentialLatencies(call, count, offset = 0) {
  const latencies = [];
  for (let index = 0; index < count; index++) {
    const begun = performance.now();
    await call(offset + index);
    latencies.push(performance.now() - begun);
  }
  return latencies;
}

/**
 * Makes `count` calls with at most `concurrency` in flight (each worker takes the next index as soon as its call
 * ends) and returns the whole round's throughput in calls per second.
 */
export async function throughput(call, count, concurrency, offset = 0) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await call(offset + index);
    }
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return count / ((performance.now() - begun) / 1000);
}

// Call indexes are unique for the whole run, so sides shared by several comparisons never repeat an input.
let nextIndex = 0;

/**
 * Compares a subject and a baseline over `rounds` rounds. Each side is `{ prepare?(start, count), call(index) }`:
 * `prepare` runs untimed before each batch of calls (to precompute signed headers with a fresh timestamp, say), and
 * calls get distinct, increasing indexes across the whole comparison, so each can use fresh inputs (refund numbers,
 * nonces). After `warmupCalls` of each side, every round measures both (alternating which goes first) and keeps one
 * figure per side: the median call latency in ms at concurrency 1 (`mode: 'latency'`) or the round's calls per
 * second at `concurrency` (`mode: 'throughput'`). Returns `{ subject, baseline, ratio }` summaries; the ratio is
 * subject/baseline paired by round.
 */
export async function compareCalls({ subject, baseline, mode, rounds, calls, warmupCalls, concurrency = 1 }) {
  const batch = async (side, count, measure) => {
    const start = nextIndex;
    nextIndex += count;
    await side.prepare?.(start, count);
    const call = (index) => side.call(index);
    if (mode === 'throughput') {
      // Warm-up at full concurrency too, so both sides find the connection pool already open.
      const figure = await throughput(call, count, concurrency, start);
      return measure ? figure : undefined;
    }
    const latencies = await sequentialLatencies(call, count, start);
    return measure ? summarise(latencies).median : undefined;
  };
  if (warmupCalls > 0) {
    await batch(subject, warmupCalls, false);
    await batch(baseline, warmupCalls, false);
  }
  const subjectFigures = [];
  const baselineFigures = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      subjectFigures.push(await batch(subject, calls, true));
      baselineFigures.push(await batch(baseline, calls, true));
    } else {
      baselineFigures.push(await batch(baseline, calls, true));
      subjectFigures.push(await batch(subject, calls, true));
    }
  }
  return {
    subject: summarise(subjectFigures),
    baseline: summarise(baselineFigures),
    ratio: pairedRatios(subjectFigures, baselineFigures),
  };
}
