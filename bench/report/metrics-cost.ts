/** The report's section on what the handler's metrics cost (step `metrics`), and its lines in the summary. */
import { fixed, kB, markdownTable, ms, textTable, times } from '../lib/format.ts';
import type { BenchResults } from '../lib/results.ts';
import type { MetricsCostResults, MetricsVariantName } from '../metrics-cost.ts';

const MEASURES = { init: 'init', initCpu: 'init CPU time', initPlusFirstRequest: 'init + first request' } as const;

function signed(value: number, format: (value: number) => string): string {
  return `${value >= 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

function rows(metrics: MetricsCostResults): string[][] {
  const none = metrics.variants.find((variant) => variant.name === 'none')!;
  return metrics.variants.map((variant) => [
    `\`${variant.name}\`: ${variant.description}`,
    kB(variant.bundle.atStart.bytes),
    kB(variant.bundle.bytes),
    variant.name === 'none' ? '' : signed(variant.bundle.bytes - none.bundle.bytes, kB),
    kB(variant.bundle.gzipBytes),
    ms(variant.cold.init.median),
    ms(variant.cold.initCpu.median),
    ms(variant.cold.firstRequest.median),
    ms(variant.warmHandler.median),
    ms(variant.warmOverheadP50Ms),
  ]);
}

const HEADER = [
  'build',
  'at start raw (index.mjs and its static chunks)',
  'whole build raw',
  'vs none',
  'whole gzip -9',
  'cold init median',
  'init CPU',
  'first request',
  'warm handler p50',
  'added to bare send at p50',
];

function ratio(metrics: MetricsCostResults, numerator: MetricsVariantName, denominator: MetricsVariantName): string {
  const warm = metrics.warmComparisons.find((c) => c.numerator === numerator && c.denominator === denominator);
  return warm ? `${times(warm.ratio)} [${fixed(warm.interval[0], 3)}–${fixed(warm.interval[1], 3)}]` : 'n/a';
}

export function metricsCostSection(results: BenchResults): string[] {
  const metrics = results.metricsCost;
  if (!metrics) return [];
  return [
    '## What the metrics cost: hand-written EMF vs Powertools Metrics',
    '',
    `Three builds of the handler with the deployed settings, measured in this run: today's build without metrics, the deployed hand-written EMF writer, and the same metrics written with Powertools Metrics. Cold init as in step 2 (${metrics.coldRuns} fresh processes per build, builds shuffled each round); warm requests as in step 3 (${metrics.warmRounds} warm instances per build, ${metrics.warmSamplesPerRound} requests per side each, builds rotated each round). The metrics lines go to /dev/null, as the log pipe takes them on Lambda.`,
    '',
    markdownTable(HEADER, rows(metrics)),
    '',
    'Ratios of medians, with a 95 % bootstrap interval:',
    '',
    markdownTable(
      ['comparison', 'measure', 'ratio [95 % CI]'],
      [
        ...metrics.comparisons.map((c) => [
          c.name,
          MEASURES[c.measure],
          `${times(c.ratio)} [${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}]`,
        ]),
        ...metrics.warmComparisons.map((c) => [
          `${c.numerator} vs ${c.denominator}`,
          'warm handler p50',
          ratio(metrics, c.numerator, c.denominator),
        ]),
      ],
    ),
    '',
  ];
}

export function metricsCostSummary(results: BenchResults): string[] {
  const metrics = results.metricsCost;
  if (!metrics) return [];
  return [
    '',
    'Metrics cost (none = without metrics; emf = deployed; powertools = Powertools Metrics):',
    textTable(
      ['build', 'at start raw', 'whole raw', 'gzip', 'init', 'init CPU', 'warm p50', 'added at p50'],
      metrics.variants.map((variant) => [
        variant.name,
        kB(variant.bundle.atStart.bytes),
        kB(variant.bundle.bytes),
        kB(variant.bundle.gzipBytes),
        ms(variant.cold.init.median),
        ms(variant.cold.initCpu.median),
        ms(variant.warmHandler.median),
        ms(variant.warmOverheadP50Ms),
      ]),
    ),
    '',
    textTable(
      ['ratio of medians', 'measure', 'ratio [95% CI]'],
      metrics.comparisons
        .filter((c) => c.measure !== 'initPlusFirstRequest')
        .map((c) => [
          c.name,
          MEASURES[c.measure],
          `${times(c.ratio)} [${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}]`,
        ]),
    ),
  ];
}
