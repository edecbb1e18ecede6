/**
 * Serves the demo page (local/demo-page/) on its own origin, a second local port, so that the page calls
 * the API cross-origin from the browser exactly as a chat widget on a website does, CORS preflight
 * included. The page learns the API's URL from a `<meta>` tag filled in here; `?api=URL` on the page's
 * address points it at another deployment of the API.
 *
 * Only the page's own files are served, read on each request so that edits show on reload.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeServer, listen } from './listen.ts';

export const DEMO_PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'demo-page');

const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
};

/** The page's script may call any http(s) endpoint; everything else comes from the page's own origin. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src http: https:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface DemoServerOptions {
  /** The API's chat endpoint, or a function that returns it when the page is requested. */
  readonly apiUrl: string | (() => string);
  /** 0 picks a free port. @default 3001 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface DemoServer {
  /** The page, e.g. `http://127.0.0.1:3001/`. */
  readonly url: string;
  /** The origins the page may be opened on: `http://127.0.0.1:PORT` and `http://localhost:PORT`. */
  readonly origins: readonly string[];
  readonly port: number;
  close(): Promise<void>;
}

/** The origins a page served on `host:port` may be opened on. */
export function demoPageOrigins(port: number, host = '127.0.0.1'): string[] {
  return [`http://${host}:${port}`, ...(host === '127.0.0.1' ? [`http://localhost:${port}`] : [])];
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const apiUrl = typeof options.apiUrl === 'function' ? options.apiUrl : () => options.apiUrl as string;

  const server = createServer((request, response) => {
    request.resume();
    const entry = FILES[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (entry === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(entry === undefined ? 404 : 405, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(entry === undefined ? 'Not found\n' : 'Method not allowed\n');
      return;
    }
    readFile(join(DEMO_PAGE_DIR, entry.file), 'utf8').then(
      (text) => {
        const body = Buffer.from(
          entry.file === 'index.html' ? text.replaceAll('%API_URL%', escapeAttribute(apiUrl())) : text,
        );
        response.writeHead(200, {
          'Content-Type': entry.type,
          'Content-Length': String(body.length),
          'Cache-Control': 'no-store',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      () => response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Cannot read the demo page\n'),
    );
  });

  const port = await listen(server, options.port ?? 3001, host, 'the demo page');
  return {
    url: `http://${host}:${port}/`,
    origins: demoPageOrigins(port, host),
    port,
    close: () => closeServer(server),
  };
}
