/**
 * Reads the fields of a Participant Service request body by the API model's rules; a field that breaks
 * them throws a ValidationException naming it.
 */
import { isPlainObject } from '../../lambda/is-plain-object.ts';
import { codePointLength } from '../../lambda/request-schema.ts';
import { invalidField } from './protocol-errors.ts';

export type Body = Readonly<Record<string, unknown>>;

export function optionalString(body: Body, field: string, max: number, label = field, min = 1): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField(label, 'must be a string');
  const length = codePointLength(value);
  if (length < min || length > max) throw invalidField(label, `must be ${min}-${max} characters (got ${length})`);
  return value;
}

export function requiredString(body: Body, field: string, max: number, label = field, min = 1): string {
  const value = optionalString(body, field, max, label, min);
  if (value === undefined) throw invalidField(label, 'is required');
  return value;
}

export function optionalChoice<T extends string>(
  body: Body,
  field: string,
  choices: readonly T[],
  label = field,
): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw invalidField(label, `must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function optionalInteger(
  body: Body,
  field: string,
  min: number,
  max: number,
  label = field,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidField(label, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function optionalObject(body: Body, field: string, label = field): Body | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw invalidField(label, 'must be an object');
  return value;
}

export function optionalStringList(body: Body, field: string, maxItems: number, label = field): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > maxItems || value.some((item) => typeof item !== 'string')) {
    throw invalidField(label, `must be a list of at most ${maxItems} strings`);
  }
  return value as string[];
}
