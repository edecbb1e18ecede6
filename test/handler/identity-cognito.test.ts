/**
 * Verified identity from an Amazon Cognito user pool: ID tokens (`aud` = an app client id,
 * `token_use: "id"`) or access tokens (`client_id`, `token_use: "access"`, no `aud`), from either of the
 * pool's issuer forms. The pool's JWKS is served on loopback by the local identity provider's keys.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { type DevIdentityProvider, startDevIdentityProvider } from '../../local/dev-identity-provider.ts';
import { expectStarted, expectUnauthenticated, lastForwarded, verifiedStartRequest } from '../support/expectations.ts';
import { baseEnv, chatBody, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';
import { bearer, now } from '../support/tokens.ts';

const POOL = 'us-east-1_AbCdEf123';
const ORIGINAL_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const UPDATED_ISSUER = `https://issuer-cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const CLIENT = '1example23456789';
const OTHER_CLIENT = '9another87654321';

let standIn: ConnectStandIn;
let pool: DevIdentityProvider;

function cognitoEnv(tokenUse: 'id' | 'access'): Record<string, string> {
  return {
    ...baseEnv(standIn.url),
    IDENTITY_SOURCE: 'cognito',
    IDENTITY_ISSUERS: `${ORIGINAL_ISSUER},${UPDATED_ISSUER}`,
    IDENTITY_AUDIENCES: CLIENT,
    IDENTITY_TOKEN_USE: tokenUse,
    IDENTITY_JWKS_URI: pool.jwksUri,
    IDENTITY_CLAIMS: JSON.stringify({ customerId: 'sub', attributes: { plan: 'custom:plan' } }),
  };
}

const idToken = (overrides: Record<string, unknown> = {}) =>
  pool.sign({
    iss: ORIGINAL_ISSUER,
    aud: CLIENT,
    token_use: 'id',
    sub: '8d1c2e3f-0000-4000-8000-000000000001',
    'custom:plan': 'business',
    'cognito:groups': ['vip'],
    auth_time: now(),
    iat: now(),
    exp: now() + 3_600,
    ...overrides,
  });

const accessToken = (overrides: Record<string, unknown> = {}) =>
  pool.sign({
    iss: ORIGINAL_ISSUER,
    client_id: CLIENT,
    token_use: 'access',
    scope: 'openid',
    sub: '8d1c2e3f-0000-4000-8000-000000000001',
    iat: now(),
    exp: now() + 3_600,
    ...overrides,
  });

async function send(handler: Handler, token: string) {
  return invoke(handler, chatEvent({ body: chatBody(), headers: bearer(token) }));
}

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  pool = await startDevIdentityProvider({ kind: 'oidc' });
});
afterAll(async () => {
  await pool.close();
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

describe('ID tokens', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler(cognitoEnv('id'));
  });

  test.each([
    ['the original issuer form', ORIGINAL_ISSUER],
    ['the updated issuer form', UPDATED_ISSUER],
  ])('from %s start a verified chat', async (_name, iss) => {
    const answer = await send(handler, await idToken({ iss }));
    expectStarted(answer);
    expect(lastForwarded(standIn)).toEqual(
      verifiedStartRequest({ CustomerId: '8d1c2e3f-0000-4000-8000-000000000001', Attributes: { plan: 'business' } }),
    );
  });

  test.each([
    ['an access token (no aud)', () => accessToken(), /wrong audience: it has no "aud"/],
    [
      'an access token given the client as aud',
      () => accessToken({ aud: CLIENT }),
      /wrong audience: this endpoint accepts Cognito id tokens/,
    ],
    ['another app client', () => idToken({ aud: OTHER_CLIENT }), /wrong audience/],
    [
      'another user pool',
      () => idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }),
      /wrong issuer/,
    ],
    [
      'the right pool in another region',
      () => idToken({ iss: ORIGINAL_ISSUER.replace('us-east-1.', 'eu-west-1.') }),
      /wrong issuer/,
    ],
    ['no token_use', () => idToken({ token_use: undefined }), /wrong audience/],
  ])('refuses %s', async (_name, make, problem) => {
    const token = await make();
    expectUnauthenticated(await send(handler, token), problem, { standIn, token });
  });
});

describe('access tokens', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler(cognitoEnv('access'));
  });

  test.each([
    ['the original issuer form', ORIGINAL_ISSUER],
    ['the updated issuer form', UPDATED_ISSUER],
  ])('from %s start a verified chat; client_id is the app client', async (_name, iss) => {
    expectStarted(await send(handler, await accessToken({ iss })));
    expect(lastForwarded(standIn).CustomerId).toBe('8d1c2e3f-0000-4000-8000-000000000001');
  });

  test.each([
    ['an ID token', () => idToken(), /wrong audience: this endpoint accepts Cognito access tokens/],
    ['another app client', () => accessToken({ client_id: OTHER_CLIENT }), /wrong audience: its "client_id"/],
    ['no client_id', () => accessToken({ client_id: undefined }), /wrong audience/],
    [
      'an HS256 token',
      () =>
        pool.sign(
          { iss: ORIGINAL_ISSUER, token_use: 'access', client_id: CLIENT, iat: now(), exp: now() + 60 },
          { alg: 'HS256' },
        ),
      /bad signature: its algorithm .*RS256/,
    ],
  ])('refuses %s', async (_name, make, problem) => {
    const token = await make();
    expectUnauthenticated(await send(handler, token), problem, { standIn, token });
  });
});
