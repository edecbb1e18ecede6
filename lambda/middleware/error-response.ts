/**
 * Turns any error into the contract's error envelope: an `HttpError` answers with its own status, code,
 * details and Retry-After; anything else is a 500 `INTERNAL_ERROR` with a generic message and no internals.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../errors.ts';
import { errorResponse as errorEnvelope } from '../http-response.ts';

export const INTERNAL_ERROR = { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' } as const;

/** The id a caller can quote to find its request: API Gateway's request id, else the Lambda request id. */
export function requestIdOf(request: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>): string | undefined {
  return request.event?.requestContext?.requestId ?? request.context?.awsRequestId;
}

export function toErrorResponse(error: unknown, requestId: string | undefined): APIGatewayProxyResult {
  if (error instanceof HttpError) {
    return errorEnvelope(
      error.statusCode,
      { code: error.code, message: error.message, details: error.details, requestId },
      error.retryAfterSeconds,
      error.headers,
    );
  }
  return errorEnvelope(INTERNAL_ERROR.statusCode, {
    code: INTERNAL_ERROR.code,
    message: INTERNAL_ERROR.message,
    requestId,
  });
}

export function errorResponse(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      request.response = toErrorResponse(request.error, requestIdOf(request));
    },
  };
}
