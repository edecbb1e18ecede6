/**
 * Step 3, warm overhead: one warm instance (a child process, its log lines going to /dev/null as a Lambda's
 * go to its log pipe) alternates a whole-handler request and a bare `client.send` of the same input to the
 * same stand-in (rate limit off). Same process, same SDK build, same connection reuse: the difference is
 * what the handler adds (parsing, validation, policy, middy, logging, retry bookkeeping, the answer).
 */
import { fork } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { ConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import type { InstanceMessage, WarmRequest, WarmResult } from './instance/protocol.ts';
import { lambdaEnvironment } from './lib/lambda-env.ts';
import { bootstrapRatioInterval, percentile, ratio, type Summary, summarize } from './lib/stats.ts';

export interface WarmRun {
  readonly name: string;
  readonly nodeOptions: string | undefined;
  /** How long the stand-in waited before answering, ms (0: at once, over loopback). */
  readonly standInLatencyMs: number;
  /** Requests per side before the timed ones. */
  readonly warmup: number;
  readonly samples: number;
  readonly handler: Summary;
  readonly bare: Summary;
  readonly p50Ratio: number;
  readonly p50Interval: [number, number];
  readonly p99Ratio: number;
  readonly overheadP50Ms: number;
}

/** What a warm instance loads and calls. */
export interface WarmSetup {
  readonly instanceScript: string;
  readonly handlerBundle: string;
  readonly sdkBundle: string;
  readonly standIn: ConnectStandIn;
}

/** One warm instance in a child process; `sides` picks what it times, `execArgv` adds Node flags. */
export function runWarmChild(
  options: WarmSetup & {
    readonly nodeOptions: string | undefined;
    readonly warmup: number;
    readonly samples: number;
    readonly sides?: WarmRequest['sides'];
    readonly execArgv?: readonly string[];
    /** Extra function environment. */
    readonly env?: Readonly<Record<string, string>>;
  },
): Promise<WarmResult> {
  return new Promise((resolve, reject) => {
    const child = fork(options.instanceScript, [], {
      execPath: process.execPath,
      execArgv: [...(options.execArgv ?? [])],
      env: lambdaEnvironment({ endpoint: options.standIn.url, nodeOptions: options.nodeOptions, extra: options.env }),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let result: InstanceMessage | undefined;
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.once('message', (message: InstanceMessage) => {
      result = message;
    });
    // 'close' comes after the exit and after the IPC channel is drained.
    child.on('close', (code) => {
      if (result?.type === 'warm-result') resolve(result);
      else if (result?.type === 'failed') reject(new Error(`warm instance failed: ${result.message}`));
      else reject(new Error(`warm instance exited ${code} without an answer: ${stderr.slice(-1_500)}`));
    });
    const request: WarmRequest = {
      type: 'warm',
      handlerBundleUrl: pathToFileURL(options.handlerBundle).href,
      sdkBundleUrl: pathToFileURL(options.sdkBundle).href,
      warmup: options.warmup,
      samples: options.samples,
      sides: options.sides ?? 'both',
    };
    child.send(request);
  });
}

export interface WarmRunSpec {
  readonly name: string;
  readonly nodeOptions?: string;
  /** Another stand-in for this run (e.g. one that answers after a realistic delay), and that delay. */
  readonly standIn?: ConnectStandIn;
  readonly standInLatencyMs?: number;
  readonly samples?: number;
}

export async function measureWarmOverhead(
  options: WarmSetup & {
    readonly warmup: number;
    readonly samples: number;
    readonly runs: readonly WarmRunSpec[];
  },
): Promise<WarmRun[]> {
  const results: WarmRun[] = [];
  for (const run of options.runs) {
    const standIn = run.standIn ?? options.standIn;
    const samples = run.samples ?? options.samples;
    standIn.reset();
    const result = await runWarmChild({ ...options, standIn, samples, nodeOptions: run.nodeOptions });
    if (result.failures > 0) throw new Error(`warm run ${run.name}: ${result.failures} requests did not start a chat`);
    const handler = summarize(result.handlerMs);
    const bare = summarize(result.bareMs);
    results.push({
      name: run.name,
      nodeOptions: run.nodeOptions,
      standInLatencyMs: run.standInLatencyMs ?? 0,
      warmup: options.warmup,
      samples,
      handler,
      bare,
      p50Ratio: ratio(handler.median, bare.median),
      p50Interval: bootstrapRatioInterval(result.handlerMs, result.bareMs),
      p99Ratio: ratio(percentile(result.handlerMs, 99), percentile(result.bareMs, 99)),
      overheadP50Ms: handler.median - bare.median,
    });
  }
  return results;
}
