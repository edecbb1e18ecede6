/**
 * The one shape of a bad-props error: a plain `Error` that names the prop, shows the value it got and
 * says what is allowed, so the deployer can fix it from the message alone.
 */
export function invalidProp(prop: string, value: unknown, rule: string): Error {
  return new Error(`StartChatContactApi: ${prop} ${rule} (got ${describe(value)})`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null && 'toHumanString' in value) {
    return String((value as { toHumanString(): string }).toHumanString());
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
