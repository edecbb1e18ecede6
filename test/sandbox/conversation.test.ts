/**
 * A whole conversation through the real amazon-connect-chatjs (in Node), against what `npm start` runs:
 * the chat is started over HTTP through the API, then held with the chat sandbox and its default
 * simulated agent, whose timing contract (joins within 2 s of the customer's connection, answers every
 * text/plain message within 2 s quoting it) is checked here with its default delays.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { LocalApi } from '../../local/local-api.ts';
import { ChatjsSession, disposeSessions } from '../support/chatjs.ts';
import { call, createConnection, RawSocket, startChat } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const EVENT = 'application/vnd.amazonaws.connect.event.';

let api: LocalApi;

beforeAll(async () => {
  api = await startSandboxApi({ ATTACHMENTS_ENABLED: 'true' });
}, 30_000);
afterAll(async () => {
  disposeSessions();
  await api?.close();
});

test('a conversation from start to end: agent, typing, messages both ways, receipts, attachment, transcript, 403 after', async () => {
  // Arrange
  const details = await startChat(api.apiUrl, { InitialMessage: { ContentType: 'text/plain', Content: 'Hi there' } });
  const customer = new ChatjsSession(details, api.sandbox!.url);

  // Act 1: connect; the default agent joins and greets.
  const connectedAt = Date.now();
  const connected = await customer.session.connect();
  const joined = await customer.waitFor(
    'onMessage',
    (item) => item.ContentType === `${EVENT}participant.joined` && item.ParticipantRole === 'AGENT',
  );
  const greeting = await customer.waitFor(
    'onMessage',
    (item) => item.Type === 'MESSAGE' && item.ParticipantRole === 'AGENT',
  );
  // chatjs pings the socket as soon as it opens; the answer is its deep heartbeat.
  const heartbeat = await customer.waitFor('onDeepHeartbeatSuccess');

  // Assert 1
  expect(connected.connectSuccess).toBe(true);
  expect(heartbeat.at).toBeGreaterThanOrEqual(connectedAt);
  expect(customer.events.some((event) => event.name === 'onDeepHeartbeatFailure')).toBe(false);
  expect(joined.at - connectedAt).toBeLessThanOrEqual(2_000);
  expect(greeting.data).toMatchObject({ ContentType: 'text/plain', ContactId: details.ContactId });
  expect(customer.events.some((event) => event.name === 'onTyping' && event.data.ParticipantRole === 'AGENT')).toBe(
    true,
  );

  // Act 2: the customer types and sends a message; the agent gets it, reads it and answers.
  await customer.session.sendEvent({ contentType: `${EVENT}typing` });
  const sentAt = Date.now();
  const sent = await customer.session.sendMessage({ contentType: 'text/plain', message: 'Where is order 42?' });
  const messageId: string = sent.data.Id;
  const echo = await customer.waitFor('onMessage', (item) => item.Id === messageId);
  const delivered = await customer.waitFor(
    'onDeliveredReceipt',
    (item) => item.MessageMetadata.MessageId === messageId,
  );
  const read = await customer.waitFor('onReadReceipt', (item) => item.MessageMetadata.MessageId === messageId);
  const reply = await customer.waitFor(
    'onMessage',
    (item) =>
      item.ParticipantRole === 'AGENT' && item.Type === 'MESSAGE' && item.Content.includes('Where is order 42?'),
  );
  await customer.session.sendEvent({
    contentType: `${EVENT}message.read`,
    content: JSON.stringify({ messageId: reply.data.Id }),
  });

  // Assert 2
  expect(echo.data).toMatchObject({ ParticipantRole: 'CUSTOMER', Content: 'Where is order 42?', DisplayName: 'Ada' });
  expect(delivered.data.MessageMetadata.Receipts[0].RecipientParticipantId).not.toBe(details.ParticipantId);
  expect(read.data.MessageMetadata.Receipts[0].ReadTimestamp).toEqual(expect.any(String));
  expect(reply.data.ContentType).toBe('text/plain');
  expect(reply.at - sentAt).toBeLessThanOrEqual(2_000);

  // Act 3: an attachment up and down; one too large is refused.
  const file = new File(['hello, file'], 'note.txt', { type: 'text/plain' });
  await customer.session.sendAttachment({ attachment: file });
  const attachment = await customer.waitFor('onMessage', (item) => item.Type === 'ATTACHMENT');
  const attachmentId: string = attachment.data.Attachments[0].AttachmentId;
  const blob: Blob = await customer.session.downloadAttachment({ attachmentId });
  const thanks = await customer.waitFor(
    'onMessage',
    (item) => item.ParticipantRole === 'AGENT' && item.Content?.includes('note.txt'),
  );
  const tooLarge = await customer.session
    .sendAttachment({
      attachment: new File([new Uint8Array(21 * 1024 * 1024)], 'big.pdf', { type: 'application/pdf' }),
    })
    .then(
      () => 'sent',
      (error: any) => error,
    );

  // Assert 3
  expect(attachment.data.Attachments[0]).toMatchObject({ AttachmentName: 'note.txt', Status: 'APPROVED' });
  expect(await blob.text()).toBe('hello, file');
  expect(thanks.data.Content).toContain('note.txt');
  expect(tooLarge).toMatchObject({ type: 'ValidationException', statusCode: 400 });

  // Act 4: the transcript, two items a page, newest first scanning back.
  const pages: any[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await customer.session.getTranscript({ maxResults: 2, scanDirection: 'BACKWARD', nextToken });
    pages.push(page.data.Transcript);
    nextToken = page.data.NextToken;
  } while (nextToken !== undefined && pages.length < 50);
  const all = await customer.session.getTranscript({ maxResults: 100, scanDirection: 'FORWARD' });
  const newestFirst = await customer.session.getTranscript({ maxResults: 3, sortOrder: 'DESCENDING' });
  const fromMessage = await customer.session.getTranscript({
    maxResults: 2,
    scanDirection: 'FORWARD',
    startPosition: { id: messageId },
  });

  // Assert 4
  const ids = (items: any[]) => items.map((item) => item.Id);
  const everything = ids(all.data.Transcript);
  expect(all.data.InitialContactId).toBe(details.ContactId);
  expect(pages.every((page) => page.length <= 2)).toBe(true);
  expect(pages.toReversed().flatMap(ids)).toEqual(everything);
  expect(ids(newestFirst.data.Transcript)).toEqual(everything.slice(-3).reverse());
  expect(ids(fromMessage.data.Transcript)).toEqual(
    everything.slice(everything.indexOf(messageId), everything.indexOf(messageId) + 2),
  );
  expect(all.data.Transcript[1]).toMatchObject({ Type: 'MESSAGE', Content: 'Hi there', ParticipantRole: 'CUSTOMER' });
  expect(all.data.Transcript.some((item: any) => item.ContentType === `${EVENT}typing`)).toBe(false);
  expect(
    all.data.Transcript.some(
      (item: any) =>
        item.Type === 'MESSAGEMETADATA' &&
        item.MessageMetadata.MessageId === reply.data.Id &&
        item.MessageMetadata.Receipts[0].RecipientParticipantId === details.ParticipantId,
    ),
  ).toBe(true);

  // Act 5: the customer leaves.
  const connectionToken: string = customer.session.getChatDetails().connectionDetails.connectionToken;
  await customer.session.disconnectParticipant();
  await customer.waitFor('onEnded');
  const afterMessage = await call(api.sandbox!.url, '/participant/message', connectionToken, {
    ContentType: 'text/plain',
    Content: 'still there?',
  });
  const afterConnect = await call(api.sandbox!.url, '/participant/connection', details.ParticipantToken, {
    Type: ['WEBSOCKET'],
  });

  // Assert 5
  const last = customer.messages().slice(-2);
  expect(last.map((item) => [item.ContentType, item.ParticipantRole])).toEqual([
    [`${EVENT}participant.left`, 'CUSTOMER'],
    [`${EVENT}chat.ended`, 'SYSTEM'],
  ]);
  for (const result of [afterMessage, afterConnect]) {
    expect(result.status).toBe(403);
    expect(result.errorType).toMatch(/^AccessDeniedException/);
    expect(result.body).toMatchObject({ __type: 'AccessDeniedException' });
  }
  expect(api.standIn!.activeChats()).toBe(0);
}, 30_000);

test("the socket answers chatjs's heartbeats: aws/heartbeat is echoed, aws/ping gets 200 OK", async () => {
  // Arrange
  const details = await startChat(api.apiUrl);
  const connection = await createConnection(api.sandbox!.url, details.ParticipantToken);
  const socket = new RawSocket(connection.socketUrl);
  try {
    await socket.opened;

    // Act: what chatjs's websocket manager sends on open and every 10 s.
    socket.send({ topic: 'aws/ping' });
    socket.send({ topic: 'aws/heartbeat' });
    const ping = await socket.waitFor((frame) => frame.topic === 'aws/ping');
    const heartbeat = await socket.waitFor((frame) => frame.topic === 'aws/heartbeat');

    // Assert: exactly the frames chatjs reads (a heartbeat's topic; a ping's statusCode 200).
    expect(ping).toEqual({ topic: 'aws/ping', statusCode: 200, statusContent: 'OK' });
    expect(heartbeat).toEqual({ topic: 'aws/heartbeat' });
    expect(socket.frames.filter((frame) => frame.message !== undefined)).toEqual([]);
  } finally {
    socket.close();
    await call(api.sandbox!.url, '/participant/disconnect', connection.connectionToken, {});
  }
});

test('attachments follow the deployment: with ATTACHMENTS_ENABLED off, the API says so and uploads are refused', async () => {
  // Arrange
  const off = await startSandboxApi();
  try {
    const response = await fetch(off.apiUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ParticipantDetails: { DisplayName: 'Ada' } }),
    });
    const { data } = (await response.json()) as any;
    const customer = new ChatjsSession(data.startChatResult, off.sandbox!.url);
    await customer.session.connect();

    // Act
    const refused = await customer.session
      .sendAttachment({ attachment: new File(['hi'], 'note.txt', { type: 'text/plain' }) })
      .then(
        () => 'sent',
        (error: any) => error,
      );

    // Assert
    expect(data.featurePermissions.ATTACHMENTS).toBe(false);
    expect(refused).toMatchObject({ type: 'ValidationException', statusCode: 400 });
    expect(refused.message).toContain('ATTACHMENTS_ENABLED');
    expect(customer.messages().some((item) => item.Type === 'ATTACHMENT')).toBe(false);
  } finally {
    disposeSessions();
    await off.close();
  }
});

test('a customer who writes before the agent has joined: it joins at once, greets once, and answers within 2 s', async () => {
  // Arrange
  const details = await startChat(api.apiUrl);
  const customer = new ChatjsSession(details, api.sandbox!.url);
  await customer.session.connect();

  // Act: write at once, before the agent's join delay.
  const sentAt = Date.now();
  await customer.session.sendMessage({ contentType: 'text/plain', message: 'quick question' });
  const reply = await customer.waitFor(
    'onMessage',
    (item) => item.ParticipantRole === 'AGENT' && item.Content?.includes('quick question'),
  );
  await new Promise((resolve) => setTimeout(resolve, 700));

  // Assert
  const fromAgent = customer.messages().filter((item) => item.ParticipantRole === 'AGENT');
  expect(reply.at - sentAt).toBeLessThanOrEqual(2_000);
  expect(fromAgent.filter((item) => item.ContentType?.endsWith('participant.joined'))).toHaveLength(1);
  expect(fromAgent.filter((item) => item.Type === 'MESSAGE').map((item) => item.Content)).toEqual([
    expect.stringContaining('Hello Ada'),
    'You wrote: "quick question"',
  ]);
});
