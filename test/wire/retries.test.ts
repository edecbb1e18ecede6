/**
 * The real handler and the real AWS SDK against the Connect stand-in over HTTP: what is retried, what is
 * not, one ClientToken for every attempt, and an answer inside the deadline whatever Connect does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectError, expectStarted } from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, lambdaContext, loadHandler } from '../support/handler.ts';

const BUDGET_MS = 1_500;
const ATTEMPT_TIMEOUT_MS = 300;

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_RETRY_BUDGET_MS: String(BUDGET_MS),
    CONNECT_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    CONNECT_RETRY_BASE_DELAY_MS: '20',
  });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

function clientTokens(): unknown[] {
  return standIn.startChatCalls().map((call) => call.body?.ClientToken);
}

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = Date.now();
  const result = await action();
  return { result, elapsedMs: Date.now() - started };
}

describe('retried', () => {
  test.each(['TooManyRequestsException', 'ThrottlingException'])(
    'rate throttling (%s) twice, then success: 3 calls, one ClientToken, 200',
    async (error) => {
      // Arrange
      standIn.script({ error }, { error });
      // Act
      const answer = await invoke(handler, chatEvent({ body: chatBody() }));
      // Assert
      expectStarted(answer);
      expect(standIn.startChatCalls().map((call) => call.outcome)).toEqual([429, 429, 200]);
      expect(new Set(clientTokens()).size).toBe(1);
    },
  );

  test.each(['InternalServiceException', 'ServiceUnavailableException'])(
    'a transient %s, then success',
    async (error) => {
      standIn.script({ error });
      const answer = await invoke(handler, chatEvent({ body: chatBody() }));
      expectStarted(answer);
      expect(standIn.startChatCalls()).toHaveLength(2);
      expect(new Set(clientTokens()).size).toBe(1);
    },
  );

  test('a hung call: abandoned after the per-attempt timeout, retried with the same token', async () => {
    standIn.script({ hang: true });
    const { result: answer, elapsedMs } = await timed(() => invoke(handler, chatEvent({ body: chatBody() })));
    expectStarted(answer);
    expect(standIn.startChatCalls().map((call) => call.outcome)).toEqual(['hang', 200]);
    expect(new Set(clientTokens()).size).toBe(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(ATTEMPT_TIMEOUT_MS - 20);
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
  });

  test('a slow answer past the per-attempt timeout that had started the chat: the retry returns that chat', async () => {
    standIn.script({ succeed: true, delayMs: ATTEMPT_TIMEOUT_MS + 200 });
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expectStarted(answer);
    expect(standIn.activeChats()).toBe(1);
  });

  test('a reset connection', async () => {
    standIn.script({ reset: true });
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expectStarted(answer);
    expect(standIn.startChatCalls().map((call) => call.outcome)).toEqual(['reset', 200]);
    expect(new Set(clientTokens()).size).toBe(1);
  });
});

describe('not retried', () => {
  test('the concurrent-chat quota (LimitExceededException): 1 call, 503 with Retry-After', async () => {
    standIn.script({ error: 'LimitExceededException' });
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expectError(answer, 503, 'CAPACITY_EXCEEDED');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(standIn.startChatCalls()).toHaveLength(1);
  });

  test('the real quota, once full', async () => {
    const small = await startConnectStandIn({ ratePerSecond: false, maxConcurrentChats: 1 });
    try {
      const limited = await loadHandler({ ...baseEnv(small.url), CONNECT_RETRY_BUDGET_MS: String(BUDGET_MS) });
      expectStarted(await invoke(limited, chatEvent({ body: chatBody() })));
      const answer = await invoke(limited, chatEvent({ body: chatBody() }));
      expectError(answer, 503, 'CAPACITY_EXCEEDED');
      expect(small.startChatCalls()).toHaveLength(2);
    } finally {
      await small.close();
    }
  });

  test.each([
    ['InvalidRequestException', 400, 'REQUEST_REJECTED'],
    ['InvalidParameterException', 400, 'REQUEST_REJECTED'],
    ['ResourceNotFoundException', 404, 'RESOURCE_NOT_FOUND'],
    ['AccessDeniedException', 502, 'UPSTREAM_REJECTED'],
  ])('Connect’s %s: 1 call, %i %s', async (error, status, code) => {
    standIn.script({ error, message: 'arn:aws:connect:us-east-1:123456789012:instance/secret detail' });
    const answer = await invoke(handler, chatEvent({ body: chatBody() }));
    expectError(answer, status, code);
    expect(standIn.startChatCalls()).toHaveLength(1);
  });
});

describe('past the budget', () => {
  test('throttling that lasts: 429 THROTTLED with Retry-After, answered inside the budget', async () => {
    standIn.script(...Array.from({ length: 50 }, () => ({ error: 'TooManyRequestsException' })));
    const { result: answer, elapsedMs } = await timed(() => invoke(handler, chatEvent({ body: chatBody() })));
    expectError(answer, 429, 'THROTTLED');
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS + 300);
    expect(standIn.startChatCalls().length).toBeGreaterThanOrEqual(2);
    expect(new Set(clientTokens()).size).toBe(1);
  });

  test('a storm of 500s: 502 UPSTREAM_UNAVAILABLE inside the budget', async () => {
    standIn.script(...Array.from({ length: 50 }, () => ({ error: 'InternalServiceException' })));
    const { result: answer, elapsedMs } = await timed(() => invoke(handler, chatEvent({ body: chatBody() })));
    expectError(answer, 502, 'UPSTREAM_UNAVAILABLE');
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS + 300);
  });

  test('calls that always hang: 504 UPSTREAM_TIMEOUT inside the budget', async () => {
    standIn.script(...Array.from({ length: 50 }, () => ({ hang: true as const })));
    const { result: answer, elapsedMs } = await timed(() => invoke(handler, chatEvent({ body: chatBody() })));
    expectError(answer, 504, 'UPSTREAM_TIMEOUT');
    expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS + 300);
    expect(new Set(clientTokens()).size).toBe(1);
  });

  test('never more attempts than CONNECT_MAX_ATTEMPTS', async () => {
    const capped = await loadHandler({
      ...baseEnv(standIn.url),
      CONNECT_MAX_ATTEMPTS: '2',
      CONNECT_RETRY_BASE_DELAY_MS: '10',
    });
    standIn.script(...Array.from({ length: 10 }, () => ({ error: 'TooManyRequestsException' })));
    const answer = await invoke(capped, chatEvent({ body: chatBody() }));
    expectError(answer, 429, 'THROTTLED');
    expect(standIn.startChatCalls()).toHaveLength(2);
  });
});

describe('the deadline follows the invocation', () => {
  test('API Gateway’s 29 s, counted from when it received the request', async () => {
    const patient = await loadHandler({ ...baseEnv(standIn.url), CONNECT_ATTEMPT_TIMEOUT_MS: '300' });
    standIn.script(...Array.from({ length: 50 }, () => ({ hang: true as const })));
    const receivedAt = Date.now() - 27_500;
    const { result: answer, elapsedMs } = await timed(() =>
      invoke(patient, chatEvent({ body: chatBody(), receivedAt })),
    );
    expectError(answer, 504, 'UPSTREAM_TIMEOUT');
    // 29 s after receipt, less the margin for answering: about 1 s from now.
    expect(elapsedMs).toBeLessThan(1_500);
  });

  test('the Lambda’s remaining time', async () => {
    const patient = await loadHandler({ ...baseEnv(standIn.url), CONNECT_ATTEMPT_TIMEOUT_MS: '300' });
    standIn.script(...Array.from({ length: 50 }, () => ({ hang: true as const })));
    const { result: answer, elapsedMs } = await timed(() =>
      invoke(patient, chatEvent({ body: chatBody() }), lambdaContext(1_500)),
    );
    expectError(answer, 504, 'UPSTREAM_TIMEOUT');
    expect(elapsedMs).toBeLessThan(1_500);
  });
});
