/**
 * The unmodified amazon-connect-chatjs 5 in Node 24, for tests against the chat sandbox: the shims it
 * needs outside a browser (`self` and `window` for its bundle, `isNetworkOnline` for its websocket
 * manager, `disableCSM`), a session per chat pointed at a sandbox with `setGlobalConfig({ endpoint })`,
 * and every event it raises recorded so that tests can wait for them.
 *
 * chatjs caches its Participant Service client per region, with the endpoint set when the region is first
 * used: each sandbox gets a region name of its own, so one test file can talk to several.
 */
import { createRequire } from 'node:module';

(globalThis as any).self ??= globalThis;
(globalThis as any).window ??= globalThis;
createRequire(import.meta.url)('amazon-connect-chatjs');

export const connect = (globalThis as any).connect as any;

/** Receipts go out after this long instead of chatjs's default 5 s. */
const RECEIPT_THROTTLE_MS = 50;

const regions = new Map<string, string>();
const sessions = new Set<ChatjsSession>();

/**
 * Ends what chatjs leaves running after a test: its sockets, and the 10 s timer of its typing throttle
 * (on the Participant Service client it caches per region), which would keep jest's worker busy.
 */
export function disposeSessions(): void {
  for (const chat of sessions) {
    chat.session.controller?.breakConnection?.();
    chat.session.controller?.chatClient?.throttleEvent?.cancel?.();
  }
  sessions.clear();
}

function configure(endpoint: string): string {
  let region = regions.get(endpoint);
  if (region === undefined) {
    region = `us-east-${regions.size + 1}`;
    regions.set(endpoint, region);
  }
  connect.ChatSession.setGlobalConfig({
    endpoint,
    region,
    webSocketManagerConfig: { isNetworkOnline: () => true },
    features: { messageReceipts: { shouldSendMessageReceipts: true, throttleTime: RECEIPT_THROTTLE_MS } },
  });
  return region;
}

export interface ChatEvent {
  /** Its place among the session's events. */
  readonly index: number;
  readonly name: string;
  readonly at: number;
  readonly data: any;
}

export interface ChatDetails {
  readonly ContactId: string;
  readonly ParticipantId: string;
  readonly ParticipantToken: string;
}

const EVENTS = [
  'onMessage',
  'onTyping',
  'onReadReceipt',
  'onDeliveredReceipt',
  'onConnectionEstablished',
  'onConnectionLost',
  'onConnectionBroken',
  'onEnded',
  'onChatRehydrated',
  'onDeepHeartbeatSuccess',
  'onDeepHeartbeatFailure',
] as const;

export class ChatjsSession {
  readonly session: any;
  readonly events: ChatEvent[] = [];

  constructor(chatDetails: ChatDetails, endpoint: string) {
    const region = configure(endpoint);
    this.session = connect.ChatSession.create({
      chatDetails,
      type: 'CUSTOMER',
      disableCSM: true,
      options: { region },
    });
    for (const name of EVENTS) {
      this.session[name]((event: any) =>
        this.events.push({ index: this.events.length, name, at: Date.now(), data: event?.data }),
      );
    }
    sessions.add(this);
  }

  /** Items received with onMessage. */
  messages(): any[] {
    return this.events.filter((event) => event.name === 'onMessage').map((event) => event.data);
  }

  /** Resolves with the first event matching (from the `after`-th on), waiting for it up to `timeoutMs`. */
  async waitFor(
    name: (typeof EVENTS)[number],
    matches: (data: any) => boolean = () => true,
    timeoutMs = 8_000,
    after = -1,
  ): Promise<ChatEvent> {
    const endsAt = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((event) => event.index > after && event.name === name && matches(event.data));
      if (found !== undefined) return found;
      if (Date.now() > endsAt) {
        const seen = this.events.map((event) => `${event.name} ${event.data?.ContentType ?? ''}`).join('\n');
        throw new Error(`no ${name} matching within ${timeoutMs} ms; events:\n${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
