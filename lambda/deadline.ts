/**
 * The time by which the handler must have answered: the earliest of the retry budget, the Lambda's own
 * remaining time and API Gateway's 29-second integration limit counted from when API Gateway received
 * the request, each less a margin for writing the answer.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { API_GATEWAY_TIMEOUT_MS } from '../lib/handler-contract.ts';

/** Time kept back from each limit to build, log and return the answer. */
export const RESPONSE_MARGIN_MS = 500;

/** API Gateway's clock may differ a little from the function's; a receipt time further off is ignored. */
const MAX_CLOCK_SKEW_MS = 5_000;

export function requestDeadline(
  event: Pick<APIGatewayProxyEvent, 'requestContext'>,
  context: Pick<Context, 'getRemainingTimeInMillis'> | undefined,
  budgetMs: number,
  now: number,
): number {
  let deadline = now + budgetMs;
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining === 'number' && Number.isFinite(remaining)) {
    deadline = Math.min(deadline, now + remaining - RESPONSE_MARGIN_MS);
  }
  const receivedAt = event.requestContext?.requestTimeEpoch;
  if (
    typeof receivedAt === 'number' &&
    receivedAt <= now + MAX_CLOCK_SKEW_MS &&
    receivedAt >= now - API_GATEWAY_TIMEOUT_MS - MAX_CLOCK_SKEW_MS
  ) {
    deadline = Math.min(deadline, receivedAt + API_GATEWAY_TIMEOUT_MS - RESPONSE_MARGIN_MS);
  }
  return deadline;
}
