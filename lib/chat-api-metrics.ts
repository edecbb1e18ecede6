/**
 * The metric methods of `StartChatContactApi`, like aws-cdk-lib's own `metricErrors()`: one per metric the
 * function writes (lambda/metrics.ts), in the namespace it is given, with its `FunctionName` dimension; the
 * names come from lib/handler-contract.ts, the one copy the handler reads too. Also the instance's own
 * `ConcurrentActiveChatsPercentage` from `AWS/Connect`.
 */
import { Token } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ConnectTarget } from './connect-target.ts';
import { isMetricsNamespace, METRICS } from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';

/** The base of `StartChatContactApi`: its metric methods. */
export abstract class StartChatContactApiMetrics extends Construct {
  /** The function whose metrics these are. */
  public abstract readonly handler: IFunction;

  /** The CloudWatch namespace the function writes its metrics to. */
  public abstract readonly metricsNamespace: string;

  /** Where the Connect instance is, for its own metrics. */
  protected abstract readonly connectTarget: ConnectTarget;

  /**
   * A metric the function writes, by name, with the function's `FunctionName` dimension.
   *
   * @default - sum over 5 minutes
   */
  public metric(metricName: string, props?: MetricOptions): Metric {
    return new Metric({
      namespace: this.metricsNamespace,
      metricName,
      dimensionsMap: { [METRICS.dimension]: this.handler.functionName },
      statistic: 'Sum',
      ...props,
    });
  }

  /**
   * Chats started (200 answers): 1 per started chat, 0 per other request. `Average` is the share of requests
   * that started a chat, `SampleCount` the requests.
   *
   * @default - sum over 5 minutes
   */
  public metricChatsStarted(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.started, props);
  }

  /**
   * Requests refused for what they are (400 validation, 401, 403 origin, 404, 413): 1 each, 0 otherwise.
   *
   * @default - sum over 5 minutes
   */
  public metricRejected(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.rejected, props);
  }

  /**
   * Requests answered 429 THROTTLED because Connect's StartChatContact rate stayed throttled past the retry
   * budget: 1 each, 0 otherwise (`Average` is the rate). Stage throttling never reaches the function.
   *
   * @default - sum over 5 minutes
   */
  public metricThrottled(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.throttled, props);
  }

  /**
   * Requests answered 503 CAPACITY_EXCEEDED because the instance's concurrent-chat quota was full: 1 each,
   * 0 otherwise.
   *
   * @default - sum over 5 minutes
   */
  public metricCapacityExceeded(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.capacityExceeded, props);
  }

  /**
   * Requests answered 502 or 504 (Connect failing, refusing this deployment, or too slow) or 503
   * IDENTITY_UNAVAILABLE: 1 each, 0 otherwise (`Average` is the rate).
   *
   * @default - sum over 5 minutes
   */
  public metricUpstreamErrors(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.upstreamErrors, props);
  }

  /**
   * Requests answered 500 INTERNAL_ERROR (a bug): 1 each, 0 otherwise.
   *
   * @default - sum over 5 minutes
   */
  public metricInternalErrors(props?: MetricOptions): Metric {
    return this.metric(METRICS.outcomes.internalErrors, props);
  }

  /**
   * StartChatContact calls per request, on requests that called Connect; above 1 means Connect's throttling
   * or faults were retried.
   *
   * @default - average over 5 minutes
   */
  public metricConnectAttempts(props?: MetricOptions): Metric {
    return this.metric(METRICS.connectAttempts, { statistic: 'Average', ...props });
  }

  /**
   * Milliseconds from the invocation's start to a started chat, retries included (started chats only).
   *
   * @default - average over 5 minutes
   */
  public metricTimeToChat(props?: MetricOptions): Metric {
    return this.metric(METRICS.timeToChat, { statistic: 'Average', ...props });
  }

  /**
   * The instance's active chats as a percentage of its concurrent-chat quota (`AWS/Connect`, published
   * once a minute, only while there is activity), in the instance's region and account.
   *
   * @default - maximum over 5 minutes
   */
  public metricConcurrentActiveChatsPercentage(props?: MetricOptions): Metric {
    const { location, regionFromArn } = this.connectTarget;
    return new Metric({
      namespace: 'AWS/Connect',
      metricName: 'ConcurrentActiveChatsPercentage',
      dimensionsMap: { InstanceId: this.connectTarget.instanceId, MetricGroup: 'Chats' },
      statistic: 'Maximum',
      ...(regionFromArn !== undefined && { region: location.region, account: location.account }),
      ...props,
    });
  }
}

/** Checks `metricsNamespace` (as the function will) and applies the default. */
export function resolveMetricsNamespace(namespace: string | undefined): string {
  const value = namespace ?? METRICS.defaultNamespace;
  if (!Token.isUnresolved(value) && !isMetricsNamespace(value)) {
    throw invalidProp(
      'metricsNamespace',
      value,
      'must be a CloudWatch namespace: 1-255 letters, digits, spaces or ". - _ / # :", not starting with "AWS/" (reserved for AWS) or ":"',
    );
  }
  return value;
}
