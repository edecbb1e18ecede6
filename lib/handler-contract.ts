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
