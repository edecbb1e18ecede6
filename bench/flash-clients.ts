/**
 * The clients the flash crowd compares, each starting one customer's chat:
 *
 * - the package's browser client, as built for the package (`startChat` with its defaults);
 * - no retry: one POST, as ChatInterface's own start does;
 * - plain: retries 429, 502, 504 and network failures after the answer's `Retry-After` (1 s without one)
 *   plus a random 0-1 s, within the same 2-minute budget as the client: what a careful hand-written fetch does.
 */
import { pathToFileURL } from 'node:url';
import type * as Client from '../client/index.ts';
import { START_CHAT_DEFAULTS } from '../client/start-chat.ts';
import type { FlashClient } from './flash-crowd.ts';

const RETRIED = new Set([429, 502, 504]);

function post(fetch: typeof globalThis.fetch, url: string, request: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
}

export async function flashClients(clientModule: string): Promise<FlashClient[]> {
  const client = (await import(pathToFileURL(clientModule).href)) as typeof Client;
  return [
    {
      name: 'client',
      label: 'start-chat-contact-api/client',
      description: 'the package’s browser client as built (dist/client/index.js), startChat with its defaults',
      start: async (url, request, fetch) => {
        await client.startChat(url, request, { fetch });
        return true;
      },
    },
    {
      name: 'no-retry',
      label: 'no retry (as ChatInterface)',
      description: 'one POST; started only if it answers 200',
      start: async (url, request, fetch) => {
        const response = await post(fetch, url, request);
        await response.text();
        return response.status === 200;
      },
    },
    {
      name: 'plain',
      label: 'plain Retry-After + up to 1 s',
      description: `retries 429, 502, 504 and network failures after Retry-After (1 s without one) plus a random 0-1 s, within ${START_CHAT_DEFAULTS.timeoutMs / 1_000} s; one Idempotency-Key per customer`,
      start: async (url, request, fetch) => {
        const deadline = Date.now() + START_CHAT_DEFAULTS.timeoutMs;
        const withKey = { ...request, ClientToken: crypto.randomUUID() };
        for (;;) {
          let status = 0;
          let retryAfter: string | null = null;
          try {
            const response = await post(fetch, url, withKey);
            await response.text();
            status = response.status;
            retryAfter = response.headers.get('Retry-After');
          } catch {}
          if (status === 200) return true;
          if (status !== 0 && !RETRIED.has(status)) return false;
          const waitMs = (Number(retryAfter ?? '1') || 1) * 1_000 + Math.random() * 1_000;
          if (Date.now() + waitMs >= deadline) return false;
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
      },
    },
  ];
}
