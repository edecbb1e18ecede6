/**
 * The Connect stand-in, called by the real AWS SDK over HTTP: it must behave as Amazon Connect's
 * StartChatContact does on the wire, since every other test and `npm start` rely on it.
 */

import {
  ConnectClient,
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
  StartChatContactCommand,
  StopContactCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-connect';
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  type ConnectStandIn,
  type ConnectStandInOptions,
  startConnectStandIn,
} from '../../local/connect-stand-in/connect-stand-in.ts';

const INPUT = { InstanceId: 'instance-1', ContactFlowId: 'flow-1', ParticipantDetails: { DisplayName: 'Ada' } };

let standIn: ConnectStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function connect(options: ConnectStandInOptions = {}) {
  standIn = await startConnectStandIn(options);
  return { standIn, client: new ConnectClient({ maxAttempts: 1, endpoint: standIn.url, region: 'us-east-1' }) };
}

const start = (client: ConnectClient, extra: Record<string, unknown> = {}) =>
  client.send(new StartChatContactCommand({ ...INPUT, ...extra }));

test('starts a chat and answers as Connect does', async () => {
  const { client, standIn } = await connect();
  const output = await start(client);
  expect(output.ContactId).toEqual(expect.any(String));
  expect(output.ParticipantId).toEqual(expect.any(String));
  expect(output.ParticipantToken!.length).toBeGreaterThan(100);
  expect(output.$metadata.httpStatusCode).toBe(200);
  expect(output.$metadata.requestId).toBe(standIn.calls[0]!.requestId);
  expect(standIn.calls[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
});

test('refuses what Connect requires but is missing, as InvalidParameterException', async () => {
  const { client } = await connect();
  await expect(start(client, { ParticipantDetails: { DisplayName: '' } })).rejects.toBeInstanceOf(
    InvalidParameterException,
  );
});

test('answers ResourceNotFoundException for an unknown instance or flow when it knows which exist', async () => {
  const { client } = await connect({ instanceIds: ['instance-1'], contactFlowIds: ['flow-1'] });
  await expect(start(client, { InstanceId: 'other' })).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(start(client, { ContactFlowId: 'other' })).rejects.toBeInstanceOf(ResourceNotFoundException);
});

describe('rate throttling', () => {
  test('admits a burst of 8, then throttles with TooManyRequestsException (429)', async () => {
    const { client } = await connect();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => start(client)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(8);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    for (const { reason } of refused) {
      expect(reason).toBeInstanceOf(TooManyRequestsException);
      expect(reason.$metadata.httpStatusCode).toBe(429);
    }
  });

  test('refills at the configured rate', async () => {
    const { client } = await connect({ ratePerSecond: 20, burst: 1 });
    await start(client);
    await expect(start(client)).rejects.toBeInstanceOf(TooManyRequestsException);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(start(client)).resolves.toHaveProperty('ContactId');
  });

  test('can be changed or turned off while running', async () => {
    const { client, standIn } = await connect({ burst: 1 });
    await start(client);
    await expect(start(client)).rejects.toBeInstanceOf(TooManyRequestsException);
    standIn.setRateLimit(false);
    await Promise.all(Array.from({ length: 20 }, () => start(client)));
    standIn.setRateLimit({ ratePerSecond: 1, burst: 2 });
    await start(client);
    await start(client);
    await expect(start(client)).rejects.toBeInstanceOf(TooManyRequestsException);
  });
});

describe('the concurrent-chat quota', () => {
  test('answers LimitExceededException (429) once full, until a chat ends', async () => {
    const { client } = await connect({ ratePerSecond: false, maxConcurrentChats: 2 });
    const first = await start(client);
    await start(client);
    const full = await start(client).catch((error: unknown) => error);
    expect(full).toBeInstanceOf(LimitExceededException);
    expect((full as LimitExceededException).$metadata.httpStatusCode).toBe(429);
    await client.send(new StopContactCommand({ InstanceId: 'instance-1', ContactId: first.ContactId! }));
    await expect(start(client)).resolves.toHaveProperty('ContactId');
  });

  test('frees a chat’s place when its lifetime ends', async () => {
    const { client, standIn } = await connect({ ratePerSecond: false, maxConcurrentChats: 1, chatLifetimeMs: 50 });
    await start(client);
    await expect(start(client)).rejects.toBeInstanceOf(LimitExceededException);
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(standIn.activeChats()).toBe(0);
    await expect(start(client)).resolves.toHaveProperty('ContactId');
  });
});

test('returns the same chat for the same ClientToken, without taking a second quota place', async () => {
  const { client, standIn } = await connect({ ratePerSecond: false, maxConcurrentChats: 1 });
  const first = await start(client, { ClientToken: 'token-1' });
  const again = await start(client, { ClientToken: 'token-1' });
  expect(again.ContactId).toBe(first.ContactId);
  expect(again.ParticipantToken).toBe(first.ParticipantToken);
  expect(standIn.activeChats()).toBe(1);
});

test('plays scripted outcomes one per call, then behaves normally', async () => {
  const { client, standIn } = await connect();
  standIn.script({ error: 'InternalServiceException' }, { reset: true });
  await expect(start(client)).rejects.toMatchObject({
    name: 'InternalServiceException',
    $metadata: { httpStatusCode: 500 },
  });
  // A reset connection: the SDK gets no HTTP answer at all.
  const reset = (await start(client).catch((error: unknown) => error)) as { $metadata?: { httpStatusCode?: number } };
  expect(reset).toBeInstanceOf(Object);
  expect(reset.$metadata?.httpStatusCode).toBeUndefined();
  await expect(start(client)).resolves.toHaveProperty('ContactId');
  expect(standIn.startChatCalls().map((call) => call.outcome)).toEqual([500, 'reset', 200]);
});

test('keeps only the most recent calls', async () => {
  const { client, standIn } = await connect({ ratePerSecond: false, maxRecordedCalls: 3 });
  for (let i = 0; i < 5; i++) await start(client, { ClientToken: `token-${i}` });
  expect(standIn.calls.map((call) => call.body?.ClientToken)).toEqual(['token-2', 'token-3', 'token-4']);
});

test('reset() starts afresh: no calls, chats or tokens remembered', async () => {
  const { client, standIn } = await connect({ ratePerSecond: false });
  const before = await start(client, { ClientToken: 'token-1' });
  standIn.reset();
  expect(standIn.calls).toHaveLength(0);
  expect(standIn.activeChats()).toBe(0);
  const after = await start(client, { ClientToken: 'token-1' });
  expect(after.ContactId).not.toBe(before.ContactId);
});
