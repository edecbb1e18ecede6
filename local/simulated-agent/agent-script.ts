/**
 * The simulated agent's script: a JSON file (`npm start -- --agent-script FILE`) saying what the agent is
 * called, how long it takes, what it says first, how it answers messages (by pattern) and attachments,
 * and when it ends the chat. Every field is optional; what is left out keeps the default below.
 *
 * ```json
 * {
 *   "displayName": "Sam",
 *   "joinDelayMs": 500, "greetingDelayMs": 600, "receiptDelayMs": 150, "replyDelayMs": 900,
 *   "greeting": "Hi {{customer}}! How can I help?",
 *   "replies": [
 *     { "match": "refund", "reply": "Refunds take 3-5 days." },
 *     { "match": "menu", "reply": { "contentType": "application/vnd.amazonaws.connect.message.interactive",
 *                                   "content": { "templateType": "ListPicker", "version": "1.0", "data": {…} } } },
 *     { "match": "^bye$", "reply": "Goodbye!", "endChat": true }
 *   ],
 *   "fallback": "You wrote: {{text}}",
 *   "attachmentReply": "Thanks, I have {{file}}."
 * }
 * ```
 *
 * A reply is a string (text/plain), a `{contentType, content}` message (content an object for JSON and
 * interactive types), a list of those (sent one after another), or null for none. `match` is a regular
 * expression, case-insensitive, tried in order against the customer's text. Placeholders: `{{text}}` the
 * customer's message, `{{customer}}` their display name, `{{file}}` an attachment's name.
 */
import { isPlainObject } from '../../lambda/is-plain-object.ts';
import { AGENT_MESSAGE_CONTENT_LIMITS } from '../participant-stand-in/content-types.ts';

export interface AgentMessage {
  readonly contentType: string;
  /** The content, with `{{text}}`, `{{customer}}` and `{{file}}` placeholders. */
  readonly content: string;
}

export interface AgentReply {
  readonly match: RegExp;
  readonly messages: readonly AgentMessage[];
  readonly delayMs: number | undefined;
  readonly endChat: boolean;
}

export interface AgentScript {
  readonly displayName: string;
  /** From the customer's connection to the agent joining. */
  readonly joinDelayMs: number;
  /** From joining to the greeting. */
  readonly greetingDelayMs: number;
  /** From a customer's message to the agent's delivered receipt (read follows as long again). */
  readonly receiptDelayMs: number;
  /** From a customer's message to the agent's reply (typing shows before it). */
  readonly replyDelayMs: number;
  readonly greeting: readonly AgentMessage[];
  readonly replies: readonly AgentReply[];
  /** The answer to a message no pattern matches. */
  readonly fallback: readonly AgentMessage[];
  readonly attachmentReply: readonly AgentMessage[];
}

/**
 * The default agent, relied on by checks: joins within 2 s of the customer's connection, greets once, and
 * answers every message within 2 s with a text/plain message containing the customer's text.
 */
export const DEFAULT_AGENT_SCRIPT: AgentScript = {
  displayName: 'Sandbox Agent',
  joinDelayMs: 500,
  greetingDelayMs: 600,
  receiptDelayMs: 150,
  replyDelayMs: 900,
  greeting: [
    {
      contentType: 'text/plain',
      content:
        'Hello {{customer}}! I am the sandbox agent on your machine. I answer every message; a script of your own can change what I say (npm start -- --agent-script FILE).',
    },
  ],
  replies: [],
  fallback: [{ contentType: 'text/plain', content: 'You wrote: "{{text}}"' }],
  attachmentReply: [{ contentType: 'text/plain', content: 'Thanks, I have received {{file}}.' }],
};

/** The script file cannot be used; the message names the file, the field and what is allowed. */
export class AgentScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentScriptError';
  }
}

const KEYS = new Set([
  'displayName',
  'joinDelayMs',
  'greetingDelayMs',
  'receiptDelayMs',
  'replyDelayMs',
  'greeting',
  'replies',
  'fallback',
  'attachmentReply',
]);
const REPLY_KEYS = new Set(['match', 'reply', 'delayMs', 'endChat']);
const MAX_DELAY_MS = 60_000;
const MAX_PATTERN_CHARS = 500;
const MAX_REPLIES = 200;
const MAX_MESSAGES = 10;

function delay(value: unknown, field: string, fallback: number | undefined, fail: (m: string) => never): number {
  if (value === undefined) return fallback as number;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    return fail(`"${field}" must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
  }
  return value;
}

function message(value: unknown, field: string, fail: (m: string) => never): AgentMessage {
  if (typeof value === 'string') value = { contentType: 'text/plain', content: value };
  if (!isPlainObject(value) || typeof value.contentType !== 'string' || value.content === undefined) {
    return fail(`"${field}" must be a string or {"contentType", "content"}`);
  }
  const limit = AGENT_MESSAGE_CONTENT_LIMITS[value.contentType];
  if (limit === undefined) {
    return fail(
      `"${field}.contentType" must be one of ${Object.keys(AGENT_MESSAGE_CONTENT_LIMITS).join(', ')} (got "${value.contentType}")`,
    );
  }
  const content = typeof value.content === 'string' ? value.content : JSON.stringify(value.content);
  if (content.length < 1 || content.length > limit) {
    return fail(`"${field}.content" must be 1-${limit} characters for ${value.contentType}`);
  }
  const extra = Object.keys(value).find((key) => key !== 'contentType' && key !== 'content');
  if (extra !== undefined) return fail(`"${field}" has the unknown key "${extra}"`);
  return { contentType: value.contentType, content };
}

function messages(
  value: unknown,
  field: string,
  fallback: readonly AgentMessage[] | undefined,
  fail: (m: string) => never,
): readonly AgentMessage[] {
  if (value === undefined) return fallback ?? [];
  if (value === null) return [];
  if (!Array.isArray(value)) return [message(value, field, fail)];
  if (value.length > MAX_MESSAGES) return fail(`"${field}" may hold at most ${MAX_MESSAGES} messages`);
  return value.map((item, index) => message(item, `${field}[${index}]`, fail));
}

function reply(value: unknown, field: string, fail: (m: string) => never): AgentReply {
  if (!isPlainObject(value)) return fail(`"${field}" must be an object like {"match": "refund", "reply": "…"}`);
  const extra = Object.keys(value).find((key) => !REPLY_KEYS.has(key));
  if (extra !== undefined)
    return fail(`"${field}" has the unknown key "${extra}"; the keys are ${[...REPLY_KEYS].join(', ')}`);
  if (typeof value.match !== 'string' || value.match.length < 1 || value.match.length > MAX_PATTERN_CHARS) {
    return fail(`"${field}.match" must be a regular expression of 1-${MAX_PATTERN_CHARS} characters`);
  }
  let match: RegExp;
  try {
    match = new RegExp(value.match, 'i');
  } catch (error) {
    return fail(`"${field}.match" is not a regular expression: ${(error as Error).message}`);
  }
  if (value.endChat !== undefined && typeof value.endChat !== 'boolean') {
    return fail(`"${field}.endChat" must be true or false`);
  }
  return {
    match,
    messages: messages(value.reply, `${field}.reply`, [], fail),
    delayMs: value.delayMs === undefined ? undefined : delay(value.delayMs, `${field}.delayMs`, undefined, fail),
    endChat: value.endChat === true,
  };
}

/** Reads a script file's text; `file` names it in errors. Throws AgentScriptError. */
export function parseAgentScript(text: string, file: string): AgentScript {
  const fail = (problem: string): never => {
    throw new AgentScriptError(`The agent script ${file}: ${problem}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) return fail('must hold a JSON object such as {"greeting": "Hi!"}');
  const extra = Object.keys(parsed).find((key) => !KEYS.has(key));
  if (extra !== undefined) return fail(`has the unknown key "${extra}"; the keys are ${[...KEYS].join(', ')}`);
  const base = DEFAULT_AGENT_SCRIPT;
  const name = parsed.displayName;
  if (name !== undefined && (typeof name !== 'string' || name.trim().length < 1 || name.length > 256)) {
    fail('"displayName" must be 1-256 characters');
  }
  const replies = parsed.replies ?? [];
  if (!Array.isArray(replies) || replies.length > MAX_REPLIES) {
    fail(`"replies" must be a list of at most ${MAX_REPLIES} {"match", "reply"} objects`);
  }
  return {
    displayName: typeof name === 'string' ? name.trim() : base.displayName,
    joinDelayMs: delay(parsed.joinDelayMs, 'joinDelayMs', base.joinDelayMs, fail),
    greetingDelayMs: delay(parsed.greetingDelayMs, 'greetingDelayMs', base.greetingDelayMs, fail),
    receiptDelayMs: delay(parsed.receiptDelayMs, 'receiptDelayMs', base.receiptDelayMs, fail),
    replyDelayMs: delay(parsed.replyDelayMs, 'replyDelayMs', base.replyDelayMs, fail),
    greeting: messages(parsed.greeting, 'greeting', base.greeting, fail),
    replies: (replies as unknown[]).map((item, index) => reply(item, `replies[${index}]`, fail)),
    fallback: messages(parsed.fallback, 'fallback', base.fallback, fail),
    attachmentReply: messages(parsed.attachmentReply, 'attachmentReply', base.attachmentReply, fail),
  };
}

/** Fills a message's placeholders; in JSON content the values are escaped as JSON strings. */
export function fillPlaceholders(
  message: AgentMessage,
  values: { readonly text?: string; readonly customer?: string; readonly file?: string },
): string {
  const json = message.contentType !== 'text/plain' && message.contentType !== 'text/markdown';
  return message.content.replace(/\{\{(text|customer|file)\}\}/g, (_, name: 'text' | 'customer' | 'file') => {
    const value = values[name] ?? '';
    return json ? JSON.stringify(value).slice(1, -1) : value;
  });
}
