/**
 * Step 4, burst goodput: `requests` chat starts arriving together, each served by its own simulated Lambda
 * instance (a worker thread with its own isolate and module state), against a fresh Connect stand-in with
 * Connect's real rate shape (5 requests/s, burst 8). Instances are created and initialized first, then all
 * released at once through a shared buffer, so init cost does not spread the arrivals.
 *
 * Per strategy: share of chats started within API Gateway's 29 s, Connect calls per started chat (every
 * StartChatContact call the stand-in received, divided by the chats callers received), and the latency to a
 * started chat (never, for a chat not started) against the ideal schedule.
 */
import { Worker } from 'node:worker_threads';
import { type RecordedCall, startConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import type {
  BurstOutcome,
  BurstWorkerData,
  InstanceMessage,
  InstanceReady,
  InstanceTarget,
} from './instance/protocol.ts';
import {
  API_GATEWAY_TIMEOUT_MS,
  epochNow,
  FLOW_ID,
  FUNCTION_TIMEOUT_MS,
  INSTANCE_ID,
  lambdaEnvironment,
} from './lib/lambda-env.ts';
import { idealStartTimesMs, percentile, ratio, type Summary, summarize } from './lib/stats.ts';

/** Requests each instance serves before the burst; see lambda-instance.ts. */
export const WARMUP_REQUESTS = 3;

export interface ConnectShape {
  /** Requests a second, or false for no rate limit. */
  readonly ratePerSecond: number | false;
  readonly burst: number;
  readonly maxConcurrentChats: number;
  /** Chats started before the burst, to fill the concurrent-chat quota. */
  readonly prefilledChats: number;
}

export interface BurstStrategy {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly target: InstanceTarget;
  /** Extra function environment (e.g. retry settings of a variant). */
  readonly env?: Readonly<Record<string, string>>;
  readonly connect: ConnectShape;
}

export interface BurstRunResult {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly connect: ConnectShape;
  readonly requests: number;
  readonly started: number;
  readonly shareStarted: number;
  readonly connectCalls: number;
  readonly callsPerStartedChat: number;
  readonly callsPerRequest: number;
  /** Connect's answers by status, e.g. { "200": 100, "429": 190 }. */
  readonly callsByStatus: Record<string, number>;
  /** How many requests made 1, 2, 3 ... calls (counted by ClientToken at the stand-in). */
  readonly callsPerRequestHistogram: Record<string, number>;
  /** What callers got, e.g. { "200": 99, "429 THROTTLED": 1 }. */
  readonly answers: Record<string, number>;
  /** Per request, ms from release to a started chat; null when none started within 29 s. Sorted. */
  readonly startMs: Array<number | null>;
  /** Per request, ms from release to any answer. Sorted. */
  readonly answerMs: number[];
  readonly startP50Ms: number;
  readonly startP99Ms: number;
  readonly answerP50Ms: number;
  readonly answerP99Ms: number;
  readonly p50VsIdeal: number;
  readonly p99VsIdeal: number;
  /** When Connect started the last chat it started (ms after release). */
  readonly lastConnectStartMs: number;
  /** Chats Connect started that no caller received in time (the SDK's own retries cannot know). */
  readonly orphanedChats: number;
  /** StartChatContact calls per second after release (index = second). */
  readonly callsPerSecond: number[];
  /** Latest wake-up of an instance after release, ms: how simultaneous the release was. */
  readonly maxWakeMs: number;
  /** When the last request's first call reached Connect, ms after release: the arrival spread. */
  readonly firstCallsWithinMs: number;
  /** Instance init (import + client) while several instances initialized together, ms. */
  readonly instanceInit: Summary;
  /** The instance's warm-up requests before the burst (the first call loads lazily and connects), ms. */
  readonly instanceWarmup: Summary;
  /** Release to last answer, ms. */
  readonly durationMs: number;
}

export interface IdealSchedule {
  readonly requests: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly startMs: number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly lastStartMs: number;
}

export function idealSchedule(requests: number, ratePerSecond: number, burst: number): IdealSchedule {
  const startMs = idealStartTimesMs(requests, ratePerSecond, burst);
  return {
    requests,
    ratePerSecond,
    burst,
    startMs,
    p50Ms: percentile(startMs, 50),
    p99Ms: percentile(startMs, 99),
    lastStartMs: Math.max(...startMs),
  };
}

interface Instance {
  readonly worker: Worker;
  /** Resolves once the instance is initialized, warmed up and waiting for the release. */
  readonly ready: Promise<InstanceReady>;
  readonly outcome: Promise<BurstOutcome>;
}

function startInstance(script: string, data: BurstWorkerData, env: Record<string, string>): Instance {
  const worker = new Worker(script, { workerData: data, env, stdout: true, stderr: true });
  const ready = Promise.withResolvers<InstanceReady>();
  const outcome = Promise.withResolvers<BurstOutcome>();
  ready.promise.catch(() => undefined);
  outcome.promise.catch(() => undefined);
  let stderr = '';
  const fail = (error: Error) => {
    ready.reject(error);
    outcome.reject(error);
  };
  worker.stdout.resume();
  worker.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  worker.on('message', (message: InstanceMessage) => {
    if (message.type === 'ready') ready.resolve(message);
    else if (message.type === 'result') outcome.resolve(message);
    else if (message.type === 'failed') fail(new Error(`instance failed: ${message.message} ${stderr}`));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`instance exited before answering (${code}): ${stderr}`)));
  return { worker, ready: ready.promise, outcome: outcome.promise };
}

/** Fills the concurrent-chat quota with chats started directly on the stand-in. */
async function prefill(url: string, chats: number): Promise<void> {
  for (let i = 0; i < chats; i++) {
    const response = await fetch(`${url}/contact/chat`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'AWS4-HMAC-SHA256 Credential=bench' },
      body: JSON.stringify({
        InstanceId: INSTANCE_ID,
        ContactFlowId: FLOW_ID,
        ParticipantDetails: { DisplayName: 'prefill' },
      }),
    });
    if (response.status !== 200) throw new Error(`prefilling the quota failed with ${response.status}`);
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

async function inBatches<T>(
  items: readonly T[],
  concurrency: number,
  action: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await action(items[next++]!);
    }),
  );
}

export async function runBurst(options: {
  readonly strategy: BurstStrategy;
  readonly instanceScript: string;
  readonly requests: number;
  readonly ideal: IdealSchedule;
  /** Instances initialized at the same time before the burst. */
  readonly initConcurrency: number;
  readonly compileCacheDir?: string;
}): Promise<BurstRunResult> {
  const { strategy, requests, ideal } = options;
  const standIn = await startConnectStandIn({
    ratePerSecond: strategy.connect.ratePerSecond,
    burst: strategy.connect.burst,
    maxConcurrentChats: strategy.connect.maxConcurrentChats,
    // Only the real flow exists: the instances' warm-up requests name another and are refused early.
    contactFlowIds: [FLOW_ID],
  });
  const instances: Instance[] = [];
  try {
    await prefill(standIn.url, strategy.connect.prefilledChats);
    const release = new SharedArrayBuffer(16);
    const data: BurstWorkerData = {
      target: strategy.target,
      release,
      apiGatewayTimeoutMs: API_GATEWAY_TIMEOUT_MS,
      functionTimeoutMs: FUNCTION_TIMEOUT_MS,
      warmupRequests: WARMUP_REQUESTS,
      compileCacheDir: options.compileCacheDir,
    };
    const env = lambdaEnvironment({ endpoint: standIn.url, extra: strategy.env });
    const initMs: number[] = [];
    const warmupMs: number[] = [];
    await inBatches(
      Array.from({ length: requests }, (_, i) => i),
      options.initConcurrency,
      async () => {
        const instance = startInstance(options.instanceScript, data, env);
        instances.push(instance);
        const ready = await instance.ready;
        initMs.push(ready.initMs);
        warmupMs.push(ready.warmupMs);
      },
    );
    const warmupRefusals = standIn.startChatCalls().filter((call) => call.outcome === 404).length;
    if (warmupRefusals !== requests * WARMUP_REQUESTS) {
      throw new Error(`expected ${requests * WARMUP_REQUESTS} refused warm-up calls, saw ${warmupRefusals}`);
    }
    // Everything is initialized and idle; the stand-in forgets the prefill calls and the burst starts.
    standIn.calls.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const releaseAt = epochNow();
    new Float64Array(release, 8, 1)[0] = releaseAt;
    const released = new Int32Array(release, 0, 1);
    Atomics.store(released, 0, 1);
    Atomics.notify(released, 0);

    const outcomes = await Promise.all(instances.map((instance) => instance.outcome));
    const durationMs = epochNow() - releaseAt;
    const calls: RecordedCall[] = standIn.startChatCalls().slice();
    return summarizeRun(strategy, requests, ideal, releaseAt, outcomes, calls, initMs, warmupMs, durationMs);
  } finally {
    await Promise.all(instances.map((instance) => instance.worker.terminate().catch(() => undefined)));
    await standIn.close();
  }
}

function summarizeRun(
  strategy: BurstStrategy,
  requests: number,
  ideal: IdealSchedule,
  releaseAt: number,
  outcomes: readonly BurstOutcome[],
  calls: readonly RecordedCall[],
  initMs: readonly number[],
  warmupMs: readonly number[],
  durationMs: number,
): BurstRunResult {
  const startMs = outcomes
    .map((outcome) =>
      outcome.status === 200 && outcome.latencyMs <= API_GATEWAY_TIMEOUT_MS
        ? outcome.latencyMs
        : Number.POSITIVE_INFINITY,
    )
    .sort((a, b) => a - b);
  const answerMs = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
  const started = startMs.filter(Number.isFinite).length;
  const tokenOf = (call: RecordedCall) => String(call.body?.ClientToken ?? call.requestId);
  const startedTokens = new Set(calls.filter((call) => call.outcome === 200).map(tokenOf));
  const perToken = countBy(calls, tokenOf);
  const callsPerSecond: number[] = [];
  for (const call of calls) {
    const second = Math.max(0, Math.floor((call.receivedAt - releaseAt) / 1_000));
    while (callsPerSecond.length <= second) callsPerSecond.push(0);
    callsPerSecond[second]!++;
  }
  const firstCallAt = new Map<string, number>();
  for (const call of calls)
    if (!firstCallAt.has(tokenOf(call))) firstCallAt.set(tokenOf(call), call.receivedAt - releaseAt);
  const connectStarts = calls.filter((call) => call.outcome === 200).map((call) => call.receivedAt - releaseAt);
  const startP50Ms = percentile(startMs, 50);
  const startP99Ms = percentile(startMs, 99);
  return {
    name: strategy.name,
    label: strategy.label,
    description: strategy.description,
    connect: strategy.connect,
    requests,
    started,
    shareStarted: started / requests,
    connectCalls: calls.length,
    callsPerStartedChat: started === 0 ? Number.POSITIVE_INFINITY : calls.length / started,
    callsPerRequest: calls.length / requests,
    callsByStatus: countBy(calls, (call) => String(call.outcome)),
    callsPerRequestHistogram: countBy(Object.values(perToken), String),
    answers: countBy(outcomes, (outcome) =>
      outcome.status === 200 ? '200' : `${outcome.status} ${outcome.code ?? ''}`.trim(),
    ),
    startMs: startMs.map((value) => (Number.isFinite(value) ? Math.round(value) : null)),
    answerMs: answerMs.map(Math.round),
    startP50Ms,
    startP99Ms,
    answerP50Ms: percentile(answerMs, 50),
    answerP99Ms: percentile(answerMs, 99),
    p50VsIdeal: ratio(startP50Ms, ideal.p50Ms),
    p99VsIdeal: ratio(startP99Ms, ideal.p99Ms),
    lastConnectStartMs: connectStarts.length === 0 ? Number.NaN : Math.max(...connectStarts),
    orphanedChats: Math.max(0, startedTokens.size - started),
    callsPerSecond,
    maxWakeMs: Math.max(...outcomes.map((outcome) => outcome.wakeMs)),
    firstCallsWithinMs: firstCallAt.size === 0 ? Number.NaN : Math.max(...firstCallAt.values()),
    instanceInit: summarize(initMs),
    instanceWarmup: summarize(warmupMs),
    durationMs,
  };
}
