/**
 * The content types of the Participant Service's items, as amazon-connect-chatjs 5 names and routes them
 * (its `src/constants.js`): messages a participant may send, the events a participant may send, and the
 * events the service itself writes.
 */
import { INITIAL_MESSAGE_LIMITS, INTERACTIVE } from '../../lambda/request-schema.ts';

const EVENT_PREFIX = 'application/vnd.amazonaws.connect.event.';

export const EVENT_TYPES = {
  typing: `${EVENT_PREFIX}typing`,
  delivered: `${EVENT_PREFIX}message.delivered`,
  read: `${EVENT_PREFIX}message.read`,
  connectionAcknowledged: `${EVENT_PREFIX}connection.acknowledged`,
  participantJoined: `${EVENT_PREFIX}participant.joined`,
  participantLeft: `${EVENT_PREFIX}participant.left`,
  chatEnded: `${EVENT_PREFIX}chat.ended`,
  chatRehydrated: `${EVENT_PREFIX}chat.rehydrated`,
} as const;

/** Events a participant may send with SendEvent. */
export const SENDABLE_EVENT_TYPES: readonly string[] = [
  EVENT_TYPES.typing,
  EVENT_TYPES.delivered,
  EVENT_TYPES.read,
  EVENT_TYPES.connectionAcknowledged,
];

/**
 * SendMessage's content types and their longest Content in characters: Connect's per-type limits, the same
 * ones StartChatContact applies to InitialMessage.
 */
export const MESSAGE_CONTENT_LIMITS: Readonly<Record<string, number>> = INITIAL_MESSAGE_LIMITS;

/** What an agent may send besides a customer's types: interactive messages (list pickers, time pickers…). */
export const AGENT_MESSAGE_CONTENT_LIMITS: Readonly<Record<string, number>> = {
  ...INITIAL_MESSAGE_LIMITS,
  [INTERACTIVE]: 12_288,
};

/** The longest Content the API model allows any message or event. */
export const MAX_CONTENT_CHARS = 16_384;
