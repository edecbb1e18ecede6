/**
 * The deployable app's settings, read from CDK context: `context` in cdk.json (the one place to keep them,
 * so `synth`, `diff`, `deploy` and `destroy` agree) or `-c key=value` on the command line, which wins.
 * Command-line values are strings: lists are comma-separated, flags are `true`/`false`,
 * `serverAttributes` is a JSON object; cdk.json may hold real arrays, numbers and booleans. The construct
 * checks the values themselves. A key this app does not know is refused, naming the closest one it does:
 * a misspelled optional key would otherwise be ignored without a word.
 */
import { Duration } from 'aws-cdk-lib';
import { EndpointType } from 'aws-cdk-lib/aws-apigateway';
import { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, Node } from 'constructs';
import { closestMatch } from 'leven';
import { ChatIdentity, type ChatIdentityClaims, CognitoTokenUse, type StartChatContactApiProps } from '../lib/index.ts';

export const REQUIRED_CONTEXT = ['instanceId', 'contactFlowId', 'allowedOrigins'] as const;

/** Every key the app reads, required ones first. */
export const CONTEXT_KEYS = [
  ...REQUIRED_CONTEXT,
  'allowedContactFlowIds',
  'allowedAttributeKeys',
  'serverAttributes',
  'maxChatDurationMinutes',
  'allowPersistentChat',
  'allowRelatedContact',
  'allowCustomerId',
  'allowSegmentAttributes',
  'defaultDisplayName',
  'attachmentsEnabled',
  'maxBodyBytes',
  'retryBudgetSeconds',
  'path',
  'serveStageRoot',
  'endpointType',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'perIpRateLimit',
  'perIpRateLimitWindowMinutes',
  'webAclArn',
  'cloudWatchRole',
  'accessLogCallerDetails',
  'memorySize',
  'reservedConcurrentExecutions',
  'logLevel',
  'logRetentionDays',
  'metricsNamespace',
  'createAlarms',
  'createDashboard',
  'tracing',
  'alarmTopicArn',
  // Verified identity (the identity prop): identitySource, and the keys of that source.
  'identitySource',
  'identityRequired',
  'identityClaims',
  'identitySecretArn',
  'identityWidgetId',
  'identityUserPoolId',
  'identityClientIds',
  'identityTokenUse',
  'identityIssuer',
  'identityAudience',
  'identityJwksUri',
  'identityAlgorithms',
  'stackName',
  'account',
  'region',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export const SETTINGS_HINT =
  'Keep the values in the "context" of cdk.json (see the README\'s Deploy section), or pass them with -c key=value';

export interface AppSettings {
  readonly stackName: string;
  /** The stack's account and region when set in context; otherwise the CLI's. */
  readonly account: string | undefined;
  readonly region: string | undefined;
  /** Undefined when a required value is missing: see `missing`. */
  readonly props: StartChatContactApiProps | undefined;
  /** The SNS topic the alarms notify (`alarmTopic`), which the app imports into its stack. */
  readonly alarmTopicArn: string | undefined;
  /** Required keys without a value. */
  readonly missing: readonly string[];
  /** The `identity` prop, made in the stack (it imports the secret or user pool there). */
  readonly identity?: (scope: Construct) => ChatIdentity;
}

/** A context value the app cannot use; the message names the key, the value and the fix. */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

/**
 * CDK's own context keys (feature flags such as `@aws-cdk/core:...`, the CLI's `aws:cdk:...`, cached
 * lookups such as `availability-zones:account=...`) all hold a colon; every other key is the app's.
 */
export function isCdkKey(key: string): boolean {
  return key.includes(':') || key.startsWith('@');
}

function comparable(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Refuses keys the app does not read, naming the closest key it does. */
export function checkContextKeys(keys: readonly string[]): void {
  const known = new Set<string>(CONTEXT_KEYS);
  const normalized = CONTEXT_KEYS.map(comparable);
  for (const key of keys) {
    if (known.has(key) || isCdkKey(key)) continue;
    const closest = CONTEXT_KEYS[normalized.indexOf(closestMatch(comparable(key), normalized) ?? '')];
    throw new ContextError(
      `Unknown context key "${key}"; did you mean "${closest}"? The app's keys are ${CONTEXT_KEYS.join(', ')}.`,
    );
  }
}

function contextError(key: string, value: unknown, rule: string, example: string): Error {
  return new ContextError(`Context ${key} ${rule} (got ${JSON.stringify(value)}); for example -c ${key}=${example}`);
}

class ContextReader {
  private readonly node: Node;

  constructor(node: Node) {
    this.node = node;
  }

  raw(key: ContextKey): unknown {
    return this.node.tryGetContext(key);
  }

  text(key: ContextKey): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    return String(value);
  }

  list(key: ContextKey): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
    return items.map((item) => item.trim()).filter((item) => item !== '');
  }

  flag(key: ContextKey): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw contextError(key, value, 'must be true or false', 'true');
  }

  number(key: ContextKey, example = '10'): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'number' ? value : Number(value);
    if (String(value).trim() === '' || !Number.isFinite(number))
      throw contextError(key, value, 'must be a number', example);
    return number;
  }

  object(key: ContextKey): Record<string, string> | undefined {
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

/** A duration in `unit`s; a negative one is refused here, naming the key (aws-cdk-lib's Duration would not). */
function duration(
  reader: ContextReader,
  key: ContextKey,
  unit: 'seconds' | 'minutes',
  example: string,
): Duration | undefined {
  const value = reader.number(key, example);
  if (value === undefined) return undefined;
  if (value < 0) throw contextError(key, value, `must be a number of ${unit}, 0 or more`, example);
  return unit === 'seconds' ? Duration.seconds(value) : Duration.minutes(value);
}

/** CloudFormation's rule for stack names, which aws-cdk-lib checks only once the stack is made. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function stackName(reader: ContextReader): string {
  const value = reader.text('stackName');
  if (value === undefined) return 'StartChatContactApi';
  if (STACK_NAME.test(value)) return value;
  throw contextError(
    'stackName',
    value,
    'must start with a letter and hold only letters, digits and hyphens, at most 128 characters',
    'ChatApi',
  );
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

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

/** The AWS account and region context keys: 12 digits, and a region name. */
function environmentValue(reader: ContextReader, key: 'account' | 'region'): string | undefined {
  const value = reader.text(key)?.trim();
  if (value === undefined) return undefined;
  const pattern = key === 'account' ? /^\d{12}$/ : /^[a-z]{2}(-[a-z]+)+-\d+$/;
  if (!pattern.test(value)) {
    throw contextError(
      key,
      value,
      key === 'account' ? 'must be a 12-digit AWS account ID' : 'must be an AWS region name',
      key === 'account' ? '123456789012' : 'eu-west-2',
    );
  }
  return value;
}

// ---- Verified identity (the `identity` prop): identitySource and the keys of that source ----

/** What `Secret.fromSecretCompleteArn` takes: a secret ARN whose name ends in `-` and 6 characters. */
const SECRET_COMPLETE_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
/** A user pool ID, such as `eu-west-2_AbCdEf123`. */
const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d+_[0-9A-Za-z]+$/;

function identityFromContext(reader: ContextReader): AppSettings['identity'] {
  const source = reader.text('identitySource');
  if (source === undefined) return undefined;
  const text = (key: ContextKey, example: string): string => {
    const value = reader.text(key);
    if (value === undefined || value.trim() === '') {
      throw contextError(key, value, `is required with identitySource=${source}`, example);
    }
    return value;
  };
  const options = {
    required: reader.flag('identityRequired'),
    claims: reader.object('identityClaims') as ChatIdentityClaims | undefined,
  };
  const matching = (key: ContextKey, pattern: RegExp, rule: string, example: string): string => {
    const value = text(key, example);
    if (!pattern.test(value)) throw contextError(key, value, rule, example);
    return value;
  };
  if (source === 'shared-secret') {
    const secretArn = matching(
      'identitySecretArn',
      SECRET_COMPLETE_ARN,
      'must be the complete ARN of a Secrets Manager secret, ending in the 6 characters Secrets Manager adds to its name',
      'arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat/widget-key-AbCdEf',
    );
    const widgetId = text('identityWidgetId', 'your-widget-id');
    return (scope) =>
      ChatIdentity.sharedSecret({
        ...options,
        secret: Secret.fromSecretCompleteArn(scope, 'IdentitySecret', secretArn),
        widgetId,
      });
  }
  if (source === 'cognito') {
    const userPoolId = matching(
      'identityUserPoolId',
      USER_POOL_ID,
      'must be a Cognito user pool ID: its region, an underscore, then letters and digits',
      'eu-west-2_AbCdEf123',
    );
    const clientIds = reader.list('identityClientIds') ?? [];
    const tokenUse = reader.text('identityTokenUse') ?? 'id';
    if (tokenUse !== 'id' && tokenUse !== 'access') {
      throw contextError('identityTokenUse', tokenUse, 'must be id or access', 'access');
    }
    return (scope) =>
      ChatIdentity.cognito({
        ...options,
        userPool: UserPool.fromUserPoolId(scope, 'IdentityUserPool', userPoolId),
        clients: clientIds.map((id, index) => UserPoolClient.fromUserPoolClientId(scope, `IdentityClient${index}`, id)),
        tokenUse: tokenUse === 'id' ? CognitoTokenUse.ID : CognitoTokenUse.ACCESS,
      });
  }
  if (source === 'oidc') {
    const props = {
      ...options,
      issuer: text('identityIssuer', 'https://example.eu.auth0.com/'),
      audience: reader.list('identityAudience') ?? [],
      jwksUri: text('identityJwksUri', 'https://example.eu.auth0.com/.well-known/jwks.json'),
      algorithms: reader.list('identityAlgorithms'),
    };
    return () => ChatIdentity.oidc(props);
  }
  throw contextError('identitySource', source, 'must be shared-secret, cognito or oidc', 'oidc');
}

/** The message for required values that are missing. */
export function missingContextMessage(missing: readonly string[]): string {
  return `Missing context: ${missing.join(', ')}. ${SETTINGS_HINT}, e.g.\n  ${DEPLOY_EXAMPLE}`;
}

export const DEPLOY_EXAMPLE =
  'npx cdk deploy -c instanceId=<instance ID or ARN> -c contactFlowId=<contact flow ID or ARN> -c allowedOrigins=https://www.example.com';

/**
 * Reads the app's settings. Unknown keys and bad values throw `ContextError`; missing required values are
 * reported in `missing` (commands such as `cdk ls` and `cdk destroy` need only the stack's name).
 */
export function appSettingsFromContext(node: Node): AppSettings {
  checkContextKeys(Object.keys(node.getAllContext()));
  const reader = new ContextReader(node);
  const base = {
    stackName: stackName(reader),
    account: environmentValue(reader, 'account'),
    region: environmentValue(reader, 'region'),
  };
  const missing = REQUIRED_CONTEXT.filter((key) => reader.raw(key) === undefined);
  if (missing.length > 0) return { ...base, props: undefined, alarmTopicArn: undefined, missing };

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
    retryBudget: duration(reader, 'retryBudgetSeconds', 'seconds', '25'),
    path: reader.text('path'),
    serveStageRoot: reader.flag('serveStageRoot'),
    endpointType: endpointType(reader),
    throttlingRateLimit: reader.number('throttlingRateLimit', '5'),
    throttlingBurstLimit: reader.number('throttlingBurstLimit', '50'),
    perIpRateLimit: reader.number('perIpRateLimit', '100'),
    perIpRateLimitWindow: duration(reader, 'perIpRateLimitWindowMinutes', 'minutes', '5'),
    webAclArn: reader.text('webAclArn'),
    cloudWatchRole: reader.flag('cloudWatchRole'),
    accessLogCallerDetails: reader.flag('accessLogCallerDetails'),
    memorySize: reader.number('memorySize', '512'),
    reservedConcurrentExecutions: reader.number('reservedConcurrentExecutions', '20'),
    logLevel: reader.text('logLevel'),
    logRetention: retention(reader),
    metricsNamespace: reader.text('metricsNamespace'),
    createAlarms: reader.flag('createAlarms'),
    createDashboard: reader.flag('createDashboard'),
    tracing: reader.flag('tracing'),
  };
  const identity = identityFromContext(reader);
  return { ...base, props, alarmTopicArn: topicArn(reader), missing: [], ...(identity && { identity }) };
}
