/**
 * Which browser pages may call the Participant Service stand-in: any page on this machine's loopback
 * addresses (where a widget under development runs) and the API's allowed origins. The real service
 * answers any origin; the stand-in keeps other sites on the network out of the developer's chats.
 *
 * chatjs's calls are all preflighted (it sends `X-Amz-Bearer` and SigV4 headers); the preflight echoes
 * the headers asked for, and the error headers are exposed so a page can read `x-amzn-ErrorType`.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { AllowedOrigins } from '../../lambda/config.ts';
import { normalizeOrigin } from '../../lib/handler-contract.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HEADER_LIST = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/;
const EXPOSED = 'x-amzn-ErrorType, x-amzn-RequestId, Content-Length, Content-Type';

/** Whether a page on `origin` may call the stand-in and open its WebSockets. */
export function originAllowed(origin: string, allowedOrigins: AllowedOrigins): boolean {
  if (allowedOrigins === '*') return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return false;
  return LOOPBACK_HOSTS.has(new URL(normalized).hostname) || allowedOrigins.has(normalized);
}

/** CORS headers for an answer to `request`: none without an Origin, or for an origin not allowed. */
export function corsHeaders(request: IncomingMessage, allowedOrigins: AllowedOrigins): OutgoingHttpHeaders {
  const origin = request.headers.origin;
  if (origin === undefined || !originAllowed(origin, allowedOrigins)) return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED, Vary: 'Origin' };
}

/** The answer to a preflight: 204 with the permissions, or 403 for an origin not allowed. */
export function preflightHeaders(
  request: IncomingMessage,
  allowedOrigins: AllowedOrigins,
): OutgoingHttpHeaders | undefined {
  const cors = corsHeaders(request, allowedOrigins);
  if (cors['Access-Control-Allow-Origin'] === undefined) return undefined;
  const asked = request.headers['access-control-request-headers'];
  return {
    ...cors,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
    ...(asked !== undefined && HEADER_LIST.test(asked) && { 'Access-Control-Allow-Headers': asked }),
    'Access-Control-Max-Age': '600',
  };
}
