/**
 * Every bundle the benchmark measures besides the deployed asset: the baselines (SDK-only and empty
 * functions) and the variants (the previous built-ins setting, the previous one-file build, a proposed
 * source map, or a swapped retry schedule), all built with the deployed function's own esbuild options from
 * scripts/bundle-handler.ts, plus the instance script the simulated Lambda instances run. Each build goes
 * into a directory of its own (index.mjs and its chunks) in a scratch directory outside the repository.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { type BundleGraph, bundleGraph } from '../../scripts/bundle-graph.ts';
import {
  builtinsViaRequire,
  ENTRY_FILE,
  HANDLER_ENTRY,
  handlerBuildOptions,
  PROJECT_ROOT,
} from '../../scripts/bundle-handler.ts';
import { type RawSourceMap, trimSourceMap } from './source-map.ts';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = {
  sdkOnly: join(BENCH_DIR, 'fixtures', 'sdk-only-function.ts'),
  empty: join(BENCH_DIR, 'fixtures', 'empty-function.ts'),
  doublingBackoff: join(BENCH_DIR, 'fixtures', 'backoff-doubling.ts'),
  spreadBackoff: join(BENCH_DIR, 'fixtures', 'backoff-spread.ts'),
  identityOff: join(BENCH_DIR, 'fixtures', 'identity-off.ts'),
} as const;
export const INSTANCE_SCRIPT = join(BENCH_DIR, 'instance', 'lambda-instance.ts');

/** Raw and gzip (level 9) bytes of a set of files: each file compressed on its own, as a zip holds it. */
export interface FileBytes {
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/**
 * The size of a build: its entry file and the chunks it loads (scripts/bundle-graph.ts). `bytes` and
 * `gzipBytes` are the whole build, every code file a cold start or a later `import()` may load (the Lambda
 * asset without its source maps); `atStart` is what a cold start loads: the entry and the chunks it imports
 * statically. A one-file bundle is both.
 */
export interface BundleSize extends FileBytes {
  /** The entry file (index.mjs). */
  readonly file: string;
  /** The entry and the chunks it imports statically, transitively: what a cold start loads. */
  readonly atStart: FileBytes;
  /** The source maps beside the files of the whole build (deployed with enableSourceMaps); 0 when there are none. */
  readonly mapBytes: number;
}

function fileBytes(files: readonly string[]): FileBytes {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const code = readFileSync(file);
    bytes += code.length;
    gzipBytes += gzipSync(code, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

function mapBytesOf(files: readonly string[]): number {
  return files.reduce((sum, file) => sum + (existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0), 0);
}

function sizeOf(graph: BundleGraph): BundleSize {
  return {
    file: graph.entry,
    ...fileBytes(graph.all),
    atStart: fileBytes(graph.atStart),
    mapBytes: mapBytesOf(graph.all),
  };
}

/** The size of the build whose entry is `file`: the whole build, and what a cold start loads of it. */
export function measureBundle(file: string): BundleSize {
  return sizeOf(bundleGraph(file));
}

export interface BuiltBundle extends BundleSize {
  readonly metafile: Metafile;
  /** Which of its files a cold start loads, and which only through `import()`. */
  readonly graph: BundleGraph;
}

/** How a variant's build differs from the deployed function's esbuild options. */
export interface BuildChanges {
  /** Plugins run after the deployed ones (e.g. a swapped lambda/ module). */
  readonly plugins?: readonly Plugin[];
  /**
   * Import Node's built-ins as ES modules, the setting before `builtinsViaRequire` (scripts/bundle-handler.ts)
   * was adopted: the deployed options without that plugin.
   */
  readonly esmBuiltins?: boolean;
  /**
   * One index.mjs holding everything, what `import()` loads included: the deployed options without code
   * splitting, the setting before it was adopted.
   */
  readonly oneFile?: boolean;
}

/** The deployed function's esbuild options for `entry` into `outdir`, changed as `changes` says. */
export function variantBuildOptions(entry: string, outdir: string, changes: BuildChanges = {}): BuildOptions {
  const deployed = handlerBuildOptions(entry, outdir);
  const deployedPlugins = deployed.plugins ?? [];
  const builtinsPlugin = builtinsViaRequire().name;
  const kept = changes.esmBuiltins
    ? deployedPlugins.filter((plugin) => plugin.name !== builtinsPlugin)
    : deployedPlugins;
  if (changes.esmBuiltins && kept.length === deployedPlugins.length) {
    throw new Error(
      `the deployed build options have no ${builtinsPlugin} plugin; the ESM-built-ins variant would equal the deployed build`,
    );
  }
  if (changes.oneFile && deployed.splitting !== true) {
    throw new Error(
      'the deployed build options do not split code; the one-file variant would equal the deployed build',
    );
  }
  return {
    ...deployed,
    plugins: [...kept, ...(changes.plugins ?? [])],
    ...(changes.oneFile && { splitting: false }),
  };
}

/**
 * Builds `entry` with the deployed function's esbuild options (changed as `changes` says) into `outdir`,
 * emptied first so that it holds this build alone, with a metafile.
 */
export async function buildWithDeployedSettings(
  entry: string,
  outdir: string,
  changes: BuildChanges = {},
): Promise<BuiltBundle> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({ ...variantBuildOptions(entry, outdir, changes), metafile: true, logLevel: 'error' });
  const graph = bundleGraph(join(outdir, ENTRY_FILE));
  return { ...sizeOf(graph), metafile: result.metafile, graph };
}

/** The handler itself with the deployed settings, into `outdir`: the metafile breakdown of the deployed asset. */
export function buildHandler(outdir: string, changes: BuildChanges = {}): Promise<BuiltBundle> {
  return buildWithDeployedSettings(HANDLER_ENTRY, outdir, changes);
}

/** Swaps one source file of lambda/ for another when lambda/ code imports it (e.g. the retry schedule). */
export function replaceLambdaModule(fileName: string, replacement: string): Plugin {
  const lambdaDir = join(PROJECT_ROOT, 'lambda');
  return {
    name: `replace-${fileName}`,
    setup(plugin) {
      plugin.onResolve({ filter: new RegExp(`/${fileName.replace('.', '\\.')}$`) }, (args) => {
        if (!args.importer.startsWith(lambdaDir)) return undefined;
        return { path: replacement };
      });
    },
  };
}

/**
 * Proposed setting (not adopted): ship source maps of our own code only. The deployed maps (nearly all of
 * them the AWS SDK) are read and parsed as each file loads when source maps are on (the construct's
 * `enableSourceMaps`, off by default); maps of lambda/ alone keep every frame of our code mapped and leave
 * dependency frames as bundle positions. Writes a copy of the build whose entry is `bundle`, every file with
 * its trimmed map, into `outDir`; resolves with the copy's entry.
 */
export function withOwnCodeSourceMap(bundle: string, outDir: string): string {
  const from = dirname(bundle);
  for (const source of bundleGraph(bundle).all) {
    const file = join(outDir, relative(from, source));
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(source, file);
    const map = JSON.parse(readFileSync(`${source}.map`, 'utf8')) as RawSourceMap;
    writeFileSync(`${file}.map`, JSON.stringify(trimSourceMap(map, (path) => /(^|\/)lambda\//.test(path))));
  }
  return join(outDir, relative(from, bundle));
}

/** Compiles the instance script to plain JS, so 100 worker threads do not each load the TypeScript stripper. */
export async function buildInstanceScript(outfile: string): Promise<string> {
  await build({
    entryPoints: [INSTANCE_SCRIPT],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Where `builtinsViaRequire` (scripts/bundle-handler.ts) puts its one-line module per built-in: esbuild names
 * them `builtin-via-require:<name>` in a metafile and in a source map.
 */
export const BUILTIN_STUB_PREFIX = 'builtin-via-require:';
export const BUILTIN_STUB_GROUP = 'Node built-ins (loaded with require())';

/**
 * Bytes in the code outputs of a metafile (every file of the build, or only `files`, absolute paths such
 * as a bundle graph's `atStart`), grouped by npm package, or by project folder for our own code.
 */
export function bytesByPackage(metafile: Metafile, files?: readonly string[]): Map<string, number> {
  const wanted = files === undefined ? undefined : new Set(files);
  const groups = new Map<string, number>();
  for (const [name, output] of Object.entries(metafile.outputs)) {
    if (name.endsWith('.map') || (wanted !== undefined && !wanted.has(resolve(name)))) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const project = relative(PROJECT_ROOT, resolve(input)).split('/').slice(0, -1).join('/');
      const group = input.startsWith(BUILTIN_STUB_PREFIX)
        ? BUILTIN_STUB_GROUP
        : (pkg ?? (project.startsWith('lambda') ? 'lambda/ (our code)' : `${project || '.'}/`));
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    }
  }
  return groups;
}
