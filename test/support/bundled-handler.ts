/**
 * Runs a bundled handler as Lambda would, in a Node process of its own (one cold container) whose
 * environment is exactly `env`, through run-bundled-handler.ts: one invocation per event, in order.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./run-bundled-handler.ts', import.meta.url));

/** Dummy credentials for the function's process, and no instance metadata lookups that would hang. */
export const LOCAL_AWS_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALTESTING',
  AWS_SECRET_ACCESS_KEY: 'local-testing-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

export type BundledAnswer = APIGatewayProxyResult & { json: any };

export interface BundledRun {
  readonly answers: BundledAnswer[];
  /** What the function wrote to stdout (its log lines at INFO and below, and its metrics). */
  readonly stdout: string;
  /** What it wrote to stderr (the logger's WARN and ERROR lines). */
  readonly stderr: string;
}

export interface BundledHandlerOptions {
  /** The directory holding index.mjs and its chunks. */
  readonly assetDirectory: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly events: readonly APIGatewayProxyEvent[];
  /** Where the events and results files are written. */
  readonly workDir: string;
  readonly timeoutMs: number;
}

export async function runBundledHandler(options: BundledHandlerOptions): Promise<BundledRun> {
  const eventsFile = join(options.workDir, 'events.json');
  const resultsFile = join(options.workDir, 'results.json');
  writeFileSync(eventsFile, JSON.stringify(options.events));
  const { stdout, stderr } = await run(
    process.execPath,
    [RUNNER, options.assetDirectory, eventsFile, resultsFile, String(options.timeoutMs)],
    { env: options.env, timeout: 60_000 },
  );
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as APIGatewayProxyResult[];
  return { answers: results.map((result) => ({ ...result, json: JSON.parse(result.body) })), stdout, stderr };
}

/** The answers alone. */
export async function invokeBundledHandler(options: BundledHandlerOptions): Promise<BundledAnswer[]> {
  return (await runBundledHandler(options)).answers;
}
