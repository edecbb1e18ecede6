/**
 * Property-based tests of hostile input through the real handler and SDK against the Connect stand-in:
 * arbitrary bodies, content types, encodings, header sets and nesting. Whatever arrives, the answer has
 * the contract's shape, a client's mistake is a 4xx naming the problem (never a 5xx or a throw), and an
 * invalid request never reaches Connect.
 *
 * `npm test` tries HOSTILE_RUNS cases per property (default 100); `npm run test:hostile` tries 10,000.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { toApiGatewayProxyEvent } from '../../local/api-gateway-event.ts';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import {
  baseEnv,
  FLOW_ID,
  type Handler,
  INSTANCE_ID,
  lambdaContext,
  loadHandler,
  ORIGIN,
  OTHER_FLOW_ID,
} from '../support/handler.ts';
import { printDeliberately } from '../support/quiet-tests.ts';
import {
  ALLOWED_ATTRIBUTE_KEYS,
  expectContractShape,
  hostileRequest,
  type Mutation,
  mutations,
  validBody,
} from './arbitraries.ts';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 100);
const PARAMS = { numRuns: RUNS, endOnFailure: true } as const;

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false, maxConcurrentChats: Number.MAX_SAFE_INTEGER });
  handler = await loadHandler({
    ...baseEnv(standIn.url),
    CONNECT_ALLOWED_CONTACT_FLOW_IDS: OTHER_FLOW_ID,
    ALLOWED_ATTRIBUTE_KEYS: ALLOWED_ATTRIBUTE_KEYS.join(','),
    MAX_CHAT_DURATION_MINUTES: '10080',
    ALLOW_PERSISTENT_CHAT: 'true',
    ALLOW_RELATED_CONTACT: 'true',
    ALLOW_CUSTOMER_ID: 'true',
    ALLOW_SEGMENT_ATTRIBUTES: 'true',
    MAX_BODY_BYTES: String(64 * 1024),
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

/** Cases tried and answers seen, printed after a large run (`npm run test:hostile`). */
const tally = { cases: 0, statuses: {} as Record<number, number> };

afterAll(() => {
  if (process.env.HOSTILE_RUNS !== undefined) {
    printDeliberately(`hostile input: ${tally.cases} cases, statuses ${JSON.stringify(tally.statuses)}`);
  }
});

async function answer(event: Parameters<Handler>[0]) {
  const callsBefore = standIn.startChatCalls().length;
  const result = await handler(event, lambdaContext());
  tally.cases++;
  tally.statuses[result.statusCode] = (tally.statuses[result.statusCode] ?? 0) + 1;
  return { result, calls: standIn.startChatCalls().length - callsBefore, body: expectContractShape(result) };
}

describe('whatever arrives', () => {
  test('the answer has the contract’s shape, a 4xx for anything invalid, and Connect sees only valid requests', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest(), async (request) => {
        // Arrange
        const event = toApiGatewayProxyEvent(request, {
          resource: '/chat',
          binaryMediaTypes: request.binaryMediaTypes,
        });
        // Act
        const { result, calls } = await answer(event);
        // Assert
        if (result.statusCode === 200) {
          expect(calls).toBe(1);
        } else {
          expect(result.statusCode).toBeGreaterThanOrEqual(400);
          expect(result.statusCode).toBeLessThan(500);
          expect(calls).toBe(0);
        }
      }),
      PARAMS,
    );
  });

  test('deep nesting is refused as a 400, not a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), async (depth, open) => {
        const close = open === '[' ? ']' : '}';
        const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const body = `{"ParticipantDetails":{"DisplayName":"Ada"},"Attributes":${nested}}`;
        const { result, calls } = await answer(
          toApiGatewayProxyEvent({ method: 'POST', url: '/prod/chat', headers: {}, body }, { resource: '/chat' }),
        );
        expect(result.statusCode).toBe(Buffer.byteLength(body) > 64 * 1024 ? 413 : 400);
        expect(calls).toBe(0);
      }),
      { ...PARAMS, numRuns: Math.min(RUNS, 200) },
    );
  });
});

describe('a valid request with one mistake', () => {
  test('is refused with 400 naming the field, and never reaches Connect', async () => {
    await fc.assert(
      fc.asyncProperty(validBody(), mutations(), async (body, mutation: Mutation) => {
        // Arrange
        const broken = mutation.apply(structuredClone(body));
        const event = toApiGatewayProxyEvent(
          {
            method: 'POST',
            url: '/prod/chat',
            headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
            body: JSON.stringify(broken),
          },
          { resource: '/chat' },
        );
        // Act
        const { result, calls, body: json } = await answer(event);
        // Assert
        expect(result.statusCode).toBe(400);
        expect(calls).toBe(0);
        const fields: string[] = json.error.details.map((detail: { field: string }) => detail.field);
        expect(fields.some((field) => field === mutation.field || field.startsWith(`${mutation.field}.`))).toBe(true);
      }),
      PARAMS,
    );
  });
});

describe('a valid request', () => {
  test('starts a chat and reaches Connect as sent, with the server’s instance', async () => {
    await fc.assert(
      fc.asyncProperty(validBody(), async (body) => {
        const event = toApiGatewayProxyEvent(
          {
            method: 'POST',
            url: '/prod/chat',
            headers: { 'content-type': 'text/plain', origin: ORIGIN },
            body: JSON.stringify(body),
          },
          { resource: '/chat' },
        );
        const { result, calls, body: json } = await answer(event);
        expect(result.statusCode).toBe(200);
        expect(calls).toBe(1);
        expect(json.data.startChatResult.ContactId).toEqual(expect.any(String));
        const forwarded = standIn.startChatCalls().at(-1)!.body!;
        expect(forwarded.InstanceId).toBe(INSTANCE_ID);
        expect(forwarded.ContactFlowId).toBe((body.ContactFlowId as string | undefined) ?? FLOW_ID);
        expect(forwarded.ParticipantDetails).toEqual({
          DisplayName: (body.ParticipantDetails as { DisplayName: string }).DisplayName.trim(),
        });
        for (const field of [
          'InitialMessage',
          'ChatDurationInMinutes',
          'SupportedMessagingContentTypes',
          'CustomerId',
        ]) {
          expect(forwarded[field]).toEqual(body[field]);
        }
      }),
      PARAMS,
    );
  });
});
