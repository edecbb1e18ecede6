/**
 * `npm start --identity=...`: the local development identity provider (its own keys, JWKS and token
 * endpoint on loopback), and for the hosted widget's format a Secrets Manager stand-in holding its key, so a
 * widget developer tries the signed-in path with no AWS and no identity provider. The demo page's "sign in
 * as a test customer" switch, in a real browser.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { TEST_CUSTOMER } from '../../local/dev-identity-provider.ts';
import { type LocalApi, startLocalApi } from '../../local/local-api.ts';
import { readSettings, SettingsError } from '../../local/settings.ts';
import { type Chromium, launchChromium } from '../support/chromium.ts';
import { AUTHENTICATED } from '../support/expectations.ts';
import { QUIET_FUNCTION } from '../support/sandbox-api.ts';
import { bearer, decode, withPayload } from '../support/tokens.ts';

async function testCustomerToken(api: LocalApi): Promise<string> {
  const response = await fetch(api.identity!.tokenUrl, { method: 'POST' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function startChat(api: LocalApi, headers: Record<string, string> = {}) {
  const response = await fetch(api.apiUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ ParticipantDetails: { DisplayName: 'Ada' } }),
  });
  return { status: response.status, json: (await response.json()) as any, headers: response.headers };
}

describe.each(['oidc', 'shared-secret'] as const)('with --identity=%s', (kind) => {
  let api: LocalApi;
  beforeAll(async () => {
    api = await startLocalApi(readSettings([`--identity=${kind}`], { PORT: '0' }), {
      functionEnv: QUIET_FUNCTION,
    });
  }, 30_000);
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    api.standIn!.reset();
  });

  test('a test customer’s token starts a verified chat', async () => {
    // Arrange
    const token = await testCustomerToken(api);
    // Act
    const answer = await startChat(api, bearer(token));
    // Assert
    expect(answer.status).toBe(200);
    const [call] = api.standIn!.startChatCalls();
    expect(call!.body).toMatchObject({
      CustomerId: TEST_CUSTOMER.sub,
      Attributes: { customerTier: TEST_CUSTOMER.tier },
      SegmentAttributes: AUTHENTICATED,
    });
  });

  test('without a token the chat is anonymous (sign-in is optional unless IDENTITY_REQUIRED)', async () => {
    expect((await startChat(api)).status).toBe(200);
    expect(api.standIn!.startChatCalls()[0]!.body).not.toHaveProperty('SegmentAttributes');
    expect(api.identity).toMatchObject({ kind, required: false });
  });

  test('a forged token is refused', async () => {
    const token = await testCustomerToken(api);
    const forged = withPayload(token, { ...decode(token).payload, customerId: 'someone-else' });
    const answer = await startChat(api, bearer(forged));
    expect(answer.status).toBe(401);
    expect(answer.json.error.code).toBe('UNAUTHENTICATED');
    expect(api.standIn!.startChatCalls()).toHaveLength(0);
  });
});

test('IDENTITY_REQUIRED=true makes a token necessary', async () => {
  const api = await startLocalApi(readSettings(['--identity=oidc'], { PORT: '0', IDENTITY_REQUIRED: 'true' }), {
    functionEnv: QUIET_FUNCTION,
  });
  try {
    const answer = await startChat(api);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(api.identity?.required).toBe(true);
  } finally {
    await api.close();
  }
});

describe('settings', () => {
  test('off by default; --identity or LOCAL_IDENTITY turn it on, on PORT + 4 unless IDENTITY_PORT', () => {
    expect(readSettings([], {}).identity).toBeUndefined();
    expect(readSettings(['--identity=oidc'], { PORT: '4100' }).identity).toEqual({ kind: 'oidc', port: 4104 });
    expect(readSettings([], { LOCAL_IDENTITY: 'shared-secret', IDENTITY_PORT: '4150' }).identity).toEqual({
      kind: 'shared-secret',
      port: 4150,
    });
    expect(readSettings(['--identity=off'], { LOCAL_IDENTITY: 'oidc' }).identity).toBeUndefined();
  });

  test.each([
    [['--identity=saml'], {}, /LOCAL_IDENTITY \(or --identity\) must be one of oidc, shared-secret or off/],
    [
      ['--identity=oidc'],
      { IDENTITY_SOURCE: 'oidc' },
      /brings its own identity provider, but IDENTITY_SOURCE is set too/,
    ],
    [['--identity=oidc'], { IDENTITY_PORT: 'x' }, /IDENTITY_PORT must be a port number/],
  ])('%j %j is refused', (args, env, message) => {
    expect(() => readSettings(args, env)).toThrow(SettingsError);
    expect(() => readSettings(args, env)).toThrow(message);
  });
});

describe('the demo page’s “sign in as a test customer” switch', () => {
  let api: LocalApi;
  let browser: Chromium;
  beforeAll(async () => {
    api = await startLocalApi(readSettings(['--identity=oidc'], { PORT: '0' }), {
      functionEnv: QUIET_FUNCTION,
    });
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  test('on: the page fetches a token and starts a verified chat; off: an anonymous one', async () => {
    // Arrange
    api.standIn!.reset();
    const startFromPage = async (signedIn: boolean) => {
      const page = await browser.context.newPage();
      await page.goto(api.demoUrl);
      await page.fill('#display-name', 'Ada Lovelace');
      if (signedIn) await page.check('#sign-in');
      await page.click('#start');
      await page.locator('#result[data-state="success"]').waitFor({ timeout: 10_000 });
      await page.close();
    };
    // Act
    await startFromPage(true);
    await startFromPage(false);
    // Assert
    const calls = api.standIn!.startChatCalls();
    expect(calls).toHaveLength(2);
    expect(calls[0]!.body).toMatchObject({ CustomerId: TEST_CUSTOMER.sub, SegmentAttributes: AUTHENTICATED });
    expect(calls[1]!.body).not.toHaveProperty('SegmentAttributes');
    expect(calls[1]!.body).not.toHaveProperty('CustomerId');
  });

  test('without --identity the switch is not shown', async () => {
    const plain = await startLocalApi(readSettings([], { PORT: '0' }), {
      functionEnv: QUIET_FUNCTION,
    });
    try {
      const page = await browser.context.newPage();
      await page.goto(plain.demoUrl);
      expect(await page.locator('#sign-in-option').isHidden()).toBe(true);
      await page.close();
    } finally {
      await plain.close();
    }
  });
});
