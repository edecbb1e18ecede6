/**
 * Reads CloudWatch Embedded Metric Format documents out of captured output and checks each against the
 * EMF specification (CloudWatch_Embedded_Metric_Format_Specification): a root object whose `_aws` block has
 * a millisecond `Timestamp` and `CloudWatchMetrics` directives, each with a `Namespace`, dimension sets whose
 * names are string members of the root, and metric definitions whose names are numeric members of the root
 * and whose units are CloudWatch units. A document that breaks a rule throws, naming the rule.
 */
import type { CapturedOutput } from './captured-output.ts';

/** The units CloudWatch accepts (MetricDatum.Unit). */
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

export interface EmfDocument {
  readonly namespace: string;
  readonly timestamp: number;
  readonly dimensionSets: string[][];
  /** Dimension name to value, over all sets. */
  readonly dimensions: Record<string, string>;
  /** Metric name to value. */
  readonly values: Record<string, number>;
  /** Metric name to unit. */
  readonly units: Record<string, string>;
  /** The document as written. */
  readonly raw: Record<string, unknown>;
}

function fail(rule: string, document: unknown): never {
  throw new Error(`not valid EMF: ${rule}: ${JSON.stringify(document)}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one parsed log record against the EMF specification and returns its metrics. */
export function parseEmf(record: Record<string, unknown>): EmfDocument {
  const aws = record._aws;
  if (!isObject(aws)) fail('_aws must be an object', record);
  const { Timestamp, CloudWatchMetrics } = aws;
  if (typeof Timestamp !== 'number' || !Number.isInteger(Timestamp) || Timestamp < 1e12) {
    fail('_aws.Timestamp must be epoch milliseconds', record);
  }
  if (!Array.isArray(CloudWatchMetrics) || CloudWatchMetrics.length !== 1) {
    fail('_aws.CloudWatchMetrics must hold one directive (this handler writes one)', record);
  }
  const directive = CloudWatchMetrics[0] as unknown;
  if (!isObject(directive)) fail('a metric directive must be an object', record);
  const { Namespace, Dimensions, Metrics } = directive;
  if (typeof Namespace !== 'string' || Namespace.length < 1 || Namespace.length > 255) {
    fail('Namespace must be a string of 1-255 characters', record);
  }
  if (!Array.isArray(Dimensions) || Dimensions.length === 0) fail('Dimensions must be a list of sets', record);
  const dimensions: Record<string, string> = {};
  for (const set of Dimensions) {
    if (!Array.isArray(set) || set.length > 30) fail('each dimension set must be a list of at most 30 names', record);
    for (const name of set) {
      if (typeof name !== 'string' || typeof record[name] !== 'string' || record[name] === '') {
        fail(`dimension ${String(name)} must be a non-empty string member of the root`, record);
      }
      dimensions[name] = record[name] as string;
    }
  }
  if (!Array.isArray(Metrics) || Metrics.length === 0 || Metrics.length > 100) {
    fail('Metrics must list 1-100 metric definitions', record);
  }
  const values: Record<string, number> = {};
  const units: Record<string, string> = {};
  for (const definition of Metrics) {
    if (!isObject(definition) || typeof definition.Name !== 'string' || definition.Name.length === 0) {
      fail('each metric definition must have a Name', record);
    }
    const name = definition.Name;
    if (name in values) fail(`metric ${name} is defined twice`, record);
    const value = record[name];
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail(`metric ${name} must be a number at the root`, record);
    if (definition.Unit !== undefined && !UNITS.has(definition.Unit as string)) {
      fail(`metric ${name} has a unit CloudWatch does not know`, record);
    }
    values[name] = value;
    units[name] = (definition.Unit as string | undefined) ?? 'None';
  }
  return {
    namespace: Namespace,
    timestamp: Timestamp,
    dimensionSets: Dimensions as string[][],
    dimensions,
    values,
    units,
    raw: record,
  };
}

/** Every EMF document in the output (records with an `_aws` block), each checked. */
export function emfDocuments(output: Pick<CapturedOutput, 'records'>): EmfDocument[] {
  return output
    .records()
    .filter((record) => '_aws' in record)
    .map(parseEmf);
}
