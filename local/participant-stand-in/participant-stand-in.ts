/**
 * The chat sandbox's server: a local stand-in for the Amazon Connect Participant Service that the
 * unmodified amazon-connect-chatjs talks to once a widget calls
 * `connect.ChatSession.setGlobalConfig({ endpoint: 'http://127.0.0.1:3002', region })`.
 *
 * One HTTP server on 127.0.0.1 serves:
 * - the operations at the real service's REST paths (operations.ts), REST-JSON with `X-Amz-Bearer`
 *   (the SigV4 headers chatjs adds with empty credentials are ignored), errors as the SDK reads them
 *   (protocol-errors.ts), CORS for loopback pages and the API's allowed origins (cors.ts);
 * - the chat WebSocket at `ws://127.0.0.1:PORT/websocket?key=…` (websocket.ts);
 * - the attachment upload and download URLs (`/attachments/upload`, `/attachments/download`);
 * - the agent console (`/agent-console/`, local/agent-console/).
 *
 * The chats themselves live in the ChatStore, which the Connect stand-in feeds (it is its `chatHost`);
 * the simulated agent plays the agent of every chat the console has not taken over.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AllowedOrigins } from '../../lambda/config.ts';
import { isPlainObject } from '../../lambda/is-plain-object.ts';
import { agentConsoleRoutes } from '../agent-console/console-routes.ts';
import type { AccessLogEntry } from '../api-gateway-server.ts';
import { closeServer, listen } from '../listen.ts';
import { readBody } from '../read-body.ts';
import { type AgentScript, DEFAULT_AGENT_SCRIPT } from '../simulated-agent/agent-script.ts';
import { SimulatedAgent } from '../simulated-agent/simulated-agent.ts';
import { ObjectStoreError } from './attachments.ts';
import { ChatStore } from './chat-store.ts';
import { corsHeaders, preflightHeaders } from './cors.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
import { operationAt } from './operations.ts';
import { errorBody, ParticipantServiceError } from './protocol-errors.ts';
import { SocketHub } from './websocket.ts';

export interface ParticipantStandInOptions {
  /** Origins besides loopback pages that may call it (the API's `ALLOWED_ORIGINS`). @default none */
  readonly allowedOrigins?: AllowedOrigins;
  /** The deployment's `ATTACHMENTS_ENABLED`. @default false */
  readonly attachmentsEnabled?: boolean;
  /** The simulated agent's script. @default DEFAULT_AGENT_SCRIPT */
  readonly agentScript?: AgentScript;
  /** Limits and timings; tests shrink them. @default DEFAULT_LIMITS */
  readonly limits?: Partial<SandboxLimits>;
  /** Called once per answered request, for an access log. */
  readonly onRequest?: (entry: AccessLogEntry) => void;
}

export interface ParticipantStandIn {
  /** The chats; the Connect stand-in's `chatHost`. */
  readonly store: ChatStore;
  /** The endpoint for chatjs, e.g. `http://127.0.0.1:3002`, once listening. */
  readonly url: string;
  /** The agent console, e.g. `http://127.0.0.1:3002/agent-console/`, once listening. */
  readonly consoleUrl: string;
  readonly port: number;
  listen(port: number, host?: string): Promise<void>;
  /** Drops the customer's sockets of one chat (or all), as a lost network would. */
  dropConnections(contactId?: string): number;
  close(): Promise<void>;
}

/** What a body beyond the limit may still send before the connection is cut. */
const MAX_DISCARDED_BYTES = 1024 * 1024;

const ROOT_TEXT =
  'Amazon Connect Participant Service stand-in (npm start).\nPoint amazon-connect-chatjs here with connect.ChatSession.setGlobalConfig({ endpoint }); the agent console is at /agent-console/\n';

function send(response: ServerResponse, status: number, headers: OutgoingHttpHeaders, body?: string | Buffer): void {
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...headers, ...(payload && { 'Content-Length': String(payload.length) }) });
  response.end(payload);
}

export function createParticipantStandIn(options: ParticipantStandInOptions = {}): ParticipantStandIn {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const allowedOrigins: AllowedOrigins = options.allowedOrigins ?? new Set();
  const script = options.agentScript ?? DEFAULT_AGENT_SCRIPT;
  let port = 0;
  let host = '127.0.0.1';
  const baseUrl = () => `http://${host}:${port}`;

  const store = new ChatStore({
    limits,
    attachmentsEnabled: options.attachmentsEnabled ?? false,
    baseUrl,
    agentDisplayName: script.displayName,
  });
  const hub = new SocketHub({ store, limits, allowedOrigins });
  const agent = new SimulatedAgent(script, store);
  store.listeners.add(hub);
  store.listeners.add(agent);
  const consoleRoutes = agentConsoleRoutes({ store, hub, port: () => port });

  async function operation(request: IncomingMessage, pathname: string): Promise<[number, string]> {
    const found = operationAt(pathname);
    if (found === undefined || request.method !== found.method) {
      request.resume();
      throw new ParticipantServiceError('UnknownOperationException', `No operation ${request.method} ${pathname}`);
    }
    const { body, tooLarge } = await readBody(request, limits.maxRequestBytes, MAX_DISCARDED_BYTES);
    if (tooLarge) {
      throw new ParticipantServiceError(
        'RequestEntityTooLargeException',
        `Request bodies are limited to ${limits.maxRequestBytes} bytes`,
      );
    }
    const bearer = request.headers['x-amz-bearer'];
    const token = typeof bearer === 'string' ? bearer : undefined;
    const participant = found.bearer === 'participant' ? store.participant(token) : store.connected(token);
    let parsed: unknown = {};
    if (found.method === 'POST' && body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
    }
    if (!isPlainObject(parsed)) {
      throw new ParticipantServiceError('ValidationException', 'The request body must be a JSON object');
    }
    return [200, JSON.stringify(found.run(store, participant, parsed) ?? {})];
  }

  async function attachmentUrl(
    request: IncomingMessage,
    url: URL,
    cors: OutgoingHttpHeaders,
  ): Promise<[number, OutgoingHttpHeaders, Buffer | string]> {
    const key = url.searchParams.get('key') ?? '';
    try {
      if (url.pathname === '/attachments/upload' && request.method === 'PUT') {
        const { size } = store.attachments.uploadTarget(key);
        const { body, tooLarge } = await readBody(request, size, MAX_DISCARDED_BYTES);
        if (tooLarge)
          throw new ObjectStoreError(400, 'EntityTooLarge', `The upload is larger than the ${size} bytes announced`);
        store.attachments.acceptUpload(key, request.headers['content-type'], body);
        return [200, { ...cors, ETag: `"${randomUUID()}"` }, ''];
      }
      request.resume();
      if (url.pathname === '/attachments/download' && request.method === 'GET') {
        const attachment = store.attachments.fetch(key);
        return [
          200,
          {
            ...cors,
            'Content-Type': attachment.contentType,
            'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
          },
          attachment.data,
        ];
      }
      throw new ObjectStoreError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource');
    } catch (error) {
      if (!(error instanceof ObjectStoreError)) throw error;
      request.resume();
      return [error.status, { ...cors, 'Content-Type': 'application/xml' }, error.body()];
    }
  }

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<AccessLogEntry['gatewayResponse']> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const cors = corsHeaders(request, allowedOrigins);
    if (request.method === 'OPTIONS') {
      request.resume();
      const headers = preflightHeaders(request, allowedOrigins);
      send(response, headers === undefined ? 403 : 204, headers ?? {});
      return 'preflight';
    }
    if (consoleRoutes(request, response, url)) return undefined;
    if (url.pathname.startsWith('/attachments/')) {
      const [status, headers, body] = await attachmentUrl(request, url, cors);
      send(response, status, headers, body);
      return undefined;
    }
    if (url.pathname === '/' && request.method === 'GET') {
      request.resume();
      send(response, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, ROOT_TEXT);
      return undefined;
    }
    const requestId = randomUUID();
    const json = { ...cors, 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
    try {
      const [status, body] = await operation(request, url.pathname);
      send(response, status, json, body);
    } catch (error) {
      const known =
        error instanceof ParticipantServiceError
          ? error
          : new ParticipantServiceError('InternalServerException', 'Internal server error');
      send(
        response,
        known.status,
        {
          ...json,
          'x-amzn-ErrorType': `${known.errorName}:http://internal.amazon.com/coral/com.amazonaws.connectparticipant/`,
        },
        errorBody(known),
      );
      if (!(error instanceof ParticipantServiceError)) throw error;
    }
    return undefined;
  }

  const server = createServer((request, response) => {
    const startedAt = performance.now();
    const log = (gatewayResponse: AccessLogEntry['gatewayResponse'], error?: unknown) =>
      options.onRequest?.({
        method: request.method ?? '',
        path: new URL(request.url ?? '/', 'http://stand-in').pathname,
        status: response.statusCode,
        latencyMs: Math.round(performance.now() - startedAt),
        origin: request.headers.origin,
        requestId: String(response.getHeader('x-amzn-RequestId') ?? ''),
        gatewayResponse,
        ...(error !== undefined && { error }),
      });
    handle(request, response).then(
      (gatewayResponse) => log(gatewayResponse),
      (error: unknown) => {
        if (!response.headersSent) send(response, 500, {}, '');
        log(undefined, error);
      },
    );
  });
  server.on('upgrade', (request, socket, head) => hub.handleUpgrade(request, socket, head));

  return {
    store,
    get url() {
      return baseUrl();
    },
    get consoleUrl() {
      return `${baseUrl()}/agent-console/`;
    },
    get port() {
      return port;
    },
    async listen(wanted, wantedHost = '127.0.0.1') {
      host = wantedHost;
      port = await listen(server, wanted, host, 'the chat sandbox');
    },
    dropConnections: (contactId) => hub.drop(contactId),
    async close() {
      agent.close();
      hub.close();
      store.close();
      await closeServer(server);
    },
  };
}
