/**
 * fast-check generators for hostile-input tests: valid bodies, single mistakes with the field each one
 * must be reported under, and arbitrary requests (bodies, content types, encodings, header sets).
 */
import { expect } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import type { HttpRequestInput } from '../../local/api-gateway-event.ts';
import { FLOW_ID, INSTANCE_ID, ORIGIN, OTHER_FLOW_ID } from '../support/handler.ts';

export const ALLOWED_ATTRIBUTE_KEYS = ['topic', 'orderId', 'lang'] as const;

const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
const INTERACTIVE_RESPONSE = 'application/vnd.amazonaws.connect.message.interactive.response';
const OPTIONAL_CONTENT_TYPES = ['text/markdown', 'application/json', INTERACTIVE, INTERACTIVE_RESPONSE];
const MESSAGE_LIMITS: Record<string, number> = {
  'text/plain': 1_024,
  'text/markdown': 1_024,
  'application/json': 12_000,
  [INTERACTIVE_RESPONSE]: 12_288,
};
const KNOWN_FIELDS = new Set([
  'InstanceId',
  'ConnectInstanceId',
  'ContactFlowId',
  'Username',
  'ParticipantDetails',
  'Attributes',
  'InitialMessage',
  'ChatDurationInMinutes',
  'SupportedMessagingContentTypes',
  'PersistentChat',
  'RelatedContactId',
  'CustomerId',
  'SegmentAttributes',
  'ParticipantConfiguration',
  'DisconnectOnCustomerExit',
  'ClientToken',
  '__proto__',
  'constructor',
  'prototype',
]);

const CONTROL = /\p{Cc}/u;
const codePoints = (text: string) => [...text].length;

/** Any Unicode text, including astral characters. */
const text = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: 'binary', ...constraints });

const displayName = text({ minLength: 1, maxLength: 80 }).filter((name) => {
  const trimmed = name.trim();
  return trimmed.length > 0 && codePoints(trimmed) <= 256 && !CONTROL.test(trimmed) && name.isWellFormed();
});

const wellFormed = (constraints: { minLength?: number; maxLength?: number }) =>
  text(constraints).filter((value) => value.isWellFormed());

const attributes = fc
  .dictionary(fc.constantFrom(...ALLOWED_ATTRIBUTE_KEYS), wellFormed({ maxLength: 40 }), { maxKeys: 3 })
  .chain((object) => fc.constantFrom<Record<string, string> | string>(object, JSON.stringify(object)));

/** A body that every rule accepts, under the permissive policy of the hostile-input tests. */
export function validBody(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      ParticipantDetails: fc.record({ DisplayName: displayName }),
      InstanceId: fc.constant(INSTANCE_ID),
      ContactFlowId: fc.constantFrom(FLOW_ID, OTHER_FLOW_ID),
      Username: fc.string(),
      Attributes: attributes,
      InitialMessage: fc.record({
        ContentType: fc.constant('text/plain'),
        Content: wellFormed({ minLength: 1, maxLength: 200 }).filter((content) => content.trim() !== ''),
      }),
      ChatDurationInMinutes: fc.integer({ min: 60, max: 10_080 }),
      SupportedMessagingContentTypes: fc.subarray(OPTIONAL_CONTENT_TYPES).map((types) => ['text/plain', ...types]),
      CustomerId: wellFormed({ minLength: 1, maxLength: 128 }).filter((id) => codePoints(id) <= 128),
      ClientToken: fc.uuid(),
      DisconnectOnCustomerExit: fc.constant(['AGENT']),
      ParticipantConfiguration: fc.record({ ResponseMode: fc.constantFrom('INCREMENTAL', 'COMPLETE') }),
    },
    { requiredKeys: ['ParticipantDetails'] },
  );
}

/** One mistake and the field path the answer must name. */
export interface Mutation {
  readonly name: string;
  readonly field: string;
  apply(body: Record<string, unknown>): Record<string, unknown>;
}

const set = (name: string, field: string, change: (body: Record<string, unknown>) => void): Mutation => ({
  name,
  field,
  apply: (body) => {
    change(body);
    return body;
  },
});

export function mutations(): fc.Arbitrary<Mutation> {
  const badName = fc.oneof(
    fc.constantFrom('', '   ', '\t\n', 'Ada\u0000Lovelace', 'A\u0007', null, 42, true, ['Ada'], { first: 'Ada' }),
    fc.string({ minLength: 257, maxLength: 400 }).filter((name) => codePoints(name.trim()) > 256),
  );
  const badDuration = fc.oneof(
    fc.integer({ max: 59 }),
    fc.integer({ min: 10_081 }),
    fc.double({ min: 60.01, max: 10_079.99, noNaN: true }).filter((n) => !Number.isInteger(n)),
    fc.constantFrom('120', null, true, [120], Number.MAX_VALUE),
  );
  const unknownKey = fc.string({ minLength: 1, maxLength: 24 }).filter((key) => !KNOWN_FIELDS.has(key));
  const foreignAttributeKey = fc
    .stringMatching(/^[A-Za-z0-9_-]{1,24}$/)
    .filter((key) => !(ALLOWED_ATTRIBUTE_KEYS as readonly string[]).includes(key));
  const longMessage = fc
    .constantFrom(...Object.keys(MESSAGE_LIMITS))
    .chain((type) => fc.tuple(fc.constant(type), fc.integer({ min: 1, max: 50 })));
  const otherId = fc.uuid().filter((id) => id !== FLOW_ID && id !== OTHER_FLOW_ID && id !== INSTANCE_ID);

  return fc.oneof(
    badName.map((value) =>
      set('bad display name', 'ParticipantDetails.DisplayName', (b) => {
        b.ParticipantDetails = { DisplayName: value };
      }),
    ),
    fc.constantFrom([], 'Ada', null, 7).map((value) =>
      set('ParticipantDetails not an object', 'ParticipantDetails', (b) => {
        b.ParticipantDetails = value;
      }),
    ),
    unknownKey.map((key) =>
      set('unknown field', key, (b) => {
        b[key] = 'x';
      }),
    ),
    badDuration.map((value) =>
      set('bad duration', 'ChatDurationInMinutes', (b) => {
        b.ChatDurationInMinutes = value;
      }),
    ),
    foreignAttributeKey.map((key) =>
      set('attribute key not allowed', `Attributes.${key}`, (b) => {
        b.Attributes = { [key]: 'x' };
      }),
    ),
    longMessage.map(([type, extra]) =>
      set('message too long', 'InitialMessage.Content', (b) => {
        b.InitialMessage = { ContentType: type, Content: 'x'.repeat((MESSAGE_LIMITS[type] ?? 0) + extra) };
      }),
    ),
    fc.subarray(OPTIONAL_CONTENT_TYPES, { minLength: 1 }).map((types) =>
      set('content types without text/plain', 'SupportedMessagingContentTypes', (b) => {
        b.SupportedMessagingContentTypes = types;
      }),
    ),
    otherId.map((id) =>
      set('flow not allowed', 'ContactFlowId', (b) => {
        b.ContactFlowId = id;
      }),
    ),
    otherId.map((id) =>
      set('another instance', 'InstanceId', (b) => {
        b.InstanceId = id;
      }),
    ),
    fc
      .array(fc.string(), { maxLength: 3 })
      .filter((list) => JSON.stringify(list) !== '["AGENT"]')
      .map((list) =>
        set('bad DisconnectOnCustomerExit', 'DisconnectOnCustomerExit', (b) => {
          b.DisconnectOnCustomerExit = list;
        }),
      ),
    fc.string({ minLength: 501, maxLength: 600 }).map((token) =>
      set('token too long', 'ClientToken', (b) => {
        b.ClientToken = token;
      }),
    ),
    fc.constant(
      set('persistent and related together', 'PersistentChat', (b) => {
        b.PersistentChat = { RehydrationType: 'FROM_SEGMENT', SourceContactId: 'c-1' };
        b.RelatedContactId = 'c-2';
      }),
    ),
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) =>
      set('reserved key', key, (b) => {
        Object.defineProperty(b, key, {
          value: { polluted: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }),
    ),
  );
}

const headerName = fc.oneof(
  fc.constantFrom('Content-Type', 'content-type', 'Content-Encoding', 'Origin', 'origin', 'Idempotency-Key', 'Cookie'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
);
const headerValue = fc.oneof(
  fc.constantFrom(
    'application/json',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'gzip',
    'amz-1.0',
    'identity',
    ORIGIN,
    'null',
    'https://evil.example',
    '',
  ),
  fc.string({ maxLength: 600 }),
  text({ maxLength: 40 }),
);

/** Arbitrary requests: bodies valid, broken, random JSON, random text or random bytes, any headers. */
export function hostileRequest(): fc.Arbitrary<HttpRequestInput & { binaryMediaTypes: string[] }> {
  const body = fc.oneof(
    validBody().map((b) => JSON.stringify(b)),
    fc.tuple(validBody(), mutations()).map(([b, mutation]) => JSON.stringify(mutation.apply(b))),
    fc.json(),
    fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)),
    text({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom('', ' ', '{}', '[]', 'null', '{"ParticipantDetails":{"DisplayName":"Ada"}'),
  );
  return fc.record({
    method: fc.constant('POST'),
    url: fc.constant('/prod/chat'),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }).map((pairs) => pairs.flat()),
    body,
    binaryMediaTypes: fc.constantFrom<string[]>([], ['*/*']),
  });
}

/** Checks the contract's envelope and returns the parsed body. */
export function expectContractShape(result: APIGatewayProxyResult): any {
  expect(Number.isInteger(result.statusCode)).toBe(true);
  expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  const json = JSON.parse(result.body);
  if (result.statusCode === 200) {
    expect(json.success).toBe(true);
    expect(Object.keys(json.data).sort()).toEqual(['featurePermissions', 'startChatResult']);
    return json;
  }
  expect(json.success).toBe(false);
  expect(json.error.code).toMatch(/^[A-Z_]+$/);
  expect(typeof json.error.message).toBe('string');
  expect(typeof json.error.requestId).toBe('string');
  if (json.error.details !== undefined) {
    expect(Array.isArray(json.error.details)).toBe(true);
    expect(json.error.details.length).toBeGreaterThan(0);
    expect(json.error.details.length).toBeLessThanOrEqual(25);
    for (const detail of json.error.details) {
      expect(typeof detail.field).toBe('string');
      expect(typeof detail.message).toBe('string');
    }
  }
  return json;
}
