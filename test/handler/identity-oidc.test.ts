/**
 * Verified identity from an OIDC provider (a JWKS on loopback: the local development identity provider),
 * through the real handler and the real SDK against the Connect stand-in: a verified token sets exactly the
 * mapped fields and `connect:CustomerAuthentication`; the policy (required or optional); and every attack a
 * reviewer would try, each answered 401 UNAUTHENTICATED naming the problem, with no call to Connect. When the
 * provider's keys cannot be fetched: 503 IDENTITY_UNAVAILABLE with Retry-After.
 */
import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { DEV_AUDIENCE, type DevIdentityProvider, startDevIdentityProvider } from '../../local/dev-identity-provider.ts';
import { closeServer, listen } from '../../local/listen.ts';
import {
  expectError,
  expectStarted,
  expectUnauthenticated,
  lastForwarded,
  verifiedStartRequest,
} from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';
import { bearer, compact, decode, hs256, now, withPayload } from '../support/tokens.ts';

const MAPPING = { customerId: 'sub', displayName: 'name', attributes: { customerTier: 'tier' } };

let standIn: ConnectStandIn;
let idp: DevIdentityProvider;
let handler: Handler;

function identityEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...baseEnv(standIn.url),
    ...idp.handlerEnvironment(),
    IDENTITY_CLAIMS: JSON.stringify(MAPPING),
    IDENTITY_ALGORITHMS: 'RS256',
    ALLOWED_ATTRIBUTE_KEYS: 'topic',
    ...extra,
  };
}

/** Valid claims for the provider, with overrides (undefined removes a claim). */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    iss: idp.url,
    aud: DEV_AUDIENCE,
    sub: 'customer-42',
    name: 'Grace Hopper',
    tier: 'platinum',
    iat: now(),
    exp: now() + 300,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

async function send(token: string | undefined, body = chatBody({ ParticipantDetails: undefined }), h = handler) {
  return invoke(h, chatEvent({ body, ...(token !== undefined && { headers: bearer(token) }) }));
}

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  idp = await startDevIdentityProvider({ kind: 'oidc' });
  handler = await loadHandler(identityEnv());
});
afterAll(async () => {
  await idp.close();
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  idp.setKeysAvailable(true);
});

describe('a verified token', () => {
  test('starts the chat with exactly the mapped fields and the customer marked authenticated', async () => {
    // Arrange
    const token = await idp.sign(claims());
    // Act
    const answer = await send(token, { Attributes: { topic: 'billing' } });
    // Assert
    expectStarted(answer);
    expect(lastForwarded(standIn)).toEqual(
      verifiedStartRequest({
        DisplayName: 'Grace Hopper',
        CustomerId: 'customer-42',
        Attributes: { topic: 'billing', customerTier: 'platinum' },
      }),
    );
  });

  test('is verified with the cached keys: one JWKS fetch for many requests', async () => {
    // Arrange
    const fresh = await loadHandler(identityEnv());
    const before = idp.jwksRequests();
    // Act
    for (let i = 0; i < 5; i++) expectStarted(await send(await idp.sign(claims({ sub: `c-${i}` })), undefined, fresh));
    // Assert
    expect(idp.jwksRequests() - before).toBe(1);
    expect(standIn.startChatCalls().map((call) => call.body?.CustomerId)).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
  });

  test('accepts the scheme name in any case and surrounding spaces', async () => {
    const token = await idp.sign(claims());
    const answer = await invoke(handler, chatEvent({ body: {}, headers: { authorization: `  bearer   ${token}  ` } }));
    expectStarted(answer);
  });

  test('accepts ES256 when the deployer lists it, and refuses it when not', async () => {
    const token = await idp.sign(claims(), { alg: 'ES256' });
    const withEs256 = await loadHandler(identityEnv({ IDENTITY_ALGORITHMS: 'RS256,ES256' }));
    expectStarted(await send(token, undefined, withEs256));
    standIn.reset();
    expectUnauthenticated(await send(token), /bad signature: its algorithm is not accepted \(accepted: RS256\)/, {
      standIn,
    });
  });
});

describe('the policy', () => {
  test('optional (the default): no token starts an anonymous chat, with nothing from a token', async () => {
    const answer = await send(undefined, chatBody());
    expectStarted(answer);
    const forwarded = lastForwarded(standIn);
    expect(forwarded).not.toHaveProperty('CustomerId');
    expect(forwarded).not.toHaveProperty('SegmentAttributes');
    expect(forwarded.ParticipantDetails).toEqual({ DisplayName: 'Ada' });
  });

  test('optional: a bad token is 401, never downgraded to anonymous', async () => {
    const token = await idp.sign(claims({ exp: now() - 120 }));
    expectUnauthenticated(await send(token, chatBody()), /expired/, { standIn });
  });

  test('required: no token is 401 with WWW-Authenticate: Bearer', async () => {
    const required = await loadHandler(identityEnv({ IDENTITY_REQUIRED: 'true' }));
    const answer = await send(undefined, chatBody(), required);
    expectUnauthenticated(answer, /^is missing/, { standIn });
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  test('required: a verified token starts the chat', async () => {
    const required = await loadHandler(identityEnv({ IDENTITY_REQUIRED: 'true' }));
    expectStarted(await send(await idp.sign(claims()), undefined, required));
  });

  test('a token is never read from the query string, and one sent there is refused', async () => {
    const token = await idp.sign(claims());
    for (const name of ['access_token', 'id_token']) {
      const answer = await invoke(handler, chatEvent({ body: chatBody(), url: `/prod/chat?${name}=${token}` }));
      expectUnauthenticated(answer, /malformed: tokens are accepted only in the Authorization header/, {
        standIn,
        token,
      });
    }
  });

  test('with identity off, a token is ignored and the chat is anonymous', async () => {
    const off = await loadHandler(baseEnv(standIn.url));
    expectStarted(await send(await idp.sign(claims()), chatBody(), off));
    expect(lastForwarded(standIn)).not.toHaveProperty('SegmentAttributes');
  });
});

describe('the clock tolerance (30 s by default)', () => {
  test.each([
    ['expired 10 s ago', () => claims({ exp: now() - 10 })],
    ['valid from 10 s ahead (nbf)', () => claims({ nbf: now() + 10 })],
    ['issued 10 s ahead (iat)', () => claims({ iat: now() + 10 })],
  ])('accepts a token %s: within the tolerance', async (_name, make) => {
    // Arrange
    const token = await idp.sign(make());
    // Act
    const answer = await send(token);
    // Assert
    expectStarted(answer);
  });

  test.each([
    ['expired 45 s ago', () => claims({ exp: now() - 45 }), /^is expired$/],
    ['valid from 45 s ahead (nbf)', () => claims({ nbf: now() + 45 }), /^is not yet valid$/],
    ['issued 45 s ahead (iat)', () => claims({ iat: now() + 45 }), /not yet valid/],
  ])('refuses a token %s: past the tolerance', async (_name, make, problem) => {
    const token = await idp.sign(make());
    expectUnauthenticated(await send(token), problem, { standIn, token });
  });

  test('with the tolerance set to 0, a token expired 5 s ago is refused', async () => {
    // Arrange
    const strict = await loadHandler(identityEnv({ IDENTITY_CLOCK_TOLERANCE_SECONDS: '0' }));
    const token = await idp.sign(claims({ exp: now() - 5 }));
    // Act
    const strictAnswer = await send(token, undefined, strict);
    // Assert
    expectUnauthenticated(strictAnswer, /^is expired$/, { standIn, token });
    expectStarted(await send(token));
  });
});

describe('attacks, each 401 without calling Connect', () => {
  let attacker: Awaited<ReturnType<typeof generateKeyPair>>;
  let attackerJwk: Record<string, unknown>;
  let providerJwk: Record<string, unknown>;

  /** The attacker's own server, serving their key set: a token's jku or x5u names it. */
  let attackerServer: Server;
  let attackerUrl: string;
  let attackerRequests = 0;

  beforeAll(async () => {
    attacker = await generateKeyPair('RS256', { extractable: true });
    attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'RS256', use: 'sig' };
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
    providerJwk = jwks.keys.find((key) => key.alg === 'RS256')!;
    attackerServer = createServer((_request, response) => {
      attackerRequests += 1;
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [attackerJwk] }));
    });
    attackerUrl = `http://127.0.0.1:${await listen(attackerServer, 0, '127.0.0.1', 'the attacker’s key server')}`;
  });
  afterAll(() => closeServer(attackerServer));

  const attackerSigned = (header: Record<string, unknown>, payload = claims()) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...header }).sign(attacker.privateKey);

  const cases: Array<[string, () => Promise<string> | string, RegExp]> = [
    ['alg "none", no signature', () => compact({ alg: 'none', typ: 'JWT' }, claims()), /bad signature: its algorithm/],
    ['alg "NONE"', () => compact({ alg: 'NONE' }, claims()), /bad signature: its algorithm/],
    [
      'HS256 signed with the provider’s RSA public key (PEM)',
      () =>
        hs256(
          { alg: 'HS256', kid: providerJwk.kid },
          claims(),
          createPublicKey({ key: providerJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
        ),
      /bad signature: its algorithm/,
    ],
    [
      'HS256 signed with the provider’s public JWK as text',
      () => hs256({ alg: 'HS256' }, claims(), JSON.stringify(providerJwk)),
      /bad signature: its algorithm/,
    ],
    ['a kid that is a path', () => attackerSigned({ kid: '../../../../dev/null' }), /bad signature/],
    ['a kid that is SQL', () => attackerSigned({ kid: "x' OR '1'='1" }), /bad signature/],
    [
      'the attacker’s key embedded as jwk, under the provider’s kid',
      () => attackerSigned({ kid: providerJwk.kid, jwk: attackerJwk }),
      /bad signature/,
    ],
    ['signed by another key under the provider’s kid', () => attackerSigned({ kid: providerJwk.kid }), /bad signature/],
    ['expired', () => idp.sign(claims({ exp: now() - 120 })), /^is expired$/],
    ['not yet valid (nbf)', () => idp.sign(claims({ nbf: now() + 3_600 })), /^is not yet valid$/],
    ['issued in the future (iat)', () => idp.sign(claims({ iat: now() + 3_600, exp: now() + 7_200 })), /not yet valid/],
    [
      'issued over a day ago',
      () => idp.sign(claims({ iat: now() - 86_400 - 120 })),
      /expired: it was issued too long ago/,
    ],
    ['without exp', () => idp.sign(claims({ exp: undefined })), /bad claim: the "exp" claim is missing/],
    ['without iat', () => idp.sign(claims({ iat: undefined })), /bad claim: the "iat" claim is missing/],
    ['exp as a string', () => idp.sign(claims({ exp: '9999999999' })), /bad claim: the "exp" claim must be a number/],
    ['for another audience', () => idp.sign(claims({ aud: 'another-app' })), /wrong audience/],
    ['without an audience', () => idp.sign(claims({ aud: undefined })), /wrong audience/],
    ['from another issuer', () => idp.sign(claims({ iss: 'https://evil.example.com' })), /wrong issuer/],
    ['without an issuer', () => idp.sign(claims({ iss: undefined })), /wrong issuer/],
    [
      'a tampered payload under a valid signature',
      async () => withPayload(await idp.sign(claims()), claims({ sub: 'someone-else' })),
      /bad signature/,
    ],
    [
      'the signature stripped',
      async () => `${(await idp.sign(claims())).split('.').slice(0, 2).join('.')}.`,
      /bad signature/,
    ],
    [
      'an unknown critical header',
      () => idp.sign(claims(), { header: { crit: ['x-unknown'], 'x-unknown': 1 } }),
      /^is malformed$/,
    ],
    [
      'two parts only',
      async () => (await idp.sign(claims())).split('.').slice(0, 2).join('.'),
      /malformed: expected a JWT/,
    ],
    ['not base64url', () => 'a.b$.c', /malformed: expected a JWT/],
    [
      'a payload that is not JSON',
      () => compact({ alg: 'RS256' }, Buffer.from('not json').toString('base64url'), 'c2ln'),
      /bad signature/,
    ],
    [
      'an unencoded payload (b64: false)',
      () => compact({ alg: 'RS256', b64: false, crit: ['b64'] }, claims(), 'c2ln'),
      /bad signature/,
    ],
    ['a payload that is an array', () => compact({ alg: 'RS256' }, ['sub'], 'c2ln'), /bad signature/],
    [
      'an oversize token',
      () => `${'a'.repeat(9_000)}.${'b'.repeat(10)}.c`,
      /malformed: the token is longer than 8192 characters/,
    ],
  ];

  test.each(cases)('%s', async (_name, make, problem) => {
    // Arrange
    const token = await make();
    // Act
    const answer = await send(token);
    // Assert
    expectUnauthenticated(answer, problem, { standIn, token });
  });

  test.each([
    ['jku naming the attacker’s key set', () => ({ kid: 'attacker', jku: `${attackerUrl}/jwks.json` })],
    ['x5u naming the attacker’s certificate', () => ({ kid: 'attacker', x5u: `${attackerUrl}/cert.pem` })],
    ['jku and the attacker’s key embedded as jwk', () => ({ jku: `${attackerUrl}/jwks.json`, jwk: attackerJwk })],
  ])('%s: refused, and the attacker’s server is never asked', async (_name, header) => {
    // Arrange
    const requestsBefore = attackerRequests;
    const token = await attackerSigned(header());
    // Act
    const answer = await send(token);
    // Assert
    expectUnauthenticated(answer, /bad signature/, { standIn, token });
    expect(attackerRequests).toBe(requestsBefore);
  });

  test.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['Bearer without a token', 'Bearer'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
  ])('an Authorization header with %s is malformed', async (_name, value) => {
    const answer = await invoke(handler, chatEvent({ body: chatBody(), headers: { Authorization: value } }));
    expectUnauthenticated(answer, /^is malformed/, { standIn });
  });

  test('a 1 MiB Authorization header is refused by its length, before any parsing', async () => {
    const token = `${'a'.repeat(512 * 1024)}.${'b'.repeat(512 * 1024)}.c`;
    const answer = await send(token);
    expectUnauthenticated(answer, /longer than 8192 characters/, { standIn });
  });
});

describe('when the provider’s keys cannot be fetched', () => {
  test('503 IDENTITY_UNAVAILABLE with Retry-After, no call to Connect; served again once the keys are back', async () => {
    // Arrange
    const fresh = await loadHandler(identityEnv());
    const token = await idp.sign(claims());
    idp.setKeysAvailable(false);
    // Act
    const down = await send(token, undefined, fresh);
    idp.setKeysAvailable(true);
    const back = await send(token, undefined, fresh);
    // Assert
    expectError(down, 503, 'IDENTITY_UNAVAILABLE');
    expect(down.headers['retry-after']).toBe('5');
    expect(standIn.startChatCalls()).toHaveLength(1);
    expectStarted(back);
  });

  test('a provider that refuses connections is 503 too', async () => {
    const unreachable = await loadHandler(
      identityEnv({ IDENTITY_JWKS_URI: 'http://127.0.0.1:9/.well-known/jwks.json' }),
    );
    const answer = await send(await idp.sign(claims()), undefined, unreachable);
    expectError(answer, 503, 'IDENTITY_UNAVAILABLE');
    expect(standIn.startChatCalls()).toHaveLength(0);
  });

  test('a request without a token is not held up: anonymous chats go on', async () => {
    const fresh = await loadHandler(identityEnv());
    idp.setKeysAvailable(false);
    expectStarted(await send(undefined, chatBody(), fresh));
  });

  test('keys already fetched keep verifying while the provider is down', async () => {
    const fresh = await loadHandler(identityEnv());
    expectStarted(await send(await idp.sign(claims()), undefined, fresh));
    idp.setKeysAvailable(false);
    expectStarted(await send(await idp.sign(claims()), undefined, fresh));
  });
});

test('the token’s payload is decoded only after the signature is checked: claims of a bad token do not matter', async () => {
  const token = await idp.sign(claims());
  const { payload } = decode(token);
  const forged = withPayload(token, { ...payload, sub: { nested: true }, name: '\u0000' });
  expectUnauthenticated(await send(forged), /bad signature/, { standIn });
});
