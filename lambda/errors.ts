/**
 * Typed errors of the handler. Each `HttpError` knows the status and stable code it answers with and
 * carries only a safe, generic message: nothing from the request body and nothing from Amazon Connect's
 * own error text. The underlying error, when there is one, is kept as `cause` for diagnosis.
 */

import type { FieldIssue } from '../client/http-contract.ts';

export type { FieldIssue };

export interface HttpErrorOptions {
  readonly cause?: unknown;
  readonly details?: readonly FieldIssue[];
  readonly retryAfterSeconds?: number;
  /** Further response headers, such as `WWW-Authenticate`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error that the handler answers with its own status, code and safe message. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: readonly FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(statusCode: number, code: string, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
}

/** 400: the body is not JSON, or breaks the schema or the deployer's policy. */
export class RequestValidationError extends HttpError {
  constructor(details: readonly FieldIssue[]) {
    super(400, 'VALIDATION_ERROR', 'Invalid request parameters', { details });
  }
}

/** 413: the body is larger than the endpoint accepts. */
export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${limitBytes} bytes`);
  }
}

/** 403: the browser origin is not on the deployer's allow-list. */
export class OriginNotAllowedError extends HttpError {
  constructor() {
    super(403, 'ORIGIN_NOT_ALLOWED', 'This origin is not allowed to start chats');
  }
}

/**
 * Why an identity token was not accepted. Each is said in the 401's `details` (never with the token or a
 * claim value) and logged by this name.
 */
export type TokenProblem =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'bad_signature'
  | 'bad_claim';

const TOKEN_PROBLEM_TEXT: Readonly<Record<TokenProblem, string>> = {
  missing: 'is missing: this endpoint needs a signed-in customer; send Authorization: Bearer <token>',
  malformed: 'is malformed',
  expired: 'is expired',
  not_yet_valid: 'is not yet valid',
  wrong_audience: 'has the wrong audience',
  wrong_issuer: 'has the wrong issuer',
  bad_signature: 'has a bad signature',
  bad_claim: 'has a bad claim',
};

/**
 * 401: no identity token where one is required, or a token that is not accepted. Answers with
 * `WWW-Authenticate: Bearer` (RFC 6750: with `error="invalid_token"` when a token was sent) and one detail
 * on `Authorization` saying which problem it is. `explanation` adds what is wrong (never a value).
 */
export class UnauthenticatedError extends HttpError {
  readonly problem: TokenProblem;

  constructor(problem: TokenProblem, explanation?: string, cause?: unknown) {
    const message = `${TOKEN_PROBLEM_TEXT[problem]}${explanation === undefined ? '' : `: ${explanation}`}`;
    super(401, 'UNAUTHENTICATED', 'A valid identity token is required', {
      cause,
      details: [{ field: 'Authorization', message }],
      headers: { 'WWW-Authenticate': problem === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"' },
    });
    this.problem = problem;
  }
}

/** 503: the keys that verify identity tokens (the JWKS or the shared secret) cannot be fetched right now. */
export class IdentityUnavailableError extends HttpError {
  /** Why, for the log: such as `jwks_unreachable` or `secret_key_too_short`. */
  readonly reason: string;

  constructor(retryAfterSeconds: number, reason: string, cause?: unknown) {
    super(
      503,
      'IDENTITY_UNAVAILABLE',
      'Signed-in chats cannot be verified right now; retry after the Retry-After delay',
      {
        cause,
        retryAfterSeconds,
      },
    );
    this.reason = reason;
  }
}

/** What every failed call to Amazon Connect reports, whatever it is mapped to. */
export interface ConnectCallFailure {
  /** How many StartChatContact calls were made for this request. */
  readonly attempts: number;
  /** The Amazon Connect request id of the last call, when Connect answered. */
  readonly connectRequestId: string | undefined;
  /** The SDK error name of the last failure, such as `TooManyRequestsException`. */
  readonly connectErrorName: string;
}

/** Base class of the errors that end a StartChatContact call. */
export class ConnectCallError extends HttpError implements ConnectCallFailure {
  readonly attempts: number;
  readonly connectRequestId: string | undefined;
  readonly connectErrorName: string;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    failure: ConnectCallFailure,
    options: HttpErrorOptions = {},
  ) {
    super(statusCode, code, message, options);
    this.attempts = failure.attempts;
    this.connectRequestId = failure.connectRequestId;
    this.connectErrorName = failure.connectErrorName;
  }
}

/** 429: Connect's request rate stayed throttled past the retry budget. */
export class ConnectThrottledError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, retryAfterSeconds: number, cause: unknown) {
    super(429, 'THROTTLED', 'Too many chats are starting right now; retry after the Retry-After delay', failure, {
      cause,
      retryAfterSeconds,
    });
  }
}

/** 503: the instance's concurrent-chat quota is full (`LimitExceededException`); never retried. */
export class ConnectCapacityError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, retryAfterSeconds: number, cause: unknown) {
    super(503, 'CAPACITY_EXCEEDED', 'All chat capacity is in use; retry after the Retry-After delay', failure, {
      cause,
      retryAfterSeconds,
    });
  }
}

/** 400: Connect rejected the request's content (`InvalidRequestException`, `InvalidParameterException`). */
export class ConnectRejectedError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, cause: unknown) {
    super(400, 'REQUEST_REJECTED', 'Amazon Connect rejected the request', failure, { cause });
  }
}

/** 404: Connect did not find the contact flow or a contact the request refers to. */
export class ConnectResourceNotFoundError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, cause: unknown) {
    super(404, 'RESOURCE_NOT_FOUND', 'The contact flow or a contact the request refers to was not found', failure, {
      cause,
    });
  }
}

/** 502: Connect refused this deployment (access denied or another client error the caller cannot fix). */
export class ConnectAccessError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, cause: unknown) {
    super(502, 'UPSTREAM_REJECTED', 'The chat service is not configured correctly', failure, { cause });
  }
}

/** 502: Connect kept failing (5xx, connection errors) past the retry budget. */
export class ConnectUnavailableError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, cause: unknown) {
    super(502, 'UPSTREAM_UNAVAILABLE', 'The chat service is unavailable; try again later', failure, { cause });
  }
}

/** 504: Connect's calls kept timing out until the deadline. */
export class ConnectTimeoutError extends ConnectCallError {
  constructor(failure: ConnectCallFailure, cause: unknown) {
    super(504, 'UPSTREAM_TIMEOUT', 'The chat service did not answer in time; try again later', failure, { cause });
  }
}

/** 504: the invocation reached its deadline before Connect answered. */
export class DeadlineExceededError extends HttpError {
  constructor() {
    super(504, 'UPSTREAM_TIMEOUT', 'The chat service did not answer in time; try again later');
  }
}

/** Thrown at start when the function's environment is missing or malformed; names the variable. */
export class ConfigurationError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigurationError';
    this.variable = variable;
  }
}
