/**
 * A proxy for tests, between a client and the local API: it forwards each request as it came, records it
 * (headers and when it arrived), and passes the answer back, except for the answers it was told to drop:
 * for those it waits until the API has answered (so the chat was started) and then cuts the client's
 * connection, as a phone that loses its network in that moment does.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listen } from '../../local/listen.ts';

export interface ProxiedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly receivedAt: number;
}

export interface DroppedAnswer {
  readonly status: number;
  readonly body: string;
}

export interface AnswerDroppingProxy {
  /** The proxy's address with the API's path, e.g. `http://127.0.0.1:PORT/prod/chat`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: ProxiedRequest[];
  /** The answers the client never got. */
  readonly dropped: DroppedAnswer[];
  /** Drops the answers of the next `count` requests, after the API has sent them. */
  dropNextAnswers(count: number): void;
  reset(): void;
  close(): Promise<void>;
}

/** Hop-by-hop and length headers, which the forwarded request and answer get anew. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startAnswerDroppingProxy(apiUrl: string): Promise<AnswerDroppingProxy> {
  const target = new URL(apiUrl);
  const requests: ProxiedRequest[] = [];
  const dropped: DroppedAnswer[] = [];
  let toDrop = 0;

  const server = createServer(async (request, response) => {
    requests.push({ method: request.method ?? 'GET', headers: request.headers, receivedAt: Date.now() });
    const drop = toDrop > 0;
    if (drop) toDrop--;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.entries(request.headers).filter(([name]) => !NOT_FORWARDED.has(name)) as [string, string][];
    try {
      const answer = await fetch(new URL(request.url ?? '/', target.origin), {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
      });
      const body = await answer.text();
      if (drop) {
        dropped.push({ status: answer.status, body });
        request.socket.destroy();
        return;
      }
      const answerHeaders = [...answer.headers].filter(([name]) => !NOT_FORWARDED.has(name));
      response.writeHead(answer.status, Object.fromEntries(answerHeaders)).end(body);
    } catch {
      request.socket.destroy();
    }
  });
  const port = await listen(server, 0, '127.0.0.1', 'the answer-dropping proxy');
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests,
    dropped,
    dropNextAnswers: (count) => {
      toDrop = count;
    },
    reset: () => {
      requests.length = 0;
      dropped.length = 0;
      toDrop = 0;
    },
    close: () => closeServer(server),
  };
}
