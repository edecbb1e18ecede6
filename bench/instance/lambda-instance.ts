/**
 * One simulated Lambda instance: its own thread or process, its own module state (the bundle is imported
 * fresh here, so configuration, logger and Connect client are this instance's alone).
 *
 * - As a worker thread (burst): imports the target, reports `ready`, then blocks until the orchestrator
 *   releases every instance at once through a shared buffer; runs one chat start; reports the outcome.
 * - As a child process with an IPC channel (warm overhead): loads the handler and a bare client, then
 *   times requests against the stand-in, alternating the two.
 *
 * The orchestrator compiles this file to plain JS before starting instances (see builds.ts).
 */
import { randomUUID } from 'node:crypto';
import { enableCompileCache, flushCompileCache } from 'node:module';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type {
  ConnectClient,
  ConnectClientConfig,
  StartChatContactCommandInput,
  StartChatContactCommandOutput,
} from '@aws-sdk/client-connect';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { chatRequestEvent, epochNow, lambdaContext, startChatInput, WARMUP_FLOW_ID } from '../lib/lambda-env.ts';
import type {
  BurstOutcome,
  BurstWorkerData,
  InstanceMessage,
  InstanceTarget,
  WarmRequest,
  WarmResult,
} from './protocol.ts';

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface SdkOnlyModule {
  createClient(config: ConnectClientConfig): ConnectClient;
  startChat(
    client: ConnectClient,
    input: StartChatContactCommandInput,
    abortSignal?: AbortSignal,
  ): Promise<StartChatContactCommandOutput>;
}

/** Starts one chat; resolves with what the caller behind API Gateway gets. */
type ChatStarter = (
  releaseAt: number,
  apiGatewayTimeoutMs: number,
  functionTimeoutMs: number,
  flowId?: string,
) => Promise<Omit<BurstOutcome, 'type' | 'latencyMs' | 'wakeMs'>>;

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const GATEWAY_TIMEOUT = Symbol('gateway-timeout');

function gatewayTimeout(at: number): { promise: Promise<typeof GATEWAY_TIMEOUT>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof GATEWAY_TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(GATEWAY_TIMEOUT), Math.max(0, at - epochNow()));
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function errorCodeOf(result: APIGatewayProxyResult): string | undefined {
  try {
    return (JSON.parse(result.body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

async function loadTarget(target: InstanceTarget): Promise<ChatStarter> {
  const module: unknown = await import(target.bundleUrl);
  if (target.kind === 'function') {
    const handler = (module as { handler?: LambdaHandler }).handler;
    if (typeof handler !== 'function') throw new Error(`${target.bundleUrl} exports no handler`);
    return async (releaseAt, apiGatewayTimeoutMs, functionTimeoutMs, flowId) => {
      const event = chatRequestEvent(releaseAt, flowId);
      const timeout = gatewayTimeout(releaseAt + apiGatewayTimeoutMs);
      const answer = await Promise.race([handler(event, lambdaContext(releaseAt, functionTimeoutMs)), timeout.promise]);
      timeout.cancel();
      if (answer === GATEWAY_TIMEOUT) return { status: 504, code: 'API_GATEWAY_TIMEOUT', sdkAttempts: undefined };
      return { status: answer.statusCode, code: errorCodeOf(answer), sdkAttempts: undefined };
    };
  }
  const sdk = module as SdkOnlyModule;
  const client = sdk.createClient(target.clientConfig);
  return async (releaseAt, apiGatewayTimeoutMs, _functionTimeoutMs, flowId) => {
    // The Lambda would go on after API Gateway gave up; stopping here keeps the run bounded (see the report).
    const abort = new AbortController();
    const timeout = gatewayTimeout(releaseAt + apiGatewayTimeoutMs);
    void timeout.promise.then(() => abort.abort());
    try {
      const output = await sdk.startChat(client, startChatInput(randomUUID(), flowId), abort.signal);
      return { status: 200, code: undefined, sdkAttempts: output.$metadata.attempts };
    } catch (error) {
      const failure = error as SdkError;
      if (abort.signal.aborted)
        return { status: 504, code: 'API_GATEWAY_TIMEOUT', sdkAttempts: failure.$metadata?.attempts };
      return {
        status: failure.$metadata?.httpStatusCode ?? 502,
        code: failure.name,
        sdkAttempts: failure.$metadata?.attempts,
      };
    } finally {
      timeout.cancel();
    }
  };
}

async function runBurstInstance(data: BurstWorkerData): Promise<void> {
  const port = parentPort!;
  const post = (message: InstanceMessage) => port.postMessage(message);
  // Only speeds up creating the instances; init is over before the burst is released.
  if (data.compileCacheDir !== undefined) enableCompileCache(data.compileCacheDir);
  const started = performance.now();
  const startChat = await loadTarget(data.target);
  const initMs = performance.now() - started;
  if (data.compileCacheDir !== undefined) flushCompileCache();
  // A few requests before the burst, so the first calls' lazy loading (credentials, endpoint rules,
  // connection) and cold code of 100 instances do not queue on this machine's few cores at the release, as
  // they would not on Lambda, where each instance has its own CPU.
  const warmupStarted = epochNow();
  for (let i = 0; i < data.warmupRequests; i++) {
    const warmup = await startChat(epochNow(), data.apiGatewayTimeoutMs, data.functionTimeoutMs, WARMUP_FLOW_ID);
    if (warmup.status !== 404)
      throw new Error(`a warm-up request answered ${warmup.status} ${warmup.code ?? ''}, not 404`);
  }
  post({ type: 'ready', initMs, warmupMs: epochNow() - warmupStarted });

  const released = new Int32Array(data.release, 0, 1);
  const releaseTime = new Float64Array(data.release, 8, 1);
  Atomics.wait(released, 0, 0);
  const releaseAt = releaseTime[0]!;
  const wakeMs = epochNow() - releaseAt;
  const outcome = await startChat(releaseAt, data.apiGatewayTimeoutMs, data.functionTimeoutMs);
  post({ type: 'result', ...outcome, latencyMs: epochNow() - releaseAt, wakeMs });
}

async function runWarm(request: WarmRequest): Promise<WarmResult> {
  const handler = ((await import(request.handlerBundleUrl)) as { handler: LambdaHandler }).handler;
  const sdk = (await import(request.sdkBundleUrl)) as SdkOnlyModule;
  const client = sdk.createClient({ maxAttempts: 1 });
  const handlerMs: number[] = [];
  const bareMs: number[] = [];
  let failures = 0;

  const timeHandler = async (keep: boolean) => {
    const event = chatRequestEvent(Date.now());
    const context = lambdaContext(Date.now());
    const start = performance.now();
    const answer = await handler(event, context);
    const elapsed = performance.now() - start;
    if (answer.statusCode !== 200) failures++;
    if (keep) handlerMs.push(elapsed);
  };
  const timeBare = async (keep: boolean) => {
    const input = startChatInput(randomUUID());
    const start = performance.now();
    await sdk.startChat(client, input);
    const elapsed = performance.now() - start;
    if (keep) bareMs.push(elapsed);
  };

  for (let i = 0; i < request.warmup + request.samples; i++) {
    const keep = i >= request.warmup;
    if (request.sides === 'handler') await timeHandler(keep);
    else if (request.sides === 'bare') await timeBare(keep);
    // Alternate which goes first so neither always runs right after the other's garbage.
    else if (i % 2 === 0) {
      await timeHandler(keep);
      await timeBare(keep);
    } else {
      await timeBare(keep);
      await timeHandler(keep);
    }
  }
  return { type: 'warm-result', handlerMs, bareMs, failures };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

if (!isMainThread && parentPort) {
  runBurstInstance(workerData as BurstWorkerData).catch((error: unknown) => {
    parentPort!.postMessage({ type: 'failed', message: describe(error) } satisfies InstanceMessage);
  });
} else if (process.send) {
  // Exits once the answer is sent: open keep-alive sockets must not keep it (or its CPU profile) waiting.
  process.once('message', (message: WarmRequest) => {
    runWarm(message)
      .then((result) => process.send!(result, () => process.exit(0)))
      .catch((error: unknown) =>
        process.send!({ type: 'failed', message: describe(error) } satisfies InstanceMessage, () => process.exit(1)),
      );
  });
}
