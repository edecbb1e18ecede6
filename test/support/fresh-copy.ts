/**
 * A copy of some of the repository's top-level files and folders in a temporary directory, with
 * node_modules linked as `npm ci` would have made it, and nothing built: no assets/, no dist/ unless copied.
 * Copies are removed after the tests of the file that made them (this module registers that `afterAll`).
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from '@jest/globals';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const copies: string[] = [];

afterAll(() => {
  for (const directory of copies.splice(0)) rmSync(directory, { recursive: true, force: true });
});

export function freshCopy(sources: readonly string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'chat-fresh-copy-'));
  for (const source of sources) cpSync(join(REPOSITORY_ROOT, source), join(directory, source), { recursive: true });
  symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(directory, 'node_modules'), 'dir');
  copies.push(directory);
  return directory;
}
