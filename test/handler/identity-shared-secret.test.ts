/**
 * Verified identity with the hosted widget's token format: HS256 signed with a 44-character security key
 * kept in Secrets Manager (a local stand-in speaking the real awsJson1.1 protocol, read through Powertools
 * Parameters and the real SDK), `sub` = the widget id, at most 10 minutes. Current and previous keys are both
 * valid during a rotation; a removed key stops working once the cache expires. Every rejection is a 401 and
 * unreadable keys a 503, with no call to Connect.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../local/secrets-manager-stand-in.ts';
import { captureOutput } from '../support/captured-output.ts';
import {
  expectError,
  expectStarted,
  expectUnauthenticated,
  lastForwarded,
  verifiedStartRequest,
} from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';
import { bearer, compact, hs256, now, withPayload } from '../support/tokens.ts';

const WIDGET_ID = '3f6b2a51-widget';
const SECRET = 'chat/widget-security-key';

/** A key as Amazon Connect shows it: 44 characters (base64 of 32 bytes). */
const newKey = () => randomBytes(32).toString('base64');

let standIn: ConnectStandIn;
let secrets: SecretsManagerStandIn;
let key: string;
let handler: Handler;

function identityEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...baseEnv(standIn.url),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    IDENTITY_SOURCE: 'shared-secret',
    IDENTITY_SECRET_ID: secrets.arnOf(SECRET),
    IDENTITY_WIDGET_ID: WIDGET_ID,
    ...extra,
  };
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = now();
  const base: Record<string, unknown> = {
    sub: WIDGET_ID,
    iat,
    exp: iat + 600,
    customerId: 'crm-0042',
    attributes: { loyalty: 'gold', orderId: 'A-17' },
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** Signed as the hosted widget's sample signs: HS256 with the key string's UTF-8 bytes. */
function widgetToken(payload: Record<string, unknown>, signingKey = key, header: Record<string, unknown> = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(new TextEncoder().encode(signingKey));
}

async function send(token: string | undefined, h = handler) {
  return invoke(h, chatEvent({ body: chatBody(), ...(token !== undefined && { headers: bearer(token) }) }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  key = newKey();
  secrets = await startSecretsManagerStandIn({ secrets: { [SECRET]: key } });
  handler = await loadHandler(identityEnv());
});
afterAll(async () => {
  await secrets.close();
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  secrets.putSecret(SECRET, key);
});

describe('a token in the hosted widget’s format', () => {
  test('starts the chat with exactly CustomerId, the attributes and the customer marked authenticated', async () => {
    // Arrange: the widget's other claims (segment attributes, a related contact) are not mapped
    const token = await widgetToken(
      claims({
        segmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Guide' } },
        relatedContactId: '0c2d7a44-1b2c-4d5e-8f90-123456789abc',
      }),
    );
    // Act
    const answer = await send(token);
    // Assert
    expectStarted(answer);
    expect(lastForwarded(standIn)).toEqual(
      verifiedStartRequest({ CustomerId: 'crm-0042', Attributes: { loyalty: 'gold', orderId: 'A-17' } }),
    );
  });

  test('without customerId or attributes it still marks the customer authenticated', async () => {
    const answer = await send(await widgetToken(claims({ customerId: undefined, attributes: undefined })));
    expectStarted(answer);
    const forwarded = lastForwarded(standIn);
    expect(forwarded).not.toHaveProperty('CustomerId');
    expect(forwarded).not.toHaveProperty('Attributes');
    expect(forwarded.SegmentAttributes).toHaveProperty(['connect:CustomerAuthentication']);
  });

  test('a token signed by a raw HMAC over the key string (as PyJWT does) is accepted', async () => {
    const token = hs256({ alg: 'HS256', typ: 'JWT' }, claims(), key);
    expectStarted(await send(token));
  });

  test('the secret is read once and cached: one Secrets Manager call for many requests', async () => {
    const fresh = await loadHandler(identityEnv());
    const before = secrets.calls();
    for (let i = 0; i < 4; i++) expectStarted(await send(await widgetToken(claims()), fresh));
    expect(secrets.calls() - before).toBe(1);
  });

  test('a kid header does not choose the key: the signature decides', async () => {
    const withRightKey = await widgetToken(claims(), key, { kid: '../../../../dev/null' });
    const withWrongKey = await widgetToken(claims(), newKey(), { kid: 'current' });
    expectStarted(await send(withRightKey));
    standIn.reset();
    expectUnauthenticated(await send(withWrongKey), /bad signature/, { standIn });
  });
});

describe('key rotation', () => {
  test('while rotating, tokens from the current and the previous key are both accepted', async () => {
    // Arrange
    const next = newKey();
    secrets.putSecret(SECRET, JSON.stringify({ current: next, previous: key }));
    const rotating = await loadHandler(identityEnv());
    // Act
    const fromPrevious = await send(await widgetToken(claims(), key), rotating);
    const fromCurrent = await send(await widgetToken(claims(), next), rotating);
    // Assert
    expectStarted(fromPrevious);
    expectStarted(fromCurrent);
  });

  test('a token from the previous key is refused once the key is removed and the cache expires', async () => {
    // Arrange
    const next = newKey();
    secrets.putSecret(SECRET, JSON.stringify({ current: next, previous: key }));
    const rotating = await loadHandler(identityEnv({ IDENTITY_SECRET_MAX_AGE_SECONDS: '1' }));
    const oldToken = await widgetToken(claims(), key);
    expectStarted(await send(oldToken, rotating));
    // Act
    secrets.putSecret(SECRET, JSON.stringify({ current: next }));
    await sleep(1_100);
    const answer = await send(oldToken, rotating);
    // Assert
    expectUnauthenticated(answer, /bad signature/, { standIn, callsBefore: 1, token: oldToken });
    expectStarted(await send(await widgetToken(claims(), next), rotating));
  });

  test('a new key is picked up within the cache time', async () => {
    const rotating = await loadHandler(identityEnv({ IDENTITY_SECRET_MAX_AGE_SECONDS: '1' }));
    expectStarted(await send(await widgetToken(claims()), rotating));
    const next = newKey();
    secrets.putSecret(SECRET, next);
    await sleep(1_100);
    expectStarted(await send(await widgetToken(claims(), next), rotating));
  });
});

describe('refused tokens, each 401 without calling Connect', () => {
  const cases: Array<[string, () => Promise<string> | string, RegExp]> = [
    ['signed with another key', () => widgetToken(claims(), newKey()), /^has a bad signature$/],
    ['alg "none"', () => compact({ alg: 'none', typ: 'JWT' }, claims()), /bad signature: its algorithm .*HS256/],
    ['HS384', () => hs256({ alg: 'HS384' }, claims(), key), /bad signature: its algorithm/],
    [
      'RS256, signed by an attacker’s key pair',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      },
      /bad signature: its algorithm/,
    ],
    [
      'for another widget (sub)',
      () => widgetToken(claims({ sub: 'another-widget' })),
      /wrong audience: its "sub" is not this widget/,
    ],
    ['without sub', () => widgetToken(claims({ sub: undefined })), /wrong audience: it has no "sub"/],
    ['expired', () => widgetToken(claims({ iat: now() - 700, exp: now() - 100 })), /expired/],
    [
      'living longer than 10 minutes',
      () => widgetToken(claims({ exp: now() + 601 })),
      /bad claim: "exp" is more than 600 seconds after "iat"/,
    ],
    ['living a year', () => widgetToken(claims({ exp: now() + 365 * 86_400 })), /bad claim/],
    [
      'issued 11 minutes ago, still unexpired',
      () => widgetToken(claims({ iat: now() - 660, exp: now() + 60 })),
      /expired|bad claim/,
    ],
    ['issued in the future', () => widgetToken(claims({ iat: now() + 600, exp: now() + 900 })), /not yet valid/],
    ['without exp', () => widgetToken(claims({ exp: undefined })), /bad claim: the "exp" claim is missing/],
    ['without iat', () => widgetToken(claims({ iat: undefined })), /bad claim: the "iat" claim is missing/],
    [
      'a tampered payload',
      async () => withPayload(await widgetToken(claims()), claims({ customerId: 'crm-9999' })),
      /bad signature/,
    ],
  ];

  test.each(cases)('%s', async (_name, make, problem) => {
    const token = await make();
    expectUnauthenticated(await send(token), problem, { standIn, token });
  });

  test('exactly 10 minutes is accepted', async () => {
    expectStarted(await send(await widgetToken(claims({ exp: now() + 600 }))));
  });
});

describe('when the key cannot be read, 503 IDENTITY_UNAVAILABLE with Retry-After and no call to Connect', () => {
  async function expectUnavailable(env: Record<string, string>, reason: string, prepare?: () => void) {
    const fresh = await loadHandler({ ...identityEnv(env), POWERTOOLS_LOG_LEVEL: 'INFO' });
    prepare?.();
    const output = captureOutput();
    let answer;
    try {
      answer = await send(await widgetToken(claims()), fresh);
    } finally {
      output.restore();
    }
    expectError(answer, 503, 'IDENTITY_UNAVAILABLE');
    expect(answer.headers['retry-after']).toBe('5');
    expect(standIn.startChatCalls()).toHaveLength(0);
    const [line] = output.records().filter((record) => record.outcome !== undefined);
    expect(line).toMatchObject({ level: 'ERROR', outcome: 'upstream_failed', identityError: reason });
  }

  test('Secrets Manager failing', async () => {
    await expectUnavailable({}, 'secret_unreachable', () =>
      secrets.script({ error: 'InternalServiceError' }, { error: 'InternalServiceError' }),
    );
  });

  test('the secret not found', async () => {
    await expectUnavailable({ IDENTITY_SECRET_ID: 'no-such-secret' }, 'secret_unreachable');
  });

  test('a key under 32 bytes', async () => {
    await expectUnavailable({}, 'secret_key_too_short', () => secrets.putSecret(SECRET, 'short-key'));
  });

  test('a JSON secret without "current"', async () => {
    await expectUnavailable({}, 'secret_malformed', () => secrets.putSecret(SECRET, JSON.stringify({ previous: key })));
  });

  test('Secrets Manager hanging: given up after the client’s timeouts, not the Lambda’s', async () => {
    const started = Date.now();
    await expectUnavailable({}, 'secret_unreachable', () => secrets.script({ hang: true }, { hang: true }));
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
