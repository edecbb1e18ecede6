/**
 * Step `start`: how soon `npm start` is ready in a fresh clone right after `npm ci` (no handler bundle
 * yet), and again with the bundle in place; how soon `npm start -- --help` and a port in use answer.
 *
 * Everything runs as a user types it, through npm, in a copy of the sources with the project's
 * node_modules linked in (what `git clone` and `npm ci` leave), the bundle removed before each first
 * start. Baselines, started the same way in the same copy: an npm script that runs a bare HTTP server
 * (bench/fixtures/bare-http-server.ts; ready when it listens), and one that runs `node -e 0` (for the
 * commands that answer and exit). Ready means the line that ends the banner ("Press Ctrl-C to stop.").
 * Variants run round-robin, one process group at a time, each stopped with SIGINT as Ctrl-C does.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/bundle-handler.ts';
import { BENCH_DIR } from './lib/builds.ts';
import { bootstrapRatioInterval, median, ratio, type Summary, summarize } from './lib/stats.ts';

/** What a clone holds that `npm start` may use. */
const SOURCES = ['package.json', 'lambda', 'lib', 'local', 'scripts'];

export type StartVariantName = 'first-start' | 'next-start' | 'bare-server' | 'help' | 'port-in-use' | 'node-e-0';

interface StartVariant {
  readonly name: StartVariantName;
  readonly description: string;
  /** npm's arguments. */
  readonly npm: readonly string[];
  /** Ready when stdout has this; undefined: when the process exits. */
  readonly readyWhen: string | undefined;
  /** Called before each run. */
  readonly before?: () => void;
  readonly env?: Readonly<Record<string, string>>;
}

export interface StartVariantResult {
  readonly name: StartVariantName;
  readonly description: string;
  readonly ready: Summary;
  readonly samples: number[];
}

export interface StartComparison {
  readonly name: string;
  readonly numerator: StartVariantName;
  readonly denominator: StartVariantName;
  readonly ratio: number;
  /** 95 % bootstrap interval of the ratio of medians. */
  readonly interval: [number, number];
}

export interface StartTimeResults {
  readonly runs: number;
  readonly variants: StartVariantResult[];
  readonly comparisons: StartComparison[];
}

const COMPARISONS: ReadonlyArray<Pick<StartComparison, 'name' | 'numerator' | 'denominator'>> = [
  { name: 'npm start after npm ci vs a bare HTTP server', numerator: 'first-start', denominator: 'bare-server' },
  { name: 'npm start, bundle in place, vs a bare HTTP server', numerator: 'next-start', denominator: 'bare-server' },
  { name: 'npm start -- --help vs node -e 0', numerator: 'help', denominator: 'node-e-0' },
  { name: 'npm start with its port in use vs node -e 0', numerator: 'port-in-use', denominator: 'node-e-0' },
];

/** A copy of the sources as a fresh clone after `npm ci`, with the baselines' npm scripts added. */
function freshClone(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const source of SOURCES) cpSync(join(PROJECT_ROOT, source), join(dir, source), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cpSync(join(BENCH_DIR, 'fixtures', 'bare-http-server.ts'), join(dir, 'bare-http-server.ts'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  manifest.scripts['bench:bare-server'] = 'node bare-http-server.ts';
  manifest.scripts['bench:node-e-0'] = 'node -e 0';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** Runs one variant once; resolves with the milliseconds from spawn to ready (or exit). */
function timeOnce(variant: StartVariant, cwd: string): Promise<number> {
  variant.before?.();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['--silent', ...variant.npm], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...variant.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let readyMs: number | undefined;
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (readyMs === undefined && variant.readyWhen !== undefined && out.includes(variant.readyWhen)) {
        readyMs = performance.now() - started;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.stderr.resume();
    child.once('exit', () => {
      clearTimeout(timer);
      const ms = variant.readyWhen === undefined ? performance.now() - started : readyMs;
      if (ms === undefined) reject(new Error(`${variant.name}: never ready; output:\n${out}`));
      else resolve(ms);
    });
  });
}

export async function measureStartTime(options: {
  readonly workDir: string;
  readonly runs: number;
  readonly log: (line: string) => void;
}): Promise<StartTimeResults> {
  const clone = freshClone(join(options.workDir, 'fresh-clone'));
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const busyPort = String((blocker.address() as AddressInfo).port);
  const removeBundle = () => rmSync(join(clone, 'assets'), { recursive: true, force: true });
  const ready = 'Press Ctrl-C to stop.';
  const variants: StartVariant[] = [
    {
      name: 'first-start',
      description: '`npm start` right after `npm ci`: no handler bundle yet',
      npm: ['start'],
      readyWhen: ready,
      before: removeBundle,
      env: { PORT: '0' },
    },
    {
      name: 'next-start',
      description: '`npm start` again, the bundle in place and unchanged',
      npm: ['start'],
      readyWhen: ready,
      env: { PORT: '0' },
    },
    {
      name: 'bare-server',
      description: 'baseline: an npm script running a bare HTTP server (bench/fixtures/bare-http-server.ts)',
      npm: ['run', 'bench:bare-server'],
      readyWhen: 'listening',
    },
    {
      name: 'help',
      description: '`npm start -- --help`, to its exit, no bundle in place',
      npm: ['start', '--', '--help'],
      readyWhen: undefined,
      before: removeBundle,
    },
    {
      name: 'port-in-use',
      description: '`npm start` with its port taken, to its exit (the error message), no bundle in place',
      npm: ['start'],
      readyWhen: undefined,
      before: removeBundle,
      env: { PORT: busyPort, DEMO_PORT: '0' },
    },
    {
      name: 'node-e-0',
      description: 'baseline: an npm script running `node -e 0`, to its exit',
      npm: ['run', 'bench:node-e-0'],
      readyWhen: undefined,
    },
  ];
  const samples = new Map<StartVariantName, number[]>(variants.map((variant) => [variant.name, []]));
  try {
    // One unmeasured round warms the file cache and esbuild's binary, as a second `npm start` would see.
    for (const variant of variants) await timeOnce(variant, clone);
    for (let round = 0; round < options.runs; round++) {
      for (const variant of variants) samples.get(variant.name)!.push(await timeOnce(variant, clone));
      const first = samples.get('first-start')!;
      options.log(`  round ${round + 1}/${options.runs}: first start ${Math.round(first.at(-1)!)} ms`);
    }
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
  const of = (name: StartVariantName) => samples.get(name)!;
  return {
    runs: options.runs,
    variants: variants.map((variant) => ({
      name: variant.name,
      description: variant.description,
      ready: summarize(of(variant.name)),
      samples: of(variant.name),
    })),
    comparisons: COMPARISONS.map((comparison) => ({
      ...comparison,
      ratio: ratio(median(of(comparison.numerator)), median(of(comparison.denominator))),
      interval: bootstrapRatioInterval(of(comparison.numerator), of(comparison.denominator)),
    })),
  };
}
