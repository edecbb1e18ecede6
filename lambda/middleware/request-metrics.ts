/**
 * One metrics document per request, written when the answer is ready: after a success, after any error
 * (its answer already built by error-response), and after middy's early-timeout answer, which also ends in
 * `onError`. The outcome comes from the same classifier as the log line (outcome.ts). Writing metrics can
 * never change the answer: a failure to write is logged by name and dropped.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ChatMetrics } from '../metrics.ts';
import { requestOutcome } from '../outcome.ts';

export interface RequestMetricsOptions {
  readonly metrics: ChatMetrics;
  /** Where a failure to write metrics is reported. */
  readonly logger: Logger;
  readonly now?: () => number;
}

type Request = middy.Request<
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Error,
  Context,
  { metricsStartedAt?: number; metricsPublished?: boolean }
>;

export function requestMetrics(
  options: RequestMetricsOptions,
): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const { metrics, logger } = options;
  const now = options.now ?? Date.now;

  const publish = (request: Request): void => {
    // Once per request, even if a later middleware fails after this one published.
    if (request.internal.metricsPublished) return;
    request.internal.metricsPublished = true;
    try {
      const finishedAt = now();
      metrics.publish({
        outcome: requestOutcome(request.response, request.error).outcome,
        functionName: request.context.functionName,
        latencyMs: finishedAt - (request.internal.metricsStartedAt ?? finishedAt),
        timestamp: finishedAt,
      });
    } catch (error) {
      try {
        logger.warn('metrics not written', { errorName: error instanceof Error ? error.name : typeof error });
      } catch {
        // Neither metrics nor the log can be written: the answer still goes out.
      }
    }
  };

  return {
    before: (request) => {
      (request as Request).internal.metricsStartedAt = now();
      metrics.begin();
    },
    after: (request) => publish(request as Request),
    onError: (request) => publish(request as Request),
  };
}
