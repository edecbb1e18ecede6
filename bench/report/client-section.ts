/**
 * The browser client's part of the report: its size, the flash crowd (measured, and the model) in each stage
 * set-up, their target checks, and their lines of the printed summary.
 */
import { THROTTLED_BACKOFF } from '../../client/retry-policy.ts';
import { GATEWAY_ERROR_RESPONSES } from '../../lib/gateway-error-responses.ts';
import type { FlashRunResult } from '../flash-crowd.ts';
import { fixed, markdownTable, ms, percent, textTable, times } from '../lib/format.ts';
import type { BenchResults, FlashConfiguration, FlashResults, TargetCheck } from '../lib/results.ts';

export const CLIENT_TARGETS = {
  gzipBytes: 2_048,
  flashStartedShare: 1,
  flashLastVsIdeal: 1.1,
  flashRequestsPerCustomer: 5,
  flashCallsPerChat: 3,
} as const;

type Measured = Pick<BenchResults, 'client'>;

function bytes(value: number): string {
  return `${value.toLocaleString('en')} bytes`;
}

function stageText(configuration: FlashConfiguration): string {
  const { stage } = configuration.model.settings;
  return `${configuration.label}: the chat route's share of the stage throttling is ${stage.ratePerSecond}/s, burst ${stage.burst}`;
}

function modelNote(
  configuration: FlashConfiguration,
  pick: (m: FlashConfiguration['model']['results'][number]) => string,
): string {
  const model = configuration.model.results.find((m) => m.name === 'client');
  return model ? `; model of ${model.runs} crowds: ${pick(model)}` : '';
}

function flashChecks(flash: FlashResults, configuration: FlashConfiguration): TargetCheck[] {
  const run = configuration.runs.find((r) => r.name === 'client');
  if (run === undefined) return [];
  const crowd = `flash crowd of ${flash.customers}, ${configuration.label}`;
  return [
    {
      name: `${crowd}: customers started`,
      target: percent(CLIENT_TARGETS.flashStartedShare),
      measured: `${percent(run.shareStarted, 1)} (${run.started}/${run.customers})`,
      met: run.shareStarted >= CLIENT_TARGETS.flashStartedShare,
    },
    {
      name: `${crowd}: last start vs ideal`,
      target: `≤ ${times(CLIENT_TARGETS.flashLastVsIdeal, 2)}`,
      measured: `${times(run.lastVsIdeal)} (${ms(run.lastStartMs)} vs ${ms(flash.idealLastStartMs)})${modelNote(
        configuration,
        (m) =>
          `mean ${times(m.lastVsIdeal.mean)}, ≤ ${times(CLIENT_TARGETS.flashLastVsIdeal, 2)} in ${percent(m.metLastVsIdeal)}`,
      )}`,
      met: run.shareStarted >= CLIENT_TARGETS.flashStartedShare && run.lastVsIdeal <= CLIENT_TARGETS.flashLastVsIdeal,
    },
    {
      name: `${crowd}: API requests per customer (mean)`,
      target: `≤ ${CLIENT_TARGETS.flashRequestsPerCustomer}`,
      measured: `${fixed(run.requestsPerCustomer.mean)} (p99 ${run.requestsPerCustomer.p99}, max ${run.requestsPerCustomer.max})`,
      met: run.requestsPerCustomer.mean <= CLIENT_TARGETS.flashRequestsPerCustomer,
    },
    {
      name: `${crowd}: Connect calls per started chat`,
      target: `≤ ${CLIENT_TARGETS.flashCallsPerChat}`,
      measured: `${fixed(run.callsPerStartedChat)} (${run.connectCalls} calls)${modelNote(
        configuration,
        (m) => `mean ${fixed(m.callsPerChat.mean)}`,
      )}`,
      met: run.callsPerStartedChat <= CLIENT_TARGETS.flashCallsPerChat,
    },
  ];
}

export function clientTargetChecks(results: Measured): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const size = results.client?.size;
  if (size) {
    checks.push({
      name: 'browser client size, gzip',
      target: `≤ ${bytes(CLIENT_TARGETS.gzipBytes)}`,
      measured: `${bytes(size.gzipBytes)} (${bytes(size.bytes)} minified)`,
      met: size.gzipBytes <= CLIENT_TARGETS.gzipBytes,
    });
  }
  const flash = results.client?.flash;
  for (const configuration of flash?.configurations ?? []) checks.push(...flashChecks(flash!, configuration));
  return checks;
}

function answers(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([answer, count]) => `${count}× ${answer}`)
    .join(', ');
}

const RUN_HEADER = [
  'client',
  'started',
  'last start (vs ideal)',
  'time to chat p50 / p99',
  'requests per customer: mean / p99 / max',
  'Connect calls per chat',
];

function runRow(run: FlashRunResult): string[] {
  const requests = run.requestsPerCustomer;
  return [
    run.label,
    `${percent(run.shareStarted, 1)} (${run.started})`,
    `${ms(run.lastStartMs)} (${times(run.lastVsIdeal)})`,
    `${ms(run.timeToChat.median)} / ${ms(run.timeToChat.p99)}`,
    `${fixed(requests.mean)} / ${requests.p99} / ${requests.max}`,
    fixed(run.callsPerStartedChat),
  ];
}

const MODEL_HEADER = [
  'client',
  'started',
  'last start vs ideal: mean [p90, max]',
  'requests per customer',
  'calls per chat',
  'all four targets',
];

function modelRows(configuration: FlashConfiguration): string[][] {
  return configuration.model.results.map((m) => [
    m.label,
    percent(m.shareStarted.mean, 1),
    `${times(m.lastVsIdeal.mean)} [${times(m.lastVsIdeal.p90)}, ${times(m.lastVsIdeal.max)}]`,
    fixed(m.requestsPerCustomer.mean),
    fixed(m.callsPerChat.mean),
    percent(m.metAll),
  ]);
}

function configurationSection(configuration: FlashConfiguration): string[] {
  return [
    `#### ${stageText(configuration)}`,
    '',
    markdownTable(RUN_HEADER, configuration.runs.map(runRow)),
    '',
    ...configuration.runs.map((run) => `- **${run.label}**: the API answered ${answers(run.apiAnswers)}.`),
    '',
    `Model of ${configuration.model.settings.runs} crowds:`,
    '',
    markdownTable(MODEL_HEADER, modelRows(configuration)),
    '',
  ];
}

export function clientSection(results: Measured): string[] {
  const size = results.client?.size;
  const flash = results.client?.flash;
  if (!size && !flash) return [];
  const lines = ['## The browser client', ''];
  if (size) {
    lines.push(
      `\`start-chat-contact-api/client\` as the package builds it (scripts/build-client.ts: one ES module, ES2020, minified, nothing imported): ${bytes(size.bytes)}, ${bytes(size.gzipBytes)} gzip (level 9); its source map (${bytes(size.mapBytes)}) is not loaded by browsers unless asked for.`,
      '',
    );
  }
  const first = flash?.configurations[0];
  if (flash && first) {
    lines.push(
      `### Flash crowd: ${flash.customers} customers press "start chat" within ${ms(flash.spreadMs)}`,
      '',
      `Each customer through a client, against the local API (the deployed handler bundle behind the API Gateway emulation, whose stage throttling answers \`Retry-After: ${GATEWAY_ERROR_RESPONSES.THROTTLED.retryAfterSeconds}\`) and the Connect stand-in at Connect's 5/s, burst 8; every customer posts to \`POST /chat\`. The ideal queue starts its last chat at ${ms(flash.idealLastStartMs)}. Times from the first press until the customer's client resolved with a chat, within the clients' budget of 2 minutes; requests are every fetch a client made; Connect calls are every StartChatContact call the stand-in received. The clients: ${first.runs.map((run) => `**${run.label}**, ${run.description}`).join('; ')}.`,
      '',
      `The client's waits after a 429: \`Retry-After\` × 2^(n−1), at most ${THROTTLED_BACKOFF.capMs / 1_000} s and never less than \`Retry-After\`, plus a random 0-50 % (client/retry-policy.ts). One measured crowd is one draw of a random process; the model (bench/flash-crowd-model.ts) replays crowds with the same pieces, without network or processing time.`,
      '',
      ...flash.configurations.flatMap(configurationSection),
      "What limits the last start: the chat route admits Connect's rate (its default share of the stage's throttling), and the function retries Connect with later waits spread over three quarters of its time left (lambda/backoff.ts: few Connect calls per chat in a burst), so the last requests the stage let through can sleep while Connect has room, and customers still waiting when the crowd thins out come back up to 18 s later. A chat route given less than Connect's rate (an endpoint limit of 5/s shared by two routes gives each 2.5/s) is the limit instead: the crowd cannot be through before (customers − burst) / the route's rate, and the clients' 2-minute budget can end first.",
      '',
    );
  }
  return lines;
}

export function clientSummary(results: Measured): string[] {
  const out: string[] = [];
  const size = results.client?.size;
  if (size) out.push('', `Browser client: ${bytes(size.bytes)}, ${bytes(size.gzipBytes)} gzip`);
  const flash = results.client?.flash;
  for (const configuration of flash?.configurations ?? []) {
    out.push(
      '',
      `Flash crowd of ${flash!.customers} within ${ms(flash!.spreadMs)}, ${stageText(configuration)} (Connect 5/s, burst 8; ideal last start ${ms(flash!.idealLastStartMs)}):`,
      textTable(RUN_HEADER, configuration.runs.map(runRow)),
      `Model (${configuration.model.settings.runs} simulated crowds):`,
      textTable(MODEL_HEADER, modelRows(configuration)),
    );
  }
  return out;
}
