/**
 * Reads the request body as JSON whatever the Content-Type: popular chat clients send `text/plain`
 * (ChatInterface), form-encoded (the jQuery sample) or `Content-Encoding: amz-1.0` (the iOS sample) with
 * a JSON body. Base64 bodies from API Gateway are decoded. Error details never quote the body.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError, RequestValidationError } from './errors.ts';
import { getHeader } from './http-headers.ts';
import { isPlainObject } from './is-plain-object.ts';

/** Content encodings that carry the JSON as it is. `amz-1.0` is what the iOS sample sends. */
const IDENTITY_ENCODINGS = new Set(['', 'identity', 'amz-1.0']);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function invalidBody(message: string): RequestValidationError {
  return new RequestValidationError([{ field: 'body', message }]);
}

function decodeBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, maxBytes: number): string {
  const body = event.body ?? '';
  if (!event.isBase64Encoded) {
    // Every UTF-16 unit takes at least one UTF-8 byte, so a long string is over the limit before counting.
    if (body.length > maxBytes || Buffer.byteLength(body, 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
    return body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  }
  if (Math.floor((body.length * 3) / 4) > maxBytes + 2) throw new PayloadTooLargeError(maxBytes);
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidBody('must be UTF-8 encoded JSON');
  }
}

/** Returns the body as a plain JSON object, or throws a 400/413 error that names the problem. */
export function readJsonObjectBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers' | 'multiValueHeaders'>,
  maxBytes: number,
): Record<string, unknown> {
  const encoding = (getHeader(event, 'content-encoding') ?? '').trim().toLowerCase();
  if (!IDENTITY_ENCODINGS.has(encoding)) {
    throw new RequestValidationError([
      { field: 'Content-Encoding', message: 'is not supported; send the JSON body uncompressed' },
    ]);
  }
  const text = decodeBody(event, maxBytes);
  if (text.trim() === '') throw invalidBody('is empty; send a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the body, so it is never passed on.
    throw invalidBody('is not valid JSON; send a JSON object');
  }
  if (!isPlainObject(parsed)) throw invalidBody('must be a JSON object');
  return parsed;
}
