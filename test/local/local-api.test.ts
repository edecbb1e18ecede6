/**
 * What `npm start` brings up, end to end over HTTP: the deployed handler bundle in the local Lambda,
 * behind the API Gateway emulation, against the built-in Connect stand-in, with the default settings
 * (ports 0 instead of 3000 and 3001).
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { LocalApi } from '../../local/local-api.ts';
import { STAND_IN_CONTACT_FLOW_ID, STAND_IN_INSTANCE_ID } from '../../local/settings.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DISALLOWED = 'https://not-allowed.example.com';

let api: LocalApi;
let demoOrigin: string;

beforeAll(async () => {
  api = await startSandboxApi();
  demoOrigin = new URL(api.demoUrl).origin;
}, 30_000);
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  api.standIn!.reset();
});

/** The parsed body; each test checks the envelope it expects. */
async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

function post(body: unknown, headers: Record<string, string> = {}, url = api.apiUrl): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

test('by default chats go to the stand-in, and the demo page origins are the allowed ones', () => {
  expect(api.connect).toMatchObject({
    target: 'stand-in',
    instanceId: STAND_IN_INSTANCE_ID,
    contactFlowId: STAND_IN_CONTACT_FLOW_ID,
    endpoint: api.standIn!.url,
  });
  const port = new URL(api.demoUrl).port;
  expect(api.allowedOrigins).toEqual([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  expect(api.demoPageAllowed).toBe(true);
  expect(api.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod\/chat$/);
});

test('POST from an allowed origin answers 200 with the success envelope and the origin echoed', async () => {
  // Act
  const response = await post(
    { ParticipantDetails: { DisplayName: 'Ada' }, InitialMessage: { ContentType: 'text/plain', Content: 'Hello' } },
    { Origin: demoOrigin },
  );
  const body = await json(response);

  // Assert
  expect(response.status).toBe(200);
  expect(body).toEqual({
    success: true,
    data: {
      startChatResult: {
        ContactId: expect.stringMatching(UUID),
        ParticipantId: expect.stringMatching(UUID),
        ParticipantToken: expect.any(String),
      },
      featurePermissions: { MESSAGING_MARKDOWN: true, ATTACHMENTS: false },
    },
  });
  expect(response.headers.get('access-control-allow-origin')).toBe(demoOrigin);
  expect(response.headers.get('vary')).toBe('Origin');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const calls = api.standIn!.startChatCalls();
  expect(calls).toHaveLength(1);
  expect(calls[0]!.body).toMatchObject({
    InstanceId: STAND_IN_INSTANCE_ID,
    ContactFlowId: STAND_IN_CONTACT_FLOW_ID,
    ParticipantDetails: { DisplayName: 'Ada' },
    InitialMessage: { ContentType: 'text/plain', Content: 'Hello' },
  });
  // The SDK signed the call, with the dummy credentials rather than any real ones.
  expect(String(calls[0]!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALSTANDIN\//);
});

test('the preflight from an allowed origin allows the POST a widget sends', async () => {
  // Act
  const response = await fetch(api.apiUrl, {
    method: 'OPTIONS',
    headers: {
      Origin: demoOrigin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,idempotency-key',
    },
  });

  // Assert
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(demoOrigin);
  expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain('POST');
  expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
    expect.arrayContaining(['Content-Type', 'Idempotency-Key']),
  );
  expect(response.headers.get('access-control-max-age')).toBe('600');
  expect(response.headers.get('vary')).toBe('Origin');
  expect(api.standIn!.startChatCalls()).toHaveLength(0);
});

test('a disallowed origin gets 403 ORIGIN_NOT_ALLOWED without CORS permission, and Connect is never called', async () => {
  // Act
  const preflight = await fetch(api.apiUrl, {
    method: 'OPTIONS',
    headers: { Origin: DISALLOWED, 'Access-Control-Request-Method': 'POST' },
  });
  const response = await post({ ParticipantDetails: { DisplayName: 'Ada' } }, { Origin: DISALLOWED });
  const body = await json(response);

  // Assert
  // The deployed preflight names the first allowed origin to anyone else; the browser then stops.
  expect(preflight.headers.get('access-control-allow-origin')).toBe(api.allowedOrigins[0]);
  expect(response.status).toBe(403);
  expect(body).toEqual({
    success: false,
    error: {
      code: 'ORIGIN_NOT_ALLOWED',
      message: expect.any(String),
      requestId: response.headers.get('x-amzn-requestid'),
    },
  });
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(api.standIn!.startChatCalls()).toHaveLength(0);
});

test('requests without an Origin (curl, mobile apps) are served without CORS headers', async () => {
  // Act
  const response = await post({ ParticipantDetails: { DisplayName: 'Ada' } });

  // Assert
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
});

test('a validation error reaches the browser: 400 with the origin echoed', async () => {
  // Act
  const response = await post({ ParticipantDetails: { DisplayName: '' }, Surprise: 1 }, { Origin: demoOrigin });
  const body = await json(response);

  // Assert
  expect(response.status).toBe(400);
  expect(body.error.code).toBe('VALIDATION_ERROR');
  expect(body.error.details.map((detail: { field: string }) => detail.field)).toEqual(
    expect.arrayContaining(['ParticipantDetails.DisplayName', 'Surprise']),
  );
  expect(response.headers.get('access-control-allow-origin')).toBe(demoOrigin);
  expect(api.standIn!.startChatCalls()).toHaveLength(0);
});

test('the same Idempotency-Key twice starts one chat and answers the same ContactId', async () => {
  // Arrange
  const headers = { 'Idempotency-Key': 'retry-of-the-same-click' };

  // Act
  const first = await json(post({ ParticipantDetails: { DisplayName: 'Ada' } }, headers));
  const second = await json(post({ ParticipantDetails: { DisplayName: 'Ada' } }, headers));

  // Assert
  expect(second.data.startChatResult.ContactId).toBe(first.data.startChatResult.ContactId);
  expect(api.standIn!.activeChats()).toBe(1);
});

test('the Android sample posts to the stage root and starts a chat', async () => {
  // Act
  const response = await post({ ParticipantDetails: { DisplayName: 'Ada' } }, {}, api.apiUrl.replace(/chat$/, ''));

  // Assert
  expect(response.status).toBe(200);
  expect((await json(response)).data.startChatResult.ContactId).toMatch(UUID);
});

test('concurrent requests each start their own chat', async () => {
  // Act
  const answers = await Promise.all(
    ['Ada', 'Grace', 'Edsger', 'Barbara'].map((name) => json(post({ ParticipantDetails: { DisplayName: name } }))),
  );

  // Assert
  const contactIds = answers.map((answer) => answer.data.startChatResult.ContactId);
  expect(new Set(contactIds).size).toBe(4);
  expect(api.standIn!.startChatCalls()).toHaveLength(4);
});
