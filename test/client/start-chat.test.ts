/**
 * The browser client against the local API (the deployed handler bundle behind the API Gateway emulation)
 * and the Connect stand-in, through a test proxy that records what the client sent and can drop answers.
 * Timings are real: each wait is measured between the requests as the proxy received them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { StartChatError, startChat } from '../../client/index.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { type AnswerDroppingProxy, startAnswerDroppingProxy } from '../support/answer-dropping-proxy.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REQUEST = { ParticipantDetails: { DisplayName: 'Ada' } } as const;

let api: LocalApi;
let proxy: AnswerDroppingProxy;

beforeAll(async () => {
  // One Connect call per request: each scripted Connect failure becomes the API's answer.
  api = await startSandboxApi({}, { functionEnv: { CONNECT_MAX_ATTEMPTS: '1' } });
  proxy = await startAnswerDroppingProxy(api.apiUrl);
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await api?.close();
});

beforeEach(() => {
  proxy.reset();
  api.standIn!.reset();
});

/** The failure a promise rejected with. */
async function rejection(promise: Promise<unknown>): Promise<StartChatError> {
  try {
    await promise;
  } catch (error) {
    return error as StartChatError;
  }
  throw new Error('expected the call to fail');
}

/** Milliseconds between the proxy's receipt of request `i` and of request `i + 1`. */
function gapMs(i: number): number {
  return proxy.requests[i + 1]!.receivedAt - proxy.requests[i]!.receivedAt;
}

const keys = () => proxy.requests.map((request) => request.headers['idempotency-key']);

test('a chat starts: the answer’s data, one request with JSON and a fresh random Idempotency-Key', async () => {
  // Act
  const data = await startChat(proxy.url, REQUEST);
  const second = await startChat(proxy.url, REQUEST);

  // Assert
  expect(data.startChatResult.ContactId).toEqual(expect.any(String));
  expect(data.startChatResult.ParticipantToken).toEqual(expect.any(String));
  expect(data.featurePermissions).toEqual({ MESSAGING_MARKDOWN: true, ATTACHMENTS: false });
  expect(second.startChatResult.ContactId).not.toBe(data.startChatResult.ContactId);
  expect(proxy.requests).toHaveLength(2);
  expect(proxy.requests[0]!.headers['content-type']).toBe('application/json');
  expect(keys()[0]).toMatch(UUID_V4);
  expect(keys()[1]).not.toBe(keys()[0]);
  expect(api.standIn!.startChatCalls()[0]!.body).toMatchObject({ ClientToken: keys()[0], ...REQUEST });
});

test('an answer lost after the chat started: the retry gets the same ContactId, and Connect holds one chat', async () => {
  // Arrange: the API answers 200 to the first request, and the client's connection is cut before it reads it.
  proxy.dropNextAnswers(1);

  // Act
  const data = await startChat(proxy.url, REQUEST);

  // Assert
  const lost = JSON.parse(proxy.dropped[0]!.body);
  expect(proxy.dropped[0]!.status).toBe(200);
  expect(data.startChatResult.ContactId).toBe(lost.data.startChatResult.ContactId);
  expect(new Set(keys()).size).toBe(1);
  expect(proxy.requests).toHaveLength(2);
  expect(api.standIn!.startChatCalls().map((call) => call.body?.ClientToken)).toEqual([keys()[0], keys()[0]]);
  expect(api.standIn!.activeChats()).toBe(1);
});

test('429 with Retry-After: 2 waits about that long and no more, then starts the chat with the same key', async () => {
  // Arrange: Connect throttles the first call; the function answers 429 THROTTLED, Retry-After 2.
  api.standIn!.script({ error: 'TooManyRequestsException' });
  const retries: Array<{ delayMs: number; error: StartChatError }> = [];

  // Act
  const data = await startChat(proxy.url, REQUEST, { onRetry: (retry) => retries.push(retry) });

  // Assert
  expect(retries.map(({ error }) => [error.status, error.code, error.retryAfterSeconds])).toEqual([
    [429, 'THROTTLED', 2],
  ]);
  expect(gapMs(0)).toBeGreaterThanOrEqual(2_000);
  expect(gapMs(0)).toBeLessThan(3_500);
  expect(new Set(keys()).size).toBe(1);
  expect(data.startChatResult.ContactId).toEqual(expect.any(String));
});

test('503 CAPACITY_EXCEEDED is reported with its Retry-After, without a retry', async () => {
  // Arrange
  api.standIn!.script({ error: 'LimitExceededException' });

  // Act
  const error = await rejection(startChat(proxy.url, REQUEST));

  // Assert
  expect(error).toBeInstanceOf(StartChatError);
  expect(error).toMatchObject({ name: 'StartChatError', status: 503, code: 'CAPACITY_EXCEEDED' });
  expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(30);
  expect(error.requestId).toEqual(expect.any(String));
  expect(proxy.requests).toHaveLength(1);
});

test('503 IDENTITY_UNAVAILABLE (the identity provider’s keys out of reach) is retried after its Retry-After', async () => {
  // Arrange: an endpoint that answers as the function does when the identity provider's keys cannot be
  // fetched, then starts the chat (the `fetch` option stands in for the network).
  const answers = [
    {
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { success: false, error: { code: 'IDENTITY_UNAVAILABLE', message: 'later', requestId: 'r-1' } },
    },
    {
      status: 200,
      headers: {},
      body: {
        success: true,
        data: {
          startChatResult: { ContactId: 'c-1', ParticipantId: 'p-1', ParticipantToken: 't-1' },
          featurePermissions: { MESSAGING_MARKDOWN: true, ATTACHMENTS: false },
        },
      },
    },
  ];
  const sentAt: number[] = [];
  const fetch = async () => {
    sentAt.push(Date.now());
    const { status, headers, body } = answers[Math.min(sentAt.length - 1, answers.length - 1)]!;
    return new Response(JSON.stringify(body), { status, headers });
  };

  // Act
  const data = await startChat('https://chat.example.com/prod/chat', REQUEST, { fetch });

  // Assert
  expect(data.startChatResult.ContactId).toBe('c-1');
  expect(sentAt).toHaveLength(2);
  expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(1_000);
  expect(sentAt[1]! - sentAt[0]!).toBeLessThan(2_000);
});

describe('504: Connect does not answer within the function’s budget', () => {
  // An API of its own, whose function gives Connect 1 s (the least budget) and one call, so a hanging call
  // becomes a 504 UPSTREAM_TIMEOUT within about a second.
  let impatient: LocalApi;
  let impatientProxy: AnswerDroppingProxy;

  beforeAll(async () => {
    impatient = await startSandboxApi(
      {},
      { functionEnv: { CONNECT_MAX_ATTEMPTS: '1', CONNECT_RETRY_BUDGET_MS: '1000' } },
    );
    impatientProxy = await startAnswerDroppingProxy(impatient.apiUrl);
  }, 30_000);

  afterAll(async () => {
    await impatientProxy?.close();
    await impatient?.close();
  });

  test('is retried with the same Idempotency-Key, and the retry starts the chat', async () => {
    // Arrange: Connect's first call hangs, its second starts the chat.
    impatient.standIn!.script({ hang: true });
    const retries: StartChatError[] = [];

    // Act
    const data = await startChat(impatientProxy.url, REQUEST, { onRetry: ({ error }) => retries.push(error) });

    // Assert
    expect(retries.map((error) => [error.status, error.code])).toEqual([[504, 'UPSTREAM_TIMEOUT']]);
    const sent = impatientProxy.requests.map((request) => request.headers['idempotency-key']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(UUID_V4);
    expect(sent[1]).toBe(sent[0]);
    const calls = impatient.standIn!.startChatCalls();
    expect(calls.map((call) => [call.body?.ClientToken, call.outcome])).toEqual([
      [sent[0], 'hang'],
      [sent[0], 200],
    ]);
    expect(data.startChatResult.ContactId).toEqual(expect.any(String));
    expect(impatient.standIn!.activeChats()).toBe(1);
  });
});

test('400 is never retried, and carries every problem', async () => {
  // Act
  const error = await rejection(
    startChat(proxy.url, { ParticipantDetails: { DisplayName: '   ' }, ChatDurationInMinutes: 5 }),
  );

  // Assert
  expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', retryAfterSeconds: undefined });
  expect(error.details.map((issue) => issue.field).sort()).toEqual([
    'ChatDurationInMinutes',
    'ParticipantDetails.DisplayName',
  ]);
  expect(proxy.requests).toHaveLength(1);
  expect(api.standIn!.startChatCalls()).toHaveLength(0);
});

test('the time budget ends the retries with the last error', async () => {
  // Arrange: Connect fails every call, so the API answers 502 each time.
  api.standIn!.script(...Array.from({ length: 10 }, () => ({ error: 'InternalServiceException' })));
  const started = Date.now();

  // Act
  const error = await rejection(startChat(proxy.url, REQUEST, { timeoutMs: 2_500 }));

  // Assert: attempts at 0 and 1-1.5 s; the next wait (2-3 s) would end past the budget, so the call ends.
  expect(Date.now() - started).toBeLessThan(2_500);
  expect(error).toMatchObject({ status: 502, code: 'UPSTREAM_UNAVAILABLE' });
  expect(proxy.requests).toHaveLength(2);
  expect(gapMs(0)).toBeGreaterThanOrEqual(1_000);
});

describe('abort', () => {
  test('stops a waiting retry at once', async () => {
    // Arrange: a 429 with Retry-After 2, and an abort 200 ms into the wait.
    api.standIn!.script({ error: 'TooManyRequestsException' });
    const controller = new AbortController();
    let abortedAt = 0;
    const call = startChat(proxy.url, REQUEST, {
      signal: controller.signal,
      onRetry: () =>
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort();
        }, 200),
    });

    // Act
    const error = await rejection(call);
    const rejectedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_200));

    // Assert: rejected at once, and no retry went out afterwards.
    expect(rejectedAt - abortedAt).toBeLessThan(100);
    expect(error).toMatchObject({ status: 0, code: 'ABORTED' });
    expect(proxy.requests).toHaveLength(1);
  });

  test('stops a getToken that never answers at once, and nothing is sent', async () => {
    // Arrange: a token refresh that hangs, and an abort 200 ms into it.
    const controller = new AbortController();
    let asked = 0;
    const getToken = () => {
      asked++;
      return new Promise<string>(() => {});
    };
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 200);

    // Act
    const error = await rejection(startChat(proxy.url, REQUEST, { signal: controller.signal, getToken }));
    const rejectedAt = Date.now();

    // Assert
    expect(abortedAt).toBeGreaterThan(0);
    expect(rejectedAt - abortedAt).toBeLessThan(500);
    expect(error).toMatchObject({ status: 0, code: 'ABORTED' });
    expect(asked).toBe(1);
    expect(proxy.requests).toHaveLength(0);
  });

  test('stops the attempt in flight at once', async () => {
    // Arrange: Connect answers after 2 s.
    api.standIn!.script({ succeed: true, delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();

    // Act
    const error = await rejection(startChat(proxy.url, REQUEST, { signal: controller.signal }));

    // Assert
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('ABORTED');
  });
});

test('a slow API hits the per-attempt timeout, and the retry reuses the key: one chat', async () => {
  // Arrange: Connect takes 2.5 s over the first call; the client gives each attempt 1 s.
  api.standIn!.script({ succeed: true, delayMs: 2_500 });
  const retries: StartChatError[] = [];

  // Act
  const data = await startChat(proxy.url, REQUEST, {
    attemptTimeoutMs: 1_000,
    onRetry: ({ error }) => retries.push(error),
  });

  // Assert
  expect(retries.map((error) => [error.status, error.code])).toEqual([[0, 'TIMEOUT']]);
  expect(proxy.requests).toHaveLength(2);
  expect(new Set(keys()).size).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the first, slow call ends
  const calls = api.standIn!.startChatCalls();
  expect(calls.map((call) => call.body?.ClientToken)).toEqual([keys()[0], keys()[0]]);
  expect(calls.map((call) => call.outcome)).toEqual([200, 200]);
  expect(api.standIn!.activeChats()).toBe(1);
  expect(data.startChatResult.ContactId).toEqual(expect.any(String));
});

test('the token is asked again before each attempt, and sent as a Bearer token', async () => {
  // Arrange: Connect fails the first call (502), so there is a second attempt.
  api.standIn!.script({ error: 'InternalServiceException' });
  let asked = 0;

  // Act
  await startChat(proxy.url, REQUEST, { getToken: async () => `token-${++asked}` });

  // Assert
  expect(asked).toBe(2);
  expect(proxy.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
});

test.each([
  ['the time budget', { timeoutMs: 500 }],
  ['the per-attempt timeout', { attemptTimeoutMs: 500 }],
])('a getToken that never answers ends the call at %s with TOKEN_ERROR, and nothing is sent', async (_, limit) => {
  // Arrange
  const getToken = () => new Promise<string>(() => {});
  const started = Date.now();

  // Act
  const error = await rejection(startChat(proxy.url, REQUEST, { ...limit, getToken }));

  // Assert: at the limit (timers never fire early; the upper bound only tells "at the limit" from "never").
  const elapsedMs = Date.now() - started;
  expect(error).toBeInstanceOf(StartChatError);
  expect(error).toMatchObject({ status: 0, code: 'TOKEN_ERROR' });
  expect(error.message).toMatch(/^getToken did not answer in (4\d\d|500) ms$/);
  expect(elapsedMs).toBeGreaterThanOrEqual(490);
  expect(elapsedMs).toBeLessThan(2_500);
  expect(proxy.requests).toHaveLength(0);
});

/**
 * Starts calls while `globalThis.crypto` is replaced. The key is made before the call's first await, and the
 * local API in this process needs the real crypto, so the original is back before anything is sent.
 */
function startWithCrypto(crypto: unknown, calls: number): Array<Promise<unknown>> {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  Object.defineProperty(globalThis, 'crypto', { value: crypto, configurable: true });
  try {
    return Array.from({ length: calls }, () => startChat(proxy.url, REQUEST));
  } finally {
    Object.defineProperty(globalThis, 'crypto', original);
  }
}

test('without crypto.randomUUID (React Native, plain-HTTP pages) the key comes from getRandomValues', async () => {
  // Arrange
  const real = globalThis.crypto;
  let drawn = 0;
  const getRandomValues = (array: Uint8Array) => {
    drawn++;
    return real.getRandomValues(array);
  };

  // Act
  await Promise.all(startWithCrypto({ getRandomValues }, 2));

  // Assert
  expect(drawn).toBe(2);
  expect(keys()[0]).toMatch(UUID_V4);
  expect(keys()[1]).toMatch(UUID_V4);
  expect(keys()[1]).not.toBe(keys()[0]);
});

test('with no random source at all it refuses, rather than send a guessable key', async () => {
  // Act
  const error = await rejection(startWithCrypto(undefined, 1)[0]!);

  // Assert
  expect(error).toMatchObject({ status: 0, code: 'NO_RANDOM_SOURCE' });
  expect(proxy.requests).toHaveLength(0);
});
