/**
 * The deployer's policy: safe defaults (nothing optional accepted unless enabled), the attribute
 * allow-list, server-set attributes, the duration cap, the default display name and the feature flags.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectRejected, expectStarted, lastForwarded } from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';

let standIn: ConnectStandIn;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

describe('with only the required settings', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler(baseEnv(standIn.url));
  });

  test('starts a chat from a display name alone', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expectStarted(answer);
    expect(answer.json.data.featurePermissions).toEqual({ MESSAGING_MARKDOWN: true, ATTACHMENTS: false });
  });

  test('accepts no client attributes', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody({ Attributes: { topic: 'x' } }) }));
    expectRejected(answer, 'Attributes.topic', standIn, 0);
    expect(answer.json.error.details[0].message).toMatch(/accepts no client attributes/);
  });

  test('accepts an empty attribute object', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody({ Attributes: {} }) }));
    expectStarted(answer);
    expect(lastForwarded(standIn)).not.toHaveProperty('Attributes');
  });

  test.each([
    ['PersistentChat', { PersistentChat: { RehydrationType: 'FROM_SEGMENT', SourceContactId: 'c-1' } }],
    ['RelatedContactId', { RelatedContactId: 'c-1' }],
    ['CustomerId', { CustomerId: 'customer-1' }],
    ['SegmentAttributes', { SegmentAttributes: { tier: { ValueString: 'gold' } } }],
  ])('refuses %s, which the deployer has not enabled', async (field, extra) => {
    const answer = await invoke(handler, chatEvent({ body: chatBody(extra) }));
    expectRejected(answer, field, standIn, 0);
    expect(answer.json.error.details[0].message).toMatch(/not accepted by this endpoint/);
  });

  test('refuses a client that marks itself authenticated', async () => {
    const SegmentAttributes = { 'connect:CustomerAuthentication': { ValueString: 'AUTHENTICATED' } };
    const answer = await invoke(handler, chatEvent({ body: chatBody({ SegmentAttributes }) }));
    expectRejected(answer, 'SegmentAttributes', standIn, 0);
  });

  test('caps ChatDurationInMinutes at Connect’s default of 1,500', async () => {
    const accepted = await invoke(handler, chatEvent({ body: chatBody({ ChatDurationInMinutes: 1_500 }) }));
    const refused = await invoke(handler, chatEvent({ body: chatBody({ ChatDurationInMinutes: 1_501 }) }));
    expectStarted(accepted);
    expectRejected(refused, 'ChatDurationInMinutes');
  });

  test('requires a display name', async () => {
    const answer = await invoke(handler, chatEvent({ body: {} }));
    expectRejected(answer, 'ParticipantDetails', standIn, 0);
  });
});

describe('with a deployer policy', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler({
      ...baseEnv(standIn.url),
      ALLOWED_ATTRIBUTE_KEYS: 'topic, lang',
      SERVER_ATTRIBUTES: JSON.stringify({ channel: 'web', topic: 'set-by-server' }),
      MAX_CHAT_DURATION_MINUTES: '120',
      DEFAULT_DISPLAY_NAME: 'Customer',
      ATTACHMENTS_ENABLED: 'true',
    });
  });

  test('adds server attributes, which win over the client’s', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody({ Attributes: { topic: 'mine', lang: 'fr' } }) }));
    expectStarted(answer);
    expect(lastForwarded(standIn).Attributes).toEqual({ topic: 'set-by-server', lang: 'fr', channel: 'web' });
  });

  test('adds server attributes when the client sends none', async () => {
    await invoke(handler, chatEvent({ body: chatBody() }));
    expect(lastForwarded(standIn).Attributes).toEqual({ channel: 'web', topic: 'set-by-server' });
  });

  test('lists the accepted keys when a key is refused', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody({ Attributes: { role: 'admin' } }) }));
    expectRejected(answer, 'Attributes.role', standIn, 0);
    expect(answer.json.error.details[0].message).toMatch(/accepted: topic, lang/);
  });

  test('refuses client attributes that, with the server’s, pass 32,768 bytes', async () => {
    const answer = await invoke(
      handler,
      chatEvent({ body: chatBody({ Attributes: { lang: 'x'.repeat(32_768 - 'lang'.length) } }) }),
    );
    expectRejected(answer, 'Attributes', standIn, 0);
  });

  test('caps ChatDurationInMinutes at the deployer’s maximum', async () => {
    const accepted = await invoke(handler, chatEvent({ body: chatBody({ ChatDurationInMinutes: 120 }) }));
    const refused = await invoke(handler, chatEvent({ body: chatBody({ ChatDurationInMinutes: 121 }) }));
    expectStarted(accepted);
    expectRejected(refused, 'ChatDurationInMinutes');
    expect(refused.json.error.details[0].message).toMatch(/60 to 120/);
  });

  test('uses the default display name when the request has none', async () => {
    const answer = await invoke(handler, chatEvent({ body: {} }));
    expectStarted(answer);
    expect(lastForwarded(standIn).ParticipantDetails).toEqual({ DisplayName: 'Customer' });
  });

  test('prefers the request’s display name', async () => {
    await invoke(handler, chatEvent({ body: chatBody() }));
    expect(lastForwarded(standIn).ParticipantDetails).toEqual({ DisplayName: 'Ada' });
  });

  test('still refuses a blank display name', async () => {
    const answer = await invoke(handler, chatEvent({ body: { ParticipantDetails: { DisplayName: ' ' } } }));
    expectRejected(answer, 'ParticipantDetails.DisplayName', standIn, 0);
  });

  test('reports the attachments flag in featurePermissions', async () => {
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expect(answer.json.data.featurePermissions).toEqual({ MESSAGING_MARKDOWN: true, ATTACHMENTS: true });
  });
});
