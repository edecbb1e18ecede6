/**
 * `npm run bench`: what users of the chat-start endpoint pay for, each figure a ratio against a baseline
 * measured in the same run. Steps: 1 bundle size (and the browser client's), 2 cold init, 3 warm overhead
 * (and CPU profiles of init and warm requests: where the time goes), 4 burst goodput under Connect's rate
 * limit (and with the concurrent-chat quota full), 5 `npm start`'s time to ready in a fresh clone (and of
 * `--help` and a port in use), identity: what verified customer identity costs (bench/identity.ts),
 * 6 the flash crowd through the browser client, 7 the report:
 * bench/results/latest.md, latest.json and burst-latency-cdf.svg, and a summary on stdout.
 *
 * Options (after `npm run bench --`):
 *   --runs N           cold-init runs per variant (default 40, at least 20 for the report's claims)
 *   --requests N       requests in the burst (default 100)
 *   --customers N      customers in the flash crowd (default 500)
 *   --warm-samples N   warm requests per side (default 1000)
 *   --start-runs N     runs of each `npm start` variant (default 10)
 *   --only LIST        comma-separated steps: bundle,cold,warm,profile,metrics,burst,start,identity,flash (partial runs write *.tmp files)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultEndpointThrottling, shareAmongRoutes } from '../lib/route-throttling.ts';
import { startConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import { bundleClient } from '../scripts/build-client.ts';
import { PROJECT_ROOT } from '../scripts/bundle-handler.ts';
import { type BenchBundles, measureBundles } from './bundle-size.ts';
import { type BurstRunResult, idealSchedule, runBurst } from './burst.ts';
import { HANDLER_RETRY_DEFAULTS, type ModelSettings, runBurstModel } from './burst-model.ts';
import { burstStrategies, CONNECT_RATE_LIMIT, quotaFullStrategies } from './burst-strategies.ts';
import { type ColdInitResults, type ColdVariant, measureColdInit } from './cold-init.ts';
import { flashClients } from './flash-clients.ts';
import { type FlashRunResult, runFlashCrowd } from './flash-crowd.ts';
import { type FlashModelSettings, runFlashModel } from './flash-crowd-model.ts';
import { type IdentityResults, measureIdentity } from './identity.ts';
import { BENCH_DIR, buildInstanceScript, measureBundle } from './lib/builds.ts';
import { API_GATEWAY_TIMEOUT_MS } from './lib/lambda-env.ts';
import type { BenchResults, Environment, FlashConfiguration, FlashResults } from './lib/results.ts';
import { type MetricsCostResults, measureMetricsCost } from './metrics-cost.ts';
import { type ProfileResults, profileWhereTimeGoes } from './profiles.ts';
import { CLIENT_TARGETS } from './report/client-section.ts';
import { renderMarkdown, renderSummary, TARGETS, targetChecks } from './report/markdown.ts';
import { renderCdfSvg } from './report/svg.ts';
import { measureStartTime, type StartTimeResults } from './start-time.ts';
import { measureWarmOverhead, type WarmRun } from './warm-overhead.ts';

const STEPS = ['bundle', 'cold', 'warm', 'profile', 'metrics', 'burst', 'start', 'identity', 'flash'] as const;
type Step = (typeof STEPS)[number];

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    requests: { type: 'string', default: '100' },
    customers: { type: 'string', default: '500' },
    'warm-samples': { type: 'string', default: '1000' },
    'start-runs': { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const coldRuns = Number(args.runs);
const requests = Number(args.requests);
const customers = Number(args.customers);
const warmSamples = Number(args['warm-samples']);
const startRuns = Number(args['start-runs']);
const only = new Set((args.only ?? STEPS.join(',')).split(',').map((step) => step.trim()) as Step[]);
for (const step of only)
  if (!STEPS.includes(step)) throw new Error(`unknown step "${step}"; steps: ${STEPS.join(', ')}`);
const complete = STEPS.every((step) => only.has(step));

const RESULTS_DIR = join(BENCH_DIR, 'results');
const SVG_NAME = 'burst-latency-cdf.svg';
const SOURCE_MAPS = '--enable-source-maps';
/** A service round trip for context: what the warm overhead is next to a call that leaves the machine. */
const CONTEXT_LATENCY_MS = 20;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function packageVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
}

function git(...gitArgs: string[]): string | undefined {
  try {
    return execFileSync('git', gitArgs, {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function environment(): Environment {
  const status = git('status', '--porcelain', '--', 'lambda', 'scripts/bundle-handler.ts');
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    gitCommit: git('rev-parse', '--short', 'HEAD'),
    gitDirty: status === undefined ? undefined : status !== '',
    packages: Object.fromEntries(
      [
        '@aws-sdk/client-connect',
        '@smithy/core',
        '@aws-lambda-powertools/logger',
        '@middy/core',
        'valibot',
        'esbuild',
        'aws-cdk-lib',
      ].map((name) => [name, packageVersion(name)]),
    ),
  };
}

const PREVIOUS = 'ESM imports of built-ins (the previous setting)';
const ONE_FILE = 'one index.mjs, no code splitting (the previous setting)';
const SM_ON = `NODE_OPTIONS=${SOURCE_MAPS} (the construct's enableSourceMaps: true)`;

function coldVariants(bundles: BenchBundles): ColdVariant[] {
  const variants: ColdVariant[] = [
    { name: 'empty', description: 'empty handler, deployed settings', bundle: bundles.empty },
    { name: 'sdk-only', description: 'SDK-only function, deployed settings', bundle: bundles.sdkOnly },
    {
      name: 'deployed',
      description: 'the deployed bundle as the construct deploys it (source maps off, the default)',
      bundle: bundles.deployed,
    },
    {
      name: 'sdk-only+sm',
      description: `SDK-only function, ${SM_ON}`,
      bundle: bundles.sdkOnly,
      nodeOptions: SOURCE_MAPS,
    },
    {
      name: 'deployed+sm',
      description: `the deployed bundle, ${SM_ON}`,
      bundle: bundles.deployed,
      nodeOptions: SOURCE_MAPS,
    },
    {
      name: 'esm-builtins:sdk-only',
      description: `SDK-only function, ${PREVIOUS}`,
      bundle: bundles.esmBuiltinsSdkOnly,
    },
    { name: 'esm-builtins:deployed', description: `the handler, ${PREVIOUS}`, bundle: bundles.esmBuiltinsHandler },
    { name: 'one-file:sdk-only', description: `SDK-only function, ${ONE_FILE}`, bundle: bundles.oneFileSdkOnly },
    { name: 'one-file:deployed', description: `the handler, ${ONE_FILE}`, bundle: bundles.oneFileHandler },
    {
      name: 'proposal:own-code map+sm',
      description: `proposal: the deployed bundle with a source map of lambda/ only, ${SM_ON}`,
      bundle: bundles.ownCodeMap,
      nodeOptions: SOURCE_MAPS,
    },
  ];
  if (bundles.nodejsFunctionBundled) {
    variants.push({
      name: 'nodejs-function-defaults+bundleAwsSDK',
      description: 'the handler as NodejsFunction builds it by default with bundleAwsSDK (CommonJS, not minified)',
      bundle: bundles.nodejsFunctionBundled,
    });
  }
  return variants;
}

const COLD_COMPARISONS = [
  { name: 'deployed vs SDK-only (init)', numerator: 'deployed', denominator: 'sdk-only', measure: 'init' },
  { name: 'deployed vs SDK-only (init CPU time)', numerator: 'deployed', denominator: 'sdk-only', measure: 'initCpu' },
  {
    name: 'deployed vs SDK-only (init + first request)',
    numerator: 'deployed',
    denominator: 'sdk-only',
    measure: 'initPlusFirstRequest',
  },
  { name: 'deployed vs empty (init)', numerator: 'deployed', denominator: 'empty', measure: 'init' },
  { name: 'SDK-only vs empty (init)', numerator: 'sdk-only', denominator: 'empty', measure: 'init' },
  {
    name: 'enableSourceMaps on vs off, deployed (init)',
    numerator: 'deployed+sm',
    denominator: 'deployed',
    measure: 'init',
  },
  {
    name: 'enableSourceMaps on vs off, deployed (init CPU time)',
    numerator: 'deployed+sm',
    denominator: 'deployed',
    measure: 'initCpu',
  },
  {
    name: 'enableSourceMaps on vs off, deployed (init + first request)',
    numerator: 'deployed+sm',
    denominator: 'deployed',
    measure: 'initPlusFirstRequest',
  },
  {
    name: 'source maps on vs off, SDK-only (init)',
    numerator: 'sdk-only+sm',
    denominator: 'sdk-only',
    measure: 'init',
  },
  {
    name: 'deployed with enableSourceMaps on vs SDK-only (init)',
    numerator: 'deployed+sm',
    denominator: 'sdk-only',
    measure: 'init',
  },
  {
    name: 'built-ins via require (deployed) vs ESM imports (previous), handler (init)',
    numerator: 'deployed',
    denominator: 'esm-builtins:deployed',
    measure: 'init',
  },
  {
    name: 'built-ins via require (deployed) vs ESM imports (previous), handler (init + first request)',
    numerator: 'deployed',
    denominator: 'esm-builtins:deployed',
    measure: 'initPlusFirstRequest',
  },
  {
    name: 'built-ins via require (deployed) vs ESM imports (previous), SDK-only (init)',
    numerator: 'sdk-only',
    denominator: 'esm-builtins:sdk-only',
    measure: 'init',
  },
  {
    name: 'previous setting: handler vs SDK-only, both with ESM imports of built-ins (init)',
    numerator: 'esm-builtins:deployed',
    denominator: 'esm-builtins:sdk-only',
    measure: 'init',
  },
  {
    name: 'code splitting (deployed) vs one file (previous), handler (init)',
    numerator: 'deployed',
    denominator: 'one-file:deployed',
    measure: 'init',
  },
  {
    name: 'code splitting (deployed) vs one file (previous), handler (init CPU time)',
    numerator: 'deployed',
    denominator: 'one-file:deployed',
    measure: 'initCpu',
  },
  {
    name: 'code splitting (deployed) vs one file (previous), handler (init + first request)',
    numerator: 'deployed',
    denominator: 'one-file:deployed',
    measure: 'initPlusFirstRequest',
  },
  {
    name: 'code splitting (deployed) vs one file (previous), SDK-only (init)',
    numerator: 'sdk-only',
    denominator: 'one-file:sdk-only',
    measure: 'init',
  },
  {
    name: 'previous setting: handler vs SDK-only, both in one file (init)',
    numerator: 'one-file:deployed',
    denominator: 'one-file:sdk-only',
    measure: 'init',
  },
  {
    name: 'proposal: own-code source map vs full map, both with source maps on (init)',
    numerator: 'proposal:own-code map+sm',
    denominator: 'deployed+sm',
    measure: 'init',
  },
  {
    name: 'proposal: own-code source map with source maps on vs deployed without (init)',
    numerator: 'proposal:own-code map+sm',
    denominator: 'deployed',
    measure: 'init',
  },
  {
    name: 'proposal: own-code source map with source maps on vs SDK-only (init)',
    numerator: 'proposal:own-code map+sm',
    denominator: 'sdk-only',
    measure: 'init',
  },
  {
    name: 'NodejsFunction defaults+bundleAwsSDK vs deployed (init)',
    numerator: 'nodejs-function-defaults+bundleAwsSDK',
    denominator: 'deployed',
    measure: 'init',
  },
] as const;

/**
 * The flash crowd's settings, and the stage set-up it meets: the construct's default routes, `POST /chat`
 * and the stage root (`serveStageRoot`). Every customer posts to the chat route, which gets its share of
 * the endpoint's limits (lib/route-throttling.ts). Every client meets the same set-up.
 */
const FLASH_SHAPE = { spreadMs: 1_000, connect: CONNECT_RATE_LIMIT, modelRuns: 200 } as const;
const FLASH_CONFIGURATIONS = [
  {
    name: 'default-routes',
    label: 'the default routes, POST /chat and the stage root',
    resources: ['/chat', '/'],
  },
] as const;

async function runFlashStep(
  clientModule: string,
  timed: <T>(name: string, action: () => Promise<T>) => Promise<T>,
): Promise<FlashResults> {
  const { spreadMs, connect, modelRuns } = FLASH_SHAPE;
  const idealLastStartMs = idealSchedule(customers, connect.ratePerSecond, connect.burst).lastStartMs;
  const clients = await flashClients(clientModule);
  const configurations: FlashConfiguration[] = [];
  for (const configuration of FLASH_CONFIGURATIONS) {
    const routes = configuration.resources.length;
    const share = shareAmongRoutes(defaultEndpointThrottling(routes), routes)[0]!;
    const stage = { ratePerSecond: share.rateLimit, burst: share.burstLimit };
    log(
      `6/7 flash crowd, ${configuration.label}: ${customers} customers within ${spreadMs / 1_000} s, the chat route's stage throttling ${stage.ratePerSecond}/s burst ${stage.burst}, Connect ${connect.ratePerSecond}/s burst ${connect.burst}; ideal last start ${(idealLastStartMs / 1_000).toFixed(1)} s`,
    );
    const modelSettings: FlashModelSettings = { customers, spreadMs, stage, connect, runs: modelRuns };
    const model = await timed(`flash:${configuration.name}:model`, async () =>
      runFlashModel(modelSettings, {
        lastVsIdeal: CLIENT_TARGETS.flashLastVsIdeal,
        requestsPerCustomer: CLIENT_TARGETS.flashRequestsPerCustomer,
        callsPerChat: CLIENT_TARGETS.flashCallsPerChat,
      }),
    );
    const runs: FlashRunResult[] = [];
    for (const client of clients) {
      const run = await timed(`flash:${configuration.name}:${client.name}`, () =>
        runFlashCrowd({
          client,
          customers,
          spreadMs,
          idealLastStartMs,
          containers: stage.burst + 10,
          resources: configuration.resources,
        }),
      );
      log(
        `  ${client.label}: ${run.started}/${customers} started, last ${(run.lastStartMs / 1_000).toFixed(1)} s (${run.lastVsIdeal.toFixed(3)}× ideal), ${run.requestsPerCustomer.mean.toFixed(2)} requests/customer, ${run.callsPerStartedChat.toFixed(2)} Connect calls/chat`,
      );
      runs.push(run);
    }
    configurations.push({
      name: configuration.name,
      label: configuration.label,
      resources: configuration.resources,
      runs,
      model: { settings: modelSettings, results: model },
    });
  }
  return { customers, spreadMs, idealLastStartMs, configurations };
}

async function main(): Promise<void> {
  const started = performance.now();
  const stepTimesMs: Record<string, number> = {};
  const timed = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const stepStart = performance.now();
    try {
      return await action();
    } finally {
      stepTimesMs[name] = Math.round(performance.now() - stepStart);
      log(`  (${name}: ${(stepTimesMs[name] / 1_000).toFixed(1)} s)`);
    }
  };
  const workDir = mkdtempSync(join(tmpdir(), 'start-chat-bench-'));
  try {
    log(`1/7 bundle size${only.has('bundle') ? '' : ' (builds only)'}`);
    const { results: bundleResults, bundles } = await timed('bundle', () => measureBundles(workDir, log));
    const clientModule = join(workDir, 'client', 'index.js');
    await bundleClient(clientModule);
    const clientSize = measureBundle(clientModule);
    const instanceScript = await buildInstanceScript(join(workDir, 'instance', 'lambda-instance.mjs'));

    let coldInit: ColdInitResults | undefined;
    let warm: WarmRun[] | undefined;
    let profiles: ProfileResults | undefined;
    let metricsCost: MetricsCostResults | undefined;
    if (only.has('cold') || only.has('warm') || only.has('profile') || only.has('metrics')) {
      const standIn = await startConnectStandIn({ ratePerSecond: false, maxConcurrentChats: Number.MAX_SAFE_INTEGER });
      try {
        if (only.has('cold')) {
          log(`2/7 cold init: ${coldRuns} runs per variant, fresh Node ${process.version} process each`);
          const variants = coldVariants(bundles);
          const names = new Set(variants.map((variant) => variant.name));
          coldInit = await timed('cold', () =>
            measureColdInit({
              variants,
              comparisons: COLD_COMPARISONS.filter((c) => names.has(c.numerator) && names.has(c.denominator)),
              standIn,
              runs: coldRuns,
              warmupRuns: 2,
              log,
            }),
          );
        }
        if (only.has('warm')) {
          log(`3/7 warm overhead: ${warmSamples} requests per side`);
          const slowStandIn = await startConnectStandIn({
            ratePerSecond: false,
            maxConcurrentChats: Number.MAX_SAFE_INTEGER,
            latencyMs: CONTEXT_LATENCY_MS,
          });
          try {
            warm = await timed('warm', () =>
              measureWarmOverhead({
                instanceScript,
                handlerBundle: bundles.deployed,
                sdkBundle: bundles.sdkOnly,
                standIn,
                warmup: 100,
                samples: warmSamples,
                runs: [
                  { name: 'stand-in answering at once' },
                  { name: `same, enableSourceMaps on (${SOURCE_MAPS})`, nodeOptions: SOURCE_MAPS },
                  {
                    name: `context: stand-in answering after ${CONTEXT_LATENCY_MS} ms`,
                    standIn: slowStandIn,
                    standInLatencyMs: CONTEXT_LATENCY_MS,
                    samples: 300,
                  },
                ],
              }),
            );
          } finally {
            await slowStandIn.close();
          }
        }
        if (only.has('profile')) {
          log('   CPU profiles of init and warm requests');
          profiles = await timed('profile', () =>
            profileWhereTimeGoes({
              workDir,
              instanceScript,
              deployed: bundles.deployed,
              sdkOnly: bundles.sdkOnly,
              standIn,
              initRuns: 8,
              warmRequests: 2_000,
            }),
          );
        }
        if (only.has('metrics')) {
          const warmRounds = 3;
          log(`   metrics' cost: ${coldRuns} cold runs and ${warmRounds} warm instances per build`);
          metricsCost = await timed('metrics', () =>
            measureMetricsCost({
              workDir,
              instanceScript,
              sdkOnlyBundle: bundles.sdkOnly,
              standIn,
              coldRuns,
              warmRounds,
              warmSamplesPerRound: Math.ceil(warmSamples / warmRounds),
              log,
            }),
          );
        }
      } finally {
        await standIn.close();
      }
    }

    let burst: BenchResults['burst'];
    if (only.has('burst')) {
      const { ratePerSecond, burst: connectBurst } = CONNECT_RATE_LIMIT;
      const ideal = idealSchedule(requests, ratePerSecond, connectBurst);
      log(
        `4/7 burst: ${requests} requests at once, Connect at ${ratePerSecond}/s burst ${connectBurst}; ideal last start ${(ideal.lastStartMs / 1_000).toFixed(1)} s`,
      );
      const modelSettings: ModelSettings = {
        requests,
        ratePerSecond,
        burst: connectBurst,
        budgetMs: HANDLER_RETRY_DEFAULTS.budgetMs,
        arrivalSpreadMs: 500,
        roundTripMs: 2,
        runs: 400,
      };
      const model = await timed('burst:model', async () =>
        runBurstModel(modelSettings, {
          startedShare: TARGETS.burstStartedShare,
          callsPerChat: TARGETS.burstCallsPerChat,
          p99VsIdeal: TARGETS.burstP99VsIdeal,
        }),
      );
      const run = async (strategies: ReturnType<typeof burstStrategies>): Promise<BurstRunResult[]> => {
        const results: BurstRunResult[] = [];
        for (const strategy of strategies) {
          const result = await timed(`burst:${strategy.name}`, () =>
            runBurst({
              strategy,
              instanceScript,
              requests,
              ideal,
              initConcurrency: 2,
              compileCacheDir: join(workDir, 'compile-cache'),
            }),
          );
          log(
            `  ${strategy.label}: ${result.started}/${requests} started, ${result.connectCalls} calls (${result.callsPerStartedChat.toFixed(2)}/chat), p99 ${(result.startP99Ms / 1_000).toFixed(1)} s`,
          );
          results.push(result);
        }
        return results;
      };
      const strategies = await run(burstStrategies(bundles));
      const quotaFull = await run(quotaFullStrategies(bundles));
      burst = { requests, ideal, strategies, quotaFull, model: { settings: modelSettings, results: model } };
    }

    let startTime: StartTimeResults | undefined;
    if (only.has('start')) {
      log(`5/7 npm start: ${startRuns} runs of each variant, in a fresh clone`);
      startTime = await timed('start', () => measureStartTime({ workDir, runs: startRuns, log }));
    }
    let flash: FlashResults | undefined;
    if (only.has('flash')) flash = await runFlashStep(clientModule, timed);

    let identity: IdentityResults | undefined;
    if (only.has('identity')) {
      log(`identity: ${coldRuns} rounds of fresh processes, identity off and on (OIDC, shared secret)`);
      const standIn = await startConnectStandIn({ ratePerSecond: false, maxConcurrentChats: Number.MAX_SAFE_INTEGER });
      try {
        identity = await timed('identity', () =>
          measureIdentity({ workDir, deployed: bundles.deployed, standIn, runs: coldRuns, log }),
        );
      } finally {
        await standIn.close();
      }
    }

    const partial: Omit<BenchResults, 'targets' | 'wallTimeMs'> = {
      environment: environment(),
      stepTimesMs,
      bundle: only.has('bundle') ? bundleResults : undefined,
      coldInit,
      warm,
      profiles,
      metricsCost,
      burst,
      startTime,
      identity,
      client: only.has('bundle') || flash ? { size: only.has('bundle') ? clientSize : undefined, flash } : undefined,
    };
    const results: BenchResults = {
      ...partial,
      targets: targetChecks(partial),
      wallTimeMs: Math.round(performance.now() - started),
    };
    writeOutputs(results);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function writeOutputs(results: BenchResults): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const suffix = complete ? '' : '.tmp';
  const svgName = `${SVG_NAME}${suffix}`;
  if (results.burst) {
    const svg = renderCdfSvg({
      title: `Burst of ${results.burst.requests} chat starts against Connect's 5/s, burst 8: time to a started chat`,
      maxMs: 30_000,
      series: [
        { label: 'ideal schedule', startMs: results.burst.ideal.startMs, dashed: true },
        ...results.burst.strategies.map((strategy) => ({ label: strategy.label, startMs: strategy.startMs })),
      ],
      markers: [{ atMs: API_GATEWAY_TIMEOUT_MS, label: 'API Gateway 29 s' }],
    });
    writeFileSync(join(RESULTS_DIR, svgName), svg);
  }
  writeFileSync(join(RESULTS_DIR, `latest.json${suffix}`), `${compactJson(results)}\n`);
  writeFileSync(join(RESULTS_DIR, `latest.md${suffix}`), renderMarkdown(results, svgName));
  process.stdout.write(`${renderSummary(results)}\n`);
  log(
    `\nwrote bench/results/latest.md${suffix}, latest.json${suffix}${results.burst ? `, ${svgName}` : ''} in ${(results.wallTimeMs / 1_000).toFixed(0)} s`,
  );
}

/**
 * JSON has no Infinity or NaN: they are written as strings so the raw figures stay unambiguous. Numbers are
 * rounded to 3 decimals (µs for times, 0.001 for ratios), and arrays of numbers kept on one line, so the
 * file stays small and diffable.
 */
function compactJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item !== 'number') return item;
      if (!Number.isFinite(item)) return Number.isNaN(item) ? 'NaN' : item > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(item) ? item : Math.round(item * 1_000) / 1_000;
    },
    1,
  );
  return text.replace(
    /\[\s*((?:(?:-?[\d.e+-]+|null|"(?:-?Infinity|NaN)"),\s*)*(?:-?[\d.e+-]+|null|"(?:-?Infinity|NaN)"))\s*\]/g,
    (_match, items: string) => `[${items.replace(/\s+/g, '')}]`,
  );
}

await main();
