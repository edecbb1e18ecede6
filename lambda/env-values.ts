/**
 * Reading the function's environment variables: each helper trims, applies the default, and throws a
 * `ConfigurationError` naming the variable when a value is malformed.
 */
import { ConfigurationError } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's trimmed value; unset and blank both read as undefined. */
export function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function required(env: Env, name: string, hint: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigurationError(name, `is required: ${hint}`);
  return value;
}

/** A comma-separated list; blanks between commas are ignored. */
export function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function flag(env: Env, name: string): boolean {
  const value = optional(env, name)?.toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigurationError(name, `must be "true" or "false" (got "${env[name]}")`);
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigurationError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
