/**
 * A copy of some of the repository's top-level files and folders in a temporary directory, with
 * node_modules linked as `npm ci` would have made it, and nothing built: no assets/, no dist/ unless copied.
 * Copies are removed after the tests of the file that made them (test/support/temporary-directory.ts).
 */
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from './temporary-directory.ts';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function freshCopy(sources: readonly string[]): string {
  const directory = temporaryDirectory('chat-fresh-copy-');
  for (const source of sources) cpSync(join(REPOSITORY_ROOT, source), join(directory, source), { recursive: true });
  symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(directory, 'node_modules'), 'dir');
  return directory;
}
