/**
 * `startChat`: one logical chat start against the endpoint, with the same guarantees end to end as the
 * handler gives towards Connect. One idempotency key per call, sent on every attempt, so an answer lost
 * after the chat started is recovered by the retry, which gets the same chat back. Retries and waits follow
 * retry-policy.ts, within a time budget, each attempt with its own timeout, all stopped at once by the
 * caller's `AbortSignal`. Uses only fetch, AbortController, setTimeout and crypto: browsers, React Native,
 * Node 20 and later.
 */
import type { FieldIssue, StartChatData, StartChatRequest } from './http-contract.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import type { PlatformAbortSignal, PlatformFetch } from './platform.ts';
import { backoffFor, retryDelayMs, THROTTLED_BACKOFF } from './retry-policy.ts';
import { StartChatError } from './start-chat-error.ts';

export interface StartChatOptions {
  /**
   * Asked before every attempt, so a refreshed token is used; a token is sent as
   * `Authorization: Bearer <token>`, nothing when it returns `undefined` or `null`. It has the attempt's time
   * (`attemptTimeoutMs`, within what is left of `timeoutMs`): when it throws, rejects or takes longer, the
   * call rejects with `TOKEN_ERROR`, without a retry.
   */
  readonly getToken?: () => string | null | undefined | PromiseLike<string | null | undefined>;
  /**
   * Stops everything at once: the attempt in flight, a `getToken` still pending, and any wait. The call
   * rejects with `ABORTED`.
   */
  readonly signal?: PlatformAbortSignal;
  /** The time budget of the whole call, waits included, ms. @default 120_000 */
  readonly timeoutMs?: number;
  /**
   * How long one attempt may take, ms. The default is just over API Gateway's 29 s, within which the
   * endpoint always answers, so an attempt only times out when its answer was lost. @default 30_000
   */
  readonly attemptTimeoutMs?: number;
  /** Further request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Told before each wait, e.g. to show "still connecting" with the failure and the wait. */
  readonly onRetry?: (retry: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: StartChatError;
  }) => void;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: PlatformFetch;
}

export const START_CHAT_DEFAULTS = { timeoutMs: 120_000, attemptTimeoutMs: 30_000 } as const;

function aborted(signal: PlatformAbortSignal): StartChatError {
  return new StartChatError({
    status: 0,
    code: 'ABORTED',
    message: 'The chat start was aborted',
    cause: signal.reason,
  });
}

/** What `race` resolves to when its time is up first. */
const TIME_UP = Symbol('time up');

/**
 * Settles as `promise` does, unless `ms` pass first (then resolves to `TIME_UP`) or the signal fires (then
 * rejects with `ABORTED`, at once). Without a promise: a wait of `ms` that the signal cuts short.
 */
function race<T>(
  ms: number,
  signal: PlatformAbortSignal | undefined,
  promise: PromiseLike<T> = new Promise<never>(() => {}),
): Promise<T | typeof TIME_UP> {
  return new Promise((resolve, reject) => {
    const end = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      end();
      reject(aborted(signal!));
    };
    const timer = setTimeout(() => {
      end();
      resolve(TIME_UP);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    promise.then(
      (value) => {
        end();
        resolve(value);
      },
      (error) => {
        end();
        reject(error);
      },
    );
  });
}

/** `Retry-After` in seconds: a number of seconds, or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const date = Date.parse(header);
  if (seconds >= 0) return seconds;
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** What the answer's body may hold, before it is checked. */
interface Envelope {
  readonly success?: unknown;
  readonly data?: { readonly startChatResult?: unknown };
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly details?: unknown;
    readonly requestId?: unknown;
  };
}

/** The answer as the contract's data, or as the error it describes. */
function readAnswer(response: Response, text: string): StartChatData | StartChatError {
  let body: Envelope | undefined;
  try {
    body = JSON.parse(text);
  } catch {}
  if (response.ok && body?.success === true && body.data?.startChatResult) return body.data as StartChatData;
  const error = body?.success === false ? body.error : undefined;
  return new StartChatError({
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : 'INVALID_RESPONSE',
    message:
      typeof error?.message === 'string' ? error.message : `Unexpected answer from the endpoint (${response.status})`,
    details: Array.isArray(error?.details) ? (error.details as FieldIssue[]) : undefined,
    requestId: typeof error?.requestId === 'string' ? error.requestId : undefined,
    retryAfterSeconds: retryAfterSeconds(response.headers.get('Retry-After')),
  });
}

/**
 * Starts a chat: posts `request` to `url` and resolves to the answer's `data` (`startChatResult`,
 * `featurePermissions`), retrying as retry-policy.ts says; rejects with a `StartChatError`.
 */
export async function startChat(
  url: string,
  request: StartChatRequest,
  options: StartChatOptions = {},
): Promise<StartChatData> {
  const { signal, getToken, onRetry } = options;
  const send = options.fetch ?? fetch;
  const deadline = Date.now() + (options.timeoutMs ?? START_CHAT_DEFAULTS.timeoutMs);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? START_CHAT_DEFAULTS.attemptTimeoutMs;
  const key = request.ClientToken ?? newIdempotencyKey();
  const body = JSON.stringify(request);
  let throttled = 0;
  let transient = 0;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted(signal);
    // The token gets the attempt's time, within the budget; a getToken that hangs is cut short too.
    const tokenMs = Math.min(attemptTimeoutMs, deadline - Date.now());
    let token: string | null | undefined | typeof TIME_UP;
    try {
      token = getToken && (await race(tokenMs, signal, Promise.resolve(getToken())));
    } catch (cause) {
      if (signal?.aborted) throw aborted(signal);
      throw new StartChatError({ status: 0, code: 'TOKEN_ERROR', message: 'getToken failed', cause });
    }
    if (token === TIME_UP)
      throw new StartChatError({ status: 0, code: 'TOKEN_ERROR', message: `getToken did not answer in ${tokenMs} ms` });
    if (signal?.aborted) throw aborted(signal);

    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop);
    const timer = setTimeout(stop, Math.min(attemptTimeoutMs, deadline - Date.now()));
    let outcome: StartChatData | StartChatError;
    try {
      const response = await send(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
          ...(token && { Authorization: `Bearer ${token}` }),
          ...options.headers,
        },
        body,
        signal: controller.signal,
      });
      outcome = readAnswer(response, await response.text());
    } catch (cause) {
      if (signal?.aborted) throw aborted(signal);
      outcome = controller.signal.aborted
        ? new StartChatError({ status: 0, code: 'TIMEOUT', message: 'The endpoint did not answer in time', cause })
        : new StartChatError({ status: 0, code: 'NETWORK_ERROR', message: 'The endpoint could not be reached', cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
    if (!(outcome instanceof StartChatError)) return outcome;

    const backoff = backoffFor(outcome.status, outcome.code);
    if (backoff === undefined) throw outcome;
    const count = backoff === THROTTLED_BACKOFF ? ++throttled : ++transient;
    const delayMs = retryDelayMs(backoff, count, outcome.retryAfterSeconds, Math.random);
    if (Date.now() + delayMs >= deadline) throw outcome;
    onRetry?.({ attempt, delayMs, error: outcome });
    await race(delayMs, signal);
  }
}
