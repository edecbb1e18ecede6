/**
 * Checks `StartChatContactApiProps` before anything is built and applies the defaults. A bad prop throws
 * a plain `Error` naming the prop, the value and what is allowed. Rules the handler also applies (IDs,
 * origins, attribute keys, duration and body limits) are the same as in lambda/config.ts, so a deployment
 * that synths also starts. Values that are unresolved tokens are not checked.
 */
import { type Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { EndpointType } from 'aws-cdk-lib/aws-apigateway';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { normalizeAllowedOrigins } from './allowed-origins.ts';
import { resolveMetricsNamespace } from './chat-api-metrics.ts';
import { resolveConnectTarget } from './connect-target.ts';
import { DEFAULTS, LIMITS, LOG_LEVELS } from './defaults.ts';
import { ATTRIBUTE_KEY_PATTERN } from './handler-contract.ts';
import type { HandlerSettings } from './handler-environment.ts';
import { invalidProp } from './invalid-prop.ts';
import { defaultEndpointThrottling } from './route-throttling.ts';
import type { StartChatContactApiProps } from './start-chat-contact-api.ts';

/** What the construct builds from, every default applied: the function's settings and the rest. */
export interface ResolvedProps extends HandlerSettings {
  /** The name of the REST API this construct defines; undefined: a name unique in the account. */
  readonly restApiName: string | undefined;
  /** Route paths without leading slash; `''` is the stage root. */
  readonly routePaths: readonly string[];
  readonly endpointType: EndpointType;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly perIpRateLimit: { readonly limit: number; readonly windowSeconds: number } | undefined;
  readonly webAclArn: string | undefined;
  readonly cloudWatchRole: boolean;
  readonly accessLogCallerDetails: boolean;
  readonly memorySize: number;
  readonly reservedConcurrentExecutions: number | undefined;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly tracing: boolean;
}

const PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const CONTROL_CHARACTER = /\p{Cc}/u;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[^/]+\/[^/]+$/;

/** Props that configure an API this construct defines: its name and its stage. */
const STAGE_PROPS = [
  'restApiName',
  'endpointType',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'perIpRateLimit',
  'perIpRateLimitWindow',
  'webAclArn',
  'cloudWatchRole',
  'accessLogCallerDetails',
] as const satisfies ReadonlyArray<keyof StartChatContactApiProps>;

function known(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

function wholeNumber(prop: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (known(value) && (!Number.isSafeInteger(value) || value < min || value > max)) {
    throw invalidProp(prop, value, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function attributeKeys(keys: readonly string[] | undefined): string[] {
  for (const key of keys ?? []) {
    if (known(key) && !ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw invalidProp('allowedAttributeKeys', key, 'must hold keys of letters, digits, "-" and "_" only');
    }
  }
  return [...new Set(keys ?? [])];
}

function serverAttributes(attributes: Readonly<Record<string, string>> | undefined): Record<string, string> {
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (!ATTRIBUTE_KEY_PATTERN.test(key)) {
      throw invalidProp('serverAttributes', key, 'must have keys of letters, digits, "-" and "_" only');
    }
    if (typeof value !== 'string') {
      throw invalidProp(`serverAttributes.${key}`, value, 'must be a string, as Connect attributes are');
    }
  }
  return { ...attributes };
}

function displayName(name: string | undefined): string | undefined {
  if (name === undefined || !known(name)) return name;
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > LIMITS.displayNameChars || CONTROL_CHARACTER.test(trimmed)) {
    throw invalidProp(
      'defaultDisplayName',
      name,
      `must be 1-${LIMITS.displayNameChars} characters after trimming, without control characters`,
    );
  }
  return trimmed;
}

function retryBudgetMs(budget: Duration | undefined): number {
  const value = budget ?? DEFAULTS.retryBudget;
  const ms = value.toMilliseconds({ integral: false });
  if (known(ms) && (!Number.isSafeInteger(ms) || ms < LIMITS.retryBudgetMs.min || ms > LIMITS.retryBudgetMs.max)) {
    throw invalidProp(
      'retryBudget',
      value,
      `must be from ${LIMITS.retryBudgetMs.min / 1000} to ${LIMITS.retryBudgetMs.max / 1000} seconds in whole milliseconds (API Gateway ends requests after 29 seconds)`,
    );
  }
  return ms;
}

function routePaths(props: StartChatContactApiProps): string[] {
  const path = props.path ?? DEFAULTS.path;
  const trimmed = known(path) ? path.replace(/^\/+|\/+$/g, '') : path;
  if (known(trimmed) && trimmed !== '' && !PATH.test(trimmed)) {
    throw invalidProp(
      'path',
      path,
      'must be segments of letters, digits, ".", "_" and "-" separated by "/", such as "chat" or "v1/chat", or "" for the stage root',
    );
  }
  const serveStageRoot = props.serveStageRoot ?? props.restApi === undefined;
  return [...new Set([trimmed, ...(serveStageRoot ? [''] : [])])];
}

function stageProps(props: StartChatContactApiProps): void {
  if (props.restApi === undefined) return;
  const given = STAGE_PROPS.filter((prop) => props[prop] !== undefined);
  if (given.length > 0) {
    throw invalidProp(
      given.join(', '),
      given.map((prop) => props[prop]),
      "configure the stage of an API this construct defines; with restApi, set them on that API's stage instead, or leave restApi out (restApiName: the API keeps its own name)",
    );
  }
}

function restApiName(name: string | undefined): string | undefined {
  if (name === undefined || !known(name)) return name;
  if (name.trim() === '') throw invalidProp('restApiName', name, 'must not be empty: API Gateway needs a name');
  return name;
}

function endpointType(type: EndpointType | undefined): EndpointType {
  const value = type ?? EndpointType.REGIONAL;
  if (value !== EndpointType.REGIONAL && value !== EndpointType.EDGE) {
    throw invalidProp(
      'endpointType',
      value,
      'must be REGIONAL or EDGE; for a private API define the RestApi yourself and pass it as restApi',
    );
  }
  return value;
}

/** The endpoint's limits: the props, or by default a route's default for each chat route served. */
function throttling(props: StartChatContactApiProps, routeCount: number): { rate: number; burst: number } {
  const defaults = defaultEndpointThrottling(routeCount);
  const rate = props.throttlingRateLimit ?? defaults.rateLimit;
  if (known(rate) && (!Number.isFinite(rate) || rate <= 0)) {
    throw invalidProp('throttlingRateLimit', rate, 'must be a number of requests per second above 0');
  }
  const burst = wholeNumber('throttlingBurstLimit', props.throttlingBurstLimit, defaults.burstLimit, 1, 5_000);
  return { rate, burst };
}

function webAcl(props: StartChatContactApiProps): Pick<ResolvedProps, 'perIpRateLimit' | 'webAclArn'> {
  const { perIpRateLimit, perIpRateLimitWindow, webAclArn } = props;
  if (perIpRateLimit !== undefined && webAclArn !== undefined) {
    throw invalidProp(
      'perIpRateLimit and webAclArn',
      { perIpRateLimit, webAclArn },
      'cannot both be set: a stage has one web ACL; add a rate-based rule to your web ACL instead',
    );
  }
  if (perIpRateLimitWindow !== undefined && perIpRateLimit === undefined) {
    throw invalidProp('perIpRateLimitWindow', perIpRateLimitWindow, 'needs perIpRateLimit, the limit it counts for');
  }
  if (webAclArn !== undefined && known(webAclArn) && !WEB_ACL_ARN.test(webAclArn)) {
    throw invalidProp(
      'webAclArn',
      webAclArn,
      'must be the ARN of a regional AWS WAF web ACL, such as "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/name/id"',
    );
  }
  if (perIpRateLimit === undefined) return { perIpRateLimit: undefined, webAclArn };

  const limit = wholeNumber('perIpRateLimit', perIpRateLimit, 0, LIMITS.perIpRateLimit.min, LIMITS.perIpRateLimit.max);
  const window = perIpRateLimitWindow ?? DEFAULTS.perIpRateLimitWindow;
  const windowSeconds = window.toSeconds({ integral: false });
  if (known(windowSeconds) && !(LIMITS.perIpRateLimitWindowSeconds as readonly number[]).includes(windowSeconds)) {
    throw invalidProp('perIpRateLimitWindow', window, 'must be 1, 2, 5 or 10 minutes, the windows AWS WAF offers');
  }
  return { perIpRateLimit: { limit, windowSeconds }, webAclArn: undefined };
}

/** The limits are shared among the chat routes (route-throttling.ts): at least one request of burst each. */
function checkThrottlingCoversRoutes(
  rate: number,
  burst: number,
  routePaths: readonly string[],
  ownApi: boolean,
): void {
  if (!ownApi || routePaths.length < 2) return;
  if (!known(rate) || !known(burst)) {
    throw invalidProp(
      'throttlingRateLimit and throttlingBurstLimit',
      { throttlingRateLimit: rate, throttlingBurstLimit: burst },
      'must be known at synth when the API serves several chat routes, to share them among the routes; pass numbers, or set serveStageRoot: false',
    );
  }
  if (burst >= routePaths.length) return;
  throw invalidProp(
    'throttlingBurstLimit',
    burst,
    `must be at least ${routePaths.length}: the burst is shared among the ${routePaths.length} chat routes (${routePaths.map((path) => `/${path}`).join(', ')}), one request each at least; raise it, or set serveStageRoot: false`,
  );
}

function reservedConcurrency(value: number | undefined): number | undefined {
  if (value === undefined || !known(value)) return value;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalidProp(
      'reservedConcurrentExecutions',
      value,
      "must be a whole number of at least 1 (Lambda also keeps 100 of the account's concurrency unreserved); 0 would stop the function from running at all, and leaving it unset means no reservation",
    );
  }
  return value;
}

function logLevel(level: string | undefined): string | undefined {
  if (level === undefined || !known(level)) return level;
  const upper = level.toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(upper)) {
    throw invalidProp('logLevel', level, `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return upper;
}

export function resolveProps(scope: IConstruct, props: StartChatContactApiProps): ResolvedProps {
  stageProps(props);
  const paths = routePaths(props);
  const { rate, burst } = throttling(props, paths.length);
  checkThrottlingCoversRoutes(rate, burst, paths, props.restApi === undefined);
  return {
    target: resolveConnectTarget(scope, props),
    allowedOrigins: normalizeAllowedOrigins(props.allowedOrigins),
    allowedAttributeKeys: attributeKeys(props.allowedAttributeKeys),
    serverAttributes: serverAttributes(props.serverAttributes),
    maxChatDurationMinutes: wholeNumber(
      'maxChatDurationMinutes',
      props.maxChatDurationMinutes,
      DEFAULTS.maxChatDurationMinutes,
      LIMITS.chatDurationMinutes.min,
      LIMITS.chatDurationMinutes.max,
    ),
    allowPersistentChat: props.allowPersistentChat ?? false,
    allowRelatedContact: props.allowRelatedContact ?? false,
    allowCustomerId: props.allowCustomerId ?? false,
    allowSegmentAttributes: props.allowSegmentAttributes ?? false,
    defaultDisplayName: displayName(props.defaultDisplayName),
    attachmentsEnabled: props.attachmentsEnabled ?? false,
    maxBodyBytes: wholeNumber(
      'maxBodyBytes',
      props.maxBodyBytes,
      DEFAULTS.maxBodyBytes,
      LIMITS.maxBodyBytes.min,
      LIMITS.maxBodyBytes.max,
    ),
    retryBudgetMs: retryBudgetMs(props.retryBudget),
    restApiName: restApiName(props.restApiName),
    routePaths: paths,
    endpointType: endpointType(props.endpointType),
    throttlingRateLimit: rate,
    throttlingBurstLimit: burst,
    ...webAcl(props),
    cloudWatchRole: props.cloudWatchRole ?? false,
    accessLogCallerDetails: props.accessLogCallerDetails ?? true,
    memorySize: wholeNumber(
      'memorySize',
      props.memorySize,
      DEFAULTS.memorySize,
      LIMITS.memorySize.min,
      LIMITS.memorySize.max,
    ),
    reservedConcurrentExecutions: reservedConcurrency(props.reservedConcurrentExecutions),
    logLevel: logLevel(props.logLevel),
    serviceName: props.serviceName ?? DEFAULTS.serviceName,
    enableSourceMaps: props.enableSourceMaps ?? false,
    logRetention: props.logRetention ?? DEFAULTS.logRetention,
    logRemovalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    metricsNamespace: resolveMetricsNamespace(props.metricsNamespace),
    tracing: props.tracing ?? false,
  };
}
