/**
 * The burst model: one measured burst is one draw of a random process (every retry delay is random), and
 * "3.0 calls per chat" can land on either side of the target by chance. The model replays the burst many
 * times in simulated time with the real pieces: `retryDelayMs` from lambda/backoff.ts (or a variant), the
 * handler's loop rules (budget, attempt cap, minimum attempt window, as in start-chat-with-retry.ts) and
 * the stand-in's `TokenBucket`. It gives the distribution of each burst figure, and how often each target
 * is met, in about a second; the measured runs check it.
 */
import type { BackoffInput } from '../lambda/backoff.ts';
import {
  retryDelayMs as deployedRetryDelay,
  MIN_ATTEMPT_WINDOW_MS,
  SPREAD_OF_REMAINING_TIME,
} from '../lambda/backoff.ts';
import { TokenBucket } from '../local/connect-stand-in/token-bucket.ts';
import { retryDelayMs as doublingRetryDelay } from './fixtures/backoff-doubling.ts';
import { spreadRetryDelay } from './fixtures/backoff-spread.ts';
import { fraction } from './lib/format.ts';
import { idealStartTimesMs, percentile, seededRandom } from './lib/stats.ts';

/**
 * The handler's retry defaults, as the README documents them (CONNECT_RETRY_BUDGET_MS, CONNECT_MAX_ATTEMPTS,
 * CONNECT_RETRY_BASE_DELAY_MS). The measured runs use whatever the deployed bundle does; if these drift
 * from it, the model and the measurement disagree and the report shows both.
 */
export const HANDLER_RETRY_DEFAULTS = { budgetMs: 25_000, baseDelayMs: 1_000, maxAttempts: 8 } as const;

/** The share of the time left that later retries spread over before 3/4 was adopted, measured for comparison. */
export const PREVIOUS_SPREAD_OF_REMAINING_TIME = 2 / 3;
/** A wider spread, modelled only, to show the trade-off on both sides of the deployed value. */
const WIDER_SPREAD = 4 / 5;

/** The doubling schedule's settings (CONNECT_RETRY_BASE_DELAY_MS, CONNECT_MAX_ATTEMPTS) in the model and the measured burst. */
export const DOUBLING_SETTINGS = { baseDelayMs: 100, maxAttempts: 20 } as const;

/** The names and labels the model and the measured burst share, so their rows line up. */
export const SCHEDULE_LABELS = {
  handler: `our handler (deployed, spread ${fraction(SPREAD_OF_REMAINING_TIME)})`,
  previousSpread: `our handler, previous spread ${fraction(PREVIOUS_SPREAD_OF_REMAINING_TIME)}`,
  doubling: 'our handler, doubling backoff',
} as const;

export interface ModelSchedule {
  readonly name: string;
  readonly label: string;
  readonly retryDelay: (input: BackoffInput) => number | undefined;
  readonly baseDelayMs: number;
  readonly maxAttempts: number;
}

export interface ModelSettings {
  readonly requests: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly budgetMs: number;
  /** Arrivals spread uniformly over this window (the measured spread of first calls). */
  readonly arrivalSpreadMs: number;
  /** Round trip of one call. */
  readonly roundTripMs: number;
  readonly runs: number;
}

export interface ModelResult {
  readonly name: string;
  readonly label: string;
  readonly runs: number;
  readonly callsPerChat: { readonly mean: number; readonly p10: number; readonly p90: number };
  readonly p99VsIdeal: { readonly mean: number; readonly p10: number; readonly p90: number };
  readonly shareStarted: { readonly mean: number; readonly min: number };
  /** Share of simulated bursts meeting each target, and all three. */
  readonly metCallsPerChat: number;
  readonly metP99: number;
  readonly metStarted: number;
  readonly metAll: number;
}

export function modelSchedules(): ModelSchedule[] {
  const { baseDelayMs, maxAttempts } = HANDLER_RETRY_DEFAULTS;
  const spread = (name: string, label: string, share: number): ModelSchedule => ({
    name,
    label,
    retryDelay: spreadRetryDelay(share),
    baseDelayMs,
    maxAttempts,
  });
  return [
    { name: 'handler', label: SCHEDULE_LABELS.handler, retryDelay: deployedRetryDelay, baseDelayMs, maxAttempts },
    spread('handler-spread-previous', SCHEDULE_LABELS.previousSpread, PREVIOUS_SPREAD_OF_REMAINING_TIME),
    ...(WIDER_SPREAD > SPREAD_OF_REMAINING_TIME
      ? [spread('spread-wider', `spread ${fraction(WIDER_SPREAD)} (modelled only, not deployed)`, WIDER_SPREAD)]
      : []),
    { name: 'handler-doubling', label: SCHEDULE_LABELS.doubling, retryDelay: doublingRetryDelay, ...DOUBLING_SETTINGS },
  ];
}

interface Attempt {
  readonly request: number;
  readonly attempt: number;
  readonly at: number;
}

/** One simulated burst: start time per request (Infinity when none) and the number of calls. */
function simulateBurst(
  schedule: ModelSchedule,
  settings: ModelSettings,
  random: () => number,
): { startMs: number[]; calls: number } {
  let now = 0;
  const bucket = new TokenBucket({ ratePerSecond: settings.ratePerSecond, burst: settings.burst, now: () => now });
  const arrivals = Array.from({ length: settings.requests }, () => random() * settings.arrivalSpreadMs);
  const queue: Attempt[] = arrivals.map((at, request) => ({ request, attempt: 1, at }));
  const startMs = Array.from({ length: settings.requests }, () => Number.POSITIVE_INFINITY);
  let calls = 0;
  while (queue.length > 0) {
    queue.sort((a, b) => b.at - a.at);
    const next = queue.pop()!;
    now = next.at + settings.roundTripMs / 2;
    calls++;
    const answeredAt = next.at + settings.roundTripMs;
    if (bucket.tryTake()) {
      startMs[next.request] = answeredAt;
      continue;
    }
    const deadline = arrivals[next.request]! + settings.budgetMs;
    if (next.attempt >= schedule.maxAttempts) continue;
    const delay = schedule.retryDelay({
      retry: next.attempt,
      remainingMs: deadline - answeredAt,
      baseDelayMs: schedule.baseDelayMs,
      random,
    });
    if (delay === undefined) continue;
    const at = answeredAt + delay;
    if (deadline - at < MIN_ATTEMPT_WINDOW_MS) continue;
    queue.push({ request: next.request, attempt: next.attempt + 1, at });
  }
  return { startMs, calls };
}

function spreadOf(values: readonly number[]): { mean: number; p10: number; p90: number } {
  const finite = values.filter(Number.isFinite);
  return {
    mean: finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length,
    p10: percentile(values, 10),
    p90: percentile(values, 90),
  };
}

export function runBurstModel(
  settings: ModelSettings,
  targets: { readonly startedShare: number; readonly callsPerChat: number; readonly p99VsIdeal: number },
  schedules: readonly ModelSchedule[] = modelSchedules(),
): ModelResult[] {
  const idealP99 = percentile(idealStartTimesMs(settings.requests, settings.ratePerSecond, settings.burst), 99);
  return schedules.map((schedule) => {
    const callsPerChat: number[] = [];
    const p99VsIdeal: number[] = [];
    const started: number[] = [];
    let metAll = 0;
    for (let run = 0; run < settings.runs; run++) {
      const { startMs, calls } = simulateBurst(schedule, settings, seededRandom(run + 1));
      const count = startMs.filter(Number.isFinite).length;
      const cpc = count === 0 ? Number.POSITIVE_INFINITY : calls / count;
      const p99 = percentile(startMs, 99) / idealP99;
      callsPerChat.push(cpc);
      p99VsIdeal.push(p99);
      started.push(count / settings.requests);
      if (cpc <= targets.callsPerChat && p99 <= targets.p99VsIdeal && count / settings.requests >= targets.startedShare)
        metAll++;
    }
    const share = (values: readonly number[], ok: (value: number) => boolean) =>
      values.filter(ok).length / values.length;
    return {
      name: schedule.name,
      label: schedule.label,
      runs: settings.runs,
      callsPerChat: spreadOf(callsPerChat),
      p99VsIdeal: spreadOf(p99VsIdeal),
      shareStarted: {
        mean: started.reduce((sum, value) => sum + value, 0) / started.length,
        min: Math.min(...started),
      },
      metCallsPerChat: share(callsPerChat, (value) => value <= targets.callsPerChat),
      metP99: share(p99VsIdeal, (value) => value <= targets.p99VsIdeal),
      metStarted: share(started, (value) => value >= targets.startedShare),
      metAll: metAll / settings.runs,
    };
  });
}
