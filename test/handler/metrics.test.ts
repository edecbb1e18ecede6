/**
 * The handler's metrics: for every outcome, exactly one Embedded Metric Format document that parses as EMF,
 * in the configured namespace with the function's name as its one dimension, every outcome metric as 0 or
 * 1, `ConnectAttempts` only when Connect was called and `TimeToChat` only for a started chat. A metrics
 * writer that fails changes no answer. (The early-timeout answer, unexpected errors and error codes from
 * other parts of the handler are in metrics-seams.test.ts, which replaces the Connect client.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { captureOutput } from '../support/captured-output.ts';
import { type EmfDocument, emfDocuments } from '../support/emf.ts';
import {
  type Answer,
  baseEnv,
  type ChatEventOptions,
  chatBody,
  chatEvent,
  type Handler,
  invoke,
  lambdaContext,
  loadHandler,
} from '../support/handler.ts';

const OUTCOME_METRICS = [
  'ChatsStarted',
  'Rejected',
  'Throttled',
  'CapacityExceeded',
  'UpstreamErrors',
  'InternalErrors',
];
const FUNCTION_NAME = 'chat-metrics-test';

let standIn: ConnectStandIn;
let handler: Handler;

const metricsEnv = (url: string) => ({
  ...baseEnv(url),
  POWERTOOLS_METRICS_DISABLED: 'false',
  CONNECT_RETRY_BASE_DELAY_MS: '10',
  CONNECT_ATTEMPT_TIMEOUT_MS: '200',
  CONNECT_RETRY_BUDGET_MS: '1000',
});

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  handler = await loadHandler(metricsEnv(standIn.url));
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

/** Invokes once and returns the answer and every EMF document written meanwhile. */
async function send(
  options: ChatEventOptions,
  target: Handler = handler,
): Promise<{ answer: Answer; documents: EmfDocument[] }> {
  const output = captureOutput();
  let answer: Answer;
  try {
    answer = await invoke(target, chatEvent(options), {
      ...lambdaContext(),
      functionName: FUNCTION_NAME,
    });
  } finally {
    output.restore();
  }
  return { answer, documents: emfDocuments(output) };
}

function outcomeValues(document: EmfDocument): Record<string, number | undefined> {
  return Object.fromEntries(OUTCOME_METRICS.map((name) => [name, document.values[name]]));
}

function only(name: string): Record<string, number> {
  return Object.fromEntries(OUTCOME_METRICS.map((metric) => [metric, metric === name ? 1 : 0]));
}

const hugeBody = { ParticipantDetails: { DisplayName: 'Ada' }, InitialMessage: 'x'.repeat(200_000) };
const times = (count: number, outcome: Parameters<ConnectStandIn['script']>[0]) =>
  Array.from({ length: count }, () => outcome);

interface Case {
  readonly name: string;
  readonly script: Parameters<ConnectStandIn['script']>;
  readonly request: ChatEventOptions;
  readonly status: number;
  readonly metric: string;
  /** Connect calls the request made: the exact count, or 'several' for retries (at least 2). */
  readonly attempts: number | 'several' | undefined;
}

const cases: Case[] = [
  { name: 'started', script: [], request: { body: chatBody() }, status: 200, metric: 'ChatsStarted', attempts: 1 },
  {
    name: 'started after a throttled attempt',
    script: [{ error: 'TooManyRequestsException' }],
    request: { body: chatBody() },
    status: 200,
    metric: 'ChatsStarted',
    attempts: 2,
  },
  {
    name: 'rejected by validation',
    script: [],
    request: { body: { Unknown: true } },
    status: 400,
    metric: 'Rejected',
    attempts: undefined,
  },
  {
    name: 'body too large',
    script: [],
    request: { body: hugeBody },
    status: 413,
    metric: 'Rejected',
    attempts: undefined,
  },
  {
    name: 'origin refused',
    script: [],
    request: { body: chatBody(), origin: 'https://evil.example' },
    status: 403,
    metric: 'Rejected',
    attempts: undefined,
  },
  {
    name: 'rejected by Connect',
    script: [{ error: 'InvalidRequestException' }],
    request: { body: chatBody() },
    status: 400,
    metric: 'Rejected',
    attempts: 1,
  },
  {
    name: 'throttled after retries',
    script: times(20, { error: 'TooManyRequestsException' }),
    request: { body: chatBody() },
    status: 429,
    metric: 'Throttled',
    attempts: 'several',
  },
  {
    name: 'capacity exceeded',
    script: [{ error: 'LimitExceededException' }],
    request: { body: chatBody() },
    status: 503,
    metric: 'CapacityExceeded',
    attempts: 1,
  },
  {
    name: 'upstream 5xx after retries',
    script: times(20, { error: 'InternalServiceException' }),
    request: { body: chatBody() },
    status: 502,
    metric: 'UpstreamErrors',
    attempts: 'several',
  },
  {
    name: 'Connect refuses this deployment',
    script: [{ error: 'AccessDeniedException' }],
    request: { body: chatBody() },
    status: 502,
    metric: 'UpstreamErrors',
    attempts: 1,
  },
  {
    name: 'upstream timeout',
    script: times(20, { hang: true }),
    request: { body: chatBody() },
    status: 504,
    metric: 'UpstreamErrors',
    attempts: 'several',
  },
];

describe.each(cases)('$name', ({ script, request, status, metric, attempts }) => {
  test(`answers ${status} and writes exactly one valid EMF document with ${metric} = 1`, async () => {
    // Arrange
    standIn.script(...script);

    // Act
    const { answer, documents } = await send(request);

    // Assert
    expect(answer.statusCode).toBe(status);
    expect(documents).toHaveLength(1);
    const [document] = documents as [EmfDocument];
    expect(document.namespace).toBe('StartChatContactApi');
    expect(document.dimensionSets).toEqual([['FunctionName']]);
    expect(document.dimensions).toEqual({ FunctionName: FUNCTION_NAME });
    expect(outcomeValues(document)).toEqual(only(metric));
    for (const name of OUTCOME_METRICS) expect(document.units[name]).toBe('Count');
    const calls = standIn.startChatCalls().length;
    if (attempts === undefined) {
      expect(calls).toBe(0);
      expect(document.values).not.toHaveProperty('ConnectAttempts');
    } else {
      expect(document.values.ConnectAttempts).toBe(calls);
      expect(document.units.ConnectAttempts).toBe('Count');
      if (attempts === 'several') expect(calls).toBeGreaterThanOrEqual(2);
      else expect(calls).toBe(attempts);
    }
    if (metric === 'ChatsStarted') {
      expect(document.units.TimeToChat).toBe('Milliseconds');
      expect(document.values.TimeToChat).toBeGreaterThanOrEqual(0);
      expect(document.values.TimeToChat).toBeLessThan(5_000);
    } else {
      expect(document.values).not.toHaveProperty('TimeToChat');
    }
  });
});

test('TimeToChat spans the retries that came before the chat started', async () => {
  // Arrange: Connect answers the first attempt after 150 ms, with throttling.
  standIn.script({ error: 'TooManyRequestsException', delayMs: 150 });

  // Act
  const { answer, documents } = await send({ body: chatBody() });

  // Assert
  expect(answer.statusCode).toBe(200);
  expect(documents[0]!.values.TimeToChat).toBeGreaterThanOrEqual(150);
});

test('the namespace comes from POWERTOOLS_METRICS_NAMESPACE', async () => {
  // Arrange
  const custom = await loadHandler({ ...metricsEnv(standIn.url), POWERTOOLS_METRICS_NAMESPACE: 'Chat/Prod' });

  // Act
  const { documents } = await send({ body: chatBody() }, custom);

  // Assert
  expect(documents.map((document) => document.namespace)).toEqual(['Chat/Prod']);
});

test('POWERTOOLS_METRICS_DISABLED=true writes no metrics', async () => {
  // Arrange
  const quiet = await loadHandler({ ...metricsEnv(standIn.url), POWERTOOLS_METRICS_DISABLED: 'true' });

  // Act
  const { answer, documents } = await send({ body: chatBody() }, quiet);

  // Assert
  expect(answer.statusCode).toBe(200);
  expect(documents).toEqual([]);
});

test('each of several requests in one container writes its own document, attempts not carried over', async () => {
  // Arrange
  standIn.script(...times(20, { error: 'TooManyRequestsException' }));
  const throttled = await send({ body: chatBody() });
  standIn.reset();

  // Act
  const started = await send({ body: chatBody() });

  // Assert
  expect(throttled.documents[0]!.values.ConnectAttempts).toBeGreaterThanOrEqual(2);
  expect(started.documents).toHaveLength(1);
  expect(started.documents[0]!.values.ConnectAttempts).toBe(1);
});

describe('a metrics writer that fails', () => {
  /** Like captureOutput, but every EMF line makes stdout throw. */
  function failingEmfOutput() {
    const chunks: string[] = [];
    const write = ((chunk: unknown) => {
      const text = String(chunk);
      if (text.startsWith('{"_aws"')) throw new Error('EPIPE: broken pipe');
      chunks.push(text);
      return true;
    }) as never;
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(write);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(write);
    return {
      records: () =>
        chunks
          .join('')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      restore: () => {
        out.mockRestore();
        err.mockRestore();
      },
    };
  }

  test.each([
    ['a started chat', [], { body: chatBody({ ClientToken: 'same-chat-either-way' }) }],
    ['a rejected request', [], { body: { Unknown: true } }],
    ['a full quota', [{ error: 'LimitExceededException' }], { body: chatBody() }],
  ] as Array<[string, Parameters<ConnectStandIn['script']>, ChatEventOptions]>)(
    'changes no answer: %s',
    async (_name, script, request) => {
      // Arrange
      const logging = await loadHandler({ ...metricsEnv(standIn.url), POWERTOOLS_LOG_LEVEL: 'WARN' });
      standIn.script(...script);
      const expected = await send(request, logging);
      standIn.script(...script);
      const output = failingEmfOutput();

      // Act
      let answer: Answer;
      try {
        answer = await invoke(logging, chatEvent(request), { ...lambdaContext(), functionName: FUNCTION_NAME });
      } finally {
        output.restore();
      }

      // Assert
      expect(answer.statusCode).toBe(expected.answer.statusCode);
      expect(answer.headers['content-type']).toBe(expected.answer.headers['content-type']);
      expect(answer.headers['retry-after'] === undefined).toBe(expected.answer.headers['retry-after'] === undefined);
      const { requestId: _a, ...errorWithoutId } = answer.json.error ?? {};
      const { requestId: _b, ...expectedWithoutId } = expected.answer.json.error ?? {};
      expect(errorWithoutId).toEqual(expectedWithoutId);
      expect(answer.json.success).toBe(expected.answer.json.success);
      if (answer.json.success) {
        expect(answer.json.data.startChatResult.ContactId).toBe(expected.answer.json.data.startChatResult.ContactId);
      }
      expect(output.records()).toContainEqual(
        expect.objectContaining({ level: 'WARN', message: 'metrics not written', errorName: 'Error' }),
      );
    },
  );
});
