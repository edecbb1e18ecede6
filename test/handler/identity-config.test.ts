/**
 * The identity settings are checked when the function starts, like every other setting: a missing or
 * malformed IDENTITY_* variable, or a mapping that would let anonymous clients set what tokens set, stops the
 * function with a message naming the variable.
 */
import { describe, expect, test } from '@jest/globals';
import { baseEnv, loadHandler } from '../support/handler.ts';

const STAND_IN = 'http://127.0.0.1:9';

const OIDC = {
  IDENTITY_SOURCE: 'oidc',
  IDENTITY_ISSUERS: 'https://login.example.com/',
  IDENTITY_AUDIENCES: 'chat-api',
  IDENTITY_JWKS_URI: 'https://login.example.com/.well-known/jwks.json',
};
const SHARED = {
  IDENTITY_SOURCE: 'shared-secret',
  IDENTITY_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:chat-key-AbCdEf',
  IDENTITY_WIDGET_ID: 'widget-1',
};

describe('refuses to start', () => {
  test.each([
    [
      'with an unknown source',
      { IDENTITY_SOURCE: 'saml' },
      /IDENTITY_SOURCE must be one of shared-secret, cognito, oidc/,
    ],
    ['OIDC without a JWKS URL', { ...OIDC, IDENTITY_JWKS_URI: undefined }, /IDENTITY_JWKS_URI is required/],
    ['OIDC without an audience', { ...OIDC, IDENTITY_AUDIENCES: undefined }, /IDENTITY_AUDIENCES is required/],
    ['OIDC without an issuer', { ...OIDC, IDENTITY_ISSUERS: undefined }, /IDENTITY_ISSUERS is required/],
    [
      'a JWKS URL over plain http',
      { ...OIDC, IDENTITY_JWKS_URI: 'http://login.example.com/jwks.json' },
      /IDENTITY_JWKS_URI must hold https URLs/,
    ],
    [
      'HS256 for a JWKS source',
      { ...OIDC, IDENTITY_ALGORITHMS: 'RS256,HS256' },
      /IDENTITY_ALGORITHMS must list algorithms among RS256/,
    ],
    ['alg none', { ...OIDC, IDENTITY_ALGORITHMS: 'none' }, /IDENTITY_ALGORITHMS/],
    ['Cognito without a token use', { ...OIDC, IDENTITY_SOURCE: 'cognito' }, /IDENTITY_TOKEN_USE is required/],
    [
      'Cognito with a token use that is not id or access',
      { ...OIDC, IDENTITY_SOURCE: 'cognito', IDENTITY_TOKEN_USE: 'refresh' },
      /IDENTITY_TOKEN_USE must be one of id, access/,
    ],
    [
      'the shared secret without a widget id',
      { ...SHARED, IDENTITY_WIDGET_ID: undefined },
      /IDENTITY_WIDGET_ID is required/,
    ],
    [
      'the shared secret without a secret',
      { ...SHARED, IDENTITY_SECRET_ID: undefined },
      /IDENTITY_SECRET_ID is required/,
    ],
    [
      'a secret cache time over an hour',
      { ...SHARED, IDENTITY_SECRET_MAX_AGE_SECONDS: '7200' },
      /IDENTITY_SECRET_MAX_AGE_SECONDS/,
    ],
    [
      'a clock tolerance over 5 minutes',
      { ...OIDC, IDENTITY_CLOCK_TOLERANCE_SECONDS: '600' },
      /IDENTITY_CLOCK_TOLERANCE_SECONDS/,
    ],
    [
      'a required flag that is not a boolean',
      { ...OIDC, IDENTITY_REQUIRED: 'yes' },
      /IDENTITY_REQUIRED must be "true" or "false"/,
    ],
    [
      'a mapping that is not JSON',
      { ...OIDC, IDENTITY_CLAIMS: '{customerId:sub}' },
      /IDENTITY_CLAIMS must be a JSON object/,
    ],
    [
      'a mapping with an unknown field',
      { ...OIDC, IDENTITY_CLAIMS: '{"email":"email"}' },
      /IDENTITY_CLAIMS has the unknown field "email"/,
    ],
    [
      'a mapping to a bad attribute key',
      { ...OIDC, IDENTITY_CLAIMS: '{"attributes":{"my tier":"tier"}}' },
      /IDENTITY_CLAIMS attributes has the key "my tier"/,
    ],
    [
      'a mapping to a prototype key',
      { ...OIDC, IDENTITY_CLAIMS: '{"attributes":{"__proto__":"tier"}}' },
      /IDENTITY_CLAIMS/,
    ],
    [
      'CustomerId from the token while clients may send one',
      { ...OIDC, ALLOW_CUSTOMER_ID: 'true' },
      /IDENTITY_CLAIMS conflicts with the request policy: CustomerId comes from the verified token.*allowCustomerId/,
    ],
    [
      'an attribute from the token that clients may also send',
      { ...OIDC, IDENTITY_CLAIMS: '{"attributes":{"tier":"tier"}}', ALLOWED_ATTRIBUTE_KEYS: 'topic,tier' },
      /the attributes tier come from the verified token/,
    ],
  ])('%s', async (_name, change, message) => {
    await expect(loadHandler({ ...baseEnv(STAND_IN), ...change })).rejects.toThrow(message);
  });
});

describe('starts', () => {
  test.each([
    ['with OIDC on its defaults', OIDC],
    ['with Cognito', { ...OIDC, IDENTITY_SOURCE: 'cognito', IDENTITY_TOKEN_USE: 'access' }],
    ['with the shared secret', SHARED],
    ['with a JWKS on loopback http (local development)', { ...OIDC, IDENTITY_JWKS_URI: 'http://127.0.0.1:4100/jwks' }],
    [
      'with clients allowed CustomerId when the token does not fill it',
      { ...OIDC, IDENTITY_CLAIMS: '{}', ALLOW_CUSTOMER_ID: 'true' },
    ],
  ])('%s', async (_name, change) => {
    expect(typeof (await loadHandler({ ...baseEnv(STAND_IN), ...change }))).toBe('function');
  });
});
