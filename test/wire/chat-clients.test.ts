/**
 * The exact requests that the widely used chat clients send, and what they read from the answer.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectStarted, lastForwarded } from '../support/expectations.ts';
import { baseEnv, FLOW_ID, type Handler, INSTANCE_ID, invoke, loadHandler, ORIGIN } from '../support/handler.ts';

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  handler = await loadHandler({ ...baseEnv(standIn.url), ALLOWED_ATTRIBUTE_KEYS: 'customerName' });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

function request(url: string, headers: Record<string, string>, body: string) {
  return toApiGatewayProxyEvent({ method: 'POST', url, headers, body }, { resource: url === '/prod/' ? '/' : '/chat' });
}

/** What ChatInterface, the hosted widget's customStartChat and the mobile samples read. */
function expectClientsCanRead(answer: Awaited<ReturnType<typeof invoke>>) {
  expectStarted(answer);
  const { startChatResult, featurePermissions } = answer.json.data;
  expect(Object.keys(startChatResult).sort()).toEqual(['ContactId', 'ParticipantId', 'ParticipantToken']);
  expect(featurePermissions).toEqual({ MESSAGING_MARKDOWN: true, ATTACHMENTS: false });
}

test('ChatInterface.initiateChat: fetch with no Content-Type (text/plain), Username, object attributes', async () => {
  const body = JSON.stringify({
    InstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    ParticipantDetails: { DisplayName: 'Ada' },
    Username: 'ada',
    Attributes: { customerName: 'Ada' },
    InitialMessage: { ContentType: 'text/plain', Content: 'Hello' },
    SupportedMessagingContentTypes: 'text/plain,text/markdown'.split(','),
    ChatDurationInMinutes: 60,
  });
  const answer = await invoke(
    handler,
    request('/prod/chat', { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN }, body),
  );
  expectClientsCanRead(answer);
  expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  expect(lastForwarded(standIn)).toMatchObject({
    InstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    Attributes: { customerName: 'Ada' },
    InitialMessage: { ContentType: 'text/plain', Content: 'Hello' },
  });
});

test('the older ChatInterface: attributes as a JSON string', async () => {
  const body = JSON.stringify({
    InstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    ParticipantDetails: { DisplayName: 'Ada' },
    Attributes: JSON.stringify({ customerName: 'Ada' }),
  });
  const answer = await invoke(
    handler,
    request('/prod/chat', { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN }, body),
  );
  expectClientsCanRead(answer);
  expect(lastForwarded(standIn).Attributes).toEqual({ customerName: 'Ada' });
});

test('the jQuery sample: form-encoded Content-Type with a JSON body', async () => {
  const body = JSON.stringify({ ContactFlowId: FLOW_ID, ParticipantDetails: { DisplayName: 'Ada' } });
  const answer = await invoke(
    handler,
    request(
      '/prod/chat',
      {
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
        'X-Requested-With': 'XMLHttpRequest',
        Origin: ORIGIN,
      },
      body,
    ),
  );
  expectClientsCanRead(answer);
});

test('the Android sample: JSON posted to the stage root with a trailing slash', async () => {
  const body = JSON.stringify({
    InstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    ParticipantDetails: { DisplayName: 'Ada' },
  });
  const event = request(
    '/prod/',
    { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'okhttp/4.12.0' },
    body,
  );
  expect(event.resource).toBe('/');
  const answer = await invoke(handler, event);
  expectClientsCanRead(answer);
});

test('the iOS sample: ConnectInstanceId and Content-Encoding amz-1.0', async () => {
  const body = JSON.stringify({
    ConnectInstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    ParticipantDetails: { DisplayName: 'Ada' },
  });
  const answer = await invoke(
    handler,
    request('/prod/chat', { 'Content-Type': 'application/json', 'Content-Encoding': 'amz-1.0' }, body),
  );
  expectClientsCanRead(answer);
  expect(lastForwarded(standIn).InstanceId).toBe(INSTANCE_ID);
});
