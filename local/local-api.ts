/**
 * Brings up everything `npm start` runs, from its settings: the Connect stand-in and the chat sandbox
 * (unless the real Amazon Connect was asked for), the deployed handler bundle in a local Lambda, the API
 * Gateway emulation in front of it, and the demo page. Returns where each listens and one `close` for all
 * of them. The chat sandbox (the Participant Service stand-in with its simulated agent and agent console)
 * holds the conversation of each chat the Connect stand-in starts; the API's answer is the same as
 * without it.
 *
 * With the stand-in, the handler's AWS SDK is pointed at it (`AWS_ENDPOINT_URL_CONNECT`) with dummy
 * credentials in place of any real ones, so nothing can reach AWS. Ports of 0 pick free ones (tests).
 */
import { type HandlerConfig, loadConfig } from '../lambda/config.ts';
import { HANDLER_ENV } from '../lib/handler-contract.ts';
import {
  type AccessLogEntry,
  type ApiGatewayServer,
  type ApiGatewayServerOptions,
  startApiGatewayServer,
} from './api-gateway-server.ts';
import { checkAwsAccess } from './aws-access.ts';
import {
  type ConnectStandIn,
  type ConnectStandInOptions,
  startConnectStandIn,
} from './connect-stand-in/connect-stand-in.ts';
import { type DemoServer, demoPageOrigins, startDemoServer } from './demo-server.ts';
import { DEV_SECRET_NAME, type DevIdentityProvider, startDevIdentityProvider } from './dev-identity-provider.ts';
import { bundledHandlerLoader, type FunctionEnvironment } from './handler-bundle.ts';
import { createLambdaRuntime, type LambdaRuntimeOptions } from './lambda-runtime.ts';
import { networkHosts, urlHost } from './network-addresses.ts';
import {
  createParticipantStandIn,
  type ParticipantStandIn,
  type ParticipantStandInOptions,
} from './participant-stand-in/participant-stand-in.ts';
import { startSecretsManagerStandIn } from './secrets-manager-stand-in.ts';
import { type ConnectTarget, type LocalIdentity, type LocalSettings, STAND_IN_REGION } from './settings.ts';

/** Which Amazon Connect the handler calls, for the start banner. */
export interface ConnectDescription {
  readonly target: ConnectTarget;
  readonly instanceId: string;
  readonly contactFlowId: string;
  readonly region: string;
  /** The stand-in's URL, or an endpoint override for the real Connect. */
  readonly endpoint: string | undefined;
}

/** Where other devices on the network reach the API and the demo page, at one address of this machine. */
export interface NetworkUrls {
  readonly apiUrl: string;
  readonly demoUrl: string;
}

export interface LocalApi {
  /** The chat endpoint, e.g. `http://127.0.0.1:3000/prod/chat`. */
  readonly apiUrl: string;
  /** The demo page, e.g. `http://127.0.0.1:3001/`, on an allowed origin when one of its origins is. */
  readonly demoUrl: string;
  /** The same at each network address, when HOST lets other devices in; else empty. */
  readonly network: readonly NetworkUrls[];
  /** Origins the handler allows, as configured (`*` for any). */
  readonly allowedOrigins: readonly string[];
  /** Whether the demo page's own origins are among them. */
  readonly demoPageAllowed: boolean;
  readonly connect: ConnectDescription;
  /** The stand-in, when chats go to it. */
  readonly standIn: ConnectStandIn | undefined;
  /** The chat sandbox, with the stand-in; none with the real Amazon Connect. */
  readonly sandbox: ParticipantStandIn | undefined;
  /** The simulated agent's script file, when it is not the default agent. */
  readonly agentScriptFile: string | undefined;
  /** The local development identity provider, when sign-in is on (`--identity`). */
  readonly identity?: LocalIdentityDescription | undefined;
  /**
   * Closes everything. The API first stops accepting requests and answers those in flight for up to
   * `graceMs` (the stand-in, the chat sandbox and the function stay up meanwhile), then drops the rest.
   * @param graceMs @default 0
   */
  close(graceMs?: number): Promise<void>;
}

/** Sign-in with the local development identity provider, for the banner and the demo page. */
export interface LocalIdentityDescription {
  readonly kind: LocalIdentity;
  /** The provider's base URL. */
  readonly url: string;
  /** Where a page gets a test customer's token: `POST` answers `{access_token, ...}`. */
  readonly tokenUrl: string;
  /** Whether the API refuses requests without a token (IDENTITY_REQUIRED). */
  readonly required: boolean;
}

export interface LocalApiOptions {
  /** Called once per answered request, for an access log. */
  readonly onRequest?: (entry: AccessLogEntry) => void;
  /** Called once per answered request of the chat sandbox. */
  readonly onSandboxRequest?: (entry: AccessLogEntry) => void;
  /** The chat sandbox's limits and timings. @default the sandbox's (DEFAULT_LIMITS) */
  readonly sandboxLimits?: ParticipantStandInOptions['limits'];
  /** Further variables for the function, such as `POWERTOOLS_LOG_LEVEL`. */
  readonly functionEnv?: FunctionEnvironment;
  /** The stand-in's quotas. @default Connect's: 5 requests/s, burst 8, 500 concurrent chats */
  readonly standIn?: ConnectStandInOptions;
  /** Stage throttling. @default the construct's: 5 requests/s and a burst of 50 for each chat route */
  readonly throttling?: ApiGatewayServerOptions['throttling'];
  /** The stage's chat routes. @default the construct's: `/chat` and the stage root (`serveStageRoot`) */
  readonly resources?: ApiGatewayServerOptions['resources'];
  /** Most function containers at once. @default 10 */
  readonly maxConcurrency?: LambdaRuntimeOptions['maxConcurrency'];
  /** Containers to start before `startLocalApi` resolves. @default 1 */
  readonly warmContainers?: number;
  /**
   * Builds the handler bundle, called once the ports are taken and before the first container starts
   * (`npm start` bundles the current sources here, so a port in use is reported before any bundling).
   * @default - none: the bundle must exist
   */
  readonly buildHandler?: () => Promise<unknown>;
}

/** Credentials the SDK signs stand-in calls with; the stand-in checks the signature's presence only. */
const STAND_IN_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN', AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret' };

function functionEnvironment(
  region: string,
  handlerEnv: Readonly<Record<string, string>>,
  standIn: ConnectStandIn | undefined,
): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = {};
  // Exactly the configured handler variables: anything else of the handler's is unset.
  for (const name of Object.values(HANDLER_ENV)) environment[name] = handlerEnv[name];
  environment.AWS_REGION = region;
  // What Lambda sets for an on-demand container; the logger reports cold starts from it.
  environment.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  if (standIn !== undefined) {
    Object.assign(environment, STAND_IN_CREDENTIALS, {
      AWS_ENDPOINT_URL_CONNECT: standIn.url,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  }
  return environment;
}

function originList(config: HandlerConfig): string[] {
  return config.allowedOrigins === '*' ? ['*'] : [...config.allowedOrigins];
}

/** `url` with its host name replaced by `host`. */
function onHost(url: string, host: string): string {
  const moved = new URL(url);
  moved.hostname = urlHost(host);
  return moved.href;
}

export async function startLocalApi(settings: LocalSettings, options: LocalApiOptions = {}): Promise<LocalApi> {
  const opened: Array<{ close(): Promise<void> }> = [];
  let api: ApiGatewayServer | undefined;
  const closeAll = async (graceMs = 0) => {
    // The API first, letting its requests in flight finish while what they use is still up.
    await api?.close(graceMs);
    for (const item of opened.reverse()) await item.close();
    opened.length = 0;
  };

  try {
    // The real Connect: the region and credentials the AWS SDK finds, checked before anything listens.
    const region =
      settings.connect === 'aws'
        ? (await checkAwsAccess(settings.region)).region
        : (settings.region ?? STAND_IN_REGION);

    // Sign-in: the local identity provider, and for the shared secret a Secrets Manager stand-in holding its key.
    let idp: DevIdentityProvider | undefined;
    let identityHandlerEnv: Record<string, string> = {};
    let secretsEndpoint: string | undefined;
    if (settings.identity !== undefined) {
      idp = await startDevIdentityProvider({ kind: settings.identity.kind, port: settings.identity.port });
      opened.push(idp);
      identityHandlerEnv = idp.handlerEnvironment();
      if (settings.identity.kind === 'shared-secret') {
        const secrets = await startSecretsManagerStandIn({ secrets: { [DEV_SECRET_NAME]: idp.sharedKey } });
        opened.push(secrets);
        secretsEndpoint = secrets.url;
      }
    }

    // The demo page's origins are the default allowed ones. With a fixed port they are known before it
    // listens, and the API takes its port first (a second `npm start` then reports the API's port).
    let demo: DemoServer | undefined;
    let sandbox: ParticipantStandIn | undefined;
    const startDemo = async () => {
      demo = await startDemoServer({
        port: settings.demoPort,
        host: settings.host,
        apiUrl: demoPageApiUrl,
        participantEndpoint: () => sandbox?.url ?? '',
        region,
        ...(idp && { tokenUrl: idp.tokenUrl }),
      });
      opened.push(demo);
      return demo;
    };
    // A page opened at a network address calls the API at that address (a phone's 127.0.0.1 is the phone).
    const network = networkHosts(settings.host);
    const demoPageApiUrl = (pageHost: string | undefined) =>
      api === undefined
        ? ''
        : pageHost !== undefined && network.includes(pageHost)
          ? onHost(api.url, pageHost)
          : api.url;
    const demoOrigins =
      settings.demoPort === 0 ? (await startDemo()).origins : demoPageOrigins(settings.demoPort, settings.host);

    const handlerEnv = {
      ...settings.handlerEnv,
      ...identityHandlerEnv,
      [HANDLER_ENV.allowedOrigins]: settings.handlerEnv[HANDLER_ENV.allowedOrigins] ?? demoOrigins.join(','),
    };
    // The handler's own parsing, so a bad setting stops the start with the handler's message.
    const config = loadConfig(handlerEnv);

    if (settings.connect === 'stand-in') {
      sandbox = createParticipantStandIn({
        allowedOrigins: config.allowedOrigins,
        attachmentsEnabled: config.attachmentsEnabled,
        ...(settings.agentScript && { agentScript: settings.agentScript }),
        ...(options.sandboxLimits && { limits: options.sandboxLimits }),
        ...(options.onSandboxRequest && { onRequest: options.onSandboxRequest }),
      });
      opened.push(sandbox);
    }
    const standIn = sandbox && (await startConnectStandIn({ ...options.standIn, chatHost: sandbox.store }));
    if (standIn) {
      opened.push(standIn);
      sandbox!.store.onChatEnded = (contactId) => standIn.endChat(contactId);
    }

    const environment = {
      ...functionEnvironment(region, handlerEnv, standIn),
      ...(secretsEndpoint !== undefined && { AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint }),
      ...options.functionEnv,
    };
    const load = bundledHandlerLoader(environment);
    opened.push(load);
    const lambda = createLambdaRuntime({
      load,
      region,
      ...(options.maxConcurrency !== undefined && { maxConcurrency: options.maxConcurrency }),
    });

    // The ports first, so that a port in use is reported at once; then the bundle and a warm container.
    const gateway = await startApiGatewayServer({
      port: settings.apiPort,
      host: settings.host,
      integration: (event) => lambda.invoke(event),
      allowedOrigins: config.allowedOrigins,
      ...(options.onRequest && { onRequest: options.onRequest }),
      ...(options.throttling !== undefined && { throttling: options.throttling }),
      ...(options.resources !== undefined && { resources: options.resources }),
    });
    api = gateway;
    await sandbox?.listen(settings.participantPort);
    const page = demo ?? (await startDemo());
    await options.buildHandler?.();
    await lambda.warm(options.warmContainers);

    const allowedOrigins = originList(config);
    const demoOrigin = page.origins.find((origin) => config.allowedOrigins === '*' || allowedOrigins.includes(origin));
    return {
      apiUrl: gateway.url,
      demoUrl: demoOrigin === undefined ? page.url : `${demoOrigin}/`,
      network: network.map((host) => ({ apiUrl: onHost(gateway.url, host), demoUrl: onHost(page.url, host) })),
      allowedOrigins,
      demoPageAllowed: demoOrigin !== undefined,
      connect: {
        target: settings.connect,
        instanceId: config.instanceId,
        contactFlowId: config.contactFlowId,
        region: config.region ?? region,
        endpoint: standIn?.url ?? process.env.AWS_ENDPOINT_URL_CONNECT ?? process.env.AWS_ENDPOINT_URL,
      },
      standIn,
      sandbox,
      agentScriptFile: settings.agentScriptFile,
      identity: idp && {
        kind: idp.kind,
        url: idp.url,
        tokenUrl: idp.tokenUrl,
        required: config.identity?.required ?? false,
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
