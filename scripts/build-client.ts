/**
 * Builds the browser client, `start-chat-contact-api/client`, into dist/client/: `index.js`, one ES module
 * with nothing to import (ES2020, minified, with a source map), which browsers, React Native's bundler and
 * Node load as it is; and tsc's declarations of client/ (tsconfig.client.json: the DOM's types, no Node's),
 * with `./name.js` specifiers as the library's (scripts/build-library.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { emitDeclarations } from './build-library.ts';
import { PROJECT_ROOT } from './bundle-handler.ts';

export const CLIENT_ENTRY = join(PROJECT_ROOT, 'client', 'index.ts');
export const CLIENT_DIR = join(PROJECT_ROOT, 'dist', 'client');
export const CLIENT_MODULE = join(CLIENT_DIR, 'index.js');
const CLIENT_TSCONFIG = join(PROJECT_ROOT, 'tsconfig.client.json');

function clientBuildOptions(): BuildOptions {
  return {
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    // No platform's built-ins: anything the client imported from Node would fail the build.
    platform: 'neutral',
    target: 'es2020',
    format: 'esm',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** The client module alone, written to `outfile` with its source map. */
export async function bundleClient(outfile: string = CLIENT_MODULE): Promise<void> {
  await build({ ...clientBuildOptions(), outfile, sourcemap: true });
}

/** The client module from the current sources as text, its source map inline: for the demo page. */
export async function clientModuleText(): Promise<string> {
  const result = await build({ ...clientBuildOptions(), outfile: 'index.js', sourcemap: 'inline', write: false });
  return result.outputFiles[0]!.text;
}

export async function buildClient(outDir: string = CLIENT_DIR): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  emitDeclarations(outDir, CLIENT_TSCONFIG);
  await bundleClient(join(outDir, 'index.js'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildClient();
  console.log(`built ${CLIENT_DIR}`);
}
