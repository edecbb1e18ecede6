/**
 * Injected faults through the Connect stand-in: hangs, resets, slow answers, storms of 500s and of
 * throttling, and random mixtures of all of them, with several requests at once. Every request is
 * answered with the contract inside its deadline, before the function's timeout; no request ever creates
 * two chats, because every attempt of a request carries the same ClientToken.
 *
 * `npm test` tries FAULT_RUNS scenarios (default 12); `npm run test:hostile` tries more.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  type ConnectStandIn,
  type ScriptedOutcome,
  startConnectStandIn,
} from '../../local/connect-stand-in/connect-stand-in.ts';
import { baseEnv, chatBody, chatEvent, type Handler, lambdaContext, loadHandler } from '../support/handler.ts';
import { printDeliberately } from '../support/quiet-tests.ts';
import { expectContractShape } from './arbitraries.ts';

const RUNS = Number(process.env.FAULT_RUNS ?? 12);
const BUDGET_MS = 1_000;
const ATTEMPT_TIMEOUT_MS = 150;
const FUNCTION_TIMEOUT_MS = 1_500;
/** How late an answer may come after the budget on a busy 2-core machine. */
const SCHEDULING_SLACK_MS = 250;

const STATUSES_FOR_FAULTS = new Set([200, 400, 404, 429, 502, 503, 504]);

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_RETRY_BUDGET_MS: String(BUDGET_MS),
    CONNECT_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
    CONNECT_RETRY_BASE_DELAY_MS: '30',
    ALLOWED_ATTRIBUTE_KEYS: 'scenario',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

const fault: fc.Arbitrary<ScriptedOutcome> = fc.oneof(
  fc.constant({ hang: true } as const),
  fc.constant({ reset: true } as const),
  fc.integer({ min: 0, max: 400 }).map((delayMs) => ({ succeed: true, delayMs }) as const),
  fc.integer({ min: 0, max: 200 }).map((delayMs) => ({ reset: true, delayMs }) as const),
  fc
    .constantFrom(
      'InternalServiceException',
      'ServiceUnavailableException',
      'TooManyRequestsException',
      'ThrottlingException',
      'LimitExceededException',
      'InvalidRequestException',
      'ResourceNotFoundException',
    )
    .chain((error) => fc.integer({ min: 0, max: 100 }).map((delayMs) => ({ error, delayMs }))),
);

/** A scenario: a storm of one fault, or a random mixture, then whatever Connect does normally. */
const scenario = fc.oneof(
  fc.array(fault, { minLength: 1, maxLength: 25 }),
  fc.tuple(fault, fc.integer({ min: 5, max: 40 })).map(([one, count]) => Array.from({ length: count }, () => one)),
);

test(
  'every request is answered with the contract inside its deadline, and never starts two chats',
  async () => {
    let faultsInjected = 0;
    let requests = 0;
    let scenarios = 0;
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 1, max: 4 }), async (outcomes, concurrency) => {
        // Arrange: each scenario marks its requests, because on a busy machine an attempt that the previous
        // scenario abandoned can still reach the stand-in after reset().
        const scenarioId = String(++scenarios);
        standIn.reset();
        standIn.script(...outcomes);
        faultsInjected += outcomes.length;
        // Act
        const answers = await Promise.all(
          Array.from({ length: concurrency }, async () => {
            const context = lambdaContext(FUNCTION_TIMEOUT_MS);
            const started = Date.now();
            const result = await handler(
              chatEvent({ body: chatBody({ Attributes: { scenario: scenarioId } }) }),
              context,
            );
            return { result, elapsedMs: Date.now() - started, remainingMs: context.getRemainingTimeInMillis() };
          }),
        );
        // Assert
        requests += answers.length;
        for (const { result, elapsedMs, remainingMs } of answers) {
          statuses[result.statusCode] = (statuses[result.statusCode] ?? 0) + 1;
          expectContractShape(result);
          expect(STATUSES_FOR_FAULTS.has(result.statusCode)).toBe(true);
          expect(elapsedMs).toBeLessThanOrEqual(BUDGET_MS + SCHEDULING_SLACK_MS);
          expect(remainingMs).toBeGreaterThan(0);
        }
        // Each request made its own ClientToken and kept it: as many tokens as requests that called.
        const calls = standIn.startChatCalls();
        const ownCalls = calls.filter(
          (call) => (call.body?.Attributes as Record<string, unknown> | undefined)?.scenario === scenarioId,
        );
        const tokens = new Set(ownCalls.map((call) => call.body?.ClientToken));
        expect(tokens.size).toBeLessThanOrEqual(concurrency);
        // No token started more than one chat, so no request did (a late attempt of the previous scenario too).
        expect(standIn.activeChats()).toBeLessThanOrEqual(new Set(calls.map((call) => call.body?.ClientToken)).size);
        const started = answers.filter(({ result }) => result.statusCode === 200);
        const contactIds = new Set(started.map(({ result }) => JSON.parse(result.body).data.startChatResult.ContactId));
        expect(contactIds.size).toBe(started.length);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(faultsInjected).toBeGreaterThan(0);
    if (process.env.FAULT_RUNS !== undefined) {
      printDeliberately(
        `injected faults: ${RUNS} scenarios, ${faultsInjected} faults, ${requests} requests, statuses ${JSON.stringify(statuses)}`,
      );
    }
  },
  10_000 + RUNS * 3_000,
);
