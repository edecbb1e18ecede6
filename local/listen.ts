/**
 * Starts a local HTTP server listening, turning the usual failures into errors that say what happened:
 * a port already taken (`PortInUseError`, typically another `npm start`) or one this user may not open
 * (`ListenError`); and stops it, at once or after letting the requests in flight finish.
 */
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server could not listen where it was asked to. */
export class ListenError extends Error {
  readonly port: number;
  readonly host: string;
  /** What was to listen there, such as "the API". */
  readonly purpose: string;

  constructor(port: number, host: string, purpose: string, problem: string) {
    super(`${host}:${port} (${purpose}) ${problem}`);
    this.name = new.target.name;
    this.port = port;
    this.host = host;
    this.purpose = purpose;
  }
}

/** The port is taken by another process. */
export class PortInUseError extends ListenError {
  constructor(port: number, host: string, purpose: string) {
    super(port, host, purpose, 'is already in use');
  }
}

/** Listens on `host:port` (0 picks a free port) and resolves with the port actually used. */
export async function listen(server: Server, port: number, host: string, purpose: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(port, host, purpose));
      else if (error.code === 'EACCES')
        reject(new ListenError(port, host, purpose, 'may not be opened by this user: choose a port above 1023'));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new ListenError(port, host, purpose, 'is not an address of this machine'));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections, drops the open ones (keep-alive included) and waits until closed. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * Returns a close for `server` that lets the requests in flight finish, for at most `graceMs`, before it
 * drops what is left: it stops accepting connections at once, closes idle keep-alive connections, and
 * closes each other connection as soon as its answer is sent (answers started from then on say
 * `Connection: close`). Call it right after creating the server, so that it sees every request.
 */
export function gracefulClose(server: Server): (graceMs: number) => Promise<void> {
  const answering = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_request, response: ServerResponse) => {
    if (closing) response.shouldKeepAlive = false;
    answering.add(response);
    response.once('close', () => {
      answering.delete(response);
      if (closing) server.closeIdleConnections();
    });
  });

  return async (graceMs) => {
    if (!server.listening) return;
    closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const response of answering) if (!response.headersSent) response.shouldKeepAlive = false;
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([closed, graceOver]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  };
}
