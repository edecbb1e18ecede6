/**
 * Serves the local pages' own files (the demo page, the agent console) and the browser bundle of
 * amazon-connect-chatjs from the project's dependencies: only the files listed, read on each request so
 * that edits show on reload, never cached, with the page's Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  /** Absolute path. */
  readonly path: string;
  readonly type: string;
  /** Makes the text instead of reading `path`, on each request (a module built from current sources). */
  readonly text?: () => Promise<string>;
  /** `%NAME%` placeholders in the text and what replaces them, read when the file is served. */
  readonly fill?: (request: IncomingMessage) => Readonly<Record<string, string>>;
}

/** The unmodified browser bundle of amazon-connect-chatjs, as installed. */
export const CHATJS_BUNDLE = createRequire(import.meta.url).resolve('amazon-connect-chatjs');

/** The chat view the demo page and the agent console share (local/chat-ui/). */
export const CHAT_UI_DIR = join(dirname(fileURLToPath(import.meta.url)), 'chat-ui');

export const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Answers a GET or HEAD with `file`, 404 when there is none, 405 for another method. */
export function sendStaticFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: StaticFile | undefined,
  headers: OutgoingHttpHeaders,
): void {
  request.resume();
  if (file === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response
      .writeHead(file === undefined ? 404 : 405, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(file === undefined ? 'Not found\n' : 'Method not allowed\n');
    return;
  }
  (file.text ?? (() => readFile(file.path, 'utf8')))().then(
    (text) => {
      let filled = text;
      for (const [name, value] of Object.entries(file.fill?.(request) ?? {})) {
        filled = filled.replaceAll(`%${name}%`, escapeAttribute(value));
      }
      const body = Buffer.from(filled);
      response.writeHead(200, {
        'Content-Type': file.type,
        'Content-Length': String(body.length),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    },
    () => response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Cannot read the file\n'),
  );
}
