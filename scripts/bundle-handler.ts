/**
 * Bundles the Lambda handler into `assets/start-chat-contact/index.mjs`, the exact artifact the construct
 * deploys and `npm start` and the benchmarks run. One set of esbuild options serves all of them.
 *
 * ESM on Node 24, minified, with a source map, the AWS SDK bundled (the runtime's copy may be older), and
 * packages' ES-module entry points preferred (`module` before `main`) so the bundle tree-shakes. Node's
 * built-in modules are loaded with `require()` (see `builtinsViaRequire`), which cuts the cold start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLER_ENTRY = join(PROJECT_ROOT, 'lambda', 'start-chat-contact.ts');
export const HANDLER_ASSET_DIR = join(PROJECT_ROOT, 'assets', 'start-chat-contact');
export const HANDLER_BUNDLE = join(HANDLER_ASSET_DIR, 'index.mjs');

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

/** The esbuild options of the deployed function, for any entry and output file. */
export function handlerBuildOptions(entry = HANDLER_ENTRY, outfile = HANDLER_BUNDLE): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
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
    // Built-ins, and bundled CommonJS code, load through require(); ESM has no require of its own.
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

/**
 * Bundles the handler from the current sources. Each file is written whole, then renamed into place, so a
 * reader never sees half a bundle; a file whose content has not changed is left alone. Resolves with
 * whether anything was written.
 */
export async function bundleHandler(outfile = HANDLER_BUNDLE): Promise<boolean> {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({ ...handlerBuildOptions(HANDLER_ENTRY, outfile), write: false });
  let written = false;
  for (const file of result.outputFiles) {
    if (sameContent(file.path, file.contents)) continue;
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    written = true;
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleHandler();
  console.log(`bundled ${HANDLER_BUNDLE}`);
}
