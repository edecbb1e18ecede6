/**
 * The demo page in a real browser: headless Chromium opens it on its own origin, fills in the form and
 * submits it; the page calls the local API cross-origin (with a CORS preflight, as a widget does) and
 * shows what the API answered.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { networkAddresses } from '../../local/network-addresses.ts';
import { type Chromium, launchChromium } from '../support/chromium.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let api: LocalApi;
let browser: Chromium;
const requests: AccessLogEntry[] = [];

beforeAll(async () => {
  api = await startSandboxApi({}, { onRequest: (entry) => requests.push(entry) });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

beforeEach(() => {
  requests.length = 0;
  api.standIn!.reset();
});

test('a visitor starts a chat from the demo page and sees its ContactId', async () => {
  // Arrange
  const page = await browser.context.newPage();
  await page.goto(api.demoUrl);
  const pageOrigin = new URL(api.demoUrl).origin;

  // Act
  await page.fill('#display-name', 'Ada Lovelace');
  await page.fill('#first-message', 'Hello from the browser');
  await page.click('#start');
  const contactId = await page.getByTestId('contact-id').textContent({ timeout: 10_000 });

  // Assert
  expect(contactId).toMatch(UUID);
  expect(await page.locator('#result').getAttribute('data-state')).toBe('success');
  expect(api.standIn!.startChatCalls()).toHaveLength(1);
  expect(api.standIn!.startChatCalls()[0]!.body).toMatchObject({
    ParticipantDetails: { DisplayName: 'Ada Lovelace' },
    InitialMessage: { ContentType: 'text/plain', Content: 'Hello from the browser' },
    // The browser client's Idempotency-Key, which the function sends as the ClientToken.
    ClientToken: expect.stringMatching(UUID),
  });
  // Cross-origin, as a widget on a website: the browser asked first, then posted.
  expect(requests.map(({ method, status, origin }) => ({ method, status, origin }))).toEqual([
    { method: 'OPTIONS', status: 204, origin: pageOrigin },
    { method: 'POST', status: 200, origin: pageOrigin },
  ]);
  await page.close();
});

test('the page shows the error envelope, opened on its other origin (localhost)', async () => {
  // Arrange
  const page = await browser.context.newPage();
  await page.goto(api.demoUrl.replace('127.0.0.1', 'localhost'));

  // Act: a blank display name passes the browser but not the API's validation.
  await page.fill('#display-name', '   ');
  await page.click('#start');
  await page.locator('#result[data-state="error"]').waitFor({ timeout: 10_000 });

  // Assert
  expect(await page.locator('#result-title').textContent()).toBe('400 · VALIDATION_ERROR');
  expect(await page.locator('#result-details').textContent()).toContain('ParticipantDetails.DisplayName');
  expect(api.standIn!.startChatCalls()).toHaveLength(0);
  expect(requests.at(-1)).toMatchObject({ method: 'POST', status: 400, origin: new URL(page.url()).origin });
  await page.close();
});

test('the browser enforces CORS: a page on an origin the API does not allow never gets to POST', async () => {
  // Arrange: a second local API that allows only another site, so the demo page's origin is refused.
  const strictRequests: AccessLogEntry[] = [];
  const strict = await startSandboxApi(
    { ALLOWED_ORIGINS: 'https://www.example.com' },
    { onRequest: (entry) => strictRequests.push(entry) },
  );
  const page = await browser.context.newPage();
  try {
    await page.goto(strict.demoUrl);

    // Act: the client retries what looks to it like a network failure until the page's 10 s budget ends.
    await page.fill('#display-name', 'Ada Lovelace');
    await page.click('#start');
    await page.locator('#result[data-state="error"]').waitFor({ timeout: 20_000 });

    // Assert: no preflight allowed the page's origin, so the browser sent no POST at all.
    expect(await page.locator('#result-title').textContent()).toBe('No answer the page could read');
    expect(strictRequests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(strictRequests.map(({ method }) => method))).toEqual(new Set(['OPTIONS']));
    expect(strict.standIn!.startChatCalls()).toHaveLength(0);
  } finally {
    await page.close();
    await strict.close();
  }
});

// Needs an interface besides loopback (any network connection), the address a phone would use.
(networkAddresses().length === 0 ? test.skip : test)(
  'with HOST=0.0.0.0 a page opened at the network address, over plain http, starts a chat there',
  async () => {
    // Arrange: as a phone on the same network would open it (an insecure context: no crypto.randomUUID).
    const lanRequests: AccessLogEntry[] = [];
    const lan = await startSandboxApi({ HOST: '0.0.0.0' }, { onRequest: (entry) => lanRequests.push(entry) });
    const page = await browser.context.newPage();
    try {
      const { demoUrl, apiUrl } = lan.network[0]!;
      await page.goto(demoUrl);

      // Act
      await page.fill('#display-name', 'Ada Lovelace');
      await page.click('#start');
      const contactId = await page.getByTestId('contact-id').textContent({ timeout: 10_000 });

      // Assert
      expect(await page.evaluate('window.isSecureContext')).toBe(false);
      expect(contactId).toMatch(UUID);
      expect(await page.locator('#api-url').textContent()).toBe(apiUrl);
      const origin = new URL(demoUrl).origin;
      expect(lanRequests.map(({ method, status, origin }) => ({ method, status, origin }))).toEqual([
        { method: 'OPTIONS', status: 204, origin },
        { method: 'POST', status: 200, origin },
      ]);
      expect(lan.standIn!.startChatCalls()[0]!.body).toMatchObject({ ClientToken: expect.stringMatching(UUID) });
    } finally {
      await page.close();
      await lan.close();
    }
  },
);
