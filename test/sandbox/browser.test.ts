/**
 * The chat sandbox in a real browser (headless Chromium, CORS enforced): a customer on the demo page and
 * a person playing the agent in the agent console, each page on its own origin, hold one chat with
 * amazon-connect-chatjs: the console takes the chat over from the simulated agent, both sides see the
 * other typing, messages go both ways and each side's messages get the other's delivered and read marks;
 * the agent sends a file the customer downloads; the agent ends the chat and the customer's page says so.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { type Chromium, launchChromium } from '../support/chromium.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

let api: LocalApi;
let browser: Chromium;
const sandboxRequests: AccessLogEntry[] = [];

beforeAll(async () => {
  api = await startSandboxApi(
    { ATTACHMENTS_ENABLED: 'true' },
    { onSandboxRequest: (entry) => sandboxRequests.push(entry) },
  );
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

test('a customer on the demo page and a person in the agent console chat both ways, with typing and receipts', async () => {
  // Arrange: the customer starts a chat; the simulated agent greets.
  const customer = await browser.context.newPage();
  await customer.goto(api.demoUrl);
  await customer.fill('#display-name', 'Ada Lovelace');
  await customer.click('#start');
  await customer.locator('.chat[data-state="connected"]').waitFor({ timeout: 10_000 });
  await customer.locator('.chat-message[data-role="AGENT"]').first().waitFor({ timeout: 10_000 });
  const agent = await browser.context.newPage();
  await agent.goto(api.sandbox!.consoleUrl);

  // Act 1: the person opens the chat in the console, taking it over.
  await agent.locator('#chat-list li', { hasText: 'Ada Lovelace' }).locator('button').click();
  await agent.locator('.panel .chat[data-state="connected"]').waitFor({ timeout: 10_000 });

  // Act 2: the customer types, then writes.
  await customer.fill('.chat-compose textarea', 'Is anyone real there?');
  await agent.getByTestId('chat-typing').waitFor({ state: 'visible', timeout: 10_000 });
  await customer.click('.chat-compose button[type="submit"]');
  await agent.locator('.chat-message[data-role="CUSTOMER"]', { hasText: 'Is anyone real there?' }).waitFor();

  // Act 3: the agent types, then answers.
  await agent.fill('.panel .chat-compose textarea', 'Yes, a real person took over.');
  await customer.getByTestId('chat-typing').waitFor({ state: 'visible', timeout: 10_000 });
  const agentTyping = await customer.getByTestId('chat-typing').textContent();
  await agent.click('.panel .chat-compose button[type="submit"]');
  await customer.locator('.chat-message[data-role="AGENT"]', { hasText: 'a real person took over' }).waitFor();

  // Both sides' pages are in view, so each reads the other's message: chatjs sends the receipts.
  const customerMark = customer
    .locator('.chat-message[data-own="true"]', { hasText: 'Is anyone real there?' })
    .locator('.chat-mark[data-mark="read"]');
  const agentMark = agent
    .locator('.chat-message[data-own="true"]', { hasText: 'a real person took over' })
    .locator('.chat-mark[data-mark="read"]');
  await customerMark.waitFor({ timeout: 15_000 });
  await agentMark.waitFor({ timeout: 15_000 });

  // Act 4: the agent sends a file; the customer downloads it.
  await agent.locator('.panel [data-testid="chat-file"]').setInputFiles({
    name: 'invoice.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 sandbox invoice'),
  });
  const downloadButton = customer.locator('.chat-message[data-role="AGENT"] .chat-download', {
    hasText: 'invoice.pdf',
  });
  await downloadButton.waitFor({ timeout: 10_000 });
  const [download] = await Promise.all([customer.waitForEvent('download'), downloadButton.click()]);
  const downloaded = readFileSync(await download.path(), 'utf8');

  // Act 5: the agent ends the chat.
  await agent.click('.panel .chat-end');
  await customer.locator('.chat[data-state="ended"]').waitFor({ timeout: 10_000 });

  // Assert
  expect(agentTyping).toBe('Sandbox Agent is typing…');
  expect(await agent.getByTestId('chat-typing').first().textContent()).toBe('Ada Lovelace is typing…');
  expect(download.suggestedFilename()).toBe('invoice.pdf');
  expect(downloaded).toBe('%PDF-1.4 sandbox invoice');
  expect(await customer.getByTestId('chat-status').textContent()).toBe('The chat has ended');
  expect(await customer.getByTestId('chat-log').textContent()).toContain('Sandbox Agent left the chat');
  // The simulated agent stopped answering once the console took over.
  expect(await customer.locator('.chat-message[data-role="AGENT"]', { hasText: 'Is anyone real there?' }).count()).toBe(
    0,
  );
  // The demo page called the sandbox cross-origin, as a widget on a site does: preflights first.
  const demoOrigin = new URL(api.demoUrl).origin;
  expect(sandboxRequests).toContainEqual(
    expect.objectContaining({ method: 'OPTIONS', path: '/participant/connection', status: 204, origin: demoOrigin }),
  );
  expect(sandboxRequests).toContainEqual(
    expect.objectContaining({ method: 'POST', path: '/participant/message', status: 200, origin: demoOrigin }),
  );
  await customer.close();
  await agent.close();
}, 60_000);

test('when the Participant Service does not answer, the page says what to check', async () => {
  // Arrange: a second npm start whose chat sandbox has stopped (the API and Connect stand-in still run).
  const broken = await startSandboxApi();
  const page = await browser.context.newPage();
  try {
    await page.goto(broken.demoUrl);
    await broken.sandbox!.close();

    // Act
    await page.fill('#display-name', 'Ada Lovelace');
    await page.click('#start');
    await page.locator('.chat[data-state="error"]').waitFor({ timeout: 15_000 });

    // Assert
    expect(await page.locator('#result').getAttribute('data-state')).toBe('success');
    expect(await page.getByTestId('chat-error').textContent()).toBe(
      'Could not connect: No answer from the Participant Service. Is npm start still running, and is this page open on localhost or 127.0.0.1?',
    );
  } finally {
    await page.close();
    await broken.close();
  }
}, 30_000);
