/**
 * Turns a request into the StartChatContact input: validates the body against the schema and the
 * deployer's policy, then fixes what the server decides: the instance, the flow, server attributes, the
 * default display name, the one ClientToken that every attempt will reuse and, for a verified customer,
 * what the token says (CustomerId, display name, attributes, and `connect:CustomerAuthentication`). The
 * token's fields win: a body that sends one of them is rejected, naming the field.
 */
import { randomUUID } from 'node:crypto';
import type { StartChatContactCommandInput } from '@aws-sdk/client-connect';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as v from 'valibot';
import { RESERVED_NAMES } from '../lib/handler-contract.ts';
import type { HandlerConfig } from './config.ts';
import { type FieldIssue, RequestValidationError, UnauthenticatedError } from './errors.ts';
import { getHeader } from './http-headers.ts';
import type { VerifiedIdentity } from './identity/claim-mapping.ts';
import { isPlainObject } from './is-plain-object.ts';
import {
  attributesBytes,
  attributesObject,
  CUSTOMER_AUTHENTICATION_KEY,
  codePointLength,
  LIMITS,
  type RequestSchema,
} from './request-schema.ts';

/** At most this many problems are listed; the rest are counted in one last entry. */
export const MAX_DETAILS = 25;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Every reserved key in the body, found without recursion so deep nesting cannot overflow the stack. */
function reservedKeyIssues(body: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      if (RESERVED_NAMES.has(key)) issues.push({ field, message: 'is a reserved name and is not accepted' });
      else pending.push({ value: (value as Record<string, unknown>)[key], path: field });
    }
  }
  return issues;
}

function schemaIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({ field: v.getDotPath(issue) ?? 'body', message: issue.message }));
}

function idempotencyHeaderIssues(header: string | undefined, bodyToken: unknown): FieldIssue[] {
  if (header === undefined) return [];
  const length = codePointLength(header);
  if (length < 1 || length > LIMITS.clientTokenChars || !header.isWellFormed()) {
    return [{ field: IDEMPOTENCY_HEADER, message: `must be 1-${LIMITS.clientTokenChars} characters` }];
  }
  if (typeof bodyToken === 'string' && bodyToken !== header) {
    return [{ field: 'ClientToken', message: `must equal the ${IDEMPOTENCY_HEADER} header when both are sent` }];
  }
  return [];
}

/** What StartChatContact is told about a customer whose token was verified. */
export const AUTHENTICATED = { ValueMap: { Status: { ValueString: 'AUTHENTICATED' } } } as const;

const OWNED_BY_TOKEN = 'is set from the verified identity token; do not send it';

/** Every field of the body that the verified token fills. */
function ownedFieldIssues(body: Record<string, unknown>, identity: VerifiedIdentity): FieldIssue[] {
  const sent: string[] = [];
  if (Object.hasOwn(body, 'CustomerId')) sent.push('CustomerId');
  if (isPlainObject(body.ParticipantDetails) && Object.hasOwn(body.ParticipantDetails, 'DisplayName')) {
    sent.push('ParticipantDetails.DisplayName');
  }
  for (const key of Object.keys(attributesObject(body.Attributes) ?? {})) sent.push(`Attributes.${key}`);
  return sent.filter((field) => identity.ownedFields.has(field)).map((field) => ({ field, message: OWNED_BY_TOKEN }));
}

/** Removes repeated problems and caps the list, so a hostile body cannot make a huge answer. */
function capDetails(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= MAX_DETAILS) return unique;
  const listed = unique.slice(0, MAX_DETAILS - 1);
  listed.push({ field: 'body', message: `has ${unique.length - listed.length} more problems not listed` });
  return listed;
}

/** Validates the body and builds the StartChatContact input, or throws `RequestValidationError`. */
export function buildStartChatInput(
  body: Record<string, unknown>,
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  config: HandlerConfig,
  schema: RequestSchema,
  identity?: VerifiedIdentity,
): StartChatContactCommandInput {
  const headerToken = getHeader(event, IDEMPOTENCY_HEADER);
  const owned = identity === undefined ? [] : ownedFieldIssues(body, identity);
  const issues = [...reservedKeyIssues(body), ...idempotencyHeaderIssues(headerToken, body.ClientToken), ...owned];
  const result = v.safeParse(schema, body, { abortEarly: false });
  if (!result.success) {
    // A field the token owns is reported once, as owned, not also as not allowed.
    const ownedFields = new Set(owned.map((issue) => issue.field));
    issues.push(...schemaIssues(result.issues).filter((issue) => !ownedFields.has(issue.field)));
  }
  if (issues.length > 0 || !result.success) throw new RequestValidationError(capDetails(issues));

  const request = result.output;
  const verified = { ...identity?.attributes, ...config.serverAttributes };
  if (attributesBytes(verified) > LIMITS.attributesBytes) {
    throw new UnauthenticatedError(
      'bad_claim',
      `the attributes from the token, with the ones this endpoint adds, total more than ${LIMITS.attributesBytes} UTF-8 bytes`,
    );
  }
  const attributes = { ...request.Attributes, ...verified };
  if (attributesBytes(attributes) > LIMITS.attributesBytes) {
    throw new RequestValidationError([
      {
        field: 'Attributes',
        message: `together with the attributes this endpoint adds, must total at most ${LIMITS.attributesBytes} UTF-8 bytes`,
      },
    ]);
  }
  const displayName = identity?.displayName ?? request.ParticipantDetails?.DisplayName ?? config.defaultDisplayName;
  const customerId = identity?.customerId ?? request.CustomerId;
  const segmentAttributes =
    identity === undefined
      ? request.SegmentAttributes
      : { ...request.SegmentAttributes, [CUSTOMER_AUTHENTICATION_KEY]: AUTHENTICATED };

  return {
    InstanceId: config.instanceId,
    ContactFlowId: request.ContactFlowId ?? config.contactFlowId,
    ParticipantDetails: { DisplayName: displayName },
    ...(Object.keys(attributes).length > 0 && { Attributes: attributes }),
    ...(request.InitialMessage !== undefined && { InitialMessage: request.InitialMessage }),
    ...(request.ChatDurationInMinutes !== undefined && { ChatDurationInMinutes: request.ChatDurationInMinutes }),
    ...(request.SupportedMessagingContentTypes !== undefined && {
      SupportedMessagingContentTypes: request.SupportedMessagingContentTypes,
    }),
    ...(isPlainObject(request.PersistentChat) && { PersistentChat: request.PersistentChat }),
    ...(typeof request.RelatedContactId === 'string' && { RelatedContactId: request.RelatedContactId }),
    ...(typeof customerId === 'string' && { CustomerId: customerId }),
    ...(isPlainObject(segmentAttributes) && { SegmentAttributes: segmentAttributes }),
    ...(request.ParticipantConfiguration?.ResponseMode !== undefined && {
      ParticipantConfiguration: { ResponseMode: request.ParticipantConfiguration.ResponseMode },
    }),
    ...(request.DisconnectOnCustomerExit !== undefined && {
      DisconnectOnCustomerExit: request.DisconnectOnCustomerExit,
    }),
    ClientToken: request.ClientToken ?? headerToken ?? randomUUID(),
  };
}
