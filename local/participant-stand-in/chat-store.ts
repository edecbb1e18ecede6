/**
 * One state per contact, created when the Connect stand-in starts a chat: its two participants (the
 * customer, with the ParticipantToken the API handed out, and the agent), their connections, the
 * transcript, the attachments, and whether it has ended. The Participant Service's operations act on it,
 * and listeners (the WebSocket, the simulated agent) hear of every item.
 *
 * A chat ends on DisconnectParticipant by either side (`participant.left`, then `chat.ended`), on
 * StopContact, when ChatDurationInMinutes runs out, or when the customer never connects within
 * Connect's window; from then on its tokens get 403 AccessDeniedException. Ended chats are kept a while
 * (for persistent chats and those 403s), then dropped; the number of chats, transcript items and stored
 * bytes are capped.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isPlainObject } from '../../lambda/is-plain-object.ts';
import type { ChatHost, ConnectErrorReply, StartedChat } from '../connect-stand-in/connect-stand-in.ts';
import { AttachmentStore, type ChatAttachments } from './attachments.ts';
import {
  AGENT_MESSAGE_CONTENT_LIMITS,
  EVENT_TYPES,
  MAX_CONTENT_CHARS,
  MESSAGE_CONTENT_LIMITS,
  SENDABLE_EVENT_TYPES,
} from './content-types.ts';
import { type Item, type ItemSender, isKept, SYSTEM_SENDER } from './items.ts';
import type { SandboxLimits } from './limits.ts';
import { accessDenied, invalidField, ParticipantServiceError } from './protocol-errors.ts';
import { type Body, optionalString, requiredString } from './request-fields.ts';
import { StoredBytes } from './stored-bytes.ts';
import { readTranscriptQuery, transcriptPage } from './transcript.ts';

export type Role = 'CUSTOMER' | 'AGENT';

/** Who plays the agent of a chat: the simulated agent, or a person in the agent console. */
export type AgentDriver = 'simulated' | 'console';

export interface Connection {
  readonly token: string;
  readonly participant: Participant;
  readonly expiresAt: number;
  readonly socketKey: string;
  readonly socketKeyExpiresAt: number;
}

export interface Participant {
  readonly id: string;
  readonly role: Role;
  readonly displayName: string;
  readonly token: string;
  readonly contact: ChatContact;
  /** Connections, oldest first, at most `maxConnectionsPerParticipant`. */
  readonly connections: Connection[];
  /** Has called CreateParticipantConnection. */
  connected: boolean;
  /** Is part of the chat (the agent joins after the customer connects). */
  joined: boolean;
  /** SendMessage answers by ClientToken, for retries. */
  readonly answered: Map<string, MessageAnswer>;
}

export interface MessageAnswer {
  readonly Id: string;
  readonly AbsoluteTime: string;
}

interface ParticipantStart {
  readonly id: string;
  readonly displayName: string;
  readonly token: string;
}

/** One chat: a contact of the Connect stand-in and its conversation. */
export class ChatContact {
  readonly contactId: string;
  readonly startedAt = Date.now();
  readonly customer: Participant;
  readonly agent: Participant;
  /** Items of the chats this one continues (PersistentChat), oldest first. */
  readonly history: readonly Item[];
  /** The contact this one continues, for its attachments. */
  readonly previousContactId: string | undefined;
  readonly items: Item[] = [];
  readonly attachments: ChatAttachments = new Map();
  /** Bytes of kept items counted against the budget. */
  bytes = 0;
  agentDriver: AgentDriver = 'simulated';
  ended = false;
  /** Receipts already pushed: `messageId kind readerId`. */
  readonly receipts = new Set<string>();
  readonly timers = new Set<NodeJS.Timeout>();
  /** Ends the chat if the customer does not connect in time. */
  connectWindow: NodeJS.Timeout | undefined;

  constructor(
    contactId: string,
    customer: ParticipantStart,
    agent: ParticipantStart,
    history: readonly Item[],
    previousContactId: string | undefined,
  ) {
    this.contactId = contactId;
    this.customer = this.#participant('CUSTOMER', customer);
    this.agent = this.#participant('AGENT', agent);
    this.history = history;
    this.previousContactId = previousContactId;
  }

  #participant(role: Role, start: ParticipantStart): Participant {
    return {
      ...start,
      role,
      contact: this,
      connections: [],
      connected: false,
      joined: role === 'CUSTOMER',
      answered: new Map(),
    };
  }
}

/** Why a chat ended. */
export type EndReason = 'customer-left' | 'agent-left' | 'duration' | 'never-connected' | 'stopped';

export interface ChatListener {
  /** Every new item: messages, events, receipts, typing. */
  itemAdded?(contact: ChatContact, item: Item): void;
  /** The customer called CreateParticipantConnection for the first time. */
  customerConnected?(contact: ChatContact): void;
  /** A participant's socket subscribed to `aws/chat`. */
  subscribed?(contact: ChatContact, participant: Participant): void;
  /** The agent console took the chat over. */
  takenOver?(contact: ChatContact): void;
  ended?(contact: ChatContact, reason: EndReason): void;
}

export interface ChatStoreOptions {
  readonly limits: SandboxLimits;
  readonly attachmentsEnabled: boolean;
  /** The server's base URL, e.g. `http://127.0.0.1:3002`; the WebSocket URL is derived from it. */
  readonly baseUrl: () => string;
  /** The agent's name in the chat. */
  readonly agentDisplayName: string;
}

/** What a chat shows in the agent console's list. */
export interface ChatSummary {
  readonly contactId: string;
  readonly customerName: string;
  readonly startedAt: string;
  readonly state: 'waiting' | 'connected' | 'ended';
  readonly agent: AgentDriver;
  readonly messages: number;
  readonly lastMessage: { readonly role: string; readonly text: string } | undefined;
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function itemBytes(item: Item): number {
  return Buffer.byteLength(JSON.stringify(item));
}

function sender(participant: Participant): ItemSender {
  return { ParticipantId: participant.id, DisplayName: participant.displayName, ParticipantRole: participant.role };
}

function displayNameOf(request: Readonly<Record<string, unknown>>): string {
  const details = request.ParticipantDetails;
  const name = isPlainObject(details) ? details.DisplayName : undefined;
  return typeof name === 'string' ? name.trim() : 'Customer';
}

export class ChatStore implements ChatHost {
  readonly listeners = new Set<ChatListener>();
  readonly attachments: AttachmentStore;
  readonly #options: ChatStoreOptions;
  readonly #limits: SandboxLimits;
  readonly #bytes: StoredBytes;
  readonly #contacts = new Map<string, ChatContact>();
  readonly #participants = new Map<string, Participant>();
  readonly #connections = new Map<string, Connection>();
  readonly #socketKeys = new Map<string, Connection>();
  /** Ended chats, in the order they ended: the first to drop. */
  readonly #ended: ChatContact[] = [];
  /** Frees the Connect stand-in's quota place of an ended chat. */
  onChatEnded: ((contactId: string) => void) | undefined;

  constructor(options: ChatStoreOptions) {
    this.#options = options;
    this.#limits = options.limits;
    this.#bytes = new StoredBytes(options.limits.maxStoredBytes);
    this.attachments = new AttachmentStore({
      enabled: options.attachmentsEnabled,
      limits: options.limits,
      bytes: this.#bytes,
      freeSome: () => this.#dropOldestEnded(),
      baseUrl: options.baseUrl,
    });
  }

  get storedBytes(): number {
    return this.#bytes.used;
  }

  get chatCount(): number {
    return this.#contacts.size;
  }

  // --- The Connect stand-in's side (ChatHost) ---

  refuseStart(request: Readonly<Record<string, unknown>>): ConnectErrorReply | undefined {
    const source = this.#persistentSource(request);
    if (source !== undefined && !source.ended) {
      return {
        name: 'InvalidRequestException',
        message: `PersistentChat.SourceContactId ${source.contactId} is still active; only an ended chat can be continued`,
      };
    }
    while (this.#contacts.size >= this.#limits.maxChats) {
      if (!this.#dropOldestEnded()) {
        return {
          name: 'LimitExceededException',
          message: `The chat sandbox holds at most ${this.#limits.maxChats} chats at once`,
        };
      }
    }
    return undefined;
  }

  chatStarted(chat: StartedChat): void {
    const { request } = chat;
    const source = this.#persistentSource(request);
    const persistent = isPlainObject(request.PersistentChat) ? request.PersistentChat : undefined;
    const history =
      source === undefined
        ? []
        : persistent?.RehydrationType === 'FROM_SEGMENT'
          ? [...source.items]
          : [...source.history, ...source.items];
    const contact = new ChatContact(
      chat.contactId,
      { id: chat.participantId, displayName: displayNameOf(request), token: chat.participantToken },
      { id: randomUUID(), displayName: this.#options.agentDisplayName, token: token(150) },
      history,
      source?.contactId,
    );
    this.#contacts.set(contact.contactId, contact);
    this.#participants.set(contact.customer.token, contact.customer);
    this.#participants.set(contact.agent.token, contact.agent);
    contact.bytes = history.reduce((sum, item) => sum + itemBytes(item), 0);
    this.#bytes.force(contact.bytes);

    if (history.length > 0)
      this.#append(contact, SYSTEM_SENDER, { Type: 'EVENT', ContentType: EVENT_TYPES.chatRehydrated });
    this.#append(contact, sender(contact.customer), { Type: 'EVENT', ContentType: EVENT_TYPES.participantJoined });
    const initial = isPlainObject(request.InitialMessage) ? request.InitialMessage : undefined;
    if (typeof initial?.Content === 'string' && typeof initial.ContentType === 'string') {
      this.#append(contact, sender(contact.customer), {
        Type: 'MESSAGE',
        ContentType: initial.ContentType,
        Content: initial.Content,
      });
    }
    const minutes = typeof request.ChatDurationInMinutes === 'number' ? request.ChatDurationInMinutes : 1_500;
    this.#after(contact, minutes * this.#limits.minuteMs, () => this.endChat(contact, 'duration'));
    contact.connectWindow = this.#after(contact, this.#limits.connectWindowMs, () => {
      if (!contact.customer.connected) this.endChat(contact, 'never-connected');
    });
  }

  chatStopped(contactId: string): void {
    const contact = this.#contacts.get(contactId);
    if (contact !== undefined) this.endChat(contact, 'stopped');
  }

  #persistentSource(request: Readonly<Record<string, unknown>>): ChatContact | undefined {
    const persistent = request.PersistentChat;
    if (!isPlainObject(persistent) || typeof persistent.SourceContactId !== 'string') return undefined;
    return this.#contacts.get(persistent.SourceContactId);
  }

  #after(contact: ChatContact, ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        contact.timers.delete(timer);
        run();
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    timer.unref();
    contact.timers.add(timer);
    return timer;
  }

  // --- Tokens ---

  /** The participant a ParticipantToken belongs to, in a chat that has not ended; else 403. */
  participant(participantToken: string | undefined): Participant {
    const participant = participantToken === undefined ? undefined : this.#participants.get(participantToken);
    if (participant === undefined || participant.contact.ended) throw accessDenied();
    return participant;
  }

  /** The participant a ConnectionToken belongs to, while it lasts and the chat goes on; else 403. */
  connected(connectionToken: string | undefined): Participant {
    const connection = connectionToken === undefined ? undefined : this.#connections.get(connectionToken);
    if (connection === undefined || connection.expiresAt <= Date.now() || connection.participant.contact.ended) {
      throw accessDenied();
    }
    return connection.participant;
  }

  /** The connection a WebSocket URL's key opens, while the URL may be used and the chat goes on. */
  socketConnection(key: string): Connection | undefined {
    const connection = this.#socketKeys.get(key);
    if (
      connection === undefined ||
      connection.socketKeyExpiresAt <= Date.now() ||
      connection.expiresAt <= Date.now() ||
      connection.participant.contact.ended
    ) {
      return undefined;
    }
    return connection;
  }

  // --- Operations ---

  /** CreateParticipantConnection. */
  createConnection(participant: Participant, body: Body): Record<string, unknown> {
    const types = body.Type;
    const acknowledge = body.ConnectParticipant;
    if (acknowledge !== undefined && acknowledge !== null && typeof acknowledge !== 'boolean') {
      throw invalidField('ConnectParticipant', 'must be true or false');
    }
    if (types !== undefined && types !== null) {
      if (
        !Array.isArray(types) ||
        types.length < 1 ||
        types.length > 2 ||
        types.some((type) => type !== 'WEBSOCKET' && type !== 'CONNECTION_CREDENTIALS')
      ) {
        throw invalidField('Type', 'must list WEBSOCKET and/or CONNECTION_CREDENTIALS');
      }
    } else if (acknowledge !== true) {
      throw invalidField('Type', 'is required unless ConnectParticipant is true');
    }
    const wanted = new Set<string>(Array.isArray(types) ? types : []);
    if (wanted.size === 0) return {};

    const now = Date.now();
    const connection: Connection = {
      token: token(96),
      participant,
      expiresAt: now + this.#limits.connectionTokenLifetimeMs,
      socketKey: token(32),
      socketKeyExpiresAt: now + this.#limits.socketUrlLifetimeMs,
    };
    participant.connections.push(connection);
    this.#connections.set(connection.token, connection);
    this.#socketKeys.set(connection.socketKey, connection);
    while (participant.connections.length > this.#limits.maxConnectionsPerParticipant) {
      this.#forgetConnection(participant.connections.shift()!);
    }
    const firstTime = !participant.connected;
    participant.connected = true;
    if (firstTime && participant.role === 'CUSTOMER') {
      const { contact } = participant;
      if (contact.connectWindow !== undefined) {
        clearTimeout(contact.connectWindow);
        contact.timers.delete(contact.connectWindow);
      }
      for (const listener of this.listeners) listener.customerConnected?.(participant.contact);
    }
    const socketUrl = `${this.#options.baseUrl().replace(/^http/, 'ws')}/websocket?key=${connection.socketKey}`;
    return {
      ...(wanted.has('WEBSOCKET') && {
        Websocket: { Url: socketUrl, ConnectionExpiry: new Date(connection.socketKeyExpiresAt).toISOString() },
      }),
      ...(wanted.has('CONNECTION_CREDENTIALS') && {
        ConnectionCredentials: {
          ConnectionToken: connection.token,
          Expiry: new Date(connection.expiresAt).toISOString(),
        },
      }),
    };
  }

  #forgetConnection(connection: Connection): void {
    this.#connections.delete(connection.token);
    this.#socketKeys.delete(connection.socketKey);
  }

  /** SendMessage: the message is pushed to everyone in the chat, the sender included. */
  sendMessage(participant: Participant, body: Body): MessageAnswer {
    const limits = participant.role === 'AGENT' ? AGENT_MESSAGE_CONTENT_LIMITS : MESSAGE_CONTENT_LIMITS;
    const contentType = requiredString(body, 'ContentType', 100);
    const maxChars = limits[contentType];
    if (maxChars === undefined) {
      throw invalidField('ContentType', `must be one of ${Object.keys(limits).join(', ')} (got "${contentType}")`);
    }
    const content = requiredString(body, 'Content', Math.min(maxChars, MAX_CONTENT_CHARS));
    const clientToken = optionalString(body, 'ClientToken', 500);
    const earlier = clientToken === undefined ? undefined : participant.answered.get(clientToken);
    if (earlier !== undefined) return earlier;
    const item = this.post(participant, { Type: 'MESSAGE', ContentType: contentType, Content: content });
    const answer = { Id: item.Id, AbsoluteTime: item.AbsoluteTime };
    if (clientToken !== undefined) {
      participant.answered.set(clientToken, answer);
      if (participant.answered.size > 100) participant.answered.delete(participant.answered.keys().next().value!);
    }
    return answer;
  }

  /** SendEvent: typing, or a delivered or read receipt for a message of the chat. */
  sendEvent(participant: Participant, body: Body): MessageAnswer {
    const contentType = requiredString(body, 'ContentType', 100);
    if (!SENDABLE_EVENT_TYPES.includes(contentType)) {
      throw invalidField('ContentType', `must be one of ${SENDABLE_EVENT_TYPES.join(', ')} (got "${contentType}")`);
    }
    const content = optionalString(body, 'Content', 1_024);
    optionalString(body, 'ClientToken', 500);
    if (contentType === EVENT_TYPES.delivered || contentType === EVENT_TYPES.read) {
      let messageId: unknown;
      try {
        messageId = content === undefined ? undefined : (JSON.parse(content) as { messageId?: unknown }).messageId;
      } catch {
        messageId = undefined;
      }
      if (typeof messageId !== 'string' || messageId === '') {
        throw invalidField('Content', 'must be JSON with the messageId of the message delivered or read');
      }
      const item = this.receipt(participant, messageId, contentType === EVENT_TYPES.read ? 'read' : 'delivered');
      return { Id: item.Id, AbsoluteTime: item.AbsoluteTime };
    }
    const item =
      contentType === EVENT_TYPES.typing
        ? this.typing(participant)
        : this.#append(participant.contact, sender(participant), { Type: 'EVENT', ContentType: contentType }, 'capped');
    return { Id: item.Id, AbsoluteTime: item.AbsoluteTime };
  }

  /** GetTranscript, over the chats this one continues and its own items. */
  transcript(participant: Participant, body: Body): Record<string, unknown> {
    const query = readTranscriptQuery(body);
    const { contact } = participant;
    let items = contact.history.length === 0 ? contact.items : [...contact.history, ...contact.items];
    if (query.contactId !== undefined && query.contactId !== contact.contactId) {
      if (!contact.history.some((item) => item.ContactId === query.contactId)) {
        throw invalidField('ContactId', 'is not a contact of this chat');
      }
      items = contact.history.filter((item) => item.ContactId === query.contactId);
    }
    return {
      InitialContactId: contact.contactId,
      ...transcriptPage(items, query, query.contactId ?? contact.contactId),
    };
  }

  /** DisconnectParticipant: the participant leaves, which ends the chat. */
  disconnect(participant: Participant): void {
    this.endChat(participant.contact, participant.role === 'CUSTOMER' ? 'customer-left' : 'agent-left');
  }

  /** CompleteAttachmentUpload's item, pushed to everyone. */
  completeAttachment(participant: Participant, body: Body): void {
    const attachment = this.attachments.complete(participant.contact.attachments, participant.id, body);
    this.#append(participant.contact, sender(participant), {
      Type: 'ATTACHMENT',
      ContentType: attachment.ContentType,
      Attachments: [attachment],
    });
  }

  /** The attachments GetAttachment looks in: the chat's own, then those of the chats it continues. */
  attachmentChain(contact: ChatContact): ChatAttachments[] {
    const chain = [contact.attachments];
    for (let id = contact.previousContactId; id !== undefined; ) {
      const previous = this.#contacts.get(id);
      if (previous === undefined) break;
      chain.push(previous.attachments);
      id = previous.previousContactId;
    }
    return chain;
  }

  // --- What participants do, for the operations and the simulated agent ---

  /** A message, attachment or event from a participant. Throws ServiceQuotaExceeded when memory is full. */
  post(participant: Participant, fields: Pick<Item, 'Type'> & Partial<Item>): Item {
    return this.#append(participant.contact, sender(participant), fields, 'capped');
  }

  typing(participant: Participant): Item {
    return this.#append(participant.contact, sender(participant), { Type: 'EVENT', ContentType: EVENT_TYPES.typing });
  }

  /**
   * A receipt: `reader` has had the message delivered or has read it. Pushed once per message, kind and
   * reader, naming the reader as the recipient (chatjs shows it to everyone else).
   */
  receipt(reader: Participant, messageId: string, kind: 'delivered' | 'read'): Item {
    const { contact } = reader;
    const known =
      contact.items.some((item) => item.Id === messageId) || contact.history.some((item) => item.Id === messageId);
    if (!known) throw invalidField('Content', `names the message ${messageId}, which is not in this chat`);
    const at = new Date().toISOString();
    const key = `${messageId} ${kind} ${reader.id}`;
    const fields = {
      Type: 'MESSAGEMETADATA' as const,
      MessageMetadata: {
        MessageId: messageId,
        Receipts: [
          {
            ...(kind === 'read' ? { ReadTimestamp: at } : { DeliveredTimestamp: at }),
            RecipientParticipantId: reader.id,
          },
        ],
      },
    };
    if (contact.receipts.has(key)) return this.#build(contact, fields);
    contact.receipts.add(key);
    return this.#append(contact, undefined, fields, 'capped');
  }

  /** The agent joins the chat (once). */
  agentJoins(contact: ChatContact): void {
    if (contact.agent.joined || contact.ended) return;
    contact.agent.joined = true;
    this.#append(contact, sender(contact.agent), { Type: 'EVENT', ContentType: EVENT_TYPES.participantJoined });
  }

  /** The agent console takes the chat over from the simulated agent: the agent's token, for chatjs. */
  takeOver(contactId: string): ChatContact | undefined {
    const contact = this.#contacts.get(contactId);
    if (contact === undefined || contact.ended) return undefined;
    if (contact.agentDriver !== 'console') {
      contact.agentDriver = 'console';
      for (const listener of this.listeners) listener.takenOver?.(contact);
    }
    this.agentJoins(contact);
    return contact;
  }

  /** Tells the listeners a socket subscribed. */
  socketSubscribed(participant: Participant): void {
    for (const listener of this.listeners) listener.subscribed?.(participant.contact, participant);
  }

  /** Ends a chat: who left (if someone did), then `chat.ended`. */
  endChat(contact: ChatContact, reason: EndReason): void {
    if (contact.ended) return;
    const leaving = reason === 'customer-left' ? contact.customer : reason === 'agent-left' ? contact.agent : undefined;
    if (leaving !== undefined) {
      this.#append(contact, sender(leaving), { Type: 'EVENT', ContentType: EVENT_TYPES.participantLeft });
    }
    this.#append(contact, SYSTEM_SENDER, { Type: 'EVENT', ContentType: EVENT_TYPES.chatEnded });
    contact.ended = true;
    for (const timer of contact.timers) clearTimeout(timer);
    contact.timers.clear();
    this.#ended.push(contact);
    this.#after(contact, this.#limits.endedChatRetentionMs, () => this.#drop(contact));
    this.onChatEnded?.(contact.contactId);
    for (const listener of this.listeners) listener.ended?.(contact, reason);
  }

  // --- Items ---

  #build(contact: ChatContact, fields: Partial<Item>, from?: ItemSender): Item {
    return {
      Id: randomUUID(),
      AbsoluteTime: new Date().toISOString(),
      ...fields,
      ...from,
      ContactId: contact.contactId,
      InitialContactId: contact.contactId,
    } as Item;
  }

  /**
   * Adds an item to the chat and tells the listeners. Items a participant sends are refused with
   * ServiceQuotaExceededException when the chat or the sandbox is full; the service's own always fit.
   */
  #append(
    contact: ChatContact,
    from: ItemSender | undefined,
    fields: Partial<Item>,
    room: 'capped' | 'always' = 'always',
  ): Item {
    if (contact.ended) throw accessDenied();
    const item = this.#build(contact, fields, from);
    if (isKept(item)) {
      const bytes = itemBytes(item);
      if (room === 'always') {
        this.#bytes.force(bytes);
      } else if (
        contact.history.length + contact.items.length >= this.#limits.maxItemsPerChat ||
        !this.#bytes.tryTake(bytes, () => this.#dropOldestEnded())
      ) {
        throw new ParticipantServiceError(
          'ServiceQuotaExceededException',
          `The sandbox keeps at most ${this.#limits.maxItemsPerChat} items a chat and ${this.#limits.maxStoredBytes} bytes in all; end some chats`,
        );
      }
      contact.bytes += bytes;
      contact.items.push(item);
    }
    for (const listener of this.listeners) listener.itemAdded?.(contact, item);
    return item;
  }

  // --- Memory ---

  #dropOldestEnded(): boolean {
    const oldest = this.#ended[0];
    if (oldest === undefined) return false;
    this.#drop(oldest);
    return true;
  }

  /** Forgets an ended chat: its tokens are unknown from now on (still 403), its memory is free. */
  #drop(contact: ChatContact): void {
    if (this.#contacts.get(contact.contactId) !== contact) return;
    this.#contacts.delete(contact.contactId);
    const index = this.#ended.indexOf(contact);
    if (index !== -1) this.#ended.splice(index, 1);
    for (const participant of [contact.customer, contact.agent]) {
      this.#participants.delete(participant.token);
      for (const connection of participant.connections) this.#forgetConnection(connection);
    }
    for (const timer of contact.timers) clearTimeout(timer);
    contact.timers.clear();
    this.#bytes.release(contact.bytes);
    this.attachments.drop(contact.attachments);
  }

  // --- The agent console ---

  summaries(): ChatSummary[] {
    return [...this.#contacts.values()].map((contact) => {
      const messages = contact.items.filter((item) => item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT');
      const last = messages.at(-1);
      return {
        contactId: contact.contactId,
        customerName: contact.customer.displayName,
        startedAt: new Date(contact.startedAt).toISOString(),
        state: contact.ended ? 'ended' : contact.customer.connected ? 'connected' : 'waiting',
        agent: contact.agentDriver,
        messages: messages.length,
        lastMessage:
          last === undefined
            ? undefined
            : {
                role: last.ParticipantRole ?? 'SYSTEM',
                text: (last.Type === 'ATTACHMENT'
                  ? `📎 ${last.Attachments?.[0]?.AttachmentName}`
                  : (last.Content ?? '')
                ).slice(0, 120),
              },
      };
    });
  }

  /** Clears every timer; the store is not used after this. */
  close(): void {
    for (const contact of this.#contacts.values()) {
      for (const timer of contact.timers) clearTimeout(timer);
      contact.timers.clear();
    }
  }
}
