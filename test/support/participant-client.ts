/**
 * A bare client of the Participant Service protocol, for tests that need what chatjs will not do: raw
 * calls with any token or body, a socket driven frame by frame, and a second participant (the agent,
 * through the agent console's API) in the same process as a chatjs customer.
 */
import { WebSocket } from 'ws';

export interface CallResult {
  readonly status: number;
  readonly errorType: string | null;
  readonly body: any;
}

/** POSTs `body` (an object, or a string sent as is) to `path` with `X-Amz-Bearer: token`. */
export async function call(
  endpoint: string,
  path: string,
  token: string | undefined,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const response = await fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token !== undefined && { 'X-Amz-Bearer': token }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: parsed };
}

export interface Connection {
  readonly connectionToken: string;
  readonly socketUrl: string;
}

/** CreateParticipantConnection for both a socket URL and a connection token. */
export async function createConnection(endpoint: string, participantToken: string): Promise<Connection> {
  const result = await call(endpoint, '/participant/connection', participantToken, {
    Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'],
  });
  if (result.status !== 200)
    throw new Error(`CreateParticipantConnection: ${result.status} ${JSON.stringify(result.body)}`);
  return { connectionToken: result.body.ConnectionCredentials.ConnectionToken, socketUrl: result.body.Websocket.Url };
}

/** The agent of a chat, taken over through the agent console's API. */
export async function takeOver(
  endpoint: string,
  contactId: string,
): Promise<{ ParticipantId: string; ParticipantToken: string }> {
  const response = await fetch(`${endpoint}/agent-console/api/chats/${contactId}/take-over`, {
    method: 'POST',
    headers: { 'X-Sandbox-Console': '1' },
  });
  if (!response.ok) throw new Error(`take-over: ${response.status}`);
  return (await response.json()) as { ParticipantId: string; ParticipantToken: string };
}

/** A socket that records every frame it gets and how it closed. */
export class RawSocket {
  readonly ws: WebSocket;
  readonly frames: any[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()));
      } catch {
        this.frames.push(data.toString());
      }
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`handshake refused: ${response.statusCode}`)),
      );
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.opened.catch(() => {});
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** Subscribes to the chat topic and waits for the answer. */
  async subscribe(): Promise<void> {
    await this.opened;
    this.send({ topic: 'aws/subscribe', content: { topics: ['aws/chat'] } });
    await this.waitFor((frame) => frame.topic === 'aws/subscribe');
  }

  /** The chat items received, parsed. */
  items(): any[] {
    return this.frames.filter((frame) => frame.topic === 'aws/chat').map((frame) => JSON.parse(frame.content));
  }

  async waitFor(matches: (frame: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const endsAt = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(matches);
      if (found !== undefined) return found;
      if (Date.now() > endsAt)
        throw new Error(`no matching frame within ${timeoutMs} ms: ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async waitForItem(matches: (item: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const frame = await this.waitFor(
      (candidate) => candidate.topic === 'aws/chat' && matches(JSON.parse(candidate.content)),
      timeoutMs,
    );
    return JSON.parse(frame.content);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Starts a chat through the API; returns data.startChatResult (and the whole answer). */
export async function startChat(apiUrl: string, body: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ParticipantDetails: { DisplayName: 'Ada' }, ...body }),
  });
  const json = (await response.json()) as any;
  if (response.status !== 200)
    throw Object.assign(new Error(`start: ${response.status}`), { status: response.status, json });
  return json.data.startChatResult;
}
