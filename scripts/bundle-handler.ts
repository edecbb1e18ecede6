/**
 * Bundles the Lambda handler into `assets/start-chat-contact/index.mjs`, the exact artifact the construct
 * deploys and `npm start` and the benchmarks run. One set of esbuild options serves all of them.
 *
 * ESM on Node 24, minified, with a source map, the AWS SDK bundled (the runtime's copy may be older), and
 * packages' ES-module entry points preferred (`module` before `main`) so the bundle tree-shakes.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLER_ENTRY = join(PROJECT_ROOT, 'lambda', 'start-chat-contact.ts');
export const HANDLER_ASSET_DIR = join(PROJECT_ROOT, 'assets', 'start-chat-contact');
export const HANDLER_BUNDLE = join(HANDLER_ASSET_DIR, 'index.mjs');

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
    // Bundled CommonJS code may call require() for Node built-ins; ESM has no require of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  };
}

export async function bundleHandler(outfile = HANDLER_BUNDLE): Promise<void> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build(handlerBuildOptions(HANDLER_ENTRY, outfile));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleHandler();
  console.log(`bundled ${HANDLER_BUNDLE}`);
}
