/**
 * Header lookup on API Gateway proxy events. Header names are case-insensitive in HTTP, and API Gateway
 * passes them with the client's casing, so every lookup here ignores case.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

type EventHeaders = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>;

/** The value of a request header, or undefined. Repeated headers give their last value, as API Gateway does. */
export function getHeader(event: EventHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') found = value;
  }
  if (found !== undefined) return found;
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && Array.isArray(values) && values.length > 0) {
      const last = values[values.length - 1];
      if (typeof last === 'string') found = last;
    }
  }
  return found;
}
