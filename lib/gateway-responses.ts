/**
 * API Gateway's own answers (throttled, too large, no such route, timeout, WAF blocks, authorizer
 * refusals) in the contract's error envelope, with the CORS headers the function's answers carry, so a
 * browser script can read them instead of seeing a CORS failure.
 *
 * Gateway responses cannot choose a header value per request beyond copying a request header. So: one
 * allowed origin is sent as it is; `*` as `*`; with several allowed origins the request's `Origin` is
 * echoed. That last case also reaches origins that are not allowed, which is harmless here: these answers
 * hold only an error code and API Gateway's request id, and the function itself still refuses requests
 * from origins that are not allowed (403 ORIGIN_NOT_ALLOWED, without CORS headers).
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { NormalizedOrigins } from './allowed-origins.ts';
import { CORS_PREFLIGHT } from './cors-preflight.ts';
import {
  GATEWAY_ERROR_RESPONSES,
  type GatewayErrorResponse,
  PER_IP_RATE_LIMITED,
  WEB_ACL_BLOCKED,
} from './gateway-error-responses.ts';

export type WebAclKind = 'none' | 'per-ip-rate-limit' | 'external';

/** The `Access-Control-Allow-Origin` parameter of gateway responses, or undefined when no origin may call. */
export function gatewayAllowOrigin(origins: NormalizedOrigins): string | undefined {
  if (origins === '*') return "'*'";
  if (origins.length === 0) return undefined;
  if (origins.length === 1) return `'${origins[0]}'`;
  return 'method.request.header.Origin';
}

/** The body template: the error envelope; `$context.requestId` is the id the function reports too. */
export function errorEnvelopeTemplate(response: GatewayErrorResponse): string {
  const message = response.message === undefined ? '$context.error.messageString' : JSON.stringify(response.message);
  return `{"success":false,"error":{"code":${JSON.stringify(response.code)},"message":${message},"requestId":"$context.requestId"}}`;
}

function responseHeaders(origins: NormalizedOrigins, response: GatewayErrorResponse): Record<string, string> {
  const allowOrigin = gatewayAllowOrigin(origins);
  return {
    'Cache-Control': "'no-store'",
    'X-Content-Type-Options': "'nosniff'",
    ...(allowOrigin !== undefined && {
      'Access-Control-Allow-Origin': allowOrigin,
      'Access-Control-Expose-Headers': `'${CORS_PREFLIGHT.exposeHeaders.join(', ')}'`,
      Vary: "'Origin'",
    }),
    ...(response.retryAfterSeconds !== undefined && { 'Retry-After': `'${response.retryAfterSeconds}'` }),
  };
}

export function addGatewayResponses(api: RestApi, origins: NormalizedOrigins, webAcl: WebAclKind): void {
  const responses: Array<[string, GatewayErrorResponse]> = Object.entries(GATEWAY_ERROR_RESPONSES);
  if (webAcl === 'per-ip-rate-limit') responses.push(['WAF_FILTERED', PER_IP_RATE_LIMITED]);
  if (webAcl === 'external') responses.push(['WAF_FILTERED', WEB_ACL_BLOCKED]);

  for (const [type, response] of responses) {
    api.addGatewayResponse(type, {
      type: ResponseType.of(type),
      ...(response.statusCode !== undefined && { statusCode: String(response.statusCode) }),
      responseHeaders: responseHeaders(origins, response),
      templates: { 'application/json': errorEnvelopeTemplate(response) },
    });
  }
}
