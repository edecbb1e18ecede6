/**
 * `npm start`: runs the API on this machine for frontend development. The deployed handler bundle runs in a
 * local Lambda behind an API Gateway emulation on http://127.0.0.1:3000/prod/chat (`PORT`), against the
 * built-in Connect stand-in unless the real Amazon Connect is asked for; a demo page on the next port
 * (`DEMO_PORT`) calls it from the browser. Settings: see local/settings.ts and `npm start -- --help`.
 *
 * Nothing is compiled up front: the flags and settings are read and the ports taken first (so `--help`, a
 * bad setting and a port in use answer at once), then the handler is bundled from the current sources.
 *
 * Ctrl-C (or SIGTERM) stops taking requests, answers those in flight (for up to 10 s), closes every server
 * and exits with 0. Startup problems (a bad setting, a port in use, a missing bundle) print one message
 * saying what to do and exit with 1 (2 for bad flags).
 */

import { ConfigurationError } from '../lambda/errors.ts';
import { HANDLER_ENV } from '../lib/handler-contract.ts';
import type { AccessLogEntry } from './api-gateway-server.ts';
import { startBanner } from './banner.ts';
import { MissingBundleError } from './handler-bundle.ts';
import { ListenError, PortInUseError } from './listen.ts';
import { type LocalApi, startLocalApi } from './local-api.ts';
import { tallyMetricsOf } from './metrics-tally.ts';
import {
  LOCAL_ENV,
  parseCommandLine,
  readSettings,
  SettingsError,
  STAND_IN_CONTACT_FLOW_ID,
  STAND_IN_INSTANCE_ID,
} from './settings.ts';

const USAGE = `Usage: npm start [-- [--port PORT] [--host HOST] [--connect=stand-in|aws] [--config FILE] [--agent-script FILE] [--identity=oidc|shared-secret]]

Runs the start-chat API locally: the deployed handler bundle behind an API Gateway emulation,
with a demo page that calls it from the browser, and a chat sandbox that holds the conversations.

Options (flag, or environment variable; flags win over variables, variables over the file):
  --connect=TARGET  ${LOCAL_ENV.connectTarget}     stand-in (default): the built-in Connect stand-in, no AWS account;
                                       aws: the real Amazon Connect (needs ${HANDLER_ENV.instanceId} and
                                       ${HANDLER_ENV.contactFlowId}, IDs or ARNs, and AWS credentials
                                       and a region as the AWS CLI finds them)
  --config FILE     ${LOCAL_ENV.configFile}  a JSON object of settings, keyed by the variable names
  --agent-script FILE
                    ${LOCAL_ENV.agentScript}       the chat sandbox's simulated agent: a JSON script (README)
  --port PORT       ${LOCAL_ENV.port}               the API's port (default 3000); the other ports follow it
                    ${LOCAL_ENV.demoPort}          the demo page's port (default PORT + 1)
                    ${LOCAL_ENV.participantPort}   the chat sandbox's port: Participant Service stand-in,
                                       agent console (default PORT + 2)
  --host HOST       ${LOCAL_ENV.host}               where the API and the demo page listen (default 127.0.0.1, this
                                       machine only); 0.0.0.0 lets phones and virtual machines on your
                                       network in, and allows the demo page's network origins by default
                                       (the chat sandbox stays on 127.0.0.1)
  --identity=KIND   ${LOCAL_ENV.identity}     sign-in with a local identity provider: oidc (RS256 tokens, JWKS) or
                                       shared-secret (the hosted widget's HS256 tokens, key in a local
                                       Secrets Manager stand-in); the demo page gets a sign-in switch
                    ${LOCAL_ENV.identityPort}      the local identity provider's port (default PORT + 4)

The handler reads the variables the deployed function reads (see lambda/config.ts and the README),
such as ALLOWED_ORIGINS (default: the demo page's origins), ALLOWED_ATTRIBUTE_KEYS or
MAX_CHAT_DURATION_MINUTES. With the stand-in, ${HANDLER_ENV.instanceId} and ${HANDLER_ENV.contactFlowId}
default to ${STAND_IN_INSTANCE_ID} and ${STAND_IN_CONTACT_FLOW_ID}.
`;

function cannotStart(message: string, code: number): number {
  process.stderr.write(`Cannot start: ${message}\n`);
  return code;
}

function portAdvice(error: PortInUseError): string {
  const setting =
    error.purpose === 'the API'
      ? LOCAL_ENV.port
      : error.purpose === 'the chat sandbox'
        ? LOCAL_ENV.participantPort
        : error.purpose === 'the local identity provider'
          ? LOCAL_ENV.identityPort
          : LOCAL_ENV.demoPort;
  const suggestion = error.port === 0 ? 0 : Math.min(error.port + 100, 65_535);
  return `port ${error.port} on ${error.host} (${error.purpose}) is already in use. Is another \`npm start\` still running?\nStop it, or choose another port: ${setting}=${suggestion} npm start`;
}

function accessLine(entry: AccessLogEntry): string {
  const time = new Date().toISOString().slice(11, 19);
  const by =
    entry.gatewayResponse === undefined
      ? ''
      : entry.gatewayResponse === 'preflight'
        ? ' (preflight)'
        : ' (API Gateway)';
  const origin = entry.origin === undefined ? '' : `  origin ${entry.origin}`;
  return `${time} ${entry.method} ${entry.path} -> ${entry.status}${by} in ${entry.latencyMs} ms${origin}\n`;
}

function onRequest(entry: AccessLogEntry): void {
  process.stdout.write(accessLine(entry));
  if (entry.error !== undefined) {
    process.stderr.write(
      `The function failed: ${entry.error instanceof Error ? (entry.error.stack ?? entry.error.message) : String(entry.error)}\n`,
    );
  }
}

/** The function's EMF lines pass through to the terminal; their outcomes are summed up on stop. */
const metrics = tallyMetricsOf(process.stdout);

/** How long Ctrl-C waits for the requests in flight to be answered before it drops them. */
const STOP_GRACE_MS = 10_000;
/** A second Ctrl-C later than this after the first stops at once; sooner, it is the same keypress. */
const SAME_KEYPRESS_MS = 1_000;

function stopOnSignals(api: LocalApi): void {
  let stoppingSince: number | undefined;
  const stop = () => {
    // The terminal sends Ctrl-C to npm and to this process, and npm passes it on again: one keypress can
    // arrive twice, close together. A later one means the user does not want to wait.
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < SAME_KEYPRESS_MS) return;
      process.stdout.write(`${metrics.summary()}\n`);
      process.stderr.write('Stopped without waiting for the requests in flight.\n');
      process.exit(1);
    }
    stoppingSince = Date.now();
    process.stdout.write(
      `\nStopping: answering the requests in flight first (at most ${STOP_GRACE_MS / 1000} s; Ctrl-C again to stop now)...\n`,
    );
    setTimeout(() => {
      process.stderr.write(`Still not stopped after ${STOP_GRACE_MS / 1000 + 5} seconds; exiting anyway.\n`);
      process.exit(1);
    }, STOP_GRACE_MS + 5_000).unref();
    api.close(STOP_GRACE_MS).then(
      () => {
        // After the requests in flight, so that their outcomes count.
        process.stdout.write(`${metrics.summary()}\nStopped.\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Bundles the handler from the current sources, in this process with esbuild (a few hundred ms; the files
 * are rewritten only when their content changed). Always building is simpler than deciding whether the
 * bundle is stale: npm installs packages with fixed old timestamps, so comparing times would miss an updated
 * dependency. Loaded only here, so `--help` and bad settings answer without loading esbuild.
 */
async function bundleCurrentSources(): Promise<void> {
  const { bundleHandler } = await import('../scripts/bundle-handler.ts');
  try {
    await bundleHandler();
  } catch (error) {
    // esbuild has printed its errors with their file and line.
    throw new BundleFailedError(error);
  }
}

class BundleFailedError extends Error {
  constructor(cause: unknown) {
    super('the handler does not bundle (esbuild’s errors are above); fix the sources and start again', { cause });
    this.name = 'BundleFailedError';
  }
}

async function main(args: readonly string[]): Promise<number | undefined> {
  let settings;
  try {
    if (parseCommandLine(args).help) {
      process.stdout.write(USAGE);
      return 0;
    }
    settings = readSettings(args, process.env);
  } catch (error) {
    if (error instanceof SettingsError) return cannotStart(error.message, 2);
    throw error;
  }

  let api: LocalApi;
  try {
    api = await startLocalApi(settings, { onRequest, onSandboxRequest: onRequest, buildHandler: bundleCurrentSources });
  } catch (error) {
    if (error instanceof PortInUseError) return cannotStart(portAdvice(error), 1);
    if (error instanceof SettingsError) return cannotStart(error.message, 2);
    if (
      error instanceof ListenError ||
      error instanceof ConfigurationError ||
      error instanceof MissingBundleError ||
      error instanceof BundleFailedError
    ) {
      return cannotStart(error.message, 1);
    }
    throw error;
  }
  process.stdout.write(startBanner(api, settings.notices));
  stopOnSignals(api);
  return undefined;
}

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
