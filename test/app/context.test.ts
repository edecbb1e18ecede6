/**
 * The deployable app's settings from CDK context (bin/app-context.ts): values as the command line and
 * cdk.json give them, every key the app reads and nothing else, and cdk.json's feature flags.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { EndpointType } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { appSettingsFromContext, CONTEXT_KEYS, checkContextKeys } from '../../bin/app-context.ts';
import { readCdkJson } from '../support/cdk-json.ts';
import { FLOW_ID, INSTANCE_ID, temporaryOutdir } from '../support/construct.ts';

const REQUIRED_CONTEXT = { instanceId: INSTANCE_ID, contactFlowId: FLOW_ID, allowedOrigins: 'https://example.com' };
const CDK_JSON = readCdkJson();

describe('context parsing', () => {
  function settings(context: Record<string, unknown>) {
    return appSettingsFromContext(new App({ outdir: temporaryOutdir(), context }).node);
  }

  test('command-line strings: lists, flags, numbers, JSON, durations', () => {
    const { props, stackName } = settings({
      ...REQUIRED_CONTEXT,
      allowedOrigins: 'https://a.example.com, https://b.example.com',
      allowedAttributeKeys: 'topic,customerName',
      allowRelatedContact: 'false',
      attachmentsEnabled: 'true',
      maxChatDurationMinutes: '120',
      retryBudgetSeconds: '20',
      perIpRateLimit: '100',
      perIpRateLimitWindowMinutes: '10',
      endpointType: 'edge',
      logRetentionDays: '90',
      stackName: 'Chat',
      metricsNamespace: 'Chat/Prod',
      createAlarms: 'false',
      createDashboard: 'true',
      tracing: 'true',
    });
    expect(stackName).toBe('Chat');
    expect(props).toMatchObject({
      metricsNamespace: 'Chat/Prod',
      createAlarms: false,
      createDashboard: true,
      tracing: true,
    });
    expect(props).toMatchObject({
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
      allowedAttributeKeys: ['topic', 'customerName'],
      allowRelatedContact: false,
      attachmentsEnabled: true,
      maxChatDurationMinutes: 120,
      perIpRateLimit: 100,
      endpointType: EndpointType.EDGE,
      logRetention: RetentionDays.THREE_MONTHS,
    });
    expect(props?.retryBudget?.toSeconds()).toBe(20);
    expect(props?.perIpRateLimitWindow?.toSeconds()).toBe(Duration.minutes(10).toSeconds());
  });

  test('cdk.json values: arrays, booleans and numbers as they are', () => {
    const { props } = settings({
      ...REQUIRED_CONTEXT,
      allowedOrigins: ['*'],
      allowPersistentChat: true,
      memorySize: 1024,
    });
    expect(props).toMatchObject({ allowedOrigins: ['*'], allowPersistentChat: true, memorySize: 1024 });
  });

  test('the stack’s account and region, when the deployer pins them', () => {
    expect(settings({ ...REQUIRED_CONTEXT, account: '123456789012', region: 'eu-west-2' })).toMatchObject({
      account: '123456789012',
      region: 'eu-west-2',
    });
  });

  test('a stack name of 128 characters, CloudFormation’s most', () => {
    const name = `C${'h'.repeat(127)}`;
    expect(settings({ ...REQUIRED_CONTEXT, stackName: name }).stackName).toBe(name);
  });

  test('without the required values: which are missing, and no props (ls, bootstrap and destroy need none)', () => {
    expect(settings({ contactFlowId: FLOW_ID })).toMatchObject({
      stackName: 'StartChatContactApi',
      props: undefined,
      missing: ['instanceId', 'allowedOrigins'],
    });
  });

  test('an empty allowedOrigins means no browser origin', () => {
    expect(settings({ ...REQUIRED_CONTEXT, allowedOrigins: '' }).props?.allowedOrigins).toEqual([]);
  });

  test.each([
    [
      { allowPersistentChat: 'yes' },
      /Context allowPersistentChat must be true or false \(got "yes"\); for example -c allowPersistentChat=true/,
    ],
    [{ perIpRateLimit: 'many' }, /Context perIpRateLimit must be a number/],
    [{ serverAttributes: '{channel:web}' }, /Context serverAttributes must be a JSON object of strings/],
    [{ logRetentionDays: '31' }, /Context logRetentionDays must be a retention CloudWatch Logs offers/],
    [{ endpointType: 'PRIVATE' }, /Context endpointType must be REGIONAL or EDGE/],
    [{ alarmTopicArn: 'chat-alarms' }, /Context alarmTopicArn must be the ARN of a standard SNS topic/],
    [{ account: '1234' }, /Context account must be a 12-digit AWS account ID \(got "1234"\)/],
    [
      { region: 'Europe' },
      /Context region must be an AWS region name \(got "Europe"\); for example -c region=eu-west-2/,
    ],
    [
      { stackName: 'my stack' },
      /Context stackName must start with a letter and hold only letters, digits and hyphens, at most 128 characters \(got "my stack"\); for example -c stackName=ChatApi/,
    ],
    [{ stackName: '1Chat' }, /Context stackName must start with a letter/],
    [{ stackName: `C${'h'.repeat(128)}` }, /Context stackName must .* at most 128 characters/],
    [{ retryBudgetSeconds: '-1' }, /Context retryBudgetSeconds must be a number of seconds, 0 or more \(got -1\)/],
    [
      { perIpRateLimitWindowMinutes: '-5' },
      /Context perIpRateLimitWindowMinutes must be a number of minutes, 0 or more \(got -5\)/,
    ],
  ])('refuses %j', (change, message) => {
    expect(() => settings({ ...REQUIRED_CONTEXT, ...change })).toThrow(message);
  });
});

describe('verified identity from context', () => {
  function settings(context: Record<string, unknown>) {
    return appSettingsFromContext(new App({ outdir: temporaryOutdir(), context }).node);
  }

  test.each([
    [
      {
        identitySource: 'oidc',
        identityIssuer: 'https://login.example.com/',
        identityAudience: 'chat-api, other-api',
        identityJwksUri: 'https://login.example.com/jwks.json',
        identityAlgorithms: 'RS256,ES256',
        identityClaims: '{"customerId":"sub","displayName":"name"}',
      },
      { IDENTITY_SOURCE: 'oidc', IDENTITY_AUDIENCES: 'chat-api,other-api', IDENTITY_ALGORITHMS: 'RS256,ES256' },
    ],
    [
      {
        identitySource: 'cognito',
        identityUserPoolId: 'us-east-1_AbCdEf123',
        identityClientIds: ['1example23456789'],
        identityTokenUse: 'access',
      },
      { IDENTITY_SOURCE: 'cognito', IDENTITY_AUDIENCES: '1example23456789', IDENTITY_TOKEN_USE: 'access' },
    ],
    [
      {
        identitySource: 'shared-secret',
        identitySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:chat/widget-key-AbCdEf',
        identityWidgetId: 'widget-1',
        identityRequired: true,
      },
      {
        IDENTITY_SOURCE: 'shared-secret',
        IDENTITY_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:chat/widget-key-AbCdEf',
        IDENTITY_WIDGET_ID: 'widget-1',
        IDENTITY_REQUIRED: 'true',
      },
    ],
  ])('%j reaches the function’s variables', (change, variables) => {
    const { props, identity } = settings({ ...REQUIRED_CONTEXT, ...change });
    const stack = new Stack(new App({ outdir: temporaryOutdir() }), 'S');
    expect(identity?.(stack).bind(stack).environment).toMatchObject(variables);
    expect(props).not.toHaveProperty('identity');
  });

  test('without identitySource there is no identity', () => {
    expect(settings(REQUIRED_CONTEXT).identity).toBeUndefined();
  });

  test.each([
    [{ identitySource: 'saml' }, /Context identitySource must be shared-secret, cognito or oidc/],
    [
      { identitySource: 'shared-secret', identityWidgetId: 'w' },
      /Context identitySecretArn is required with identitySource=shared-secret/,
    ],
    [
      { identitySource: 'cognito', identityUserPoolId: 'eu-west-2_AbCdEf123', identityTokenUse: 'refresh' },
      /Context identityTokenUse must be id or access/,
    ],
    [
      {
        identitySource: 'shared-secret',
        identitySecretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat/widget-key',
        identityWidgetId: 'w',
      },
      /Context identitySecretArn must be the complete ARN of a Secrets Manager secret, ending in the 6 characters Secrets Manager adds to its name \(got "arn:aws:secretsmanager:eu-west-2:123456789012:secret:chat\/widget-key"\)/,
    ],
    [
      { identitySource: 'shared-secret', identitySecretArn: 'chat/widget-key-AbCdEf', identityWidgetId: 'w' },
      /Context identitySecretArn must be the complete ARN/,
    ],
    [
      { identitySource: 'cognito', identityUserPoolId: 'AbCdEf123', identityClientIds: 'c' },
      /Context identityUserPoolId must be a Cognito user pool ID: its region, an underscore, then letters and digits \(got "AbCdEf123"\); for example -c identityUserPoolId=eu-west-2_AbCdEf123/,
    ],
    [{ identitySource: 'oidc', identityIssuer: 'https://x/' }, /Context identityJwksUri is required/],
  ])('refuses %j', (change, message) => {
    expect(() => settings({ ...REQUIRED_CONTEXT, ...change })).toThrow(message);
  });
});

describe('context keys', () => {
  test.each([
    ['perIpRatelimit', 'perIpRateLimit'],
    ['cloudwatchRole', 'cloudWatchRole'],
    ['instance-id', 'instanceId'],
    ['allowedOrigin', 'allowedOrigins'],
    ['reservedConcurrency', 'reservedConcurrentExecutions'],
    ['retryBudget', 'retryBudgetSeconds'],
  ])('an unknown key, %s, is refused, naming the closest known key, %s', (typo, closest) => {
    expect(() => checkContextKeys([typo])).toThrow(`Unknown context key "${typo}"; did you mean "${closest}"?`);
  });

  test('CDK’s own keys (feature flags, the CLI’s settings, cached lookups) are not the app’s to check', () => {
    expect(() =>
      checkContextKeys([
        ...Object.keys(CURRENTLY_RECOMMENDED_FLAGS),
        'aws:cdk:bundling-stacks',
        'availability-zones:account=123456789012:region=eu-west-2',
        ...CONTEXT_KEYS,
      ]),
    ).not.toThrow();
  });

  test('a misspelled key in the context fails the settings, before anything else is read', () => {
    expect(() =>
      appSettingsFromContext(
        new App({ outdir: temporaryOutdir(), context: { ...REQUIRED_CONTEXT, perIpRatelimit: '100' } }).node,
      ),
    ).toThrow(/did you mean "perIpRateLimit"/);
  });

  test('every key the app reads is listed in the README’s Deploy section', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const deploy = readme.slice(readme.indexOf('## Deploy'), readme.indexOf('### In your own stack'));
    for (const key of CONTEXT_KEYS) expect(deploy).toContain(`\`${key}\``);
  });
});

describe('cdk.json', () => {
  test('sets every feature flag aws-cdk-lib currently recommends, at its recommended value', () => {
    for (const [flag, value] of Object.entries(CURRENTLY_RECOMMENDED_FLAGS)) {
      expect([flag, CDK_JSON.context[flag]]).toEqual([flag, value]);
    }
  });

  test('runs the app through bin/run-app.mjs, which any Node can read', () => {
    expect(CDK_JSON.app).toBe('node bin/run-app.mjs');
  });
});
