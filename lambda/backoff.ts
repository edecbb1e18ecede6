/**
 * How long to wait before the next StartChatContact attempt: full jitter (a uniform random delay from
 * zero to a cap), with a cap that grows from `baseDelayMs` to three quarters of the time left.
 *
 * The first retry comes within `baseDelayMs`, so a short blip of throttling or a lone fault costs little.
 * Every later retry spreads over three quarters of the time left before the deadline. Lambda instances
 * cannot coordinate, and when a burst of customers arrives at once, Amazon Connect's rate limit (5/s,
 * burst 8) serves them one token at a time: spreading the retries over the time that is left keeps the
 * attempts arriving at about the rate tokens appear, so the burst drains almost as fast as the ideal
 * queue while each chat costs fewer than three calls. Plain doubling from a small base spends more calls
 * early, when nearly every attempt is throttled (about 7 calls a chat for the same burst). Two thirds of
 * the time left gave 3.0 calls a chat, three quarters 2.9 with a shorter tail. `npm run bench` measures the
 * schedule against doubling and the SDK's own retry modes.
 */

/** The share of the remaining time that later retries spread over. */
export const SPREAD_OF_REMAINING_TIME = 3 / 4;

/** An attempt needs at least this long to be worth making. */
export const MIN_ATTEMPT_WINDOW_MS = 250;

export interface BackoffInput {
  /** 1 for the first retry, 2 for the second, ... */
  readonly retry: number;
  /** Milliseconds left before the request's deadline. */
  readonly remainingMs: number;
  readonly baseDelayMs: number;
  /** A uniform random number in [0, 1). */
  readonly random: () => number;
}

/** The delay before the next attempt, or undefined when no attempt fits before the deadline. */
export function retryDelayMs({ retry, remainingMs, baseDelayMs, random }: BackoffInput): number | undefined {
  const cap = retry <= 1 ? baseDelayMs : Math.max(baseDelayMs, remainingMs * SPREAD_OF_REMAINING_TIME);
  const delay = Math.floor(random() * cap);
  return remainingMs - delay >= MIN_ATTEMPT_WINDOW_MS ? delay : undefined;
}

/** A Retry-After value in whole seconds, drawn from [min, max] so that rejected clients do not return together. */
export function jitteredRetryAfterSeconds(min: number, max: number, random: () => number): number {
  return min + Math.floor(random() * (max - min + 1));
}
