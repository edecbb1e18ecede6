/**
 * The response envelopes of the HTTP contract: `{ success: true, data }` and
 * `{ success: false, error: { code, message, details?, requestId } }`, always JSON and never cached.
 */
import type { StartChatContactCommandOutput } from '@aws-sdk/client-connect';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorBody, FeaturePermissions, StartChatResponse } from '../client/http-contract.ts';

export type { FeaturePermissions };

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  // The answer holds a participant token: no cache may keep it.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function successResponse(
  output: StartChatContactCommandOutput,
  featurePermissions: FeaturePermissions,
): APIGatewayProxyResult {
  // StartChatContact always returns the three ids; its SDK types mark every output field optional.
  const startChatResult = {
    ContactId: output.ContactId!,
    ParticipantId: output.ParticipantId!,
    ParticipantToken: output.ParticipantToken!,
    ...(output.ContinuedFromContactId !== undefined && { ContinuedFromContactId: output.ContinuedFromContactId }),
  };
  const body: StartChatResponse = { success: true, data: { startChatResult, featurePermissions } };
  return jsonResponse(200, body);
}

export function errorResponse(
  statusCode: number,
  error: ErrorBody,
  retryAfterSeconds?: number,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  const body: StartChatResponse = {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined && error.details.length > 0 && { details: error.details }),
      requestId: error.requestId,
    },
  };
  return jsonResponse(statusCode, body, {
    ...headers,
    ...(retryAfterSeconds !== undefined && { 'Retry-After': String(retryAfterSeconds) }),
  });
}
