/**
 * The body is JSON whatever the Content-Type; base64 bodies are decoded; oversized bodies get 413; a body
 * that is not a JSON object gets 400 naming `body`, without quoting it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectError, expectRejected, expectStarted } from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';

const MAX_BODY_BYTES = 2_048;

let standIn: ConnectStandIn;
let handler: Handler;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  handler = await loadHandler({ ...baseEnv(standIn.url), MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

const json = JSON.stringify(chatBody());

describe('reads JSON whatever the Content-Type', () => {
  test.each([
    ['application/json', 'application/json'],
    ['text/plain, as ChatInterface sends through fetch', 'text/plain;charset=UTF-8'],
    ['no Content-Type', null],
    ['form-encoded with a JSON body, as the jQuery sample sends', 'application/x-www-form-urlencoded; charset=UTF-8'],
    ['an unrelated type', 'application/octet-stream'],
  ])('%s', async (_name, contentType) => {
    const answer = await invoke(handler, chatEvent({ body: json, contentType }));
    expectStarted(answer);
  });

  test('Content-Encoding amz-1.0, as the iOS sample sends', async () => {
    const answer = await invoke(handler, chatEvent({ body: json, headers: { 'Content-Encoding': 'amz-1.0' } }));
    expectStarted(answer);
  });

  test('a base64 body from API Gateway', async () => {
    const event = chatEvent({ body: json, base64: true });
    expect(event.isBase64Encoded).toBe(true);
    const answer = await invoke(handler, event);
    expectStarted(answer);
  });

  test('a body that starts with a byte-order mark', async () => {
    const answer = await invoke(handler, chatEvent({ body: `\ufeff${json}` }));
    expectStarted(answer);
  });
});

describe('refuses what is not a JSON object, naming the body', () => {
  test.each([
    ['text', 'hello world'],
    ['truncated JSON', json.slice(0, -3)],
    ['a JSON list', '[{"ParticipantDetails":{"DisplayName":"Ada"}}]'],
    ['a JSON string', '"Ada"'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['an empty body', ''],
    ['whitespace', '  \n '],
    ['a form', 'ParticipantDetails=Ada'],
  ])('%s', async (_name, body) => {
    const answer = await invoke(handler, chatEvent({ body }));
    expectRejected(answer, 'body', standIn, 0);
    if (body.length > 3) expect(JSON.stringify(answer.json)).not.toContain(body.slice(0, 8));
  });

  test('no body at all', async () => {
    const answer = await invoke(handler, chatEvent({}));
    expectRejected(answer, 'body', standIn, 0);
  });

  test('base64 that is not UTF-8', async () => {
    const event = {
      ...chatEvent({ body: json }),
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
      isBase64Encoded: true,
    };
    const answer = await invoke(handler, event);
    expectRejected(answer, 'body', standIn, 0);
  });

  test('a compressed body', async () => {
    const answer = await invoke(handler, chatEvent({ body: json, headers: { 'Content-Encoding': 'gzip' } }));
    expectRejected(answer, 'Content-Encoding', standIn, 0);
  });
});

describe('the size limit', () => {
  const padded = (bytes: number) => json + ' '.repeat(bytes - Buffer.byteLength(json));

  test('accepts a body of exactly the limit', async () => {
    const answer = await invoke(handler, chatEvent({ body: padded(MAX_BODY_BYTES) }));
    expectStarted(answer);
  });

  test('answers 413 one byte over, without calling Connect', async () => {
    const answer = await invoke(handler, chatEvent({ body: padded(MAX_BODY_BYTES + 1) }));
    expectError(answer, 413, 'PAYLOAD_TOO_LARGE');
    expect(standIn.startChatCalls()).toHaveLength(0);
  });

  test('counts UTF-8 bytes, not characters', async () => {
    const body = JSON.stringify(chatBody({ ParticipantDetails: { DisplayName: 'é'.repeat(1_100) } }));
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    const answer = await invoke(handler, chatEvent({ body }));
    expectError(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  test('applies to base64 bodies after decoding', async () => {
    const accepted = await invoke(handler, chatEvent({ body: padded(MAX_BODY_BYTES), base64: true }));
    const refused = await invoke(handler, chatEvent({ body: padded(MAX_BODY_BYTES + 1), base64: true }));
    expectStarted(accepted);
    expectError(refused, 413, 'PAYLOAD_TOO_LARGE');
  });
});
