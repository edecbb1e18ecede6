/**
 * The shared secret's HMAC keys, read from Secrets Manager through Powertools Parameters and cached for
 * `secretMaxAgeSeconds`, so a rotation is picked up within that time. The secret holds one key as a string,
 * or `{"current": "...", "previous": "..."}` while a key is being rotated: both are valid. A key is the
 * UTF-8 bytes of its string, as the hosted widget uses its 44-character security key.
 *
 * Loaded only when the shared-secret source is configured (the handler imports it on first use), so the
 * Secrets Manager client costs nothing to a deployment without it.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { IDENTITY } from '../../lib/handler-contract.ts';
import { isPlainObject } from '../is-plain-object.ts';
import type { SharedSecretIdentitySettings } from './identity-config.ts';

/** Why the keys could not be used; logged by name, never with the secret. */
export type SecretProblem = 'secret_unreachable' | 'secret_not_a_string' | 'secret_malformed' | 'secret_key_too_short';

/** The keys cannot be had (the caller answers 503 IDENTITY_UNAVAILABLE). */
export class SecretKeysError extends Error {
  readonly problem: SecretProblem;

  constructor(problem: SecretProblem, cause?: unknown) {
    super(`The identity secret cannot be used: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'SecretKeysError';
    this.problem = problem;
  }
}

/** The region in a Secrets Manager ARN, so a secret in another region is read there. */
function regionOf(secretId: string): string | undefined {
  return /^arn:[^:]+:secretsmanager:([a-z0-9-]+):/.exec(secretId)?.[1];
}

const encoder = new TextEncoder();

function toKey(text: unknown): Uint8Array {
  if (typeof text !== 'string') throw new SecretKeysError('secret_malformed');
  const key = encoder.encode(text);
  if (key.length < IDENTITY.minSecretBytes) throw new SecretKeysError('secret_key_too_short');
  return key;
}

/** The keys in the order to try them: current first. */
export function parseSecretKeys(value: string): Uint8Array[] {
  if (!value.trimStart().startsWith('{')) return [toKey(value)];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new SecretKeysError('secret_malformed', error);
  }
  if (!isPlainObject(parsed) || !Object.hasOwn(parsed, 'current')) throw new SecretKeysError('secret_malformed');
  const keys = [toKey(parsed.current)];
  if (parsed.previous !== undefined && parsed.previous !== null && parsed.previous !== '') {
    keys.push(toKey(parsed.previous));
  }
  return keys;
}

export interface SecretKeys {
  /** The valid keys, current first; throws `SecretKeysError`. */
  get(): Promise<Uint8Array[]>;
}

export function createSecretKeys(settings: SharedSecretIdentitySettings): SecretKeys {
  const region = regionOf(settings.secretId);
  const client = new SecretsManagerClient({
    ...(region !== undefined && { region }),
    // A hung Secrets Manager must not hold the request: two short tries, then 503.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  let parsed: { readonly text: string; readonly keys: Uint8Array[] } | undefined;

  return {
    async get() {
      let value: unknown;
      try {
        value = await provider.get(settings.secretId, { maxAge: settings.secretMaxAgeSeconds });
      } catch (error) {
        throw new SecretKeysError('secret_unreachable', error);
      }
      if (typeof value !== 'string') throw new SecretKeysError('secret_not_a_string');
      // The provider caches the text; the keys are parsed again only when it changed.
      if (parsed?.text !== value) parsed = { text: value, keys: parseSecretKeys(value) };
      return parsed.keys;
    },
  };
}
