/**
 * Sorts a failed StartChatContact call into what the handler does next: retry it, or answer with a
 * stable error. Built on the SDK's own classifiers (`@smithy/core/retry`), with one correction: the SDK
 * counts `LimitExceededException` (the concurrent-chat quota) as throttling, but waiting a second does not
 * free a chat, so it is never retried here.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { jitteredRetryAfterSeconds } from './backoff.ts';
import {
  ConnectAccessError,
  type ConnectCallError,
  type ConnectCallFailure,
  ConnectCapacityError,
  ConnectRejectedError,
  ConnectResourceNotFoundError,
  ConnectThrottledError,
  ConnectTimeoutError,
  ConnectUnavailableError,
} from './errors.ts';

export type ConnectFailureKind =
  | 'throttled'
  | 'capacity'
  | 'timeout'
  | 'transient'
  | 'rejected'
  | 'not-found'
  | 'denied'
  | 'unexpected';

export interface ClassifiedConnectError {
  readonly kind: ConnectFailureKind;
  readonly retryable: boolean;
  readonly errorName: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
}

/**
 * Retry-After in seconds. Rate throttling: 2 s, fixed: the caller has just waited out the function's retry
 * budget, and these answers reach callers at their own times already, each when its request's budget ran
 * out (the browser client adds its own jitter; client/retry-policy.ts). A full concurrent-chat quota: drawn
 * from 30-60 s, so that callers turned away together do not return together.
 */
export const RETRY_AFTER_SECONDS = {
  throttled: 2,
  capacity: { min: 30, max: 60 },
} as const;

const REJECTED_NAMES = new Set(['InvalidRequestException', 'InvalidParameterException', 'ValidationException']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  cause?: unknown;
  message?: string;
}

const RETRYABLE: Readonly<Record<ConnectFailureKind, boolean>> = {
  throttled: true,
  timeout: true,
  transient: true,
  capacity: false,
  rejected: false,
  'not-found': false,
  denied: false,
  unexpected: false,
};

function kindOf(
  error: SdkErrorShape,
  name: string,
  status: number | undefined,
  attemptTimedOut: boolean,
): ConnectFailureKind {
  if (attemptTimedOut) return 'timeout';
  if (name === 'LimitExceededException') return 'capacity';
  if (isThrottlingError(error as never)) return 'throttled';
  if (isTransientError(error as never) || isServerError(error as never)) return 'transient';
  // The SDK attaches $metadata to every error of a call; without an HTTP status, no answer came back:
  // the connection failed or was reset. An error without $metadata did not come from the call at all.
  if (status === undefined) return error.$metadata === undefined ? 'unexpected' : 'transient';
  if (name === 'ResourceNotFoundException' || status === 404) return 'not-found';
  if (REJECTED_NAMES.has(name) || status === 400) return 'rejected';
  if (status >= 400 && status < 500) return 'denied';
  return 'transient';
}

/** A system error code such as ENOTFOUND or ECONNREFUSED: a fixed word, safe to log (never a message). */
const SYSTEM_ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * The name to log for a failure. Connection failures come from Node as a plain `Error` whose `code` says
 * what happened (`ENOTFOUND` for a host that does not resolve, as with a wrong region, `ECONNREFUSED`,
 * `ECONNRESET`...); that code names the cause where the name "Error" would not.
 */
function errorNameOf(shape: SdkErrorShape, name: string): string {
  if (name !== 'Error' && name !== 'UnknownError') return name;
  for (const source of [shape, shape.cause as SdkErrorShape | undefined]) {
    const code = source?.code;
    if (typeof code === 'string' && SYSTEM_ERROR_CODE.test(code)) return code;
  }
  return name;
}

/**
 * @param attemptTimedOut the handler's own per-attempt timeout aborted the call
 */
export function classifyConnectError(error: unknown, attemptTimedOut: boolean): ClassifiedConnectError {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const status = shape.$metadata?.httpStatusCode;
  const kind = kindOf(shape, name, status, attemptTimedOut);
  return {
    kind,
    retryable: RETRYABLE[kind],
    errorName: attemptTimedOut ? 'AttemptTimeout' : errorNameOf(shape, name),
    httpStatus: status,
    requestId: shape.$metadata?.requestId,
  };
}

/** The error the handler answers with once no further attempt is made. */
export function toConnectCallError(
  failure: ClassifiedConnectError,
  attempts: number,
  cause: unknown,
  random: () => number,
): ConnectCallError | undefined {
  const summary: ConnectCallFailure = {
    attempts,
    connectRequestId: failure.requestId,
    connectErrorName: failure.errorName,
  };
  switch (failure.kind) {
    case 'throttled':
      return new ConnectThrottledError(summary, RETRY_AFTER_SECONDS.throttled, cause);
    case 'capacity': {
      const { min, max } = RETRY_AFTER_SECONDS.capacity;
      return new ConnectCapacityError(summary, jitteredRetryAfterSeconds(min, max, random), cause);
    }
    case 'timeout':
      return new ConnectTimeoutError(summary, cause);
    case 'transient':
      return new ConnectUnavailableError(summary, cause);
    case 'rejected':
      return new ConnectRejectedError(summary, cause);
    case 'not-found':
      return new ConnectResourceNotFoundError(summary, cause);
    case 'denied':
      return new ConnectAccessError(summary, cause);
    case 'unexpected':
      return undefined;
  }
}
