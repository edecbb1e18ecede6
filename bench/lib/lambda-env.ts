/**
 * What a simulated Lambda instance sees: the environment Lambda and the construct give the function, the API
 * Gateway event of a chat start as ChatInterface sends it, and a Lambda context whose remaining time counts
 * down from the invocation's start. Used both by the orchestrator and inside each instance.
 */
import type { StartChatContactCommandInput } from '@aws-sdk/client-connect';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { lambdaContext as sharedLambdaContext } from '../../local/lambda-context.ts';

export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const FLOW_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
/**
 * A flow the function allows but the burst's stand-in does not know: a warm-up request naming it goes the
 * whole way (validation, signing, HTTP, error handling) and is refused with ResourceNotFoundException
 * before the stand-in's rate limit, so it takes no token.
 */
export const WARMUP_FLOW_ID = 'ffffffff-0000-4111-8222-333333333333';
export const ORIGIN = 'https://www.example.com';

/** API Gateway REST APIs end every integration at 29 s. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;
/** The function timeout assumed for the simulated instances (the handler's own deadline is earlier). */
export const FUNCTION_TIMEOUT_MS = 30_000;

/**
 * The environment of the function on Lambda (nodejs24.x, arm64, 512 MB) with the construct's settings,
 * pointing the SDK at the stand-in. Nothing is inherited from the benchmark's own environment except
 * PATH, and the shared AWS config files point nowhere (as on Lambda), so a developer's AWS profile or
 * NODE_OPTIONS cannot change a figure.
 */
export function lambdaEnvironment(options: {
  readonly endpoint: string;
  readonly nodeOptions?: string | undefined;
  readonly extra?: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/tmp',
    AWS_CONFIG_FILE: '/nonexistent/.aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/.aws/credentials',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'start-chat-contact-bench',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/start-chat-contact-bench',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/22/[$LATEST]bench',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALBENCH',
    AWS_SECRET_ACCESS_KEY: 'local-bench-secret',
    AWS_SESSION_TOKEN: 'local-bench-session-token',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_CONNECT: options.endpoint,
    POWERTOOLS_SERVICE_NAME: 'start-chat-contact-bench',
    CONNECT_INSTANCE_ID: INSTANCE_ID,
    CONNECT_CONTACT_FLOW_ID: FLOW_ID,
    ALLOWED_ORIGINS: ORIGIN,
    CONNECT_ALLOWED_CONTACT_FLOW_IDS: WARMUP_FLOW_ID,
    ...options.extra,
  };
  if (options.nodeOptions !== undefined) env.NODE_OPTIONS = options.nodeOptions;
  return env;
}

/** The body ChatInterface's `initiateChat` posts. */
export function chatRequestBody(flowId = FLOW_ID): string {
  return JSON.stringify({
    InstanceId: INSTANCE_ID,
    ContactFlowId: flowId,
    ParticipantDetails: { DisplayName: 'Ada Lovelace' },
    Username: 'ada',
    SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
  });
}

/** A chat start as API Gateway delivers it: ChatInterface posts with no Content-Type, so text/plain. */
export function chatRequestEvent(receivedAt: number, flowId = FLOW_ID): APIGatewayProxyEvent {
  return toApiGatewayProxyEvent(
    {
      method: 'POST',
      url: '/prod/chat',
      headers: {
        Host: 'abc123.execute-api.us-east-1.amazonaws.com',
        Origin: ORIGIN,
        'Content-Type': 'text/plain;charset=UTF-8',
        'User-Agent': 'Mozilla/5.0 (bench)',
      },
      body: chatRequestBody(flowId),
    },
    { resource: '/chat' },
    Math.floor(receivedAt),
  );
}

/** A Lambda context for an invocation that started at `startedAt` (epoch ms). */
export function lambdaContext(startedAt: number, timeoutMs = FUNCTION_TIMEOUT_MS): Context {
  return sharedLambdaContext({
    endsAt: startedAt + timeoutMs,
    functionName: 'start-chat-contact-bench',
    logStreamName: 'bench',
  });
}

/** What a bare SDK call sends: the fields the handler forwards for the request above. */
export function startChatInput(clientToken: string, flowId = FLOW_ID): StartChatContactCommandInput {
  return {
    InstanceId: INSTANCE_ID,
    ContactFlowId: flowId,
    ParticipantDetails: { DisplayName: 'Ada Lovelace' },
    SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
    ClientToken: clientToken,
  };
}

/** Epoch milliseconds with sub-millisecond resolution, comparable across worker threads. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
