/**
 * `npm start` right after `npm ci`, in a fresh copy of the sources (no handler bundle, no dist/): it
 * compiles nothing it does not run (no dist/), bundles the handler itself once the ports are taken, and
 * answers `--help` and a port in use before any bundling. How fast it gets ready is measured in
 * `npm run bench` (step `start`), as a ratio against a bare HTTP server started the same way.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { EXAMPLE_BODY } from '../../local/banner.ts';
import { closeServer, listen } from '../../local/listen.ts';
import { freshCopy } from '../support/fresh-copy.ts';
import {
  bannerApiUrl,
  killStartedProcesses,
  type StartedProcess,
  signalGroup,
  startProcess,
  waitForOutput,
} from '../support/start-process.ts';

/** What a clone holds that `npm start` may use. */
const SOURCES = ['package.json', 'lambda', 'lib', 'local', 'scripts'];

let copy: string;

function npmStart(args: string[], env: Record<string, string>): StartedProcess {
  return startProcess('npm', ['start', '--silent', ...(args.length > 0 ? ['--', ...args] : [])], copy, env);
}

beforeEach(() => {
  copy = freshCopy(SOURCES);
});
afterEach(killStartedProcesses);

test('npm start bundles the handler from the sources, compiles nothing else, and serves a chat', async () => {
  // Arrange
  expect(existsSync(join(copy, 'assets'))).toBe(false);

  // Act
  const started = npmStart([], { PORT: '0' });
  await waitForOutput(started, /Press Ctrl-C to stop/, 60_000);
  const response = await fetch(bannerApiUrl(started), { method: 'POST', body: EXAMPLE_BODY });
  signalGroup(started, 'SIGINT');
  await started.exited;

  // Assert
  expect(response.status).toBe(200);
  expect(existsSync(join(copy, 'assets', 'start-chat-contact', 'index.mjs'))).toBe(true);
  expect(existsSync(join(copy, 'dist'))).toBe(false);
  // npm itself ends by the signal; the server under it stopped cleanly.
  expect(started.stdout()).toContain('Stopped.');
}, 90_000);

test('--help answers before any bundling', async () => {
  // Act
  const started = npmStart(['--help'], {});
  const code = await started.exited;

  // Assert
  expect(code).toBe(0);
  expect(started.stdout()).toContain('Usage: npm start');
  expect(existsSync(join(copy, 'assets'))).toBe(false);
  expect(existsSync(join(copy, 'dist'))).toBe(false);
});

test('a port in use is reported before any bundling', async () => {
  // Arrange
  const blocker = createServer();
  const port = await listen(blocker, 0, '127.0.0.1', 'a blocker');

  try {
    // Act
    const started = npmStart([], { PORT: String(port), DEMO_PORT: '0' });
    const code = await started.exited;

    // Assert
    expect(code).toBe(1);
    expect(started.stderr()).toContain(`Cannot start: port ${port} on 127.0.0.1 (the API) is already in use.`);
    expect(existsSync(join(copy, 'assets'))).toBe(false);
    expect(existsSync(join(copy, 'dist'))).toBe(false);
  } finally {
    await closeServer(blocker);
  }
});
