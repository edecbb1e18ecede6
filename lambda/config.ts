/**
 * The deployer's configuration, read once from the function's environment when the module loads.
 * Anything missing or malformed throws a `ConfigurationError` naming the variable, so a bad deployment
 * fails at its first invocation with a clear message instead of answering requests wrongly.
 */
import {
  API_GATEWAY_TIMEOUT_MS,
  ATTRIBUTE_KEY_PATTERN,
  CHAT_DURATION_MINUTES,
  HANDLER_DEFAULTS,
  HANDLER_ENV,
  HANDLER_LIMITS,
  ID_PATTERN,
  ID_RULE,
  identityPolicyConflict,
  isMetricsNamespace,
  METRICS,
  normalizeOrigin,
  type OptionalFieldSwitches,
} from '../lib/handler-contract.ts';
import { type Env, flag, integer, list, optional, required } from './env-values.ts';
import { ConfigurationError } from './errors.ts';
import { type IdentitySettings, readIdentitySettings } from './identity/identity-config.ts';
import { isPlainObject } from './is-plain-object.ts';

/** `'*'` allows every origin; otherwise the exact, normalized origins that may call from a browser. */
export type AllowedOrigins = '*' | ReadonlySet<string>;

export interface RetrySettings {
  /** Longest time the handler spends on Connect for one request, retries included. */
  readonly budgetMs: number;
  /** Longest a single StartChatContact call may take before it is abandoned and retried. */
  readonly attemptTimeoutMs: number;
  /** Upper bound of the first retry's random delay. */
  readonly baseDelayMs: number;
  /** Most StartChatContact calls for one request. */
  readonly maxAttempts: number;
}

export interface HandlerConfig extends OptionalFieldSwitches {
  readonly instanceId: string;
  /** The flow used when the request names none. */
  readonly contactFlowId: string;
  /** Every flow a request may name: the default flow and the extra allowed ones. */
  readonly allowedContactFlowIds: ReadonlySet<string>;
  /** The region of the Connect instance, when it differs from the function's own. */
  readonly region: string | undefined;
  readonly allowedOrigins: AllowedOrigins;
  /** Attribute keys a client may set; empty means clients may set none. */
  readonly allowedAttributeKeys: ReadonlySet<string>;
  /** Attributes the server adds to every chat; they win over the client's. */
  readonly serverAttributes: Readonly<Record<string, string>>;
  readonly maxChatDurationMinutes: number;
  /** Used when a request has no display name; without it the display name is required. */
  readonly defaultDisplayName: string | undefined;
  readonly attachmentsEnabled: boolean;
  readonly maxBodyBytes: number;
  readonly retry: RetrySettings;
  readonly metrics: MetricsSettings;
  /** Verified customer identity; undefined when off (every request anonymous). */
  readonly identity: IdentitySettings | undefined;
}

export interface MetricsSettings {
  /** The CloudWatch namespace of the handler's metrics. */
  readonly namespace: string;
  /** False writes no metrics. */
  readonly enabled: boolean;
}

function id(name: string, value: string, what: string): string {
  if (value.startsWith('arn:')) {
    throw new ConfigurationError(name, `must be the ${what} ID, not an ARN (got "${value}")`);
  }
  if (!ID_PATTERN.test(value)) {
    throw new ConfigurationError(name, `must be the ${what} ID, ${ID_RULE} (got "${value}")`);
  }
  return value;
}

function allowedOrigins(env: Env): AllowedOrigins {
  const name = HANDLER_ENV.allowedOrigins;
  if (env[name] === undefined) {
    throw new ConfigurationError(
      name,
      'is required: a comma-separated list of origins such as "https://www.example.com", "*" for any, or empty for none',
    );
  }
  const items = list(env, name);
  if (items.includes('*')) {
    if (items.length > 1)
      throw new ConfigurationError(name, `must be "*" alone or a list of origins (got "${env[name]}")`);
    return '*';
  }
  const origins = new Set<string>();
  for (const item of items) {
    const origin = normalizeOrigin(item);
    if (origin === undefined) {
      throw new ConfigurationError(name, `has "${item}", which is not an origin like "https://www.example.com"`);
    }
    origins.add(origin);
  }
  return origins;
}

function metrics(env: Env): MetricsSettings {
  const namespace = optional(env, HANDLER_ENV.metricsNamespace) ?? METRICS.defaultNamespace;
  if (!isMetricsNamespace(namespace)) {
    throw new ConfigurationError(
      HANDLER_ENV.metricsNamespace,
      `must be a CloudWatch namespace: 1-255 letters, digits, spaces or ". - _ / # :", not starting with "AWS/" or ":" (got "${namespace}")`,
    );
  }
  return { namespace, enabled: !flag(env, HANDLER_ENV.metricsDisabled) };
}

function serverAttributes(env: Env): Record<string, string> {
  const name = HANDLER_ENV.serverAttributes;
  const raw = optional(env, name);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(name, 'must be a JSON object of string values');
  }
  if (!isPlainObject(parsed)) throw new ConfigurationError(name, 'must be a JSON object of string values');
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw new ConfigurationError(name, `has the key "${key}"; keys may hold only letters, digits, "-" and "_"`);
    }
    if (typeof value !== 'string') throw new ConfigurationError(name, `has a non-string value for "${key}"`);
    attributes[key] = value;
  }
  return attributes;
}

/** Reads and checks the whole configuration. Throws `ConfigurationError` naming the first bad variable. */
export function loadConfig(env: Env = process.env): HandlerConfig {
  const instanceId = id(
    HANDLER_ENV.instanceId,
    required(env, HANDLER_ENV.instanceId, 'the ID of the Amazon Connect instance'),
    'Amazon Connect instance',
  );
  const contactFlowId = id(
    HANDLER_ENV.contactFlowId,
    required(env, HANDLER_ENV.contactFlowId, 'the ID of the contact flow that chats start in'),
    'contact flow',
  );
  const allowedContactFlowIds = new Set([
    contactFlowId,
    ...list(env, HANDLER_ENV.allowedContactFlowIds).map((flow) =>
      id(HANDLER_ENV.allowedContactFlowIds, flow, 'contact flow'),
    ),
  ]);

  const allowedAttributeKeys = new Set(list(env, HANDLER_ENV.allowedAttributeKeys));
  for (const key of allowedAttributeKeys) {
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw new ConfigurationError(
        HANDLER_ENV.allowedAttributeKeys,
        `has the key "${key}"; keys may hold only letters, digits, "-" and "_"`,
      );
    }
  }

  const defaultDisplayName = optional(env, HANDLER_ENV.defaultDisplayName);
  if (defaultDisplayName !== undefined && [...defaultDisplayName].length > HANDLER_LIMITS.displayNameChars) {
    throw new ConfigurationError(
      HANDLER_ENV.defaultDisplayName,
      `must be at most ${HANDLER_LIMITS.displayNameChars} characters`,
    );
  }

  const retry: RetrySettings = {
    budgetMs: integer(
      env,
      HANDLER_ENV.retryBudgetMs,
      HANDLER_DEFAULTS.retryBudgetMs,
      HANDLER_LIMITS.retryBudgetMs.min,
      HANDLER_LIMITS.retryBudgetMs.max,
    ),
    attemptTimeoutMs: integer(
      env,
      HANDLER_ENV.attemptTimeoutMs,
      HANDLER_DEFAULTS.attemptTimeoutMs,
      100,
      API_GATEWAY_TIMEOUT_MS,
    ),
    baseDelayMs: integer(env, HANDLER_ENV.retryBaseDelayMs, HANDLER_DEFAULTS.retryBaseDelayMs, 1, 10_000),
    maxAttempts: integer(env, HANDLER_ENV.maxAttempts, HANDLER_DEFAULTS.maxAttempts, 1, 20),
  };

  const allowCustomerId = flag(env, HANDLER_ENV.allowCustomerId);
  const identity = readIdentitySettings(env);
  const conflict = identity && identityPolicyConflict(identity.claims, { allowCustomerId, allowedAttributeKeys });
  if (conflict)
    throw new ConfigurationError(HANDLER_ENV.identityClaims, `conflicts with the request policy: ${conflict}`);

  return {
    instanceId,
    contactFlowId,
    allowedContactFlowIds,
    region: optional(env, HANDLER_ENV.region),
    allowedOrigins: allowedOrigins(env),
    allowedAttributeKeys,
    serverAttributes: serverAttributes(env),
    maxChatDurationMinutes: integer(
      env,
      HANDLER_ENV.maxChatDurationMinutes,
      HANDLER_DEFAULTS.maxChatDurationMinutes,
      CHAT_DURATION_MINUTES.min,
      CHAT_DURATION_MINUTES.max,
    ),
    allowPersistentChat: flag(env, HANDLER_ENV.allowPersistentChat),
    allowRelatedContact: flag(env, HANDLER_ENV.allowRelatedContact),
    allowCustomerId,
    allowSegmentAttributes: flag(env, HANDLER_ENV.allowSegmentAttributes),
    defaultDisplayName,
    attachmentsEnabled: flag(env, HANDLER_ENV.attachmentsEnabled),
    maxBodyBytes: integer(
      env,
      HANDLER_ENV.maxBodyBytes,
      HANDLER_DEFAULTS.maxBodyBytes,
      HANDLER_LIMITS.maxBodyBytes.min,
      HANDLER_LIMITS.maxBodyBytes.max,
    ),
    retry,
    metrics: metrics(env),
    identity,
  };
}
