/**
 * Hostile traffic against the chat sandbox: wrong, missing and expired tokens, malformed and oversize
 * bodies, malformed and oversize frames, frame floods, socket floods, other origins and hosts, and any
 * JSON at all (fast-check). Each gets the Participant Service's error or a closed socket, never a 5xx or
 * a crash, and after each the server and other chats go on.
 */

import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { LocalApi } from '../../local/local-api.ts';
import { createParticipantStandIn } from '../../local/participant-stand-in/participant-stand-in.ts';
import { FAST_AGENT } from '../support/agent-scripts.ts';
import { call, createConnection, RawSocket, startChat, takeOver } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const OPERATIONS = [
  '/participant/message',
  '/participant/event',
  '/participant/transcript',
  '/participant/start-attachment-upload',
  '/participant/complete-attachment-upload',
  '/participant/attachment',
  '/participant/disconnect',
];
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);

/** The API's allowed origin in this file: a deployed site, not a page on this machine. */
const APP_ORIGIN = 'https://app.example.com';

let api: LocalApi;
let endpoint: string;
const sockets: RawSocket[] = [];

function socket(url: string, headers?: Record<string, string>): RawSocket {
  const opened = new RawSocket(url, headers);
  sockets.push(opened);
  return opened;
}

/** A chat with its customer connected: tokens and a subscribed socket. */
async function connectedChat() {
  const details = await startChat(api.apiUrl);
  const connection = await createConnection(endpoint, details.ParticipantToken);
  const ws = socket(connection.socketUrl);
  await ws.subscribe();
  return { details, ...connection, ws };
}

/** The server and other chats go on: a new chat holds a message and gets the agent's answer. */
async function expectChatsGoOn(): Promise<void> {
  const chat = await connectedChat();
  const sent = await call(endpoint, '/participant/message', chat.connectionToken, {
    ContentType: 'text/plain',
    Content: 'are you still there?',
  });
  const reply = await chat.ws.waitForItem(
    (item) => item.ParticipantRole === 'AGENT' && item.Content?.includes('are you still there?'),
  );
  expect(sent.status).toBe(200);
  expect(reply.Type).toBe('MESSAGE');
}

beforeAll(async () => {
  api = await startSandboxApi(
    { ATTACHMENTS_ENABLED: 'true', ALLOWED_ORIGINS: APP_ORIGIN },
    { agentScript: FAST_AGENT, standIn: { ratePerSecond: false }, sandboxLimits: { maxSockets: 12, maxBadFrames: 5 } },
  );
  endpoint = api.sandbox!.url;
}, 30_000);
afterEach(async () => {
  for (const open of sockets) open.close();
  await Promise.all(sockets.splice(0).map((open) => open.closed));
  // The server hears of each close a moment later.
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => {
  await api?.close();
});

describe('tokens', () => {
  test('missing, unknown and mixed-up tokens get 403 AccessDeniedException on every operation', async () => {
    // Arrange
    const chat = await connectedChat();
    const wrong = [undefined, '', 'x'.repeat(5_000), 'not-a-token', chat.details.ParticipantToken];

    // Act
    const results = [];
    for (const path of OPERATIONS) for (const token of wrong) results.push(await call(endpoint, path, token, {}));
    const connectWithConnectionToken = await call(endpoint, '/participant/connection', chat.connectionToken, {
      Type: ['WEBSOCKET'],
    });

    // Assert
    for (const result of [...results, connectWithConnectionToken]) {
      expect(result.status).toBe(403);
      expect(result.errorType).toMatch(/^AccessDeniedException:/);
      expect(result.body).toEqual({ __type: 'AccessDeniedException', Message: 'Access denied' });
    }
    await expectChatsGoOn();
  });

  test('an expired connection token gets 403, and an expired WebSocket URL is refused at the handshake', async () => {
    // Arrange: a sandbox of its own whose tokens and URLs last 300 ms, fed a chat as the Connect stand-in would.
    const sandbox = createParticipantStandIn({ limits: { connectionTokenLifetimeMs: 300, socketUrlLifetimeMs: 300 } });
    await sandbox.listen(0);
    try {
      sandbox.store.chatStarted({
        contactId: 'c-1',
        participantId: 'p-1',
        participantToken: 'participant-token-1',
        request: { ParticipantDetails: { DisplayName: 'Ada' } },
      });
      const connection = await createConnection(sandbox.url, 'participant-token-1');
      const fresh = await call(sandbox.url, '/participant/transcript', connection.connectionToken, {});

      // Act
      await new Promise((resolve) => setTimeout(resolve, 400));
      const expired = await call(sandbox.url, '/participant/transcript', connection.connectionToken, {});
      const late = socket(connection.socketUrl);
      const refused = await late.opened.then(
        () => 'opened',
        (error: Error) => error.message,
      );

      // Assert
      expect(fresh.status).toBe(200);
      expect(expired).toMatchObject({ status: 403, body: { __type: 'AccessDeniedException' } });
      expect(refused).toBe('handshake refused: 403');
    } finally {
      await sandbox.close();
    }
  });
});

describe('bodies', () => {
  test.each([
    ['not JSON', '/participant/message', '{"ContentType": "text/plain", "Content": ', 400, 'must be a JSON object'],
    ['a JSON array', '/participant/message', '[1, 2]', 400, 'must be a JSON object'],
    ['Content a number', '/participant/message', { ContentType: 'text/plain', Content: 42 }, 400, 'Content'],
    [
      'an unknown ContentType',
      '/participant/message',
      { ContentType: 'text/html', Content: '<b>' },
      400,
      'ContentType',
    ],
    [
      'text over 1,024 characters',
      '/participant/message',
      { ContentType: 'text/plain', Content: 'é'.repeat(1_025) },
      400,
      'Content must be 1-1024',
    ],
    [
      'an event it does not take',
      '/participant/event',
      { ContentType: 'application/vnd.amazonaws.connect.event.chat.ended' },
      400,
      'ContentType',
    ],
    [
      'a receipt without a messageId',
      '/participant/event',
      { ContentType: 'application/vnd.amazonaws.connect.event.message.read', Content: '{}' },
      400,
      'messageId',
    ],
    [
      'a receipt for a message of another chat',
      '/participant/event',
      { ContentType: 'application/vnd.amazonaws.connect.event.message.read', Content: '{"messageId":"nope"}' },
      400,
      'not in this chat',
    ],
    [
      'two start positions',
      '/participant/transcript',
      { StartPosition: { Id: 'a', MostRecent: 1 } },
      400,
      'StartPosition',
    ],
    [
      'a forged NextToken',
      '/participant/transcript',
      { NextToken: 'eyJjIjoib3RoZXIiLCJkIjoiQkFDS1dBUkQiLCJpIjowfQ' },
      400,
      'NextToken',
    ],
    ['MaxResults over 100', '/participant/transcript', { MaxResults: 101 }, 400, 'MaxResults'],
    [
      'a file type chat does not take',
      '/participant/start-attachment-upload',
      { AttachmentName: 'x.exe', ContentType: 'application/x-msdownload', AttachmentSizeInBytes: 10, ClientToken: 't' },
      400,
      'ContentType',
    ],
    ['an unknown attachment', '/participant/attachment', { AttachmentId: 'nope' }, 404, 'nope'],
    [
      'a body over 64 KiB',
      '/participant/message',
      { ContentType: 'text/plain', Content: 'x'.repeat(70_000) },
      413,
      '65536',
    ],
  ])('%s gets the protocol error', async (_name, path, body, status, mentions) => {
    // Arrange
    const chat = await connectedChat();

    // Act
    const result = await call(endpoint, path, chat.connectionToken, body);

    // Assert
    expect(result.status).toBe(status);
    expect(result.body.__type).toBe(result.errorType?.split(':')[0]);
    expect(result.body.Message).toContain(mentions);
  });

  test('property: any JSON to any operation gets 200 or the protocol 4xx, never a 5xx; the chat goes on', async () => {
    // Arrange: the console holds the agent, so the simulated agent does not answer the flood.
    const chat = await connectedChat();
    await takeOver(endpoint, chat.details.ContactId);
    const paths = OPERATIONS.filter((path) => path !== '/participant/disconnect');

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const result = await call(endpoint, path, chat.connectionToken, JSON.stringify(body));
        const protocolError =
          result.status >= 400 &&
          result.status < 500 &&
          typeof result.body.__type === 'string' &&
          typeof result.body.Message === 'string';
        expect(result.status === 200 || protocolError).toBe(true);
      }),
      { numRuns: RUNS },
    );
    const sent = await call(endpoint, '/participant/message', chat.connectionToken, {
      ContentType: 'text/plain',
      Content: 'after the storm',
    });
    expect(sent.status).toBe(200);
  }, 30_000);
});

describe('frames and sockets', () => {
  test('unreadable, unknown and binary frames get the error frame; a socket that keeps on is closed (1008)', async () => {
    // Arrange
    const chat = await connectedChat();

    // Act
    for (const frame of ['not json', '{"no":"topic"}', '{"topic":"aws/anything"}', Buffer.from([1, 2, 3])]) {
      chat.ws.send(frame);
    }
    await chat.ws.waitFor(
      (frame) => frame.message !== undefined && chat.ws.frames.filter((f) => f.message).length >= 4,
    );
    for (let i = 0; i < 3; i++) chat.ws.send('still not json');
    const closed = await chat.ws.closed;

    // Assert
    const errors = chat.ws.frames.filter((frame) => frame.message !== undefined);
    expect(errors.slice(0, 4).map((frame) => frame.message)).toEqual([
      'Invalid request body',
      'Forbidden',
      'Forbidden',
      'Binary frames are not supported',
    ]);
    expect(errors[0]).toEqual({
      message: 'Invalid request body',
      connectionId: expect.any(String),
      requestId: expect.any(String),
    });
    expect(closed.code).toBe(1008);
    await expectChatsGoOn();
  });

  test('a frame over 16 KiB closes the socket (1009); a flood of frames closes it (1008)', async () => {
    // Arrange
    const big = await connectedChat();
    const flooding = await connectedChat();

    // Act
    big.ws.send(JSON.stringify({ topic: 'aws/heartbeat', padding: 'x'.repeat(17 * 1024) }));
    for (let i = 0; i < 100; i++) flooding.ws.send({ topic: 'aws/heartbeat' });

    // Assert
    expect((await big.ws.closed).code).toBe(1009);
    expect((await flooding.ws.closed).code).toBe(1008);
    await expectChatsGoOn();
  });

  test('a flood of sockets: past 4 on a URL and past the sandbox cap the handshake gets 429; the chat goes on', async () => {
    // Arrange
    const chat = await connectedChat();

    // Act: three more on the same URL (4 in all), then one too many.
    const same = [1, 2, 3].map(() => socket(chat.socketUrl));
    await Promise.all(same.map((open) => open.opened));
    const fifth = await socket(chat.socketUrl).opened.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    // Then sockets on new connections until the sandbox's cap (12 here) refuses one.
    let refusal: string | undefined;
    for (let i = 0; i < 20 && refusal === undefined; i++) {
      const extra = await createConnection(endpoint, chat.details.ParticipantToken);
      refusal = await socket(extra.socketUrl).opened.then(
        () => undefined,
        (error: Error) => error.message,
      );
    }
    const received = await call(endpoint, '/participant/message', chat.connectionToken, {
      ContentType: 'text/plain',
      Content: 'one socket is enough',
    });
    const item = await chat.ws.waitForItem((candidate) => candidate.Content === 'one socket is enough');

    // Assert
    expect(fifth).toBe('handshake refused: 429');
    expect(refusal).toBe('handshake refused: 429');
    expect(received.status).toBe(200);
    expect(item.ParticipantRole).toBe('CUSTOMER');
    for (const open of sockets.filter((open) => open !== chat.ws)) open.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expectChatsGoOn();
  });

  test('an unknown or forged socket URL is refused at the handshake (403, 404)', async () => {
    // Act
    const outcomes = await Promise.all(
      [`${endpoint.replace('http', 'ws')}/websocket?key=forged`, `${endpoint.replace('http', 'ws')}/elsewhere`].map(
        (url) =>
          socket(url).opened.then(
            () => 'opened',
            (error: Error) => error.message,
          ),
      ),
    );

    // Assert
    expect(outcomes).toEqual(['handshake refused: 403', 'handshake refused: 404']);
  });
});

describe('origins and hosts', () => {
  /** chatjs's preflight for SendMessage, from a page on `origin`. */
  const preflight = (origin: string) =>
    fetch(`${endpoint}/participant/message`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-amz-bearer,x-amz-date',
      },
    });
  /** How the handshake of a socket opened from a page on `origin` ends. */
  const handshake = (url: string, origin: string) =>
    socket(url, { Origin: origin }).opened.then(
      () => 'opened',
      (error: Error) => error.message,
    );

  test('a page of another site gets no CORS permission, nor a socket; a loopback page gets both', async () => {
    // Arrange
    const chat = await connectedChat();

    // Act
    const foreign = await preflight('https://evil.example.com');
    const local = await preflight('http://localhost:5173');
    const foreignSocket = await handshake(chat.socketUrl, 'https://evil.example.com');
    const error = await fetch(`${endpoint}/participant/message`, {
      method: 'POST',
      headers: { Origin: 'http://127.0.0.1:8080', 'X-Amz-Bearer': 'wrong' },
      body: '{}',
    });

    // Assert
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(local.status).toBe(204);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(local.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,x-amz-bearer,x-amz-date',
    );
    expect(foreignSocket).toBe('handshake refused: 403');
    expect(error.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
  });

  test("a page on the API's allowed origin (not loopback) gets CORS permission and a live socket; look-alikes do not", async () => {
    // Arrange: this file's API allows https://app.example.com; a customer is in a chat.
    const chat = await connectedChat();
    const lookAlikes = [
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com.evil.example',
    ];

    // Act
    const allowedPreflight = await preflight(APP_ORIGIN);
    const allowedCall = await fetch(`${endpoint}/participant/transcript`, {
      method: 'POST',
      headers: { Origin: APP_ORIGIN, 'Content-Type': 'application/json', 'X-Amz-Bearer': chat.connectionToken },
      body: '{}',
    });
    const allowedSocket = socket(chat.socketUrl, { Origin: APP_ORIGIN });
    await allowedSocket.subscribe();
    await call(endpoint, '/participant/message', chat.connectionToken, {
      ContentType: 'text/plain',
      Content: 'from the site',
    });
    const pushed = await allowedSocket.waitForItem((item) => item.Content === 'from the site');
    const refusedPreflights = await Promise.all(lookAlikes.map(preflight));
    const refusedCalls = await Promise.all(
      lookAlikes.map((origin) =>
        fetch(`${endpoint}/participant/transcript`, {
          method: 'POST',
          headers: { Origin: origin, 'Content-Type': 'application/json', 'X-Amz-Bearer': chat.connectionToken },
          body: '{}',
        }),
      ),
    );
    const refusedSockets = await Promise.all(lookAlikes.map((origin) => handshake(chat.socketUrl, origin)));

    // Assert
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowedPreflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowedPreflight.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,x-amz-bearer,x-amz-date',
    );
    expect(allowedCall.status).toBe(200);
    expect(allowedCall.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowedCall.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
    expect(allowedCall.headers.get('vary')).toBe('Origin');
    expect(((await allowedCall.json()) as any).InitialContactId).toBe(chat.details.ContactId);
    expect(pushed).toMatchObject({ ParticipantRole: 'CUSTOMER', ContactId: chat.details.ContactId });
    expect(refusedPreflights.map((answer) => answer.status)).toEqual([403, 403, 403]);
    for (const answer of [...refusedPreflights, ...refusedCalls]) {
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(refusedSockets).toEqual(['handshake refused: 403', 'handshake refused: 403', 'handshake refused: 403']);
  });

  test("the agent console's API answers only itself: its header and this machine's Host are required", async () => {
    // Arrange
    const chat = await connectedChat();
    const url = `${endpoint}/agent-console/api/chats/${chat.details.ContactId}/take-over`;

    // Act
    const noHeader = await fetch(url, { method: 'POST' });
    // A page of another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host.
    const rebound = await new Promise<{ status: number }>((resolve, reject) => {
      const sent = request(url, { method: 'POST', headers: { 'X-Sandbox-Console': '1', Host: 'evil.example.com' } });
      sent.on('response', (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      });
      sent.on('error', reject);
      sent.end();
    });
    const listed = await fetch(`${endpoint}/agent-console/api/chats`, { headers: { 'X-Sandbox-Console': '1' } });

    // Assert
    expect(noHeader.status).toBe(403);
    expect(rebound.status).toBe(403);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('memory', () => {
  test('a full sandbox refuses with the protocol error, drops ended chats first, and caps the number of chats', async () => {
    // Arrange: a sandbox of 3 chats and 24 KB.
    const small = await startSandboxApi(
      {},
      {
        agentScript: FAST_AGENT,
        standIn: { ratePerSecond: false },
        sandboxLimits: { maxChats: 3, maxStoredBytes: 24_000 },
      },
    );
    try {
      const url = small.sandbox!.url;
      const first = await startChat(small.apiUrl);
      const firstConnection = await createConnection(url, first.ParticipantToken);
      await takeOver(url, first.ContactId);
      const message = { ContentType: 'text/plain', Content: 'x'.repeat(1_000) };

      // Act 1: fill the memory with one chat.
      let full;
      for (let i = 0; i < 40 && full === undefined; i++) {
        const result = await call(url, '/participant/message', firstConnection.connectionToken, message);
        if (result.status !== 200) full = result;
      }
      const second = await startChat(small.apiUrl);
      const third = await startChat(small.apiUrl);
      const fourth = await startChat(small.apiUrl).catch((error: any) => error);
      // Act 2: the first chat ends; its memory and place go to whoever needs them.
      await call(url, '/participant/disconnect', firstConnection.connectionToken, {});
      const fifth = await startChat(small.apiUrl);
      const secondConnection = await createConnection(url, second.ParticipantToken);
      const afterDrop = await call(url, '/participant/message', secondConnection.connectionToken, message);

      // Assert
      expect(full).toMatchObject({ status: 402, body: { __type: 'ServiceQuotaExceededException' } });
      expect(third.ContactId).toEqual(expect.any(String));
      expect(fourth.status).toBe(503);
      expect(fourth.json.error.code).toBe('CAPACITY_EXCEEDED');
      expect(fifth.ContactId).toEqual(expect.any(String));
      expect(afterDrop.status).toBe(200);
      expect(small.sandbox!.store.storedBytes).toBeLessThanOrEqual(24_000 + 2_000);
      const firstAgain = await call(url, '/participant/connection', first.ParticipantToken, { Type: ['WEBSOCKET'] });
      expect(firstAgain.status).toBe(403);
    } finally {
      await small.close();
    }
  });
});
