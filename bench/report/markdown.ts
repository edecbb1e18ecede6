/**
 * The report: bench/results/latest.md (every figure with its baseline and ratio, the method, and what
 * limits a missed target, all from this run's numbers), the printed summary, and the target checks.
 */
import { SPREAD_OF_REMAINING_TIME } from '../../lambda/backoff.ts';
import type { PackageBytes } from '../bundle-size.ts';
import { type BurstRunResult, WARMUP_REQUESTS } from '../burst.ts';
import { DOUBLING_SETTINGS, HANDLER_RETRY_DEFAULTS, PREVIOUS_SPREAD_OF_REMAINING_TIME } from '../burst-model.ts';
import type { ColdComparison, ColdVariantResult } from '../cold-init.ts';
import type { BundleSize } from '../lib/builds.ts';
import { fixed, fraction, kB, markdownTable, ms, percent, textTable, times } from '../lib/format.ts';
import type { BenchResults, TargetCheck } from '../lib/results.ts';
import type { WarmRun } from '../warm-overhead.ts';
import { clientSection, clientSummary, clientTargetChecks } from './client-section.ts';
import { identitySection, identitySummary } from './identity-section.ts';
import { metricsCostSection, metricsCostSummary } from './metrics-cost.ts';
import { startTimeSection, startTimeSummary, startTimeTarget } from './start-time.ts';

export const TARGETS = {
  bundleRatio: 1.1,
  coldInitRatio: 1.1,
  warmP50Ratio: 1.1,
  burstStartedShare: 0.99,
  burstCallsPerChat: 3,
  burstP99VsIdeal: 1.3,
} as const;

type Measured = Omit<BenchResults, 'targets' | 'wallTimeMs'>;

function comparison(
  results: Measured,
  numerator: string,
  denominator: string,
  measure: ColdComparison['measure'] = 'init',
) {
  return results.coldInit?.comparisons.find(
    (c) => c.numerator === numerator && c.denominator === denominator && c.measure === measure,
  );
}

function variant(results: Measured, name: string): ColdVariantResult | undefined {
  return results.coldInit?.variants.find((v) => v.name === name);
}

function ourBurst(results: Measured): BurstRunResult | undefined {
  return results.burst?.strategies.find((s) => s.name === 'handler');
}

/** The warm run against the stand-in answering at once (the target's figure), and the one with a realistic delay. */
function loopbackWarm(results: Measured): WarmRun | undefined {
  return results.warm?.find((w) => w.standInLatencyMs === 0 && w.nodeOptions === undefined);
}

function contextWarm(results: Measured): WarmRun | undefined {
  return results.warm?.find((w) => w.standInLatencyMs > 0);
}

function straddles(interval: readonly [number, number], goal: number): boolean {
  return interval[0] <= goal && interval[1] > goal;
}

/** A time difference with its sign. */
function signedMs(value: number): string {
  return `${value >= 0 ? '+' : '-'}${ms(Math.abs(value))}`;
}

/** How often the model met the calls-per-chat target, for the one measured burst's context. */
function modelNote(results: Measured, name: string): string {
  const model = results.burst?.model.results.find((m) => m.name === name);
  return model
    ? `; model: mean ${fixed(model.callsPerChat.mean)}, ≤ ${TARGETS.burstCallsPerChat} in ${percent(model.metCallsPerChat)} of ${model.runs} bursts`
    : '';
}

export function targetChecks(results: Measured): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const bundle = results.bundle;
  if (bundle) {
    checks.push({
      name: 'bundle size vs SDK-only (raw, whole build)',
      target: `≤ ${times(TARGETS.bundleRatio, 2)}`,
      measured: `${times(bundle.ratios.rawVsSdkOnly)} (${kB(bundle.deployed.bytes)} vs ${kB(bundle.sdkOnly.bytes)}; gzip ${times(bundle.ratios.gzipVsSdkOnly)}); loaded at cold start ${times(bundle.ratios.atStartRawVsSdkOnly)} (${kB(bundle.deployed.atStart.bytes)} vs ${kB(bundle.sdkOnly.atStart.bytes)})`,
      met: bundle.ratios.rawVsSdkOnly <= TARGETS.bundleRatio,
    });
  }
  const cold = comparison(results, 'deployed', 'sdk-only');
  const deployed = variant(results, 'deployed');
  const sdkOnly = variant(results, 'sdk-only');
  if (cold && deployed && sdkOnly) {
    const withSourceMaps = comparison(results, 'deployed+sm', 'sdk-only');
    const cpu = comparison(results, 'deployed', 'sdk-only', 'initCpu');
    checks.push({
      name: 'cold init vs SDK-only (median; as deployed, source maps off)',
      target: `≤ ${times(TARGETS.coldInitRatio, 2)}`,
      measured: `${times(cold.ratio)} [95 % CI ${fixed(cold.interval[0], 3)}–${fixed(cold.interval[1], 3)}${
        straddles(cold.interval, TARGETS.coldInitRatio) ? ', straddles the goal' : ''
      }] (${signedMs(deployed.init.median - sdkOnly.init.median)}: ${ms(deployed.init.median)} vs ${ms(sdkOnly.init.median)})${
        cpu ? `; CPU time ${times(cpu.ratio)}` : ''
      }${withSourceMaps ? `; with enableSourceMaps on ${times(withSourceMaps.ratio)}` : ''}`,
      met: cold.ratio <= TARGETS.coldInitRatio,
    });
  }
  const warm = loopbackWarm(results);
  if (warm) {
    const context = contextWarm(results);
    checks.push({
      name: 'warm p50 vs bare client.send',
      target: `≤ ${times(TARGETS.warmP50Ratio, 2)}`,
      measured: `${times(warm.p50Ratio)} against the loopback stand-in (${signedMs(warm.overheadP50Ms)}: ${ms(warm.handler.median)} vs ${ms(warm.bare.median)}; p99 ${times(warm.p99Ratio)})${
        context
          ? `; ${times(context.p50Ratio)} against a ${context.standInLatencyMs} ms round trip (${signedMs(context.overheadP50Ms)})`
          : ''
      }`,
      met: warm.p50Ratio <= TARGETS.warmP50Ratio,
    });
  }
  const burst = ourBurst(results);
  if (burst && results.burst) {
    checks.push(
      {
        name: 'burst: chats started within 29 s',
        target: `≥ ${percent(TARGETS.burstStartedShare)}`,
        measured: `${percent(burst.shareStarted)} (${burst.started}/${burst.requests})`,
        met: burst.shareStarted >= TARGETS.burstStartedShare,
      },
      {
        name: 'burst: Connect calls per started chat',
        target: `≤ ${TARGETS.burstCallsPerChat}`,
        measured: `${fixed(burst.callsPerStartedChat)} (${burst.connectCalls} calls)${modelNote(results, 'handler')}`,
        met: burst.callsPerStartedChat <= TARGETS.burstCallsPerChat,
      },
      {
        name: 'burst: p99 time to a started chat vs ideal',
        target: `≤ ${times(TARGETS.burstP99VsIdeal, 2)}`,
        measured: `${times(burst.p99VsIdeal)} (${ms(burst.startP99Ms)} vs ideal p99 ${ms(results.burst.ideal.p99Ms)})`,
        met: burst.p99VsIdeal <= TARGETS.burstP99VsIdeal,
      },
    );
  }
  checks.push(...startTimeTarget(results.startTime));
  checks.push(...clientTargetChecks(results));
  return checks;
}

const MEASURE_LABEL: Record<ColdComparison['measure'], string> = {
  init: 'init',
  initCpu: 'init CPU time',
  initPlusFirstRequest: 'init + first request',
};

function ratioWithInterval(c: ColdComparison | undefined): string {
  return c ? `${times(c.ratio)} [${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}]` : 'n/a';
}

function answersText(answers: Record<string, number>): string {
  return Object.entries(answers)
    .sort((a, b) => b[1] - a[1])
    .map(([answer, count]) => `${count}× ${answer}`)
    .join(', ');
}

function histogramText(histogram: Record<string, number>): string {
  return Object.entries(histogram)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([calls, count]) => `${calls}: ${count}`)
    .join(', ');
}

function packageRows(rows: readonly PackageBytes[]): string[][] {
  return rows
    .slice(0, 12)
    .map((row) => [
      row.group,
      kB(row.deployed),
      kB(row.sdkOnly),
      `${row.difference > 0 ? '+' : ''}${kB(row.difference)}`,
    ]);
}

function bundleSection(results: BenchResults): string[] {
  const bundle = results.bundle;
  if (!bundle) return [];
  const sizes = (b: BundleSize) => [
    kB(b.atStart.bytes),
    kB(b.atStart.gzipBytes),
    kB(b.bytes),
    kB(b.gzipBytes),
    `${b.atStart.files} of ${b.files}`,
    b.mapBytes === 0 ? '—' : kB(b.mapBytes),
  ];
  const rows = [
    [`**deployed** (${bundle.deployed.description})`, ...sizes(bundle.deployed), '1.000×', '1.000×', '1.000×'],
    [
      `SDK-only (${bundle.sdkOnly.description})`,
      ...sizes(bundle.sdkOnly),
      times(bundle.ratios.atStartRawVsSdkOnly),
      times(bundle.ratios.rawVsSdkOnly),
      times(bundle.ratios.gzipVsSdkOnly),
    ],
    [`empty (${bundle.empty.description})`, ...sizes(bundle.empty), '', '', ''],
    ...bundle.nodejsFunction.map((b) => [
      `NodejsFunction \`${b.name}\`: ${b.description}`,
      ...sizes(b),
      times(bundle.ratios.atStartRawVsNodejsFunction[b.name] ?? Number.NaN),
      times(bundle.ratios.rawVsNodejsFunction[b.name] ?? Number.NaN),
      times(bundle.ratios.gzipVsNodejsFunction[b.name] ?? Number.NaN),
    ]),
  ];
  const diff = bundle.deployed.bytes - bundle.sdkOnly.bytes;
  const budget = bundle.sdkOnly.bytes * (TARGETS.bundleRatio - 1);
  const atStartDiff = bundle.deployed.atStart.bytes - bundle.sdkOnly.atStart.bytes;
  return [
    '## 1. Bundle size',
    '',
    "The deployed function is code-split (scripts/bundle-handler.ts): `index.mjs` and chunks. *At start* is what a cold start loads: index.mjs and the chunks it imports statically, transitively (scripts/bundle-graph.ts reads them from the files). *Whole* is every file of the build, the chunks that `import()` loads on first use too (the identity verifier, the SDK's other credential providers): the Lambda asset without its source maps. gzip -9 of each file, summed (a zip compresses each file on its own). Every baseline is built with the same settings, code-split alike; a one-file bundle is both.",
    '',
    markdownTable(
      [
        'bundle',
        'at start, raw',
        'at start, gzip -9',
        'whole, raw',
        'whole, gzip -9',
        'files at start, of all',
        'source maps (deployed with enableSourceMaps)',
        'deployed ÷ this, at start raw',
        'deployed ÷ this, whole raw',
        'deployed ÷ this, whole gzip',
      ],
      rows,
    ),
    '',
    `NodejsFunction: ${bundle.nodejsFunctionMethod}.`,
    '',
    `What the deployed build adds to the SDK-only one, whole builds (esbuild metafile, bytes in the output; ${kB(diff)} in all, the ${times(TARGETS.bundleRatio, 2)} target allows ${kB(budget)}):`,
    '',
    markdownTable(['package / folder', 'deployed', 'SDK-only', 'difference'], packageRows(bundle.byPackage)),
    '',
    `What a cold start of the deployed function loads beyond the SDK-only one's (${kB(atStartDiff)} in all):`,
    '',
    markdownTable(['package / folder', 'deployed', 'SDK-only', 'difference'], packageRows(bundle.byPackageAtStart)),
    '',
    'Other settings, applied to the handler and, where it applies, to the SDK-only baseline (the deployed settings are the rows above):',
    '',
    markdownTable(
      [
        'setting',
        'status',
        'handler at start, raw',
        'handler whole, raw',
        'handler whole, gzip',
        'source maps',
        'SDK-only at start, raw',
        'handler ÷ SDK-only, at start raw',
      ],
      bundle.alternatives.map((alternative) => [
        `\`${alternative.name}\`: ${alternative.description}`,
        alternative.status,
        kB(alternative.handler.atStart.bytes),
        kB(alternative.handler.bytes),
        kB(alternative.handler.gzipBytes),
        kB(alternative.handler.mapBytes),
        alternative.sdkOnly ? kB(alternative.sdkOnly.atStart.bytes) : '—',
        alternative.sdkOnly ? times(alternative.handler.atStart.bytes / alternative.sdkOnly.atStart.bytes) : '—',
      ]),
    ),
    '',
  ];
}

function coldSection(results: BenchResults): string[] {
  const cold = results.coldInit;
  if (!cold) return [];
  const rows = cold.variants.map((v) => [
    `\`${v.name}\`: ${v.description}`,
    ms(v.init.median),
    `${ms(v.init.p25)}–${ms(v.init.p75)}`,
    `${ms(v.init.min)}–${ms(v.init.max)}`,
    ms(v.initCpu.median),
    ms(v.firstRequest.median),
    ms(v.initPlusFirstRequest.median),
    ms(v.process.median),
  ]);
  return [
    '## 2. Cold init',
    '',
    `A fresh Node ${results.environment.node} process per run (${cold.runs} runs per variant after ${cold.warmupRuns} discarded rounds, variants shuffled each round, one process at a time) imports the bundle as the Lambda runtime does (\`import()\` for .mjs, \`require()\` for CommonJS) until \`handler\` is ready, then serves one chat start against the stand-in. *Init* is measured inside the process from just before the import to the handler being ready (wall time; *init CPU time* is the process's CPU time over the same span, less sensitive to other work on the machine); Node's own start-up (the same for all) is in the process column.`,
    '',
    markdownTable(
      [
        'variant',
        'init median',
        'p25–p75',
        'min–max',
        'init CPU time',
        'first request',
        'init + first request',
        'process, spawn to exit',
      ],
      rows,
    ),
    '',
    'Ratios of medians, with a 95 % bootstrap interval (how far the ratio could move on another run here):',
    '',
    markdownTable(
      ['comparison', 'measure', 'ratio [95 % CI]'],
      cold.comparisons.map((c) => [c.name, MEASURE_LABEL[c.measure], ratioWithInterval(c)]),
    ),
    '',
  ];
}

function warmSection(results: BenchResults): string[] {
  if (!results.warm) return [];
  return [
    '## 3. Warm overhead',
    '',
    `One warm instance alternates a whole-handler request with a bare \`client.send\` of the same input (same process, SDK build and stand-in; rate limit off; requests per side as in the table, after ${results.warm[0]?.warmup ?? 0} warm-up pairs). The handler's log line goes to /dev/null as it goes to the log pipe on Lambda.`,
    '',
    markdownTable(
      [
        'run',
        'requests per side',
        'handler p50',
        'handler p99',
        'bare p50',
        'bare p99',
        'p50 ratio [95 % CI]',
        'p99 ratio',
        'added at p50',
      ],
      results.warm.map((w) => [
        w.name,
        String(w.samples),
        ms(w.handler.median),
        ms(w.handler.p99),
        ms(w.bare.median),
        ms(w.bare.p99),
        `${times(w.p50Ratio)} [${fixed(w.p50Interval[0], 3)}–${fixed(w.p50Interval[1], 3)}]`,
        times(w.p99Ratio),
        ms(w.overheadP50Ms),
      ]),
    ),
    '',
  ];
}

function profileSection(results: BenchResults): string[] {
  const profiles = results.profiles;
  if (!profiles) return [];
  const table = (rows: typeof profiles.init, unit: 'ms' | 'µs') =>
    markdownTable(
      ['where (innermost bundle frame, through the source map)', 'deployed', 'baseline', 'difference'],
      rows
        .filter((row) => Math.abs(row.deployed) + Math.abs(row.baseline) >= (unit === 'ms' ? 0.05 : 0.5))
        .map((row) => [
          row.group,
          `${fixed(row.deployed, unit === 'ms' ? 2 : 1)} ${unit}`,
          `${fixed(row.baseline, unit === 'ms' ? 2 : 1)} ${unit}`,
          `${row.difference > 0 ? '+' : ''}${fixed(row.difference, unit === 'ms' ? 2 : 1)} ${unit}`,
        ]),
    );
  return [
    '## Where the time goes (CPU profiles)',
    '',
    `\`--cpu-prof\` at ${profiles.sampleIntervalUs} µs, samples attributed to the package of the innermost stack frame that lies in the bundle (Node internals called by a package count for it); profiling slows everything, so read the differences and shares, not the absolute times. Top-level statements of an ES-module bundle all run in one frame ("bundle top level").`,
    '',
    `**Init** (CPU per cold start, ${profiles.initRuns} runs each; baseline: the SDK-only function):`,
    '',
    table(profiles.init, 'ms'),
    '',
    `**Warm request** (CPU per request over ${profiles.warmRequests} requests; baseline: a bare \`client.send\`):`,
    '',
    table(profiles.warm, 'µs'),
    '',
  ];
}

function burstRows(runs: readonly BurstRunResult[], withIdeal: boolean): string[][] {
  return runs.map((r) => [
    `**${r.label}**`,
    `${percent(r.shareStarted)} (${r.started})`,
    String(r.connectCalls),
    fixed(r.callsPerStartedChat),
    withIdeal ? `${ms(r.startP50Ms)} (${times(r.p50VsIdeal, 2)})` : ms(r.startP50Ms),
    withIdeal ? `${ms(r.startP99Ms)} (${times(r.p99VsIdeal, 2)})` : ms(r.startP99Ms),
    ms(r.answerP99Ms),
    ms(r.lastConnectStartMs),
    String(r.orphanedChats),
    answersText(r.answers),
  ]);
}

function burstSection(results: BenchResults, svgName: string): string[] {
  const burst = results.burst;
  if (!burst) return [];
  const header = [
    'strategy',
    'started ≤ 29 s',
    'Connect calls',
    'calls / started chat',
    'start p50 (vs ideal)',
    'start p99 (vs ideal)',
    'answer p99',
    'last start at Connect',
    'orphaned chats',
    'answers',
  ];
  const ours = burst.strategies.find((s) => s.name === 'handler');
  return [
    '## 4. Burst goodput',
    '',
    `${burst.requests} chat starts arrive together; each is served by its own simulated Lambda instance (a worker thread with its own isolate and module state), created, initialized and warmed up with ${WARMUP_REQUESTS} requests the stand-in refuses before its rate limit, then released at once through a shared buffer. On this machine's ${results.environment.cpus} cores the ${burst.requests} instances cannot all run at once: the last first call reached the stand-in ${ms(Math.max(...burst.strategies.map((s) => s.firstCallsWithinMs)))} after the release at worst (latest wake-up ${ms(Math.max(...burst.strategies.map((s) => s.maxWakeMs)))}), which the latencies below include. A fresh stand-in per strategy applies Connect's rate shape: ${burst.ideal.ratePerSecond} requests/s, burst ${burst.ideal.burst}.`,
    '',
    `**Ideal schedule**: the first ${burst.ideal.burst} start at once, then one every ${1_000 / burst.ideal.ratePerSecond} ms, one call each: p50 ${ms(burst.ideal.p50Ms)}, p99 ${ms(burst.ideal.p99Ms)}, last start ${ms(burst.ideal.lastStartMs)}. *Start* latencies count a chat not started within API Gateway's 29 s as never (so a p99 of "never" means fewer than 99 % started); *answer* latencies count every answer.`,
    '',
    markdownTable(header, burstRows(burst.strategies, true)),
    '',
    `![Time to a started chat per retry strategy](${svgName})`,
    '',
    ...(ours
      ? [
          `Calls per request for our handler (counted by ClientToken at the stand-in): ${histogramText(ours.callsPerRequestHistogram)}. Calls per second after the burst: ${ours.callsPerSecond.join(', ')}.`,
          '',
        ]
      : []),
    'Strategies:',
    '',
    ...burst.strategies.map((s) => `- **${s.label}**: ${s.description}.`),
    "- The SDK modes run on bare clients of the same SDK build, one per instance, with no deadline of their own: each stops when API Gateway's 29 s run out (on Lambda it could keep calling until the function timeout, starting chats nobody receives). *Orphaned chats* are chats Connect started that no caller received in time.",
    '',
    '### The burst model',
    '',
    `One burst is one draw of a random process. The model replays it ${burst.model.settings.runs} times in simulated time with the real \`retryDelayMs\` (lambda/backoff.ts, or the variant), the handler's loop rules (budget ${burst.model.settings.budgetMs / 1_000} s, attempt cap, minimum attempt window) and the stand-in's \`TokenBucket\`; arrivals spread over ${burst.model.settings.arrivalSpreadMs} ms, ${burst.model.settings.roundTripMs} ms round trips. Compare its means with the measured rows above.`,
    '',
    markdownTable(
      [
        'schedule',
        'calls / started chat: mean [p10–p90]',
        `bursts with ≤ ${TARGETS.burstCallsPerChat} calls/chat`,
        'p99 vs ideal: mean [p10–p90]',
        'bursts meeting all three burst targets',
      ],
      burst.model.results.map((m) => [
        m.label,
        `${fixed(m.callsPerChat.mean)} [${fixed(m.callsPerChat.p10)}–${fixed(m.callsPerChat.p90)}]`,
        percent(m.metCallsPerChat),
        `${times(m.p99VsIdeal.mean)} [${times(m.p99VsIdeal.p10)}–${times(m.p99VsIdeal.p90)}]`,
        percent(m.metAll),
      ]),
    ),
    '',
    '### Concurrent-chat quota full',
    '',
    `The quota is full (${burst.quotaFull[0]?.connect.prefilledChats ?? 0} active chats of ${burst.quotaFull[0]?.connect.maxConcurrentChats ?? 0}) and the rate limit off, so \`LimitExceededException\` is what Connect answers; the same ${burst.requests} simultaneous requests:`,
    '',
    markdownTable(
      ['strategy', 'Connect calls', 'calls per request', 'answer p50', 'answer p99', 'answers'],
      burst.quotaFull.map((r) => [
        `**${r.label}**`,
        String(r.connectCalls),
        fixed(r.callsPerRequest),
        ms(r.answerP50Ms),
        ms(r.answerP99Ms),
        answersText(r.answers),
      ]),
    ),
    '',
  ];
}

/** The bytes the deployed bundle adds to the SDK-only one in these groups of the metafile breakdown. */
function groupBytes(results: Measured, groups: readonly string[]): number {
  return (results.bundle?.byPackage ?? [])
    .filter((row) => groups.includes(row.group))
    .reduce((sum, row) => sum + row.difference, 0);
}

/** Packages the design requires (DESIGN.md: the Powertools logger, middy). */
const REQUIRED_BY_DESIGN = ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/commons', '@middy/core'];
/** The validation library. */
const VALIDATION = ['valibot'];
/** Our own code in the bundle. */
const OWN_CODE = ['lambda/ (our code)', 'lib/'];

function interval(c: ColdComparison): string {
  return `[${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}]`;
}

/** A ratio read as a change: a cost or a saving when its interval excludes 1, else no clear change. */
function change(c: ColdComparison): string {
  const text = `${times(c.ratio)} ${interval(c)}`;
  if (c.interval[0] > 1) return `costs ${text}`;
  if (c.interval[1] < 1) return `saves time: ${text}`;
  return `makes no clear difference: ${text}`;
}

function metSummary(targets: readonly TargetCheck[]): string {
  const metCount = targets.filter((t) => t.met).length;
  const missed = targets.filter((t) => !t.met).map((t) => t.name);
  return `${metCount} of ${targets.length} targets met${missed.length > 0 ? `; not met: ${missed.join('; ')}` : ''}.`;
}

function bundleFinding(results: Measured, verdict: string): string | undefined {
  const bundle = results.bundle;
  if (!bundle) return undefined;
  const difference = bundle.deployed.bytes - bundle.sdkOnly.bytes;
  const allowed = bundle.sdkOnly.bytes * (TARGETS.bundleRatio - 1);
  const required = groupBytes(results, REQUIRED_BY_DESIGN);
  const validation = groupBytes(results, VALIDATION);
  const own = groupBytes(results, OWN_CODE);
  const parts = bundle.byPackage
    .filter((row) => row.difference > 0)
    .slice(0, 6)
    .map((row) => `${row.group} ${kB(row.difference)}`)
    .join(', ');
  const needed = difference - allowed;
  const bundled = bundle.ratios.rawVsNodejsFunction['defaults-bundleAwsSDK'];
  const atStart = `A cold start loads ${kB(bundle.deployed.atStart.bytes)} of it (index.mjs and ${bundle.deployed.atStart.files - 1} chunks it imports statically; ${kB(bundle.deployed.bytes - bundle.deployed.atStart.bytes)} more in chunks loaded on first use), ${times(bundle.ratios.atStartRawVsSdkOnly)} what the SDK-only function's loads (${kB(bundle.sdkOnly.atStart.bytes)}).`;
  return `- **Bundle** (${verdict}; the whole build). The deployed build carries ${kB(difference)} more than the SDK-only function built with the same esbuild settings (minified, tree-shaken, ES-module entry points, code-split); the target allows ${kB(allowed)}. ${atStart} The difference is code, not packaging: ${parts}. The design requires the Powertools logger and middy (${kB(required)} with Powertools' commons, ${percent(required / allowed)} of the allowance); valibot, the validation library, adds ${kB(validation)}, and our own code (lambda/ and lib/) ${kB(own)}.${
    needed > 0
      ? ` Meeting the target would take ${kB(needed)} out of that code, so this is a known limit of the design, not something a build setting changes.`
      : ''
  }${
    bundled === undefined
      ? ''
      : ` Next to NodejsFunction's defaults the chosen settings pay off: the deployed bundle is ${times(bundled)} the size of \`defaults-bundleAwsSDK\`, the only default build that ships our SDK version.`
  }`;
}

function coldFindings(results: Measured, verdict: string): string[] {
  const lines: string[] = [];
  const sdkOnly = variant(results, 'sdk-only');
  const deployed = variant(results, 'deployed');
  const like = comparison(results, 'deployed', 'sdk-only');
  if (!sdkOnly || !deployed || !like) return lines;
  const initAdded = (results.profiles?.init ?? [])
    .filter((row) => row.difference > 0.05)
    .sort((x, y) => y.difference - x.difference)
    .map((row) => `${row.group} +${fixed(row.difference, 1)} ms`)
    .join(', ');
  const allowance = sdkOnly.init.median * (TARGETS.coldInitRatio - 1);
  const withFirst = comparison(results, 'deployed', 'sdk-only', 'initPlusFirstRequest');
  lines.push(
    `- **Cold init** (${verdict}). As the construct deploys it (source maps off, the default), the handler's init takes ${ms(deployed.init.median)} at the median against ${ms(sdkOnly.init.median)} for the SDK-only function built with the same settings: ${signedMs(deployed.init.median - sdkOnly.init.median)}, ${times(like.ratio)} ${interval(like)}. The target leaves ${ms(allowance)} on top of the SDK-only init${
      deployed.init.median - sdkOnly.init.median > allowance
        ? `, so meeting it would take ${ms(deployed.init.median - sdkOnly.init.median - allowance)} out of what the handler loads at init`
        : ''
    }.${
      withFirst
        ? ` Init and the first request together, the cold start a customer waits through, measure ${times(withFirst.ratio)} ${interval(withFirst)}.`
        : ''
    }${initAdded ? ` The init profile (CPU, profiled, so slowed) puts the difference in: ${initAdded}.` : ''}`,
  );

  const esmDeployed = variant(results, 'esm-builtins:deployed');
  const esmSdkOnly = variant(results, 'esm-builtins:sdk-only');
  const builtins = comparison(results, 'deployed', 'esm-builtins:deployed');
  const builtinsSdk = comparison(results, 'sdk-only', 'esm-builtins:sdk-only');
  const previousRatio = comparison(results, 'esm-builtins:deployed', 'esm-builtins:sdk-only');
  if (esmDeployed && esmSdkOnly && builtins && builtinsSdk && previousRatio) {
    const rises = like.ratio > previousRatio.ratio;
    const bothShorter = deployed.init.median < esmDeployed.init.median && sdkOnly.init.median < esmSdkOnly.init.median;
    const extra = `the handler's extra init: ${signedMs(esmDeployed.init.median - esmSdkOnly.init.median)} with ESM imports, ${signedMs(deployed.init.median - sdkOnly.init.median)} now`;
    lines.push(
      `- **Node built-ins through \`require()\`** (adopted: \`builtinsViaRequire\` in scripts/bundle-handler.ts; the SDK-only and empty baselines are built with it too). Against ESM imports of built-ins, the previous setting, init is ${times(builtins.ratio)} ${interval(builtins)} for the handler (${signedMs(deployed.init.median - esmDeployed.init.median)}) and ${times(builtinsSdk.ratio)} ${interval(builtinsSdk)} for the SDK-only function (${signedMs(sdkOnly.init.median - esmSdkOnly.init.median)}). An ES module that imports \`node:http\` makes Node build its ES-module facade, which reads every export and so loads undici (fetch, WebSocket), unused here; \`require()\` does not. ${
        rises
          ? `Taking out time that both functions spend raises the init ratio${bothShorter ? ' while both inits get shorter at the median' : ''}: ${times(previousRatio.ratio)} ${interval(previousRatio)} with ESM imports, ${times(like.ratio)} now (${extra}).`
          : `The init ratio moves from ${times(previousRatio.ratio)} ${interval(previousRatio)} with ESM imports to ${times(like.ratio)} now (${extra}).`
      }`,
    );
  }

  const oneFile = variant(results, 'one-file:deployed');
  const splitting = comparison(results, 'deployed', 'one-file:deployed');
  const splittingCpu = comparison(results, 'deployed', 'one-file:deployed', 'initCpu');
  const splittingFirst = comparison(results, 'deployed', 'one-file:deployed', 'initPlusFirstRequest');
  const splittingSdk = comparison(results, 'sdk-only', 'one-file:sdk-only');
  const oneFileBundle = results.bundle?.alternatives.find((alternative) => alternative.name === 'one-file')?.handler;
  if (oneFile && splitting) {
    lines.push(
      `- **Code splitting** (adopted: \`splitting\` in scripts/bundle-handler.ts; the baselines are built with it too). What only \`import()\` reaches (the identity verifier with jose and the Secrets Manager client, the SDK's credential providers other than the environment's) goes into chunks loaded on first use, so a cold start loads ${
        results.bundle && oneFileBundle
          ? `${kB(results.bundle.deployed.atStart.bytes)} instead of the one file's ${kB(oneFileBundle.bytes)}`
          : 'less than the one file'
      }. Against the one-file build, the previous setting, the handler's init ${change(splitting)} (${signedMs(deployed.init.median - oneFile.init.median)})${
        splittingCpu ? `; init CPU time ${times(splittingCpu.ratio)} ${interval(splittingCpu)}` : ''
      }${
        splittingFirst
          ? `; init and the first request, which loads the chunks a request needs on first use (the environment's credential provider), ${times(splittingFirst.ratio)} ${interval(splittingFirst)}`
          : ''
      }${splittingSdk ? `. For the SDK-only function it ${change(splittingSdk)}` : ''}.`,
    );
  }

  const deployedSm = variant(results, 'deployed+sm');
  const sourceMaps = comparison(results, 'deployed+sm', 'deployed');
  const sourceMapsSdk = comparison(results, 'sdk-only+sm', 'sdk-only');
  const smVsSdk = comparison(results, 'deployed+sm', 'sdk-only');
  if (deployedSm && sourceMaps) {
    const bundle = results.bundle;
    const ownMap = bundle?.alternatives.find((alternative) => alternative.name === 'own-code-source-map')?.handler
      .mapBytes;
    const ownVsFull = comparison(results, 'proposal:own-code map+sm', 'deployed+sm');
    const ownVsOff = comparison(results, 'proposal:own-code map+sm', 'deployed');
    const ownVsSdk = comparison(results, 'proposal:own-code map+sm', 'sdk-only');
    lines.push(
      `- **Source maps** (the construct's \`enableSourceMaps\`, off by default; only then does the map go into the Lambda asset). Turning the option on sets \`NODE_OPTIONS=--enable-source-maps\`; for the handler's init it ${change(sourceMaps)} (${signedMs(deployedSm.init.median - deployed.init.median)})${
        smVsSdk ? `, so that the handler's init is ${times(smVsSdk.ratio)} the SDK-only function's without it` : ''
      }${sourceMapsSdk ? `; for the SDK-only function's it ${change(sourceMapsSdk)}` : ''}. While loading the module Node parses the whole source map${
        bundle
          ? ` (${kB(bundle.deployed.mapBytes)}; the SDK-only function's own map is ${kB(bundle.sdkOnly.mapBytes)})`
          : ''
      } and scans the bundle's text for line lengths (\`maybeCacheSourceMap\` and \`lineLengths\` in a CPU profile).${
        ownMap !== undefined && ownVsFull && ownVsOff
          ? ` Proposal, not adopted: ship a map of lambda/ only (${kB(ownMap)}; our frames map exactly as before, dependency frames stay bundle positions). With the option on, against the full map it ${change(ownVsFull)}; against source maps off it ${change(ownVsOff)}${ownVsSdk ? ` (${times(ownVsSdk.ratio)} the SDK-only init)` : ''}.`
          : ''
      }`,
    );
  }
  return lines;
}

function warmFinding(results: Measured, verdict: string): string | undefined {
  const warm = loopbackWarm(results);
  if (!warm) return undefined;
  const context = contextWarm(results);
  const added = (results.profiles?.warm ?? []).filter(
    (row) => row.difference > 0.5 && !row.group.startsWith('benchmark'),
  );
  const addedTotal = added.reduce((sum, row) => sum + row.difference, 0);
  const sorted = [...added].sort((a, b) => b.difference - a.difference);
  const breakdown = sorted
    .map((row) => `${row.group} ${fixed(row.difference, 0)} µs (${percent(row.difference / addedTotal)})`)
    .join(', ');
  const largest = sorted[0];
  return `- **Warm overhead** (${verdict}). Against the stand-in on loopback, which answers a bare \`client.send\` in ${ms(warm.bare.median)} at p50, the handler adds ${ms(warm.overheadP50Ms)} per request: ${times(warm.p50Ratio)} [${fixed(warm.p50Interval[0], 3)}–${fixed(warm.p50Interval[1], 3)}].${
    context
      ? ` Against a stand-in answering after ${context.standInLatencyMs} ms, a round trip closer to a call that leaves the machine, it adds ${ms(context.overheadP50Ms)}: ${times(context.p50Ratio)} [${fixed(context.p50Interval[0], 3)}–${fixed(context.p50Interval[1], 3)}] (${context.samples} requests per side).`
      : ''
  } The ratio depends on the round trip it is divided by; the absolute time added is the handler's cost.${
    breakdown ? ` CPU per request added, from the profile (slowed by profiling): ${breakdown}.` : ''
  }${
    largest && largest.difference / addedTotal < 0.5
      ? ` No single part holds most of it (the largest, ${largest.group}, is ${percent(largest.difference / addedTotal)}).`
      : ''
  }`;
}

function burstFinding(results: BenchResults): string | undefined {
  const burst = results.burst;
  const ours = burst?.strategies.find((s) => s.name === 'handler');
  if (!burst || !ours) return undefined;
  const checks = results.targets.filter((t) => t.name.startsWith('burst'));
  const missed = checks.filter((t) => !t.met);
  const verdict = missed.length === 0 ? `all ${checks.length} met` : `not met: ${missed.map((t) => t.name).join('; ')}`;
  const strategy = (name: string) => burst.strategies.find((s) => s.name === name);
  const model = (name: string) => burst.model.results.find((m) => m.name === name);
  const deployedModel = model('handler');
  const previous = strategy('handler-spread-previous');
  const previousModel = model('handler-spread-previous');
  const doubling = strategy('handler-doubling');
  const retried = Object.entries(ours.callsPerRequestHistogram)
    .filter(([calls]) => Number(calls) >= 2)
    .reduce((sum, [, count]) => sum + count, 0);
  const surplus = ours.connectCalls - ours.started;
  const firstSecondTokens = burst.ideal.burst + burst.ideal.ratePerSecond;
  const deployedSpread = fraction(SPREAD_OF_REMAINING_TIME);
  const previousSpread = fraction(PREVIOUS_SPREAD_OF_REMAINING_TIME);
  const sentences = [
    `- **Burst** (${verdict}). With later retries spread over ${deployedSpread} of the time left (deployed), ${ours.started} of ${ours.requests} chats started within 29 s, at ${fixed(ours.callsPerStartedChat)} Connect calls per started chat and p99 ${p99VsIdeal(ours)}.`,
    deployedModel
      ? `One burst is one draw of a random process; over ${deployedModel.runs} simulated bursts the model gives a mean of ${fixed(deployedModel.callsPerChat.mean)} calls per chat, at most ${TARGETS.burstCallsPerChat} in ${percent(deployedModel.metCallsPerChat)} of bursts, and all three burst targets in ${percent(deployedModel.metAll)}.`
      : '',
    previous && previousModel
      ? `The previous spread, ${previousSpread}, measured ${fixed(previous.callsPerStartedChat)} calls per chat and p99 ${p99VsIdeal(previous)} in this run (${percent(previous.shareStarted)} started); the model gives it a mean of ${fixed(previousModel.callsPerChat.mean)}, at most ${TARGETS.burstCallsPerChat} in ${percent(previousModel.metCallsPerChat)} of bursts.`
      : '',
    `Of the ${surplus} calls beyond one per started chat, ${retried} are first retries, which come within ${HANDLER_RETRY_DEFAULTS.baseDelayMs / 1_000} s of a throttled first call: in the first second after the release Connect received ${ours.callsPerSecond[0] ?? 0} calls and had at most ${firstSecondTokens} tokens to give.`,
    doubling
      ? `Plain doubling from ${DOUBLING_SETTINGS.baseDelayMs} ms instead spends ${fixed(doubling.callsPerStartedChat)} calls per started chat and starts ${percent(doubling.shareStarted)}.`
      : '',
    sdkSentence(burst.strategies),
    quotaSentence(burst.quotaFull),
  ];
  return sentences.filter((sentence) => sentence !== '').join(' ');
}

/** The p99 time to a started chat against the ideal, or why there is none. */
function p99VsIdeal(run: BurstRunResult): string {
  return Number.isFinite(run.p99VsIdeal) ? `${times(run.p99VsIdeal)} the ideal` : 'none (fewer than 99 % started)';
}

function sdkSentence(strategies: readonly BurstRunResult[]): string {
  const find = (name: string) => strategies.find((s) => s.name === name);
  const [standard3, adaptive3, standard10, adaptive10] = [
    'sdk-standard',
    'sdk-adaptive',
    'sdk-standard-10',
    'sdk-adaptive-10',
  ].map(find);
  if (!standard3 || !adaptive3 || !standard10 || !adaptive10) return '';
  return `The SDK's own retry modes start ${percent(standard3.shareStarted)} (standard) and ${percent(adaptive3.shareStarted)} (adaptive) of the chats with the default 3 attempts; with 10 attempts they start ${percent(standard10.shareStarted)} and ${percent(adaptive10.shareStarted)} at ${fixed(standard10.callsPerStartedChat)} and ${fixed(adaptive10.callsPerStartedChat)} calls per started chat, p99 ${p99VsIdeal(standard10)} and ${p99VsIdeal(adaptive10)}.`;
}

function quotaSentence(quotaFull: readonly BurstRunResult[]): string {
  const handler = quotaFull.find((s) => s.name === 'quota-full-handler');
  const sdk = quotaFull.find((s) => s.name === 'quota-full-sdk-standard');
  if (!handler || !sdk) return '';
  return `With the concurrent-chat quota full, the SDK's standard mode calls Connect ${fixed(sdk.callsPerRequest)} times per request, the handler ${fixed(handler.callsPerRequest)}.`;
}

function findingsSection(results: BenchResults): string[] {
  const verdict = (prefix: string) => {
    const check = results.targets.find((t) => t.name.startsWith(prefix));
    return check ? `${check.met ? 'met' : 'not met'}: ${check.measured}` : 'not measured';
  };
  const lines = [
    bundleFinding(results, verdict('bundle')),
    ...coldFindings(results, verdict('cold init')),
    warmFinding(results, verdict('warm')),
    burstFinding(results),
  ].filter((line): line is string => line !== undefined);
  return lines.length === 0 ? [] : ['## What limits the targets', '', metSummary(results.targets), '', ...lines, ''];
}

const TARGET_HEADER = ['target', 'goal', 'measured', 'met'];

function targetRows(results: BenchResults, notMet: string): string[][] {
  return results.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : notMet]);
}

export function renderMarkdown(results: BenchResults, svgName: string): string {
  const env = results.environment;
  const lines = [
    '# Benchmarks: latest run',
    '',
    `${env.date.slice(0, 16).replace('T', ' ')} UTC · Node ${env.node} · ${env.platform} · ${env.cpus} × ${env.cpuModel} · ${env.memoryGiB} GiB · commit ${env.gitCommit ?? 'unknown'}${env.gitDirty ? ' (uncommitted changes in lambda/ or scripts/bundle-handler.ts)' : ''} · wall time ${(results.wallTimeMs / 1_000).toFixed(0)} s`,
    '',
    `Reproduce with \`npm ci && npm run bench\` (no AWS account, no Docker). Every figure is a ratio against a baseline measured in the same run, so it holds on a noisy machine; absolute times depend on the machine. Raw figures: [latest.json](latest.json). Packages: ${Object.entries(
      env.packages,
    )
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}.`,
    '',
    '## Targets',
    '',
    markdownTable(TARGET_HEADER, targetRows(results, '**no**')),
    '',
    ...findingsSection(results),
    ...bundleSection(results),
    ...coldSection(results),
    ...warmSection(results),
    ...profileSection(results),
    ...metricsCostSection(results),
    ...burstSection(results, svgName),
    ...startTimeSection(results.startTime),
    ...identitySection(results.identity),
    ...clientSection(results),
  ];
  return `${lines.join('\n')}\n`;
}

/** The printed summary: every ratio on a few lines. */
export function renderSummary(results: BenchResults): string {
  const out: string[] = ['', '== start-chat-contact benchmark =='];
  const bundle = results.bundle;
  if (bundle) {
    out.push(
      '',
      'Bundle (at start: index.mjs and its static chunks, what a cold start loads; whole: every file of the build):',
      textTable(
        [
          'bundle',
          'at start raw',
          'gzip',
          'whole raw',
          'gzip',
          'deployed ÷ this (at start raw)',
          '(whole raw)',
          '(whole gzip)',
        ],
        [
          [
            'deployed',
            kB(bundle.deployed.atStart.bytes),
            kB(bundle.deployed.atStart.gzipBytes),
            kB(bundle.deployed.bytes),
            kB(bundle.deployed.gzipBytes),
            '',
            '',
            '',
          ],
          [
            'SDK-only',
            kB(bundle.sdkOnly.atStart.bytes),
            kB(bundle.sdkOnly.atStart.gzipBytes),
            kB(bundle.sdkOnly.bytes),
            kB(bundle.sdkOnly.gzipBytes),
            times(bundle.ratios.atStartRawVsSdkOnly),
            times(bundle.ratios.rawVsSdkOnly),
            times(bundle.ratios.gzipVsSdkOnly),
          ],
          ...bundle.nodejsFunction.map((b) => [
            `NodejsFunction ${b.name}`,
            kB(b.atStart.bytes),
            kB(b.atStart.gzipBytes),
            kB(b.bytes),
            kB(b.gzipBytes),
            times(bundle.ratios.atStartRawVsNodejsFunction[b.name] ?? Number.NaN),
            times(bundle.ratios.rawVsNodejsFunction[b.name] ?? Number.NaN),
            times(bundle.ratios.gzipVsNodejsFunction[b.name] ?? Number.NaN),
          ]),
        ],
      ),
    );
  }
  const cold = results.coldInit;
  if (cold) {
    out.push(
      '',
      `Cold init (${cold.runs} runs each; median [p25–p75]):`,
      textTable(
        ['variant', 'init', 'p25–p75', 'init CPU', 'init + 1st request'],
        cold.variants.map((v) => [
          v.name,
          ms(v.init.median),
          `${ms(v.init.p25)}–${ms(v.init.p75)}`,
          ms(v.initCpu.median),
          ms(v.initPlusFirstRequest.median),
        ]),
      ),
      '',
      textTable(
        ['ratio of medians', 'measure', 'ratio [95% CI]'],
        cold.comparisons.map((c) => [c.name, MEASURE_LABEL[c.measure], ratioWithInterval(c)]),
      ),
    );
  }
  if (results.warm) {
    out.push(
      '',
      'Warm overhead (handler vs bare client.send):',
      textTable(
        ['run', 'handler p50', 'p99', 'bare p50', 'p99', 'p50 ratio', 'p99 ratio'],
        results.warm.map((w) => [
          w.name,
          ms(w.handler.median),
          ms(w.handler.p99),
          ms(w.bare.median),
          ms(w.bare.p99),
          times(w.p50Ratio),
          times(w.p99Ratio),
        ]),
      ),
    );
  }
  out.push(...metricsCostSummary(results));
  const burst = results.burst;
  if (burst) {
    out.push(
      '',
      `Burst of ${burst.requests} (Connect 5/s, burst 8; ideal p50 ${ms(burst.ideal.p50Ms)}, p99 ${ms(burst.ideal.p99Ms)}, last ${ms(burst.ideal.lastStartMs)}):`,
      textTable(
        ['strategy', 'started', 'calls', 'calls/chat', 'p50 (vs ideal)', 'p99 (vs ideal)', 'orphaned'],
        burst.strategies.map((r) => [
          r.label,
          percent(r.shareStarted),
          String(r.connectCalls),
          fixed(r.callsPerStartedChat),
          `${ms(r.startP50Ms)} (${times(r.p50VsIdeal, 2)})`,
          `${ms(r.startP99Ms)} (${times(r.p99VsIdeal, 2)})`,
          String(r.orphanedChats),
        ]),
      ),
      '',
      `Model (${burst.model.settings.runs} simulated bursts, real retryDelayMs and TokenBucket):`,
      textTable(
        [
          'schedule',
          'calls/chat mean [p10-p90]',
          `<= ${TARGETS.burstCallsPerChat} calls/chat`,
          'p99 vs ideal mean',
          'all burst targets',
        ],
        burst.model.results.map((m) => [
          m.label,
          `${fixed(m.callsPerChat.mean)} [${fixed(m.callsPerChat.p10)}-${fixed(m.callsPerChat.p90)}]`,
          percent(m.metCallsPerChat),
          times(m.p99VsIdeal.mean),
          percent(m.metAll),
        ]),
      ),
      '',
      'Quota full:',
      textTable(
        ['strategy', 'calls', 'calls/request', 'answers'],
        burst.quotaFull.map((r) => [r.label, String(r.connectCalls), fixed(r.callsPerRequest), answersText(r.answers)]),
      ),
    );
  }
  out.push(...startTimeSummary(results.startTime));
  out.push(...identitySummary(results.identity));
  out.push(...clientSummary(results));
  out.push(
    '',
    'Targets:',
    textTable(TARGET_HEADER, targetRows(results, 'NO')),
    '',
    `Wall time: ${(results.wallTimeMs / 1_000).toFixed(0)} s (${Object.entries(results.stepTimesMs)
      .map(([step, time]) => `${step} ${(time / 1_000).toFixed(0)} s`)
      .join(', ')})`,
  );
  return out.join('\n');
}
