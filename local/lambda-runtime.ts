/**
 * A local Lambda service for synchronous invocations, as API Gateway's proxy integration makes them.
 *
 * Each container is one load of the function (see handler-bundle.ts) and runs one invocation at a time;
 * an idle container is reused warm, a new one starts cold when all are busy, up to `maxConcurrency`,
 * beyond which invocations wait for a container. Each invocation gets a Lambda context whose
 * `getRemainingTimeInMillis` counts down from the function's timeout. An invocation that outlives the
 * timeout fails with `LambdaTimeoutError` and its container is discarded, as Lambda does.
 *
 * One container per concurrent request matters for fidelity: the handler keeps per-container state
 * (configuration, the Connect client, the logger's keys and cold-start flag), which concurrent requests
 * in one module instance would share.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_GATEWAY_TIMEOUT_MS } from '../lib/handler-contract.ts';
import type { LambdaHandler } from './handler-bundle.ts';
import { lambdaContext } from './lambda-context.ts';

export interface LambdaRuntimeOptions {
  /** Starts one container: loads the function and returns its handler. */
  readonly load: () => Promise<LambdaHandler>;
  /** The function's timeout. @default 29_000, API Gateway's integration limit */
  readonly timeoutMs?: number;
  /** Most containers at once. @default 10 */
  readonly maxConcurrency?: number;
  /** @default 'start-chat-contact' */
  readonly functionName?: string;
  /** Region in the function ARN of the context. @default 'us-east-1' */
  readonly region?: string;
  /** @default 512 */
  readonly memoryMb?: number;
}

export interface LambdaRuntime {
  /** Invokes the function with an event, as API Gateway's proxy integration does. */
  invoke(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult>;
  /**
   * Starts `containers` containers now (default one), so a broken bundle or configuration fails before
   * the first request, and load that follows meets warm containers only.
   */
  warm(containers?: number): Promise<void>;
  /** Containers started and not discarded. */
  containers(): number;
}

/** The invocation ran past the function's timeout. */
export class LambdaTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = 'LambdaTimeoutError';
  }
}

interface Container {
  readonly handler: LambdaHandler;
  readonly logStreamName: string;
}

interface Waiter {
  readonly resolve: (container: Container) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULTS = {
  timeoutMs: API_GATEWAY_TIMEOUT_MS,
  maxConcurrency: 10,
  functionName: 'start-chat-contact',
  region: 'us-east-1',
  memoryMb: 512,
};

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const settings = { ...DEFAULTS, ...options };
  const idle: Container[] = [];
  const waiting: Waiter[] = [];
  let started = 0;

  /** Hands idle containers, or new ones while under the limit, to waiting invocations. */
  function dispatch(): void {
    while (waiting.length > 0) {
      const container = idle.pop();
      if (container) {
        waiting.shift()!.resolve(container);
        continue;
      }
      if (started >= settings.maxConcurrency) return;
      started += 1;
      const waiter = waiting.shift()!;
      settings.load().then(
        (handler) => waiter.resolve({ handler, logStreamName: logStreamName() }),
        (error: unknown) => {
          started -= 1;
          waiter.reject(error);
          dispatch();
        },
      );
    }
  }

  const acquire = () =>
    new Promise<Container>((resolve, reject) => {
      waiting.push({ resolve, reject });
      dispatch();
    });
  const release = (container: Container) => {
    idle.push(container);
    dispatch();
  };
  const discard = () => {
    started -= 1;
    dispatch();
  };

  return {
    async invoke(event) {
      const container = await acquire();
      const endsAt = Date.now() + settings.timeoutMs;
      const { functionName, region, memoryMb } = settings;
      const context = lambdaContext({ endsAt, functionName, region, memoryMb, logStreamName: container.logStreamName });
      const run = Promise.resolve().then(() => container.handler(event, context));
      // A run that outlives its timeout may still settle later; that result goes nowhere.
      run.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeoutError(settings.timeoutMs)), settings.timeoutMs);
      });
      try {
        const result = await Promise.race([run, timeout]);
        release(container);
        return result;
      } catch (error) {
        if (error instanceof LambdaTimeoutError) discard();
        else release(container);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async warm(containers = 1) {
      const started = await Promise.all(Array.from({ length: containers }, () => acquire()));
      for (const container of started) release(container);
    },
    containers: () => started,
  };
}
