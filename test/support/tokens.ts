/**
 * Hand-made JWTs for the attacks a library would refuse to sign: any header (alg none, jku, embedded jwk),
 * any payload bytes, an HMAC with any key (an RSA public key, for HS/RS confusion). Nothing here verifies.
 */
import { createHmac } from 'node:crypto';

export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** `header.payload.signature` from objects (JSON-encoded) or already encoded text. */
export function compact(header: unknown, payload: unknown, signature = ''): string {
  const part = (value: unknown) => (typeof value === 'string' ? value : base64url(JSON.stringify(value)));
  return `${part(header)}.${part(payload)}.${signature}`;
}

/** HS256 over `header.payload` with any key bytes, as an attacker would sign. */
export function hs256(header: unknown, payload: unknown, key: string | Buffer): string {
  const unsigned = compact(header, payload).slice(0, -1);
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** The token's parts decoded, to tamper with. */
export function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
} {
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')),
    signature: signature!,
  };
}

/** The token with its payload replaced and its signature kept. */
export function withPayload(token: string, payload: unknown): string {
  const [header, , signature] = token.split('.');
  return compact(header, payload, signature);
}

export const now = (): number => Math.floor(Date.now() / 1000);

/** Bearer header for a token. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
