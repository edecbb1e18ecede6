/**
 * The chat sandbox in a real browser (headless Chromium, CORS enforced): a customer on the demo page and
 * a person playing the agent in the agent console, each page on its own origin, hold one chat with
 * amazon-connect-chatjs: the console takes the chat over from the simulated agent, both sides see the
 * other typing, messages go both ways and each side's messages get the other's delivered and read marks;
 * the agent sends a file the customer downloads; the agent ends the chat and the customer's page says so.
 *
 * The demo page on its own: it shows the two lines a widget needs for this sandbox; its attach button
 * follows ATTACHMENTS_ENABLED and sends a file the agent gets; its End chat ends the chat for both sides;
 * and each error (no answer, a refused token, a refused file) gets a message that says what happened.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { type Chromium, launchChromium } from '../support/chromium.ts';
import { call, createConnection, RawSocket, takeOver } from '../support/participant-client.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

const EVENT = 'application/vnd.amazonaws.connect.event.';
/** The largest attachment this file's sandbox takes (20 MiB by default), so a refused one is small. */
const MAX_ATTACHMENT_BYTES = 64 * 1024;

let api: LocalApi;
let browser: Chromium;
const sandboxRequests: AccessLogEntry[] = [];
const pages: Page[] = [];
const sockets: RawSocket[] = [];

beforeAll(async () => {
  api = await startSandboxApi(
    { ATTACHMENTS_ENABLED: 'true' },
    {
      onSandboxRequest: (entry) => sandboxRequests.push(entry),
      sandboxLimits: { maxAttachmentBytes: MAX_ATTACHMENT_BYTES },
    },
  );
  browser = await launchChromium();
}, 30_000);
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(pages.splice(0).map((page) => page.close()));
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** A customer who started a chat on the demo page at `demoUrl` (in `page`, else a new one) and is connected. */
async function customerChat(demoUrl: string, name: string, page?: Page): Promise<{ page: Page; contactId: string }> {
  const customer = page ?? (await browser.context.newPage());
  pages.push(customer);
  await customer.goto(demoUrl);
  await customer.fill('#display-name', name);
  await customer.click('#start');
  await customer.locator('.chat[data-state="connected"]').waitFor({ timeout: 10_000 });
  return { page: customer, contactId: (await customer.getByTestId('contact-id').textContent()) ?? '' };
}

/** The agent of a chat of this file's sandbox, taken over from the simulated agent, on a subscribed socket. */
async function agentOf(contactId: string): Promise<{ connectionToken: string; socket: RawSocket }> {
  const agent = await takeOver(api.sandbox!.url, contactId);
  const connection = await createConnection(api.sandbox!.url, agent.ParticipantToken);
  const socket = new RawSocket(connection.socketUrl);
  sockets.push(socket);
  await socket.subscribe();
  return { connectionToken: connection.connectionToken, socket };
}

test('a customer on the demo page and a person in the agent console chat both ways, with typing and receipts', async () => {
  // Arrange: the customer starts a chat; the simulated agent greets.
  const { page: customer } = await customerChat(api.demoUrl, 'Ada Lovelace');
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

test('the demo page shows the two lines for this sandbox, and its result panel the same ChatSession.create', async () => {
  // Arrange + Act: a chat started, so that the result panel shows its hint.
  const { page } = await customerChat(api.demoUrl, 'Grace Hopper');
  const lines = (await page.locator('#chatjs-lines').textContent())?.split('\n');
  const hint = await page.locator('#result-hint code').textContent();

  // Assert: the page connected with these very lines.
  const { region } = api.connect;
  expect(lines).toEqual([
    `connect.ChatSession.setGlobalConfig({ endpoint: '${api.sandbox!.url}', region: '${region}' });`,
    `connect.ChatSession.create({ chatDetails: startChatResult, type: 'CUSTOMER', disableCSM: true, options: { region: '${region}' } });`,
  ]);
  expect(hint).toBe(lines?.[1]);
}, 30_000);

test('with attachments on, the customer attaches a file the agent gets; one over the limit is refused with the reason', async () => {
  // Arrange: the agent's side taken over, so that it is a person's.
  const { page, contactId } = await customerChat(api.demoUrl, 'Mary Jackson');
  const agent = await agentOf(contactId);
  const attach = page.locator('.chat-attach');
  const attachShown = await attach.isVisible();

  // Act 1: a file through the attach button.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), attach.click()]);
  await chooser.setFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('paid in full') });
  const item = await agent.socket.waitForItem((candidate) => candidate.Type === 'ATTACHMENT', 10_000);
  const link = await call(api.sandbox!.url, '/participant/attachment', agent.connectionToken, {
    AttachmentId: item.Attachments[0].AttachmentId,
  });
  const received = await (await fetch(link.body.Url)).text();
  await page.locator('.chat-message[data-own="true"] .chat-download', { hasText: 'receipt.txt' }).waitFor();

  // Act 2: a file one byte over the limit.
  const [again] = await Promise.all([page.waitForEvent('filechooser'), attach.click()]);
  await again.setFiles({
    name: 'scan.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1),
  });
  await page.getByTestId('chat-error').waitFor({ state: 'visible', timeout: 10_000 });

  // Assert
  expect(attachShown).toBe(true);
  expect(item).toMatchObject({ ParticipantRole: 'CUSTOMER', DisplayName: 'Mary Jackson', ContactId: contactId });
  expect(item.Attachments[0]).toMatchObject({ AttachmentName: 'receipt.txt', ContentType: 'text/plain' });
  expect(received).toBe('paid in full');
  expect(await page.getByTestId('chat-error').textContent()).toBe(
    `scan.pdf was not sent: ValidationException (400): AttachmentSizeInBytes must be at most ${MAX_ATTACHMENT_BYTES} bytes (got ${MAX_ATTACHMENT_BYTES + 1})`,
  );
  expect(agent.socket.items().filter((candidate) => candidate.Type === 'ATTACHMENT')).toHaveLength(1);
}, 30_000);

test('with attachments off, the demo page offers no attach button', async () => {
  // Arrange: a second npm start with ATTACHMENTS_ENABLED off.
  const off = await startSandboxApi();
  try {
    // Act
    const { page } = await customerChat(off.demoUrl, 'Katherine Johnson');

    // Assert
    expect(await page.locator('.chat-attach').isHidden()).toBe(true);
    expect(await page.locator('#result-fields').textContent()).toContain('ATTACHMENTS: false');
  } finally {
    await Promise.all(pages.splice(0).map((page) => page.close()));
    await off.close();
  }
}, 30_000);

test("the demo page's End chat ends the chat on both sides", async () => {
  // Arrange: DisconnectParticipant's answer is held until the socket's chat.ended has ended the chat on the
  // page, the order a loaded network can give them in; the page must stay ended when the answer comes.
  const { page, contactId } = await customerChat(api.demoUrl, 'Dorothy Vaughan');
  const agent = await agentOf(contactId);
  const answerReleased = new Promise<void>((resolve) => {
    void page.route('**/participant/disconnect', async (route) => {
      const response = await route.fetch();
      await page.locator('.chat[data-state="ended"]').waitFor({ timeout: 10_000 });
      await route.fulfill({ response });
      resolve();
    });
  });

  // Act
  const answered = page.waitForResponse('**/participant/disconnect');
  await page.click('.chat-end');
  await answerReleased;
  await answered;
  // The click handler's continuation after the answer: a task later at most.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  const left = await agent.socket.waitForItem((item) => item.ContentType === `${EVENT}participant.left`);
  const ended = await agent.socket.waitForItem((item) => item.ContentType === `${EVENT}chat.ended`);
  const agentAfter = await call(api.sandbox!.url, '/participant/message', agent.connectionToken, {
    ContentType: 'text/plain',
    Content: 'hello?',
  });

  // Assert
  expect(await page.locator('.chat').getAttribute('data-state')).toBe('ended');
  expect(await page.getByTestId('chat-status').textContent()).toBe('The chat has ended');
  expect(await page.getByTestId('chat-log').textContent()).toContain('Dorothy Vaughan left the chat');
  expect(await page.locator('.chat-compose textarea').isDisabled()).toBe(true);
  expect(left).toMatchObject({ ParticipantRole: 'CUSTOMER', DisplayName: 'Dorothy Vaughan', ContactId: contactId });
  expect(ended.ParticipantRole).toBe('SYSTEM');
  expect(agentAfter).toMatchObject({ status: 403, body: { __type: 'AccessDeniedException' } });
  expect(api.sandbox!.store.summaries().find((chat) => chat.contactId === contactId)?.state).toBe('ended');
}, 30_000);

test('a chat that ended without the page hearing of it: a message sent gets 403, and the page says the token was refused', async () => {
  // Arrange: the page's socket goes through a relay that loses the end of the chat (the items and the
  // server's close), as a flaky network can; then the agent ends the chat.
  const page = await browser.context.newPage();
  await page.routeWebSocket(/\/websocket\?key=/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (!String(message).includes('chat.ended') && !String(message).includes('participant.left')) {
        socket.send(message);
      }
    });
    server.onClose(() => {});
  });
  const { contactId } = await customerChat(api.demoUrl, 'Annie Easley', page);
  const agent = await agentOf(contactId);
  await call(api.sandbox!.url, '/participant/disconnect', agent.connectionToken, {});
  await agent.socket.waitForItem((item) => item.ContentType === `${EVENT}chat.ended`);

  // Act
  await page.fill('.chat-compose textarea', 'Are you still there?');
  await page.click('.chat-compose button[type="submit"]');
  await page.getByTestId('chat-error').waitFor({ state: 'visible', timeout: 10_000 });

  // Assert
  expect(await page.getByTestId('chat-error').textContent()).toBe(
    'The message was not sent: The Participant Service refused the token (403 AccessDeniedException): the chat has ended, or the token is not one it handed out.',
  );
  expect(sandboxRequests).toContainEqual(
    expect.objectContaining({
      method: 'POST',
      path: '/participant/message',
      status: 403,
      origin: new URL(api.demoUrl).origin,
    }),
  );
}, 30_000);

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
