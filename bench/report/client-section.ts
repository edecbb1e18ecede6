/**
 * The browser client's part of the report: its size, the flash crowd (measured, and the model), their target
 * checks, and their lines of the printed summary.
 */
import { THROTTLED_BACKOFF } from '../../client/retry-policy.ts';
import { GATEWAY_ERROR_RESPONSES } from '../../lib/gateway-error-responses.ts';
import type { FlashRunResult } from '../flash-crowd.ts';
import { fixed, markdownTable, ms, percent, textTable, times } from '../lib/format.ts';
import type { BenchResults, FlashResults, TargetCheck } from '../lib/results.ts';

export const CLIENT_TARGETS = {
  gzipBytes: 2_048,
  flashStartedShare: 1,
  flashLastVsIdeal: 1.1,
  flashRequestsPerCustomer: 5,
  flashCallsPerChat: 3,
} as const;

type Measured = Pick<BenchResults, 'client'>;

function ours(flash: FlashResults): FlashRunResult | undefined {
  return flash.runs.find((run) => run.name === 'client');
}

function bytes(value: number): string {
  return `${value.toLocaleString('en')} bytes`;
}

function modelNote(flash: FlashResults, pick: (m: FlashResults['model']['results'][number]) => string): string {
  const model = flash.model.results.find((m) => m.name === 'client');
  return model ? `; model of ${model.runs} crowds: ${pick(model)}` : '';
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
  const run = flash && ours(flash);
  if (flash && run) {
    const crowd = `flash crowd of ${flash.customers}`;
    checks.push(
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
          flash,
          (m) =>
            `mean ${times(m.lastVsIdeal.mean)}, ≤ ${times(CLIENT_TARGETS.flashLastVsIdeal, 2)} in ${percent(m.metLastVsIdeal)}`,
        )}`,
        met: run.lastVsIdeal <= CLIENT_TARGETS.flashLastVsIdeal,
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
          flash,
          (m) => `mean ${fixed(m.callsPerChat.mean)}`,
        )}`,
        met: run.callsPerStartedChat <= CLIENT_TARGETS.flashCallsPerChat,
      },
    );
  }
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
  'last start vs ideal: mean [p90, max]',
  'requests per customer',
  'calls per chat',
  'all four targets',
];

function modelRows(flash: FlashResults): string[][] {
  return flash.model.results.map((m) => [
    m.label,
    `${times(m.lastVsIdeal.mean)} [${times(m.lastVsIdeal.p90)}, ${times(m.lastVsIdeal.max)}]`,
    fixed(m.requestsPerCustomer.mean),
    fixed(m.callsPerChat.mean),
    percent(m.metAll),
  ]);
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
  if (flash) {
    lines.push(
      `### Flash crowd: ${flash.customers} customers press "start chat" within ${ms(flash.spreadMs)}`,
      '',
      `Each customer through a client, against the local API (the deployed handler bundle behind the API Gateway emulation, stage throttling 5/s burst 50 answering \`Retry-After: ${GATEWAY_ERROR_RESPONSES.THROTTLED.retryAfterSeconds}\`) and the Connect stand-in at Connect's 5/s, burst 8. The ideal queue starts its last chat at ${ms(flash.idealLastStartMs)}. Times from the first press until the customer's client resolved with a chat; requests are every fetch a client made; Connect calls are every StartChatContact call the stand-in received.`,
      '',
      markdownTable(RUN_HEADER, flash.runs.map(runRow)),
      '',
      ...flash.runs.flatMap((run) => [
        `- **${run.label}**: ${run.description}. The API answered ${answers(run.apiAnswers)}.`,
      ]),
      '',
      `The client's waits after a 429: \`Retry-After\` × 2^(n−1), at most ${THROTTLED_BACKOFF.capMs / 1_000} s and never less than \`Retry-After\`, plus a random 0-50 % (client/retry-policy.ts). One measured crowd is one draw of a random process; the model replays ${flash.model.settings.runs} crowds with the same pieces (bench/flash-crowd-model.ts; no network or processing time):`,
      '',
      markdownTable(MODEL_HEADER, modelRows(flash)),
      '',
      'What limits the last start: the function retries Connect with later waits spread over three quarters of its time left (lambda/backoff.ts: few Connect calls per chat in a burst), so the last requests the stage let through can sleep in the function while Connect has room; and customers still waiting when the crowd thins out come back up to 18 s later. Shorter client waits send more requests per customer; shorter function waits cost more Connect calls per chat.',
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
  if (flash) {
    out.push(
      '',
      `Flash crowd of ${flash.customers} within ${ms(flash.spreadMs)} (Connect 5/s, burst 8; ideal last start ${ms(flash.idealLastStartMs)}):`,
      textTable(RUN_HEADER, flash.runs.map(runRow)),
      '',
      `Model (${flash.model.settings.runs} simulated crowds):`,
      textTable(MODEL_HEADER, modelRows(flash)),
    );
  }
  return out;
}
