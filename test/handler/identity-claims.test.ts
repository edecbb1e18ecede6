/**
 * The claims of a verified token, held to the rules of the request fields they fill (strings only, no
 * control characters, well-formed Unicode, Connect's lengths, no prototype-reaching keys): a bad claim is a
 * 401 naming the claim, never quoting its value, never silently dropped, and Connect is not called. The
 * token's fields win over the body: a body that sends one is rejected naming the field. Hostile claims are
 * also generated (fast-check).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { type ConnectStandIn, startConnectStandIn } from '../../local/connect-stand-in/connect-stand-in.ts';
import { DEV_AUDIENCE, type DevIdentityProvider, startDevIdentityProvider } from '../../local/dev-identity-provider.ts';
import {
  AUTHENTICATED,
  expectRejected,
  expectStarted,
  expectUnauthenticated,
  lastForwarded,
} from '../support/expectations.ts';
import { baseEnv, chatEvent, type Handler, invoke, loadHandler } from '../support/handler.ts';
import { bearer, now } from '../support/tokens.ts';

const MAPPING = {
  customerId: 'sub',
  displayName: 'name',
  attributes: { customerTier: 'tier' },
  attributesClaim: 'attributes',
};

let standIn: ConnectStandIn;
let idp: DevIdentityProvider;
let handler: Handler;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...baseEnv(standIn.url),
    ...idp.handlerEnvironment(),
    IDENTITY_CLAIMS: JSON.stringify(MAPPING),
    ALLOWED_ATTRIBUTE_KEYS: 'topic,lang',
    ...extra,
  };
}

/** Signs claims as the provider, around valid registered claims. */
function token(custom: Record<string, unknown>): Promise<string> {
  return idp.sign({
    iss: idp.url,
    aud: DEV_AUDIENCE,
    iat: now(),
    exp: now() + 300,
    sub: 'c-1',
    name: 'Grace',
    ...custom,
  });
}

async function send(claims: Record<string, unknown>, body: Record<string, unknown> = {}, h = handler) {
  return invoke(h, chatEvent({ body, headers: bearer(await token(claims)) }));
}

beforeAll(async () => {
  standIn = await startConnectStandIn({ ratePerSecond: false });
  idp = await startDevIdentityProvider({ kind: 'oidc' });
  handler = await loadHandler(env());
});
afterAll(async () => {
  await idp.close();
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

describe('claims fill the mapped fields', () => {
  test('CustomerId, the display name, mapped and whole-object attributes, with the body’s own', async () => {
    const answer = await send(
      { sub: 'crm-7', name: '  Grace Hopper  ', tier: 'gold', attributes: { region: 'emea', plan: 'pro' } },
      { Attributes: { topic: 'billing' } },
    );
    expectStarted(answer);
    expect(lastForwarded(standIn)).toMatchObject({
      CustomerId: 'crm-7',
      ParticipantDetails: { DisplayName: 'Grace Hopper' },
      Attributes: { topic: 'billing', customerTier: 'gold', region: 'emea', plan: 'pro' },
    });
  });

  test('a mapped claim the token does not carry is left out, not invented', async () => {
    expectStarted(await send({ tier: undefined, attributes: undefined }));
    expect(lastForwarded(standIn)).not.toHaveProperty('Attributes');
  });

  test('server attributes win over claims', async () => {
    const h = await loadHandler(env({ SERVER_ATTRIBUTES: JSON.stringify({ customerTier: 'set-by-server' }) }));
    expectStarted(await send({ tier: 'gold' }, {}, h));
    expect(lastForwarded(standIn).Attributes).toEqual({ customerTier: 'set-by-server' });
  });

  test('a display-name claim that is missing uses the default display name', async () => {
    const h = await loadHandler(env({ DEFAULT_DISPLAY_NAME: 'Customer' }));
    expectStarted(await send({ name: undefined }, {}, h));
    expect(lastForwarded(standIn).ParticipantDetails).toEqual({ DisplayName: 'Customer' });
  });

  test('a display-name claim that is missing with no default is a bad claim', async () => {
    expectUnauthenticated(
      await send({ name: undefined }),
      /bad claim: claim "name" \(for ParticipantDetails.DisplayName\) is missing/,
      {
        standIn,
      },
    );
  });
});

describe('the body may not set what the token sets', () => {
  test.each([
    ['ParticipantDetails.DisplayName', { ParticipantDetails: { DisplayName: 'Mallory' } }],
    ['CustomerId', { CustomerId: 'crm-0001' }],
    ['Attributes.customerTier', { Attributes: { customerTier: 'platinum' } }],
    ['Attributes.customerTier', { Attributes: JSON.stringify({ customerTier: 'platinum' }) }],
    ['Attributes.region', { Attributes: { region: 'us' } }],
  ])('a body with %s is rejected naming it', async (field, body) => {
    const answer = await send({ attributes: { region: 'emea' } }, body);
    expectRejected(answer, field, standIn);
    const detail = answer.json.error.details.find((d: { field: string }) => d.field === field);
    expect(detail.message).toBe('is set from the verified identity token; do not send it');
    expect(answer.json.error.details.filter((d: { field: string }) => d.field === field)).toHaveLength(1);
  });

  test('a key of the token’s attributes object that the token does not carry stays the client’s', async () => {
    const h = await loadHandler(env({ ALLOWED_ATTRIBUTE_KEYS: 'topic,region' }));
    expectStarted(await send({ attributes: {} }, { Attributes: { region: 'us' } }, h));
    expect(lastForwarded(standIn).Attributes).toEqual({ region: 'us' });
  });

  test('a client cannot mark itself authenticated even next to a verified token', async () => {
    const h = await loadHandler(env({ ALLOW_SEGMENT_ATTRIBUTES: 'true' }));
    const answer = await send(
      {},
      { SegmentAttributes: { 'connect:CustomerAuthentication': { ValueString: 'AUTHENTICATED' } } },
      h,
    );
    expectRejected(answer, 'SegmentAttributes.connect:CustomerAuthentication', standIn);
  });

  test('a client’s own segment attributes are kept beside the server’s', async () => {
    const h = await loadHandler(env({ ALLOW_SEGMENT_ATTRIBUTES: 'true' }));
    expectStarted(await send({}, { SegmentAttributes: { tier: { ValueString: 'x' } } }, h));
    expect(lastForwarded(standIn).SegmentAttributes).toEqual({ tier: { ValueString: 'x' }, ...AUTHENTICATED });
  });
});

describe('bad claims, each 401 naming the claim without its value', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a number for CustomerId', { sub: 12345 }, /claim "sub" \(for CustomerId\) must be a string/],
    [
      'an object for the display name',
      { name: { first: 'Grace' } },
      /claim "name" \(for ParticipantDetails.DisplayName\)/,
    ],
    ['an array for an attribute', { tier: ['gold', 'vip'] }, /claim "tier" \(for Attributes.customerTier\)/],
    ['null for an attribute', { tier: null }, /claim "tier"/],
    ['true for an attribute', { tier: true }, /claim "tier"/],
    ['a NUL in CustomerId', { sub: 'crm\u0000-7' }, /claim "sub" .* control characters/],
    ['an escape sequence in the display name', { name: 'Grace\u001b[31m' }, /claim "name" .* control characters/],
    ['a control character in an attribute', { tier: 'gold\r\nX-Injected: 1' }, /claim "tier" .* control characters/],
    ['a lone surrogate in the display name', { name: 'Grace \ud800' }, /claim "name" .* valid Unicode/],
    ['a lone surrogate in an attribute', { tier: '\udfff' }, /claim "tier" .* valid Unicode/],
    ['CustomerId over 128 characters', { sub: 'c'.repeat(129) }, /claim "sub" .* 1-128 characters/],
    ['an empty CustomerId', { sub: '' }, /claim "sub" .* 1-128 characters/],
    ['a display name over 256 characters', { name: 'n'.repeat(257) }, /claim "name" .* 1-256 characters/],
    ['a blank display name', { name: '   ' }, /claim "name"/],
    [
      'attributes that are a string',
      { attributes: 'region=emea' },
      /claim "attributes" \(for Attributes\) must be an object/,
    ],
    ['attributes that are an array', { attributes: ['emea'] }, /claim "attributes" .* must be an object/],
    ['a nested attribute value', { attributes: { region: { code: 'emea' } } }, /claim "attributes" .* has a value/],
    ['a number attribute value', { attributes: { region: 7 } }, /claim "attributes" .* has a value/],
    [
      'an attribute key with a colon',
      { attributes: { 'custom:region': 'emea' } },
      /claim "attributes" .* has a key that is not allowed/,
    ],
    ['an empty attribute key', { attributes: { '': 'emea' } }, /has a key that is not allowed/],
    [
      'a constructor attribute key',
      { attributes: { constructor: 'x' } },
      /has a key that is not allowed: is a reserved name/,
    ],
    [
      'a __proto__ attribute key',
      { attributes: JSON.parse('{"__proto__":"x"}') },
      /has a key that is not allowed: is a reserved name/,
    ],
    [
      'a control character in an attributes value',
      { attributes: { region: 'a\u0007' } },
      /has a value that must not contain control characters/,
    ],
  ];

  test('attributes over Connect’s 32,768 bytes with the ones the endpoint adds', async () => {
    // Arrange: the server's attributes leave 100 bytes; customerTier and its value take 92 bytes, then 212
    const serverValue = 'é'.repeat((32_768 - 'filler'.length - 100) / 2);
    const h = await loadHandler(env({ SERVER_ATTRIBUTES: JSON.stringify({ filler: serverValue }) }));
    // Act
    const fits = await send({ tier: 'g'.repeat(80) }, {}, h);
    const over = await send({ tier: 'g'.repeat(200) }, {}, h);
    // Assert
    expectStarted(fits);
    expect(standIn.startChatCalls()).toHaveLength(1);
    expectUnauthenticated(
      over,
      /bad claim: the attributes from the token, with the ones this endpoint adds, total more than 32768 UTF-8 bytes/,
      {
        standIn,
        callsBefore: 1,
      },
    );
  });

  test.each(cases)('%s', async (_name, claims, problem) => {
    // Act
    const answer = await send(claims);
    // Assert
    expectUnauthenticated(answer, problem, { standIn });
    const text = JSON.stringify(answer.json);
    for (const value of Object.values(claims)) {
      if (typeof value === 'string' && value.length >= 4) expect(text).not.toContain(value);
    }
  });
});

describe('generated hostile claims', () => {
  const hostileString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('\u0000', '\ud800', 'a\u001bb', '__proto__', ' ', '', '\u202e', 'x'.repeat(300)),
  );
  const hostileValue = fc.oneof(
    hostileString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );
  /** Mostly fine, sometimes hostile, so that every check is reached with the others passing. */
  const claim = fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .-]{0,20}$/) },
    { weight: 1, arbitrary: hostileValue },
  );
  const attributeKey = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/) },
    { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'a:b')) },
  );
  const hostileAttributes = fc.oneof(
    hostileValue,
    fc.dictionary(attributeKey, fc.oneof(fc.string({ maxLength: 8 }), hostileValue), { maxKeys: 3 }),
  );

  test('every token is either started with exactly its claims or refused 401 with no call to Connect', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ sub: claim, name: claim, tier: claim, attributes: hostileAttributes }, { requiredKeys: [] }),
        async (claims) => {
          standIn.reset();
          const answer = await send(claims);
          expect([200, 401]).toContain(answer.statusCode);
          if (answer.statusCode === 401) {
            expect(answer.json.error.details[0].message).toMatch(/^has a bad claim/);
            expect(standIn.startChatCalls()).toHaveLength(0);
            return;
          }
          const forwarded = lastForwarded(standIn);
          // Claims the record leaves out keep token()'s defaults.
          expect(forwarded.CustomerId).toBe('sub' in claims ? claims.sub : 'c-1');
          expect(forwarded.ParticipantDetails.DisplayName).toBe(
            'name' in claims ? (claims.name as string).trim() : 'Grace',
          );
          for (const value of [
            forwarded.CustomerId,
            forwarded.ParticipantDetails.DisplayName,
            ...Object.values(forwarded.Attributes ?? {}),
          ]) {
            if (value === undefined) continue;
            expect(typeof value).toBe('string');
            expect((value as string).isWellFormed()).toBe(true);
            expect(value).not.toMatch(/\p{Cc}/u);
          }
          for (const key of Object.keys(forwarded.Attributes ?? {})) expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
        },
      ),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 150) },
    );
  });
});
