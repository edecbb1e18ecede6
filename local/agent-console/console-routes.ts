/**
 * The agent console, served by the chat sandbox at `/agent-console/`: a page where a person plays the
 * agent. Its small API lists the chats and takes one over from the simulated agent, handing the page the
 * agent's ParticipantToken; from there the page is a chatjs client like any widget (chat-ui/chat-view.js).
 *
 * The API answers only the console itself: no CORS headers, a `Host` of this machine (against DNS
 * rebinding), and a custom header that a cross-site form or image cannot send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatStore } from '../participant-stand-in/chat-store.ts';
import type { SocketHub } from '../participant-stand-in/websocket.ts';
import { CHAT_UI_DIR, CHATJS_BUNDLE, type StaticFile, sendStaticFile, TYPES } from '../static-files.ts';

export const AGENT_CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_PATH = '/agent-console/';
/** The header every API call of the console carries. */
export const CONSOLE_HEADER = 'x-sandbox-console';

export interface AgentConsoleOptions {
  readonly store: ChatStore;
  readonly hub: SocketHub;
  /** The sandbox's port, once it listens. */
  readonly port: () => number;
}

const CHAT_ACTION = /^\/agent-console\/api\/chats\/([A-Za-z0-9_-]{1,256})\/(take-over|drop-connection)$/;

function json(response: ServerResponse, status: number, body: unknown): true {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
    'Cache-Control': 'no-store',
  });
  response.end(payload);
  return true;
}

/** A request handler for the console's paths; returns false for any other path. */
export function agentConsoleRoutes(
  options: AgentConsoleOptions,
): (request: IncomingMessage, response: ServerResponse, url: URL) => boolean {
  const file = (name: string, type: string): StaticFile => ({ path: join(AGENT_CONSOLE_DIR, name), type });
  const files: Readonly<Record<string, StaticFile>> = {
    [CONSOLE_PATH]: file('index.html', TYPES.html),
    [`${CONSOLE_PATH}console.js`]: file('console.js', TYPES.js),
    [`${CONSOLE_PATH}console.css`]: file('console.css', TYPES.css),
    [`${CONSOLE_PATH}chat-ui/chat-view.js`]: { path: join(CHAT_UI_DIR, 'chat-view.js'), type: TYPES.js },
    [`${CONSOLE_PATH}chat-ui/chat-view.css`]: { path: join(CHAT_UI_DIR, 'chat-view.css'), type: TYPES.css },
    [`${CONSOLE_PATH}vendor/amazon-connect-chat.js`]: { path: CHATJS_BUNDLE, type: TYPES.js },
  };

  return (request, response, url) => {
    const { pathname } = url;
    if (pathname !== '/agent-console' && !pathname.startsWith(CONSOLE_PATH)) return false;
    request.resume();
    const port = options.port();
    const hostAllowed = [`127.0.0.1:${port}`, `localhost:${port}`].includes(request.headers.host ?? '');
    if (!hostAllowed)
      return json(response, 403, { message: 'The agent console answers on 127.0.0.1 or localhost only' });
    if (pathname === '/agent-console') {
      response.writeHead(308, { Location: CONSOLE_PATH }).end();
      return true;
    }
    if (!pathname.startsWith(`${CONSOLE_PATH}api/`)) {
      sendStaticFile(request, response, files[pathname], {
        'Content-Security-Policy': `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port}; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      });
      return true;
    }
    if (request.headers[CONSOLE_HEADER] !== '1') {
      return json(response, 403, { message: `The console's API needs the header ${CONSOLE_HEADER}: 1` });
    }
    if (pathname === `${CONSOLE_PATH}api/chats` && request.method === 'GET') {
      return json(response, 200, { chats: options.store.summaries() });
    }
    const action = CHAT_ACTION.exec(pathname);
    if (action === null || request.method !== 'POST') return json(response, 404, { message: 'Not found' });
    const [, contactId, verb] = action as unknown as [string, string, string];
    if (verb === 'drop-connection') {
      return json(response, 200, { dropped: options.hub.drop(contactId) });
    }
    const contact = options.store.takeOver(contactId);
    if (contact === undefined) return json(response, 404, { message: 'No chat going on with that ContactId' });
    return json(response, 200, {
      ContactId: contact.contactId,
      ParticipantId: contact.agent.id,
      ParticipantToken: contact.agent.token,
      customerName: contact.customer.displayName,
      attachmentsEnabled: options.store.attachments.enabled,
    });
  };
}
