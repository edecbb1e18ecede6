/**
 * A local development identity provider, so a widget developer tries the signed-in path of `npm start` with
 * no AWS and no identity provider of their own. It has its own keys, made at start, and serves on loopback:
 *
 * - `GET /.well-known/jwks.json`: its public keys (RS256 and ES256), what the handler verifies OIDC tokens
 *   with; `GET /.well-known/openid-configuration` points to it.
 * - `POST /token`: a token for a test customer, `{"access_token", "token_type": "Bearer", "expires_in",
 *   "claims"}`. The JSON body may choose `sub`, `name` and `tier` (defaults: a test customer). CORS is open
 *   (`*`): any page on this machine may fetch test tokens, which only this local API accepts.
 *
 * Two kinds of token, as the deployed endpoint can be configured: `oidc` (RS256, signed with its key; the
 * handler fetches the JWKS) or `shared-secret` (HS256, the hosted widget's format: `sub` = the widget id,
 * `customerId`, `attributes`, at most 10 minutes; the key is handed to the Secrets Manager stand-in).
 * `handlerEnvironment()` gives the handler's variables for the chosen kind.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { isPlainObject } from '../lambda/is-plain-object.ts';
import { HANDLER_ENV, IDENTITY } from '../lib/handler-contract.ts';
import { closeServer, listen } from './listen.ts';
import { readBody } from './read-body.ts';

export type DevIdentityKind = 'oidc' | 'shared-secret';

/** The audience of the provider's OIDC tokens, and the widget id of its shared-secret tokens. */
export const DEV_AUDIENCE = 'start-chat-local';
export const DEV_WIDGET_ID = 'local-widget';
/** The Secrets Manager secret holding the shared key, in the stand-in. */
export const DEV_SECRET_NAME = 'start-chat-local/widget-security-key';

/**
 * The claims each kind maps: CustomerId and a `customerTier` attribute. Not the display name, so a page
 * sends the same body signed in or not (a mapped display name would make the body's a field the token owns).
 */
export const DEV_CLAIM_MAPPING = {
  oidc: { customerId: 'sub', attributes: { customerTier: 'tier' } },
  'shared-secret': { customerId: 'customerId', attributesClaim: 'attributes' },
} as const;

export const TEST_CUSTOMER = { sub: 'test-customer-0001', name: 'Test Customer', tier: 'gold' } as const;

export interface DevIdentityProviderOptions {
  readonly kind: DevIdentityKind;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Lifetime of the tokens it issues. @default 600 (the hosted widget's maximum) */
  readonly tokenLifetimeSeconds?: number;
}

export interface DevIdentityProvider {
  readonly kind: DevIdentityKind;
  /** Its base URL, also the `iss` of its OIDC tokens. */
  readonly url: string;
  readonly tokenUrl: string;
  readonly jwksUri: string;
  /** The HS256 key (44 characters, as the hosted widget's), for the Secrets Manager stand-in. */
  readonly sharedKey: string;
  /** The handler's IDENTITY_* variables for this provider (the secret id for shared-secret mode). */
  handlerEnvironment(secretId?: string): Record<string, string>;
  /** A token for a customer, as `POST /token` makes it. */
  issueToken(customer?: Partial<Record<keyof typeof TEST_CUSTOMER, string>>): Promise<string>;
  /** Signs any claims with its own key and algorithm (RS256, ES256 or HS256), for tests. */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** Makes `GET /.well-known/jwks.json` answer 503 (false) or normally again (true). */
  setKeysAvailable(available: boolean): void;
  /** Replaces its signing keys; the JWKS then publishes only the new ones. */
  rotateKeys(): Promise<void>;
  /** JWKS requests served. */
  jwksRequests(): number;
  close(): Promise<void>;
}

export interface SignOptions {
  readonly alg?: 'RS256' | 'ES256' | 'HS256';
  readonly kid?: string;
  /** Further protected header parameters; those named in `crit` are marked as understood by the signer. */
  readonly header?: Readonly<Record<string, unknown>>;
}

interface SigningKey {
  readonly alg: 'RS256' | 'ES256';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function signingKey(alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `dev-${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A small JSON object body; anything else (too large, not JSON, not an object) reads as `{}`. */
async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const { body, tooLarge } = await readBody(request, 4_096, 0);
  if (tooLarge) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const lifetime = options.tokenLifetimeSeconds ?? IDENTITY.sharedSecretMaxLifetimeSeconds;
  const sharedKey = randomBytes(32).toString('base64');
  const hmacKey = new TextEncoder().encode(sharedKey);
  let keys = [await signingKey('RS256'), await signingKey('ES256')];
  let keysAvailable = true;
  let jwksRequests = 0;
  let url = '';

  const sign: DevIdentityProvider['sign'] = async (claims, signOptions = {}) => {
    const alg = signOptions.alg ?? (options.kind === 'oidc' ? 'RS256' : 'HS256');
    const extra = signOptions.header ?? {};
    const crit = Array.isArray(extra.crit) ? Object.fromEntries(extra.crit.map((name) => [String(name), true])) : {};
    if (alg === 'HS256') {
      return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', ...extra }).sign(hmacKey, { crit });
    }
    const key = keys.find((candidate) => candidate.alg === alg)!;
    return new SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT', kid: signOptions.kid ?? key.kid, ...extra })
      .sign(key.privateKey, { crit });
  };

  const issueToken: DevIdentityProvider['issueToken'] = async (customer = {}) => {
    const who = { ...TEST_CUSTOMER, ...customer };
    const iat = Math.floor(Date.now() / 1000);
    const times = { iat, exp: iat + lifetime };
    if (options.kind === 'shared-secret') {
      return sign({ sub: DEV_WIDGET_ID, ...times, customerId: who.sub, attributes: { customerTier: who.tier } });
    }
    return sign({ iss: url, aud: DEV_AUDIENCE, sub: who.sub, name: who.name, tier: who.tier, ...times });
  };

  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' };
  const sendJson = (response: ServerResponse, status: number, body: unknown) =>
    response
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors })
      .end(JSON.stringify(body));

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'OPTIONS') {
      request.resume();
      return void response.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST' }).end();
    }
    if (request.method === 'GET' && path === '/.well-known/jwks.json') {
      request.resume();
      jwksRequests++;
      if (!keysAvailable) return sendJson(response, 503, { message: 'keys unavailable (simulated)' });
      return sendJson(response, 200, { keys: keys.map((key) => key.publicJwk) });
    }
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
      request.resume();
      return sendJson(response, 200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks.json`,
        token_endpoint: `${url}/token`,
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    }
    if (request.method === 'POST' && path === '/token') {
      const body = await readJson(request);
      const pick = (name: keyof typeof TEST_CUSTOMER) =>
        typeof body[name] === 'string' && body[name] !== '' ? { [name]: body[name] as string } : {};
      const customer = { ...pick('sub'), ...pick('name'), ...pick('tier') };
      const token = await issueToken(customer);
      const [, payload] = token.split('.');
      return sendJson(response, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: lifetime,
        claims: JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')),
      });
    }
    request.resume();
    sendJson(response, 404, { message: 'Not found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const port = await listen(server, options.port ?? 0, '127.0.0.1', 'the local identity provider');
  url = `http://127.0.0.1:${port}`;

  return {
    kind: options.kind,
    url,
    tokenUrl: `${url}/token`,
    jwksUri: `${url}/.well-known/jwks.json`,
    sharedKey,
    handlerEnvironment: (secretId = DEV_SECRET_NAME) => {
      const common = { [HANDLER_ENV.identityClaims]: JSON.stringify(DEV_CLAIM_MAPPING[options.kind]) };
      if (options.kind === 'shared-secret') {
        return {
          ...common,
          [HANDLER_ENV.identitySource]: 'shared-secret',
          [HANDLER_ENV.identitySecretId]: secretId,
          [HANDLER_ENV.identityWidgetId]: DEV_WIDGET_ID,
        };
      }
      return {
        ...common,
        [HANDLER_ENV.identitySource]: 'oidc',
        [HANDLER_ENV.identityIssuers]: url,
        [HANDLER_ENV.identityAudiences]: DEV_AUDIENCE,
        [HANDLER_ENV.identityJwksUri]: `${url}/.well-known/jwks.json`,
        [HANDLER_ENV.identityAlgorithms]: 'RS256,ES256',
      };
    },
    issueToken,
    sign,
    setKeysAvailable: (available) => {
      keysAvailable = available;
    },
    rotateKeys: async () => {
      keys = [await signingKey('RS256'), await signingKey('ES256')];
    },
    jwksRequests: () => jwksRequests,
    close: () => closeServer(server),
  };
}
