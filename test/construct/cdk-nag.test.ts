/**
 * cdk-nag AwsSolutions, both majors: no unacknowledged finding, error or warning, in any configuration,
 * under cdk-nag 3 (CDK's Validations) and cdk-nag 2 (Aspects and NagSuppressions); every acknowledgement
 * is made inside the construct, carries its reason, is the same for both majors, and stands for a finding
 * that really arises (none is stale).
 */
import { describe, expect, test } from '@jest/globals';
import { Stack, Validations } from 'aws-cdk-lib';
import { CognitoUserPoolsAuthorizer, RestApi, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { StartChatContactApi, type StartChatContactApiProps } from '../../lib/index.ts';
import { NAG_REASONS } from '../../lib/nag-acknowledgements.ts';
import {
  acknowledgements,
  buildChat,
  INSTANCE_ARN,
  nagFindings,
  nagV2Findings,
  nagV2Suppressions,
  REQUIRED_PROPS,
  testApp,
} from '../support/construct.ts';

/** Each major's unacknowledged findings under a scope, as "rule at path". */
const MAJORS: Array<[string, (scope: IConstruct) => string[]]> = [
  ['3 (Validations)', nagFindings],
  ['2 (Aspects, NagSuppressions)', nagV2Findings],
];

/** The findings cdk-nag would report if nothing were acknowledged, as "rule at path". */
function findingsIgnoringAcknowledgements(scope: IConstruct): string[] {
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, { isAcknowledged: () => false });
  return pack
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
}

/** Every acknowledgement covers a finding under the construct it is on, and has a reason. */
function expectNoStaleAcknowledgements(scope: IConstruct): void {
  const raw = findingsIgnoringAcknowledgements(scope);
  const acks = acknowledgements(scope);
  expect(acks.length).toBeGreaterThan(0);
  for (const ack of acks) {
    expect(ack.reason.length).toBeGreaterThan(40);
    const covered = raw.some(
      (finding) => finding === `${ack.id} at ${ack.path}` || finding.startsWith(`${ack.id} at ${ack.path}/`),
    );
    expect(covered).toBe(true);
  }
}

const configurations: Array<[string, Partial<StartChatContactApiProps>]> = [
  ['the defaults', {}],
  ['a per-IP rate limit (its own web ACL)', { perIpRateLimit: 100 }],
  ['an existing web ACL', { webAclArn: 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/chat/0a1b2c3d' }],
  ['persistent and related chats', { allowPersistentChat: true, allowRelatedContact: true }],
  ['persistent chats of an instance given by ARN', { instanceId: INSTANCE_ARN, allowPersistentChat: true }],
  ['the account’s CloudWatch role set by the stack', { cloudWatchRole: true }],
  ['any origin, the chat route on the root only', { allowedOrigins: ['*'], path: '' }],
  ['tracing and a dashboard', { tracing: true, createDashboard: true }],
  ['no alarms', { createAlarms: false }],
];

describe.each(MAJORS)('cdk-nag %s: zero unacknowledged findings', (_major, findings) => {
  test.each(configurations)('with %s', (_name, props) => {
    const { app, stack } = buildChat(props);
    expect(findings(app)).toEqual([]);
    // The stack: the CloudWatch role, when asked for, is shared by the stack's constructs and lives at its top.
    expectNoStaleAcknowledgements(stack);
  });

  test('without feature flags (in a CDK app whose cdk.json sets none)', () => {
    const app = testApp({ featureFlags: false });
    const stack = new Stack(app, 'Flagged', { env: { account: '123456789012', region: 'eu-west-2' } });
    new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, cloudWatchRole: true, allowPersistentChat: true });
    new StartChatContactApi(stack, 'Limited', { ...REQUIRED_PROPS, perIpRateLimit: 100 });
    expect(findings(app)).toEqual([]);
  });

  test('in a stack with a fixed account and region', () => {
    const stackProps = { env: { account: '123456789012', region: 'eu-west-2' } };
    const { app } = buildChat({ allowPersistentChat: true }, { stackProps });
    expect(findings(app)).toEqual([]);
  });

  test('with a Cognito user pool authorizer (the construct’s part)', () => {
    const { stack } = buildChat();
    const authorizer = new CognitoUserPoolsAuthorizer(stack, 'SignedIn', {
      cognitoUserPools: [new UserPool(stack, 'Users')],
    });
    const chat = new StartChatContactApi(stack, 'Authorized', { ...REQUIRED_PROPS, authorizer });
    expect(findings(chat)).toEqual([]);
    expect(acknowledgements(chat).map((ack) => ack.id)).not.toContain('AwsSolutions-APIG4');
    expect(acknowledgements(chat).map((ack) => ack.id)).not.toContain('AwsSolutions-COG4');
  });

  test('with a Lambda authorizer (the construct’s part)', () => {
    const { stack } = buildChat();
    const authorizer = new TokenAuthorizer(stack, 'Token', {
      handler: new LambdaFunction(stack, 'Authorize', {
        code: Code.fromInline('export const handler = async () => ({});'),
        handler: 'index.handler',
        runtime: Runtime.NODEJS_24_X,
      }),
    });
    const chat = new StartChatContactApi(stack, 'Authorized', { ...REQUIRED_PROPS, authorizer });
    expect(findings(chat)).toEqual([]);
    const cog4 = acknowledgements(chat).filter((ack) => ack.id === 'AwsSolutions-COG4');
    expect(cog4.map((ack) => ack.reason)).toEqual([NAG_REASONS.nonCognitoAuthorizer, NAG_REASONS.nonCognitoAuthorizer]);
    expect(acknowledgements(chat).map((ack) => ack.id)).not.toContain('AwsSolutions-APIG4');
  });

  test('on an existing REST API: the construct’s resources and the chat route it adds there', () => {
    const { app, stack } = buildChat();
    const restApi = new RestApi(stack, 'Existing', { cloudWatchRole: false });
    restApi.root.addMethod('GET');
    new StartChatContactApi(stack, 'OnExisting', { ...REQUIRED_PROPS, restApi });
    // CDK places methods under the API they belong to, so the chat route sits in the owner's tree.
    const ours = (finding: string) =>
      finding.includes(' at ChatStack/OnExisting/') || finding.includes(' at ChatStack/Existing/Default/chat/');
    expect(findings(app).filter(ours)).toEqual([]);
    expect(findingsIgnoringAcknowledgements(app).filter(ours).sort()).toEqual([
      'AwsSolutions-APIG4 at ChatStack/Existing/Default/chat/POST/Resource',
      'AwsSolutions-COG4 at ChatStack/Existing/Default/chat/POST/Resource',
    ]);
    // The owner's own method stays the owner's to fix or acknowledge.
    expect(findings(app)).toContain('AwsSolutions-APIG4 at ChatStack/Existing/Default/GET/Resource');
  });
});

/**
 * Each cdk-nag 3 acknowledgement has one cdk-nag 2 suppression with the same finding and reason, on the
 * construct's own resource or, where the finding is on a resource under it, on that one.
 */
function expectSameAcknowledgements(scope: IConstruct): void {
  const key = (ack: { id: string; reason: string }) => `${ack.id}: ${ack.reason}`;
  const order = (a: { id: string; reason: string; path: string }, b: typeof a) =>
    key(a).localeCompare(key(b)) || a.path.localeCompare(b.path);
  const v3 = acknowledgements(scope).sort(order);
  const v2 = nagV2Suppressions(scope).sort(order);
  expect(v2.map(key)).toEqual(v3.map(key));
  for (const [index, ack] of v3.entries()) {
    expect(v2[index]!.path === ack.path || v2[index]!.path.startsWith(`${ack.path}/`)).toBe(true);
  }
}

describe('cdk-nag 2 reads the same acknowledgements, with the same reasons, as cdk-nag 3', () => {
  test.each(configurations)('with %s', (_name, props) => {
    // The stack: the CloudWatch role, when asked for, lives at its top.
    const { stack } = buildChat(props);
    expectSameAcknowledgements(stack);
  });
});

describe('what is acknowledged, and why', () => {
  test('with the defaults: no request validator, no web ACL, a public route', () => {
    const { chat } = buildChat();
    const rule = (id: string) => id.replace(/\[.*/, '');
    const byRule = acknowledgements(chat).map((ack) => `${rule(ack.id)} ${ack.path.replace(/^ChatStack\/Chat\//, '')}`);
    expect(byRule.sort()).toEqual(
      [
        'AwsSolutions-APIG2 Api/Resource',
        'AwsSolutions-APIG3 Api/DeploymentStage.prod/Resource',
        'AwsSolutions-APIG4 Api/Default/POST',
        'AwsSolutions-COG4 Api/Default/POST',
        'AwsSolutions-APIG4 Api/Default/chat/POST',
        'AwsSolutions-COG4 Api/Default/chat/POST',
      ].sort(),
    );
    const reasons = Object.fromEntries(acknowledgements(chat).map((ack) => [ack.id.replace(/\[.*/, ''), ack.reason]));
    expect(reasons['AwsSolutions-APIG2']).toBe(NAG_REASONS.noRequestValidator);
    expect(reasons['AwsSolutions-APIG3']).toBe(NAG_REASONS.noWebAcl);
    expect(reasons['AwsSolutions-APIG4']).toBe(NAG_REASONS.publicChatRoute);
  });

  test('with the CloudWatch role: API Gateway’s log groups, on the stack’s one role', () => {
    const { stack } = buildChat({ cloudWatchRole: true });
    expect(acknowledgements(stack).filter((ack) => ack.id.startsWith('AwsSolutions-IAM5'))).toEqual([
      expect.objectContaining({
        path: 'ChatStack/ApiGatewayCloudWatchRole/Role',
        reason: NAG_REASONS.apiGatewayLogGroups,
      }),
    ]);
  });

  test('with a web ACL there is nothing to acknowledge about WAF', () => {
    const { chat } = buildChat({ perIpRateLimit: 100 });
    expect(acknowledgements(chat).map((ack) => ack.id)).not.toContain('AwsSolutions-APIG3');
  });

  test('tracing: X-Ray’s statement on "*", on the function’s role', () => {
    const { chat } = buildChat({ tracing: true });
    expect(acknowledgements(chat)).toContainEqual({
      path: 'ChatStack/Chat/HandlerRole',
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: NAG_REASONS.tracing,
    });
  });

  test('persistent chats: the wildcard over the instance’s contacts, on the function’s role', () => {
    const { chat } = buildChat({ instanceId: INSTANCE_ARN, allowPersistentChat: true });
    expect(acknowledgements(chat)).toContainEqual({
      path: 'ChatStack/Chat/HandlerRole',
      id: `AwsSolutions-IAM5[Resource::${INSTANCE_ARN}/contact/*]`,
      reason: NAG_REASONS.pastContacts,
    });
  });
});

test('the deployable app’s way, cdk-nag as a validation plugin of the synth, passes', () => {
  const app = testApp();
  const stack = new Stack(app, 'Plugin');
  new StartChatContactApi(stack, 'Chat', { ...REQUIRED_PROPS, allowPersistentChat: true });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  expect(() => app.synth()).not.toThrow();
});
