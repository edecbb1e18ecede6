/**
 * `.ci/run` is the README's two install-and-test steps on a fresh machine, `npm ci` then `npm test`, and
 * nothing else (no apt-get, no system package): run with a PATH on which `npm` only records what it is asked,
 * and nothing else exists but what the script needs to find the repository.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { REPOSITORY_ROOT as ROOT } from '../support/fresh-copy.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';

const CI_RUN = join(ROOT, '.ci', 'run');

/** The commands of the README's first code block (its first screen), without comments. */
function firstScreenCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split('&&'))
    .map((command) => command.trim())
    .filter((command) => command !== '');
}

test('the README’s first screen: install and start, then test', () => {
  expect(firstScreenCommands()).toEqual(['npm ci', 'npm start', 'npm test']);
});

test('.ci/run runs npm ci, then npm test, in the repository, and nothing else', async () => {
  // Arrange: a PATH with a recording npm, the shell the script asks for, and dirname (it finds the repository).
  const bin = temporaryDirectory();
  const log = join(temporaryDirectory(), 'npm.log');
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "$PWD npm $*" >> '${log}'\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  for (const tool of ['bash', 'dirname']) {
    const path = ['/usr/bin', '/bin'].map((dir) => join(dir, tool)).find((candidate) => existsSync(candidate))!;
    symlinkSync(path, join(bin, tool));
  }

  // Act
  const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(CI_RUN, [], { cwd: temporaryDirectory(), env: { PATH: bin } }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), stderr }),
    ),
  );

  // Assert: any other command is not found, and `set -e` ends the run with its error.
  expect(result).toEqual({ code: 0, stderr: '' });
  const commands = firstScreenCommands().filter((command) => command !== 'npm start');
  expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(
    commands.map((command) => `${ROOT.replace(/\/$/, '')} ${command}`),
  );
});
