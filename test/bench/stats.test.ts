/** The statistics behind every figure of `npm run bench`: nearest-rank percentiles, ratios, the ideal schedule. */
import { describe, expect, test } from '@jest/globals';
import {
  bootstrapRatioInterval,
  cdfAt,
  idealStartTimesMs,
  median,
  percentile,
  ratio,
  seededRandom,
  summarize,
} from '../../bench/lib/stats.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  test('p50 and p99 of 1..100 are samples 50 and 99', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  test('does not depend on the order of the samples', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  });

  test('a tiny percentile is the smallest sample', () => {
    expect(percentile([7, 3, 9], 0.1)).toBe(3);
  });

  test('Infinity (a chat never started) sorts last and can be the answer', () => {
    const starts = [...Array.from({ length: 98 }, () => 1), Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    expect(percentile(starts, 98)).toBe(1);
    expect(percentile(starts, 99)).toBe(Number.POSITIVE_INFINITY);
  });

  test('no samples give NaN; p outside (0, 100] throws', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  test('the median of an even count is the lower middle sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});

describe('summarize', () => {
  test('min, quartiles, median, max and the mean of finite samples', () => {
    const summary = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Number.POSITIVE_INFINITY]);
    expect(summary).toMatchObject({
      n: 11,
      min: 1,
      p25: 3,
      median: 6,
      p75: 9,
      max: Number.POSITIVE_INFINITY,
      mean: 5.5,
    });
  });
});

describe('ratio', () => {
  test('divides, with NaN for an unusable denominator and Infinity for a never', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
    expect(ratio(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('bootstrapRatioInterval', () => {
  test('is reproducible for a seed and brackets the ratio of medians', () => {
    const random = seededRandom(7);
    const a = Array.from({ length: 25 }, () => 110 + random() * 10);
    const b = Array.from({ length: 25 }, () => 100 + random() * 10);
    const first = bootstrapRatioInterval(a, b);
    expect(bootstrapRatioInterval(a, b)).toEqual(first);
    expect(first[0]).toBeLessThanOrEqual(ratio(median(a), median(b)));
    expect(first[1]).toBeGreaterThanOrEqual(ratio(median(a), median(b)));
    expect(first[0]).toBeGreaterThan(1);
  });

  test('identical constant samples give exactly 1', () => {
    expect(bootstrapRatioInterval([5, 5, 5], [5, 5, 5])).toEqual([1, 1]);
  });
});

describe('seededRandom', () => {
  test('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1_000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('idealStartTimesMs', () => {
  test('100 requests at 5/s with a burst of 8: 8 at once, then one every 200 ms, the last at 18.4 s', () => {
    const ideal = idealStartTimesMs(100, 5, 8);
    expect(ideal).toHaveLength(100);
    expect(ideal.slice(0, 8)).toEqual(Array.from({ length: 8 }, () => 0));
    expect(ideal[8]).toBeCloseTo(200);
    expect(ideal[99]).toBeCloseTo(18_400);
    expect(percentile(ideal, 50)).toBeCloseTo(8_400);
    expect(percentile(ideal, 99)).toBeCloseTo(18_200);
  });
});

describe('cdfAt', () => {
  test('the share at or below each point, never counting Infinity', () => {
    expect(cdfAt([1, 2, 3, Number.POSITIVE_INFINITY], [0, 1, 2.5, 1e9])).toEqual([0, 0.25, 0.5, 0.75]);
  });
});
