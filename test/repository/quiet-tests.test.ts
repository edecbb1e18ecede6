/**
 * The guard that keeps tests quiet (test/support/quiet-tests.ts, jest.config.js `setupFilesAfterEnv`): jest
 * run on fixture test files (test/fixtures/quiet-tests/), in a process of its own, fails each test that
 * prints without capturing, naming what it printed, and passes those that capture, mock, read a child
 * process's piped output, print deliberately or print nothing. Both ways jest runs files: in band (one file
 * on its own) and in workers (as `npm test` does).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { REPOSITORY_ROOT as ROOT } from '../support/fresh-copy.ts';
import { temporaryDirectory } from '../support/temporary-directory.ts';

interface JestReport {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly assertionResults: ReadonlyArray<{ title: string; status: string; failureMessages: string[] }>;
  }>;
}

async function jestOnFixtures(args: string[]): Promise<{ code: number; report: JestReport }> {
  const outputFile = join(temporaryDirectory(), 'report.json');
  const code = await new Promise<number>((resolve) =>
    execFile(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--no-warnings=ExperimentalWarning',
        join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--ci',
        '--testMatch',
        '<rootDir>/test/fixtures/quiet-tests/*.fixture.ts',
        '--json',
        '--outputFile',
        outputFile,
        ...args,
      ],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error) => resolve(error === null ? 0 : Number(error.code)),
    ),
  );
  return { code, report: JSON.parse(readFileSync(outputFile, 'utf8')) as JestReport };
}

function outcomes(report: JestReport, file: string): Record<string, string> {
  const result = report.testResults.find((candidate) => candidate.name.endsWith(file))!;
  return Object.fromEntries(
    result.assertionResults.map((assertion) => [
      assertion.title,
      assertion.status === 'failed' ? assertion.failureMessages.join('\n') : assertion.status,
    ]),
  );
}

/** A test's failure by the guard, naming what it printed. */
function failureNaming(output: string) {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return expect.stringMatching(
    new RegExp(
      `^Error: ${escaped('Printed during this test (or a hook before it) without capturing it')}.*\n${escaped(output)}\n`,
    ),
  );
}

describe.each([
  ['in band', ['--runInBand']],
  ['in workers', ['--maxWorkers=2', '--cacheDirectory', temporaryDirectory()]],
])('jest %s', (_how, args) => {
  test('fails each test that prints without capturing, naming the output; passes the rest', async () => {
    // Act
    const { code, report } = await jestOnFixtures(args);

    // Assert
    expect(code).toBe(1);
    expect(outcomes(report, '/prints.fixture.ts')).toEqual({
      'writes to stdout': failureNaming('process.stdout: a line on stdout'),
      'writes to stderr': failureNaming('process.stderr: a line on stderr'),
      'calls console.log': failureNaming('console.log: a console line'),
      'calls console.error': failureNaming('console.error: an error line'),
      'captures what it prints': 'passed',
      'mocks the console it calls': 'passed',
      'reads the piped output of a child process': 'passed',
      'prints deliberately': 'passed',
      'prints nothing': 'passed',
    });
    expect(outcomes(report, '/hook-prints.fixture.ts')).toEqual({
      'prints nothing itself': failureNaming('process.stdout: printed by beforeAll'),
    });
  }, 120_000);
});
