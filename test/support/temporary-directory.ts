/**
 * Temporary directories for a test file, removed when the file's tests are done (this module registers that
 * `afterAll` in each test file that imports it, directly or through another support module).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';

const directories: string[] = [];

afterAll(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A new empty directory under the system's temporary directory, removed after the file's tests. */
export function temporaryDirectory(prefix = 'chat-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}
