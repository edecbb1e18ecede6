/**
 * What API Gateway answers by itself (before or instead of the function), in the HTTP contract's error
 * envelope: `{"success":false,"error":{"code","message","requestId"}}`. Plain data, so the construct's
 * gateway responses and a local server can answer alike, like lib/cors-preflight.ts.
 *
 * Keys are API Gateway's gateway response types. `statusCode` undefined keeps API Gateway's own status;
 * `message` undefined keeps API Gateway's own message (never more than a short phrase such as
 * "Unsupported Media Type").
 */
export interface GatewayErrorResponse {
  readonly statusCode?: number;
  readonly code: string;
  readonly message?: string;
  /** Sent as `Retry-After`, in whole seconds. */
  readonly retryAfterSeconds?: number;
}

export const GATEWAY_ERROR_RESPONSES = {
  /** Any 4xx without its own entry: a bad request as API Gateway sees it. */
  DEFAULT_4XX: { code: 'BAD_REQUEST' },
  /** Any 5xx without its own entry, such as a function that failed (502). */
  DEFAULT_5XX: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
  /**
   * Stage throttling (the rate and burst props). Six seconds: a client turned away arrived behind a full burst
   * that the function is still starting at Connect's rate; the browser client (client/retry-policy.ts) waits
   * 6-9 s, then 12-18 s, which `npm run bench`'s flash crowd measures.
   */
  THROTTLED: {
    statusCode: 429,
    code: 'THROTTLED',
    message: 'Too many requests; try again later',
    retryAfterSeconds: 6,
  },
  /** API Gateway's own 10 MB limit; the function answers smaller bodies over its limit itself. */
  REQUEST_TOO_LARGE: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  /** REST APIs answer an unknown path or method with 403 "Missing Authentication Token"; this says what it is. */
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, code: 'NOT_FOUND', message: 'No route for this method and path' },
  /** The function did not answer within API Gateway's 29 seconds. */
  INTEGRATION_TIMEOUT: { statusCode: 504, code: 'UPSTREAM_TIMEOUT', message: 'The request timed out' },
  /** The authorizer refused the caller (only with the `authorizer` prop). */
  UNAUTHORIZED: { statusCode: 401, code: 'UNAUTHORIZED' },
  ACCESS_DENIED: { statusCode: 403, code: 'ACCESS_DENIED' },
} as const satisfies Record<string, GatewayErrorResponse>;

/** A request blocked by the construct's own web ACL, whose only blocking rule is the per-IP rate limit. */
export const PER_IP_RATE_LIMITED: GatewayErrorResponse = {
  statusCode: 429,
  code: 'THROTTLED',
  message: 'Too many requests from this address; try again later',
  retryAfterSeconds: 60,
};

/** A request blocked by a web ACL the deployer brought (`webAclArn`), for whatever reason it has. */
export const WEB_ACL_BLOCKED: GatewayErrorResponse = {
  statusCode: 403,
  code: 'REQUEST_BLOCKED',
  message: 'The request was blocked',
};
