/**
 * Writes docs/demo-page.png, the README's picture of the demo page mid-conversation: brings the local API
 * and the chat sandbox up as `npm start` does (default ports 3000-3002, or PORT / DEMO_PORT /
 * PARTICIPANT_PORT), opens the demo page in headless Chromium, starts a chat, exchanges a message with the
 * simulated agent and captures the page once the agent has read it.
 *
 * Run after changing the demo page: `npm run build && node scripts/screenshot-demo-page.ts`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalApi } from '../local/local-api.ts';
import { readSettings } from '../local/settings.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { PROJECT_ROOT } from './bundle-handler.ts';

export const SCREENSHOT = join(PROJECT_ROOT, 'docs', 'demo-page.png');

const api = await startLocalApi(readSettings([], process.env), {
  functionEnv: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
});
const browser = await launchChromium({ width: 900, height: 900 });
try {
  const page = await browser.context.newPage();
  await page.goto(api.demoUrl);
  await page.fill('#display-name', 'Ada Lovelace');
  await page.fill('#first-message', 'Hi! I have a question about my order.');
  await page.click('#start');
  await page.getByTestId('contact-id').waitFor({ timeout: 10_000 });
  await page.locator('.chat-message[data-role="AGENT"]', { hasText: 'question about my order' }).waitFor();
  await page.fill('.chat-compose textarea', 'It is order 42, placed on Monday.');
  await page.click('.chat-compose button[type="submit"]');
  await page.locator('.chat-message[data-role="AGENT"]', { hasText: 'order 42' }).waitFor({ timeout: 10_000 });
  await page.locator('.chat-mark[data-mark="read"]').last().waitFor({ timeout: 10_000 });
  mkdirSync(join(PROJECT_ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`wrote ${SCREENSHOT}`);
} finally {
  await browser.close();
  await api.close();
}
