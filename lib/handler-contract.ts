/**
 * The contract between the construct and the function it deploys: the environment variables the handler
 * reads, their defaults, and the rules both sides apply to their values. Plain TypeScript without
 * dependencies, so the handler (lambda/config.ts), the construct (lib/) and the local server share this one
 * copy: a deployment that synths is one the handler accepts.
 */

/** Names of the environment variables the handler reads. */
export const HANDLER_ENV = {
  instanceId: 'CONNECT_INSTANCE_ID',
  contactFlowId: 'CONNECT_CONTACT_FLOW_ID',
  allowedContactFlowIds: 'CONNECT_ALLOWED_CONTACT_FLOW_IDS',
  region: 'CONNECT_REGION',
  allowedOrigins: 'ALLOWED_ORIGINS',
  allowedAttributeKeys: 'ALLOWED_ATTRIBUTE_KEYS',
  serverAttributes: 'SERVER_ATTRIBUTES',
  maxChatDurationMinutes: 'MAX_CHAT_DURATION_MINUTES',
  allowPersistentChat: 'ALLOW_PERSISTENT_CHAT',
  allowRelatedContact: 'ALLOW_RELATED_CONTACT',
  allowCustomerId: 'ALLOW_CUSTOMER_ID',
  allowSegmentAttributes: 'ALLOW_SEGMENT_ATTRIBUTES',
  defaultDisplayName: 'DEFAULT_DISPLAY_NAME',
  attachmentsEnabled: 'ATTACHMENTS_ENABLED',
  maxBodyBytes: 'MAX_BODY_BYTES',
  retryBudgetMs: 'CONNECT_RETRY_BUDGET_MS',
  attemptTimeoutMs: 'CONNECT_ATTEMPT_TIMEOUT_MS',
  retryBaseDelayMs: 'CONNECT_RETRY_BASE_DELAY_MS',
  maxAttempts: 'CONNECT_MAX_ATTEMPTS',
  /** The CloudWatch namespace of the handler's metrics (the variable Powertools Metrics reads too). */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** `true` writes no metrics (tests, local runs); the construct never sets it. */
  metricsDisabled: 'POWERTOOLS_METRICS_DISABLED',
  // Verified customer identity (all unset: identity off). See IDENTITY below for the values' rules.
  identitySource: 'IDENTITY_SOURCE',
  identityRequired: 'IDENTITY_REQUIRED',
  identityClaims: 'IDENTITY_CLAIMS',
  identityClockToleranceSeconds: 'IDENTITY_CLOCK_TOLERANCE_SECONDS',
  identityMaxTokenAgeSeconds: 'IDENTITY_MAX_TOKEN_AGE_SECONDS',
  identitySecretId: 'IDENTITY_SECRET_ID',
  identitySecretMaxAgeSeconds: 'IDENTITY_SECRET_MAX_AGE_SECONDS',
  identityWidgetId: 'IDENTITY_WIDGET_ID',
  identityIssuers: 'IDENTITY_ISSUERS',
  identityAudiences: 'IDENTITY_AUDIENCES',
  identityTokenUse: 'IDENTITY_TOKEN_USE',
  identityJwksUri: 'IDENTITY_JWKS_URI',
  identityAlgorithms: 'IDENTITY_ALGORITHMS',
} as const;

/** API Gateway REST APIs end every integration after 29 seconds. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;

/** Connect's own bounds on ChatDurationInMinutes, and its default (25 hours). */
export const CHAT_DURATION_MINUTES = { min: 60, max: 10_080, connectDefault: 1_500 } as const;

export const HANDLER_DEFAULTS = {
  maxChatDurationMinutes: CHAT_DURATION_MINUTES.connectDefault,
  maxBodyBytes: 128 * 1024,
  retryBudgetMs: 25_000,
  attemptTimeoutMs: 3_000,
  retryBaseDelayMs: 1_000,
  maxAttempts: 8,
} as const;

export const HANDLER_LIMITS = {
  maxBodyBytes: { min: 1_024, max: 10 * 1024 * 1024 },
  retryBudgetMs: { min: 1_000, max: API_GATEWAY_TIMEOUT_MS },
  displayNameChars: 256,
} as const;

/**
 * The handler's metrics, written once per request in Embedded Metric Format and read back by the
 * construct's `metric...()` methods and alarms: one copy of the names, so the two cannot drift apart.
 * Every metric has one dimension, the function's name, so two deployments in one account stay apart.
 */
export const METRICS = {
  defaultNamespace: 'StartChatContactApi',
  dimension: 'FunctionName',
  /** Written as 0 or 1 on every request: the Average is a rate, the Sum a count, the SampleCount the requests. */
  outcomes: {
    started: 'ChatsStarted',
    rejected: 'Rejected',
    throttled: 'Throttled',
    capacityExceeded: 'CapacityExceeded',
    upstreamErrors: 'UpstreamErrors',
    internalErrors: 'InternalErrors',
  },
  /** StartChatContact calls made for one request; written only on requests that called Connect. */
  connectAttempts: 'ConnectAttempts',
  /** From the invocation's start to the started chat, retries included; written only for started chats. */
  timeToChat: 'TimeToChat',
} as const;

/**
 * A CloudWatch namespace: 1-255 of letters, digits and `. - _ / # :` or spaces, not only spaces, not
 * starting with `:` or the reserved `AWS/`.
 */
export function isMetricsNamespace(namespace: string): boolean {
  return /^[A-Za-z0-9.\-_/#: ]{1,255}$/.test(namespace) && namespace.trim() !== '' && !/^(:|AWS\/)/.test(namespace);
}

/** The optional request fields a deployer may accept; each is refused unless enabled. */
export interface OptionalFieldSwitches {
  readonly allowPersistentChat: boolean;
  readonly allowRelatedContact: boolean;
  readonly allowCustomerId: boolean;
  readonly allowSegmentAttributes: boolean;
}

/**
 * Amazon Connect instance and contact flow IDs: Connect makes every one a UUID
 * (`11111111-2222-4333-8444-555555555555`), so anything else (a flow's name, a truncated copy) cannot be one.
 */
export const ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** What ID_PATTERN allows, in words, for error messages. */
export const ID_RULE = 'a UUID such as "11111111-2222-4333-8444-555555555555", as Amazon Connect shows it';

/** Where an instance lives, and the IDs an instance or contact flow ARN names. */
export interface ConnectArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly instanceId: string;
  /** Set for a contact flow ARN. */
  readonly contactFlowId: string | undefined;
}

const UUID = ID_PATTERN.source.slice(1, -1);
const CONNECT_ARN = new RegExp(
  `^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\\d{12}):instance/(${UUID})(?:/contact-flow/(${UUID}))?$`,
);

/**
 * Reads an instance ARN (`arn:aws:connect:REGION:ACCOUNT:instance/ID`) or a contact flow ARN
 * (`.../instance/ID/contact-flow/FLOW_ID`); undefined for anything else.
 */
export function parseConnectArn(value: string): ConnectArn | undefined {
  const match = CONNECT_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, account, instanceId, contactFlowId] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  return { partition, region, account, instanceId, contactFlowId };
}

/** Contact attribute keys. */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Normalizes an origin the way browsers serialize the `Origin` header: lower-case scheme and host, no
 * default port, no path. Returns undefined for anything that is not an http(s) origin.
 */
export function normalizeOrigin(origin: string): string | undefined {
  if (!URL.canParse(origin)) return undefined;
  const url = new URL(origin);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (url.pathname !== '/' && url.pathname !== '') return undefined;
  return url.origin;
}

/** Where verified identity tokens come from: the hosted widget's shared secret, a Cognito user pool, an OIDC provider. */
export const IDENTITY_SOURCES = ['shared-secret', 'cognito', 'oidc'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** Which Cognito token the endpoint accepts: the ID token (`aud` = client id) or the access token (`client_id`). */
export const COGNITO_TOKEN_USES = ['id', 'access'] as const;
export type CognitoTokenUseValue = (typeof COGNITO_TOKEN_USES)[number];

/** Asymmetric JWS algorithms a JWKS source may be pinned to. Secret (HS*) algorithms belong to the shared secret only. */
export const JWKS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

/**
 * Which claims fill which StartChatContact fields. A field the mapping names belongs to the token: a verified
 * request may not also send it in the body.
 */
export interface ClaimMapping {
  /** The claim whose string value becomes `CustomerId`. */
  readonly customerId?: string;
  /** The claim whose string value becomes `ParticipantDetails.DisplayName`. */
  readonly displayName?: string;
  /** Contact attribute key → the claim whose string value it takes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** A claim holding an object of string values, copied into `Attributes` as it is (the hosted widget's `attributes`). */
  readonly attributesClaim?: string;
}

/** Rules and defaults of verified identity, shared by the construct and the handler. */
export const IDENTITY = {
  /** Tokens longer than this are refused before any parsing (the hosted widget's own cap is 6,144 bytes). */
  maxTokenChars: 8_192,
  /** The hosted widget's tokens live at most 10 minutes: `exp` − `iat` and the token's age are capped. */
  sharedSecretMaxLifetimeSeconds: 600,
  /** HMAC keys shorter than this are refused (Connect's widget keys are 44 characters). */
  minSecretBytes: 32,
  clockToleranceSeconds: { default: 30, min: 0, max: 300 },
  /** The oldest token (by `iat`) a JWKS source accepts; Cognito's tokens live at most one day. */
  maxTokenAgeSeconds: { default: 86_400, min: 60, max: 7 * 86_400 },
  /** How long the shared secret is cached before it is read again, so a rotation is picked up. */
  secretMaxAgeSeconds: { default: 300, min: 1, max: 3_600 },
  /** Seconds a client is told to wait (`Retry-After`) when the keys cannot be fetched. */
  unavailableRetryAfterSeconds: 5,
  /** What each source maps by default. */
  defaultClaims: {
    'shared-secret': { customerId: 'customerId', attributesClaim: 'attributes' },
    cognito: { customerId: 'sub' },
    oidc: { customerId: 'sub' },
  } satisfies Record<IdentitySource, ClaimMapping>,
  /** Claim names: what JSON allows, within reason. */
  maxClaimNameChars: 256,
  maxWidgetIdChars: 256,
} as const;

/** An https URL, or http on a loopback address (local development and tests). */
export function isIdentityUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

/** The problem with a claim mapping, or undefined when it is valid. Names the part that is wrong. */
export function claimMappingProblem(mapping: unknown): string | undefined {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) return 'must be an object';
  const known = new Set(['customerId', 'displayName', 'attributes', 'attributesClaim']);
  const record = mapping as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!known.has(key)) return `has the unknown field "${key}"; fields: ${[...known].join(', ')}`;
  const claimName = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= IDENTITY.maxClaimNameChars;
  for (const field of ['customerId', 'displayName', 'attributesClaim']) {
    if (record[field] !== undefined && !claimName(record[field]))
      return `${field} must be a claim name (a non-empty string)`;
  }
  const attributes = record.attributes;
  if (attributes !== undefined) {
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
      return 'attributes must be an object of attribute key → claim name';
    for (const [key, claim] of Object.entries(attributes)) {
      if (!ATTRIBUTE_KEY_PATTERN.test(key) || RESERVED_NAMES.has(key))
        return `attributes has the key "${key}"; attribute keys hold only letters, digits, "-" and "_"`;
      if (!claimName(claim)) return `attributes.${key} must be a claim name (a non-empty string)`;
    }
  }
  return undefined;
}

/** Names that could reach an object's prototype; never accepted as keys from requests or tokens. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a claim mapping cannot go with the request policy, or undefined. A field a token fills must not also be
 * open to anonymous clients, or a caller without a token could set what signed-in customers get verified.
 */
export function identityPolicyConflict(
  claims: ClaimMapping,
  policy: { readonly allowCustomerId: boolean; readonly allowedAttributeKeys: Iterable<string> },
): string | undefined {
  if (claims.customerId !== undefined && policy.allowCustomerId) {
    return 'CustomerId comes from the verified token, so clients may not send it: turn allowCustomerId off';
  }
  const mapped = new Set(Object.keys(claims.attributes ?? {}));
  const both = [...policy.allowedAttributeKeys].filter((key) => mapped.has(key));
  if (both.length > 0) {
    return `the attributes ${both.join(', ')} come from the verified token, so clients may not send them: remove them from allowedAttributeKeys`;
  }
  return undefined;
}
