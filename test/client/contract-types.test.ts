/**
 * The client's request type and the handler's request schema describe the same contract. Checked twice:
 * by the compiler (`npm test` runs tsc over this file: the field sets must be equal, every value the type
 * allows must fit the schema's input, every value the schema lets through must fit the type, and each
 * `@ts-expect-error` below must be an error), and at run time (the same objects through the schema).
 */
import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import type { StartChatRequest } from '../../client/index.ts';
import { loadConfig } from '../../lambda/config.ts';
import { createRequestSchema, type RequestSchema } from '../../lambda/request-schema.ts';
import { HANDLER_ENV } from '../../lib/handler-contract.ts';

const INSTANCE_ID = '11111111-2222-4333-8444-555555555555';
const FLOW_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** A deployment that enables every optional field, so only the field rules decide. */
const schema = createRequestSchema(
  loadConfig({
    [HANDLER_ENV.instanceId]: INSTANCE_ID,
    [HANDLER_ENV.contactFlowId]: FLOW_ID,
    [HANDLER_ENV.allowedOrigins]: '*',
    [HANDLER_ENV.allowedAttributeKeys]: 'orderId',
    [HANDLER_ENV.allowPersistentChat]: 'true',
    [HANDLER_ENV.allowRelatedContact]: 'true',
    [HANDLER_ENV.allowCustomerId]: 'true',
    [HANDLER_ENV.allowSegmentAttributes]: 'true',
  }),
);

// --- Compile-time agreement ------------------------------------------------------------------------------
type Entries = RequestSchema['pipe'][0]['entries'];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type DeepMutable<T> = T extends readonly (infer E)[]
  ? DeepMutable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
/** `true`, or the names of the fields that disagree. */
type Disagreeing<T> = { [K in keyof T]-?: T[K] extends true ? never : K }[keyof T];

/** Every field value the type allows is one the schema's input takes. */
type TypeFitsSchema = {
  [K in keyof StartChatRequest]-?: DeepMutable<Exclude<StartChatRequest[K], undefined>> extends v.InferInput<Entries[K]>
    ? true
    : false;
};
/** Every field value the schema lets through is one the type describes. */
type SchemaFitsType = {
  [K in keyof Entries]-?: Exclude<v.InferOutput<Entries[K]>, undefined> extends StartChatRequest[K] ? true : false;
};

const sameFields: Equal<keyof Entries, keyof StartChatRequest> = true;
const typeFitsSchema: Equal<Disagreeing<TypeFitsSchema>, never> = true;
const schemaFitsType: Equal<Disagreeing<SchemaFitsType>, never> = true;

// --- Examples, checked by the compiler and by the schema -------------------------------------------------
/** Every field, each with a value the schema accepts. */
const everyField: StartChatRequest = {
  ParticipantDetails: { DisplayName: 'Ada' },
  Attributes: { orderId: '42' },
  InitialMessage: { ContentType: 'text/markdown', Content: '**Hello**' },
  ChatDurationInMinutes: 60,
  SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
  PersistentChat: { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: 'c-1' },
  CustomerId: 'customer-1',
  SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Chat' }, Priority: { ValueInteger: 2 } },
  ParticipantConfiguration: { ResponseMode: 'INCREMENTAL' },
  DisconnectOnCustomerExit: ['AGENT'],
  ClientToken: 'token-1',
  InstanceId: INSTANCE_ID,
  ContactFlowId: FLOW_ID,
  Username: 'ada',
};

const base = { ParticipantDetails: { DisplayName: 'Ada' } } as const;

/** Requests the schema refuses and the type does not allow: one wrong field each. */
const refused: Record<string, StartChatRequest> = {
  // @ts-expect-error not a field of the contract
  'a field the contract does not have': { ...base, Priority: 1 },
  // @ts-expect-error a number of minutes, not a string
  'a duration as text': { ...base, ChatDurationInMinutes: '60' },
  // @ts-expect-error text/html is not an initial message type
  'an unknown initial message type': { ...base, InitialMessage: { ContentType: 'text/html', Content: 'x' } },
  // @ts-expect-error only AGENT
  'a customer-exit target other than AGENT': { ...base, DisconnectOnCustomerExit: ['CUSTOMER'] },
  // @ts-expect-error INCREMENTAL or COMPLETE
  'an unknown response mode': { ...base, ParticipantConfiguration: { ResponseMode: 'STREAMING' } },
  // @ts-expect-error the two documented rehydration types only
  'an unknown rehydration type': { ...base, PersistentChat: { RehydrationType: 'ALL', SourceContactId: 'c-1' } },
  // @ts-expect-error attribute values are strings
  'a number as an attribute value': { ...base, Attributes: { orderId: 42 } },
  // @ts-expect-error a display name is a string
  'a display name that is not a string': { ParticipantDetails: { DisplayName: 7 } },
  // @ts-expect-error the five documented content types only
  'an unknown messaging content type': { ...base, SupportedMessagingContentTypes: ['text/plain', 'image/png'] },
};

describe('the client’s request type and the handler’s schema agree', () => {
  test('the compiler found the same fields, and values that fit both ways', () => {
    // The constants only compile when the types agree; this records that the checks ran.
    expect([sameFields, typeFitsSchema, schemaFitsType]).toEqual([true, true, true]);
  });

  test('a request with every field, typed as the contract, passes the schema', () => {
    // Act
    const result = v.safeParse(schema, everyField, { abortEarly: false });

    // Assert
    expect(result.issues).toBeUndefined();
    expect(result.success).toBe(true);
  });

  test.each(Object.entries(refused))('the schema refuses what the type rejects: %s', (_name, request) => {
    // Act
    const result = v.safeParse(schema, request, { abortEarly: false });

    // Assert
    expect(result.success).toBe(false);
  });
});
