/**
 * The answers API Gateway gives by itself, without invoking the function, exactly as the construct
 * configures them, so a frontend sees locally what it will see deployed:
 *
 * - Gateway responses (lib/gateway-error-responses.ts, the data the construct's gateway responses are
 *   built from): no such route or method, a body over API Gateway's 10 MB, stage throttling, the 29-second
 *   integration timeout and a failed invocation, each in the contract's error envelope with its status,
 *   `Cache-Control: no-store`, `Retry-After` where set, and the construct's CORS headers: the one allowed
 *   origin, `*`, or with several allowed origins the request's `Origin` echoed (a gateway response cannot
 *   choose per request; see lib/gateway-responses.ts).
 * - The CORS preflight (lib/cors-preflight.ts, answered as CDK's `addCorsPreflight` mock integration
 *   does): 204 with the allowed methods, headers and max age; `Access-Control-Allow-Origin` is the
 *   request's origin when allowed, else the first allowed origin, which browsers then refuse.
 */
import type { AllowedOrigins } from '../lambda/config.ts';
import { CORS_PREFLIGHT } from '../lib/cors-preflight.ts';
import { GATEWAY_ERROR_RESPONSES, type GatewayErrorResponse } from '../lib/gateway-error-responses.ts';

/** An answer ready to write: status, headers and body text. */
export interface GatewayAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The gateway response types the local API meets, with API Gateway's own status and message for each,
 * used where the construct keeps them. A failed invocation has no type of its own: it is a DEFAULT_5XX.
 */
export const API_GATEWAY_DEFAULTS = {
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: 'Missing Authentication Token' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long' },
  THROTTLED: { statusCode: 429, message: 'Too Many Requests' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out' },
  INTEGRATION_FAILURE: { statusCode: 502, message: 'Internal server error' },
} as const;

export type GatewayResponseType = keyof typeof API_GATEWAY_DEFAULTS;

/** API Gateway's payload limit for REST APIs. */
export const API_GATEWAY_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The construct's customization of a response type, or of its fallback DEFAULT_4XX / DEFAULT_5XX. */
function configured(type: GatewayResponseType): GatewayErrorResponse {
  const responses: Readonly<Record<string, GatewayErrorResponse>> = GATEWAY_ERROR_RESPONSES;
  return (
    responses[type] ?? (API_GATEWAY_DEFAULTS[type].statusCode >= 500 ? responses.DEFAULT_5XX! : responses.DEFAULT_4XX!)
  );
}

/** `Access-Control-Allow-Origin` of a gateway response, as the construct maps it. */
function gatewayAllowOrigin(origin: string | undefined, allowedOrigins: AllowedOrigins): string | undefined {
  if (allowedOrigins === '*') return '*';
  if (allowedOrigins.size === 0) return undefined;
  if (allowedOrigins.size === 1) return [...allowedOrigins][0];
  return origin;
}

export function gatewayResponse(
  type: GatewayResponseType,
  origin: string | undefined,
  allowedOrigins: AllowedOrigins,
  requestId: string,
): GatewayAnswer {
  const response = configured(type);
  const allowOrigin = gatewayAllowOrigin(origin, allowedOrigins);
  return {
    statusCode: response.statusCode ?? API_GATEWAY_DEFAULTS[type].statusCode,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...(allowOrigin !== undefined && {
        'Access-Control-Allow-Origin': allowOrigin,
        'Access-Control-Expose-Headers': CORS_PREFLIGHT.exposeHeaders.join(', '),
        Vary: 'Origin',
      }),
      ...(response.retryAfterSeconds !== undefined && { 'Retry-After': String(response.retryAfterSeconds) }),
    },
    body: JSON.stringify({
      success: false,
      error: { code: response.code, message: response.message ?? API_GATEWAY_DEFAULTS[type].message, requestId },
    }),
  };
}

/**
 * The OPTIONS answer of a chat route, or undefined when no origin is allowed (the construct then defines
 * no OPTIONS method, so API Gateway answers as for any unknown method).
 */
export function preflightResponse(
  origin: string | undefined,
  allowedOrigins: AllowedOrigins,
): GatewayAnswer | undefined {
  if (allowedOrigins !== '*' && allowedOrigins.size === 0) return undefined;
  const [first] = allowedOrigins === '*' ? ['*'] : allowedOrigins;
  const allowOrigin = allowedOrigins !== '*' && origin !== undefined && allowedOrigins.has(origin) ? origin : first!;
  return {
    statusCode: 204,
    headers: {
      'Access-Control-Allow-Headers': CORS_PREFLIGHT.allowHeaders.join(','),
      'Access-Control-Allow-Origin': allowOrigin,
      ...(allowedOrigins !== '*' && { Vary: 'Origin' }),
      'Access-Control-Allow-Methods': CORS_PREFLIGHT.allowMethods.join(','),
      'Access-Control-Max-Age': String(CORS_PREFLIGHT.maxAgeSeconds),
      'Access-Control-Expose-Headers': CORS_PREFLIGHT.exposeHeaders.join(','),
    },
    body: '',
  };
}
