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
import { ConnectTimeoutError } from './errors.ts';

export interface RetryOptions extends Omit<RetrySettings, 'budgetMs'> {
  /** Epoch milliseconds by which the last attempt must have ended. */
  readonly deadline: number;
  /** Aborted when the invocation must stop (middy's early-timeout signal). */
  readonly signal?: AbortSignal | undefined;
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
      const output = await client.send(new StartChatContactCommand(input), { abortSignal });
      return { output, attempts: attempt, connectRequestId: output.$metadata.requestId };
    } catch (error) {
      const invocationAborted = options.signal?.aborted === true;
      const failure = classifyConnectError(error, attemptTimeout.aborted && !invocationAborted);
      const remainingMs = options.deadline - now();
      const delayMs =
        failure.retryable && !invocationAborted && attempt < options.maxAttempts
          ? retryDelayMs({ retry: attempt, remainingMs, baseDelayMs: options.baseDelayMs, random })
          : undefined;
      if (delayMs === undefined) {
        if (invocationAborted) {
          throw new ConnectTimeoutError(
            { attempts: attempt, connectRequestId: failure.requestId, connectErrorName: failure.errorName },
            error,
          );
        }
        const final = toConnectCallError(failure, attempt, error, random);
        throw final ?? error;
      }
      options.onRetry?.({ ...failure, attempt, delayMs });
      try {
        await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch (abort) {
        throw new ConnectTimeoutError(
          { attempts: attempt, connectRequestId: failure.requestId, connectErrorName: failure.errorName },
          abort,
        );
      }
      if (options.deadline - now() < MIN_ATTEMPT_WINDOW_MS) {
        throw toConnectCallError(failure, attempt, error, random) ?? error;
      }
    }
  }
}
