/**
 * The chat WebSocket, as amazon-connect-chatjs's websocket manager speaks it: the URL CreateParticipantConnection
 * hands out (`ws://127.0.0.1:PORT/websocket?key=…`, which chatjs accepts where it refuses `ws://localhost`),
 * then JSON text frames:
 *
 * - `aws/subscribe` with `{"topics":["aws/chat"]}` gets `{"status":"success"}`; only subscribed sockets get
 *   the chat's items, each as `{"topic":"aws/chat","contentType":"application/json","content":"<Item JSON>"}`;
 * - `aws/heartbeat` is echoed, `aws/ping` gets `statusCode: 200`;
 * - anything else (not JSON, no topic, an unknown topic, binary) gets API Gateway's error frame
 *   `{"message", "connectionId", "requestId"}`, and too many of them close the socket (1008).
 *
 * Bounds: sockets in all and per connection (the handshake is refused past them), frame size (1009),
 * frames a second (1008), idle sockets (1001) and slow readers. When a chat ends its sockets are closed
 * (1000) once `chat.ended` has gone out. A dropped socket is opened again with the same URL while it
 * lasts, or with a new CreateParticipantConnection, as chatjs does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { AllowedOrigins } from '../../lambda/config.ts';
import { isPlainObject } from '../../lambda/is-plain-object.ts';
import { TokenBucket } from '../connect-stand-in/token-bucket.ts';
import type { ChatContact, ChatListener, ChatStore, Connection } from './chat-store.ts';
import { originAllowed } from './cors.ts';
import type { Item } from './items.ts';
import type { SandboxLimits } from './limits.ts';

/** The chat topic, the only one there is. */
const CHAT_TOPIC = 'aws/chat';
/** A reader this far behind is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Time for `chat.ended` to reach the client before the server closes the socket. */
const CLOSE_AFTER_END_MS = 1_000;

interface ChatSocket {
  readonly id: string;
  readonly ws: WebSocket;
  readonly connection: Connection;
  readonly frames: TokenBucket;
  subscribed: boolean;
  lastSeen: number;
  badFrames: number;
}

export interface SocketHubOptions {
  readonly store: ChatStore;
  readonly limits: SandboxLimits;
  readonly allowedOrigins: AllowedOrigins;
}

function refuseHandshake(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ message: reason });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

export class SocketHub implements ChatListener {
  readonly #options: SocketHubOptions;
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<ChatSocket>();
  readonly #sweep: NodeJS.Timeout;
  readonly #closing = new Set<NodeJS.Timeout>();

  constructor(options: SocketHubOptions) {
    this.#options = options;
    this.#server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.limits.maxFrameBytes,
    });
    this.#sweep = setInterval(() => this.#closeIdle(), Math.min(5_000, options.limits.socketIdleMs / 3));
    this.#sweep.unref();
  }

  /** The HTTP server's `upgrade` event, for `/websocket`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const { limits, store, allowedOrigins } = this.#options;
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const origin = request.headers.origin;
    if (url.pathname !== '/websocket') return refuseHandshake(socket, 404, 'Not Found');
    if (origin !== undefined && !originAllowed(origin, allowedOrigins)) {
      return refuseHandshake(socket, 403, 'Forbidden');
    }
    const connection = store.socketConnection(url.searchParams.get('key') ?? '');
    if (connection === undefined) return refuseHandshake(socket, 403, 'Forbidden');
    const onConnection = [...this.#sockets].filter((open) => open.connection === connection).length;
    if (this.#sockets.size >= limits.maxSockets || onConnection >= limits.maxSocketsPerConnection) {
      return refuseHandshake(socket, 429, 'Too Many Requests');
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#open(ws, connection));
  }

  #open(ws: WebSocket, connection: Connection): void {
    const { limits } = this.#options;
    const chatSocket: ChatSocket = {
      id: randomUUID(),
      ws,
      connection,
      frames: new TokenBucket({ ratePerSecond: limits.framesPerSecond, burst: limits.frameBurst }),
      subscribed: false,
      lastSeen: Date.now(),
      badFrames: 0,
    };
    this.#sockets.add(chatSocket);
    ws.on('message', (data, isBinary) => this.#receive(chatSocket, data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.#sockets.delete(chatSocket));
  }

  #send(chatSocket: ChatSocket, frame: unknown): void {
    const { ws } = chatSocket;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(frame));
  }

  #bad(chatSocket: ChatSocket, message: string): void {
    chatSocket.badFrames++;
    this.#send(chatSocket, { message, connectionId: chatSocket.id, requestId: randomUUID() });
    if (chatSocket.badFrames > this.#options.limits.maxBadFrames) chatSocket.ws.close(1008, 'Too many bad frames');
  }

  #receive(chatSocket: ChatSocket, data: RawData, isBinary: boolean): void {
    chatSocket.lastSeen = Date.now();
    if (!chatSocket.frames.tryTake()) {
      chatSocket.ws.close(1008, 'Too many frames');
      return;
    }
    if (isBinary) return this.#bad(chatSocket, 'Binary frames are not supported');
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return this.#bad(chatSocket, 'Invalid request body');
    }
    if (!isPlainObject(frame) || typeof frame.topic !== 'string') return this.#bad(chatSocket, 'Forbidden');
    switch (frame.topic) {
      case 'aws/subscribe':
      case 'aws/unsubscribe': {
        const content = isPlainObject(frame.content) ? frame.content : {};
        const topics = Array.isArray(content.topics) ? content.topics : [];
        const ok = topics.length > 0 && topics.every((topic) => topic === CHAT_TOPIC);
        const subscribing = frame.topic === 'aws/subscribe';
        this.#send(chatSocket, {
          topic: frame.topic,
          content: { status: ok ? 'success' : 'failure', topics: ok ? [CHAT_TOPIC] : [] },
        });
        if (ok && subscribing && !chatSocket.subscribed) {
          chatSocket.subscribed = true;
          this.#options.store.socketSubscribed(chatSocket.connection.participant);
        } else if (ok && !subscribing) {
          chatSocket.subscribed = false;
        }
        return;
      }
      case 'aws/heartbeat':
        return this.#send(chatSocket, { topic: 'aws/heartbeat' });
      case 'aws/ping':
        return this.#send(chatSocket, { topic: 'aws/ping', statusCode: 200, statusContent: 'OK' });
      default:
        return this.#bad(chatSocket, 'Forbidden');
    }
  }

  #socketsOf(contact: ChatContact): ChatSocket[] {
    return [...this.#sockets].filter((chatSocket) => chatSocket.connection.participant.contact === contact);
  }

  itemAdded(contact: ChatContact, item: Item): void {
    const frame = { topic: CHAT_TOPIC, contentType: 'application/json', content: JSON.stringify(item) };
    for (const chatSocket of this.#socketsOf(contact)) {
      if (chatSocket.subscribed) this.#send(chatSocket, frame);
    }
  }

  ended(contact: ChatContact): void {
    const timer = setTimeout(() => {
      this.#closing.delete(timer);
      for (const chatSocket of this.#socketsOf(contact)) chatSocket.ws.close(1000, 'Chat ended');
    }, CLOSE_AFTER_END_MS);
    timer.unref();
    this.#closing.add(timer);
  }

  /** Drops the sockets of a chat's customer (or of every chat) as a lost network would. */
  drop(contactId?: string, role: 'CUSTOMER' | 'AGENT' = 'CUSTOMER'): number {
    let dropped = 0;
    for (const chatSocket of this.#sockets) {
      const { participant } = chatSocket.connection;
      if ((contactId === undefined || participant.contact.contactId === contactId) && participant.role === role) {
        chatSocket.ws.terminate();
        dropped++;
      }
    }
    return dropped;
  }

  #closeIdle(): void {
    const quietSince = Date.now() - this.#options.limits.socketIdleMs;
    for (const chatSocket of this.#sockets) {
      if (chatSocket.lastSeen < quietSince) chatSocket.ws.close(1001, 'Idle');
    }
  }

  close(): void {
    clearInterval(this.#sweep);
    for (const timer of this.#closing) clearTimeout(timer);
    for (const chatSocket of this.#sockets) chatSocket.ws.terminate();
    this.#sockets.clear();
  }
}
