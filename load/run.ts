/**
 * `npm run load`: sustained load on the local API (the deployed handler bundle behind the API Gateway
 * emulation, as `npm start` runs it, with one function container per concurrent request) over loopback,
 * against the Connect stand-in, in two phases:
 *
 * 1. without throttling: every request must start a chat (200);
 * 2. with Connect's rate throttling (5 requests/s, burst 8) and a 2 s retry budget: every request must
 *    start a chat or be answered 429 THROTTLED.
 *
 * Each phase sends LOAD_REQUESTS requests (default 2,000) at LOAD_CONCURRENCY (default 50) and stops
 * sending after LOAD_MAX_SECONDS (default 240), after a warm-up of LOAD_WARMUP requests (default 1,000)
 * that lets every container's code settle. Memory is read after a garbage collection at the start, at
 * each quarter and at the end of a phase: RSS and heap before and after are reported, and memory must
 * level off, the heap growing by at most 8 MB over the phase's second half. Any other answer, or memory
 * that keeps growing, fails the run (exit code 1).
 */

import { percentile } from '../bench/lib/stats.ts';
import { API_GATEWAY_TIMEOUT_MS, HANDLER_ENV } from '../lib/handler-contract.ts';
import { type LocalApi, startLocalApi } from '../local/local-api.ts';
import { readSettings } from '../local/settings.ts';
import { type DriveResult, driveRequests } from './drive-requests.ts';

const ORIGIN = 'https://www.example.com';
const MB = 1024 * 1024;
/** The most the heap may grow over a phase's second half for memory to count as levelled off. */
const LEVELLED_OFF_HEAP_GROWTH = 8 * MB;
const CHECKPOINTS = 4;

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number above 0 (got "${raw}")`);
  return value;
}

const REQUESTS = numberFromEnv('LOAD_REQUESTS', 2_000);
const CONCURRENCY = numberFromEnv('LOAD_CONCURRENCY', 50);
const MAX_SECONDS = numberFromEnv('LOAD_MAX_SECONDS', 240);
const WARMUP = numberFromEnv('LOAD_WARMUP', 1_000);

interface Phase {
  readonly name: string;
  readonly rateLimit: { readonly ratePerSecond: number; readonly burst: number } | false;
  readonly expected: ReadonlySet<string>;
}

const PHASES: readonly Phase[] = [
  { name: 'no throttling', rateLimit: false, expected: new Set(['200']) },
  {
    name: 'Connect throttling at 5/s, burst 8, retry budget 2 s',
    rateLimit: { ratePerSecond: 5, burst: 8 },
    expected: new Set(['200', '429']),
  },
];

interface Memory {
  readonly rss: number;
  readonly heap: number;
}

function memoryAfterGc(): Memory {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;

function merge(results: readonly DriveResult[]): DriveResult {
  const statuses: Record<string, number> = {};
  for (const result of results) {
    for (const [status, n] of Object.entries(result.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  return {
    sent: results.reduce((sum, r) => sum + r.sent, 0),
    statuses,
    latenciesMs: results.flatMap((r) => r.latenciesMs),
    elapsedMs: results.reduce((sum, r) => sum + r.elapsedMs, 0),
  };
}

interface PhaseOutcome {
  readonly lines: string[];
  readonly passed: boolean;
}

async function runPhase(api: LocalApi, phase: Phase): Promise<PhaseOutcome> {
  api.standIn!.setRateLimit(phase.rateLimit);
  const stopAt = performance.now() + MAX_SECONDS * 1000;
  const drive = (requests: number) =>
    driveRequests({
      url: api.apiUrl,
      requests,
      concurrency: CONCURRENCY,
      stopAt,
      requestTimeoutMs: API_GATEWAY_TIMEOUT_MS + 5_000,
      origin: ORIGIN,
    });

  const memory: Memory[] = [memoryAfterGc()];
  const results: DriveResult[] = [];
  for (let checkpoint = 1; checkpoint <= CHECKPOINTS; checkpoint++) {
    const share =
      Math.round((REQUESTS * checkpoint) / CHECKPOINTS) - Math.round((REQUESTS * (checkpoint - 1)) / CHECKPOINTS);
    results.push(await drive(share));
    memory.push(memoryAfterGc());
  }

  const result = merge(results);
  const answered = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
  const unexpected = Object.entries(result.statuses)
    .filter(([status]) => !phase.expected.has(status))
    .reduce((sum, [, n]) => sum + n, 0);
  const before = memory[0]!;
  const half = memory[CHECKPOINTS / 2]!;
  const after = memory.at(-1)!;
  const secondHalfHeapGrowth = after.heap - half.heap;
  const levelsOff = secondHalfHeapGrowth <= LEVELLED_OFF_HEAP_GROWTH;
  const statuses = Object.entries(result.statuses)
    .sort()
    .map(([status, n]) => `${status} ×${n}`)
    .join(', ');
  const stopped = result.sent < REQUESTS ? `, stopped by LOAD_MAX_SECONDS after ${result.sent}` : '';
  return {
    passed: unexpected === 0 && levelsOff && answered === REQUESTS,
    lines: [
      `phase: ${phase.name}`,
      `  ${answered} answered in ${(result.elapsedMs / 1000).toFixed(1)} s (${(answered / (result.elapsedMs / 1000)).toFixed(0)}/s)${stopped}`,
      `  answers: ${statuses}; unexpected: ${unexpected}`,
      `  latency: p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(1)} ms, max ${Math.max(...result.latenciesMs).toFixed(1)} ms`,
      `  memory: RSS before ${mb(before.rss)}, after ${mb(after.rss)} (${signedMb(after.rss - before.rss)}); heap before ${mb(before.heap)}, after ${mb(after.heap)}`,
      `  heap at each quarter: ${memory.map((m) => mb(m.heap)).join(' -> ')}; second half ${signedMb(secondHalfHeapGrowth)}: ${levelsOff ? 'levels off' : 'still growing'}`,
    ],
  };
}

console.log(
  `Sustained load on loopback: ${REQUESTS} requests per phase at concurrency ${CONCURRENCY} (at most ${MAX_SECONDS} s a phase), after ${WARMUP} warm-up requests`,
);
const settings = readSettings([], {
  PORT: '0',
  DEMO_PORT: '0',
  [HANDLER_ENV.allowedOrigins]: ORIGIN,
  [HANDLER_ENV.retryBudgetMs]: '2000',
});
const api = await startLocalApi(settings, {
  // The stand-in keeps few records and short chats: its bookkeeping is not what is measured.
  standIn: {
    ratePerSecond: false,
    maxConcurrentChats: Number.MAX_SAFE_INTEGER,
    maxRecordedCalls: 100,
    chatLifetimeMs: 1_000,
  },
  // Likewise the chat sandbox: a chat nobody connects to ends after 1 s and is forgotten 1 s later.
  sandboxLimits: { connectWindowMs: 1_000, endedChatRetentionMs: 1_000, maxChats: 100_000 },
  throttling: false,
  maxConcurrency: CONCURRENCY,
  warmContainers: CONCURRENCY,
  // A log line per request would bury the report; errors still show.
  functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
});
let passed = true;
try {
  const warmup = await driveRequests({
    url: api.apiUrl,
    requests: WARMUP,
    concurrency: CONCURRENCY,
    stopAt: performance.now() + MAX_SECONDS * 1000,
    requestTimeoutMs: API_GATEWAY_TIMEOUT_MS + 5_000,
    origin: ORIGIN,
  });
  console.log(`warm-up: ${JSON.stringify(warmup.statuses)} in ${(warmup.elapsedMs / 1000).toFixed(1)} s`);
  for (const phase of PHASES) {
    const outcome = await runPhase(api, phase);
    console.log(outcome.lines.join('\n'));
    passed &&= outcome.passed;
  }
} finally {
  await api.close();
}
console.log(passed ? 'Result: PASS (no unexpected answers; memory levels off)' : 'Result: FAIL');
process.exitCode = passed ? 0 : 1;
