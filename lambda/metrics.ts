/**
 * The handler's metrics for one request at a time, as one EMF document (emf.ts): every outcome metric as 0
 * or 1, `ConnectAttempts` when Connect was called, `TimeToChat` when a chat started, and the function's name
 * as the one dimension. Names come from lib/handler-contract.ts, which the construct's `metric...()` methods
 * read too. Nothing from the request is written: only these numbers and the function's name.
 *
 * One instance per container, created when the module loads (a Lambda container runs one invocation at a
 * time); the request-metrics middleware starts and publishes it, the handler counts Connect attempts.
 */
import { METRICS } from '../lib/handler-contract.ts';
import type { MetricsSettings } from './config.ts';
import { type EmfMetric, emfLine, writeToStdout } from './emf.ts';
import type { Outcome } from './outcome.ts';

const METRIC_OF_OUTCOME: Readonly<Record<Outcome, string>> = {
  started: METRICS.outcomes.started,
  rejected: METRICS.outcomes.rejected,
  throttled: METRICS.outcomes.throttled,
  capacity_exceeded: METRICS.outcomes.capacityExceeded,
  upstream_failed: METRICS.outcomes.upstreamErrors,
  internal_error: METRICS.outcomes.internalErrors,
};

export interface PublishedRequest {
  readonly outcome: Outcome;
  /** The invoked function's name: the dimension. */
  readonly functionName: string;
  /** From the invocation's start to the answer. */
  readonly latencyMs: number;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

export class ChatMetrics {
  private readonly namespace: string;
  private readonly enabled: boolean;
  private connectAttempts = 0;

  constructor(settings: MetricsSettings) {
    this.namespace = settings.namespace;
    this.enabled = settings.enabled;
  }

  /** Starts a request: nothing counted yet. */
  begin(): void {
    this.connectAttempts = 0;
  }

  /** One StartChatContact call was made for the current request. */
  addConnectAttempt(): void {
    this.connectAttempts += 1;
  }

  /** The request's metrics, in the order they are written. */
  metricsOf(request: Pick<PublishedRequest, 'outcome' | 'latencyMs'>): EmfMetric[] {
    const metrics: EmfMetric[] = Object.entries(METRIC_OF_OUTCOME).map(([outcome, name]) => ({
      name,
      unit: 'Count',
      value: outcome === request.outcome ? 1 : 0,
    }));
    if (this.connectAttempts > 0) {
      metrics.push({ name: METRICS.connectAttempts, unit: 'Count', value: this.connectAttempts });
    }
    if (request.outcome === 'started') {
      metrics.push({ name: METRICS.timeToChat, unit: 'Milliseconds', value: Math.max(0, request.latencyMs) });
    }
    return metrics;
  }

  /** Writes the current request's one document (nothing when metrics are disabled), and starts afresh. */
  publish(request: PublishedRequest): void {
    try {
      if (!this.enabled) return;
      writeToStdout(
        emfLine({
          namespace: this.namespace,
          dimensions: { [METRICS.dimension]: request.functionName },
          metrics: this.metricsOf(request),
          timestamp: request.timestamp,
        }),
      );
    } finally {
      this.begin();
    }
  }
}
