/**
 * The one error `startChat` rejects with: the endpoint's error envelope (`status`, `code`, `message`,
 * `details`, `requestId`) with the answer's `Retry-After`, or a failure that got no answer at all.
 */
import type { FieldIssue } from './http-contract.ts';

/**
 * Codes of failures without an answer from the endpoint (`status` 0), or with an answer that is not the
 * contract's. Every other code is the endpoint's own (README, "The HTTP contract").
 */
export type ClientErrorCode =
  /** The request could not be sent or its answer not read: offline, DNS, TLS, CORS, a dropped connection. */
  | 'NETWORK_ERROR'
  /** No answer within the per-attempt timeout, or the time budget ran out during an attempt. */
  | 'TIMEOUT'
  /** The caller's `AbortSignal` fired. */
  | 'ABORTED'
  /** An answer without the contract's envelope, such as a proxy's HTML error page. */
  | 'INVALID_RESPONSE'
  /** `getToken` threw or rejected (the error is the `cause`), or did not answer within the attempt's time. */
  | 'TOKEN_ERROR'
  /** No `crypto.getRandomValues` to make an idempotency key: install a polyfill or send `ClientToken`. */
  | 'NO_RANDOM_SOURCE';

export interface StartChatErrorInit {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: readonly FieldIssue[] | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
  readonly cause?: unknown;
}

// Fields are `declare`d: the constructor sets each, and no class-field code lands in the built module.
export class StartChatError extends Error {
  /** The HTTP status of the answer; 0 when there was none. */
  declare readonly status: number;
  /** The endpoint's stable code (`VALIDATION_ERROR`, `THROTTLED`, ...) or a `ClientErrorCode`. */
  declare readonly code: string;
  /** Every problem with the request, for `VALIDATION_ERROR`; empty otherwise. */
  declare readonly details: readonly FieldIssue[];
  /** The endpoint's request id, to quote to its operators. */
  declare readonly requestId: string | undefined;
  /** The answer's `Retry-After`, in seconds: when it is worth trying again (429, 503). */
  declare readonly retryAfterSeconds: number | undefined;

  constructor(init: StartChatErrorInit) {
    super(init.message, { cause: init.cause });
    this.name = 'StartChatError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
