/**
 * The optional CloudWatch dashboard (off by default: dashboards are billed): chat starts, refusals and
 * failures by cause, Connect attempts per request, latency percentiles against API Gateway's 29 s limit,
 * the function's errors, throttles and concurrency, the stage's answers, the instance's
 * `ConcurrentActiveChatsPercentage` when the instance is in the stack's account and region, and the state
 * of the construct's alarms.
 */
import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type GraphWidgetProps,
  type Metric,
  Shading,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { ALARM_DEFAULTS, type AlarmSources } from './alarms.ts';
import { API_GATEWAY_TIMEOUT_MS } from './handler-contract.ts';

export interface DashboardSources extends AlarmSources {
  /** The alarms to show the state of. */
  readonly alarms: readonly Alarm[];
}

const PERIOD = Duration.minutes(1);
const WIDTH = 12;
const HEIGHT = 6;

function graph(title: string, left: Metric[], options: Omit<GraphWidgetProps, 'title' | 'left'> = {}): GraphWidget {
  return new GraphWidget({ title, left, width: WIDTH, height: HEIGHT, period: PERIOD, ...options });
}

export function createDashboard(scope: Construct, id: string, sources: DashboardSources): Dashboard {
  const { metrics, handler, stage } = sources;
  const sum = (metric: Metric, label: string) => metric.with({ statistic: 'Sum', period: PERIOD, label });
  const stat = (metric: Metric, statistic: string, label: string) => metric.with({ statistic, period: PERIOD, label });

  const graphs: GraphWidget[] = [
    graph('Chat starts', [sum(metrics.metricChatsStarted(), 'chats started')], {
      right: [stat(metrics.metricChatsStarted(), 'SampleCount', 'requests to the function')],
    }),
    graph(
      'Refused and failed chat starts, by cause',
      [
        sum(metrics.metricRejected(), 'rejected (400, 401, 403, 404, 413)'),
        sum(metrics.metricThrottled(), 'throttled by Connect (429)'),
        sum(metrics.metricCapacityExceeded(), 'concurrent-chat quota full (503)'),
        sum(metrics.metricUpstreamErrors(), 'upstream errors (502, 504, 503 identity)'),
        sum(metrics.metricInternalErrors(), 'internal errors (500)'),
      ],
      { stacked: true },
    ),
    graph('Connect attempts per request', [
      stat(metrics.metricConnectAttempts(), 'Average', 'average'),
      stat(metrics.metricConnectAttempts(), 'Maximum', 'maximum'),
    ]),
    graph(
      'Latency against API Gateway’s 29 s limit (ms)',
      [
        stat(metrics.metricTimeToChat(), 'p50', 'time to chat p50'),
        stat(metrics.metricTimeToChat(), 'p99', 'time to chat p99'),
        stat(handler.metricDuration(), 'p99', 'function duration p99'),
        ...(stage === undefined
          ? []
          : [
              stat(stage.metricLatency(), 'p50', 'API latency p50'),
              stat(stage.metricLatency(), 'p90', 'API latency p90'),
              stat(stage.metricLatency(), 'p99', 'API latency p99'),
            ]),
      ],
      {
        leftYAxis: { min: 0 },
        leftAnnotations: [
          { value: API_GATEWAY_TIMEOUT_MS, label: 'API Gateway limit', color: '#d62728' },
          { value: ALARM_DEFAULTS.latency.threshold, label: 'latency alarm (default)', fill: Shading.ABOVE },
        ],
      },
    ),
    graph(
      'Function: errors, throttles and concurrency',
      [stat(handler.metricErrors(), 'Sum', 'errors'), stat(handler.metricThrottles(), 'Sum', 'throttles')],
      { right: [stat(handler.metric('ConcurrentExecutions'), 'Maximum', 'concurrent executions')] },
    ),
  ];
  if (stage !== undefined) {
    graphs.push(
      graph('API Gateway answers', [
        stat(stage.metricCount(), 'SampleCount', 'requests (CORS preflights included)'),
        stat(stage.metricClientError(), 'Sum', '4xx (stage throttling and WAF included)'),
        stat(stage.metricServerError(), 'Sum', '5xx'),
      ]),
    );
  }
  if (sources.instanceInStack) {
    graphs.push(
      graph(
        'Connect: active chats, % of the concurrent-chat quota',
        [stat(metrics.metricConcurrentActiveChatsPercentage(), 'Maximum', 'ConcurrentActiveChatsPercentage')],
        {
          leftYAxis: { min: 0, max: 100 },
          leftAnnotations: [{ value: ALARM_DEFAULTS.concurrentActiveChats.threshold, label: 'alarm (default)' }],
        },
      ),
    );
  }

  const dashboard = new Dashboard(scope, id, { defaultInterval: Duration.hours(3) });
  if (sources.alarms.length > 0) {
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...sources.alarms], width: 24, height: 3 }));
  }
  for (let i = 0; i < graphs.length; i += 2) dashboard.addWidgets(...graphs.slice(i, i + 2));
  return dashboard;
}
