/**
 * The flash crowd: `customers` customers press "start chat" within one second, each through a client, against
 * the local API (the deployed handler bundle behind the API Gateway emulation, as `npm start` runs it) and the
 * Connect stand-in at Connect's rate (5 requests/s, burst 8). Connect cannot start them faster than the ideal
 * queue, whose last start is at (customers − 8) / 5 s.
 *
 * Per client: the share of customers started; the time until the last one started (from the first press,
 * as the customer sees it: when the client resolved), against the ideal; the API requests per customer
 * (every fetch the client made); and Connect's StartChatContact calls per started chat.
 *
 * Each client runs against a fresh local API and stand-in. The function may run as many containers at once
 * as API Gateway's burst lets requests through (Lambda would scale past that; the local runtime otherwise
 * queues invocations), all started before the crowd so that their cold starts, which Lambda runs on separate
 * machines, do not share this machine's cores with the crowd.
 */
import type { AccessLogEntry } from '../local/api-gateway-server.ts';
import { startLocalApi } from '../local/local-api.ts';
import { readSettings } from '../local/settings.ts';
import { type Summary, summarize } from './lib/stats.ts';

/** One customer's start: resolves true when a chat started, false when the client gave up. */
export type StartOne = (url: string, request: object, fetch: typeof globalThis.fetch) => Promise<boolean>;

export interface FlashClient {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly start: StartOne;
}

export interface FlashRunResult {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly customers: number;
  readonly started: number;
  readonly shareStarted: number;
  /** From the first press until the last customer's client resolved with a chat, ms. */
  readonly lastStartMs: number;
  readonly lastVsIdeal: number;
  /** Per started customer, from its own press until its chat, ms. */
  readonly timeToChat: Summary;
  /** Requests the client sent, per customer. */
  readonly requestsPerCustomer: Summary;
  readonly apiRequests: number;
  readonly connectCalls: number;
  readonly callsPerStartedChat: number;
  /** What the API answered, e.g. { "200": 500, "429 stage": 1400, "429 function": 12 }. */
  readonly apiAnswers: Record<string, number>;
  /** Start of each chat, ms after the first press, sorted; for the plot. */
  readonly startMs: number[];
  readonly durationMs: number;
}

export interface FlashCrowdOptions {
  readonly client: FlashClient;
  readonly customers: number;
  /** Presses spread uniformly over this window, ms. */
  readonly spreadMs: number;
  /** The ideal queue's last start, ms. */
  readonly idealLastStartMs: number;
  /** Function containers, started before the crowd. */
  readonly containers: number;
  /** The stage's chat routes; the crowd posts to the first. */
  readonly resources: readonly string[];
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export async function runFlashCrowd(options: FlashCrowdOptions): Promise<FlashRunResult> {
  const { client, customers } = options;
  const apiAnswers: Record<string, number> = {};
  const onRequest = (entry: AccessLogEntry) =>
    count(
      apiAnswers,
      entry.status === 200
        ? '200'
        : `${entry.status} ${entry.gatewayResponse === undefined ? 'function' : entry.gatewayResponse === 'THROTTLED' ? 'stage' : entry.gatewayResponse}`,
    );
  const api = await startLocalApi(readSettings([], { PORT: '0' }), {
    // Quiet: no log lines, and no EMF lines on this process's stdout.
    functionEnv: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    standIn: { maxConcurrentChats: Number.MAX_SAFE_INTEGER },
    resources: options.resources,
    maxConcurrency: options.containers,
    warmContainers: options.containers,
    onRequest,
  });
  try {
    const requests = new Array<number>(customers).fill(0);
    const startedAt = new Array<number | undefined>(customers);
    const pressedAt = new Array<number>(customers);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: customers }, async (_, i) => {
        const delay = Math.random() * options.spreadMs;
        await new Promise((resolve) => setTimeout(resolve, delay));
        pressedAt[i] = performance.now() - t0;
        const counting: typeof globalThis.fetch = (input, init) => {
          requests[i]!++;
          return fetch(input, init);
        };
        const started = await options.client
          .start(api.apiUrl, { ParticipantDetails: { DisplayName: `Customer ${i + 1}` } }, counting)
          .catch(() => false);
        if (started) startedAt[i] = performance.now() - t0;
      }),
    );
    const durationMs = performance.now() - t0;
    const startMs = startedAt.filter((at): at is number => at !== undefined).sort((a, b) => a - b);
    const lastStartMs = startMs.length === 0 ? Number.NaN : startMs[startMs.length - 1]!;
    const connectCalls = api.standIn!.startChatCalls().length;
    return {
      name: client.name,
      label: client.label,
      description: client.description,
      customers,
      started: startMs.length,
      shareStarted: startMs.length / customers,
      lastStartMs,
      lastVsIdeal: lastStartMs / options.idealLastStartMs,
      timeToChat: summarize(startedAt.flatMap((at, i) => (at === undefined ? [] : [at - pressedAt[i]!]))),
      requestsPerCustomer: summarize(requests),
      apiRequests: requests.reduce((sum, n) => sum + n, 0),
      connectCalls,
      callsPerStartedChat: startMs.length === 0 ? Number.POSITIVE_INFINITY : connectCalls / startMs.length,
      apiAnswers,
      startMs: startMs.map(Math.round),
      durationMs,
    };
  } finally {
    await api.close();
  }
}
