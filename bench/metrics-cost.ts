/**
 * Step `metrics`: what the handler's metrics cost, and what Powertools Metrics would cost instead of the
 * hand-written EMF writer. Three builds of the handler with the deployed settings: today's build without
 * metrics (lambda/metrics.ts and the request-metrics middleware swapped for no-ops), the deployed one (the
 * hand-written EMF writer), and one with `ChatMetrics` written on Powertools Metrics. Each is measured for
 * bundle bytes, cold init (as in step 2: fresh processes, variants shuffled each round) and the warm request
 * (as in step 3: the handler alternating with a bare `client.send`, the difference being what the handler
 * adds), all in the same run, so the differences between the three are what metrics cost.
 */

import { join } from 'node:path';
import type { ConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import { HANDLER_BUNDLE } from '../scripts/bundle-handler.ts';
import { type ColdComparison, type ColdVariantResult, measureColdInit } from './cold-init.ts';
import {
  BENCH_DIR,
  type BundleSize,
  buildHandler,
  bytesByPackage,
  measureBundle,
  replaceLambdaModule,
} from './lib/builds.ts';
import { bootstrapRatioInterval, median, type Summary, summarize } from './lib/stats.ts';
import { runWarmChild } from './warm-overhead.ts';

export const METRICS_VARIANTS = [
  { name: 'none', description: "today's build without metrics (metrics module and middleware replaced by no-ops)" },
  { name: 'emf', description: 'the deployed bundle: the hand-written EMF writer (lambda/emf.ts, lambda/metrics.ts)' },
  {
    name: 'powertools',
    description: 'the same metrics written with Powertools Metrics (bench/fixtures/metrics-powertools.ts)',
  },
] as const;

export type MetricsVariantName = (typeof METRICS_VARIANTS)[number]['name'];

export interface MetricsVariantResult {
  readonly name: MetricsVariantName;
  readonly description: string;
  readonly bundle: BundleSize;
  /** Bytes of `@aws-lambda-powertools/metrics` in the output (esbuild metafile); 0 for the deployed build. */
  readonly powertoolsMetricsBytes: number;
  readonly cold: ColdVariantResult;
  /** Warm requests: the whole handler, and a bare client.send of the same input in the same process. */
  readonly warmHandler: Summary;
  readonly warmBare: Summary;
  /** Handler p50 minus bare p50, ms: what the handler adds to a request. */
  readonly warmOverheadP50Ms: number;
}

export interface MetricsCostResults {
  readonly coldRuns: number;
  readonly warmRounds: number;
  readonly warmSamplesPerRound: number;
  readonly variants: MetricsVariantResult[];
  /** Cold-init ratios of medians between the variants, with 95 % bootstrap intervals. */
  readonly comparisons: ColdComparison[];
  /** Warm handler p50 ratios between the variants, with 95 % bootstrap intervals. */
  readonly warmComparisons: Array<{
    readonly numerator: MetricsVariantName;
    readonly denominator: MetricsVariantName;
    readonly ratio: number;
    readonly interval: [number, number];
  }>;
}

const PAIRS: ReadonlyArray<readonly [MetricsVariantName, MetricsVariantName]> = [
  ['emf', 'none'],
  ['powertools', 'none'],
  ['powertools', 'emf'],
];

const NAMES: Record<MetricsVariantName, string> = {
  none: 'metrics:none',
  emf: 'metrics:emf',
  powertools: 'metrics:powertools',
};

/** Builds today's build without metrics and the Powertools variant; the deployed bundle is the EMF one. */
async function buildVariants(
  workDir: string,
): Promise<Record<MetricsVariantName, { file: string; powertoolsBytes: number }>> {
  const fixture = (file: string) => join(BENCH_DIR, 'fixtures', file);
  const out = (name: string) => join(workDir, 'bundles', `metrics-${name}`);
  const none = await buildHandler(out('none'), {
    plugins: [
      replaceLambdaModule('metrics.ts', fixture('metrics-none.ts')),
      replaceLambdaModule('request-metrics.ts', fixture('request-metrics-none.ts')),
    ],
  });
  const powertools = await buildHandler(out('powertools'), {
    plugins: [replaceLambdaModule('metrics.ts', fixture('metrics-powertools.ts'))],
  });
  const powertoolsBytes = bytesByPackage(powertools.metafile).get('@aws-lambda-powertools/metrics') ?? 0;
  return {
    none: { file: none.file, powertoolsBytes: 0 },
    emf: { file: HANDLER_BUNDLE, powertoolsBytes: 0 },
    powertools: { file: powertools.file, powertoolsBytes },
  };
}

export async function measureMetricsCost(options: {
  readonly workDir: string;
  readonly instanceScript: string;
  readonly sdkOnlyBundle: string;
  readonly standIn: ConnectStandIn;
  readonly coldRuns: number;
  /** Warm instances per variant, run in rounds so drift hits every variant alike. */
  readonly warmRounds: number;
  readonly warmSamplesPerRound: number;
  readonly log: (line: string) => void;
}): Promise<MetricsCostResults> {
  const built = await buildVariants(options.workDir);

  const cold = await measureColdInit({
    variants: METRICS_VARIANTS.map((variant) => ({
      name: NAMES[variant.name],
      description: variant.description,
      bundle: built[variant.name].file,
    })),
    comparisons: PAIRS.flatMap(([numerator, denominator]) =>
      (['init', 'initCpu', 'initPlusFirstRequest'] as const).map((measure) => ({
        name: `${numerator} vs ${denominator}`,
        numerator: NAMES[numerator],
        denominator: NAMES[denominator],
        measure,
      })),
    ),
    standIn: options.standIn,
    runs: options.coldRuns,
    warmupRuns: 2,
    log: options.log,
  });

  const warm: Record<MetricsVariantName, { handlerMs: number[]; bareMs: number[] }> = {
    none: { handlerMs: [], bareMs: [] },
    emf: { handlerMs: [], bareMs: [] },
    powertools: { handlerMs: [], bareMs: [] },
  };
  for (let round = 0; round < options.warmRounds; round++) {
    // Rotate the order each round so no variant always runs first.
    const order = METRICS_VARIANTS.map((_, i) => METRICS_VARIANTS[(i + round) % METRICS_VARIANTS.length]!);
    for (const variant of order) {
      options.standIn.reset();
      const result = await runWarmChild({
        instanceScript: options.instanceScript,
        handlerBundle: built[variant.name].file,
        sdkBundle: options.sdkOnlyBundle,
        standIn: options.standIn,
        nodeOptions: undefined,
        warmup: 100,
        samples: options.warmSamplesPerRound,
      });
      if (result.failures > 0) throw new Error(`metrics variant ${variant.name}: ${result.failures} requests failed`);
      warm[variant.name].handlerMs.push(...result.handlerMs);
      warm[variant.name].bareMs.push(...result.bareMs);
    }
    options.log(`  metrics warm: round ${round + 1}/${options.warmRounds}`);
  }

  const variants = METRICS_VARIANTS.map((variant): MetricsVariantResult => {
    const samples = warm[variant.name];
    return {
      name: variant.name,
      description: variant.description,
      bundle: measureBundle(built[variant.name].file),
      powertoolsMetricsBytes: built[variant.name].powertoolsBytes,
      cold: cold.variants.find((result) => result.name === NAMES[variant.name])!,
      warmHandler: summarize(samples.handlerMs),
      warmBare: summarize(samples.bareMs),
      warmOverheadP50Ms: median(samples.handlerMs) - median(samples.bareMs),
    };
  });
  return {
    coldRuns: options.coldRuns,
    warmRounds: options.warmRounds,
    warmSamplesPerRound: options.warmSamplesPerRound,
    variants,
    comparisons: cold.comparisons,
    warmComparisons: PAIRS.map(([numerator, denominator]) => {
      const a = warm[numerator].handlerMs;
      const b = warm[denominator].handlerMs;
      return {
        numerator,
        denominator,
        ratio: median(a) / median(b),
        interval: bootstrapRatioInterval(a, b),
      };
    }),
  };
}
