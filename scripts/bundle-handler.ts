/**
 * Bundles the Lambda handler into `assets/start-chat-contact/`, the exact artifact the construct deploys and
 * `npm start` and the benchmarks run. One set of esbuild options serves all of them.
 *
 * ESM on Node 24, minified, with a source map per file, the AWS SDK bundled (the runtime's copy may be
 * older), and packages' ES-module entry points preferred (`module` before `main`) so the bundle tree-shakes.
 * Node's built-in modules are loaded with `require()` (see `builtinsViaRequire`), which cuts the cold start.
 *
 * Code-split: `index.mjs` holds the `handler` export; what is only reached through `import()` (the identity
 * verifier with jose and the Secrets Manager client, the SDK's credential providers other than the
 * environment's) goes into `chunks/`, loaded on first use, and code shared between the two into chunks that
 * `index.mjs` imports statically. A cold start loads `index.mjs` and those static chunks only
 * (scripts/bundle-graph.ts tells them apart).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type OutputFile, type Plugin } from 'esbuild';
import { HANDLER_FILE } from '../lib/handler-asset.ts';
import { reachable } from './bundle-graph.ts';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLER_ENTRY = join(PROJECT_ROOT, 'lambda', 'start-chat-contact.ts');
export const HANDLER_ASSET_DIR = join(PROJECT_ROOT, 'assets', 'start-chat-contact');
/** The entry file of a build, in its output directory: what Lambda's `index.handler` names. */
export const ENTRY_FILE = HANDLER_FILE;
/** Where a build's chunks go, under its output directory. */
export const CHUNK_DIR = 'chunks';
export const HANDLER_BUNDLE = join(HANDLER_ASSET_DIR, ENTRY_FILE);

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Loads Node's built-in modules through `require` (the banner's createRequire) instead of ESM `import`.
 * Importing a built-in from ESM builds its ES-module facade, which reads every export, and reading
 * `node:http`'s exports loads undici (fetch, WebSocket), which the SDK never uses: about 12-18 ms of every
 * cold start (`npm run bench`). Each built-in becomes a one-line CommonJS module, so esbuild reads its named
 * exports lazily, where they are used.
 */
export function builtinsViaRequire(): Plugin {
  return {
    name: 'builtins-via-require',
    setup(plugin) {
      plugin.onResolve({ filter: /^(node:)?[a-z_][a-z0-9_/]*$/ }, (args) => {
        if ((args.kind !== 'import-statement' && args.kind !== 'dynamic-import') || !BUILTINS.has(args.path))
          return undefined;
        return { path: args.path.replace(/^node:/, ''), namespace: 'builtin-via-require' };
      });
      plugin.onLoad({ filter: /.*/, namespace: 'builtin-via-require' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * The esbuild options of the deployed function, for any entry and output directory: `index.mjs` and
 * `chunks/*.mjs` (names with a content hash), each with its source map.
 */
export function handlerBuildOptions(entry = HANDLER_ENTRY, outdir = HANDLER_ASSET_DIR): BuildOptions {
  return {
    entryPoints: [{ in: entry, out: ENTRY_FILE.replace(/\.mjs$/, '') }],
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [builtinsViaRequire()],
    // Built-ins, and bundled CommonJS code, load through require(); ESM has no require of its own. Every
    // output file (the entry and each chunk) starts with this line.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
}

function sameContent(path: string, contents: Uint8Array): boolean {
  try {
    return Buffer.from(contents).equals(readFileSync(path));
  } catch {
    return false;
  }
}

/** Every file under `directory` (an asset directory), as paths relative to it, sorted; none when it does not exist. */
export function filesUnder(directory: string): string[] {
  try {
    return readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
      .sort();
  } catch {
    return [];
  }
}

/** Whether a process with this id is running. */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that id, so it is running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `file` is being written by a build still running (renamed into place when whole). */
function inFlight(file: string): boolean {
  const pid = /\.(\d+)\.tmp$/.exec(file)?.[1];
  return pid !== undefined && processRunning(Number(pid));
}

/**
 * The output files of a build that its entry can load, statically or through `import()`, with their source
 * maps. esbuild also writes a chunk for an `import()` whose caller tree-shaking removed (the AWS SDK's
 * browser user-agent parser, bowser): nothing can load it, so it is left out of the asset.
 */
function loadableOutputs(entry: string, metafile: Metafile, outputFiles: readonly OutputFile[]): OutputFile[] {
  const outputs = Object.entries(metafile.outputs).filter(([name]) => !name.endsWith('.map'));
  if (!outputs.some(([name]) => resolve(name) === entry)) throw new Error(`the handler build wrote no ${entry}`);
  const edges = new Map(
    outputs.map(([name, output]) => [
      resolve(name),
      output.imports
        .filter((edge) => edge.external !== true)
        .map((edge) => ({ path: resolve(edge.path), kind: edge.kind })),
    ]),
  );
  const code = new Set(reachable(entry, edges, () => true));
  return outputFiles.filter((file) => code.has(file.path.replace(/\.map$/, '')));
}

/**
 * Bundles the handler from the current sources into `outdir`. Each file is written whole, then renamed into
 * place, so a reader never sees half a file; a file whose content has not changed is left alone. The chunks
 * go first and the entry last, so the entry never names a chunk that is not there yet; then every other
 * file in the directory (the stale chunks and maps of an earlier build) is removed, since the whole
 * directory is the Lambda asset. Resolves with whether anything was written or removed.
 */
export async function bundleHandler(outdir = HANDLER_ASSET_DIR): Promise<boolean> {
  mkdirSync(outdir, { recursive: true });
  const result = await build({ ...handlerBuildOptions(HANDLER_ENTRY, outdir), write: false, metafile: true });
  const entry = resolve(outdir, ENTRY_FILE);
  const files = loadableOutputs(entry, result.metafile, result.outputFiles);
  const ordered = [...files].sort((a, b) => Number(a.path.startsWith(entry)) - Number(b.path.startsWith(entry)));
  let changed = false;
  for (const file of ordered) {
    if (sameContent(file.path, file.contents)) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    changed = true;
  }
  const written = new Set(files.map((file) => relative(outdir, file.path)));
  for (const stale of filesUnder(outdir).filter((file) => !written.has(file) && !inFlight(file))) {
    rmSync(join(outdir, stale), { force: true });
    changed = true;
  }
  return changed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleHandler();
  console.log(`bundled ${HANDLER_ASSET_DIR}`);
}
