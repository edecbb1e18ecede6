/**
 * The Lambda context of one invocation, as the Lambda runtime passes it to a handler: names, ARN, memory,
 * request id, and `getRemainingTimeInMillis` counting down to the function's timeout. One builder for the
 * local Lambda service, the tests and the benchmarks.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  /** Epoch milliseconds at which the invocation times out. */
  readonly endsAt: number;
  /** @default 'start-chat-contact' */
  readonly functionName?: string;
  /** Region in the function ARN. @default 'us-east-1' */
  readonly region?: string;
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default a random UUID */
  readonly awsRequestId?: string;
  /** @default 'local' */
  readonly logStreamName?: string;
}

export function lambdaContext(options: LambdaContextOptions): Context {
  const functionName = options.functionName ?? 'start-chat-contact';
  const region = options.region ?? 'us-east-1';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 512),
    awsRequestId: options.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, options.endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
