/**
 * What `startChat` retries, and how long it waits first.
 *
 * - **429** (`THROTTLED`: API Gateway's stage throttling, or Connect's rate throttled past the function's
 *   budget): retried. The n-th 429 waits its `Retry-After` × 2^(n−1), at most 12 s, and never less than
 *   the `Retry-After` itself; then a random 0-50 % more, so that customers turned away together come back
 *   spread out.
 * - **No answer** (network failure, per-attempt timeout), **502**, **504** and **503** other than
 *   `CAPACITY_EXCEEDED` (such as `IDENTITY_UNAVAILABLE`, the identity provider's keys out of reach):
 *   retried the same way from the `Retry-After` if one came, else from 1 s, at most 8 s. No wait starts
 *   under 1 s.
 * - Anything else is final: **503** `CAPACITY_EXCEEDED` (a full concurrent-chat quota frees up in minutes,
 *   so the caller decides, with the answer's `Retry-After` in hand), every other 4xx, and 500.
 *
 * Why these waits (README, "From your widget"; `npm run bench`, the flash crowd): the endpoint admits a
 * burst of 50 and then 5 requests a second, Connect's own rate, and its stage throttling answers with
 * `Retry-After: 6`. A crowd turned away together comes back after 6-9 s, when the function has worked
 * through the requests the burst let in; those turned away again come back every 12-18 s: rarely enough
 * that a crowd of 500 sends about 4 requests a customer, often enough that Connect never runs out of work
 * while customers still wait.
 */

export interface Backoff {
  /** The first wait when the answer's `Retry-After` is shorter or missing, ms. */
  readonly baseMs: number;
  /** The longest doubled wait, ms; a longer `Retry-After` is still honoured. */
  readonly capMs: number;
}

export const THROTTLED_BACKOFF: Backoff = { baseMs: 1_000, capMs: 12_000 };
export const TRANSIENT_BACKOFF: Backoff = { baseMs: 1_000, capMs: 8_000 };

/** The share of a wait added at random, at most. */
export const JITTER = 0.5;

/** The code of a full concurrent-chat quota: a 503 that is not retried. */
export const CAPACITY_EXCEEDED = 'CAPACITY_EXCEEDED';

/** Which backoff a failed attempt calls for (status 0: no answer), or undefined when it is final. */
export function backoffFor(status: number, code: string): Backoff | undefined {
  if (status === 429) return THROTTLED_BACKOFF;
  const transient = status === 0 || status === 502 || status === 504 || (status === 503 && code !== CAPACITY_EXCEEDED);
  return transient ? TRANSIENT_BACKOFF : undefined;
}

/** The wait before the next attempt, ms, after the n-th failure of its kind. */
export function retryDelayMs(
  backoff: Backoff,
  failures: number,
  retryAfterSeconds: number | undefined,
  random: () => number,
): number {
  const first = Math.max(backoff.baseMs, (retryAfterSeconds ?? 0) * 1000);
  const wait = Math.max(first, Math.min(backoff.capMs, first * 2 ** (failures - 1)));
  return Math.round(wait * (1 + JITTER * random()));
}
