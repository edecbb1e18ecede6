/** Assertions on the HTTP contract shared by the handler and wire tests. */
import { expect } from '@jest/globals';
import type { ConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { type Answer, FLOW_ID, INSTANCE_ID } from './handler.ts';

/** A 400 VALIDATION_ERROR whose details name `field`, answered without calling Connect. */
export function expectRejected(answer: Answer, field: string, standIn?: ConnectStandIn, callsBefore = 0): void {
  expect(answer.statusCode).toBe(400);
  expect(answer.json.success).toBe(false);
  expect(answer.json.error.code).toBe('VALIDATION_ERROR');
  expect(answer.json.error.message).toBe('Invalid request parameters');
  expect(answer.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  for (const detail of answer.json.error.details) {
    expect(typeof detail.message).toBe('string');
    expect(detail.message.length).toBeGreaterThan(0);
  }
  if (standIn) expect(standIn.startChatCalls()).toHaveLength(callsBefore);
}

/** A 200 success envelope carrying what the stand-in returned. */
export function expectStarted(answer: Answer): void {
  expect(answer.statusCode).toBe(200);
  expect(answer.json.success).toBe(true);
  expect(answer.json.data.startChatResult.ContactId).toEqual(expect.any(String));
  expect(answer.json.data.startChatResult.ParticipantToken).toEqual(expect.any(String));
}

/** The error envelope with a code, and nothing from inside: no stack, ARN or Connect message. */
export function expectError(answer: Answer, statusCode: number, code: string): void {
  expect(answer.statusCode).toBe(statusCode);
  expect(answer.json).toEqual({
    success: false,
    error: expect.objectContaining({ code, message: expect.any(String), requestId: expect.any(String) }),
  });
  const text = JSON.stringify(answer.json);
  expect(text).not.toMatch(/arn:aws|Scripted|at .*\.(ts|js|mjs):\d|Exception/);
}

/** `connect:CustomerAuthentication` as the handler sets it after verifying a token. */
export const AUTHENTICATED = {
  'connect:CustomerAuthentication': { ValueMap: { Status: { ValueString: 'AUTHENTICATED' } } },
} as const;

/**
 * The whole StartChatContact request a verified chat sends: the instance and flow, the display name,
 * `fields` and the authenticated mark, with any ClientToken. Compared with `toEqual`, so a field taken
 * from anywhere else shows.
 */
export function verifiedStartRequest(fields: {
  readonly DisplayName?: string;
  readonly CustomerId?: string;
  readonly Attributes?: Record<string, string>;
}): Record<string, unknown> {
  const { DisplayName = 'Ada', ...rest } = fields;
  return {
    InstanceId: INSTANCE_ID,
    ContactFlowId: FLOW_ID,
    ParticipantDetails: { DisplayName },
    ...rest,
    SegmentAttributes: AUTHENTICATED,
    ClientToken: expect.any(String),
  };
}

/** The body the stand-in received on the last StartChatContact call. */
export function lastForwarded(standIn: ConnectStandIn): Record<string, any> {
  const calls = standIn.startChatCalls();
  const body = calls[calls.length - 1]?.body;
  expect(body).toBeDefined();
  return body as Record<string, any>;
}

/**
 * A 401 UNAUTHENTICATED with `WWW-Authenticate: Bearer…` and one detail on `Authorization` whose message
 * matches `problem`, quoting nothing of `token`, answered without calling Connect.
 */
export function expectUnauthenticated(
  answer: Answer,
  problem: RegExp,
  options: { readonly standIn?: ConnectStandIn; readonly callsBefore?: number; readonly token?: string } = {},
): void {
  expect(answer.statusCode).toBe(401);
  expect(answer.json.error).toEqual({
    code: 'UNAUTHENTICATED',
    message: 'A valid identity token is required',
    details: [{ field: 'Authorization', message: expect.stringMatching(problem) }],
    requestId: expect.any(String),
  });
  expect(answer.headers['www-authenticate']).toMatch(/^Bearer( error="invalid_token")?$/);
  if (options.token !== undefined) {
    const text = JSON.stringify(answer);
    for (const part of options.token.split('.').filter((segment) => segment.length >= 8)) {
      expect(text).not.toContain(part);
    }
  }
  if (options.standIn) expect(options.standIn.startChatCalls()).toHaveLength(options.callsBefore ?? 0);
}
