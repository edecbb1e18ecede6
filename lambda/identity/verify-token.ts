/**
 * Verifies an identity token with `jose` and returns its claims, or throws: a 401 `UnauthenticatedError`
 * saying which problem the token has, or a 503 `IdentityUnavailableError` when the keys cannot be fetched.
 *
 * Every source pins its algorithms (HS256 for the shared secret; RS256 or what the deployer lists for JWKS
 * sources), requires `exp` and `iat`, rejects an `iat` in the future and a token older than the source's
 * maximum age, with a small clock tolerance. Headers that name keys (`jku`, `x5u`, `jwk`) are never
 * followed; `kid` only selects among the keys the provider publishes.
 *
 * The handler imports this module on the first request that carries a token, so `jose`, the JWKS client
 * and the Secrets Manager client cost nothing at cold start; the JWKS client and the keys are then kept for
 * the container's life (the JWKS refetched after 10 minutes, or on an unknown `kid` at most every 30 s).
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from 'jose';
import { IDENTITY } from '../../lib/handler-contract.ts';
import type { TokenProblem } from '../errors.ts';
import type { IdentitySettings, JwksIdentitySettings, SharedSecretIdentitySettings } from './identity-config.ts';
import { createSecretKeys, SecretKeysError } from './secret-keys.ts';

/**
 * What became of a token. Plain data, not the handler's HTTP errors: the caller (authenticate.ts) turns a
 * rejection into 401 and unavailable keys into 503.
 */
export type VerificationResult =
  | { readonly outcome: 'verified'; readonly payload: JWTPayload }
  | {
      readonly outcome: 'rejected';
      readonly problem: TokenProblem;
      readonly explanation: string | undefined;
      readonly cause: unknown;
    }
  | { readonly outcome: 'unavailable'; readonly reason: string; readonly cause: unknown };

export type TokenVerifier = (token: string) => Promise<VerificationResult>;

/** How long one JWKS fetch may take before the request gets 503. */
const JWKS_TIMEOUT_MS = 3_000;

/** A rejection decided here (beyond jose's own checks). */
class Rejection extends Error {
  readonly problem: TokenProblem;
  readonly explanation: string | undefined;

  constructor(problem: TokenProblem, explanation?: string) {
    super(problem);
    this.problem = problem;
    this.explanation = explanation;
  }
}

/** The provider's keys could not be fetched. */
class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super('jwks_unreachable', { cause });
  }
}

interface JoseError {
  readonly code: string;
  readonly claim?: string;
  readonly reason?: string;
}

function joseError(error: unknown): JoseError | undefined {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && error.name.startsWith('J')
    ? (error as unknown as JoseError)
    : undefined;
}

function rejected(problem: TokenProblem, explanation: string | undefined, cause: unknown): VerificationResult {
  return { outcome: 'rejected', problem, explanation, cause };
}

/** What a failed verification means for the caller. Claim names here are the standard ones jose checks. */
export function toResult(error: unknown, algorithms: readonly string[]): VerificationResult {
  if (error instanceof Rejection) return rejected(error.problem, error.explanation, undefined);
  if (error instanceof KeysUnavailable)
    return { outcome: 'unavailable', reason: 'jwks_unreachable', cause: error.cause };
  if (error instanceof SecretKeysError) return { outcome: 'unavailable', reason: error.problem, cause: error.cause };
  const jose = joseError(error);
  const claim = jose?.claim;
  switch (jose?.code) {
    case 'ERR_JWT_EXPIRED':
      return rejected('expired', claim === 'iat' ? 'it was issued too long ago' : undefined, error);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (jose.reason === 'missing') {
        if (claim === 'aud' || claim === 'sub') return rejected('wrong_audience', `it has no "${claim}"`, error);
        if (claim === 'iss') return rejected('wrong_issuer', 'it has no "iss"', error);
        return rejected('bad_claim', `the "${claim}" claim is missing`, error);
      }
      if (jose.reason === 'invalid') return rejected('bad_claim', `the "${claim}" claim must be a number`, error);
      if (claim === 'nbf') return rejected('not_yet_valid', undefined, error);
      if (claim === 'iat') return rejected('not_yet_valid', 'it is issued in the future', error);
      if (claim === 'iss') return rejected('wrong_issuer', undefined, error);
      if (claim === 'sub') return rejected('wrong_audience', 'its "sub" is not this widget', error);
      if (claim === 'aud') return rejected('wrong_audience', undefined, error);
      return rejected('bad_claim', `the "${claim}" claim is not accepted`, error);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return rejected('bad_signature', `its algorithm is not accepted (accepted: ${algorithms.join(', ')})`, error);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return rejected('bad_signature', undefined, error);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return rejected('bad_signature', 'no single key of the identity provider matches it', error);
    default:
      // ERR_JWS_INVALID, ERR_JWT_INVALID, ERR_JOSE_NOT_SUPPORTED (unknown crit), and a key that cannot verify it.
      return rejected('malformed', undefined, error);
  }
}

function commonOptions(settings: IdentitySettings, algorithms: string[]): JWTVerifyOptions {
  return {
    algorithms,
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: settings.maxTokenAgeSeconds,
    clockTolerance: settings.clockToleranceSeconds,
  };
}

function sharedSecretVerifier(settings: SharedSecretIdentitySettings): TokenVerifier {
  const keys = createSecretKeys(settings);
  const algorithms = ['HS256'];
  const options: JWTVerifyOptions = {
    ...commonOptions(settings, algorithms),
    requiredClaims: ['exp', 'iat', 'sub'],
    subject: settings.widgetId,
  };
  const verify = async (token: string): Promise<JWTPayload> => {
    let failure: unknown;
    for (const key of await keys.get()) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        // Only a signature that does not match tries the next key (the previous one, during a rotation).
        if (joseError(error)?.code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw error;
        failure = error;
      }
    }
    throw failure;
  };
  return async (token) => {
    try {
      const payload = await verify(token);
      // The hosted widget's tokens live at most 10 minutes.
      if ((payload.exp as number) - (payload.iat as number) > IDENTITY.sharedSecretMaxLifetimeSeconds) {
        return rejected(
          'bad_claim',
          `"exp" is more than ${IDENTITY.sharedSecretMaxLifetimeSeconds} seconds after "iat"`,
          undefined,
        );
      }
      return { outcome: 'verified', payload };
    } catch (error) {
      return toResult(error, algorithms);
    }
  };
}

/** The provider's keys; a fetch that fails (network, status, timeout, not a JWKS) is not the token's fault. */
function jwksKeys(jwksUri: string): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: JWKS_TIMEOUT_MS });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      const code = joseError(error)?.code;
      if (
        code === 'ERR_JWKS_NO_MATCHING_KEY' ||
        code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' ||
        code === 'ERR_JOSE_NOT_SUPPORTED'
      ) {
        throw error;
      }
      throw new KeysUnavailable(error);
    }
  };
}

function jwksVerifier(settings: JwksIdentitySettings): TokenVerifier {
  const keys = jwksKeys(settings.jwksUri);
  const algorithms = [...settings.algorithms];
  const cognitoAccess = settings.source === 'cognito' && settings.tokenUse === 'access';
  const options: JWTVerifyOptions = {
    ...commonOptions(settings, algorithms),
    issuer: [...settings.issuers],
    // Cognito access tokens carry no `aud`: their client is `client_id`, checked below.
    ...(!cognitoAccess && { audience: [...settings.audiences] }),
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, options));
    } catch (error) {
      return toResult(error, algorithms);
    }
    if (settings.source === 'cognito') {
      if (payload.token_use !== settings.tokenUse) {
        return rejected('wrong_audience', `this endpoint accepts Cognito ${settings.tokenUse} tokens`, undefined);
      }
      if (cognitoAccess && !(typeof payload.client_id === 'string' && settings.audiences.includes(payload.client_id))) {
        return rejected('wrong_audience', 'its "client_id" is not an accepted app client', undefined);
      }
    }
    return { outcome: 'verified', payload };
  };
}

export function createTokenVerifier(settings: IdentitySettings): TokenVerifier {
  return settings.source === 'shared-secret' ? sharedSecretVerifier(settings) : jwksVerifier(settings);
}
