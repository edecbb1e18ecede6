/**
 * Turns the claims of a verified token into the StartChatContact fields the deployer mapped them to, each
 * claim held to the rules of the request field it fills (lambda/request-schema.ts's FIELD_RULES), and
 * stricter: strings only, no control characters, no prototype-reaching keys. A bad claim is a 401
 * `bad_claim` naming the claim (a name from the deployer's mapping, never a value or a key from the token);
 * nothing is silently dropped.
 */
import * as v from 'valibot';
import { type ClaimMapping, RESERVED_NAMES } from '../../lib/handler-contract.ts';
import { UnauthenticatedError } from '../errors.ts';
import { isPlainObject } from '../is-plain-object.ts';
import { FIELD_RULES, noControlCharacters } from '../request-schema.ts';

/** What a verified token says about the customer, ready for StartChatContact. */
export interface VerifiedIdentity {
  readonly customerId: string | undefined;
  readonly displayName: string | undefined;
  /** Attributes from claims, in an object without a prototype. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Body fields the token fills (paths such as `CustomerId`, `Attributes.tier`): a body may not send them. */
  readonly ownedFields: ReadonlySet<string>;
}

const CLAIM_RULES = {
  customerId: v.pipe(FIELD_RULES.customerId, noControlCharacters),
  displayName: FIELD_RULES.displayName,
  attributeKey: v.pipe(
    FIELD_RULES.attributeKey,
    v.check((key) => !RESERVED_NAMES.has(key), 'is a reserved name'),
  ),
  attributeValue: v.pipe(FIELD_RULES.attributeValue, noControlCharacters),
} as const;

function badClaim(claim: string, target: string, problem: string): UnauthenticatedError {
  return new UnauthenticatedError('bad_claim', `claim "${claim}" (for ${target}) ${problem}`);
}

/** A claim's own value, undefined when absent: never one inherited from Object.prototype. */
function claimValue(payload: Readonly<Record<string, unknown>>, claim: string): unknown {
  return Object.hasOwn(payload, claim) ? payload[claim] : undefined;
}

function checked<T>(schema: v.GenericSchema<unknown, T>, value: unknown, claim: string, target: string): T {
  const result = v.safeParse(schema, value);
  if (!result.success) throw badClaim(claim, target, result.issues[0]?.message ?? 'is not valid');
  return result.output;
}

function attributesFromClaims(payload: Readonly<Record<string, unknown>>, mapping: ClaimMapping, owned: Set<string>) {
  const attributes: Record<string, string> = Object.create(null);
  const claim = mapping.attributesClaim;
  const whole = claim === undefined ? undefined : claimValue(payload, claim);
  if (claim !== undefined && whole !== undefined) {
    if (!isPlainObject(whole)) throw badClaim(claim, 'Attributes', 'must be an object of string values');
    for (const [key, value] of Object.entries(whole)) {
      const keyResult = v.safeParse(CLAIM_RULES.attributeKey, key);
      // The key came from the token: say what is wrong without repeating it.
      if (!keyResult.success)
        throw badClaim(claim, 'Attributes', `has a key that is not allowed: ${keyResult.issues[0]?.message}`);
      const valueResult = v.safeParse(CLAIM_RULES.attributeValue, value);
      if (!valueResult.success)
        throw badClaim(claim, 'Attributes', `has a value that ${valueResult.issues[0]?.message}`);
      attributes[key] = valueResult.output;
      owned.add(`Attributes.${key}`);
    }
  }
  for (const [key, name] of Object.entries(mapping.attributes ?? {})) {
    owned.add(`Attributes.${key}`);
    const value = claimValue(payload, name);
    if (value === undefined) continue;
    attributes[key] = checked(CLAIM_RULES.attributeValue, value, name, `Attributes.${key}`);
  }
  // Connect's byte total is checked where the endpoint's own attributes are added (start-chat-input.ts).
  return attributes;
}

/**
 * Maps a verified token's claims. `defaultDisplayName` stands in for a mapped display-name claim the token
 * does not carry; without one, that is a bad claim.
 */
export function mapClaims(
  payload: Readonly<Record<string, unknown>>,
  mapping: ClaimMapping,
  defaultDisplayName: string | undefined,
): VerifiedIdentity {
  const owned = new Set<string>();
  let customerId: string | undefined;
  if (mapping.customerId !== undefined) {
    owned.add('CustomerId');
    const value = claimValue(payload, mapping.customerId);
    if (value !== undefined) customerId = checked(CLAIM_RULES.customerId, value, mapping.customerId, 'CustomerId');
  }
  let displayName: string | undefined;
  if (mapping.displayName !== undefined) {
    owned.add('ParticipantDetails.DisplayName');
    const value = claimValue(payload, mapping.displayName);
    if (value !== undefined) {
      displayName = checked(CLAIM_RULES.displayName, value, mapping.displayName, 'ParticipantDetails.DisplayName');
    } else if (defaultDisplayName === undefined) {
      throw badClaim(mapping.displayName, 'ParticipantDetails.DisplayName', 'is missing');
    }
  }
  const attributes = attributesFromClaims(payload, mapping, owned);
  return { customerId, displayName, attributes, ownedFields: owned };
}
