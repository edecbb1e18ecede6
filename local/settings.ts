/**
 * The settings of `npm start`: where it listens (host and ports), which Amazon Connect to call, and the
 * handler's own environment (the names in lambda/config.ts, exactly as the construct sets them on the
 * function).
 *
 * Sources, strongest first: command-line flags (`--port`, `--host`, `--connect`, `--config`), environment
 * variables, a JSON config file (`--config path` or `START_CHAT_CONFIG`), then defaults that work out of
 * the box: 127.0.0.1:3000, the built-in Connect stand-in with fixed fake instance and flow ids, and the
 * demo page's origins allowed.
 *
 * The real Amazon Connect is used only when asked for by name (`CONNECT_TARGET=aws` or `--connect=aws`)
 * and only with an explicit instance and flow (IDs or ARNs, as the construct takes them); nothing here
 * ever falls back to AWS. Its region is the instance ARN's, else `CONNECT_REGION` or `AWS_REGION`, else
 * the AWS profile's; credentials come from the AWS SDK's default chain (local/aws-access.ts checks both
 * at start, so `aws configure`'s default profile works as it is). Reading settings starts nothing and
 * throws `SettingsError` with a message that names the setting and the fix.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HANDLER_ENV, ID_PATTERN, ID_RULE, parseConnectArn } from '../lib/handler-contract.ts';
import { DEFAULT_HOST, isLoopbackHost } from './network-addresses.ts';
import { type AgentScript, AgentScriptError, parseAgentScript } from './simulated-agent/agent-script.ts';

/** Where chats are started: the built-in stand-in, or the real Amazon Connect. */
export type ConnectTarget = 'stand-in' | 'aws';

export const CONNECT_TARGETS: readonly ConnectTarget[] = ['stand-in', 'aws'];

/** Fake ids the stand-in accepts; used when no instance or flow is configured. */
export const STAND_IN_INSTANCE_ID = '11111111-1111-4111-8111-111111111111';
export const STAND_IN_CONTACT_FLOW_ID = '22222222-2222-4222-8222-222222222222';

/** The region the SDK signs for when talking to the stand-in and none is set. */
export const STAND_IN_REGION = 'us-east-1';

export const DEFAULT_API_PORT = 3000;

/** Settings of the local run itself, beside the handler's variables. */
export const LOCAL_ENV = {
  port: 'PORT',
  host: 'HOST',
  demoPort: 'DEMO_PORT',
  participantPort: 'PARTICIPANT_PORT',
  agentScript: 'AGENT_SCRIPT',
  connectTarget: 'CONNECT_TARGET',
  configFile: 'START_CHAT_CONFIG',
  region: 'AWS_REGION',
  identity: 'LOCAL_IDENTITY',
  identityPort: 'IDENTITY_PORT',
} as const;

/** Verified identity with the local development identity provider: its tokens' kind, or off. */
export type LocalIdentity = 'oidc' | 'shared-secret';
export const LOCAL_IDENTITIES: readonly LocalIdentity[] = ['oidc', 'shared-secret'];

/** Every name a config file may hold. Credentials are deliberately not among them. */
export const CONFIG_FILE_KEYS: ReadonlySet<string> = new Set([
  ...Object.values(HANDLER_ENV),
  LOCAL_ENV.port,
  LOCAL_ENV.host,
  LOCAL_ENV.demoPort,
  LOCAL_ENV.participantPort,
  LOCAL_ENV.agentScript,
  LOCAL_ENV.connectTarget,
  LOCAL_ENV.region,
  LOCAL_ENV.identity,
  LOCAL_ENV.identityPort,
]);

const CREDENTIAL_KEYS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']);

export interface LocalSettings {
  /** Where the API and the demo page listen: `0.0.0.0` for every interface. @default '127.0.0.1' */
  readonly host: string;
  /** Port of the API; 0 picks a free one. */
  readonly apiPort: number;
  /** Port of the demo page; 0 picks a free one. @default apiPort + 1 */
  readonly demoPort: number;
  /** Port of the chat sandbox (Participant Service stand-in) on 127.0.0.1; 0 picks a free one. @default apiPort + 2 */
  readonly participantPort: number;
  /** The simulated agent's script (`--agent-script FILE`), or undefined for the default agent. */
  readonly agentScript: AgentScript | undefined;
  /** The script's file, as an absolute path. */
  readonly agentScriptFile: string | undefined;
  readonly connect: ConnectTarget;
  /**
   * The region the Connect client uses: `AWS_REGION` for the stand-in; for the real Connect the instance
   * ARN's, `CONNECT_REGION` or `AWS_REGION`, or undefined when the AWS profile's region is to be used.
   */
  readonly region: string | undefined;
  /**
   * The handler's variables (lambda/config.ts names), complete except for `ALLOWED_ORIGINS` when it is
   * not set anywhere: the demo page's origins then, known once the demo page listens.
   */
  readonly handlerEnv: Readonly<Record<string, string>>;
  /** The config file read, as an absolute path. */
  readonly configFile: string | undefined;
  /** Hints worth printing at start, such as an instance id that is set but not used. */
  readonly notices: readonly string[];
  /** Sign-in with the local development identity provider, and its port (0 picks a free one). */
  readonly identity: { readonly kind: LocalIdentity; readonly port: number } | undefined;
}

export interface CommandLine {
  readonly help: boolean;
  readonly configFile: string | undefined;
  readonly connect: string | undefined;
  readonly agentScript: string | undefined;
  /** `--port`, as PORT. */
  readonly port: string | undefined;
  /** `--host`, as HOST. */
  readonly host: string | undefined;
  readonly identity: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A setting that cannot be used; the message names it and says what to do. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export function parseCommandLine(args: readonly string[]): CommandLine {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        connect: { type: 'string' },
        'agent-script': { type: 'string' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        identity: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      help: values.help === true,
      configFile: values.config,
      connect: values.connect,
      agentScript: values['agent-script'],
      port: values.port,
      host: values.host,
      identity: values.identity,
    };
  } catch (error) {
    throw new SettingsError(`${(error as Error).message}. Run with --help for the options.`);
  }
}

/** A config file value as an environment variable's text: lists joined by commas, objects as JSON. */
function settingText(file: string, key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return value.join(',');
  }
  if (
    (key === HANDLER_ENV.serverAttributes || key === HANDLER_ENV.identityClaims) &&
    typeof value === 'object' &&
    !Array.isArray(value)
  )
    return JSON.stringify(value);
  throw new SettingsError(`${file}: "${key}" must be a string, number, boolean or list of strings`);
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A file a setting names, as text; a file that cannot be read is a `SettingsError` naming it and why. */
function readSettingsFile(what: string, path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new SettingsError(
      `Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Reads a JSON config file: an object keyed by the same names as the environment variables. */
export function readConfigFile(path: string, readFile: (path: string) => string = readUtf8): Record<string, string> {
  const text = readSettingsFile('the config file', path, readFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError(
      `The config file ${path} must hold a JSON object such as {"ALLOWED_ORIGINS": "http://localhost:5173"}`,
    );
  }
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (CREDENTIAL_KEYS.has(key)) {
      throw new SettingsError(
        `${path}: "${key}" does not belong in a file; keep AWS credentials in the environment (for example AWS_PROFILE after \`aws sso login\`)`,
      );
    }
    if (!CONFIG_FILE_KEYS.has(key)) {
      throw new SettingsError(
        `${path}: unknown setting "${key}"; the settings are ${[...CONFIG_FILE_KEYS].join(', ')}`,
      );
    }
    const text = settingText(path, key, value);
    if (text !== undefined) settings[key] = text;
  }
  return settings;
}

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || number > 65_535) {
    throw new SettingsError(`${name} must be a port number from 0 to 65535 (got "${value}")`);
  }
  return number;
}

/** A host to listen on: an IP address (IPv6 with or without brackets) or a host name. */
function host(value: string | undefined): string {
  const trimmed = (value ?? '').trim().replace(/^\[(.*)\]$/, '$1');
  if (trimmed === '') return DEFAULT_HOST;
  if (
    isIP(trimmed) === 0 &&
    !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(trimmed)
  ) {
    throw new SettingsError(
      `${LOCAL_ENV.host} (or --host) must be an address of this machine to listen on, such as 0.0.0.0 (every interface), 127.0.0.1 or 192.168.1.20 (got "${value}")`,
    );
  }
  return trimmed;
}

/**
 * Turns instance and contact flow ARNs in the handler's variables into the bare IDs the handler reads, as
 * the construct does; returns the region they name. Every ARN must name the one instance.
 */
function connectIdsFromArns(handlerEnv: Record<string, string>): string | undefined {
  let region: string | undefined;
  let instanceId: string | undefined;
  for (const [name, kind] of [
    [HANDLER_ENV.instanceId, 'instance'],
    [HANDLER_ENV.contactFlowId, 'contact-flow'],
  ] as const) {
    const value = handlerEnv[name]!.trim();
    if (ID_PATTERN.test(value)) {
      if (kind === 'instance') instanceId = value;
      continue;
    }
    const arn = parseConnectArn(value);
    if (arn === undefined || (kind === 'instance') !== (arn.contactFlowId === undefined)) {
      const example =
        kind === 'instance'
          ? 'arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID'
          : 'arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/contact-flow/FLOW_ID';
      throw new SettingsError(
        `${name} must be the ${kind.replace('-', ' ')} ID (${ID_RULE}) or its ARN (${example}) (got "${value}")`,
      );
    }
    if (instanceId !== undefined && arn.instanceId !== instanceId) {
      throw new SettingsError(
        `${name} names a contact flow of the instance ${arn.instanceId}, not of ${instanceId} in ${HANDLER_ENV.instanceId}`,
      );
    }
    if (region !== undefined && arn.region !== region) {
      throw new SettingsError(`${name} names the region ${arn.region}, but ${HANDLER_ENV.instanceId} names ${region}`);
    }
    instanceId = arn.instanceId;
    region = arn.region;
    handlerEnv[name] = arn.contactFlowId ?? arn.instanceId;
  }
  return region;
}

/** `--identity` / LOCAL_IDENTITY: sign-in with the local development identity provider, or off (the default). */
function localIdentity(
  commandLine: CommandLine,
  merged: Readonly<Record<string, string>>,
  apiPort: number,
): LocalSettings['identity'] {
  const kind = (commandLine.identity ?? merged[LOCAL_ENV.identity] ?? 'off').trim().toLowerCase();
  if (kind === 'off' || kind === '') return undefined;
  if (!(LOCAL_IDENTITIES as readonly string[]).includes(kind)) {
    throw new SettingsError(
      `${LOCAL_ENV.identity} (or --identity) must be one of ${LOCAL_IDENTITIES.join(', ')} or off (got "${kind}")`,
    );
  }
  if ((merged[HANDLER_ENV.identitySource] ?? '').trim() !== '') {
    throw new SettingsError(
      `${LOCAL_ENV.identity} (or --identity) brings its own identity provider, but ${HANDLER_ENV.identitySource} is set too: use one or the other`,
    );
  }
  const fallback = apiPort === 0 ? 0 : Math.min(apiPort + 4, 65_535);
  return { kind: kind as LocalIdentity, port: port(merged[LOCAL_ENV.identityPort], LOCAL_ENV.identityPort, fallback) };
}

/**
 * Reads the settings from the command line, the environment and the config file.
 * @param cwd where a relative `--config` path starts: the directory `npm start` was typed in.
 */
export function readSettings(
  args: readonly string[],
  env: Env,
  options: { readonly cwd?: string; readonly readFile?: (path: string) => string } = {},
): LocalSettings {
  const commandLine = parseCommandLine(args);
  const cwd = options.cwd ?? env.INIT_CWD ?? process.cwd();
  const configArg = commandLine.configFile ?? env[LOCAL_ENV.configFile];
  const absolute = (path: string | undefined) =>
    path === undefined || path.trim() === '' ? undefined : isAbsolute(path) ? path : resolve(cwd, path);
  const configFile = absolute(configArg);
  const fromFile = configFile === undefined ? {} : readConfigFile(configFile, options.readFile);

  // The environment wins over the file, name by name; an empty variable counts as set (ALLOWED_ORIGINS="").
  const merged: Record<string, string> = { ...fromFile };
  for (const key of CONFIG_FILE_KEYS) {
    const value = env[key];
    if (value !== undefined) merged[key] = value;
  }
  const given = (key: string) => (merged[key] ?? '').trim() !== '';

  const target = (commandLine.connect ?? merged[LOCAL_ENV.connectTarget] ?? 'stand-in').trim().toLowerCase();
  if (!(CONNECT_TARGETS as readonly string[]).includes(target)) {
    throw new SettingsError(
      `${LOCAL_ENV.connectTarget} (or --connect) must be one of ${CONNECT_TARGETS.join(', ')} (got "${target}")`,
    );
  }
  const connect = target as ConnectTarget;

  const portName = commandLine.port === undefined ? LOCAL_ENV.port : '--port';
  const apiPort = port(commandLine.port ?? merged[LOCAL_ENV.port], portName, DEFAULT_API_PORT);
  const listenHost = host(commandLine.host ?? merged[LOCAL_ENV.host]);
  if (apiPort === 65_535 && !given(LOCAL_ENV.demoPort)) {
    throw new SettingsError(`${portName} is 65535, so the demo page needs ${LOCAL_ENV.demoPort} set to a free port`);
  }
  const demoPort = port(merged[LOCAL_ENV.demoPort], LOCAL_ENV.demoPort, apiPort === 0 ? 0 : apiPort + 1);
  if (demoPort !== 0 && demoPort === apiPort) {
    throw new SettingsError(`${portName} and ${LOCAL_ENV.demoPort} must differ (both are ${apiPort})`);
  }

  const participantFallback = apiPort === 0 ? 0 : apiPort + 2;
  if (participantFallback > 65_535 && !given(LOCAL_ENV.participantPort)) {
    throw new SettingsError(
      `${portName} is ${apiPort}, so the chat sandbox needs ${LOCAL_ENV.participantPort} set to a free port`,
    );
  }
  const participantPort = port(merged[LOCAL_ENV.participantPort], LOCAL_ENV.participantPort, participantFallback);
  if (participantPort !== 0 && (participantPort === apiPort || participantPort === demoPort)) {
    throw new SettingsError(
      `${LOCAL_ENV.participantPort} (${participantPort}) must differ from ${LOCAL_ENV.port} and ${LOCAL_ENV.demoPort}`,
    );
  }

  const handlerEnv: Record<string, string> = {};
  for (const name of Object.values(HANDLER_ENV)) {
    const value = merged[name];
    if (value !== undefined) handlerEnv[name] = value;
  }

  const notices: string[] = [];
  let region: string | undefined;
  if (connect === 'stand-in') {
    const unused: string[] = [];
    for (const [name, fake] of [
      [HANDLER_ENV.instanceId, STAND_IN_INSTANCE_ID],
      [HANDLER_ENV.contactFlowId, STAND_IN_CONTACT_FLOW_ID],
    ] as const) {
      if (given(name)) unused.push(name);
      else handlerEnv[name] = fake;
    }
    if (unused.length > 0) {
      notices.push(
        `${unused.join(' and ')} ${unused.length > 1 ? 'are' : 'is'} set, but chats start in the built-in stand-in; set ${LOCAL_ENV.connectTarget}=aws (or --connect=aws) to use the real Amazon Connect.`,
      );
    }
    region = merged[LOCAL_ENV.region]?.trim() || STAND_IN_REGION;
  } else {
    const missing = [HANDLER_ENV.instanceId, HANDLER_ENV.contactFlowId].filter((name) => !given(name));
    if (missing.length > 0) {
      throw new SettingsError(
        `The real Amazon Connect needs ${missing.join(' and ')}: the instance ID (or ARN) and the ID (or ARN) of the contact flow chats start in (from the Connect console, or \`aws connect list-instances\` / \`aws connect list-contact-flows\`).`,
      );
    }
    const arnRegion = connectIdsFromArns(handlerEnv);
    const explicitRegion = merged[HANDLER_ENV.region]?.trim() || undefined;
    if (arnRegion !== undefined && explicitRegion !== undefined && explicitRegion !== arnRegion) {
      throw new SettingsError(
        `${HANDLER_ENV.region} is ${explicitRegion}, but the ARN in ${HANDLER_ENV.instanceId} or ${HANDLER_ENV.contactFlowId} names an instance in ${arnRegion}: leave ${HANDLER_ENV.region} out, or make them agree.`,
      );
    }
    region = arnRegion ?? explicitRegion ?? (merged[LOCAL_ENV.region]?.trim() || undefined);
    if (region !== undefined) handlerEnv[HANDLER_ENV.region] = region;
  }

  const agentScriptFile = absolute(commandLine.agentScript ?? merged[LOCAL_ENV.agentScript]);
  let agentScript: AgentScript | undefined;
  if (agentScriptFile !== undefined && connect === 'aws') {
    notices.push(
      `The agent script ${agentScriptFile} is not used: with ${LOCAL_ENV.connectTarget}=aws there is no chat sandbox.`,
    );
  } else if (agentScriptFile !== undefined) {
    agentScript = readAgentScript(agentScriptFile, options.readFile);
  }

  if (!isLoopbackHost(listenHost)) {
    notices.push(
      connect === 'aws'
        ? `The API listens on ${listenHost}: anyone who can reach this machine can start real chats on your Amazon Connect instance.`
        : `The API and the demo page listen on ${listenHost}: other devices that can reach this machine can use them; the chat sandbox stays on this machine (127.0.0.1).`,
    );
  }

  return {
    host: listenHost,
    apiPort,
    demoPort,
    participantPort,
    agentScript,
    agentScriptFile: agentScript === undefined ? undefined : agentScriptFile,
    connect,
    region,
    handlerEnv,
    configFile,
    notices,
    identity: localIdentity(commandLine, merged, apiPort),
  };
}

/** Reads and checks `--agent-script FILE`. */
function readAgentScript(path: string, readFile: (path: string) => string = readUtf8): AgentScript {
  const text = readSettingsFile('the agent script', path, readFile);
  try {
    return parseAgentScript(text, path);
  } catch (error) {
    if (error instanceof AgentScriptError) throw new SettingsError(error.message);
    throw error;
  }
}
