// Small, dependency-free statistics over arrays of numbers: the quantiles and spreads the report prints.

/**
 * Returns the q-quantile (0 ≤ q ≤ 1) of the values by linear interpolation between the closest ranks (the same
 * rule as numpy's default and tinybench's own percentiles). An empty array gives NaN.
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Returns the median of the values (NaN when there are none). */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Returns the median absolute deviation from the median, unscaled (so it reads in the values' own unit).
 */
export function mad(values) {
  const centre = median(values);
  return median(values.map((value) => Math.abs(value - centre)));
}

/**
 * Summarises a set of measurements as the figures the report keeps: median, p25, p75, MAD, min, max and count.
 *
 * @example
 * summarise([10, 11, 12, 30]); // { median: 11.5, p25: 10.75, p75: 16.5, mad: 1, min: 10, max: 30, n: 4 }
 */
export function summarise(values) {
  return {
    median: median(values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    mad: mad(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/**
 * Pairs two equally long series round by round (subject[i] with baseline[i], measured back to back) and summarises
 * the ratios subject/baseline, so slow drift of the machine between rounds cancels out of the ratio.
 */
export function pairedRatios(subject, baseline) {
  if (subject.length !== baseline.length) throw new RangeError('pairedRatios: the series differ in length');
  return summarise(subject.map((value, index) => value / baseline[index]));
}
