/**
 * The construct and the handler agree: both take the variable names, defaults and rules from
 * lib/handler-contract.ts, and the environment a template gives the function is one the handler's
 * configuration loader accepts as meant.
 */
import { describe, expect, test } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import { loadConfig } from '../../lambda/config.ts';
import {
  FLOW_ID,
  INSTANCE_ARN,
  INSTANCE_ID,
  ORIGIN,
  OTHER_FLOW_ID,
  onlyResource,
  REGION,
  synthChat,
} from '../support/construct.ts';

describe('the template’s environment, read by the handler’s configuration loader', () => {
  function loaded(props: Parameters<typeof synthChat>[0]) {
    return loadConfig(onlyResource(synthChat(props), 'AWS::Lambda::Function').Properties.Environment.Variables);
  }

  test('the defaults', () => {
    const config = loaded({});
    expect(config).toMatchObject({
      instanceId: INSTANCE_ID,
      contactFlowId: FLOW_ID,
      allowedContactFlowIds: new Set([FLOW_ID]),
      region: undefined,
      allowedOrigins: new Set([ORIGIN]),
      allowedAttributeKeys: new Set(),
      serverAttributes: {},
      maxChatDurationMinutes: 1_500,
      allowPersistentChat: false,
      defaultDisplayName: undefined,
      attachmentsEnabled: false,
      maxBodyBytes: 131_072,
      retry: expect.objectContaining({ budgetMs: 25_000 }),
    });
  });

  test('every setting', () => {
    const config = loaded({
      instanceId: INSTANCE_ARN,
      contactFlowId: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}`,
      allowedContactFlowIds: [OTHER_FLOW_ID],
      allowedOrigins: ['*'],
      allowedAttributeKeys: ['topic'],
      serverAttributes: { channel: 'web' },
      maxChatDurationMinutes: 10_080,
      allowPersistentChat: true,
      allowRelatedContact: true,
      allowCustomerId: true,
      allowSegmentAttributes: true,
      defaultDisplayName: 'Visitor',
      attachmentsEnabled: true,
      maxBodyBytes: 2_048,
      retryBudget: Duration.seconds(10),
    });
    expect(config).toMatchObject({
      instanceId: INSTANCE_ID,
      contactFlowId: FLOW_ID,
      allowedContactFlowIds: new Set([FLOW_ID, OTHER_FLOW_ID]),
      region: REGION,
      allowedOrigins: '*',
      allowedAttributeKeys: new Set(['topic']),
      serverAttributes: { channel: 'web' },
      maxChatDurationMinutes: 10_080,
      allowPersistentChat: true,
      allowRelatedContact: true,
      allowCustomerId: true,
      allowSegmentAttributes: true,
      defaultDisplayName: 'Visitor',
      attachmentsEnabled: true,
      maxBodyBytes: 2_048,
      retry: expect.objectContaining({ budgetMs: 10_000 }),
    });
  });

  test('no browser origin', () => {
    expect(loaded({ allowedOrigins: [] }).allowedOrigins).toEqual(new Set());
  });
});
