/**
 * The function's environment: the variables of the construct-handler contract (handler-contract.ts, which
 * lambda/config.ts reads, the metrics namespace among them), plus the Powertools service name and log level,
 * Node's source-map switch, and the IDENTITY_* variables of the `identity` prop (lib/chat-identity.ts).
 */
import { Token } from 'aws-cdk-lib';
import type { NormalizedOrigins } from './allowed-origins.ts';
import type { ConnectTarget } from './connect-target.ts';
import { LIMITS } from './defaults.ts';
import { HANDLER_ENV, type OptionalFieldSwitches } from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';

/** Settings of the function, every default already applied. */
export interface HandlerSettings extends OptionalFieldSwitches {
  readonly target: ConnectTarget;
  readonly allowedOrigins: NormalizedOrigins;
  readonly allowedAttributeKeys: readonly string[];
  readonly serverAttributes: Readonly<Record<string, string>>;
  readonly maxChatDurationMinutes: number;
  readonly defaultDisplayName: string | undefined;
  readonly attachmentsEnabled: boolean;
  readonly maxBodyBytes: number;
  readonly retryBudgetMs: number;
  readonly serviceName: string;
  readonly logLevel: string | undefined;
  readonly enableSourceMaps: boolean;
  readonly metricsNamespace: string;
}

/**
 * Every policy setting is written out, defaults included, so the template shows what the function does.
 * Lists and objects that are empty are left out; the handler reads their absence as "none".
 */
export function handlerEnvironment(
  settings: HandlerSettings,
  identityEnvironment: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const { target } = settings;
  const environment: Record<string, string> = {
    [HANDLER_ENV.instanceId]: target.instanceId,
    [HANDLER_ENV.contactFlowId]: target.contactFlowId,
    ...(target.extraContactFlowIds.length > 0 && {
      [HANDLER_ENV.allowedContactFlowIds]: target.extraContactFlowIds.join(','),
    }),
    ...(target.regionFromArn !== undefined && { [HANDLER_ENV.region]: target.regionFromArn }),
    [HANDLER_ENV.allowedOrigins]: settings.allowedOrigins === '*' ? '*' : settings.allowedOrigins.join(','),
    ...(settings.allowedAttributeKeys.length > 0 && {
      [HANDLER_ENV.allowedAttributeKeys]: settings.allowedAttributeKeys.join(','),
    }),
    ...(Object.keys(settings.serverAttributes).length > 0 && {
      [HANDLER_ENV.serverAttributes]: JSON.stringify(settings.serverAttributes),
    }),
    [HANDLER_ENV.maxChatDurationMinutes]: String(settings.maxChatDurationMinutes),
    [HANDLER_ENV.allowPersistentChat]: String(settings.allowPersistentChat),
    [HANDLER_ENV.allowRelatedContact]: String(settings.allowRelatedContact),
    [HANDLER_ENV.allowCustomerId]: String(settings.allowCustomerId),
    [HANDLER_ENV.allowSegmentAttributes]: String(settings.allowSegmentAttributes),
    ...(settings.defaultDisplayName !== undefined && { [HANDLER_ENV.defaultDisplayName]: settings.defaultDisplayName }),
    [HANDLER_ENV.attachmentsEnabled]: String(settings.attachmentsEnabled),
    [HANDLER_ENV.maxBodyBytes]: String(settings.maxBodyBytes),
    [HANDLER_ENV.retryBudgetMs]: String(settings.retryBudgetMs),
    [HANDLER_ENV.metricsNamespace]: settings.metricsNamespace,
    POWERTOOLS_SERVICE_NAME: settings.serviceName,
    ...(settings.logLevel !== undefined && { POWERTOOLS_LOG_LEVEL: settings.logLevel }),
    ...(settings.enableSourceMaps && { NODE_OPTIONS: '--enable-source-maps' }),
    ...identityEnvironment,
  };
  checkEnvironmentSize(environment);
  return environment;
}

/** Lambda refuses a function whose variables take more than 4 KB; say which props fill them instead. */
function checkEnvironmentSize(environment: Record<string, string>): void {
  const values = Object.entries(environment);
  if (values.some(([, value]) => Token.isUnresolved(value))) return;
  const bytes = values.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
  if (bytes > LIMITS.environmentBytes) {
    throw invalidProp(
      environment[HANDLER_ENV.identitySource] === undefined
        ? 'serverAttributes, allowedAttributeKeys, allowedContactFlowIds and allowedOrigins'
        : 'serverAttributes, allowedAttributeKeys, allowedContactFlowIds, allowedOrigins and identity',
      `${bytes} bytes of environment variables`,
      `must fit in Lambda's ${LIMITS.environmentBytes}-byte limit on a function's environment variables together; shorten them`,
    );
  }
}
