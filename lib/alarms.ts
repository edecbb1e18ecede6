/**
 * The construct's alarms: what each watches, its defaults (the README's Monitoring section is the runbook
 * for each), the options that change one or switch it off, and building them. Every alarm treats missing
 * data as not breaching: no requests is not an outage, and Connect publishes only while there is activity.
 * With `alarmTopic`, each notifies the topic when it fires and when it recovers.
 */
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StartChatContactApiMetrics } from './chat-api-metrics.ts';
import { invalidProp } from './invalid-prop.ts';

/** Changes to one alarm; what is left out keeps the alarm's default. */
export interface ChatAlarmOptions {
  /**
   * Create this alarm.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The value that fires the alarm, in the alarm's own unit: a share of requests from 0 to 1 for the rate
   * alarms (0.05 is 5 %), a count, milliseconds, or a percentage from 0 to 100 for `concurrentActiveChats`.
   *
   * @default - the alarm's default (README, Monitoring)
   */
  readonly threshold?: number;

  /**
   * How many periods are evaluated.
   *
   * @default - the alarm's default (README, Monitoring)
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach to fire the alarm (at most `evaluationPeriods`).
   *
   * @default - the alarm's default (README, Monitoring), or `evaluationPeriods` if that is fewer
   */
  readonly datapointsToAlarm?: number;

  /**
   * The length of one period: whole minutes.
   *
   * @default - the alarm's default (README, Monitoring)
   */
  readonly period?: Duration;
}

/** Each of the construct's alarms, changed or switched off. */
export interface StartChatContactAlarmOptions {
  /** Any request answered 503 CAPACITY_EXCEEDED (`CapacityExceeded` Sum ≥ 1 in 1 of 1 minute). @default - on */
  readonly capacityExceeded?: ChatAlarmOptions;
  /** Share of requests answered 429 THROTTLED (`Throttled` Average > 0.05 in 3 of 5 minutes). @default - on */
  readonly throttledRate?: ChatAlarmOptions;
  /** Share of requests answered 502, 504 or 503 IDENTITY_UNAVAILABLE (`UpstreamErrors` Average > 0.05 in 3 of 3 minutes). @default - on */
  readonly upstreamErrorRate?: ChatAlarmOptions;
  /** Any request answered 500 INTERNAL_ERROR (`InternalErrors` Sum ≥ 1 in 1 of 1 five-minute period). @default - on */
  readonly internalErrors?: ChatAlarmOptions;
  /** The stage's share of 5xx answers (`AWS/ApiGateway 5XXError` Average > 0.05 in 3 of 3 minutes); not with `restApi`. @default - on */
  readonly serverErrorRate?: ChatAlarmOptions;
  /** The function's p99 duration near API Gateway's 29 s limit (`AWS/Lambda Duration` p99 ≥ 27,000 ms in 3 of 5 minutes). @default - on */
  readonly latency?: ChatAlarmOptions;
  /** Any failed invocation: crash, timeout, failed init (`AWS/Lambda Errors` Sum ≥ 1 in 3 of 3 minutes). @default - on */
  readonly functionErrors?: ChatAlarmOptions;
  /** Any throttled invocation (`AWS/Lambda Throttles` Sum ≥ 1 in 5 of 5 minutes). @default - on */
  readonly functionThrottles?: ChatAlarmOptions;
  /**
   * The instance's concurrent-chat quota filling up (`AWS/Connect ConcurrentActiveChatsPercentage` Maximum ≥ 80
   * in 3 of 5 minutes); only when the instance is in the stack's account and region.
   *
   * @default - on
   */
  readonly concurrentActiveChats?: ChatAlarmOptions;
}

export type AlarmKey = keyof StartChatContactAlarmOptions;

type ThresholdKind = 'share' | 'count' | 'milliseconds' | 'percent';

interface AlarmDefinition {
  /** The alarm's construct id. */
  readonly id: string;
  readonly kind: ThresholdKind;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly period: Duration;
  readonly description: string;
}

const ABOVE = ComparisonOperator.GREATER_THAN_THRESHOLD;
const AT_LEAST = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const MINUTE = Duration.minutes(1);
const RUNBOOK = 'Runbook: the README of start-chat-contact-api, Monitoring.';

export const ALARM_DEFAULTS: Readonly<Record<AlarmKey, AlarmDefinition>> = {
  capacityExceeded: {
    id: 'CapacityExceededAlarm',
    kind: 'count',
    comparison: AT_LEAST,
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: MINUTE,
    description: `Customers are refused chats (503 CAPACITY_EXCEEDED): the Connect instance's concurrent active chats quota is full. Raise "Concurrent active chats per instance" (Service Quotas L-D4BA6F6E) or find chats that do not end. ${RUNBOOK}`,
  },
  throttledRate: {
    id: 'ThrottledRateAlarm',
    kind: 'share',
    comparison: ABOVE,
    threshold: 0.05,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `Over 5 % of chat starts answered 429 THROTTLED: Connect's StartChatContact rate (5/s per account and region, L-AA48CD49) stayed throttled past the retry budget. Raise the quota, or find what else in the account calls StartChatContact. ${RUNBOOK}`,
  },
  upstreamErrorRate: {
    id: 'UpstreamErrorRateAlarm',
    kind: 'share',
    comparison: ABOVE,
    threshold: 0.05,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `Over 5 % of chat starts failed upstream: Amazon Connect failing, refusing this deployment or too slow (502, 504), or the identity provider unreachable (503 IDENTITY_UNAVAILABLE). The function's log lines name the errorCode and connectError. ${RUNBOOK}`,
  },
  internalErrors: {
    id: 'InternalErrorsAlarm',
    kind: 'count',
    comparison: AT_LEAST,
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: Duration.minutes(5),
    description: `The function answered 500 INTERNAL_ERROR: a bug. Its log line has the errorName and errorStack. ${RUNBOOK}`,
  },
  serverErrorRate: {
    id: 'ServerErrorRateAlarm',
    kind: 'share',
    comparison: ABOVE,
    threshold: 0.05,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `Over 5 % of the stage's answers were 5xx, including failures the function cannot count itself (crashes, timeouts, throttled invocations, API Gateway's own 504). ${RUNBOOK}`,
  },
  latency: {
    id: 'LatencyAlarm',
    kind: 'milliseconds',
    comparison: AT_LEAST,
    threshold: 27_000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `The chat function's p99 duration is near API Gateway's 29 s limit: customers wait, and past 29 s get 504. Usually Connect's throttling absorbed by retries. ${RUNBOOK}`,
  },
  functionErrors: {
    id: 'FunctionErrorsAlarm',
    kind: 'count',
    comparison: AT_LEAST,
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `The chat function failed (crash, timeout or failed start, such as a bad setting): API Gateway answers 502 or 504 without the contract's error code. ${RUNBOOK}`,
  },
  functionThrottles: {
    id: 'FunctionThrottlesAlarm',
    kind: 'count',
    comparison: AT_LEAST,
    threshold: 1,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    period: MINUTE,
    description: `Lambda throttled the chat function (its reserved concurrency or the account's concurrency is used up): those customers get an error from API Gateway. ${RUNBOOK}`,
  },
  concurrentActiveChats: {
    id: 'ConcurrentActiveChatsAlarm',
    kind: 'percent',
    comparison: AT_LEAST,
    threshold: 80,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    period: MINUTE,
    description: `The Connect instance's active chats reached 80 % of its concurrent-chat quota; at 100 % every new chat is refused with 503. Raise "Concurrent active chats per instance" (L-D4BA6F6E) before it fills. ${RUNBOOK}`,
  },
};

export type ResolvedAlarmSettings = Readonly<Record<AlarmKey, AlarmDefinition & { readonly enabled: boolean }>>;

const THRESHOLD_RULES: Readonly<Record<ThresholdKind, { min: number; max: number; rule: string }>> = {
  share: { min: 0, max: 1, rule: 'must be a share of requests from 0 to 1, such as 0.05 for 5 %' },
  count: { min: 0, max: Number.MAX_SAFE_INTEGER, rule: 'must be a count of 0 or more' },
  milliseconds: { min: 0, max: Number.MAX_SAFE_INTEGER, rule: 'must be milliseconds, 0 or more' },
  percent: { min: 0, max: 100, rule: 'must be a percentage from 0 to 100' },
};

/** CloudWatch evaluates at most one day of periods. */
const MAX_EVALUATION_SECONDS = 86_400;

function known(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

function resolveOne(key: AlarmKey, options: ChatAlarmOptions | undefined, createAlarms: boolean) {
  const base = ALARM_DEFAULTS[key];
  const prop = `alarmOptions.${key}`;
  const threshold = options?.threshold ?? base.threshold;
  const limits = THRESHOLD_RULES[base.kind];
  if (known(threshold) && !(Number.isFinite(threshold) && threshold >= limits.min && threshold <= limits.max)) {
    throw invalidProp(`${prop}.threshold`, threshold, limits.rule);
  }
  const period = options?.period ?? base.period;
  const seconds = period.toSeconds({ integral: false });
  if (known(seconds) && (seconds < 60 || seconds % 60 !== 0)) {
    throw invalidProp(`${prop}.period`, period, 'must be whole minutes (the metrics have one-minute resolution)');
  }
  const evaluationPeriods = options?.evaluationPeriods ?? base.evaluationPeriods;
  if (known(evaluationPeriods) && !(Number.isSafeInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
    throw invalidProp(`${prop}.evaluationPeriods`, evaluationPeriods, 'must be a whole number of 1 or more');
  }
  if (known(evaluationPeriods) && known(seconds) && evaluationPeriods * seconds > MAX_EVALUATION_SECONDS) {
    throw invalidProp(
      `${prop}.evaluationPeriods`,
      evaluationPeriods,
      `times the period (${seconds} s) must be at most one day, the longest CloudWatch evaluates`,
    );
  }
  const datapointsToAlarm =
    options?.datapointsToAlarm ??
    (known(evaluationPeriods) ? Math.min(base.datapointsToAlarm, evaluationPeriods) : base.datapointsToAlarm);
  if (
    known(datapointsToAlarm) &&
    !(Number.isSafeInteger(datapointsToAlarm) && datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods)
  ) {
    throw invalidProp(
      `${prop}.datapointsToAlarm`,
      datapointsToAlarm,
      `must be a whole number from 1 to evaluationPeriods (${evaluationPeriods})`,
    );
  }
  return {
    ...base,
    enabled: createAlarms && (options?.enabled ?? true),
    threshold,
    period,
    evaluationPeriods,
    datapointsToAlarm,
  };
}

/** Checks `alarmOptions` and applies the defaults; `createAlarms: false` switches every alarm off. */
export function resolveAlarmSettings(props: {
  readonly createAlarms?: boolean;
  readonly alarmOptions?: StartChatContactAlarmOptions;
}): ResolvedAlarmSettings {
  const options = props.alarmOptions ?? {};
  for (const key of Object.keys(options)) {
    if (!(key in ALARM_DEFAULTS)) {
      throw invalidProp(
        'alarmOptions',
        key,
        `has no alarm of that name; the alarms are ${Object.keys(ALARM_DEFAULTS).join(', ')}`,
      );
    }
  }
  const createAlarms = props.createAlarms ?? true;
  const settings = {} as Record<AlarmKey, AlarmDefinition & { enabled: boolean }>;
  for (const key of Object.keys(ALARM_DEFAULTS) as AlarmKey[])
    settings[key] = resolveOne(key, options[key], createAlarms);
  return settings;
}

/** What the alarms watch. */
export interface AlarmSources {
  readonly metrics: StartChatContactApiMetrics;
  readonly handler: LambdaFunction;
  /** The stage of the API the construct defined; undefined with `restApi` (its 5xx cannot be scoped to this route). */
  readonly stage: Stage | undefined;
  /** Whether the Connect instance is in the stack's account and region (its metrics can be alarmed on). */
  readonly instanceInStack: boolean;
}

function metricOf(key: AlarmKey, sources: AlarmSources, period: Duration): Metric | undefined {
  const { metrics, handler, stage } = sources;
  switch (key) {
    case 'capacityExceeded':
      return metrics.metricCapacityExceeded({ statistic: 'Sum', period });
    case 'throttledRate':
      return metrics.metricThrottled({ statistic: 'Average', period });
    case 'upstreamErrorRate':
      return metrics.metricUpstreamErrors({ statistic: 'Average', period });
    case 'internalErrors':
      return metrics.metricInternalErrors({ statistic: 'Sum', period });
    case 'serverErrorRate':
      return stage?.metricServerError({ statistic: 'Average', period });
    case 'latency':
      return handler.metricDuration({ statistic: 'p99', period });
    case 'functionErrors':
      return handler.metricErrors({ statistic: 'Sum', period });
    case 'functionThrottles':
      return handler.metricThrottles({ statistic: 'Sum', period });
    case 'concurrentActiveChats':
      return sources.instanceInStack ? metrics.metricConcurrentActiveChatsPercentage({ period }) : undefined;
  }
}

/** Creates every enabled alarm whose metric this stack can read, each notifying `topic` when given. */
export function createAlarms(
  scope: Construct,
  sources: AlarmSources,
  settings: ResolvedAlarmSettings,
  topic: ITopic | undefined,
): Alarm[] {
  const alarms: Alarm[] = [];
  for (const key of Object.keys(settings) as AlarmKey[]) {
    const setting = settings[key];
    if (!setting.enabled) continue;
    const metric = metricOf(key, sources, setting.period);
    if (metric === undefined) {
      if (key === 'concurrentActiveChats') {
        Annotations.of(scope).addWarningV2(
          'start-chat-contact-api:concurrentActiveChatsAlarm',
          "No ConcurrentActiveChatsPercentage alarm: the instance's ARN names another region than the stack's, or the stack's account and region are not known at synth (an environment-agnostic stack). Give the stack an env in the instance's account and region, or alarm where the instance is.",
        );
      }
      continue;
    }
    const alarm = new Alarm(scope, setting.id, {
      metric,
      alarmDescription: setting.description,
      comparisonOperator: setting.comparison,
      threshold: setting.threshold,
      evaluationPeriods: setting.evaluationPeriods,
      datapointsToAlarm: setting.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (topic !== undefined) {
      alarm.addAlarmAction(new SnsAction(topic));
      alarm.addOkAction(new SnsAction(topic));
    }
    alarms.push(alarm);
  }
  return alarms;
}
