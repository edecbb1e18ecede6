/**
 * The `allowedOrigins` prop, checked and normalized by the rule the handler applies to `ALLOWED_ORIGINS`
 * (handler-contract.ts): `*` alone, or http(s) origins without path, query or credentials,
 * written the way browsers send the `Origin` header. Origins that are unresolved tokens pass unchecked.
 */
import { Token } from 'aws-cdk-lib';
import { normalizeOrigin } from './handler-contract.ts';
import { invalidProp } from './invalid-prop.ts';

/** `'*'` for every origin; otherwise the normalized origins, possibly none (no browser may call). */
export type NormalizedOrigins = '*' | readonly string[];

export function normalizeAllowedOrigins(allowedOrigins: readonly string[]): NormalizedOrigins {
  if (Token.isUnresolved(allowedOrigins)) {
    throw invalidProp(
      'allowedOrigins',
      allowedOrigins,
      'must be a list known at synth time (the CORS answers are built from it); tokens may stand for single origins inside the list',
    );
  }
  const items = allowedOrigins.map((origin) => (Token.isUnresolved(origin) ? origin : origin.trim()));
  if (items.includes('*')) {
    if (items.length > 1)
      throw invalidProp('allowedOrigins', allowedOrigins, 'must be ["*"] alone or a list of origins');
    return '*';
  }
  const origins = new Set<string>();
  for (const item of items) {
    if (Token.isUnresolved(item)) {
      origins.add(item);
      continue;
    }
    const origin = normalizeOrigin(item);
    if (origin === undefined) {
      throw invalidProp(
        'allowedOrigins',
        item,
        'must hold origins like "https://www.example.com" (scheme, host and port only), or be ["*"] for any origin',
      );
    }
    origins.add(origin);
  }
  return [...origins];
}
