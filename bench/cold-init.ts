/**
 * Step 2, cold init: a fresh Node 24 process per run loads a bundle the way the Lambda runtime does
 * (`import()` for .mjs, `require()` for CommonJS) until the handler is ready, then serves one chat start
 * against the stand-in. Variants run round-robin in a shuffled order each round, one process at a time,
 * so drift on a noisy machine hits them alike. The probe is inline JS with no imports of its own, so it
 * neither loads the TypeScript stripper nor pre-loads a built-in the bundle would otherwise pay for.
 */
import { spawn } from 'node:child_process';
import type { ConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import { chatRequestEvent, lambdaEnvironment } from './lib/lambda-env.ts';
import { bootstrapRatioInterval, median, ratio, type Summary, seededRandom, summarize } from './lib/stats.ts';

export interface ColdVariant {
  readonly name: string;
  readonly description: string;
  readonly bundle: string;
  readonly nodeOptions?: string;
}

export interface ColdSamples {
  /** From the probe's first line to the handler export being available: the function's own init. */
  readonly initMs: number[];
  /** CPU time (user + system, all threads) over the same span: less sensitive to a busy machine. */
  readonly initCpuMs: number[];
  /** The first invocation (a chat start against the stand-in), after init. */
  readonly firstRequestMs: number[];
  /** Node's own start-up before the probe ran (the same for every variant). */
  readonly bootMs: number[];
  /** Spawn to exit, as the parent saw it. */
  readonly processMs: number[];
}

export interface ColdVariantResult {
  readonly name: string;
  readonly description: string;
  readonly nodeOptions: string | undefined;
  readonly init: Summary;
  readonly initCpu: Summary;
  readonly firstRequest: Summary;
  readonly initPlusFirstRequest: Summary;
  readonly process: Summary;
  readonly samples: ColdSamples;
}

export interface ColdComparison {
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly measure: 'init' | 'initCpu' | 'initPlusFirstRequest';
  readonly ratio: number;
  /** 95 % bootstrap interval of the ratio of medians. */
  readonly interval: [number, number];
}

export interface ColdInitResults {
  readonly runs: number;
  readonly warmupRuns: number;
  readonly variants: ColdVariantResult[];
  readonly comparisons: ColdComparison[];
}

const PROBE = `
const bundle = process.env.BENCH_BUNDLE;
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = bundle.endsWith('.mjs')
  ? await import('file://' + bundle)
  : process.getBuiltinModule('node:module').createRequire(bundle)(bundle);
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const initCpuMs = (c1.user + c1.system) / 1000;
if (process.env.BENCH_INIT_ONLY) {
  process.stderr.write('\\nBENCH_RESULT ' + JSON.stringify({ bootMs: t0, initMs: t1 - t0, initCpuMs, firstRequestMs: 0, status: 200 }) + '\\n');
  process.exit(0);
}
const event = JSON.parse(process.env.BENCH_EVENT);
const startedAt = Date.now();
event.requestContext.requestTimeEpoch = startedAt;
const context = {
  callbackWaitsForEmptyEventLoop: false, functionName: 'start-chat-contact-bench', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:start-chat-contact-bench',
  memoryLimitInMB: '512', awsRequestId: 'cold-' + startedAt, logGroupName: 'bench', logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, startedAt + 30000 - Date.now()),
};
const answer = await mod.handler(event, context);
const t2 = performance.now();
process.stderr.write('\\nBENCH_RESULT ' + JSON.stringify({ bootMs: t0, initMs: t1 - t0, initCpuMs, firstRequestMs: t2 - t1, status: answer.statusCode }) + '\\n');
process.exit(0);
`;

export interface ProbeResult {
  readonly bootMs: number;
  readonly initMs: number;
  readonly initCpuMs: number;
  readonly firstRequestMs: number;
  readonly status: number;
  readonly processMs: number;
}

/**
 * Runs an inline probe script in a fresh Node process with exactly `env` and resolves with the JSON it
 * writes after `BENCH_RESULT ` on stderr, and the process's wall time as the parent saw it.
 */
export function runProbeScript<T>(
  script: string,
  env: Record<string, string>,
  label: string,
  execArgv: readonly string[] = [],
): Promise<{ readonly result: T; readonly processMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...execArgv, '--input-type=module', '--eval', script], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      const line = stderr.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${label} failed (exit ${code}): ${stderr.slice(-1_500)}`));
        return;
      }
      resolve({ result: JSON.parse(line.slice('BENCH_RESULT '.length)) as T, processMs });
    });
  });
}

/**
 * One fresh process loading `variant`'s bundle. `execArgv` adds Node flags (e.g. --cpu-prof); `initOnly`
 * stops after init.
 */
export async function probeOnce(
  variant: ColdVariant,
  standIn: ConnectStandIn,
  options: { readonly execArgv?: readonly string[]; readonly initOnly?: boolean } = {},
): Promise<ProbeResult> {
  const env = {
    ...lambdaEnvironment({ endpoint: standIn.url, nodeOptions: variant.nodeOptions }),
    BENCH_BUNDLE: variant.bundle,
    BENCH_EVENT: JSON.stringify(chatRequestEvent(Date.now())),
    ...(options.initOnly && { BENCH_INIT_ONLY: '1' }),
  };
  const { result, processMs } = await runProbeScript<Omit<ProbeResult, 'processMs'>>(
    PROBE,
    env,
    `cold-init probe of ${variant.name}`,
    options.execArgv,
  );
  if (result.status !== 200) {
    throw new Error(`cold-init probe of ${variant.name}: the first request answered ${result.status}`);
  }
  return { ...result, processMs };
}

/** A copy in random order (Fisher-Yates), from a seeded generator. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export async function measureColdInit(options: {
  readonly variants: readonly ColdVariant[];
  readonly comparisons: ReadonlyArray<Omit<ColdComparison, 'ratio' | 'interval'>>;
  readonly standIn: ConnectStandIn;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly log: (line: string) => void;
}): Promise<ColdInitResults> {
  const samples = new Map<string, ColdSamples>(
    options.variants.map((variant) => [
      variant.name,
      { initMs: [], initCpuMs: [], firstRequestMs: [], bootMs: [], processMs: [] },
    ]),
  );
  const random = seededRandom(20_261_122);
  const rounds = options.warmupRuns + options.runs;
  for (let round = 0; round < rounds; round++) {
    for (const variant of shuffled(options.variants, random)) {
      const result = await probeOnce(variant, options.standIn);
      if (round < options.warmupRuns) continue;
      const target = samples.get(variant.name)!;
      target.initMs.push(result.initMs);
      target.initCpuMs.push(result.initCpuMs);
      target.firstRequestMs.push(result.firstRequestMs);
      target.bootMs.push(result.bootMs);
      target.processMs.push(result.processMs);
    }
    if ((round + 1) % 5 === 0) options.log(`  cold init: round ${round + 1}/${rounds}`);
  }

  const variants = options.variants.map((variant): ColdVariantResult => {
    const s = samples.get(variant.name)!;
    return {
      name: variant.name,
      description: variant.description,
      nodeOptions: variant.nodeOptions,
      init: summarize(s.initMs),
      initCpu: summarize(s.initCpuMs),
      firstRequest: summarize(s.firstRequestMs),
      initPlusFirstRequest: summarize(s.initMs.map((value, i) => value + s.firstRequestMs[i]!)),
      process: summarize(s.processMs),
      samples: s,
    };
  });

  const series = (name: string, measure: ColdComparison['measure']): number[] => {
    const s = samples.get(name);
    if (!s) throw new Error(`no cold-init variant named ${name}`);
    if (measure === 'init') return s.initMs;
    if (measure === 'initCpu') return s.initCpuMs;
    return s.initMs.map((value, i) => value + s.firstRequestMs[i]!);
  };
  const comparisons = options.comparisons.map((comparison): ColdComparison => {
    const a = series(comparison.numerator, comparison.measure);
    const b = series(comparison.denominator, comparison.measure);
    return { ...comparison, ratio: ratio(median(a), median(b)), interval: bootstrapRatioInterval(a, b) };
  });
  return { runs: options.runs, warmupRuns: options.warmupRuns, variants, comparisons };
}
