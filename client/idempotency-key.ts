/**
 * A fresh idempotency key: a random (version 4) UUID. The key returns the same chat, participant token
 * included, to whoever sends it again, so it must be unguessable: `crypto.randomUUID` where there is one,
 * else a UUID from `crypto.getRandomValues` (React Native with a polyfill such as
 * react-native-get-random-values, pages on plain-HTTP origins), and never `Math.random`.
 */
import { StartChatError } from './start-chat-error.ts';

export function newIdempotencyKey(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  if (typeof crypto?.getRandomValues !== 'function') {
    throw new StartChatError({
      status: 0,
      code: 'NO_RANDOM_SOURCE',
      message: 'No crypto.getRandomValues to make an idempotency key: add a polyfill, or send ClientToken',
    });
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
