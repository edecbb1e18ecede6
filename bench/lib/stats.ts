/**
 * The statistics every figure of the benchmark uses. Percentiles are nearest-rank (the smallest sample with
 * at least p % of the samples at or below it), so a reported p99 is always a latency that really happened;
 * `Infinity` stands for "never" (a chat that did not start) and sorts last.
 */

/** A copy sorted ascending. */
export function sortedAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile of `values` for `p` in (0, 100]; NaN when there are no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile needs 0 < p <= 100 (got ${p})`);
  if (values.length === 0) return Number.NaN;
  const sorted = sortedAscending(values);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The nearest-rank median: the middle sample for an odd count, the lower middle one for an even count. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter(Number.isFinite);
  return {
    n: values.length,
    min: values.length === 0 ? Number.NaN : Math.min(...values),
    p25: percentile(values, 25),
    median: median(values),
    p75: percentile(values, 75),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
    mean: finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length,
  };
}

/** `a / b`, NaN when either is not a finite number or `b` is 0; Infinity when only `a` is infinite. */
export function ratio(a: number, b: number): number {
  if (Number.isNaN(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** A small, seedable PRNG (mulberry32), so bootstrap intervals are reproducible from the same samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function resample(values: readonly number[], random: () => number): number[] {
  return Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)]!);
}

/**
 * A percentile bootstrap interval for `stat(a) / stat(b)` (two independent samples): how far the ratio of
 * medians could move on another run of the same machine. Returns [low, high] at the given confidence.
 */
export function bootstrapRatioInterval(
  a: readonly number[],
  b: readonly number[],
  options: {
    stat?: (values: readonly number[]) => number;
    iterations?: number;
    confidence?: number;
    seed?: number;
  } = {},
): [number, number] {
  const { stat = median, iterations = 2_000, confidence = 0.95, seed = 1 } = options;
  if (a.length === 0 || b.length === 0) return [Number.NaN, Number.NaN];
  const random = seededRandom(seed);
  const ratios: number[] = [];
  for (let i = 0; i < iterations; i++) ratios.push(ratio(stat(resample(a, random)), stat(resample(b, random))));
  const tail = ((1 - confidence) / 2) * 100;
  return [percentile(ratios, Math.max(tail, 1e-9)), percentile(ratios, 100 - tail)];
}

/**
 * The ideal schedule of a burst against a token bucket: `requests` arriving together, the first `burst`
 * served at once and then one every 1/`ratePerSecond` s, each by exactly one call. Start times in ms.
 */
export function idealStartTimesMs(requests: number, ratePerSecond: number, burst: number): number[] {
  return Array.from({ length: requests }, (_, index) => Math.max(0, ((index + 1 - burst) / ratePerSecond) * 1_000));
}

/** The share of `values` at or below each of `xs` (an empirical CDF, `Infinity` never counted). */
export function cdfAt(values: readonly number[], xs: readonly number[]): number[] {
  const sorted = sortedAscending(values);
  return xs.map((x) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! <= x) low = mid + 1;
      else high = mid;
    }
    return sorted.length === 0 ? 0 : low / sorted.length;
  });
}
