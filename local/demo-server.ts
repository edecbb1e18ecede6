/**
 * Serves the demo page (local/demo-page/) on its own origin, a second local port, so that the page calls
 * the API cross-origin from the browser exactly as a chat widget on a website does, CORS preflight
 * included. The page learns the API's URL, the Participant Service endpoint, the region and (with sign-in on)
 * the local identity provider's token URL from `<meta>` tags filled in here; `?api=URL` on the page's
 * address points it at another deployment of the API.
 *
 * Only the page's own files are served, with the chat view it shares with the agent console, the
 * browser bundle of amazon-connect-chatjs from the project's dependencies (no CDN), and the package's
 * browser client (`start-chat-contact-api/client`), built from client/ on each request with its source map
 * inline, so the page runs the client's current sources as a widget would run the package's.
 */
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeServer, listen } from './listen.ts';
import { DEFAULT_HOST, httpOrigins, reachableHosts } from './network-addresses.ts';
import { CHAT_UI_DIR, CHATJS_BUNDLE, type StaticFile, sendStaticFile, TYPES } from './static-files.ts';

export const DEMO_PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'demo-page');
/** The browser client the page imports as `/client/index.js`; esbuild loads only when it is asked for. */
const CLIENT_MODULE: StaticFile = {
  path: join(dirname(fileURLToPath(import.meta.url)), '..', 'client', 'index.ts'),
  type: TYPES.js,
  text: async () => (await import('../scripts/build-client.ts')).clientModuleText(),
};

/**
 * The page's scripts may call any http(s) endpoint and open WebSockets (chatjs's socket to the sandbox or
 * to Connect); everything else comes from the page's own origin.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src http: https: ws: wss:; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface DemoServerOptions {
  /**
   * The API's chat endpoint, or a function that returns it when the page is requested, given the host
   * name the page was requested on (so a phone that opened the page at a network address gets the API
   * at that address).
   */
  readonly apiUrl: string | ((pageHost: string | undefined) => string);
  /**
   * The Participant Service endpoint chatjs uses (the chat sandbox), or a function that returns it when
   * the page is requested; empty for the real service of the region. @default ''
   */
  readonly participantEndpoint?: string | (() => string);
  /** The region chatjs names. @default 'us-east-1' */
  readonly region?: string;
  /** The local identity provider's token endpoint, for the page's "sign in as a test customer" switch. */
  readonly tokenUrl?: string;
  /** 0 picks a free port. @default 3001 */
  readonly port?: number;
  /** Where to listen; `0.0.0.0` for every interface. @default '127.0.0.1' */
  readonly host?: string;
}

export interface DemoServer {
  /** The page on this machine, e.g. `http://127.0.0.1:3001/`. */
  readonly url: string;
  /**
   * The origins the page may be opened on: `http://127.0.0.1:PORT` and `http://localhost:PORT` by
   * default; with a wildcard host also this machine's network addresses; else the host's own.
   */
  readonly origins: readonly string[];
  readonly port: number;
  close(): Promise<void>;
}

/** The origins a page served on `host:port` may be opened on. */
export function demoPageOrigins(port: number, host = DEFAULT_HOST, addresses?: readonly string[]): string[] {
  return httpOrigins(reachableHosts(host, addresses), port);
}

/** The host name a request was sent to, from its `Host` header. */
function requestHost(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? DEFAULT_HOST;
  const apiUrl = typeof options.apiUrl === 'function' ? options.apiUrl : () => options.apiUrl as string;
  const { participantEndpoint = '' } = options;
  const page = (file: string, type: string): StaticFile => ({ path: join(DEMO_PAGE_DIR, file), type });
  const index: StaticFile = {
    ...page('index.html', TYPES.html),
    fill: (request) => ({
      API_URL: apiUrl(requestHost(request.headers.host)),
      PARTICIPANT_ENDPOINT: typeof participantEndpoint === 'function' ? participantEndpoint() : participantEndpoint,
      REGION: options.region ?? 'us-east-1',
      TOKEN_URL: options.tokenUrl ?? '',
    }),
  };
  const files: Readonly<Record<string, StaticFile>> = {
    '/': index,
    '/index.html': index,
    '/demo.js': page('demo.js', TYPES.js),
    '/demo.css': page('demo.css', TYPES.css),
    '/conversation.js': page('conversation.js', TYPES.js),
    '/chat-ui/chat-view.js': { path: join(CHAT_UI_DIR, 'chat-view.js'), type: TYPES.js },
    '/chat-ui/chat-view.css': { path: join(CHAT_UI_DIR, 'chat-view.css'), type: TYPES.css },
    '/vendor/amazon-connect-chat.js': { path: CHATJS_BUNDLE, type: TYPES.js },
    '/client/index.js': CLIENT_MODULE,
  };

  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://localhost').pathname];
    sendStaticFile(request, response, file, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    });
  });

  const port = await listen(server, options.port ?? 3001, host, 'the demo page');
  const origins = demoPageOrigins(port, host);
  return {
    url: `${origins[0]}/`,
    origins,
    port,
    close: () => closeServer(server),
  };
}
