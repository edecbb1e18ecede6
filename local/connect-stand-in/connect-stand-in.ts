/**
 * A local stand-in for Amazon Connect's StartChatContact that speaks the real REST-JSON wire protocol, so
 * the real AWS SDK can call it through `AWS_ENDPOINT_URL_CONNECT`:
 *
 * - `PUT /contact/chat` answers `{ContactId, ParticipantId, ParticipantToken, ContinuedFromContactId?}` with
 *   an `x-amzn-RequestId`; errors carry `x-amzn-ErrorType: Name:...` and a `{"Message"}` body.
 * - `POST /contact/stop` (StopContact) ends a chat and frees its place in the concurrent-chat quota.
 * - The real quotas' shape: a token bucket (5 requests/s, burst 8) answering 429 `TooManyRequestsException`,
 *   and a concurrent-chat quota answering 429 `LimitExceededException`.
 * - `ClientToken` idempotency: the same token returns the same contact and takes no second quota place.
 * - Chats end after `chatLifetimeMs` (by default the five minutes Connect gives a customer to connect), so
 *   a long `npm start` neither fills the quota for good nor keeps every chat in memory; only the last
 *   `maxRecordedCalls` calls are kept for inspection.
 * - With a `chatHost` (the chat sandbox of `npm start`), each started chat is handed to it with the
 *   request, and stays active (in the quota) until the host ends it with `endChat`; the host may refuse
 *   a start with a Connect error, such as a PersistentChat whose source contact is still active.
 * - Scriptable faults for tests: a queue of outcomes (a named error, a delay, a hang, a connection reset)
 *   consumed one per call before normal handling. `reset()` starts afresh: calls still in flight from
 *   before it are dropped, so one test's slow calls cannot leak into the next.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from '../read-body.ts';
import { TokenBucket } from './token-bucket.ts';

/** HTTP status of each error name the stand-in can send, as Amazon Connect sends them. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  InvalidRequestException: 400,
  InvalidParameterException: 400,
  SerializationException: 400,
  AccessDeniedException: 403,
  MissingAuthenticationTokenException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  TooManyRequestsException: 429,
  ThrottlingException: 429,
  LimitExceededException: 429,
  InternalServiceException: 500,
  ServiceUnavailableException: 503,
};

/** One scripted outcome, used in place of normal handling for one call. */
export type ScriptedOutcome =
  | { readonly error: string; readonly status?: number; readonly message?: string; readonly delayMs?: number }
  | { readonly delayMs: number }
  | { readonly hang: true }
  | { readonly reset: true; readonly delayMs?: number }
  | { readonly succeed: true; readonly delayMs?: number };

/** A call the stand-in received, for tests to inspect. */
export interface RecordedCall {
  readonly operation: 'StartChatContact' | 'StopContact' | 'Unknown';
  readonly receivedAt: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown> | undefined;
  /** The status answered, or 'hang' / 'reset'. */
  outcome: number | 'hang' | 'reset';
  readonly requestId: string;
}

/** A chat the stand-in started, as handed to its `chatHost`. */
export interface StartedChat {
  readonly contactId: string;
  readonly participantId: string;
  readonly participantToken: string;
  /** The StartChatContact request body. */
  readonly request: Readonly<Record<string, unknown>>;
}

/** A Connect error the stand-in answers with. */
export interface ConnectErrorReply {
  readonly name: string;
  readonly message: string;
}

/** Who holds the conversations of the chats the stand-in starts: the chat sandbox. */
export interface ChatHost {
  /** A Connect error refusing this start, checked after the stand-in's own checks; undefined accepts it. */
  refuseStart(request: Readonly<Record<string, unknown>>): ConnectErrorReply | undefined;
  /** The chat started; it stays active until the host calls the stand-in's `endChat`. */
  chatStarted(chat: StartedChat): void;
  /** StopContact ended the chat. */
  chatStopped(contactId: string): void;
}

export interface ConnectStandInOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  readonly host?: string;
  /** Requests a second; `false` turns rate throttling off. @default 5 */
  readonly ratePerSecond?: number | false;
  /** @default 8 */
  readonly burst?: number;
  /** Error name of rate throttling. @default 'TooManyRequestsException' */
  readonly throttlingErrorName?: 'TooManyRequestsException' | 'ThrottlingException';
  /** Concurrent active chats per instance. @default 500 */
  readonly maxConcurrentChats?: number;
  /** Instance ids that exist; others get ResourceNotFoundException. @default any */
  readonly instanceIds?: readonly string[];
  /** Contact flow ids that exist; others get ResourceNotFoundException. @default any */
  readonly contactFlowIds?: readonly string[];
  /** Makes each participant token. @default 400 random base64url characters */
  readonly participantToken?: () => string;
  /** Require a SigV4 `Authorization` header, as AWS does. @default true */
  readonly requireSignature?: boolean;
  /** Delay before every normal answer, in ms. @default 0 */
  readonly latencyMs?: number;
  /** How long a chat stays active (and its ClientToken remembered). @default 300_000, five minutes */
  readonly chatLifetimeMs?: number;
  /** Calls kept in `calls`, the most recent. @default 10_000 */
  readonly maxRecordedCalls?: number;
  /** Holds the started chats' conversations and ends them. @default none: chats end after chatLifetimeMs */
  readonly chatHost?: ChatHost;
}

interface ChatRecord {
  readonly response: Record<string, string>;
  readonly clientToken: string | undefined;
  readonly endsAt: number;
  active: boolean;
}

export interface ConnectStandIn {
  /** Base URL for `AWS_ENDPOINT_URL_CONNECT`. */
  readonly url: string;
  readonly port: number;
  /** Every call received, in order. */
  readonly calls: RecordedCall[];
  /** StartChatContact calls only. */
  startChatCalls(): RecordedCall[];
  /** Queues outcomes for the next calls, one per call. */
  script(...outcomes: ScriptedOutcome[]): void;
  /** Active chats now. */
  activeChats(): number;
  /** Ends every active chat, freeing the concurrent-chat quota. */
  endAllChats(): void;
  /** Ends one chat (its host ended it), freeing its place in the quota. */
  endChat(contactId: string): void;
  /** Changes rate throttling from now on (a full bucket); `false` turns it off. */
  setRateLimit(limit: { readonly ratePerSecond: number; readonly burst: number } | false): void;
  /** Clears calls, script, chats and tokens, as a fresh stand-in. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  ratePerSecond: 5,
  burst: 8,
  throttlingErrorName: 'TooManyRequestsException',
  maxConcurrentChats: 500,
  requireSignature: true,
  latencyMs: 0,
  chatLifetimeMs: 5 * 60 * 1000,
  maxRecordedCalls: 10_000,
} as const;

const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.connect/';

function defaultParticipantToken(): string {
  return randomBytes(300).toString('base64url');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Connect's own checks on the fields it requires; returns the error message, or undefined. */
function invalidParameter(body: Record<string, unknown>): string | undefined {
  if (typeof body.InstanceId !== 'string' || body.InstanceId.length < 1 || body.InstanceId.length > 100) {
    return 'InstanceId is required';
  }
  if (typeof body.ContactFlowId !== 'string' || body.ContactFlowId.length < 1 || body.ContactFlowId.length > 500) {
    return 'ContactFlowId is required';
  }
  const details = body.ParticipantDetails;
  const name = isObject(details) ? details.DisplayName : undefined;
  if (typeof name !== 'string' || [...name].length < 1 || [...name].length > 256) {
    return 'ParticipantDetails.DisplayName must be 1-256 characters';
  }
  if (typeof body.ClientToken === 'string' && body.ClientToken.length > 500) return 'ClientToken is too long';
  return undefined;
}

export async function startConnectStandIn(options: ConnectStandInOptions = {}): Promise<ConnectStandIn> {
  const settings = { ...DEFAULTS, ...options };
  const makeToken = options.participantToken ?? defaultParticipantToken;
  let rateLimit: { ratePerSecond: number; burst: number } | false =
    settings.ratePerSecond === false ? false : { ratePerSecond: settings.ratePerSecond, burst: settings.burst };
  const makeBucket = () => (rateLimit === false ? undefined : new TokenBucket(rateLimit));

  let bucket = makeBucket();
  /** Bumped by reset(): calls still in flight from before a reset neither record nor change anything. */
  let epoch = 0;
  const calls: RecordedCall[] = [];
  const scripted: ScriptedOutcome[] = [];
  const chatsByToken = new Map<string, ChatRecord>();
  const chatsById = new Map<string, ChatRecord>();
  /** Chats in the order they started, which is the order they end in. */
  let chatsByAge: ChatRecord[] = [];
  let active = 0;
  const hanging = new Set<ServerResponse>();

  function endChat(chat: ChatRecord): void {
    if (!chat.active) return;
    chat.active = false;
    active--;
  }

  /**
   * Ends chats past their lifetime and forgets them. A host's chats stay active until it ends them: past
   * their lifetime only their ClientToken is forgotten.
   */
  function expireChats(now: number): void {
    let expired = 0;
    while (expired < chatsByAge.length && chatsByAge[expired]!.endsAt <= now) {
      const chat = chatsByAge[expired++]!;
      if (settings.chatHost === undefined) endChat(chat);
      if (!chat.active) chatsById.delete(chat.response.ContactId!);
      if (chat.clientToken !== undefined) chatsByToken.delete(chat.clientToken);
    }
    if (expired > 0) chatsByAge = chatsByAge.slice(expired);
  }

  const activeChats = () => {
    expireChats(Date.now());
    return active;
  };

  function send(response: ServerResponse, call: RecordedCall, status: number, body: unknown): void {
    call.outcome = status;
    const payload = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': call.requestId,
    });
    response.end(payload);
  }

  function sendError(
    response: ServerResponse,
    call: RecordedCall,
    name: string,
    message: string,
    status?: number,
  ): void {
    call.outcome = status ?? ERROR_STATUS[name] ?? 400;
    const payload = JSON.stringify({ Message: message });
    response.writeHead(call.outcome, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': call.requestId,
      'x-amzn-ErrorType': `${name}${ERROR_TYPE_SUFFIX}`,
    });
    response.end(payload);
  }

  function startChat(body: Record<string, unknown>, response: ServerResponse, call: RecordedCall): void {
    const problem = invalidParameter(body);
    if (problem !== undefined) return sendError(response, call, 'InvalidParameterException', problem);
    if (settings.instanceIds && !settings.instanceIds.includes(body.InstanceId as string)) {
      return sendError(response, call, 'ResourceNotFoundException', 'Instance not found');
    }
    if (settings.contactFlowIds && !settings.contactFlowIds.includes(body.ContactFlowId as string)) {
      return sendError(response, call, 'ResourceNotFoundException', 'Contact flow not found');
    }
    if (bucket && !bucket.tryTake()) {
      return sendError(response, call, settings.throttlingErrorName, 'Rate exceeded');
    }
    const now = Date.now();
    expireChats(now);
    const clientToken = typeof body.ClientToken === 'string' ? body.ClientToken : undefined;
    const existing = clientToken === undefined ? undefined : chatsByToken.get(clientToken);
    if (existing) return send(response, call, 200, existing.response);
    if (active >= settings.maxConcurrentChats) {
      return sendError(
        response,
        call,
        'LimitExceededException',
        'The allowed limit for concurrent active chats has been exceeded',
      );
    }
    const refusal = settings.chatHost?.refuseStart(body);
    if (refusal !== undefined) return sendError(response, call, refusal.name, refusal.message);
    const persistent = isObject(body.PersistentChat) ? body.PersistentChat : undefined;
    const chat: ChatRecord = {
      response: {
        ContactId: randomUUID(),
        ParticipantId: randomUUID(),
        ParticipantToken: makeToken(),
        ...(typeof persistent?.SourceContactId === 'string' && { ContinuedFromContactId: persistent.SourceContactId }),
      },
      clientToken,
      endsAt: now + settings.chatLifetimeMs,
      active: true,
    };
    active++;
    chatsByAge.push(chat);
    chatsById.set(chat.response.ContactId!, chat);
    if (clientToken !== undefined) chatsByToken.set(clientToken, chat);
    settings.chatHost?.chatStarted({
      contactId: chat.response.ContactId!,
      participantId: chat.response.ParticipantId!,
      participantToken: chat.response.ParticipantToken!,
      request: body,
    });
    send(response, call, 200, chat.response);
  }

  function stopContact(body: Record<string, unknown>, response: ServerResponse, call: RecordedCall): void {
    const chat = typeof body.ContactId === 'string' ? chatsById.get(body.ContactId) : undefined;
    if (!chat) return sendError(response, call, 'ResourceNotFoundException', 'Contact not found');
    endChat(chat);
    settings.chatHost?.chatStopped(chat.response.ContactId!);
    send(response, call, 200, {});
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedIn = epoch;
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    const operation =
      request.method === 'PUT' && path === '/contact/chat'
        ? 'StartChatContact'
        : request.method === 'POST' && path === '/contact/stop'
          ? 'StopContact'
          : 'Unknown';
    const text = await readText(request);
    if (startedIn !== epoch) return void response.destroy();
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = text === '' ? {} : JSON.parse(text);
      body = isObject(parsed) ? parsed : undefined;
    } catch {
      body = undefined;
    }
    const call: RecordedCall = {
      operation,
      receivedAt: Date.now(),
      headers: request.headers,
      body,
      outcome: 0,
      requestId: randomUUID(),
    };
    calls.push(call);
    if (calls.length > settings.maxRecordedCalls) calls.splice(0, calls.length - settings.maxRecordedCalls);

    const outcome = operation === 'StartChatContact' ? scripted.shift() : undefined;
    const delayMs = (outcome && 'delayMs' in outcome ? outcome.delayMs : undefined) ?? settings.latencyMs;
    if (outcome && 'hang' in outcome) {
      call.outcome = 'hang';
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (startedIn !== epoch) return void response.destroy();
    if (outcome && 'reset' in outcome) {
      call.outcome = 'reset';
      request.socket.resetAndDestroy();
      return;
    }
    if (outcome && 'error' in outcome) {
      return sendError(response, call, outcome.error, outcome.message ?? `Scripted ${outcome.error}`, outcome.status);
    }
    if (settings.requireSignature && !String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return sendError(response, call, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    if (operation === 'Unknown') return sendError(response, call, 'UnknownOperationException', 'Unknown operation');
    if (body === undefined) return sendError(response, call, 'SerializationException', 'Body is not a JSON object');
    if (operation === 'StopContact') return stopContact(body, response, call);
    return startChat(body, response, call);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${settings.host}:${port}`,
    port,
    calls,
    startChatCalls: () => calls.filter((call) => call.operation === 'StartChatContact'),
    script: (...outcomes) => {
      scripted.push(...outcomes);
    },
    activeChats,
    setRateLimit: (limit) => {
      rateLimit = limit === false ? false : { ...limit };
      bucket = makeBucket();
    },
    endAllChats: () => {
      for (const chat of chatsById.values()) endChat(chat);
    },
    endChat: (contactId) => {
      const chat = chatsById.get(contactId);
      if (chat === undefined) return;
      endChat(chat);
      if (chat.endsAt <= Date.now()) chatsById.delete(contactId);
    },
    reset: () => {
      epoch++;
      calls.length = 0;
      scripted.length = 0;
      chatsById.clear();
      chatsByToken.clear();
      chatsByAge = [];
      active = 0;
      bucket = makeBucket();
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
