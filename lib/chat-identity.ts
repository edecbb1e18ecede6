/**
 * `ChatIdentity`: where the `identity` prop's tokens come from. One static factory per source, each
 * checking its props at once (an error names the prop, the value and the fix):
 *
 * - `ChatIdentity.sharedSecret`: the hosted communications widget's tokens (HS256 with a key kept in
 *   Secrets Manager); the function may read exactly that secret (and decrypt through its key, if it has one).
 * - `ChatIdentity.cognito`: ID or access tokens of an Amazon Cognito user pool.
 * - `ChatIdentity.oidc`: any OpenID Connect provider, by issuer, audience and JWKS URL.
 *
 * The JWKS sources need no permission: the function fetches the provider's public keys over HTTPS.
 * `bind` turns the choice into the function's IDENTITY_* variables (lib/handler-contract.ts).
 */
import { type Duration, Stack, Token } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  type ClaimMapping,
  type CognitoTokenUseValue,
  claimMappingProblem,
  HANDLER_ENV,
  IDENTITY,
  type IdentitySource,
  isIdentityUrl,
  JWKS_ALGORITHMS,
} from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';

/** Which Cognito token the endpoint accepts (an enum-like class, as CDK's own `Runtime`). */
export class CognitoTokenUse {
  /** ID tokens: `aud` is the app client id; they carry the user's attributes (`email`, `name`, `custom:*`). */
  public static readonly ID = new CognitoTokenUse('id');
  /** Access tokens: `client_id` is the app client id. */
  public static readonly ACCESS = new CognitoTokenUse('access');

  /** The `token_use` claim value. */
  public readonly value: CognitoTokenUseValue;

  private constructor(value: CognitoTokenUseValue) {
    this.value = value;
  }
}

/** Which claims of a verified token fill which StartChatContact fields. */
export interface ChatIdentityClaims {
  /**
   * The claim whose value becomes `CustomerId` (1-128 characters).
   *
   * @default - `customerId` for sharedSecret (the hosted widget's claim), `sub` for cognito and oidc
   */
  readonly customerId?: string;

  /**
   * The claim whose value becomes the display name (1-256 characters); a verified request then may not
   * send `ParticipantDetails.DisplayName`.
   *
   * @default - none: the display name comes from the request (or `defaultDisplayName`)
   */
  readonly displayName?: string;

  /**
   * Contact attributes from single claims: attribute key → claim name, such as `{ plan: 'custom:plan' }`.
   * These keys may not also be in `allowedAttributeKeys`.
   *
   * @default - none
   */
  readonly attributes?: Record<string, string>;

  /**
   * A claim holding an object of string values, copied into the contact attributes as it is.
   *
   * @default - `attributes` for sharedSecret (the hosted widget's claim), none for cognito and oidc
   */
  readonly attributesClaim?: string;
}

/** Settings every identity source has. */
export interface ChatIdentityOptions {
  /**
   * Whether every request must carry a valid token. When false, a request without a token starts an
   * anonymous chat as before; a request with a bad token is refused either way (401 UNAUTHENTICATED).
   *
   * @default false
   */
  readonly required?: boolean;

  /**
   * Which claims fill `CustomerId`, the display name and contact attributes.
   *
   * @default - see `ChatIdentityClaims`
   */
  readonly claims?: ChatIdentityClaims;

  /**
   * How far the function's clock and the issuer's may disagree when `exp`, `nbf` and `iat` are checked
   * (0 to 5 minutes).
   *
   * @default Duration.seconds(30)
   */
  readonly clockTolerance?: Duration;
}

/** The hosted communications widget's tokens, verified with its security key. */
export interface SharedSecretIdentityProps extends ChatIdentityOptions {
  /**
   * The Secrets Manager secret holding the widget's security key: the key as the secret's string, or
   * `{"current": "...", "previous": "..."}` while rotating (both are accepted). Keys of at least 32 bytes.
   */
  readonly secret: ISecret;

  /** The widget id the tokens are issued for: their `sub` must equal it. */
  readonly widgetId: string;

  /**
   * How long the function keeps the key before reading the secret again, and so how soon a rotation is
   * picked up (1 second to 1 hour).
   *
   * @default Duration.minutes(5)
   */
  readonly secretMaxAge?: Duration;
}

/** Tokens of an Amazon Cognito user pool. */
export interface CognitoIdentityProps extends ChatIdentityOptions {
  /** The user pool. Both of its issuer forms are accepted (`cognito-idp` and `issuer-cognito-idp`). */
  readonly userPool: IUserPool;

  /** The app clients whose tokens are accepted. */
  readonly clients: IUserPoolClient[];

  /** Whether ID tokens or access tokens are accepted. */
  readonly tokenUse: CognitoTokenUse;

  /**
   * The oldest token accepted, by its `iat` (1 minute to 7 days).
   *
   * @default Duration.days(1) (Cognito's longest token lifetime)
   */
  readonly maxTokenAge?: Duration;
}

/** Tokens of an OpenID Connect provider (Auth0, Okta, Entra ID, ...). */
export interface OidcIdentityProps extends ChatIdentityOptions {
  /** The exact `iss` of the tokens, such as `https://example.eu.auth0.com/` (mind a trailing slash). */
  readonly issuer: string;

  /** Accepted `aud` values (the API identifier or client id); a token must name one of them. */
  readonly audience: string[];

  /** The provider's JWKS URL, from its discovery document's `jwks_uri`. HTTPS. */
  readonly jwksUri: string;

  /**
   * The signing algorithms accepted: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512.
   *
   * @default ['RS256']
   */
  readonly algorithms?: string[];

  /**
   * The oldest token accepted, by its `iat` (1 minute to 7 days).
   *
   * @default Duration.days(1)
   */
  readonly maxTokenAge?: Duration;
}

/** What a `ChatIdentity` gives the function. */
export interface ChatIdentityConfig {
  /** The function's IDENTITY_* variables. */
  readonly environment: Record<string, string>;
  /** What the function's role needs: reading the shared secret; nothing for JWKS sources. */
  readonly policyStatements: PolicyStatement[];
  /** Which claims fill which fields, for the checks against the request policy. */
  readonly claims: ChatIdentityClaims;
}

function known(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

function seconds(prop: string, value: Duration | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const result = value.toSeconds({ integral: false });
  if (known(result) && (!Number.isInteger(result) || result < min || result > max)) {
    throw invalidProp(prop, value, `must be a whole number of seconds from ${min} to ${max}`);
  }
  return result;
}

function text(prop: string, value: unknown, max = 2_048): string {
  if (
    typeof value !== 'string' ||
    (known(value) && (value.trim() === '' || value.length > max || /\p{Cc}/u.test(value)))
  ) {
    throw invalidProp(prop, value, `must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function httpsUrl(prop: string, value: string): string {
  text(prop, value);
  if (known(value) && !(isIdentityUrl(value) && value.startsWith('https://'))) {
    throw invalidProp(prop, value, 'must be an https URL, such as "https://login.example.com/.well-known/jwks.json"');
  }
  return value;
}

function claimMapping(source: IdentitySource, claims: ChatIdentityClaims | undefined): ChatIdentityClaims {
  if (claims === undefined) return IDENTITY.defaultClaims[source];
  const defined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  const problem = claimMappingProblem(defined);
  if (problem !== undefined) throw invalidProp('identity.claims', claims, problem);
  return defined as ClaimMapping;
}

/** The variables every source sets. */
function commonEnvironment(source: IdentitySource, options: ChatIdentityOptions): Record<string, string> {
  const { clockToleranceSeconds: tolerance } = IDENTITY;
  return {
    [HANDLER_ENV.identitySource]: source,
    [HANDLER_ENV.identityRequired]: String(options.required ?? false),
    [HANDLER_ENV.identityClaims]: JSON.stringify(claimMapping(source, options.claims)),
    [HANDLER_ENV.identityClockToleranceSeconds]: String(
      seconds('identity.clockTolerance', options.clockTolerance, tolerance.default, tolerance.min, tolerance.max),
    ),
  };
}

function maxTokenAge(value: Duration | undefined): string {
  const { maxTokenAgeSeconds: age } = IDENTITY;
  return String(seconds('identity.maxTokenAge', value, age.default, age.min, age.max));
}

/**
 * Where verified customer identity comes from, for `StartChatContactApiProps.identity`. A verified token
 * sets `connect:CustomerAuthentication` to AUTHENTICATED and fills the mapped fields.
 */
export abstract class ChatIdentity {
  /** Tokens in the hosted communications widget's format: HS256 with the widget's security key. */
  public static sharedSecret(props: SharedSecretIdentityProps): ChatIdentity {
    const widgetId = text('identity.widgetId', props.widgetId, IDENTITY.maxWidgetIdChars);
    const { secretMaxAgeSeconds: maxAge } = IDENTITY;
    const secretMaxAge = seconds('identity.secretMaxAge', props.secretMaxAge, maxAge.default, maxAge.min, maxAge.max);
    const environment = commonEnvironment('shared-secret', props);
    const { secret } = props;
    if (secret === undefined) throw invalidProp('identity.secret', secret, 'is required: the secret holding the key');
    return new BoundIdentity(environment, props.claims, 'shared-secret', (scope) => {
      // A secret imported by name has no full ARN: its ARN ends in six characters the policy cannot know.
      const secretResource = secret.secretFullArn ?? `${secret.secretArn}-??????`;
      const statements = [
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretResource] }),
      ];
      if (secret.encryptionKey !== undefined) {
        statements.push(
          new PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [secret.encryptionKey.keyArn],
            conditions: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${secret.env.region}.${Stack.of(scope).urlSuffix}` },
            },
          }),
        );
      }
      return {
        environment: {
          [HANDLER_ENV.identitySecretId]: secret.secretFullArn ?? secret.secretName,
          [HANDLER_ENV.identityWidgetId]: widgetId,
          [HANDLER_ENV.identitySecretMaxAgeSeconds]: String(secretMaxAge),
        },
        statements,
      };
    });
  }

  /** ID or access tokens of an Amazon Cognito user pool. */
  public static cognito(props: CognitoIdentityProps): ChatIdentity {
    if (props.userPool === undefined) throw invalidProp('identity.userPool', undefined, 'is required');
    if (!Array.isArray(props.clients) || props.clients.length === 0) {
      throw invalidProp('identity.clients', props.clients, 'must list at least one app client of the user pool');
    }
    if (props.tokenUse !== CognitoTokenUse.ID && props.tokenUse !== CognitoTokenUse.ACCESS) {
      throw invalidProp('identity.tokenUse', props.tokenUse, 'must be CognitoTokenUse.ID or CognitoTokenUse.ACCESS');
    }
    const environment = {
      ...commonEnvironment('cognito', props),
      [HANDLER_ENV.identityTokenUse]: props.tokenUse.value,
      [HANDLER_ENV.identityAudiences]: props.clients.map((client) => client.userPoolClientId).join(','),
      [HANDLER_ENV.identityMaxTokenAgeSeconds]: maxTokenAge(props.maxTokenAge),
    };
    const { userPool } = props;
    return new BoundIdentity(environment, props.claims, 'cognito', (scope) => {
      const host = `${userPool.env.region}.${Stack.of(scope).urlSuffix}/${userPool.userPoolId}`;
      return {
        environment: {
          [HANDLER_ENV.identityIssuers]: `https://cognito-idp.${host},https://issuer-cognito-idp.${host}`,
          [HANDLER_ENV.identityJwksUri]: `https://cognito-idp.${host}/.well-known/jwks.json`,
        },
        statements: [],
      };
    });
  }

  /** Tokens of an OpenID Connect provider, verified with the keys at its JWKS URL. */
  public static oidc(props: OidcIdentityProps): ChatIdentity {
    const issuer = text('identity.issuer', props.issuer);
    if (known(issuer) && !issuer.startsWith('https://')) {
      throw invalidProp('identity.issuer', issuer, 'must be the https URL the tokens carry in "iss"');
    }
    if (!Array.isArray(props.audience) || props.audience.length === 0) {
      throw invalidProp('identity.audience', props.audience, 'must list at least one accepted "aud" value');
    }
    props.audience.forEach((audience, index) => {
      text(`identity.audience[${index}]`, audience);
      if (known(audience) && audience.includes(',')) {
        throw invalidProp(`identity.audience[${index}]`, audience, 'must not contain a comma');
      }
    });
    const algorithms = props.algorithms ?? ['RS256'];
    const allowed = JWKS_ALGORITHMS as readonly string[];
    if (algorithms.length === 0 || algorithms.some((algorithm) => !allowed.includes(algorithm))) {
      throw invalidProp('identity.algorithms', algorithms, `must list algorithms among ${allowed.join(', ')}`);
    }
    const environment = {
      ...commonEnvironment('oidc', props),
      [HANDLER_ENV.identityIssuers]: issuer,
      [HANDLER_ENV.identityAudiences]: props.audience.join(','),
      [HANDLER_ENV.identityJwksUri]: httpsUrl('identity.jwksUri', props.jwksUri),
      [HANDLER_ENV.identityAlgorithms]: algorithms.join(','),
      [HANDLER_ENV.identityMaxTokenAgeSeconds]: maxTokenAge(props.maxTokenAge),
    };
    return new BoundIdentity(environment, props.claims, 'oidc', () => ({ environment: {}, statements: [] }));
  }

  /** The function's variables and permissions for this source. */
  public abstract bind(scope: Construct): ChatIdentityConfig;
}

/** What a source adds once it knows the construct it is bound to. */
type Binder = (scope: Construct) => {
  readonly environment: Record<string, string>;
  readonly statements: PolicyStatement[];
};

class BoundIdentity extends ChatIdentity {
  private readonly environment: Record<string, string>;
  private readonly claims: ChatIdentityClaims;
  private readonly binder: Binder;

  constructor(
    environment: Record<string, string>,
    claims: ChatIdentityClaims | undefined,
    source: IdentitySource,
    binder: Binder,
  ) {
    super();
    this.environment = environment;
    this.claims = claimMapping(source, claims);
    this.binder = binder;
  }

  public bind(scope: Construct): ChatIdentityConfig {
    const bound = this.binder(scope);
    return {
      environment: { ...this.environment, ...bound.environment },
      policyStatements: bound.statements,
      claims: this.claims,
    };
  }
}
