/**
 * The flash-crowd model: one measured crowd is one draw of a random process, so the model replays it many
 * times in simulated time with the real pieces: API Gateway's stage throttling (a `TokenBucket` of the chat
 * route's share of the construct's limits, answering its gateway response's `Retry-After`), the function's
 * retry loop (`retryDelayMs` of lambda/backoff.ts, its budget and attempt cap, its `Retry-After` when Connect
 * stays throttled), Connect's rate (a `TokenBucket` of 5/s, burst 8) and the client's waits and time budget
 * (client/retry-policy.ts, START_CHAT_DEFAULTS). It gives the distribution of each flash-crowd figure and
 * how often each target is met, in seconds; the measured runs check it. Network and processing times are
 * left out.
 */
import { retryDelayMs as clientDelay, THROTTLED_BACKOFF } from '../client/retry-policy.ts';
import { START_CHAT_DEFAULTS } from '../client/start-chat.ts';
import { retryDelayMs as handlerDelay, MIN_ATTEMPT_WINDOW_MS } from '../lambda/backoff.ts';
import { RETRY_AFTER_SECONDS } from '../lambda/classify-connect-error.ts';
import { GATEWAY_ERROR_RESPONSES } from '../lib/gateway-error-responses.ts';
import { TokenBucket } from '../local/connect-stand-in/token-bucket.ts';
import { HANDLER_RETRY_DEFAULTS } from './burst-model.ts';
import { percentile, seededRandom } from './lib/stats.ts';

export interface FlashModelSettings {
  readonly customers: number;
  readonly spreadMs: number;
  readonly stage: { readonly ratePerSecond: number; readonly burst: number };
  readonly connect: { readonly ratePerSecond: number; readonly burst: number };
  readonly runs: number;
}

export interface FlashModelTargets {
  readonly lastVsIdeal: number;
  readonly requestsPerCustomer: number;
  readonly callsPerChat: number;
}

/** A client's wait after its n-th failed attempt, ms. */
type ClientWait = (retryAfterSeconds: number, failures: number, random: () => number) => number;

const CLIENT_WAITS: ReadonlyArray<{ readonly name: string; readonly label: string; readonly wait: ClientWait }> = [
  {
    name: 'client',
    label: 'start-chat-contact-api/client',
    // Every failure in the model is a 429: the stage's, or the function's when Connect stayed throttled.
    wait: (retryAfter, failures, random) => clientDelay(THROTTLED_BACKOFF, failures, retryAfter, random),
  },
  {
    name: 'plain',
    label: 'plain Retry-After + up to 1 s',
    wait: (retryAfter, _f, random) => (retryAfter + random()) * 1_000,
  },
];

export interface FlashModelResult {
  readonly name: string;
  readonly label: string;
  readonly runs: number;
  readonly lastVsIdeal: { readonly mean: number; readonly p90: number; readonly max: number };
  readonly requestsPerCustomer: { readonly mean: number; readonly p90: number };
  readonly callsPerChat: { readonly mean: number; readonly p90: number };
  readonly shareStarted: { readonly mean: number; readonly min: number };
  readonly metLastVsIdeal: number;
  readonly metRequests: number;
  readonly metCallsPerChat: number;
  readonly metAll: number;
}

interface Event {
  readonly at: number;
  readonly customer: number;
  /** 0 for a request to the API; n for the function's n-th Connect call. */
  readonly call: number;
  readonly deadline: number;
}

/** One crowd: per customer the start (ms after the first press; Infinity if none) and the requests; the Connect calls. */
function simulate(
  settings: FlashModelSettings,
  wait: ClientWait,
  random: () => number,
): { startMs: number[]; requests: number[]; calls: number } {
  let now = 0;
  const stage = new TokenBucket({ ...settings.stage, now: () => now });
  const connect = new TokenBucket({ ...settings.connect, now: () => now });
  const pressed = Array.from({ length: settings.customers }, () => random() * settings.spreadMs);
  const startMs = pressed.map(() => Number.POSITIVE_INFINITY);
  const requests = pressed.map(() => 0);
  const failures = pressed.map(() => 0);
  const events: Event[] = pressed.map((at, customer) => ({ at, customer, call: 0, deadline: 0 }));
  let calls = 0;
  const retry = (customer: number, retryAfterSeconds: number) => {
    const at = now + wait(retryAfterSeconds, ++failures[customer]!, random);
    if (at < pressed[customer]! + START_CHAT_DEFAULTS.timeoutMs) events.push({ at, customer, call: 0, deadline: 0 });
  };
  while (events.length > 0) {
    let next = 0;
    for (let i = 1; i < events.length; i++) if (events[i]!.at < events[next]!.at) next = i;
    const event = events[next]!;
    events[next] = events[events.length - 1]!;
    events.pop();
    now = event.at;
    if (event.call === 0) {
      requests[event.customer]!++;
      if (stage.tryTake())
        events.push({ at: now, customer: event.customer, call: 1, deadline: now + HANDLER_RETRY_DEFAULTS.budgetMs });
      else retry(event.customer, GATEWAY_ERROR_RESPONSES.THROTTLED.retryAfterSeconds);
      continue;
    }
    calls++;
    if (connect.tryTake()) {
      startMs[event.customer] = now;
      continue;
    }
    const delay =
      event.call < HANDLER_RETRY_DEFAULTS.maxAttempts
        ? handlerDelay({
            retry: event.call,
            remainingMs: event.deadline - now,
            baseDelayMs: HANDLER_RETRY_DEFAULTS.baseDelayMs,
            random,
          })
        : undefined;
    if (delay === undefined || event.deadline - (now + delay) < MIN_ATTEMPT_WINDOW_MS)
      retry(event.customer, RETRY_AFTER_SECONDS.throttled);
    else events.push({ ...event, at: now + delay, call: event.call + 1 });
  }
  return { startMs, requests, calls };
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export function runFlashModel(settings: FlashModelSettings, targets: FlashModelTargets): FlashModelResult[] {
  const idealLastMs = ((settings.customers - settings.connect.burst) / settings.connect.ratePerSecond) * 1_000;
  return CLIENT_WAITS.map(({ name, label, wait }) => {
    const last: number[] = [];
    const perCustomer: number[] = [];
    const perChat: number[] = [];
    const started: number[] = [];
    let metAll = 0;
    for (let run = 0; run < settings.runs; run++) {
      const crowd = simulate(settings, wait, seededRandom(run + 1));
      const starts = crowd.startMs.filter(Number.isFinite);
      const lastVsIdeal = starts.length === 0 ? Number.POSITIVE_INFINITY : Math.max(...starts) / idealLastMs;
      const requests = mean(crowd.requests);
      const callsPerChat = crowd.calls / starts.length;
      last.push(lastVsIdeal);
      perCustomer.push(requests);
      perChat.push(callsPerChat);
      started.push(starts.length / settings.customers);
      if (
        starts.length === settings.customers &&
        lastVsIdeal <= targets.lastVsIdeal &&
        requests <= targets.requestsPerCustomer &&
        callsPerChat <= targets.callsPerChat
      )
        metAll++;
    }
    const share = (values: readonly number[], goal: number) => values.filter((v) => v <= goal).length / values.length;
    return {
      name,
      label,
      runs: settings.runs,
      lastVsIdeal: { mean: mean(last), p90: percentile(last, 90), max: Math.max(...last) },
      requestsPerCustomer: { mean: mean(perCustomer), p90: percentile(perCustomer, 90) },
      callsPerChat: { mean: mean(perChat), p90: percentile(perChat, 90) },
      shareStarted: { mean: mean(started), min: Math.min(...started) },
      metLastVsIdeal: share(last, targets.lastVsIdeal),
      metRequests: share(perCustomer, targets.requestsPerCustomer),
      metCallsPerChat: share(perChat, targets.callsPerChat),
      metAll: metAll / settings.runs,
    };
  });
}
