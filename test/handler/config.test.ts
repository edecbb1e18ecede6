/**
 * A missing or malformed setting fails loudly when the function starts, naming the variable, instead of
 * answering requests wrongly.
 */
import { describe, expect, test } from '@jest/globals';
import { baseEnv, INSTANCE_ID, loadHandler } from '../support/handler.ts';

const STAND_IN = 'http://127.0.0.1:9';

describe('refuses to start', () => {
  test.each([
    ['without an instance', { CONNECT_INSTANCE_ID: undefined }, /CONNECT_INSTANCE_ID is required/],
    ['without a contact flow', { CONNECT_CONTACT_FLOW_ID: undefined }, /CONNECT_CONTACT_FLOW_ID is required/],
    ['without ALLOWED_ORIGINS', { ALLOWED_ORIGINS: undefined }, /ALLOWED_ORIGINS is required/],
    [
      'with an instance ARN',
      { CONNECT_INSTANCE_ID: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` },
      /CONNECT_INSTANCE_ID must be the Amazon Connect instance ID, not an ARN/,
    ],
    ['with a malformed flow id', { CONNECT_CONTACT_FLOW_ID: 'flow id' }, /CONNECT_CONTACT_FLOW_ID must be/],
    [
      'with an instance id that is not a UUID, as the construct refuses it too',
      { CONNECT_INSTANCE_ID: 'my-instance' },
      /CONNECT_INSTANCE_ID must be the Amazon Connect instance ID, a UUID such as "11111111-2222-4333-8444-555555555555", as Amazon Connect shows it \(got "my-instance"\)/,
    ],
    [
      'with a flow name where its id belongs',
      { CONNECT_CONTACT_FLOW_ID: 'Sample_inbound_flow' },
      /CONNECT_CONTACT_FLOW_ID must be the contact flow ID, a UUID/,
    ],
    [
      'with a malformed extra flow',
      { CONNECT_ALLOWED_CONTACT_FLOW_IDS: 'ok-1,not ok' },
      /CONNECT_ALLOWED_CONTACT_FLOW_IDS/,
    ],
    [
      'with an origin that has a path',
      { ALLOWED_ORIGINS: 'https://example.com/chat' },
      /ALLOWED_ORIGINS has "https:\/\/example.com\/chat"/,
    ],
    ['with * among origins', { ALLOWED_ORIGINS: '*,https://example.com' }, /ALLOWED_ORIGINS must be "\*" alone/],
    [
      'with a flag that is not true or false',
      { ALLOW_PERSISTENT_CHAT: 'yes' },
      /ALLOW_PERSISTENT_CHAT must be "true" or "false"/,
    ],
    [
      'with a duration cap below 60',
      { MAX_CHAT_DURATION_MINUTES: '59' },
      /MAX_CHAT_DURATION_MINUTES must be a whole number from 60 to 10080/,
    ],
    ['with a non-numeric duration cap', { MAX_CHAT_DURATION_MINUTES: '2h' }, /MAX_CHAT_DURATION_MINUTES/],
    [
      'with server attributes that are not JSON',
      { SERVER_ATTRIBUTES: '{channel:web}' },
      /SERVER_ATTRIBUTES must be a JSON object/,
    ],
    [
      'with a non-string server attribute',
      { SERVER_ATTRIBUTES: '{"tier":1}' },
      /SERVER_ATTRIBUTES has a non-string value for "tier"/,
    ],
    [
      'with a bad attribute key',
      { ALLOWED_ATTRIBUTE_KEYS: 'topic,my key' },
      /ALLOWED_ATTRIBUTE_KEYS has the key "my key"/,
    ],
    [
      'with a retry budget past API Gateway’s limit',
      { CONNECT_RETRY_BUDGET_MS: '60000' },
      /CONNECT_RETRY_BUDGET_MS must be a whole number from 1000 to 29000/,
    ],
    ['with a body limit below 1 KiB', { MAX_BODY_BYTES: '10' }, /MAX_BODY_BYTES/],
    [
      'with the reserved metrics namespace AWS/',
      { POWERTOOLS_METRICS_NAMESPACE: 'AWS/Connect' },
      /POWERTOOLS_METRICS_NAMESPACE must be a CloudWatch namespace.*\(got "AWS\/Connect"\)/,
    ],
    [
      'with a metrics namespace holding characters CloudWatch refuses',
      { POWERTOOLS_METRICS_NAMESPACE: 'Chat$Api' },
      /POWERTOOLS_METRICS_NAMESPACE must be a CloudWatch namespace/,
    ],
    [
      'with a metrics switch that is not true or false',
      { POWERTOOLS_METRICS_DISABLED: 'off' },
      /POWERTOOLS_METRICS_DISABLED must be "true" or "false"/,
    ],
  ])('%s', async (_name, change, message) => {
    // Arrange
    const env = { ...baseEnv(STAND_IN), ...change };
    // Act / Assert
    await expect(loadHandler(env)).rejects.toThrow(message);
  });
});

test('starts with the required settings alone', async () => {
  const handler = await loadHandler(baseEnv(STAND_IN));
  expect(typeof handler).toBe('function');
});
