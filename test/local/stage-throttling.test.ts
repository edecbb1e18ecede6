/**
 * Stage throttling on `npm start`'s local API, as deployed: the documented limit is what the endpoint
 * admits in total, and each of its two chat routes (`/prod/chat` and the stage root) its share. By default
 * that is 5 requests a second with a burst of 50 for each route, so 10 and 100 for the endpoint; limits the
 * deployer sets (`throttlingRateLimit`, `throttlingBurstLimit`) are the endpoint's, shared between the
 * routes. The Connect stand-in does not throttle here, so every admitted request starts a chat and every
 * refused one is API Gateway's own 429.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ThrottlingLimits } from '../../lib/route-throttling.ts';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import type { LocalApi } from '../../local/local-api.ts';
import { startSandboxApi } from '../support/sandbox-api.ts';

/** The defaults, as the README documents them for the endpoint with its two routes. */
const DOCUMENTED_DEFAULT = { rateLimit: 10, burstLimit: 100 } as const;
const REQUESTS_PER_ROUTE = 80;

const apis: LocalApi[] = [];

afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

interface Burst {
  readonly admitted: number;
  /** Chats started on each route: the chat route, then the stage root. */
  readonly startedPerRoute: readonly number[];
  /** Requests the rate refills while the burst arrives (a few at most; the whole run bounds the window). */
  readonly refill: number;
  readonly refused: ReadonlyArray<{ status: number; code: string | undefined; retryAfter: string | null }>;
}

/** Sends REQUESTS_PER_ROUTE requests to each chat route at once, interleaved, through a fresh local API. */
async function burstAcrossBothRoutes(endpointRate: number, throttling?: ThrottlingLimits): Promise<Burst> {
  const log: AccessLogEntry[] = [];
  const api = await startSandboxApi(
    {},
    {
      standIn: { ratePerSecond: false },
      onRequest: (entry) => log.push(entry),
      ...(throttling !== undefined && { throttling }),
    },
  );
  apis.push(api);
  const routes = [api.apiUrl, new URL('./', api.apiUrl).href];
  const body = JSON.stringify({ ParticipantDetails: { DisplayName: 'Ada' } });
  const send = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(async (response) => ({
      url,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: ((await response.json()) as { error?: { code: string } }).error?.code,
    }));

  const startedAt = performance.now();
  const answers = await Promise.all(
    Array.from({ length: REQUESTS_PER_ROUTE * 2 }, (_, index) => send(routes[index % 2]!)),
  );
  const elapsedMs = performance.now() - startedAt;

  const throttled = log.filter((entry) => entry.method === 'POST' && entry.gatewayResponse === 'THROTTLED');
  const admitted = answers.length - throttled.length;
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(admitted);
  return {
    admitted,
    startedPerRoute: routes.map(
      (url) => answers.filter((answer) => answer.url === url && answer.status === 200).length,
    ),
    refill: Math.ceil((endpointRate * elapsedMs) / 1000),
    refused: answers.filter((answer) => answer.status !== 200),
  };
}

test('simultaneous requests across both chat routes: the documented burst is admitted in total, the rest get 429 with Retry-After', async () => {
  // Act
  const burst = await burstAcrossBothRoutes(DOCUMENTED_DEFAULT.rateLimit);

  // Assert
  expect(burst.admitted).toBeGreaterThanOrEqual(DOCUMENTED_DEFAULT.burstLimit);
  expect(burst.admitted).toBeLessThanOrEqual(DOCUMENTED_DEFAULT.burstLimit + burst.refill);
  // Each route gets its share, so neither route alone can take the whole burst.
  for (const started of burst.startedPerRoute) {
    expect(started).toBeLessThanOrEqual(DOCUMENTED_DEFAULT.burstLimit / 2 + burst.refill);
  }
  for (const answer of burst.refused) {
    expect(answer).toMatchObject({ status: 429, code: 'THROTTLED', retryAfter: expect.stringMatching(/^\d+$/) });
  }
});

test('limits the deployer sets (5 a second, burst 50) are the endpoint’s: 50 admitted across both routes, not 50 on each', async () => {
  // Arrange
  const limits = { rateLimit: 5, burstLimit: 50 };

  // Act
  const burst = await burstAcrossBothRoutes(limits.rateLimit, limits);

  // Assert
  expect(burst.admitted).toBeGreaterThanOrEqual(limits.burstLimit);
  expect(burst.admitted).toBeLessThanOrEqual(limits.burstLimit + burst.refill);
  for (const started of burst.startedPerRoute) {
    expect(started).toBeGreaterThanOrEqual(limits.burstLimit / 2);
    expect(started).toBeLessThanOrEqual(limits.burstLimit / 2 + burst.refill);
  }
  for (const answer of burst.refused) expect(answer).toMatchObject({ status: 429, code: 'THROTTLED' });
});
