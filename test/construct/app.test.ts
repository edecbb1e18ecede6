/**
 * The deployable app (bin/app.ts), synthesized the way the CDK CLI runs it: `node bin/app.ts` (cdk.json's
 * `app`) with the context in CDK_CONTEXT_JSON and the output directory in CDK_OUTDIR. No Docker, no AWS
 * credentials. Context parsing is also checked directly.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { App, Duration } from 'aws-cdk-lib';
import { EndpointType } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { appSettingsFromContext } from '../../bin/app-context.ts';
import { FLOW_ID, INSTANCE_ID, OTHER_FLOW_ID, temporaryOutdir } from '../support/construct.ts';

const run = promisify(execFile);
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REQUIRED_CONTEXT = { instanceId: INSTANCE_ID, contactFlowId: FLOW_ID, allowedOrigins: 'https://example.com' };

/** Runs cdk.json's app command as the CLI does, with the environment of a machine without AWS. */
async function synthApp(context: Record<string, unknown>) {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { app: string };
  const [command, ...args] = cdkJson.app.split(' ');
  expect(command).toBe('node');
  const outdir = temporaryOutdir();
  await run(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: outdir,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    timeout: 60_000,
  });
  const template = JSON.parse(readFileSync(join(outdir, 'StartChatContactApi.template.json'), 'utf8'));
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return { template, report };
}

describe('node bin/app.ts', () => {
  test('synthesizes with the required context, cdk-nag clean, with the URL as an output', async () => {
    // Act
    const { template, report } = await synthApp(REQUIRED_CONTEXT);

    // Assert
    const functions = Object.values(template.Resources as Record<string, any>).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0].Properties.Environment.Variables).toMatchObject({
      CONNECT_INSTANCE_ID: INSTANCE_ID,
      CONNECT_CONTACT_FLOW_ID: FLOW_ID,
      ALLOWED_ORIGINS: 'https://example.com',
    });
    expect(template.Outputs.ChatUrl.Value['Fn::Join'][1].at(-1)).toBe('/chat');
    expect(report.pluginReports.flatMap((plugin: { violations?: unknown[] }) => plugin.violations ?? [])).toEqual([]);
  });

  test('passes optional context on to the construct', async () => {
    const { template } = await synthApp({
      ...REQUIRED_CONTEXT,
      allowedContactFlowIds: OTHER_FLOW_ID,
      allowPersistentChat: 'true',
      serverAttributes: '{"channel":"web"}',
      perIpRateLimit: '100',
    });
    const resources = Object.values(template.Resources as Record<string, any>);
    const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      CONNECT_ALLOWED_CONTACT_FLOW_IDS: OTHER_FLOW_ID,
      ALLOW_PERSISTENT_CHAT: 'true',
      SERVER_ATTRIBUTES: '{"channel":"web"}',
    });
    expect(resources.filter((resource) => resource.Type === 'AWS::WAFv2::WebACL')).toHaveLength(1);
  });

  test('creates the alarms, notifying alarmTopicArn, and the dashboard when asked for', async () => {
    const topic = 'arn:aws:sns:eu-west-2:123456789012:chat-alarms';
    const { template } = await synthApp({ ...REQUIRED_CONTEXT, alarmTopicArn: topic, createDashboard: 'true' });
    const resources = Object.values(template.Resources as Record<string, any>);
    const alarms = resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    expect(resources.filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  test('without the required context, says which is missing and how to pass it', async () => {
    const failure = await synthApp({ contactFlowId: FLOW_ID }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain('Missing context: instanceId, allowedOrigins');
    expect(failure?.stderr).toContain('-c instanceId=');
  });
});

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
    expect(props.retryBudget?.toSeconds()).toBe(20);
    expect(props.perIpRateLimitWindow?.toSeconds()).toBe(Duration.minutes(10).toSeconds());
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

  test('an empty allowedOrigins means no browser origin', () => {
    expect(settings({ ...REQUIRED_CONTEXT, allowedOrigins: '' }).props.allowedOrigins).toEqual([]);
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
  ])('refuses %j', (change, message) => {
    expect(() => settings({ ...REQUIRED_CONTEXT, ...change })).toThrow(message);
  });
});
