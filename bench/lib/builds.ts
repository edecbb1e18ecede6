/**
 * Every bundle the benchmark measures besides the deployed asset: the baselines (SDK-only and empty
 * functions) and the variants (the previous built-ins setting, a proposed source map, or a swapped retry
 * schedule), all built with the deployed function's own esbuild options from scripts/bundle-handler.ts, plus
 * the instance script the simulated Lambda instances run. Outputs go to a scratch directory outside the
 * repository.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { builtinsViaRequire, HANDLER_ENTRY, handlerBuildOptions, PROJECT_ROOT } from '../../scripts/bundle-handler.ts';
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

export interface BundleSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The source map next to it (deployed with enableSourceMaps); 0 when there is none. */
  readonly mapBytes: number;
}

/** Raw and gzip (level 9) size of a bundle; the map is measured but not counted in `bytes`. */
export function measureBundle(file: string): BundleSize {
  const code = readFileSync(file);
  let mapBytes = 0;
  try {
    mapBytes = statSync(`${file}.map`).size;
  } catch {
    mapBytes = 0;
  }
  return { file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, mapBytes };
}

export interface BuiltBundle extends BundleSize {
  readonly metafile: Metafile;
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
}

/** The deployed function's esbuild options for `entry`, changed as `changes` says. */
export function variantBuildOptions(entry: string, outfile: string, changes: BuildChanges = {}): BuildOptions {
  const deployed = handlerBuildOptions(entry, outfile);
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
  return { ...deployed, plugins: [...kept, ...(changes.plugins ?? [])] };
}

/** Builds `entry` with the deployed function's esbuild options (changed as `changes` says), with a metafile. */
export async function buildWithDeployedSettings(
  entry: string,
  outfile: string,
  changes: BuildChanges = {},
): Promise<BuiltBundle> {
  const result = await build({ ...variantBuildOptions(entry, outfile, changes), metafile: true, logLevel: 'error' });
  return { ...measureBundle(outfile), metafile: result.metafile };
}

/** The handler itself with the deployed settings, into `outfile`: the metafile breakdown of the deployed asset. */
export function buildHandler(outfile: string, changes: BuildChanges = {}): Promise<BuiltBundle> {
  return buildWithDeployedSettings(HANDLER_ENTRY, outfile, changes);
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
 * Proposed setting (not adopted): ship a source map of our own code only. The deployed map (about 1 MB,
 * nearly all of it the AWS SDK) is read and parsed at import when source maps are on (the construct's
 * `enableSourceMaps`, off by default); a map of lambda/ alone keeps every frame of our code mapped and
 * leaves dependency frames as bundle positions. Writes a copy of `bundle` with the trimmed map into `outDir`.
 */
export function withOwnCodeSourceMap(bundle: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  copyFileSync(bundle, file);
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as RawSourceMap;
  writeFileSync(`${file}.map`, JSON.stringify(trimSourceMap(map, (source) => /(^|\/)lambda\//.test(source))));
  return file;
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

/** Bytes in one output of a metafile, grouped by npm package, or by project folder for our own code. */
export function bytesByPackage(metafile: Metafile): Map<string, number> {
  const output = Object.entries(metafile.outputs).find(([name]) => !name.endsWith('.map'))?.[1];
  const groups = new Map<string, number>();
  if (!output) return groups;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const project = relative(PROJECT_ROOT, resolve(input)).split('/').slice(0, -1).join('/');
    const group = input.startsWith(BUILTIN_STUB_PREFIX)
      ? BUILTIN_STUB_GROUP
      : (pkg ?? (project.startsWith('lambda') ? 'lambda/ (our code)' : `${project || '.'}/`));
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  return groups;
}
