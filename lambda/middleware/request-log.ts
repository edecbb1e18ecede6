/**
 * One log line per request, written when the answer is ready: outcome, status, error code, attempts,
 * latency, and the Connect request id and ContactId that the handler appended to the logger. Never the
 * body, headers, display name, attributes, message, customer id or participant token. An unexpected
 * error is logged by name and stack frames only: its message may quote request data.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConnectCallError, HttpError, IdentityUnavailableError, UnauthenticatedError } from '../errors.ts';
import { requestOutcome } from '../outcome.ts';

export interface RequestLogOptions {
  readonly logger: Logger;
  readonly now?: () => number;
}

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, never, { startedAt?: number }>;

/** The stack without its first line, which repeats the message. */
function stackFrames(error: Error): string | undefined {
  return error.stack
    ?.split('\n')
    .slice(1)
    .map((line) => line.trim())
    .join(' | ');
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error === undefined || error === null) return {};
  if (error instanceof ConnectCallError) {
    return {
      errorCode: error.code,
      attempts: error.attempts,
      connectRequestId: error.connectRequestId,
      connectError: error.connectErrorName,
    };
  }
  // Which token problem, or why the keys were unavailable: names only, never the token or a claim.
  if (error instanceof UnauthenticatedError) return { errorCode: error.code, tokenProblem: error.problem };
  if (error instanceof IdentityUnavailableError) return { errorCode: error.code, identityError: error.reason };
  if (error instanceof HttpError) return { errorCode: error.code };
  if (error instanceof Error) return { errorName: error.name, errorStack: stackFrames(error) };
  return { errorName: typeof error };
}

export function requestLog(
  options: RequestLogOptions,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const now = options.now ?? Date.now;
  const write = (request: Request): void => {
    const { outcome, statusCode } = requestOutcome(request.response, request.error);
    const fields = {
      outcome,
      statusCode,
      latencyMs: now() - (request.internal.startedAt ?? now()),
      apiRequestId: request.event?.requestContext?.requestId,
      ...errorFields(request.error),
    };
    if (outcome === 'throttled') options.logger.warn('chat start throttled', fields);
    else if (outcome === 'capacity_exceeded') options.logger.warn('chat start refused for capacity', fields);
    else if (statusCode >= 500) options.logger.error('chat start failed', fields);
    else if (statusCode >= 400) options.logger.info('chat start rejected', fields);
    else options.logger.info('chat started', fields);
  };
  return {
    before: (request) => {
      (request as Request).internal.startedAt = now();
    },
    after: (request) => write(request as Request),
    onError: (request) => write(request as Request),
  };
}
