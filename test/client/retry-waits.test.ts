/**
 * The shape of the client's waits (client/retry-policy.ts, README "From your widget" › Retries): the delay
 * it chooses after each failure, as `onRetry` reports it, against the documented bounds. An endpoint
 * scripted through the `fetch` option answers; the clock is jest's, so the waits take no real time and
 * each gap between two requests is exactly the wait the client slept, however loaded the machine.
 */
import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { type StartChatError, startChat } from '../../client/index.ts';

const ENDPOINT = 'https://chat.example.com/prod/chat';
const REQUEST = { ParticipantDetails: { DisplayName: 'Ada' } } as const;

/** One scripted answer: a status (with its error code and `Retry-After`), no answer at all, or a hang. */
type Answer =
  | { readonly status: number; readonly code: string; readonly retryAfter?: string }
  | 'network failure'
  | 'no answer';

const STARTED = {
  success: true,
  data: {
    startChatResult: { ContactId: 'c-1', ParticipantId: 'p-1', ParticipantToken: 't-1' },
    featurePermissions: { MESSAGING_MARKDOWN: true, ATTACHMENTS: false },
  },
};

const throttled = (retryAfter: string): Answer => ({ status: 429, code: 'THROTTLED', retryAfter });
const badGateway: Answer = { status: 502, code: 'UPSTREAM_UNAVAILABLE' };
const gatewayTimeout: Answer = { status: 504, code: 'UPSTREAM_TIMEOUT' };

interface Run {
  /** The delays the client reported to `onRetry`, in order. */
  readonly delays: number[];
  /** What each reported delay followed: status and code. */
  readonly failures: Array<[number, string]>;
  /** The clock at each request, and the Idempotency-Key it carried. */
  readonly sent: Array<{ readonly at: number; readonly key: string }>;
}

/** Starts a chat against an endpoint that gives `answers` in turn, then starts it; runs the clock out. */
async function run(answers: readonly Answer[], options: { readonly attemptTimeoutMs?: number } = {}): Promise<Run> {
  const result: Run = { delays: [], failures: [], sent: [] };
  const fetch = (_url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => {
    result.sent.push({ at: Date.now(), key: init.headers['Idempotency-Key']! });
    const answer = answers[result.sent.length - 1];
    if (answer === undefined) return Promise.resolve(new Response(JSON.stringify(STARTED), { status: 200 }));
    if (answer === 'network failure') return Promise.reject(new TypeError('fetch failed'));
    if (answer === 'no answer')
      return new Promise<Response>((_, reject) =>
        init.signal.addEventListener('abort', () => reject(init.signal.reason)),
      );
    const body = { success: false, error: { code: answer.code, message: 'scripted', requestId: 'r-1' } };
    const headers = answer.retryAfter === undefined ? {} : { 'Retry-After': answer.retryAfter };
    return Promise.resolve(new Response(JSON.stringify(body), { status: answer.status, headers }));
  };
  const call = startChat(ENDPOINT, REQUEST, {
    ...options,
    fetch: fetch as typeof globalThis.fetch,
    onRetry: ({ delayMs, error }: { delayMs: number; error: StartChatError }) => {
      result.delays.push(delayMs);
      result.failures.push([error.status, error.code]);
    },
  });
  await jest.runAllTimersAsync();
  await expect(call).resolves.toMatchObject({ startChatResult: { ContactId: 'c-1' } });
  return result;
}

/** Milliseconds on the clock between each request and the next. */
const gaps = ({ sent }: Run) => sent.slice(1).map((request, i) => request.at - sent[i]!.at);

/** `[least, most]` of a wait: the documented wait, plus up to half of it more at random. */
const jittered = (waitMs: number) => [waitMs, waitMs * 1.5] as const;

function expectWithin(delays: readonly number[], bounds: ReadonlyArray<readonly [number, number]>): void {
  expect(delays).toHaveLength(bounds.length);
  delays.forEach((delay, i) => {
    expect(delay).toBeGreaterThanOrEqual(bounds[i]![0]);
    expect(delay).toBeLessThanOrEqual(bounds[i]![1]);
  });
}

beforeEach(() => {
  // Timers and Date are jest's; microtasks and nextTick stay real, so `Response` bodies can be read.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

test('429 three times with Retry-After: 6: 6–9 s, then 12–18 s twice (doubling capped at 12 s), slept as reported, one key', async () => {
  // Act
  const result = await run([throttled('6'), throttled('6'), throttled('6')]);

  // Assert
  expect(result.failures).toEqual([
    [429, 'THROTTLED'],
    [429, 'THROTTLED'],
    [429, 'THROTTLED'],
  ]);
  expectWithin(result.delays, [jittered(6_000), jittered(12_000), jittered(12_000)]);
  expect(gaps(result)).toEqual(result.delays);
  expect(new Set(result.sent.map(({ key }) => key)).size).toBe(1);
});

test('429 three times with Retry-After: 2: 2–3 s, 4–6 s, 8–12 s (doubling below the cap)', async () => {
  // Act
  const result = await run([throttled('2'), throttled('2'), throttled('2')]);

  // Assert
  expectWithin(result.delays, [jittered(2_000), jittered(4_000), jittered(8_000)]);
  expect(gaps(result)).toEqual(result.delays);
});

test('a Retry-After longer than the cap is still honoured: Retry-After: 20 waits 20–30 s', async () => {
  // Act
  const result = await run([throttled('20'), throttled('20')]);

  // Assert
  expectWithin(result.delays, [jittered(20_000), jittered(20_000)]);
});

test.each([
  ['none', 0, [6_000, 12_000, 12_000]],
  ['all', 0.999_999, [9_000, 18_000, 18_000]],
])('the random part adds from nothing to half the wait: %s of it', async (_, draw, expected) => {
  // Arrange
  jest.spyOn(Math, 'random').mockReturnValue(draw);

  // Act
  const result = await run([throttled('6'), throttled('6'), throttled('6')]);

  // Assert
  expect(result.delays).toEqual(expected);
});

test('no answer, 502 and 504 without Retry-After: 1–1.5 s, 2–3 s, 4–6 s, then 8–12 s (capped at 8 s)', async () => {
  // Act
  const result = await run(['network failure', badGateway, 'no answer', gatewayTimeout, badGateway], {
    attemptTimeoutMs: 5_000,
  });

  // Assert
  expect(result.failures).toEqual([
    [0, 'NETWORK_ERROR'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [0, 'TIMEOUT'],
    [504, 'UPSTREAM_TIMEOUT'],
    [502, 'UPSTREAM_UNAVAILABLE'],
  ]);
  expectWithin(result.delays, [jittered(1_000), jittered(2_000), jittered(4_000), jittered(8_000), jittered(8_000)]);
  // The timed-out attempt took its 5 s before its wait began.
  const expectedGaps = result.delays.map((delay, i) => (i === 2 ? 5_000 + delay : delay));
  expect(gaps(result)).toEqual(expectedGaps);
  expect(new Set(result.sent.map(({ key }) => key)).size).toBe(1);
});

test('a 502 with Retry-After: 3 starts its waits from there: 3–4.5 s, 6–9 s, then the cap, 8–12 s', async () => {
  // Act
  const result = await run([
    { ...badGateway, retryAfter: '3' },
    { ...badGateway, retryAfter: '3' },
    { ...badGateway, retryAfter: '3' },
  ]);

  // Assert
  expectWithin(result.delays, [jittered(3_000), jittered(6_000), jittered(8_000)]);
});

test('throttling and failures double apart: 429, 502, 429, 502 wait 2–3 s, 1–1.5 s, 4–6 s, 2–3 s', async () => {
  // Act
  const result = await run([throttled('2'), badGateway, throttled('2'), badGateway]);

  // Assert
  expectWithin(result.delays, [jittered(2_000), jittered(1_000), jittered(4_000), jittered(2_000)]);
});
