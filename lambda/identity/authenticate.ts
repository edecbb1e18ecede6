/**
 * The identity step of a request: finds the bearer token, applies the policy (`required`: no token is a
 * 401; optional: no token is an anonymous request; a bad token is a 401 either way, never anonymous),
 * verifies it and maps its claims. With identity off, every request is anonymous and the token is ignored.
 *
 * The verifier (jose, the JWKS client, the Secrets Manager client) is imported on the first request that
 * carries a token, not when the function starts: a deployment pays for it only when it uses it, and then
 * once per container.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { IDENTITY } from '../../lib/handler-contract.ts';
import { IdentityUnavailableError, UnauthenticatedError } from '../errors.ts';
import { bearerToken } from './bearer-token.ts';
import { mapClaims, type VerifiedIdentity } from './claim-mapping.ts';
import type { IdentitySettings } from './identity-config.ts';
import type { TokenVerifier } from './verify-token.ts';

export type { VerifiedIdentity } from './claim-mapping.ts';

type IdentityEvent = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders' | 'queryStringParameters'>;

/** Resolves to the verified identity, or undefined for an anonymous request; throws 401 or 503. */
export type Authenticate = (event: IdentityEvent) => Promise<VerifiedIdentity | undefined>;

export function createAuthenticator(
  settings: IdentitySettings | undefined,
  defaultDisplayName: string | undefined,
): Authenticate {
  if (settings === undefined) return async () => undefined;
  let verifier: Promise<TokenVerifier> | undefined;
  const loadVerifier = () => {
    if (verifier === undefined) {
      verifier = import('./verify-token.ts').then(({ createTokenVerifier }) => createTokenVerifier(settings));
      // A failed load is tried again by the next request rather than kept.
      verifier.catch(() => {
        verifier = undefined;
      });
    }
    return verifier;
  };

  return async (event) => {
    const token = bearerToken(event);
    if (token === undefined) {
      if (settings.required) throw new UnauthenticatedError('missing');
      return undefined;
    }
    const verify = await loadVerifier();
    const result = await verify(token);
    if (result.outcome === 'unavailable') {
      throw new IdentityUnavailableError(IDENTITY.unavailableRetryAfterSeconds, result.reason, result.cause);
    }
    if (result.outcome === 'rejected') throw new UnauthenticatedError(result.problem, result.explanation, result.cause);
    return mapClaims(result.payload, settings.claims, defaultDisplayName);
  };
}
