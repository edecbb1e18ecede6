/**
 * Every field rule of the HTTP contract, each with a passing and a failing case, through the real handler
 * and the real SDK against the Connect stand-in. A failing case must name the field and never reach Connect.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectRejected, expectStarted, lastForwarded } from '../support/expectations.ts';
import {
  baseEnv,
  chatBody,
  chatEvent,
  FLOW_ID,
  type Handler,
  INSTANCE_ID,
  invoke,
  loadHandler,
  OTHER_FLOW_ID,
} from '../support/handler.ts';

const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
const INTERACTIVE_RESPONSE = 'application/vnd.amazonaws.connect.message.interactive.response';

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  // Everything optional enabled, so each field's own rules are what is tested here.
  handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_ALLOWED_CONTACT_FLOW_IDS: OTHER_FLOW_ID,
    ALLOWED_ATTRIBUTE_KEYS: 'topic,orderId,lang',
    MAX_CHAT_DURATION_MINUTES: '10080',
    ALLOW_PERSISTENT_CHAT: 'true',
    ALLOW_RELATED_CONTACT: 'true',
    ALLOW_CUSTOMER_ID: 'true',
    ALLOW_SEGMENT_ATTRIBUTES: 'true',
  });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

async function send(extra: Record<string, unknown>, headers?: Record<string, string>) {
  return invoke(handler, chatEvent({ body: chatBody(extra), ...(headers && { headers }) }));
}

async function sendRaw(body: string) {
  return invoke(handler, chatEvent({ body }));
}

describe('ParticipantDetails.DisplayName', () => {
  test('is forwarded trimmed', async () => {
    // Arrange / Act
    const answer = await send({ ParticipantDetails: { DisplayName: '  Ada Lovelace  ' } });
    // Assert
    expectStarted(answer);
    expect(lastForwarded(standIn).ParticipantDetails).toEqual({ DisplayName: 'Ada Lovelace' });
  });

  test('accepts 256 characters counted as code points', async () => {
    const answer = await send({ ParticipantDetails: { DisplayName: '😀'.repeat(256) } });
    expectStarted(answer);
  });

  test.each([
    ['missing ParticipantDetails', { ParticipantDetails: undefined }, 'ParticipantDetails'],
    ['missing DisplayName', { ParticipantDetails: {} }, 'ParticipantDetails.DisplayName'],
    ['blank', { ParticipantDetails: { DisplayName: '   ' } }, 'ParticipantDetails.DisplayName'],
    ['257 characters', { ParticipantDetails: { DisplayName: 'a'.repeat(257) } }, 'ParticipantDetails.DisplayName'],
    ['a control character', { ParticipantDetails: { DisplayName: 'Ada\u0007' } }, 'ParticipantDetails.DisplayName'],
    ['a newline', { ParticipantDetails: { DisplayName: 'Ada\nLovelace' } }, 'ParticipantDetails.DisplayName'],
    ['a number', { ParticipantDetails: { DisplayName: 42 } }, 'ParticipantDetails.DisplayName'],
    ['a lone surrogate', { ParticipantDetails: { DisplayName: 'Ada\ud800' } }, 'ParticipantDetails.DisplayName'],
    ['an extra field', { ParticipantDetails: { DisplayName: 'Ada', Email: 'a@b.c' } }, 'ParticipantDetails.Email'],
    ['not an object', { ParticipantDetails: ['Ada'] }, 'ParticipantDetails'],
  ])('rejects %s', async (_name, extra, field) => {
    const answer = await send(extra);
    expectRejected(answer, field, standIn);
  });
});

describe('Attributes', () => {
  test('accepts an object of allowed string values', async () => {
    const answer = await send({ Attributes: { topic: 'billing', lang: '' } });
    expectStarted(answer);
    expect(lastForwarded(standIn).Attributes).toEqual({ topic: 'billing', lang: '' });
  });

  test('accepts a JSON string of such an object', async () => {
    const answer = await send({ Attributes: JSON.stringify({ orderId: '42' }) });
    expectStarted(answer);
    expect(lastForwarded(standIn).Attributes).toEqual({ orderId: '42' });
  });

  test('accepts exactly 32,768 UTF-8 bytes over keys and values', async () => {
    const answer = await send({ Attributes: { topic: 'x'.repeat(32_768 - 'topic'.length) } });
    expectStarted(answer);
  });

  test.each([
    ['a string that is not JSON', { Attributes: '{topic' }, 'Attributes'],
    ['a list', { Attributes: ['topic'] }, 'Attributes'],
    ['a non-string value', { Attributes: { topic: 5 } }, 'Attributes.topic'],
    ['a key with a space', { Attributes: { 'my topic': 'x' } }, 'Attributes.my topic'],
    ['a key not on the allow-list', { Attributes: { secretFlag: 'x' } }, 'Attributes.secretFlag'],
    [
      'more than 32,768 bytes in all',
      { Attributes: { topic: 'x'.repeat(16_400), orderId: 'y'.repeat(16_400) } },
      'Attributes',
    ],
    ['more than 32,768 bytes of multi-byte text', { Attributes: { topic: 'é'.repeat(16_382) } }, 'Attributes'],
  ])('rejects %s', async (_name, extra, field) => {
    const answer = await send(extra);
    expectRejected(answer, field, standIn);
  });
});

describe('InitialMessage', () => {
  test.each([
    ['text/plain', 1_024],
    ['text/markdown', 1_024],
    ['application/json', 12_000],
    [INTERACTIVE_RESPONSE, 12_288],
  ])('accepts %s at its limit of %i characters', async (ContentType, limit) => {
    const answer = await send({ InitialMessage: { ContentType, Content: 'x'.repeat(limit) } });
    expectStarted(answer);
    expect(lastForwarded(standIn).InitialMessage).toEqual({ ContentType, Content: 'x'.repeat(limit) });
  });

  test.each([
    ['text/plain', 1_024],
    ['text/markdown', 1_024],
    ['application/json', 12_000],
    [INTERACTIVE_RESPONSE, 12_288],
  ])('rejects %s over its limit of %i characters', async (ContentType, limit) => {
    const answer = await send({ InitialMessage: { ContentType, Content: 'x'.repeat(limit + 1) } });
    expectRejected(answer, 'InitialMessage.Content', standIn);
  });

  test.each([
    ['an unknown content type', { ContentType: 'text/html', Content: 'hi' }, 'InitialMessage.ContentType'],
    ['no content', { ContentType: 'text/plain' }, 'InitialMessage.Content'],
    ['blank content', { ContentType: 'text/plain', Content: '  ' }, 'InitialMessage.Content'],
    ['an extra field', { ContentType: 'text/plain', Content: 'hi', Sender: 'me' }, 'InitialMessage.Sender'],
  ])('rejects %s', async (_name, InitialMessage, field) => {
    const answer = await send({ InitialMessage });
    expectRejected(answer, field, standIn);
  });
});

describe('ChatDurationInMinutes', () => {
  test.each([60, 10_080])('accepts %i', async (minutes) => {
    const answer = await send({ ChatDurationInMinutes: minutes });
    expectStarted(answer);
    expect(lastForwarded(standIn).ChatDurationInMinutes).toBe(minutes);
  });

  test.each([59, 10_081, 90.5, '120', null])('rejects %p', async (minutes) => {
    const answer = await send({ ChatDurationInMinutes: minutes });
    expectRejected(answer, 'ChatDurationInMinutes', standIn);
  });
});

describe('SupportedMessagingContentTypes', () => {
  test('accepts all five documented types', async () => {
    const types = ['text/plain', 'text/markdown', 'application/json', INTERACTIVE, INTERACTIVE_RESPONSE];
    const answer = await send({ SupportedMessagingContentTypes: types });
    expectStarted(answer);
    expect(lastForwarded(standIn).SupportedMessagingContentTypes).toEqual(types);
  });

  test.each([
    ['no text/plain', ['text/markdown'], 'SupportedMessagingContentTypes'],
    ['a repeated type', ['text/plain', 'text/plain'], 'SupportedMessagingContentTypes'],
    ['an undocumented type', ['text/plain', 'image/png'], 'SupportedMessagingContentTypes.1'],
    ['a string instead of a list', 'text/plain', 'SupportedMessagingContentTypes'],
  ])('rejects %s', async (_name, types, field) => {
    const answer = await send({ SupportedMessagingContentTypes: types });
    expectRejected(answer, field, standIn);
  });
});

describe('PersistentChat', () => {
  test('is forwarded and the answer carries ContinuedFromContactId', async () => {
    const PersistentChat = { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: 'past-contact-1' };
    const answer = await send({ PersistentChat });
    expectStarted(answer);
    expect(lastForwarded(standIn).PersistentChat).toEqual(PersistentChat);
    expect(answer.json.data.startChatResult.ContinuedFromContactId).toBe('past-contact-1');
  });

  test.each([
    ['no SourceContactId', { RehydrationType: 'FROM_SEGMENT' }, 'PersistentChat.SourceContactId'],
    ['no RehydrationType', { SourceContactId: 'c-1' }, 'PersistentChat.RehydrationType'],
    [
      'an unknown RehydrationType',
      { RehydrationType: 'ALL', SourceContactId: 'c-1' },
      'PersistentChat.RehydrationType',
    ],
  ])('rejects %s', async (_name, PersistentChat, field) => {
    const answer = await send({ PersistentChat });
    expectRejected(answer, field, standIn);
  });

  test('rejects being combined with RelatedContactId', async () => {
    const answer = await send({
      PersistentChat: { RehydrationType: 'FROM_SEGMENT', SourceContactId: 'c-1' },
      RelatedContactId: 'c-2',
    });
    expectRejected(answer, 'PersistentChat', standIn);
  });
});

describe('RelatedContactId and CustomerId', () => {
  test('are forwarded', async () => {
    const answer = await send({ RelatedContactId: 'c-2', CustomerId: 'customer-7' });
    expectStarted(answer);
    expect(lastForwarded(standIn)).toMatchObject({ RelatedContactId: 'c-2', CustomerId: 'customer-7' });
  });

  test.each([
    ['an empty RelatedContactId', { RelatedContactId: '' }, 'RelatedContactId'],
    ['a 257-character RelatedContactId', { RelatedContactId: 'c'.repeat(257) }, 'RelatedContactId'],
    ['a 129-character CustomerId', { CustomerId: 'c'.repeat(129) }, 'CustomerId'],
    ['a numeric CustomerId', { CustomerId: 7 }, 'CustomerId'],
  ])('rejects %s', async (_name, extra, field) => {
    const answer = await send(extra);
    expectRejected(answer, field, standIn);
  });
});

describe('SegmentAttributes', () => {
  const guide = { 'connect:Subtype': { ValueString: 'connect:Guide' } };

  test('accepts connect:Guide with both interactive content types', async () => {
    const answer = await send({
      SegmentAttributes: guide,
      SupportedMessagingContentTypes: ['text/plain', INTERACTIVE, INTERACTIVE_RESPONSE],
    });
    expectStarted(answer);
    expect(lastForwarded(standIn).SegmentAttributes).toEqual(guide);
  });

  test('rejects connect:Guide without the interactive content types', async () => {
    const answer = await send({ SegmentAttributes: guide, SupportedMessagingContentTypes: ['text/plain'] });
    expectRejected(answer, 'SupportedMessagingContentTypes', standIn);
  });

  test.each([
    ['connect:CustomerAuthentication', { ValueMap: { Status: { ValueString: 'AUTHENTICATED' } } }],
    ['connect:CustomerAuthentication', { ValueString: 'AUTHENTICATED' }],
    ['Connect:customerauthentication', { ValueString: 'AUTHENTICATED' }],
    [' connect:CustomerAuthentication', { ValueString: 'AUTHENTICATED' }],
    ['connect:ContactType', { ValueString: 'x' }],
    ['connect:Subtype ', { ValueString: 'connect:Guide' }],
  ])(
    'refuses the system key "%s": only the server sets connect: keys other than connect:Subtype',
    async (key, value) => {
      // Arrange
      const body = { SegmentAttributes: { [key]: value, tier: { ValueString: 'gold' } } };
      // Act
      const answer = await send(body);
      // Assert
      expectRejected(answer, `SegmentAttributes.${key}`, standIn);
      const detail = answer.json.error.details.find((d: { field: string }) => d.field === `SegmentAttributes.${key}`);
      expect(detail.message).toMatch(/only the server sets/);
    },
  );

  test('accepts keys that only contain "connect" elsewhere', async () => {
    const SegmentAttributes = { 'x-connect:tier': { ValueString: 'gold' }, connectTier: { ValueString: 'gold' } };
    const answer = await send({ SegmentAttributes });
    expectStarted(answer);
    expect(lastForwarded(standIn).SegmentAttributes).toEqual(SegmentAttributes);
  });

  test.each([
    [
      'a ValueString over 1,024 characters',
      { tier: { ValueString: 'x'.repeat(1_025) } },
      'SegmentAttributes.tier.ValueString',
    ],
    ['both value kinds', { tier: { ValueString: 'a', ValueInteger: 1 } }, 'SegmentAttributes.tier'],
    ['no value', { tier: {} }, 'SegmentAttributes.tier'],
    ['a key over 128 characters', { ['k'.repeat(129)]: { ValueString: 'a' } }, `SegmentAttributes.${'k'.repeat(129)}`],
    ['a value kind not accepted here', { tier: { ValueArn: 'arn:aws:x' } }, 'SegmentAttributes.tier.ValueArn'],
  ])('rejects %s', async (_name, SegmentAttributes, field) => {
    const answer = await send({ SegmentAttributes });
    expectRejected(answer, field, standIn);
  });
});

describe('ParticipantConfiguration.ResponseMode', () => {
  test.each(['INCREMENTAL', 'COMPLETE'])('accepts %s', async (ResponseMode) => {
    const answer = await send({ ParticipantConfiguration: { ResponseMode } });
    expectStarted(answer);
    expect(lastForwarded(standIn).ParticipantConfiguration).toEqual({ ResponseMode });
  });

  test('rejects any other mode', async () => {
    const answer = await send({ ParticipantConfiguration: { ResponseMode: 'STREAMING' } });
    expectRejected(answer, 'ParticipantConfiguration.ResponseMode', standIn);
  });
});

describe('DisconnectOnCustomerExit', () => {
  test('accepts exactly ["AGENT"]', async () => {
    const answer = await send({ DisconnectOnCustomerExit: ['AGENT'] });
    expectStarted(answer);
    expect(lastForwarded(standIn).DisconnectOnCustomerExit).toEqual(['AGENT']);
  });

  test.each([
    [['CUSTOMER'], 'DisconnectOnCustomerExit.0'],
    [['AGENT', 'AGENT'], 'DisconnectOnCustomerExit'],
    [[], 'DisconnectOnCustomerExit'],
    ['AGENT', 'DisconnectOnCustomerExit'],
  ])('rejects %p', async (value, field) => {
    const answer = await send({ DisconnectOnCustomerExit: value });
    expectRejected(answer, field, standIn);
  });
});

describe('ClientToken and the Idempotency-Key header', () => {
  test('forwards the body token', async () => {
    const answer = await send({ ClientToken: 'token-1' });
    expectStarted(answer);
    expect(lastForwarded(standIn).ClientToken).toBe('token-1');
  });

  test('forwards the header token', async () => {
    const answer = await send({}, { 'idempotency-key': 'header-token-1' });
    expectStarted(answer);
    expect(lastForwarded(standIn).ClientToken).toBe('header-token-1');
  });

  test('makes a fresh token when the client sends none', async () => {
    await send({});
    await send({});
    const [first, second] = standIn.startChatCalls().map((call) => call.body?.ClientToken);
    expect(first).toEqual(expect.any(String));
    expect(first).not.toBe(second);
  });

  test('returns the same chat for the same token', async () => {
    const first = await send({ ClientToken: 'same-token' });
    const second = await send({}, { 'Idempotency-Key': 'same-token' });
    expectStarted(first);
    expect(second.json.data.startChatResult).toEqual(first.json.data.startChatResult);
  });

  test.each([
    ['an empty token', { ClientToken: '' }, {}, 'ClientToken'],
    ['a 501-character token', { ClientToken: 't'.repeat(501) }, {}, 'ClientToken'],
    ['a body token that differs from the header', { ClientToken: 'a' }, { 'Idempotency-Key': 'b' }, 'ClientToken'],
    ['a 501-character header', {}, { 'Idempotency-Key': 'h'.repeat(501) }, 'Idempotency-Key'],
  ])('rejects %s', async (_name, extra, headers, field) => {
    const answer = await send(extra, headers);
    expectRejected(answer, field, standIn);
  });
});

describe('InstanceId, ConnectInstanceId, ContactFlowId and Username', () => {
  test('tolerates the configured instance under either name, and ignores Username', async () => {
    const answer = await send({ InstanceId: INSTANCE_ID, ConnectInstanceId: INSTANCE_ID, Username: 'ada' });
    expectStarted(answer);
    const forwarded = lastForwarded(standIn);
    expect(forwarded.InstanceId).toBe(INSTANCE_ID);
    expect(forwarded).not.toHaveProperty('Username');
    expect(forwarded).not.toHaveProperty('ConnectInstanceId');
  });

  test('uses the default flow when none is named', async () => {
    await send({});
    expect(lastForwarded(standIn).ContactFlowId).toBe(FLOW_ID);
  });

  test('forwards a flow from the allow-list', async () => {
    const answer = await send({ ContactFlowId: OTHER_FLOW_ID });
    expectStarted(answer);
    expect(lastForwarded(standIn).ContactFlowId).toBe(OTHER_FLOW_ID);
  });

  test.each([
    ['another instance', { InstanceId: '99999999-2222-4333-8444-555555555555' }, 'InstanceId'],
    ['another instance as ConnectInstanceId', { ConnectInstanceId: 'other' }, 'ConnectInstanceId'],
    ['an instance ARN', { InstanceId: `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}` }, 'InstanceId'],
    ['a flow not on the allow-list', { ContactFlowId: '99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee' }, 'ContactFlowId'],
  ])('rejects %s and never forwards it', async (_name, extra, field) => {
    const answer = await send(extra);
    expectRejected(answer, field, standIn, 0);
  });
});

describe('unknown and reserved fields', () => {
  test('lists every unknown top-level field by name', async () => {
    const answer = await send({ Foo: 1, Bar: 'x' });
    expectRejected(answer, 'Foo', standIn);
    expectRejected(answer, 'Bar', standIn);
  });

  test.each([
    ['constructor', '{"ParticipantDetails":{"DisplayName":"Ada"},"constructor":"x"}', 'constructor'],
    ['__proto__', '{"ParticipantDetails":{"DisplayName":"Ada"},"__proto__":{"polluted":true}}', '__proto__'],
    [
      'a nested __proto__',
      '{"ParticipantDetails":{"DisplayName":"Ada"},"Attributes":{"__proto__":"x"}}',
      'Attributes.__proto__',
    ],
  ])('rejects %s', async (_name, body, field) => {
    const answer = await sendRaw(body);
    expectRejected(answer, field, standIn);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('lists every problem at once', async () => {
    const answer = await send({
      ParticipantDetails: { DisplayName: '' },
      ChatDurationInMinutes: 5,
      InitialMessage: { ContentType: 'text/html', Content: 'x' },
      Extra: true,
    });
    for (const field of [
      'ParticipantDetails.DisplayName',
      'ChatDurationInMinutes',
      'InitialMessage.ContentType',
      'Extra',
    ]) {
      expectRejected(answer, field, standIn);
    }
  });

  test('caps the list of problems so that a hostile body cannot make a huge answer', async () => {
    const extra = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`Unknown${i}`, i]));
    const answer = await send(extra);
    expect(answer.statusCode).toBe(400);
    expect(answer.json.error.details.length).toBeLessThanOrEqual(25);
    expect(answer.json.error.details.at(-1).message).toMatch(/more problems/);
  });
});
