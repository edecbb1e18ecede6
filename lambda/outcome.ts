/**
 * What became of a request, decided once from its answer: the status and, for an error, its stable code.
 * The request log line and the metrics both classify with this, so they never disagree. The code decides
 * where the status alone would mislead: a 503 is `capacity_exceeded` only for `CAPACITY_EXCEEDED` (an
 * identity provider that cannot be reached, `IDENTITY_UNAVAILABLE`, is an upstream failure).
 */
import { HttpError } from './errors.ts';
import { INTERNAL_ERROR } from './middleware/error-response.ts';

export type Outcome = 'started' | 'rejected' | 'throttled' | 'capacity_exceeded' | 'upstream_failed' | 'internal_error';

/** Codes that name their outcome; any other code goes by its status. */
const OUTCOME_OF_CODE: ReadonlyMap<string, Outcome> = new Map([
  ['THROTTLED', 'throttled'],
  ['CAPACITY_EXCEEDED', 'capacity_exceeded'],
  ['IDENTITY_UNAVAILABLE', 'upstream_failed'],
  [INTERNAL_ERROR.code, 'internal_error'],
]);

export function outcomeOf(statusCode: number, errorCode?: string): Outcome {
  if (statusCode < 400) return 'started';
  const named = errorCode === undefined ? undefined : OUTCOME_OF_CODE.get(errorCode);
  if (named !== undefined) return named;
  if (statusCode === 429) return 'throttled';
  if (statusCode === 500) return 'internal_error';
  if (statusCode >= 500) return 'upstream_failed';
  return 'rejected';
}

/** The code the answer carries for `error`: its own for an `HttpError`, `INTERNAL_ERROR` for anything else. */
export function errorCodeOf(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  return error instanceof HttpError ? error.code : INTERNAL_ERROR.code;
}

export interface RequestOutcome {
  readonly outcome: Outcome;
  readonly statusCode: number;
  readonly errorCode: string | undefined;
}

/** The outcome of a finished request from its answer and the error it ended with, if any (no answer: 500). */
export function requestOutcome(response: { statusCode: number } | null | undefined, error: unknown): RequestOutcome {
  const statusCode = response?.statusCode ?? INTERNAL_ERROR.statusCode;
  const errorCode = statusCode < 400 ? undefined : errorCodeOf(error);
  return { outcome: outcomeOf(statusCode, errorCode), statusCode, errorCode };
}
