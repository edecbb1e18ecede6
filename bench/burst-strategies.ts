/**
 * The retry strategies the burst compares, and the quota-full runs. Every strategy runs the same 100
 * requests against a fresh stand-in with Connect's rate shape.
 *
 * Our handler runs as deployed (later retries spread over SPREAD_OF_REMAINING_TIME of the time left), with
 * the previous spread (2/3) and with plain doubling swapped in for lambda/backoff.ts. The SDK's own modes
 * run on a bare client of the same SDK build (the SDK-only bundle), one per instance: `standard` and
 * `adaptive` with the default 3 attempts, and with 10 attempts, which is more than fit in 29 s with the
 * SDK's throttling backoff (full jitter, 1 s base doubling to a 20 s cap: the mean cumulative wait before a
 * 6th attempt is already 15.5 s), so it stands for "retry as long as it takes". Those clients have no
 * deadline of their own; each instance stops when API Gateway's 29 s run out (a real function could keep
 * calling until its own timeout, starting chats no caller receives).
 */
import { pathToFileURL } from 'node:url';
import { SPREAD_OF_REMAINING_TIME } from '../lambda/backoff.ts';
import type { BenchBundles } from './bundle-size.ts';
import type { BurstStrategy, ConnectShape } from './burst.ts';
import {
  DOUBLING_SETTINGS,
  HANDLER_RETRY_DEFAULTS,
  PREVIOUS_SPREAD_OF_REMAINING_TIME,
  SCHEDULE_LABELS,
} from './burst-model.ts';
import { MAX_DELAY_MS } from './fixtures/backoff-doubling.ts';
import type { InstanceTarget, SdkClientConfig } from './instance/protocol.ts';
import { fraction } from './lib/format.ts';

/** StartChatContact's quota: 5 requests/s, burst 8, per account and region. */
export const CONNECT_RATE_LIMIT = { ratePerSecond: 5, burst: 8 } as const;
export const CONNECT_RATE: ConnectShape = { ...CONNECT_RATE_LIMIT, maxConcurrentChats: 10_000, prefilledChats: 0 };
/** The concurrent-chat quota is full (and the rate limit off, so the quota is what answers). */
export const QUOTA_FULL: ConnectShape = {
  ratePerSecond: false,
  burst: CONNECT_RATE_LIMIT.burst,
  maxConcurrentChats: 20,
  prefilledChats: 20,
};

const functionTarget = (bundle: string): InstanceTarget => ({
  kind: 'function',
  bundleUrl: pathToFileURL(bundle).href,
});
const sdkTarget = (bundles: BenchBundles, clientConfig: SdkClientConfig): InstanceTarget => ({
  kind: 'sdk-client',
  bundleUrl: pathToFileURL(bundles.sdkOnly).href,
  clientConfig,
});

function sdkStrategy(bundles: BenchBundles, retryMode: 'standard' | 'adaptive', maxAttempts?: number): BurstStrategy {
  const attempts = maxAttempts ?? 3;
  return {
    name: `sdk-${retryMode}${maxAttempts === undefined ? '' : `-${maxAttempts}`}`,
    label: `SDK ${retryMode} (${attempts} attempts)`,
    description: `a bare client, retryMode '${retryMode}', ${maxAttempts === undefined ? 'default maxAttempts (3)' : `maxAttempts ${maxAttempts}`}`,
    target: sdkTarget(bundles, { retryMode, ...(maxAttempts !== undefined && { maxAttempts }) }),
    connect: CONNECT_RATE,
  };
}

export function burstStrategies(bundles: BenchBundles): BurstStrategy[] {
  const { budgetMs, baseDelayMs, maxAttempts } = HANDLER_RETRY_DEFAULTS;
  const spreadText = (share: number) =>
    `first retry within ${baseDelayMs / 1_000} s, later ones spread over ${fraction(share)} of the time left, deadline ${budgetMs / 1_000} s, at most ${maxAttempts} calls`;
  return [
    {
      name: 'handler',
      label: SCHEDULE_LABELS.handler,
      description: `the deployed bundle with its defaults: ${spreadText(SPREAD_OF_REMAINING_TIME)}`,
      target: functionTarget(bundles.deployed),
      connect: CONNECT_RATE,
    },
    {
      name: 'handler-spread-previous',
      label: SCHEDULE_LABELS.previousSpread,
      description: `the handler with the schedule it had before ${fraction(SPREAD_OF_REMAINING_TIME)} was adopted: ${spreadText(PREVIOUS_SPREAD_OF_REMAINING_TIME)} (bench/fixtures/backoff-spread.ts swapped in for lambda/backoff.ts)`,
      target: functionTarget(bundles.spreadBackoff),
      env: { BENCH_SPREAD_OF_REMAINING_TIME: String(PREVIOUS_SPREAD_OF_REMAINING_TIME) },
      connect: CONNECT_RATE,
    },
    {
      name: 'handler-doubling',
      label: SCHEDULE_LABELS.doubling,
      description: `the handler with lambda/backoff.ts swapped for plain doubling with full jitter from ${DOUBLING_SETTINGS.baseDelayMs} ms (cap ${MAX_DELAY_MS / 1_000} s), same deadline, at most ${DOUBLING_SETTINGS.maxAttempts} calls`,
      target: functionTarget(bundles.doublingBackoff),
      env: {
        CONNECT_RETRY_BASE_DELAY_MS: String(DOUBLING_SETTINGS.baseDelayMs),
        CONNECT_MAX_ATTEMPTS: String(DOUBLING_SETTINGS.maxAttempts),
      },
      connect: CONNECT_RATE,
    },
    sdkStrategy(bundles, 'standard'),
    sdkStrategy(bundles, 'adaptive'),
    sdkStrategy(bundles, 'standard', 10),
    sdkStrategy(bundles, 'adaptive', 10),
  ];
}

export function quotaFullStrategies(bundles: BenchBundles): BurstStrategy[] {
  return [
    {
      name: 'quota-full-handler',
      label: 'our handler, quota full',
      description:
        'the deployed handler while the concurrent-chat quota is full (LimitExceededException), rate limit off',
      target: functionTarget(bundles.deployed),
      connect: QUOTA_FULL,
    },
    {
      name: 'quota-full-sdk-standard',
      label: 'SDK standard, quota full',
      description:
        "a bare client, retryMode 'standard' (3 attempts), while the quota is full: the SDK counts LimitExceededException as throttling",
      target: sdkTarget(bundles, { retryMode: 'standard' }),
      connect: QUOTA_FULL,
    },
  ];
}
