/**
 * Calls StartChatContact until it succeeds, fails for good, or the deadline comes. One input, and so one
 * ClientToken, is sent on every attempt: if an attempt that timed out had in fact started a chat, the
 * retry returns that same chat instead of starting a second one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ConnectClient,
  StartChatContactCommand,
  type StartChatContactCommandInput,
  type StartChatContactCommandOutput,
} from '@aws-sdk/client-connect';
import { MIN_ATTEMPT_WINDOW_MS, retryDelayMs } from './backoff.ts';
import { type ClassifiedConnectError, classifyConnectError, toConnectCallError } from './classify-connect-error.ts';
import type { RetrySettings } from './config.ts';

export interface RetryOptions extends Omit<RetrySettings, 'budgetMs'> {
  /** Epoch milliseconds by which the last attempt must have ended. */
  readonly deadline: number;
  /** Aborted when the invocation must stop (middy's early-timeout signal). */
  readonly signal?: AbortSignal | undefined;
  /** Called as each StartChatContact call is made, for the metrics. */
  readonly onAttempt?: (() => void) | undefined;
  /** Called after each failed attempt, for debug logging. Receives no request data. */
  readonly onRetry?: ((failure: ClassifiedConnectError & { attempt: number; delayMs: number }) => void) | undefined;
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface StartChatResult {
  readonly output: StartChatContactCommandOutput;
  readonly attempts: number;
  readonly connectRequestId: string | undefined;
}

/** The same failure, as a deadline that ended the call: never retried, answered 504. */
function asTimeout(failure: ClassifiedConnectError): ClassifiedConnectError {
  return { ...failure, kind: 'timeout', retryable: false };
}

export async function startChatWithRetry(
  client: ConnectClient,
  input: StartChatContactCommandInput,
  options: RetryOptions,
): Promise<StartChatResult> {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  for (let attempt = 1; ; attempt++) {
    const attemptTimeoutMs = Math.min(options.attemptTimeoutMs, options.deadline - now());
    const attemptTimeout = AbortSignal.timeout(Math.max(1, attemptTimeoutMs));
    const abortSignal = options.signal ? AbortSignal.any([options.signal, attemptTimeout]) : attemptTimeout;
    try {
      options.onAttempt?.();
      const output = await client.send(new StartChatContactCommand(input), { abortSignal });
      return { output, attempts: attempt, connectRequestId: output.$metadata.requestId };
    } catch (error) {
      const invocationAborted = options.signal?.aborted === true;
      const classified = classifyConnectError(error, attemptTimeout.aborted && !invocationAborted);
      // An invocation that must stop ends as a timeout, whatever its last attempt said.
      const failure = invocationAborted ? asTimeout(classified) : classified;
      const giveUp = (cause: unknown) => toConnectCallError(failure, attempt, cause, random) ?? cause;
      const delayMs =
        failure.retryable && attempt < options.maxAttempts
          ? retryDelayMs({
              retry: attempt,
              remainingMs: options.deadline - now(),
              baseDelayMs: options.baseDelayMs,
              random,
            })
          : undefined;
      if (delayMs === undefined) throw giveUp(error);
      options.onRetry?.({ ...failure, attempt, delayMs });
      try {
        await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch (abort) {
        throw toConnectCallError(asTimeout(failure), attempt, abort, random);
      }
      if (options.deadline - now() < MIN_ATTEMPT_WINDOW_MS) throw giveUp(error);
    }
  }
}
