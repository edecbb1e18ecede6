/**
 * What `npm start` makes of the function's metrics: the EMF lines reach the terminal exactly as the
 * function writes them (the function runs in this process and writes to its stdout), and each one is also
 * counted by outcome, for the one-line summary printed when `npm start` stops.
 */
import { METRICS } from '../lib/handler-contract.ts';

const OUTCOMES: ReadonlyArray<readonly [name: string, label: string]> = [
  [METRICS.outcomes.started, 'started'],
  [METRICS.outcomes.rejected, 'rejected'],
  [METRICS.outcomes.throttled, 'throttled'],
  [METRICS.outcomes.capacityExceeded, 'capacity exceeded'],
  [METRICS.outcomes.upstreamErrors, 'upstream errors'],
  [METRICS.outcomes.internalErrors, 'internal errors'],
];

export interface MetricsTally {
  /** Counts one chunk of output if it is an EMF document; anything else is ignored. */
  count(chunk: unknown): void;
  /** One line, such as `Metrics: 3 requests: 2 started, 1 rejected, 0 throttled, ...`. */
  summary(): string;
}

export function createMetricsTally(): MetricsTally {
  const counts = new Map<string, number>(OUTCOMES.map(([name]) => [name, 0]));
  let requests = 0;
  return {
    count(chunk) {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
      if (!text.startsWith('{"_aws"')) return;
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      requests += 1;
      for (const [name] of OUTCOMES) if (document[name] === 1) counts.set(name, (counts.get(name) ?? 0) + 1);
    },
    summary() {
      const parts = OUTCOMES.map(([name, label]) => `${counts.get(name)} ${label}`);
      return `Metrics: ${requests} ${requests === 1 ? 'request' : 'requests'}: ${parts.join(', ')}`;
    },
  };
}

/** Counts every EMF document written to `stream` (process.stdout), passing everything through unchanged. */
export function tallyMetricsOf(stream: NodeJS.WriteStream): MetricsTally {
  const tally = createMetricsTally();
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    try {
      tally.count(chunk);
    } catch {
      // Counting never stands in the way of the output.
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
  return tally;
}
