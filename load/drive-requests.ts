/**
 * Drives an HTTP endpoint with a fixed number of chat-start requests at a fixed concurrency, bounded in
 * time, and records every answer's status and latency.
 */
import { randomUUID } from 'node:crypto';

export interface DriveOptions {
  readonly url: string;
  readonly requests: number;
  readonly concurrency: number;
  /** No new request starts after this moment (`performance.now()` time); those in flight are awaited. */
  readonly stopAt: number;
  /** Longest one request may take before it counts as failed. */
  readonly requestTimeoutMs: number;
  readonly origin: string;
}

export interface DriveResult {
  readonly sent: number;
  /** Answers by HTTP status, or by error name when there was no answer. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly latenciesMs: readonly number[];
  readonly elapsedMs: number;
}

function chatBody(index: number): string {
  return JSON.stringify({
    ParticipantDetails: { DisplayName: `Load ${index}` },
    InitialMessage: { ContentType: 'text/plain', Content: 'Hello' },
    ClientToken: randomUUID(),
  });
}

export async function driveRequests(options: DriveOptions): Promise<DriveResult> {
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const started = performance.now();
  let next = 0;

  async function worker(): Promise<void> {
    while (next < options.requests && performance.now() < options.stopAt) {
      const index = next++;
      const sentAt = performance.now();
      let status: string;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: options.origin },
          body: chatBody(index),
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
        await response.arrayBuffer();
        status = String(response.status);
      } catch (error) {
        status = error instanceof Error ? error.name : 'error';
      }
      latenciesMs.push(performance.now() - sentAt);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  return { sent: next, statuses, latenciesMs, elapsedMs: performance.now() - started };
}
