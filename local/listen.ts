/**
 * Starts a local HTTP server listening, turning the usual failures into errors that say what happened:
 * a port already taken (`PortInUseError`, typically another `npm start`) or one this user may not open
 * (`ListenError`).
 */
import type { Server } from 'node:http';
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
