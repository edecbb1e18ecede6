/**
 * Finds the identity token of a request: `Authorization: Bearer <JWT>` only (RFC 6750), never the query
 * string. The length is capped before anything else looks at the token, and only the JWS compact shape is
 * let through to the verifier (three base64url parts). Nothing here decodes the token.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { IDENTITY } from '../../lib/handler-contract.ts';
import { UnauthenticatedError } from '../errors.ts';
import { getHeader } from '../http-headers.ts';

type TokenEvent = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders' | 'queryStringParameters'>;

const BEARER = /^Bearer +(\S+)$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Query parameters a client might put a token in (RFC 6750 §2.3 and common habits); refused, never read. */
const QUERY_TOKEN_NAMES = new Set(['access_token', 'id_token']);

/** The request's token, undefined when it sends none, or a 401 `malformed` when what it sends cannot be one. */
export function bearerToken(event: TokenEvent): string | undefined {
  for (const name of Object.keys(event.queryStringParameters ?? {})) {
    if (QUERY_TOKEN_NAMES.has(name.toLowerCase())) {
      throw new UnauthenticatedError(
        'malformed',
        'tokens are accepted only in the Authorization header (Bearer), never in the address',
      );
    }
  }
  const header = getHeader(event, 'authorization')?.trim();
  if (header === undefined || header === '') return undefined;
  // Bounded before any pattern runs on it: "Bearer " plus the largest token, plus a little space.
  if (header.length > IDENTITY.maxTokenChars + 16) {
    throw new UnauthenticatedError('malformed', `the token is longer than ${IDENTITY.maxTokenChars} characters`);
  }
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw new UnauthenticatedError('malformed', 'expected Authorization: Bearer <token>');
  if (token.length > IDENTITY.maxTokenChars) {
    throw new UnauthenticatedError('malformed', `the token is longer than ${IDENTITY.maxTokenChars} characters`);
  }
  if (!COMPACT_JWS.test(token)) {
    throw new UnauthenticatedError('malformed', 'expected a JWT: three base64url parts separated by dots');
  }
  return token;
}
