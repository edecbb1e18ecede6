/**
 * `npm start` (or `node local/start.ts`) in a child process, for tests of the command itself: its output
 * collected, its exit awaited, and every child a test started killed after it.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface StartedProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

const running: ChildProcess[] = [];

/**
 * Runs `command args` in `cwd` with only the given variables beside PATH and HOME (and the handler's logs
 * silenced unless the test sets POWERTOOLS_LOG_LEVEL).
 */
export function startProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): StartedProcess {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal gives a command: `npm start` runs node under npm, and a signal
    // to the group reaches both, as Ctrl-C does.
    detached: true,
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until the process's stdout matches `pattern`; throws with its output if it exits or times out first. */
export async function waitForOutput(
  started: StartedProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  const endsAt = Date.now() + timeoutMs;
  for (;;) {
    const match = started.stdout().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null || Date.now() > endsAt) {
      throw new Error(`no ${pattern} in the output:\n${started.stdout()}\n${started.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The chat endpoint the start banner names. */
export function bannerApiUrl(started: StartedProcess): string {
  const url = started.stdout().match(/API {8}POST (http:\/\/\S+\/prod\/chat)/)?.[1];
  if (url === undefined) throw new Error(`no API URL in the banner:\n${started.stdout()}`);
  return url;
}

/** Sends `signal` to the process's group, as the terminal sends Ctrl-C (SIGINT) to the command it runs. */
export function signalGroup(started: StartedProcess, signal: NodeJS.Signals = 'SIGINT'): void {
  try {
    process.kill(-started.child.pid!, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Kills (SIGKILL) the process group of every process started since the last call; for `afterEach`. */
export function killStartedProcesses(): void {
  for (const child of running.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
