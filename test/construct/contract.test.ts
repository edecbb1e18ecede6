/**
 * The construct and the handler agree: lib/ keeps its own copy of the handler's variable names, defaults
 * and rules (it may not import lambda/), so these tests hold the two copies together, and the environment
 * a template gives the function is one the handler's configuration loader accepts as meant.
 */
import { describe, expect, test } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import {
  API_GATEWAY_TIMEOUT_MS,
  CHAT_DURATION_MINUTES,
  DEFAULTS as HANDLER_DEFAULTS,
  ENV,
  loadConfig,
  normalizeOrigin as handlerNormalizeOrigin,
} from '../../lambda/config.ts';
import { normalizeOrigin } from '../../lib/allowed-origins.ts';
import { DEFAULTS, LIMITS } from '../../lib/defaults.ts';
import { HANDLER_ENV } from '../../lib/handler-environment.ts';
import { FLOW_ID, INSTANCE_ARN, INSTANCE_ID, ORIGIN, OTHER_FLOW_ID, REGION, onlyResource, synthChat } from '../support/construct.ts';

test('the construct names the variables the handler reads', () => {
  expect(HANDLER_ENV).toEqual(ENV);
});

test('the construct’s defaults and limits are the handler’s', () => {
  expect(DEFAULTS.maxChatDurationMinutes).toBe(HANDLER_DEFAULTS.maxChatDurationMinutes);
  expect(DEFAULTS.maxBodyBytes).toBe(HANDLER_DEFAULTS.maxBodyBytes);
  expect(DEFAULTS.retryBudget.toMilliseconds()).toBe(HANDLER_DEFAULTS.retryBudgetMs);
  expect(LIMITS.chatDurationMinutes).toEqual({ min: CHAT_DURATION_MINUTES.min, max: CHAT_DURATION_MINUTES.max });
  expect(LIMITS.retryBudgetMs.max).toBe(API_GATEWAY_TIMEOUT_MS);
});

test.each([
  'https://www.example.com',
  'HTTPS://WWW.EXAMPLE.COM:443/',
  'http://localhost:3000',
  'https://[::1]:8443',
  'https://example.com/path',
  'https://user@example.com',
  'ftp://example.com',
  'https://example.com?x=1',
  'not a url',
])('origins are normalized alike: %s', (origin) => {
  expect(normalizeOrigin(origin)).toBe(handlerNormalizeOrigin(origin));
});

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
