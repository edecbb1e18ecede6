/**
 * Closing a local server gracefully (what Ctrl-C does to the API): a request in flight is answered and
 * the close then completes without waiting for the keep-alive connection to time out; a request that
 * outlasts the grace is dropped, so the close is bounded.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import { expect, test } from '@jest/globals';
import { gracefulClose, listen } from '../../local/listen.ts';

/** A GET over a keep-alive connection; resolves with the status and body, or the error's code. */
function get(port: number, agent: Agent): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const outgoing = httpRequest({ port, host: '127.0.0.1', path: '/', agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    outgoing.end();
  });
}

/** A server that answers after `delayMs` (never, for Infinity), with a 60 s keep-alive. */
async function slowServer(delayMs: number) {
  let received = 0;
  const server = createServer((_request, response) => {
    received += 1;
    if (Number.isFinite(delayMs)) setTimeout(() => response.end('answered'), delayMs);
  });
  server.keepAliveTimeout = 60_000;
  const close = gracefulClose(server);
  const port = await listen(server, 0, '127.0.0.1', 'a test server');
  return { server, close, port, received: () => received };
}

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setTimeout(check, 10));
    check();
  });
}

test('a request in flight is answered, then the close completes', async () => {
  // Arrange
  const { server, close, port, received } = await slowServer(300);
  const agent = new Agent({ keepAlive: true });
  const answer = get(port, agent);
  await until(() => received() === 1);

  // Act: a grace and a keep-alive far longer than this test may take.
  const closed = close(60_000);
  const result = await answer;
  await closed;

  // Assert
  expect(result).toEqual({ status: 200, body: 'answered' });
  expect(server.listening).toBe(false);
  agent.destroy();
}, 10_000);

test('a request that outlasts the grace is dropped, and the close completes', async () => {
  // Arrange
  const { server, close, port, received } = await slowServer(Number.POSITIVE_INFINITY);
  const agent = new Agent({ keepAlive: true });
  const answer = get(port, agent);
  await until(() => received() === 1);

  // Act
  await close(200);

  // Assert
  expect(await answer).toBe('ECONNRESET');
  expect(server.listening).toBe(false);
  agent.destroy();
});
