/**
 * The Powertools logger of this container, created when the module loads: JSON, one line per request.
 * The handler logs only what it chooses to (outcome, status, attempts, latency, ids); as a second guard,
 * every field whose name can hold a secret or personal data is redacted wherever it appears.
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** Field names never written to the log, at any depth. */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set([
  'ParticipantToken',
  'DisplayName',
  'ParticipantDetails',
  'Attributes',
  'SegmentAttributes',
  'InitialMessage',
  'Content',
  'CustomerId',
  'ClientToken',
  'body',
  'event',
  'headers',
  'multiValueHeaders',
  'Authorization',
  'authorization',
]);

export const REDACTED = '[redacted]';

export function redactSensitiveFields(key: string, value: unknown): unknown {
  return REDACTED_FIELDS.has(key) ? REDACTED : value;
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'start-chat-contact',
  jsonReplacerFn: redactSensitiveFields,
});
