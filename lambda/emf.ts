/**
 * CloudWatch Embedded Metric Format: one JSON object per line in the function's log, which CloudWatch Logs
 * turns into metrics. The `_aws` block names the namespace, the dimension set and each metric's unit; the
 * dimension values and metric values sit at the root. The line is written with `process.stdout.write`, not
 * `console.log`: inside Lambda, `console.log` prefixes each line with a time, request id and level, and a
 * prefixed line is not EMF.
 */

/** The units this handler writes (a subset of CloudWatch's). */
export type EmfUnit = 'Count' | 'Milliseconds';

export interface EmfMetric {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly value: number;
}

export interface EmfDocument {
  readonly namespace: string;
  /** One dimension set: every name and its value. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: readonly EmfMetric[];
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

/** The document as one line of JSON, newline included. */
export function emfLine(document: EmfDocument): string {
  const { namespace, dimensions, metrics, timestamp } = document;
  const root: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const { name, value } of metrics) root[name] = value;
  return `${JSON.stringify(root)}\n`;
}

/** Writes one line to stdout as it is, as the Lambda runtime expects EMF. */
export function writeToStdout(line: string): void {
  process.stdout.write(line);
}
