/**
 * The CORS preflight answer of the chat route, shared by the construct (API Gateway's OPTIONS method)
 * and the local server, so both answer browsers the same way.
 */
export const CORS_PREFLIGHT = {
  allowMethods: ['OPTIONS', 'POST'],
  /** Headers the chat clients send: JSON or text bodies, idempotency keys, jQuery's marker, sign-in tokens. */
  allowHeaders: ['Content-Type', 'Idempotency-Key', 'X-Requested-With', 'Authorization'],
  /** Response headers a browser script may read: when to retry, and why a token was refused. */
  exposeHeaders: ['Retry-After', 'WWW-Authenticate'],
  maxAgeSeconds: 600,
} as const;
