/**
 * CORS: an allowed Origin is echoed with `Vary: Origin` on every answer, errors included; a disallowed
 * Origin gets 403 before anything else; `*` only when the deployer asked for it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { expectError, expectStarted } from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, invoke, loadHandler, ORIGIN } from '../support/handler.ts';

let standIn: ConnectStandIn;

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

describe('with a list of allowed origins', () => {
  const other = 'https://shop.example.org';
  const load = () =>
    // Configured with a trailing slash and capitals; browsers send the serialized form.
    loadHandler({ ...baseEnv(standIn.url), ALLOWED_ORIGINS: `${ORIGIN}, HTTPS://Shop.Example.org/` });

  test.each([ORIGIN, other])('echoes the allowed origin %s', async (origin) => {
    const handler = await load();
    const answer = await invoke(handler, chatEvent({ body: chatBody(), origin }));
    expectStarted(answer);
    expect(answer.headers['access-control-allow-origin']).toBe(origin);
    expect(answer.headers.vary).toBe('Origin');
    expect(answer.headers['access-control-expose-headers']).toContain('Retry-After');
  });

  test('echoes the origin on error answers too', async () => {
    const handler = await load();
    const invalid = await invoke(handler, chatEvent({ body: 'not json' }));
    standIn.script({ error: 'LimitExceededException' });
    const full = await invoke(handler, chatEvent({ body: chatBody() }));
    for (const answer of [invalid, full]) {
      expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(answer.headers.vary).toBe('Origin');
    }
    expect(full.statusCode).toBe(503);
  });

  test.each([
    ['another site', 'https://evil.example.net'],
    ['a look-alike with a port', 'https://www.example.com:8443'],
    ['plain http', 'http://www.example.com'],
    ['a sandboxed frame', 'null'],
  ])('refuses %s with 403 before reading the body, and never calls Connect', async (_name, origin) => {
    const handler = await load();
    const answer = await invoke(handler, chatEvent({ body: 'not even json', origin }));
    expectError(answer, 403, 'ORIGIN_NOT_ALLOWED');
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
    expect(answer.headers.vary).toBe('Origin');
    expect(standIn.startChatCalls()).toHaveLength(0);
  });

  test('serves callers that send no Origin (mobile apps, servers) without CORS headers', async () => {
    const handler = await load();
    const answer = await invoke(handler, chatEvent({ body: chatBody(), origin: null }));
    expectStarted(answer);
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
  });
});

test('sends * only when the deployer allowed every origin', async () => {
  const handler = await loadHandler({ ...baseEnv(standIn.url), ALLOWED_ORIGINS: '*' });
  const answer = await invoke(handler, chatEvent({ body: chatBody(), origin: 'https://anywhere.example' }));
  expectStarted(answer);
  expect(answer.headers['access-control-allow-origin']).toBe('*');
});

test('with no allowed origins, refuses every browser and serves the rest', async () => {
  const handler = await loadHandler({ ...baseEnv(standIn.url), ALLOWED_ORIGINS: '' });
  const browser = await invoke(handler, chatEvent({ body: chatBody() }));
  const app = await invoke(handler, chatEvent({ body: chatBody(), origin: null }));
  expectError(browser, 403, 'ORIGIN_NOT_ALLOWED');
  expectStarted(app);
});
