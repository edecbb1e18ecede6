/**
 * Metrics and the log line for answers the Connect stand-in cannot provoke, with the Connect client
 * replaced by a test double: an unexpected error (500), middy's early-timeout answer when a call ignores
 * its abort signal, and errors other parts of the handler raise with their own codes, which decide the
 * outcome where the status would mislead (503 `IDENTITY_UNAVAILABLE` is an upstream error, not a full
 * quota; 401 `UNAUTHENTICATED` is a rejection).
 */
import { beforeAll, expect, jest, test } from '@jest/globals';
import { HttpError } from '../../lambda/errors.ts';
import { captureOutput } from '../support/captured-output.ts';
import { type EmfDocument, emfDocuments } from '../support/emf.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, lambdaContext } from '../support/handler.ts';

/** What the Connect client double does with each call. */
let send: () => Promise<unknown> = () => Promise.reject(new Error('not set'));
let calls = 0;
let handler: Handler;

beforeAll(async () => {
  Object.assign(process.env, baseEnv('http://127.0.0.1:9'), {
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
  });
  jest.unstable_mockModule('../../lambda/connect-client.ts', () => ({
    createConnectClient: () => ({
      send: () => {
        calls += 1;
        return send();
      },
    }),
  }));
  const loaded = (await import('../../lambda/start-chat-contact.ts')) as unknown as { handler: Handler };
  handler = loaded.handler;
});

async function run(behaviour: () => Promise<unknown>, timeoutMs?: number) {
  send = behaviour;
  calls = 0;
  const output = captureOutput();
  try {
    const answer = await invoke(handler, chatEvent({ body: chatBody() }), lambdaContext(timeoutMs));
    return { answer, documents: emfDocuments(output), output };
  } finally {
    output.restore();
  }
}

function outcomeMetricsSetTo1(document: EmfDocument): string[] {
  return ['ChatsStarted', 'Rejected', 'Throttled', 'CapacityExceeded', 'UpstreamErrors', 'InternalErrors'].filter(
    (name) => document.values[name] === 1,
  );
}

function logLine(output: ReturnType<typeof captureOutput>) {
  return output.records().find((record) => record.outcome !== undefined);
}

test('an unexpected error: 500, InternalErrors = 1, logged as internal_error', async () => {
  // Act
  const { answer, documents, output } = await run(() => Promise.reject(new TypeError('cannot read x')));

  // Assert
  expect(answer.statusCode).toBe(500);
  expect(documents).toHaveLength(1);
  expect(outcomeMetricsSetTo1(documents[0]!)).toEqual(['InternalErrors']);
  expect(documents[0]!.values.ConnectAttempts).toBe(1);
  expect(logLine(output)).toMatchObject({ outcome: 'internal_error', statusCode: 500 });
});

test("middy's early-timeout answer: 504, exactly one document, UpstreamErrors = 1 with the attempt made", async () => {
  // Arrange: a call that never settles and ignores its abort signal; the invocation has 600 ms left.
  const never = () => new Promise<unknown>(() => undefined);

  // Act
  const { answer, documents, output } = await run(never, 600);

  // Assert
  expect(answer.statusCode).toBe(504);
  expect(answer.json.error.code).toBe('UPSTREAM_TIMEOUT');
  expect(documents).toHaveLength(1);
  expect(outcomeMetricsSetTo1(documents[0]!)).toEqual(['UpstreamErrors']);
  expect(documents[0]!.values.ConnectAttempts).toBe(calls);
  expect(calls).toBeGreaterThanOrEqual(1);
  expect(logLine(output)).toMatchObject({ outcome: 'upstream_failed', statusCode: 504 });
  // Middy's answer, not the retry loop's: no Connect failure was recorded.
  expect(logLine(output)).not.toHaveProperty('connectError');
});

test.each([
  [503, 'IDENTITY_UNAVAILABLE', 'UpstreamErrors', 'upstream_failed', 'ERROR'],
  [401, 'UNAUTHENTICATED', 'Rejected', 'rejected', 'INFO'],
  [503, 'CAPACITY_EXCEEDED', 'CapacityExceeded', 'capacity_exceeded', 'WARN'],
  [503, 'SOMETHING_NEW', 'UpstreamErrors', 'upstream_failed', 'ERROR'],
  [429, 'THROTTLED', 'Throttled', 'throttled', 'WARN'],
])('%i %s counts as %s and is logged as %s at %s', async (status, code, metric, outcome, level) => {
  // Act
  const { answer, documents, output } = await run(() =>
    Promise.reject(new HttpError(status, code, 'safe message', { retryAfterSeconds: 5 })),
  );

  // Assert
  expect(answer.statusCode).toBe(status);
  expect(answer.json.error.code).toBe(code);
  expect(documents).toHaveLength(1);
  expect(outcomeMetricsSetTo1(documents[0]!)).toEqual([metric]);
  expect(logLine(output)).toMatchObject({ outcome, statusCode: status, errorCode: code, level });
});
