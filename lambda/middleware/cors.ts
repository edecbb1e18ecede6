/**
 * CORS for the chat endpoint: a request whose `Origin` is not allowed is refused with 403 before anything
 * else happens; every answer (errors included) to an allowed origin carries that origin back, with
 * `Vary: Origin`. `*` is sent only when the deployer allowed every origin.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { CORS_PREFLIGHT } from '../../lib/cors-preflight.ts';
import type { AllowedOrigins } from '../config.ts';
import { OriginNotAllowedError } from '../errors.ts';
import { getHeader } from '../http-headers.ts';

export interface CorsOptions {
  readonly allowedOrigins: AllowedOrigins;
  /** Response headers a browser script may read. */
  readonly exposeHeaders?: readonly string[];
}

const defaults = { exposeHeaders: CORS_PREFLIGHT.exposeHeaders } satisfies Partial<CorsOptions>;

export function isOriginAllowed(origin: string, allowedOrigins: AllowedOrigins): boolean {
  return allowedOrigins === '*' || allowedOrigins.has(origin);
}

/** The CORS headers for an answer to `origin`; only `Vary` when the origin is absent or not allowed. */
export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: AllowedOrigins,
  exposeHeaders: readonly string[] = defaults.exposeHeaders,
): Record<string, string> {
  if (origin === undefined || !isOriginAllowed(origin, allowedOrigins)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': allowedOrigins === '*' ? '*' : origin,
    'Access-Control-Expose-Headers': exposeHeaders.join(', '),
    Vary: 'Origin',
  };
}

export function cors(options: CorsOptions): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const { allowedOrigins, exposeHeaders } = { ...defaults, ...options };

  const addHeaders = (request: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>): void => {
    if (!request.response) return;
    const origin = getHeader(request.event, 'origin');
    request.response.headers = { ...request.response.headers, ...corsHeaders(origin, allowedOrigins, exposeHeaders) };
  };

  return {
    before: (request) => {
      const origin = getHeader(request.event, 'origin');
      if (origin !== undefined && !isOriginAllowed(origin, allowedOrigins)) throw new OriginNotAllowedError();
    },
    after: addHeaders,
    onError: addHeaders,
  };
}
