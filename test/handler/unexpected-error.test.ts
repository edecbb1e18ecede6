/**
 * Anything unexpected answers 500 INTERNAL_ERROR with a generic message: no stack, no internal text.
 * The fault is injected at the Connect client, the handler's only way out.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { captureOutput } from '../support/captured-output.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, lambdaContext } from '../support/handler.ts';

const INTERNAL_DETAIL = 'SENTINEL-INTERNAL-DETAIL-3c1e';
let handler: Handler;
let output: ReturnType<typeof captureOutput>;

beforeAll(async () => {
  Object.assign(process.env, baseEnv('http://127.0.0.1:9'));
  jest.unstable_mockModule('../../lambda/connect-client.ts', () => ({
    createConnectClient: () => ({
      send: () => Promise.reject(new TypeError(`cannot read ${INTERNAL_DETAIL}`)),
    }),
  }));
  const loaded = (await import('../../lambda/start-chat-contact.ts')) as unknown as { handler: Handler };
  handler = loaded.handler;
  output = captureOutput();
});
afterAll(() => {
  output.restore();
});

test('answers 500 INTERNAL_ERROR without internals, and logs the error by name', async () => {
  const event = chatEvent({ body: chatBody() });
  const answer = await invoke(handler, event, lambdaContext());
  expect(answer.statusCode).toBe(500);
  expect(answer.json).toEqual({
    success: false,
    error: { code: 'INTERNAL_ERROR', message: 'Internal error', requestId: event.requestContext.requestId },
  });
  expect(answer.headers['access-control-allow-origin']).toBe(event.headers.Origin);
  const [line] = output.records().filter((record) => record.outcome !== undefined);
  expect(line).toMatchObject({ level: 'ERROR', outcome: 'internal_error', statusCode: 500, errorName: 'TypeError' });
  expect(output.text()).not.toContain(INTERNAL_DETAIL);
});

test('the raw result is a well-formed API Gateway proxy result', async () => {
  const result: APIGatewayProxyResult = await handler(chatEvent({ body: chatBody() }), lambdaContext());
  expect(typeof result.body).toBe('string');
  expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  expect(result.headers?.['Cache-Control']).toBe('no-store');
});
