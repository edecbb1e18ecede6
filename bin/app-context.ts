/**
 * The deployable app's settings, read from CDK context (`-c key=value` on the command line, or
 * `context` in cdk.json) and turned into `StartChatContactApiProps`. Command-line values are strings:
 * lists are comma-separated, flags are `true`/`false`, `serverAttributes` is a JSON object. cdk.json may
 * hold real arrays, numbers and booleans. The construct checks the values themselves.
 */
import { Duration } from 'aws-cdk-lib';
import { EndpointType } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { StartChatContactApiProps } from '../lib/index.ts';

export const REQUIRED_CONTEXT = ['instanceId', 'contactFlowId', 'allowedOrigins'] as const;

export const DEPLOY_EXAMPLE =
  'npx cdk deploy -c instanceId=<instance ID or ARN> -c contactFlowId=<contact flow ID or ARN> -c allowedOrigins=https://www.example.com';

export interface AppSettings {
  readonly stackName: string;
  readonly props: StartChatContactApiProps;
  /** The SNS topic the alarms notify (`alarmTopic`), which the app imports into its stack. */
  readonly alarmTopicArn: string | undefined;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function contextError(key: string, value: unknown, rule: string, example: string): Error {
  return new Error(`Context ${key} ${rule} (got ${JSON.stringify(value)}); for example -c ${key}=${example}`);
}

class ContextReader {
  private readonly node: Node;

  constructor(node: Node) {
    this.node = node;
  }

  raw(key: string): unknown {
    return this.node.tryGetContext(key);
  }

  text(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    return String(value);
  }

  list(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    return items.map((item) => item.trim()).filter((item) => item !== '');
  }

  flag(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw contextError(key, value, 'must be true or false', 'true');
  }

  number(key: string, example = '10'): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (String(value).trim() === '' || !Number.isFinite(number))
      throw contextError(key, value, 'must be a number', example);
    return number;
  }

  object(key: string): Record<string, string> | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw contextError(key, value, 'must be a JSON object of strings', `'{"channel":"web"}'`);
    }
    return parsed as Record<string, string>;
  }
}

function retention(reader: ContextReader): RetentionDays | undefined {
  const days = reader.number('logRetentionDays', '30');
  if (days === undefined) return undefined;
  if (!(Object.values(RetentionDays) as unknown[]).includes(days)) {
    throw contextError(
      'logRetentionDays',
      days,
      'must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ...)',
      '30',
    );
  }
  return days as RetentionDays;
}

function endpointType(reader: ContextReader): EndpointType | undefined {
  const value = reader.text('endpointType')?.toUpperCase();
  if (value === undefined) return undefined;
  if (value !== 'REGIONAL' && value !== 'EDGE')
    throw contextError('endpointType', value, 'must be REGIONAL or EDGE', 'EDGE');
  return value === 'EDGE' ? EndpointType.EDGE : EndpointType.REGIONAL;
}

function seconds(reader: ContextReader, key: string, example: string): Duration | undefined {
  const value = reader.number(key, example);
  return value === undefined ? undefined : Duration.seconds(value);
}

function minutes(reader: ContextReader, key: string, example: string): Duration | undefined {
  const value = reader.number(key, example);
  return value === undefined ? undefined : Duration.minutes(value);
}

function topicArn(reader: ContextReader): string | undefined {
  const value = reader.text('alarmTopicArn');
  if (value === undefined || SNS_TOPIC_ARN.test(value)) return value;
  throw contextError(
    'alarmTopicArn',
    value,
    'must be the ARN of a standard SNS topic',
    'arn:aws:sns:eu-west-2:123456789012:chat-alarms',
  );
}

/** Reads the app's settings; throws one error naming every missing required key, with the command to use. */
export function appSettingsFromContext(node: Node): AppSettings {
  const reader = new ContextReader(node);
  const missing = REQUIRED_CONTEXT.filter((key) => reader.raw(key) === undefined);
  if (missing.length > 0) {
    throw new Error(`Missing context: ${missing.join(', ')}. Pass every required value, e.g.\n  ${DEPLOY_EXAMPLE}`);
  }

  const props: StartChatContactApiProps = {
    instanceId: reader.text('instanceId')!,
    contactFlowId: reader.text('contactFlowId')!,
    allowedOrigins: reader.list('allowedOrigins')!,
    allowedContactFlowIds: reader.list('allowedContactFlowIds'),
    allowedAttributeKeys: reader.list('allowedAttributeKeys'),
    serverAttributes: reader.object('serverAttributes'),
    maxChatDurationMinutes: reader.number('maxChatDurationMinutes', '1500'),
    allowPersistentChat: reader.flag('allowPersistentChat'),
    allowRelatedContact: reader.flag('allowRelatedContact'),
    allowCustomerId: reader.flag('allowCustomerId'),
    allowSegmentAttributes: reader.flag('allowSegmentAttributes'),
    defaultDisplayName: reader.text('defaultDisplayName'),
    attachmentsEnabled: reader.flag('attachmentsEnabled'),
    maxBodyBytes: reader.number('maxBodyBytes', '131072'),
    retryBudget: seconds(reader, 'retryBudgetSeconds', '25'),
    path: reader.text('path'),
    serveStageRoot: reader.flag('serveStageRoot'),
    endpointType: endpointType(reader),
    throttlingRateLimit: reader.number('throttlingRateLimit', '5'),
    throttlingBurstLimit: reader.number('throttlingBurstLimit', '50'),
    perIpRateLimit: reader.number('perIpRateLimit', '100'),
    perIpRateLimitWindow: minutes(reader, 'perIpRateLimitWindowMinutes', '5'),
    webAclArn: reader.text('webAclArn'),
    cloudWatchRole: reader.flag('cloudWatchRole'),
    memorySize: reader.number('memorySize', '512'),
    reservedConcurrentExecutions: reader.number('reservedConcurrentExecutions', '20'),
    logLevel: reader.text('logLevel'),
    logRetention: retention(reader),
    metricsNamespace: reader.text('metricsNamespace'),
    createAlarms: reader.flag('createAlarms'),
    createDashboard: reader.flag('createDashboard'),
    tracing: reader.flag('tracing'),
  };
  return { stackName: reader.text('stackName') ?? 'StartChatContactApi', props, alarmTopicArn: topicArn(reader) };
}
