/**
 * Monitoring in the template: the metric methods read what the function writes; the alarms, each with its
 * metric, statistic, period, threshold, datapoints, missing-data treatment and actions; props that change
 * or switch them off; no alarm on a Connect metric the stack cannot read; the optional dashboard; opt-in
 * tracing. Bad monitoring props are refused, one case per rule.
 */
import { describe, expect, test } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Topic } from 'aws-cdk-lib/aws-sns';
import {
  type StartChatContactAlarmOptions,
  StartChatContactApi,
  type StartChatContactApiProps,
} from '../../lib/index.ts';
import {
  ACCOUNT,
  buildChat,
  INSTANCE_ARN,
  INSTANCE_ID,
  logicalIdOf,
  onlyResource,
  REGION,
  REQUIRED_PROPS,
  synthChat,
  templateOf,
} from '../support/construct.ts';

const ALARM = 'AWS::CloudWatch::Alarm';
const FIXED_ENV = { env: { account: ACCOUNT, region: REGION } };

function alarms(template: Template): Array<Record<string, any>> {
  return Object.values(template.findResources(ALARM)).map((alarm) => alarm.Properties);
}

function alarmOn(template: Template, metricName: string): Record<string, any> {
  const found = alarms(template).filter((alarm) => alarm.MetricName === metricName);
  if (found.length !== 1) throw new Error(`expected one alarm on ${metricName}, found ${found.length}`);
  return found[0]!;
}

function metricNames(template: Template): string[] {
  return alarms(template)
    .map((alarm) => alarm.MetricName as string)
    .sort();
}

describe('metric methods', () => {
  const { stack, chat } = buildChat();
  const template = templateOf(stack);
  const functionRef = { Ref: logicalIdOf(template, 'AWS::Lambda::Function') };

  test.each([
    ['metricChatsStarted', 'ChatsStarted', 'Sum'],
    ['metricRejected', 'Rejected', 'Sum'],
    ['metricThrottled', 'Throttled', 'Sum'],
    ['metricCapacityExceeded', 'CapacityExceeded', 'Sum'],
    ['metricUpstreamErrors', 'UpstreamErrors', 'Sum'],
    ['metricInternalErrors', 'InternalErrors', 'Sum'],
    ['metricConnectAttempts', 'ConnectAttempts', 'Average'],
    ['metricTimeToChat', 'TimeToChat', 'Average'],
  ] as const)('%s(): %s in the function’s namespace, by FunctionName, %s over 5 minutes', (method, name, statistic) => {
    const metric = chat[method]();
    expect(metric.namespace).toBe('StartChatContactApi');
    expect(metric.metricName).toBe(name);
    expect(stack.resolve(metric.dimensions)).toEqual({ FunctionName: functionRef });
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(300);
  });

  test('metric(name, props): any metric of the function, props applied', () => {
    const metric = chat.metric('ChatsStarted', { statistic: 'Average', period: Duration.minutes(1) });
    expect([metric.namespace, metric.metricName, metric.statistic, metric.period.toSeconds()]).toEqual([
      'StartChatContactApi',
      'ChatsStarted',
      'Average',
      60,
    ]);
    expect(stack.resolve(metric.dimensions)).toEqual({ FunctionName: functionRef });
  });

  test('the namespace the methods read is the one the function is given', () => {
    const custom = buildChat({ metricsNamespace: 'Chat/Prod' });
    const env = onlyResource(templateOf(custom.stack), 'AWS::Lambda::Function').Properties.Environment.Variables;
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('Chat/Prod');
    expect(custom.chat.metricsNamespace).toBe('Chat/Prod');
    expect(custom.chat.metricThrottled().namespace).toBe('Chat/Prod');
  });

  test('metricConcurrentActiveChatsPercentage(): AWS/Connect, by instance ID and MetricGroup, where the instance is', () => {
    const local = chat.metricConcurrentActiveChatsPercentage();
    expect([local.namespace, local.metricName, local.statistic, local.region]).toEqual([
      'AWS/Connect',
      'ConcurrentActiveChatsPercentage',
      'Maximum',
      undefined,
    ]);
    expect(local.dimensions).toEqual({ InstanceId: INSTANCE_ID, MetricGroup: 'Chats' });
    const remote = buildChat({ instanceId: INSTANCE_ARN }).chat.metricConcurrentActiveChatsPercentage();
    expect([remote.region, remote.account, remote.dimensions?.InstanceId]).toEqual([REGION, ACCOUNT, INSTANCE_ID]);
  });
});

describe('alarms, with the defaults', () => {
  const { stack, chat } = buildChat();
  const template = templateOf(stack);
  const functionDimension = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function') } }];
  const handlerMetric = (name: string, statistic: string) => ({
    Namespace: 'StartChatContactApi',
    MetricName: name,
    Dimensions: functionDimension,
    Statistic: statistic,
  });
  const lambdaMetric = (name: string) => ({ Namespace: 'AWS/Lambda', MetricName: name, Dimensions: functionDimension });

  test.each([
    [
      'capacity exceeded ≥ 1 in 1 of 1 minute',
      'CapacityExceeded',
      { ...handlerMetric('CapacityExceeded', 'Sum'), Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1 },
      ['GreaterThanOrEqualToThreshold', 1],
    ],
    [
      'throttled rate > 5 % in 3 of 5 minutes',
      'Throttled',
      { ...handlerMetric('Throttled', 'Average'), Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 },
      ['GreaterThanThreshold', 0.05],
    ],
    [
      'upstream error rate > 5 % in 3 of 3 minutes',
      'UpstreamErrors',
      { ...handlerMetric('UpstreamErrors', 'Average'), Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3 },
      ['GreaterThanThreshold', 0.05],
    ],
    [
      'internal errors ≥ 1 in 1 of 1 five minutes',
      'InternalErrors',
      { ...handlerMetric('InternalErrors', 'Sum'), Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1 },
      ['GreaterThanOrEqualToThreshold', 1],
    ],
    [
      'API 5XX rate > 5 % in 3 of 3 minutes, on the stage',
      '5XXError',
      {
        Namespace: 'AWS/ApiGateway',
        Dimensions: [
          { Name: 'ApiName', Value: expect.any(String) },
          { Name: 'Stage', Value: { Ref: expect.stringMatching(/DeploymentStageprod/) } },
        ],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
      },
      ['GreaterThanThreshold', 0.05],
    ],
    [
      'function p99 duration ≥ 27 s (near API Gateway’s 29 s) in 3 of 5 minutes',
      'Duration',
      { ...lambdaMetric('Duration'), ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 },
      ['GreaterThanOrEqualToThreshold', 27_000],
    ],
    [
      'function errors ≥ 1 in 3 of 3 minutes',
      'Errors',
      { ...lambdaMetric('Errors'), Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3 },
      ['GreaterThanOrEqualToThreshold', 1],
    ],
    [
      'function throttles ≥ 1 in 5 of 5 minutes',
      'Throttles',
      { ...lambdaMetric('Throttles'), Statistic: 'Sum', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5 },
      ['GreaterThanOrEqualToThreshold', 1],
    ],
    [
      'the instance’s concurrent active chats ≥ 80 % of quota in 3 of 5 minutes',
      'ConcurrentActiveChatsPercentage',
      {
        Namespace: 'AWS/Connect',
        Dimensions: [
          { Name: 'InstanceId', Value: INSTANCE_ID },
          { Name: 'MetricGroup', Value: 'Chats' },
        ],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      },
      ['GreaterThanOrEqualToThreshold', 80],
    ],
  ] as const)('%s', (_name, metricName, expected, [comparison, threshold]) => {
    const alarm = alarmOn(template, metricName);
    expect(alarm).toEqual(
      expect.objectContaining({
        ...expected,
        ComparisonOperator: comparison,
        Threshold: threshold,
        TreatMissingData: 'notBreaching',
        AlarmDescription: expect.stringContaining('README'),
      }),
    );
    expect(alarm.AlarmActions).toBeUndefined();
    expect(alarm.OKActions).toBeUndefined();
    if (alarm.Dimensions[0].Name === 'ApiName') {
      expect(stack.resolve(alarm.Dimensions[0].Value)).toBe(stack.resolve((chat.api as RestApi).restApiName));
    }
  });

  test('nine alarms, all in `alarms`', () => {
    template.resourceCountIs(ALARM, 9);
    expect(chat.alarms).toHaveLength(9);
    expect(new Set(chat.alarms.map((alarm) => stack.resolve(alarm.alarmArn)['Fn::GetAtt'][0])).size).toBe(9);
  });

  test('no dashboard and no tracing', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(chat.dashboard).toBeUndefined();
    expect(onlyResource(template, 'AWS::Lambda::Function').Properties.TracingConfig).toBeUndefined();
    expect(onlyResource(template, 'AWS::ApiGateway::Stage').Properties.TracingEnabled).not.toBe(true);
  });
});

describe('alarm props', () => {
  test('alarmTopic: every alarm notifies it when it fires and when it recovers', () => {
    const { stack } = buildChat();
    const topic = new Topic(stack, 'OnCall');
    new StartChatContactApi(stack, 'Paged', { ...REQUIRED_PROPS, alarmTopic: topic });
    const template = templateOf(stack);
    const paged = alarms(template).filter((alarm) => alarm.AlarmActions !== undefined);
    const topicRef = { Ref: logicalIdOf(template, 'AWS::SNS::Topic') };
    expect(paged).toHaveLength(9);
    for (const alarm of paged) {
      expect(alarm.AlarmActions).toEqual([topicRef]);
      expect(alarm.OKActions).toEqual([topicRef]);
    }
  });

  test('createAlarms: false creates none', () => {
    const { stack, chat } = buildChat({ createAlarms: false });
    templateOf(stack).resourceCountIs(ALARM, 0);
    expect(chat.alarms).toEqual([]);
  });

  // Every alarm the construct creates by default: its key in `alarmOptions`, the metric it watches, its default
  // threshold and another valid one. Switched off, exactly the other eight metrics keep an alarm, so a tenth
  // alarm, or one missing here, fails these.
  const EVERY_ALARM: ReadonlyArray<readonly [keyof StartChatContactAlarmOptions, string, number, number]> = [
    ['capacityExceeded', 'CapacityExceeded', 1, 5],
    ['throttledRate', 'Throttled', 0.05, 0.2],
    ['upstreamErrorRate', 'UpstreamErrors', 0.05, 0.1],
    ['internalErrors', 'InternalErrors', 1, 3],
    ['serverErrorRate', '5XXError', 0.05, 0.25],
    ['latency', 'Duration', 27_000, 20_000],
    ['functionErrors', 'Errors', 1, 4],
    ['functionThrottles', 'Throttles', 1, 2],
    ['concurrentActiveChats', 'ConcurrentActiveChatsPercentage', 80, 60],
  ];

  test.each(EVERY_ALARM)('%s switched off alone: no alarm on %s, the other eight stay', (key, metricName) => {
    const { stack, chat } = buildChat({ alarmOptions: { [key]: { enabled: false } } });
    const others = EVERY_ALARM.map(([, name]) => name).filter((name) => name !== metricName);
    expect(metricNames(templateOf(stack))).toEqual(others.sort());
    expect(chat.alarms).toHaveLength(8);
  });

  test.each(EVERY_ALARM)(
    '%s with its own threshold: the alarm on %s fires at it, the others keep theirs',
    (key, metricName, _, threshold) => {
      const template = synthChat({ alarmOptions: { [key]: { threshold } } });
      for (const [, name, defaultThreshold] of EVERY_ALARM) {
        expect([name, alarmOn(template, name).Threshold]).toEqual([
          name,
          name === metricName ? threshold : defaultThreshold,
        ]);
      }
    },
  );

  test('threshold, periods and datapoints are overridable; what is left out keeps its default', () => {
    const template = synthChat({
      alarmOptions: {
        throttledRate: { threshold: 0.2, period: Duration.minutes(5), evaluationPeriods: 2 },
        latency: { threshold: 20_000, datapointsToAlarm: 1 },
      },
    });
    expect(alarmOn(template, 'Throttled')).toMatchObject({
      Threshold: 0.2,
      Period: 300,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
    expect(alarmOn(template, 'Duration')).toMatchObject({
      Threshold: 20_000,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 1,
    });
    expect(alarmOn(template, 'CapacityExceeded')).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
  });

  test('on an existing REST API: no 5XX alarm (it cannot be scoped to the chat route); the rest stay', () => {
    const { stack } = buildChat({ createAlarms: false });
    const restApi = new RestApi(stack, 'Existing', { cloudWatchRole: false });
    restApi.root.addMethod('GET');
    const chat = new StartChatContactApi(stack, 'OnExisting', { ...REQUIRED_PROPS, restApi });
    const template = templateOf(stack);
    expect(metricNames(template)).toEqual(
      [
        'CapacityExceeded',
        'ConcurrentActiveChatsPercentage',
        'Duration',
        'Errors',
        'InternalErrors',
        'Throttled',
        'Throttles',
        'UpstreamErrors',
      ].sort(),
    );
    expect(chat.alarms).toHaveLength(8);
  });
});

describe('the instance’s ConcurrentActiveChatsPercentage alarm', () => {
  const connectAlarms = (template: Template) => metricNames(template).filter((name) => name.startsWith('Concurrent'));

  test('is created for an instance ARN in the stack’s own account and region', () => {
    const template = synthChat({ instanceId: INSTANCE_ARN }, FIXED_ENV);
    expect(connectAlarms(template)).toEqual(['ConcurrentActiveChatsPercentage']);
    expect(alarmOn(template, 'ConcurrentActiveChatsPercentage').Dimensions).toEqual([
      { Name: 'InstanceId', Value: INSTANCE_ID },
      { Name: 'MetricGroup', Value: 'Chats' },
    ]);
  });

  test.each([
    // (An instance in another account than the stack's is refused at synth: validation.test.ts.)
    ['in another region', { env: { account: ACCOUNT, region: 'us-east-1' } }],
    ['given to an environment-agnostic stack', undefined],
  ])('is not created for an instance ARN %s, and a warning says why', (_name, stackProps) => {
    const { stack } = buildChat({ instanceId: INSTANCE_ARN }, { stackProps });
    const template = templateOf(stack);
    expect(connectAlarms(template)).toEqual([]);
    template.resourceCountIs(ALARM, 8);
    Annotations.fromStack(stack).hasWarning(
      '/ChatStack/Chat',
      Match.stringLikeRegexp('No ConcurrentActiveChatsPercentage alarm'),
    );
  });

  test('switched off, there is nothing to warn about', () => {
    const { stack } = buildChat({
      instanceId: INSTANCE_ARN,
      alarmOptions: { concurrentActiveChats: { enabled: false } },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('the dashboard', () => {
  /** The dashboard's body, each token in it written as the JSON of its CloudFormation expression. */
  function body(template: Template): string {
    const dashboard = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    return parts
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(JSON.stringify(part)).slice(1, -1)))
      .join('');
  }

  interface Widget {
    readonly type: string;
    readonly properties: {
      readonly title: string;
      readonly metrics?: Array<Array<string | { stat?: string }>>;
      readonly alarms?: string[];
      readonly annotations?: { horizontal: Array<{ value: number }> };
    };
  }

  /** Each graph's metrics, `namespace name statistic`, by the graph's title. */
  function graphs(widgets: readonly Widget[]): Record<string, string[]> {
    const metricWidgets = widgets.filter((widget) => widget.type === 'metric');
    return Object.fromEntries(
      metricWidgets.map(({ properties }) => [
        properties.title,
        properties.metrics!.map((metric) => {
          const options = metric.at(-1) as { stat?: string };
          return `${metric[0]} ${metric[1]} ${options.stat ?? 'Average'}`;
        }),
      ]),
    );
  }

  test('with createDashboard: starts, causes, Connect attempts, latency against 29 s, the function, the stage, Connect and the alarms', () => {
    const { stack, chat } = buildChat({ createDashboard: true });
    const template = templateOf(stack);
    const widgets = (JSON.parse(body(template)) as { widgets: Widget[] }).widgets;
    expect(chat.dashboard).toBeDefined();
    expect(graphs(widgets)).toEqual({
      'Chat starts': ['StartChatContactApi ChatsStarted Sum', 'StartChatContactApi ChatsStarted SampleCount'],
      'Refused and failed chat starts, by cause': [
        'StartChatContactApi Rejected Sum',
        'StartChatContactApi Throttled Sum',
        'StartChatContactApi CapacityExceeded Sum',
        'StartChatContactApi UpstreamErrors Sum',
        'StartChatContactApi InternalErrors Sum',
      ],
      'Connect attempts per request': [
        'StartChatContactApi ConnectAttempts Average',
        'StartChatContactApi ConnectAttempts Maximum',
      ],
      'Latency against API Gateway’s 29 s limit (ms)': [
        'StartChatContactApi TimeToChat p50',
        'StartChatContactApi TimeToChat p99',
        'AWS/Lambda Duration p99',
        'AWS/ApiGateway Latency p50',
        'AWS/ApiGateway Latency p90',
        'AWS/ApiGateway Latency p99',
      ],
      'Function: errors, throttles and concurrency': [
        'AWS/Lambda Errors Sum',
        'AWS/Lambda Throttles Sum',
        'AWS/Lambda ConcurrentExecutions Maximum',
      ],
      'API Gateway answers': [
        'AWS/ApiGateway Count SampleCount',
        'AWS/ApiGateway 4XXError Sum',
        'AWS/ApiGateway 5XXError Sum',
      ],
      'Connect: active chats, % of the concurrent-chat quota': ['AWS/Connect ConcurrentActiveChatsPercentage Maximum'],
    });
    // Every metric is this deployment's: the function's, the stage's, the instance's.
    const functionRef = JSON.stringify({ Ref: logicalIdOf(template, 'AWS::Lambda::Function') });
    const stageRef = JSON.stringify({ Ref: logicalIdOf(template, 'AWS::ApiGateway::Stage') });
    const expectedDimensions: Record<string, string[]> = {
      StartChatContactApi: ['FunctionName', functionRef],
      'AWS/Lambda': ['FunctionName', functionRef],
      'AWS/ApiGateway': ['ApiName', stack.resolve((chat.api as RestApi).restApiName), 'Stage', stageRef],
      'AWS/Connect': ['InstanceId', INSTANCE_ID, 'MetricGroup', 'Chats'],
    };
    for (const widget of widgets.filter(({ type }) => type === 'metric')) {
      for (const [namespace, , ...rest] of widget.properties.metrics!) {
        expect(rest.slice(0, -1)).toEqual(expectedDimensions[namespace as string]);
      }
    }
    const latency = widgets.find(({ properties }) => properties.title.startsWith('Latency'))!;
    expect(latency.properties.annotations!.horizontal.map(({ value }) => value)).toContain(29_000);
    const [alarmWidget] = widgets.filter(({ type }) => type === 'alarm');
    expect(alarmWidget!.properties.title).toBe('Alarms');
    expect(alarmWidget!.properties.alarms!.map((arn) => JSON.parse(arn))).toEqual(
      chat.alarms.map((alarm) => stack.resolve(alarm.alarmArn)),
    );
  });

  test('no Connect widget for an instance in another region', () => {
    const template = synthChat(
      { instanceId: INSTANCE_ARN, createDashboard: true },
      { env: { account: ACCOUNT, region: 'us-east-1' } },
    );
    expect(body(template)).not.toContain('ConcurrentActiveChatsPercentage');
  });
});

describe('tracing', () => {
  test('tracing: true turns on active tracing for the function and the stage', () => {
    const template = synthChat({ tracing: true });
    expect(onlyResource(template, 'AWS::Lambda::Function').Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(onlyResource(template, 'AWS::ApiGateway::Stage').Properties.TracingEnabled).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' }],
      },
    });
  });

  test('on an existing REST API, only the function (its owner keeps the stage)', () => {
    const { stack } = buildChat({ createAlarms: false });
    const restApi = new RestApi(stack, 'Existing', { cloudWatchRole: false });
    restApi.root.addMethod('GET');
    new StartChatContactApi(stack, 'OnExisting', { ...REQUIRED_PROPS, restApi, tracing: true });
    const template = templateOf(stack);
    const traced = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.TracingConfig !== undefined,
    );
    expect(traced).toHaveLength(1);
    for (const stage of Object.values(template.findResources('AWS::ApiGateway::Stage'))) {
      expect(stage.Properties.TracingEnabled).not.toBe(true);
    }
  });
});

describe('refuses', () => {
  test.each([
    [
      'a metrics namespace under AWS/',
      { metricsNamespace: 'AWS/Connect' },
      /metricsNamespace must be a CloudWatch namespace.*\(got "AWS\/Connect"\)/,
    ],
    ['a metrics namespace with a character CloudWatch refuses', { metricsNamespace: 'Chat$' }, /metricsNamespace/],
    [
      'an alarm that does not exist',
      { alarmOptions: { throttled: {} } as never },
      /alarmOptions has no alarm of that name; the alarms are capacityExceeded, throttledRate, .* \(got "throttled"\)/,
    ],
    [
      'a rate threshold given as a percentage',
      { alarmOptions: { throttledRate: { threshold: 5 } } },
      /alarmOptions\.throttledRate\.threshold must be a share of requests from 0 to 1, such as 0\.05 for 5 % \(got 5\)/,
    ],
    [
      'a percentage threshold above 100',
      { alarmOptions: { concurrentActiveChats: { threshold: 120 } } },
      /alarmOptions\.concurrentActiveChats\.threshold must be a percentage from 0 to 100 \(got 120\)/,
    ],
    [
      'a negative count',
      { alarmOptions: { capacityExceeded: { threshold: -1 } } },
      /alarmOptions\.capacityExceeded\.threshold must be a count of 0 or more \(got -1\)/,
    ],
    [
      'a period that is not whole minutes',
      { alarmOptions: { latency: { period: Duration.seconds(90) } } },
      /alarmOptions\.latency\.period must be whole minutes .*\(got 1 minute 30 seconds\)/,
    ],
    [
      'a period that is not a whole number of seconds',
      { alarmOptions: { latency: { period: Duration.seconds(60.5) } } },
      /alarmOptions\.latency\.period must be whole minutes/,
    ],
    [
      'zero evaluation periods',
      { alarmOptions: { internalErrors: { evaluationPeriods: 0 } } },
      /alarmOptions\.internalErrors\.evaluationPeriods must be a whole number of 1 or more \(got 0\)/,
    ],
    [
      'more than a day of periods',
      { alarmOptions: { internalErrors: { evaluationPeriods: 300 } } },
      /alarmOptions\.internalErrors\.evaluationPeriods times the period \(300 s\) must be at most one day/,
    ],
    [
      'more datapoints than periods',
      { alarmOptions: { functionErrors: { datapointsToAlarm: 4 } } },
      /alarmOptions\.functionErrors\.datapointsToAlarm must be a whole number from 1 to evaluationPeriods \(3\) \(got 4\)/,
    ],
  ] as Array<[string, Partial<StartChatContactApiProps>, RegExp]>)('%s', (_name, props, message) => {
    expect(() => buildChat(props)).toThrow(message);
  });
});
