/**
 * How a sandbox chat lives and ends, through the real amazon-connect-chatjs: a dropped socket is
 * re-established and the conversation goes on; a chat past its ChatDurationInMinutes ends for both sides;
 * a chat whose customer never connects ends after Connect's window; a persistent chat sees the transcript
 * of the chat it continues. Time is shortened: a "minute" lasts 20 ms and the agent answers within 0.1 s.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { LocalApi } from '../../local/local-api.ts';
import { FAST_AGENT } from '../support/agent-scripts.ts';
import { ChatjsSession, disposeSessions } from '../support/chatjs.ts';
import { call, createConnection, RawSocket, startChat, takeOver } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const EVENT = 'application/vnd.amazonaws.connect.event.';
/** Connect's five minutes, shortened; long enough for chatjs to connect on a busy 2-core machine. */
const CONNECT_WINDOW_MS = 4_000;

let api: LocalApi;

beforeAll(async () => {
  api = await startSandboxApi(
    { ALLOW_PERSISTENT_CHAT: 'true' },
    { agentScript: FAST_AGENT, sandboxLimits: { minuteMs: 20, connectWindowMs: CONNECT_WINDOW_MS } },
  );
}, 30_000);
afterAll(async () => {
  disposeSessions();
  await api?.close();
});

test('reconnect: the sandbox drops the socket, chatjs reconnects, and the conversation goes on', async () => {
  // Arrange
  const details = await startChat(api.apiUrl);
  const customer = new ChatjsSession(details, api.sandbox!.url);
  await customer.session.connect();
  await customer.waitFor('onMessage', (item) => item.Type === 'MESSAGE' && item.ParticipantRole === 'AGENT');

  // Act
  const dropped = api.sandbox!.dropConnections(details.ContactId);
  const lost = await customer.waitFor('onConnectionLost');
  const reestablished = await customer.waitFor('onConnectionEstablished', () => true, 10_000, lost.index);
  await customer.session.sendMessage({ contentType: 'text/plain', message: 'still here after the drop' });
  const reply = await customer.waitFor(
    'onMessage',
    (item) => item.Content?.includes('still here after the drop') && item.ParticipantRole === 'AGENT',
  );

  // Assert
  expect(dropped).toBe(1);
  expect(reestablished.at).toBeGreaterThanOrEqual(lost.at);
  expect(reply.data.Type).toBe('MESSAGE');
}, 20_000);

test('a chat past its ChatDurationInMinutes ends for both sides, and their tokens get 403', async () => {
  // Arrange: 60 "minutes" of 20 ms; the agent's side through its own socket.
  const details = await startChat(api.apiUrl, { ChatDurationInMinutes: 60 });
  const customer = new ChatjsSession(details, api.sandbox!.url);
  await customer.session.connect();
  const agent = await takeOver(api.sandbox!.url, details.ContactId);
  const agentConnection = await createConnection(api.sandbox!.url, agent.ParticipantToken);
  const agentSocket = new RawSocket(agentConnection.socketUrl);
  await agentSocket.subscribe();

  // Act
  await customer.waitFor('onEnded', () => true, 5_000);
  const agentEnded = await agentSocket.waitForItem((item) => item.ContentType === `${EVENT}chat.ended`);
  const closed = await agentSocket.closed;
  const agentAfter = await call(api.sandbox!.url, '/participant/message', agentConnection.connectionToken, {
    ContentType: 'text/plain',
    Content: 'hello?',
  });

  // Assert
  expect(agentEnded).toMatchObject({ ParticipantRole: 'SYSTEM', ContactId: details.ContactId });
  expect(closed.code).toBe(1000);
  expect(agentAfter).toMatchObject({ status: 403, body: { __type: 'AccessDeniedException' } });
  expect(api.sandbox!.store.summaries().find((chat) => chat.contactId === details.ContactId)?.state).toBe('ended');
}, 15_000);

test("a customer who never connects: the chat ends after Connect's window and its token is refused", async () => {
  // Arrange
  const details = await startChat(api.apiUrl);
  const activeBefore = api.standIn!.activeChats();

  // Act: the window is 4 s here (five minutes by default).
  await new Promise((resolve) => setTimeout(resolve, CONNECT_WINDOW_MS + 200));
  const late = await call(api.sandbox!.url, '/participant/connection', details.ParticipantToken, {
    Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'],
  });

  // Assert
  expect(late.status).toBe(403);
  expect(late.body.__type).toBe('AccessDeniedException');
  expect(api.standIn!.activeChats()).toBe(activeBefore - 1);
});

test('a persistent chat sees the transcript of the ended chat it continues; an active one cannot be continued', async () => {
  // Arrange: a first chat with a message, ended by the customer.
  const first = await startChat(api.apiUrl, {
    InitialMessage: { ContentType: 'text/plain', Content: 'my first visit' },
  });
  const refusedWhileActive = await startChat(api.apiUrl, {
    PersistentChat: { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: first.ContactId },
  }).catch((error: any) => error);
  const before = new ChatjsSession(first, api.sandbox!.url);
  await before.session.connect();
  await before.waitFor(
    'onMessage',
    (item) => item.ParticipantRole === 'AGENT' && item.Content?.includes('my first visit'),
  );
  await before.session.disconnectParticipant();
  await before.waitFor('onEnded');

  // Act
  const second = await startChat(api.apiUrl, {
    PersistentChat: { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: first.ContactId },
  });
  const after = new ChatjsSession(second, api.sandbox!.url);
  await after.session.connect();
  const transcript = await after.session.getTranscript({ maxResults: 100, scanDirection: 'FORWARD' });
  const items: any[] = transcript.data.Transcript;
  const olderOnly = await after.session.getTranscript({ maxResults: 100, contactId: first.ContactId });

  // Assert
  expect(refusedWhileActive.status).toBe(400);
  expect(refusedWhileActive.json.error.code).toBe('REQUEST_REJECTED');
  expect(second.ContinuedFromContactId).toBe(first.ContactId);
  expect(items[0]).toMatchObject({ ContactId: first.ContactId });
  const firstVisit = items.findIndex((item) => item.Content === 'my first visit');
  const rehydrated = items.findIndex((item) => item.ContentType === `${EVENT}chat.rehydrated`);
  expect(firstVisit).toBeGreaterThanOrEqual(0);
  expect(rehydrated).toBeGreaterThan(firstVisit);
  expect(items[rehydrated].ContactId).toBe(second.ContactId);
  expect(olderOnly.data.Transcript.every((item: any) => item.ContactId === first.ContactId)).toBe(true);
  expect(olderOnly.data.Transcript.some((item: any) => item.ContentType === `${EVENT}chat.ended`)).toBe(true);
}, 20_000);
