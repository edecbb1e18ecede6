/**
 * Loads the real handler with a given environment (each load is a fresh module graph, as a new Lambda
 * container is) and invokes it with API Gateway events built the way API Gateway builds them.
 */
import { jest } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { HANDLER_ENV } from '../../lib/handler-contract.ts';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { lambdaContext as sharedLambdaContext } from '../../local/lambda-context.ts';

export const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
export const FLOW_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const OTHER_FLOW_ID = 'ffffffff-0000-4111-8222-333333333333';
export const ORIGIN = 'https://www.example.com';

export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The minimum a deployment sets, pointing the SDK at a stand-in. */
export function baseEnv(standInUrl: string): Record<string, string> {
  return {
    [HANDLER_ENV.instanceId]: INSTANCE_ID,
    [HANDLER_ENV.contactFlowId]: FLOW_ID,
    [HANDLER_ENV.allowedOrigins]: ORIGIN,
    AWS_ENDPOINT_URL_CONNECT: standInUrl,
  };
}

/**
 * Imports lambda/start-chat-contact.ts in a fresh module registry with exactly this handler environment.
 * The logger is silent unless `env` sets `POWERTOOLS_LOG_LEVEL`, and metrics are off unless it sets
 * `POWERTOOLS_METRICS_DISABLED: 'false'`: tests that check logs or metrics capture them.
 */
export async function loadHandler(env: Record<string, string | undefined>): Promise<Handler> {
  for (const name of [...Object.values(HANDLER_ENV), 'AWS_ENDPOINT_URL_CONNECT', 'AWS_ENDPOINT_URL_SECRETS_MANAGER']) {
    delete process.env[name];
  }
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env[HANDLER_ENV.metricsDisabled] = 'true';
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
  let loaded: { handler: Handler } | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = (await import('../../lambda/start-chat-contact.ts')) as unknown as { handler: Handler };
  });
  return loaded!.handler;
}

export interface ChatEventOptions {
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'application/json'; null sends no Content-Type */
  readonly contentType?: string | null;
  readonly origin?: string | null;
  readonly base64?: boolean;
  readonly url?: string;
  readonly receivedAt?: number;
}

export function chatEvent(options: ChatEventOptions = {}): APIGatewayProxyEvent {
  const headers: Record<string, string> = { Host: 'abc123.execute-api.us-east-1.amazonaws.com' };
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers['Content-Type'] = contentType;
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin !== null) headers.Origin = origin;
  Object.assign(headers, options.headers);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return toApiGatewayProxyEvent(
    { method: 'POST', url: options.url ?? '/prod/chat', headers, body },
    { resource: '/chat', ...(options.base64 && { binaryMediaTypes: ['*/*'] }) },
    options.receivedAt,
  );
}

/** A Lambda context whose invocation times out `timeoutMs` from now. */
export function lambdaContext(timeoutMs = 29_000): Context {
  return sharedLambdaContext({ endsAt: Date.now() + timeoutMs, logStreamName: 'test' });
}

export interface Answer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly json: any;
}

export async function invoke(
  handler: Handler,
  event: APIGatewayProxyEvent,
  context = lambdaContext(),
): Promise<Answer> {
  const result = await handler(event, context);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  return { statusCode: result.statusCode, headers, json: JSON.parse(result.body) };
}

/** A valid minimal body. */
export function chatBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ParticipantDetails: { DisplayName: 'Ada' }, ...extra };
}
