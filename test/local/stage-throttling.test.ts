/**
 * Stage throttling on `npm start`'s local API, as deployed: the documented limit (by default 5 requests a
 * second with a burst of 50 for each chat route, so 10 and 100 for the endpoint with its two routes,
 * `/prod/chat` and the stage root) is what the endpoint admits in total, and each route its share. The Connect stand-in does not throttle here, so every admitted request
 * starts a chat and every refused one is API Gateway's own 429.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AccessLogEntry } from '../../local/api-gateway-server.ts';
import { type LocalApi, startLocalApi } from '../../local/local-api.ts';
import { readSettings } from '../../local/settings.ts';

const DOCUMENTED = { rateLimit: 10, burstLimit: 100 } as const;
const REQUESTS_PER_ROUTE = 80;

let api: LocalApi;
const log: AccessLogEntry[] = [];

beforeAll(async () => {
  api = await startLocalApi(readSettings([], { PORT: '0' }), {
    functionEnv: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    standIn: { ratePerSecond: false },
    onRequest: (entry) => log.push(entry),
  });
}, 30_000);
afterAll(async () => {
  await api?.close();
});

test('simultaneous requests across both chat routes: the documented burst is admitted in total, the rest get 429 with Retry-After', async () => {
  // Arrange
  const stageRoot = new URL('./', api.apiUrl).href;
  const body = JSON.stringify({ ParticipantDetails: { DisplayName: 'Ada' } });
  const send = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(async (response) => ({
      url,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: ((await response.json()) as { error?: { code: string } }).error?.code,
    }));

  // Act: both routes at once, interleaved.
  const startedAt = performance.now();
  const answers = await Promise.all(
    Array.from({ length: REQUESTS_PER_ROUTE * 2 }, (_, index) => send(index % 2 === 0 ? api.apiUrl : stageRoot)),
  );
  const elapsedMs = performance.now() - startedAt;
  const gatewayDecisions = log.filter((entry) => entry.method === 'POST');

  // Assert: admitted = the burst, plus what the rate refills while the requests arrive (a few at most;
  // the whole run bounds the arrival window).
  const throttled = gatewayDecisions.filter((entry) => entry.gatewayResponse === 'THROTTLED');
  const admitted = answers.length - throttled.length;
  const refill = Math.ceil((DOCUMENTED.rateLimit * elapsedMs) / 1000);
  expect(admitted).toBeGreaterThanOrEqual(DOCUMENTED.burstLimit);
  expect(admitted).toBeLessThanOrEqual(DOCUMENTED.burstLimit + refill);
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(admitted);
  // Each route gets its share, so neither route alone can take the whole burst.
  for (const url of [api.apiUrl, stageRoot]) {
    const started = answers.filter((answer) => answer.url === url && answer.status === 200).length;
    expect(started).toBeLessThanOrEqual(DOCUMENTED.burstLimit / 2 + refill);
  }
  for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
    expect(answer).toMatchObject({ status: 429, code: 'THROTTLED', retryAfter: expect.stringMatching(/^\d+$/) });
  }
});
