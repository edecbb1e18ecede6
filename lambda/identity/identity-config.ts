/**
 * The verified-identity part of the configuration, read from the `IDENTITY_*` variables the construct sets
 * (names and rules in lib/handler-contract.ts). No `IDENTITY_SOURCE`: identity is off and every request is
 * anonymous, as before. Anything malformed throws a `ConfigurationError` naming the variable.
 */
import {
  type ClaimMapping,
  COGNITO_TOKEN_USES,
  type CognitoTokenUseValue,
  claimMappingProblem,
  HANDLER_ENV,
  IDENTITY,
  IDENTITY_SOURCES,
  type IdentitySource,
  isIdentityUrl,
  JWKS_ALGORITHMS,
} from '../../lib/handler-contract.ts';
import { type Env, flag, integer, list, optional, required } from '../env-values.ts';
import { ConfigurationError } from '../errors.ts';

interface CommonIdentitySettings {
  /** No token: 401 when true; anonymous when false. A bad token is 401 either way. */
  readonly required: boolean;
  readonly claims: ClaimMapping;
  readonly clockToleranceSeconds: number;
  /** The oldest a token may be, by its `iat`. */
  readonly maxTokenAgeSeconds: number;
}

/** The hosted widget's HS256 tokens, verified with a key kept in Secrets Manager. */
export interface SharedSecretIdentitySettings extends CommonIdentitySettings {
  readonly source: 'shared-secret';
  /** The secret's ARN or name. */
  readonly secretId: string;
  /** The expected `sub`. */
  readonly widgetId: string;
  readonly secretMaxAgeSeconds: number;
}

/** Tokens signed by an identity provider that publishes its keys as a JWKS: a Cognito user pool or any OIDC provider. */
export interface JwksIdentitySettings extends CommonIdentitySettings {
  readonly source: 'cognito' | 'oidc';
  /** Accepted `iss` values (Cognito has two forms). */
  readonly issuers: readonly string[];
  /** Accepted `aud` values; for Cognito access tokens, accepted `client_id` values. */
  readonly audiences: readonly string[];
  readonly jwksUri: string;
  readonly algorithms: readonly string[];
  /** Cognito only: which token is accepted. */
  readonly tokenUse: CognitoTokenUseValue | undefined;
}

export type IdentitySettings = SharedSecretIdentitySettings | JwksIdentitySettings;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T {
  const value = required(env, name, `one of ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function claims(env: Env, source: IdentitySource): ClaimMapping {
  const name = HANDLER_ENV.identityClaims;
  const raw = optional(env, name);
  if (raw === undefined) return IDENTITY.defaultClaims[source];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(name, 'must be a JSON object such as {"customerId":"sub"}');
  }
  const problem = claimMappingProblem(parsed);
  if (problem !== undefined) throw new ConfigurationError(name, problem);
  return parsed as ClaimMapping;
}

function urls(env: Env, name: string): string[] {
  const values = list(env, name);
  if (values.length === 0) throw new ConfigurationError(name, 'is required');
  for (const value of values) {
    if (!isIdentityUrl(value)) {
      throw new ConfigurationError(name, `must hold https URLs (http only on a loopback address); got "${value}"`);
    }
  }
  return values;
}

function jwksSettings(env: Env, source: 'cognito' | 'oidc', common: CommonIdentitySettings): JwksIdentitySettings {
  const audiences = list(env, HANDLER_ENV.identityAudiences);
  if (audiences.length === 0) {
    throw new ConfigurationError(HANDLER_ENV.identityAudiences, 'is required: the accepted audiences (client ids)');
  }
  const algorithms = source === 'cognito' ? ['RS256'] : list(env, HANDLER_ENV.identityAlgorithms);
  if (algorithms.length === 0) algorithms.push('RS256');
  for (const algorithm of algorithms) {
    if (!(JWKS_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new ConfigurationError(
        HANDLER_ENV.identityAlgorithms,
        `must list algorithms among ${JWKS_ALGORITHMS.join(', ')} (got "${algorithm}")`,
      );
    }
  }
  const [jwksUri] = urls(env, HANDLER_ENV.identityJwksUri);
  return {
    ...common,
    source,
    issuers: urls(env, HANDLER_ENV.identityIssuers),
    audiences,
    jwksUri: jwksUri!,
    algorithms,
    tokenUse: source === 'cognito' ? oneOf(env, HANDLER_ENV.identityTokenUse, COGNITO_TOKEN_USES) : undefined,
  };
}

/** The identity settings, or undefined when identity is off. */
export function readIdentitySettings(env: Env): IdentitySettings | undefined {
  if (optional(env, HANDLER_ENV.identitySource) === undefined) return undefined;
  const source = oneOf(env, HANDLER_ENV.identitySource, IDENTITY_SOURCES);
  const { clockToleranceSeconds: tolerance, maxTokenAgeSeconds: age, secretMaxAgeSeconds: secretAge } = IDENTITY;
  const common: CommonIdentitySettings = {
    required: flag(env, HANDLER_ENV.identityRequired),
    claims: claims(env, source),
    clockToleranceSeconds: integer(
      env,
      HANDLER_ENV.identityClockToleranceSeconds,
      tolerance.default,
      tolerance.min,
      tolerance.max,
    ),
    maxTokenAgeSeconds:
      source === 'shared-secret'
        ? IDENTITY.sharedSecretMaxLifetimeSeconds
        : integer(env, HANDLER_ENV.identityMaxTokenAgeSeconds, age.default, age.min, age.max),
  };
  if (source !== 'shared-secret') return jwksSettings(env, source, common);

  const widgetId = required(env, HANDLER_ENV.identityWidgetId, "the widget id that the tokens' sub must equal");
  if (widgetId.length > IDENTITY.maxWidgetIdChars) {
    throw new ConfigurationError(
      HANDLER_ENV.identityWidgetId,
      `must be at most ${IDENTITY.maxWidgetIdChars} characters`,
    );
  }
  return {
    ...common,
    source,
    secretId: required(
      env,
      HANDLER_ENV.identitySecretId,
      'the ARN or name of the Secrets Manager secret holding the key',
    ),
    widgetId,
    secretMaxAgeSeconds: integer(
      env,
      HANDLER_ENV.identitySecretMaxAgeSeconds,
      secretAge.default,
      secretAge.min,
      secretAge.max,
    ),
  };
}
