/**
 * How a sandbox chat lives and ends, through the real amazon-connect-chatjs: a dropped socket is
 * re-established and the conversation goes on; a chat past its ChatDurationInMinutes ends for both sides;
 * a chat whose customer never connects ends after Connect's window; a persistent chat sees the transcript
 * of the chat it continues. Time is shortened: a "minute" lasts 20 ms and the agent answers within 0.1 s.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { FAST_AGENT } from '../support/agent-scripts.ts';
import { ChatjsSession, disposeSessions } from '../support/chatjs.ts';
import { call, createConnection, RawSocket, startChat, takeOver } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const EVENT = 'application/vnd.amazonaws.connect.event.';
/** Connect's five minutes, shortened; long enough for chatjs to connect on a busy 2-core machine. */
const CONNECT_WINDOW_MS = 4_000;
/** How long the last test's sandbox keeps an ended chat (30 minutes by default). */
const RETENTION_MS = 300;

let api: LocalApi;
const sandboxRequests: AccessLogEntry[] = [];

/** CreateParticipantConnection calls the sandbox has answered so far. */
function connectionsCreated(): number {
  return sandboxRequests.filter(
    (entry) => entry.method === 'POST' && entry.path === '/participant/connection' && entry.status === 200,
  ).length;
}

beforeAll(async () => {
  api = await startSandboxApi(
    { ALLOW_PERSISTENT_CHAT: 'true' },
    {
      agentScript: FAST_AGENT,
      sandboxLimits: { minuteMs: 20, connectWindowMs: CONNECT_WINDOW_MS },
      onSandboxRequest: (entry) => sandboxRequests.push(entry),
    },
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
  const createdBefore = connectionsCreated();

  // Act
  const dropped = api.sandbox!.dropConnections(details.ContactId);
  const lost = await customer.waitFor('onConnectionLost');
  const reestablished = await customer.waitFor('onConnectionEstablished', () => true, 10_000, lost.index);
  await customer.session.sendMessage({ contentType: 'text/plain', message: 'still here after the drop' });
  const reply = await customer.waitFor(
    'onMessage',
    (item) => item.Content?.includes('still here after the drop') && item.ParticipantRole === 'AGENT',
  );

  // Assert: chatjs asked for a new connection (a new socket URL) to reconnect.
  expect(dropped).toBe(1);
  expect(createdBefore).toBe(1);
  expect(connectionsCreated()).toBeGreaterThanOrEqual(2);
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

test('an ended chat is forgotten after its retention: its memory is freed, its tokens still get 403, a persistent chat from it starts afresh', async () => {
  // Arrange: a sandbox of its own (so its counts are this chat's) that keeps ended chats 300 ms, not 30 min.
  const short = await startSandboxApi(
    { ALLOW_PERSISTENT_CHAT: 'true' },
    { agentScript: FAST_AGENT, sandboxLimits: { endedChatRetentionMs: RETENTION_MS } },
  );
  const sockets: RawSocket[] = [];
  try {
    const url = short.sandbox!.url;
    const { store } = short.sandbox!;
    const first = await startChat(short.apiUrl, {
      InitialMessage: { ContentType: 'text/plain', Content: 'remember my order 42' },
    });
    const connection = await createConnection(url, first.ParticipantToken);
    await call(url, '/participant/message', connection.connectionToken, { ContentType: 'text/plain', Content: 'bye' });
    await call(url, '/participant/disconnect', connection.connectionToken, {});
    const whileKept = {
      chats: store.chatCount,
      bytes: store.storedBytes,
      state: store.summaries().find((chat) => chat.contactId === first.ContactId)?.state,
    };

    // Act
    await new Promise((resolve) => setTimeout(resolve, RETENTION_MS + 300));
    const after = { chats: store.chatCount, bytes: store.storedBytes, listed: store.summaries().length };
    const participantToken = await call(url, '/participant/connection', first.ParticipantToken, {
      Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'],
    });
    const connectionToken = await call(url, '/participant/transcript', connection.connectionToken, {});
    const socket = new RawSocket(connection.socketUrl);
    sockets.push(socket);
    const handshake = await socket.opened.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    const second = await startChat(short.apiUrl, {
      PersistentChat: { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: first.ContactId },
    });
    const secondConnection = await createConnection(url, second.ParticipantToken);
    const transcript = await call(url, '/participant/transcript', secondConnection.connectionToken, {
      MaxResults: 100,
      ScanDirection: 'FORWARD',
    });
    const pastOnly = await call(url, '/participant/transcript', secondConnection.connectionToken, {
      ContactId: first.ContactId,
    });

    // Assert
    expect(whileKept).toEqual({ chats: 1, bytes: expect.any(Number), state: 'ended' });
    expect(whileKept.bytes).toBeGreaterThan(0);
    expect(after).toEqual({ chats: 0, bytes: 0, listed: 0 });
    for (const refused of [participantToken, connectionToken]) {
      expect(refused).toMatchObject({ status: 403, body: { __type: 'AccessDeniedException' } });
    }
    expect(handshake).toBe('handshake refused: 403');
    expect(second.ContinuedFromContactId).toBe(first.ContactId);
    const items: any[] = transcript.body.Transcript;
    expect(transcript.status).toBe(200);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.ContactId === second.ContactId)).toBe(true);
    expect(items.some((item) => item.ContentType === `${EVENT}chat.rehydrated`)).toBe(false);
    expect(pastOnly).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
    expect(pastOnly.body.Message).toContain('ContactId');
  } finally {
    for (const socket of sockets) socket.close();
    await short.close();
  }
});
