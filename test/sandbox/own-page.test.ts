/**
 * What a frontend developer does on a fresh clone: `npm start` (local/start.ts in a child process, as
 * npm runs it), then a page of their own (a minimal HTML page of this test's, on its own origin) that
 * loads the unmodified amazon-connect-chatjs 5 from node_modules, starts a chat through the API and holds
 * a conversation with the simulated agent, using the two lines the banner prints. The command's output,
 * access log lines included, carries none of the chat's personal data or tokens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { closeServer, listen } from '../../local/listen.ts';
import { CHATJS_BUNDLE } from '../../local/static-files.ts';
import { launchChromium } from '../support/chromium.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NAME = 'Sentinel-Name-7f3a';
const MESSAGE = 'Sentinel-Message-91bc';

/** The page: chatjs as installed, and twenty lines of the developer's own. */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>My widget</title>
<script src="/amazon-connect-chat.js"></script></head>
<body><pre id="log"></pre><script>
const log = (line) => { document.querySelector('#log').textContent += line + '\\n'; };
window.run = async ({ api, endpoint, region, name, message }) => {
  const started = await fetch(api, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ParticipantDetails: { DisplayName: name } }) }).then((r) => r.json());
  const chatDetails = started.data.startChatResult;
  connect.ChatSession.setGlobalConfig({ endpoint, region });
  const session = connect.ChatSession.create({ chatDetails, type: 'CUSTOMER', disableCSM: true, options: { region } });
  const items = [];
  const seen = (test) => new Promise((resolve) => {
    const check = () => { const item = items.find(test); if (item) resolve(item); else setTimeout(check, 20); };
    check();
  });
  session.onMessage((event) => items.push(event.data));
  await session.connect();
  const greeting = await seen((item) => item.ParticipantRole === 'AGENT' && item.Type === 'MESSAGE');
  await session.sendMessage({ contentType: 'text/plain', message });
  const reply = await seen((item) => item.ParticipantRole === 'AGENT' && item.Type === 'MESSAGE' && item !== greeting);
  const connectionToken = session.getChatDetails().connectionDetails.connectionToken;
  await session.disconnectParticipant();
  await seen((item) => item.ContentType === 'application/vnd.amazonaws.connect.event.chat.ended');
  log('done');
  return { greeting: greeting.Content, reply: reply.Content, version: connect.ChatJS.version,
    participantToken: chatDetails.ParticipantToken, connectionToken };
};
</script></body></html>`;

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

test('npm start, then a page of your own with the unmodified chatjs 5, holds a conversation with the simulated agent', async () => {
  // Arrange: the page's own server, then npm start allowing its origin.
  const chatjs = readFileSync(CHATJS_BUNDLE);
  const pageServer = createServer((request, response) => {
    const js = request.url === '/amazon-connect-chat.js';
    response.writeHead(200, { 'Content-Type': js ? 'text/javascript' : 'text/html' }).end(js ? chatjs : PAGE);
  });
  const pagePort = await listen(pageServer, 0, '127.0.0.1', 'the page');
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const child = spawn(process.execPath, ['local/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ALLOWED_ORIGINS: pageOrigin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  for (const endsAt = Date.now() + 20_000; !output.includes('Press Ctrl-C to stop'); ) {
    if (Date.now() > endsAt || child.exitCode !== null) throw new Error(`npm start did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const api = output.match(/API {8}POST (\S+)/)![1]!;
  const [, endpoint, region] = output.match(/setGlobalConfig\(\{ endpoint: '(\S+)', region: '(\S+)' \}\)/)!;
  const browser = await launchChromium();

  try {
    // Act
    const page = await browser.context.newPage();
    await page.goto(`${pageOrigin}/`);
    const result = await page.evaluate((args) => (globalThis as any).run(args), {
      api,
      endpoint,
      region,
      name: NAME,
      message: MESSAGE,
    });
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));

    // Assert
    expect(result.version).toBe('5.0.0');
    expect(result.greeting).toContain(NAME);
    expect(result.reply).toContain(MESSAGE);
    expect(output).toMatch(/POST \/participant\/message -> 200/);
    for (const secret of [NAME, MESSAGE, result.participantToken, result.connectionToken]) {
      expect(output).not.toContain(secret);
    }
  } finally {
    await browser.close();
    await closeServer(pageServer);
  }
}, 60_000);
