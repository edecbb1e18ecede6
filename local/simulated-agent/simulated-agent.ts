/**
 * The simulated agent: makes a conversation happen with no one at the other end, by its script. After
 * the customer connects it joins (once the customer's socket listens, or by the join deadline at the
 * latest, or at once when the customer writes first), shows typing and greets, once; it sends a delivered
 * then a read receipt for each customer message and answers it (typing first); it thanks for
 * attachments; a reply may end the chat. It answers the chat's InitialMessage after the greeting.
 *
 * It steps aside when the chat ends or when the agent console takes the chat over.
 */
import { INTERACTIVE_RESPONSE } from '../../lambda/request-schema.ts';
import type { ChatContact, ChatListener, ChatStore, Participant } from '../participant-stand-in/chat-store.ts';
import type { Item } from '../participant-stand-in/items.ts';
import { type AgentMessage, type AgentScript, fillPlaceholders } from './agent-script.ts';

/** The agent joins at most this long after the customer's connection, even if no socket listens yet. */
export const JOIN_DEADLINE_MS = 1_500;
/** Typing shows this long before a message, at most. */
const TYPING_LEAD_MS = 600;
/** Between the messages of one reply, and before a chat the agent ends is ended. */
const PAUSE_MS = 500;

interface AgentState {
  readonly timers: Set<NodeJS.Timeout>;
  joinDue: boolean;
  customerListening: boolean;
  /** Customer messages sent before the agent was there to answer (the InitialMessage). */
  readonly waiting: Item[];
}

/** The text of a customer's message to match and quote: a list picker's choice is its title. */
function textOf(item: Item): string {
  const content = item.Content ?? '';
  if (item.ContentType !== INTERACTIVE_RESPONSE) return content;
  try {
    const parsed = JSON.parse(content) as { data?: { content?: { title?: unknown } } };
    const title = parsed.data?.content?.title;
    return typeof title === 'string' ? title : content;
  } catch {
    return content;
  }
}

export class SimulatedAgent implements ChatListener {
  readonly #script: AgentScript;
  readonly #store: ChatStore;
  readonly #states = new Map<string, AgentState>();

  constructor(script: AgentScript, store: ChatStore) {
    this.#script = script;
    this.#store = store;
  }

  #state(contact: ChatContact): AgentState {
    let state = this.#states.get(contact.contactId);
    if (state === undefined) {
      state = { timers: new Set(), joinDue: false, customerListening: false, waiting: [] };
      this.#states.set(contact.contactId, state);
    }
    return state;
  }

  #active(contact: ChatContact): boolean {
    return !contact.ended && contact.agentDriver === 'simulated';
  }

  /** Runs `act` after `ms` if the agent still plays this chat; a refused action is dropped. */
  #later(contact: ChatContact, ms: number, act: () => void): void {
    const state = this.#state(contact);
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      if (!this.#active(contact)) return;
      try {
        act();
      } catch {
        // The chat is full or has just ended: the agent says nothing more.
      }
    }, ms);
    timer.unref();
    state.timers.add(timer);
  }

  #stop(contact: ChatContact): void {
    const state = this.#states.get(contact.contactId);
    if (state === undefined) return;
    for (const timer of state.timers) clearTimeout(timer);
    this.#states.delete(contact.contactId);
  }

  customerConnected(contact: ChatContact): void {
    if (!this.#active(contact)) return;
    const state = this.#state(contact);
    this.#later(contact, this.#script.joinDelayMs, () => {
      state.joinDue = true;
      if (state.customerListening) this.#join(contact);
    });
    this.#later(contact, Math.max(this.#script.joinDelayMs, JOIN_DEADLINE_MS), () => this.#join(contact));
  }

  subscribed(contact: ChatContact, participant: Participant): void {
    if (participant.role !== 'CUSTOMER' || !this.#active(contact)) return;
    const state = this.#state(contact);
    state.customerListening = true;
    if (state.joinDue) this.#join(contact);
  }

  #join(contact: ChatContact): void {
    if (contact.agent.joined) return;
    this.#store.agentJoins(contact);
    const customer = contact.customer.displayName;
    const greetingEnd = this.#say(contact, this.#script.greeting, this.#script.greetingDelayMs, { customer });
    const state = this.#state(contact);
    for (const item of state.waiting.splice(0)) this.#answer(contact, item, greetingEnd);
  }

  /**
   * Sends `messages` one after another, the first `delayMs` from now, each after typing; returns when
   * the last goes out, in ms from now.
   */
  #say(
    contact: ChatContact,
    messages: readonly AgentMessage[],
    delayMs: number,
    values: { text?: string; customer?: string; file?: string },
  ): number {
    let at = delayMs;
    messages.forEach((message, index) => {
      if (index > 0) at += Math.max(PAUSE_MS, this.#script.replyDelayMs / 2);
      const sendAt = at;
      this.#later(contact, Math.max(0, sendAt - TYPING_LEAD_MS), () => this.#store.typing(contact.agent));
      this.#later(contact, sendAt, () => {
        this.#store.post(contact.agent, {
          Type: 'MESSAGE',
          ContentType: message.contentType,
          Content: fillPlaceholders(message, values),
        });
      });
    });
    return at;
  }

  /** Receipts for a customer's message or attachment, then the scripted answer, `offsetMs` from now. */
  #answer(contact: ChatContact, item: Item, offsetMs = 0): void {
    const { receiptDelayMs } = this.#script;
    const receipt = (kind: 'delivered' | 'read') => () => this.#store.receipt(contact.agent, item.Id, kind);
    this.#later(contact, offsetMs + receiptDelayMs, receipt('delivered'));
    this.#later(contact, offsetMs + 2 * receiptDelayMs, receipt('read'));

    const customer = contact.customer.displayName;
    if (item.Type === 'ATTACHMENT') {
      const file = item.Attachments?.[0]?.AttachmentName ?? 'your file';
      this.#say(contact, this.#script.attachmentReply, offsetMs + this.#script.replyDelayMs, { customer, file });
      return;
    }
    const text = textOf(item);
    const rule = this.#script.replies.find((candidate) => candidate.match.test(text));
    const messages = rule?.messages ?? this.#script.fallback;
    const done = this.#say(contact, messages, offsetMs + (rule?.delayMs ?? this.#script.replyDelayMs), {
      text,
      customer,
    });
    if (rule?.endChat) this.#later(contact, done + PAUSE_MS, () => this.#store.endChat(contact, 'agent-left'));
  }

  itemAdded(contact: ChatContact, item: Item): void {
    if (item.ParticipantRole !== 'CUSTOMER' || (item.Type !== 'MESSAGE' && item.Type !== 'ATTACHMENT')) return;
    if (!this.#active(contact)) return;
    if (!contact.customer.connected) {
      this.#state(contact).waiting.push(item);
      return;
    }
    // A customer who writes before the agent is there gets the agent at once, greeting first.
    this.#join(contact);
    this.#answer(contact, item);
  }

  takenOver(contact: ChatContact): void {
    this.#stop(contact);
  }

  ended(contact: ChatContact): void {
    this.#stop(contact);
  }

  /** Stops every timer. */
  close(): void {
    for (const state of this.#states.values()) for (const timer of state.timers) clearTimeout(timer);
    this.#states.clear();
  }
}
