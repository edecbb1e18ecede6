/**
 * Tests are quiet unless they fail: a test that writes to process.stdout or process.stderr, or calls
 * console.*, without capturing it fails, naming what it printed. Capturing is replacing the writer for
 * the while, as `captureOutput()` (captured-output.ts) and `jest.spyOn(...).mockImplementation()` do: the
 * output then never reaches the guard. Loaded before every test file (jest.config.js
 * `setupFilesAfterEnv`).
 *
 * - What is printed is checked after each test (this module's afterEach, which jest runs before the test
 *   file's own root-level afterEach hooks): output of a `beforeAll` or of an earlier hook fails the next
 *   test, output of the last test's hooks fails the file (this module's afterAll). A test file's own
 *   `afterAll` hooks run after that last check, and are not checked.
 * - The output still goes where it was going, so it shows beside the failure.
 * - Child processes write to their own streams: their piped output is the test's to read, and does not
 *   reach these writers.
 * - `printDeliberately()` is for output a test run is asked for, such as `npm run test:hostile`'s tally.
 */
import { format } from 'node:util';
import { afterAll, afterEach } from '@jest/globals';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'dirxml', 'table', 'group'] as const;
/** How much of the output a failure shows. */
const SHOWN_CHARACTERS = 600;

const printed: string[] = [];
let deliberate = false;

function record(source: string, text: string): void {
  if (!deliberate) printed.push(`${source}: ${text}`);
}

function chunkText(chunk: unknown): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
}

const streams = [
  ['process.stdout', process.stdout],
  ['process.stderr', process.stderr],
] as const;
const originalWrites = streams.map(([, stream]) => stream.write);
for (const [name, stream] of streams) {
  const write = stream.write;
  stream.write = function guardedWrite(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    record(name, chunkText(chunk));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
}
for (const method of CONSOLE_METHODS) {
  const original = console[method] as (...args: unknown[]) => void;
  console[method] = (...args: unknown[]) => {
    record(`console.${method}`, format(...args));
    original.apply(console, args);
  };
}

/** The output since the last check, as a failure's message; undefined when there was none. */
function takePrinted(when: string): string | undefined {
  if (printed.length === 0) return undefined;
  const output = printed.splice(0).join('');
  const shown = output.length > SHOWN_CHARACTERS ? `${output.slice(0, SHOWN_CHARACTERS)}…` : output;
  return `Printed ${when} without capturing it (tests are quiet unless they fail; capture what you check with captureOutput() from test/support/captured-output.ts):\n${shown}`;
}

/** Writes to stdout on purpose: output the run was asked for, not a test's. */
export function printDeliberately(text: string): void {
  deliberate = true;
  try {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  } finally {
    deliberate = false;
  }
}

afterEach(() => {
  const message = takePrinted('during this test (or a hook before it)');
  if (message !== undefined) throw new Error(message);
});

afterAll(() => {
  // The writers go back as they were: the worker runs other test files after this one, each with its guard.
  streams.forEach(([, stream], index) => {
    stream.write = originalWrites[index]!;
  });
  const message = takePrinted('after the last test (by a hook)');
  if (message !== undefined) throw new Error(message);
});
