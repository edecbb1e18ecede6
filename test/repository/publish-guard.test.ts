/**
 * `npm publish` refuses a package.json without `repository` (scripts/check-publishable.ts, run by
 * `prepublishOnly`). The guard is run on package.json files of the test's own; `npm publish` never is.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { REPOSITORY_ROOT as ROOT } from '../support/fresh-copy.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';

const GUARD = join(ROOT, 'scripts', 'check-publishable.ts');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & {
  scripts: Record<string, string>;
};

/** Runs the guard as npm would, on this package.json; its exit code and stderr. */
function runGuard(packageJson: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const path = join(temporaryDirectory(), 'package.json');
  writeFileSync(path, JSON.stringify(packageJson));
  return new Promise((resolve) =>
    execFile(process.execPath, [GUARD], { env: { ...process.env, npm_package_json: path } }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), stderr }),
    ),
  );
}

test('npm publish runs the guard first', () => {
  expect(manifest.scripts.prepublishOnly).toBe('node scripts/check-publishable.ts');
});

test('without repository (as today): refused, exit code 1, saying what to set', async () => {
  // Arrange
  const { repository: _none, ...withoutRepository } = manifest;

  // Act
  const result = await runGuard(withoutRepository);

  // Assert
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('has no "repository"');
  expect(result.stderr).toContain('Set "repository" (and "homepage" and "bugs") to the project\'s public URL first');
});

test.each([
  ['an empty repository', ''],
  ['a repository object without a url', { type: 'git' }],
])('%s: refused', async (_name, repository) => {
  expect((await runGuard({ ...manifest, repository })).code).toBe(1);
});

test.each([
  ['a repository URL', 'https://github.com/example/start-chat-contact-api'],
  ['a repository object', { type: 'git', url: 'git+https://github.com/example/start-chat-contact-api.git' }],
])('with %s: allowed, exit code 0, nothing printed', async (_name, repository) => {
  const result = await runGuard({ ...manifest, repository });
  expect(result).toEqual({ code: 0, stderr: '' });
});
