/**
 * The request body's schema: StartChatContact's own field rules and the deployer's policy in one
 * declarative valibot schema, built once from the configuration. It gives both the TypeScript type of a
 * valid body and every check, each problem reported with its field path and what is allowed there.
 */
import * as v from 'valibot';
import type {
  InitialMessageContentType,
  MessagingContentType,
  SegmentAttributeValue,
} from '../client/http-contract.ts';
import {
  ATTRIBUTE_KEY_PATTERN,
  CHAT_DURATION_MINUTES,
  HANDLER_LIMITS,
  type OptionalFieldSwitches,
} from '../lib/handler-contract.ts';
import type { HandlerConfig } from './config.ts';
import { isPlainObject } from './is-plain-object.ts';

/** What the deployer allows: the part of the configuration the schema is built from. */
export type RequestPolicy = Pick<
  HandlerConfig,
  | 'instanceId'
  | 'allowedContactFlowIds'
  | 'allowedAttributeKeys'
  | 'maxChatDurationMinutes'
  | 'defaultDisplayName'
  | keyof OptionalFieldSwitches
>;

export const LIMITS = {
  displayNameChars: HANDLER_LIMITS.displayNameChars,
  attributesBytes: 32_768,
  attributeKeyChars: 32_767,
  attributeValueChars: 32_767,
  contactIdChars: 256,
  customerIdChars: 128,
  segmentAttributeKeyChars: 128,
  segmentAttributeValueStringChars: 1_024,
  clientTokenChars: 500,
} as const;

/** Per-type limits of InitialMessage.Content, in characters. */
export const INITIAL_MESSAGE_LIMITS: Readonly<Record<InitialMessageContentType, number>> = {
  'text/plain': 1_024,
  'text/markdown': 1_024,
  'application/json': 12_000,
  'application/vnd.amazonaws.connect.message.interactive.response': 12_288,
};

export const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
export const INTERACTIVE_RESPONSE = 'application/vnd.amazonaws.connect.message.interactive.response';
export const MESSAGING_CONTENT_TYPES = [
  'text/plain',
  'text/markdown',
  'application/json',
  INTERACTIVE,
  INTERACTIVE_RESPONSE,
] as const satisfies readonly MessagingContentType[];

export const GUIDE_SUBTYPE = { key: 'connect:Subtype', value: 'connect:Guide' } as const;

/** The segment attribute that marks a customer as authenticated; only the server sets it, from a verified token. */
export const CUSTOMER_AUTHENTICATION_KEY = 'connect:CustomerAuthentication';

/**
 * Whether a client may set this segment attribute key. Keys in Connect's `connect:` namespace are system
 * attributes (`connect:CustomerAuthentication` marks the customer authenticated): clients may set only
 * `connect:Subtype`. The prefix is compared without case or surrounding spaces, so no spelling slips through.
 */
export function isClientSegmentAttributeKey(key: string): boolean {
  return key === GUIDE_SUBTYPE.key || !key.trim().toLowerCase().startsWith('connect:');
}

/** Fields some clients always send; accepted for compatibility and checked or ignored. */
export const TOLERATED_FIELDS = ['InstanceId', 'ConnectInstanceId', 'ContactFlowId', 'Username'] as const;

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Text without control characters: the check of every text field, and of the claims that fill them. */
export const noControlCharacters = v.check<string, string>(
  (value) => !CONTROL_CHARACTER.test(value),
  'must not contain control characters',
);

/** Length in Unicode code points, as the API's models count characters. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

const range = (min: number, max: number) => (min === max ? `${max}` : `${min}-${max}`);

/** A well-formed Unicode string of min..max characters (code points). */
function text(min: number, max: number, what = 'a string') {
  const rule = `must be ${what} of ${range(min, max)} characters`;
  return v.pipe(
    v.string(rule),
    v.check((value) => value.isWellFormed(), 'must be valid Unicode text'),
    v.check((value) => {
      const length = codePointLength(value);
      return length >= min && length <= max;
    }, rule),
  );
}

/** An object with exactly the given fields; each unknown field is reported by name. */
function exactObject<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const allowed = Object.keys(entries).join(', ');
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, `must be an object with the fields ${allowed}`),
    v.objectWithRest(entries, v.never(`is not a supported field here; allowed: ${allowed}`), 'is required'),
  );
}

/** A field the deployer has not enabled: present at all, it is reported. */
function notEnabled(field: string, setting: string) {
  return v.optional(
    v.custom<never>(
      () => false,
      `is not accepted by this endpoint (the deployer has not enabled ${field}: ${setting})`,
    ),
  );
}

function displayName(required: boolean) {
  const rule = `must be ${required ? '' : 'a string of '}1-${LIMITS.displayNameChars} characters after trimming, without control characters`;
  const schema = v.pipe(
    v.string(rule),
    v.trim(),
    v.check((value) => value.isWellFormed(), 'must be valid Unicode text'),
    v.check((value) => {
      const length = codePointLength(value);
      return length >= 1 && length <= LIMITS.displayNameChars;
    }, rule),
    noControlCharacters,
  );
  return required ? schema : v.optional(schema);
}

function attributeKey() {
  return v.pipe(
    v.string('must be a string'),
    v.regex(ATTRIBUTE_KEY_PATTERN, 'is not a valid attribute key; keys hold only letters, digits, "-" and "_"'),
    v.maxLength(LIMITS.attributeKeyChars, `attribute keys must be at most ${LIMITS.attributeKeyChars} characters`),
  );
}

function attributeValue() {
  return text(0, LIMITS.attributeValueChars, 'a string');
}

function customerId() {
  return text(1, LIMITS.customerIdChars);
}

/** `Attributes` in either accepted form: an object, or a JSON string of one; undefined for anything else. */
export function attributesObject(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return undefined;
    }
  }
  return isPlainObject(parsed) ? parsed : undefined;
}

/** Attributes: an object of string values, or a JSON string of one; keys from the deployer's allow-list. */
function attributes(policy: RequestPolicy) {
  const allowedKeys = [...policy.allowedAttributeKeys].join(', ');
  const keyRule =
    policy.allowedAttributeKeys.size === 0
      ? 'is not accepted: this endpoint accepts no client attributes'
      : `is not an accepted attribute key; accepted: ${allowedKeys}`;
  const shape = 'must be an object of string values, or a JSON string of one';
  return v.optional(
    v.pipe(
      v.unknown(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const value = attributesObject(dataset.value);
        if (value === undefined) {
          addIssue({ message: shape });
          return NEVER;
        }
        return value;
      }),
      v.record(
        v.pipe(
          attributeKey(),
          v.check((key) => policy.allowedAttributeKeys.has(key), keyRule),
        ),
        attributeValue(),
      ),
      v.check(
        (record) => attributesBytes(record) <= LIMITS.attributesBytes,
        `must total at most ${LIMITS.attributesBytes} UTF-8 bytes over all keys and values`,
      ),
    ),
  );
}

export function attributesBytes(record: Readonly<Record<string, string>>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(record)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

function initialMessage() {
  const types = Object.keys(INITIAL_MESSAGE_LIMITS) as InitialMessageContentType[];
  return v.optional(
    v.pipe(
      exactObject({
        ContentType: v.picklist(types, `must be one of: ${types.join(', ')}`),
        Content: v.pipe(
          v.string('must be a string'),
          v.check((value) => value.isWellFormed(), 'must be valid Unicode text'),
          v.check((value) => value.trim() !== '', 'must not be empty'),
        ),
      }),
      v.forward(
        v.check(
          (message) => {
            const limit = INITIAL_MESSAGE_LIMITS[message.ContentType];
            return codePointLength(message.Content) <= limit;
          },
          'is too long for its ContentType; limits: ' +
            Object.entries(INITIAL_MESSAGE_LIMITS)
              .map(([type, limit]) => `${type} ${limit}`)
              .join(', ') +
            ' characters',
        ),
        ['Content'],
      ),
    ),
  );
}

function supportedMessagingContentTypes() {
  return v.optional(
    v.pipe(
      v.array(
        v.picklist(MESSAGING_CONTENT_TYPES, `must be one of: ${MESSAGING_CONTENT_TYPES.join(', ')}`),
        'must be a list of content types',
      ),
      v.check((types) => types.includes('text/plain'), 'must include text/plain'),
      v.check((types) => new Set(types).size === types.length, 'must not repeat a content type'),
    ),
  );
}

function chatDuration(max: number) {
  const rule = `must be a whole number of minutes from ${CHAT_DURATION_MINUTES.min} to ${max}`;
  return v.optional(
    v.pipe(v.number(rule), v.integer(rule), v.minValue(CHAT_DURATION_MINUTES.min, rule), v.maxValue(max, rule)),
  );
}

function persistentChat(policy: RequestPolicy) {
  if (!policy.allowPersistentChat) return notEnabled('persistent chat', 'allowPersistentChat');
  return v.optional(
    exactObject({
      RehydrationType: v.picklist(
        ['ENTIRE_PAST_SESSION', 'FROM_SEGMENT'],
        'must be ENTIRE_PAST_SESSION or FROM_SEGMENT',
      ),
      SourceContactId: text(1, LIMITS.contactIdChars),
    }),
  );
}

function segmentAttributes(policy: RequestPolicy) {
  if (!policy.allowSegmentAttributes) return notEnabled('segment attributes', 'allowSegmentAttributes');
  const value = v.pipe(
    exactObject({
      ValueString: v.optional(text(0, LIMITS.segmentAttributeValueStringChars)),
      ValueInteger: v.optional(v.pipe(v.number('must be a whole number'), v.safeInteger('must be a whole number'))),
    }),
    v.check(
      (entry) => (entry.ValueString === undefined) !== (entry.ValueInteger === undefined),
      'must hold exactly one of ValueString or ValueInteger',
    ),
    // The check above leaves exactly one of the two: the contract's type says so.
    v.transform((entry) => entry as SegmentAttributeValue),
  );
  return v.optional(
    v.pipe(
      v.custom<Record<string, unknown>>(isPlainObject, 'must be an object of segment attribute values'),
      v.record(
        v.pipe(
          text(1, LIMITS.segmentAttributeKeyChars, 'a key'),
          v.check(
            isClientSegmentAttributeKey,
            `is a system attribute that only the server sets; of the connect: keys, clients may set ${GUIDE_SUBTYPE.key} only`,
          ),
        ),
        value,
      ),
    ),
  );
}

/**
 * The rules of single fields, for values that do not come from the body: the claims of a verified identity
 * token (lambda/identity/claim-mapping.ts) are held to the same rules as the request fields they fill.
 */
export const FIELD_RULES = {
  displayName: displayName(true),
  customerId: customerId(),
  attributeKey: attributeKey(),
  attributeValue: attributeValue(),
} as const;

/**
 * Builds the schema for a deployment's policy. Built once per container, at start. `displayNameFromToken`:
 * the schema for verified requests whose token fills the display name, where the body need not send one.
 */
export function createRequestSchema(policy: RequestPolicy, options: { readonly displayNameFromToken?: boolean } = {}) {
  const flows = [...policy.allowedContactFlowIds].join(', ');
  const instanceRule = "does not match this endpoint's Amazon Connect instance; omit it";
  const entries = {
    InstanceId: v.optional(
      v.pipe(
        v.string(instanceRule),
        v.check((id) => id === policy.instanceId, instanceRule),
      ),
    ),
    ConnectInstanceId: v.optional(
      v.pipe(
        v.string(instanceRule),
        v.check((id) => id === policy.instanceId, instanceRule),
      ),
    ),
    ContactFlowId: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.check((id) => policy.allowedContactFlowIds.has(id), `is not an allowed contact flow; allowed: ${flows}`),
      ),
    ),
    Username: v.optional(v.unknown()),
    ParticipantDetails:
      policy.defaultDisplayName === undefined && !options.displayNameFromToken
        ? exactObject({ DisplayName: displayName(true) })
        : v.optional(exactObject({ DisplayName: displayName(false) })),
    Attributes: attributes(policy),
    InitialMessage: initialMessage(),
    ChatDurationInMinutes: chatDuration(policy.maxChatDurationMinutes),
    SupportedMessagingContentTypes: supportedMessagingContentTypes(),
    PersistentChat: persistentChat(policy),
    RelatedContactId: policy.allowRelatedContact
      ? v.optional(text(1, LIMITS.contactIdChars))
      : notEnabled('related contacts', 'allowRelatedContact'),
    CustomerId: policy.allowCustomerId ? v.optional(customerId()) : notEnabled('customer ids', 'allowCustomerId'),
    SegmentAttributes: segmentAttributes(policy),
    ParticipantConfiguration: v.optional(
      exactObject({
        ResponseMode: v.optional(v.picklist(['INCREMENTAL', 'COMPLETE'], 'must be INCREMENTAL or COMPLETE')),
      }),
    ),
    DisconnectOnCustomerExit: v.optional(
      v.pipe(
        v.array(v.literal('AGENT', 'must be AGENT'), 'must be ["AGENT"]'),
        v.length(1, 'must be ["AGENT"]'),
        v.transform((list) => list as ['AGENT']),
      ),
    ),
    ClientToken: v.optional(text(1, LIMITS.clientTokenChars)),
  };
  const fields = Object.keys(entries).join(', ');

  return v.pipe(
    v.objectWithRest(entries, v.never(`is not a supported field; supported: ${fields}`)),
    v.forward(
      v.partialCheck(
        [['PersistentChat'], ['RelatedContactId']],
        (body) => body.PersistentChat === undefined || body.RelatedContactId === undefined,
        'cannot be combined with RelatedContactId',
      ),
      ['PersistentChat'],
    ),
    v.forward(
      v.partialCheck(
        [['SegmentAttributes'], ['SupportedMessagingContentTypes']],
        (body) => {
          const subtype = body.SegmentAttributes?.[GUIDE_SUBTYPE.key];
          if (subtype === undefined || !('ValueString' in subtype) || subtype.ValueString !== GUIDE_SUBTYPE.value)
            return true;
          const types = body.SupportedMessagingContentTypes ?? [];
          return types.includes(INTERACTIVE) && types.includes(INTERACTIVE_RESPONSE);
        },
        `must include ${INTERACTIVE} and ${INTERACTIVE_RESPONSE} when SegmentAttributes sets ${GUIDE_SUBTYPE.key} to ${GUIDE_SUBTYPE.value}`,
      ),
      ['SupportedMessagingContentTypes'],
    ),
  );
}

export type RequestSchema = ReturnType<typeof createRequestSchema>;
export type StartChatRequestBody = v.InferOutput<RequestSchema>;
