/**
 * The Lambda entry: `handler` takes an API Gateway REST proxy event, validates it, starts the chat in
 * Amazon Connect with safe retries, and answers with the HTTP contract. Configuration, logger and Connect
 * client are created once per container, when this module loads.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadConfig } from './config.ts';
import { createConnectClient } from './connect-client.ts';
import { requestDeadline } from './deadline.ts';
import { DeadlineExceededError } from './errors.ts';
import { type FeaturePermissions, successResponse } from './http-response.ts';
import { createAuthenticator } from './identity/authenticate.ts';
import { logger } from './logger.ts';
import { ChatMetrics } from './metrics.ts';
import { cors } from './middleware/cors.ts';
import { errorResponse } from './middleware/error-response.ts';
import { requestLog } from './middleware/request-log.ts';
import { requestMetrics } from './middleware/request-metrics.ts';
import { readJsonObjectBody } from './request-body.ts';
import { createRequestSchema } from './request-schema.ts';
import { buildStartChatInput } from './start-chat-input.ts';
import { startChatWithRetry } from './start-chat-with-retry.ts';

const config = loadConfig();
const schema = createRequestSchema(config);
/** Verified requests whose token fills the display name need not send one. */
const verifiedSchema =
  config.identity?.claims.displayName === undefined
    ? schema
    : createRequestSchema(config, { displayNameFromToken: true });
const authenticate = createAuthenticator(config.identity, config.defaultDisplayName);
const connect = createConnectClient(config.region);
const metrics = new ChatMetrics(config.metrics);
const featurePermissions: FeaturePermissions = { MESSAGING_MARKDOWN: true, ATTACHMENTS: config.attachmentsEnabled };

/** Time kept back before the Lambda timeout for middy to answer if the handler has not. */
const EARLY_TIMEOUT_MS = 200;

async function startChatContact(
  event: APIGatewayProxyEvent,
  context: Context,
  { signal }: { signal: AbortSignal },
): Promise<APIGatewayProxyResult> {
  const identity = await authenticate(event);
  if (config.identity !== undefined) logger.appendKeys({ identity: identity === undefined ? 'anonymous' : 'verified' });
  const body = readJsonObjectBody(event, config.maxBodyBytes);
  const input = buildStartChatInput(body, event, config, identity === undefined ? schema : verifiedSchema, identity);
  const result = await startChatWithRetry(connect, input, {
    ...config.retry,
    deadline: requestDeadline(event, context, config.retry.budgetMs, Date.now()),
    signal,
    onAttempt: () => metrics.addConnectAttempt(),
    onRetry: ({ attempt, delayMs, kind, errorName, httpStatus, requestId }) =>
      logger.debug('Connect attempt failed; retrying', {
        attempt,
        delayMs,
        kind,
        connectError: errorName,
        httpStatus,
        connectRequestId: requestId,
      }),
  });
  logger.appendKeys({
    attempts: result.attempts,
    connectRequestId: result.connectRequestId,
    contactId: result.output.ContactId,
  });
  return successResponse(result.output, featurePermissions);
}

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>({
  timeoutEarlyInMillis: EARLY_TIMEOUT_MS,
  timeoutEarlyResponse: () => {
    throw new DeadlineExceededError();
  },
})
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(requestLog({ logger }))
  .use(requestMetrics({ metrics, logger }))
  .use(cors({ allowedOrigins: config.allowedOrigins }))
  .use(errorResponse())
  .handler(startChatContact);
