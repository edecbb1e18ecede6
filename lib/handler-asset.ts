/**
 * Where the pre-bundled handler lives: `assets/start-chat-contact/` at the package root, written by
 * `npm run build` (scripts/bundle-handler.ts) and shipped in the npm package. lib/ (sources, tests) and
 * dist/ (the installed package) sit at the same depth, so the same relative path serves both, and synth
 * never bundles: no esbuild and no Docker, here or in a project that installed the package.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The file of the asset that holds the `handler` export. */
export const HANDLER_FILE = 'index.mjs';

/** The asset directory of the function; throws when the bundle has not been built. */
export function handlerAssetDirectory(packageRoot: string = PACKAGE_ROOT): string {
  const directory = join(packageRoot, 'assets', 'start-chat-contact');
  if (!existsSync(join(directory, HANDLER_FILE))) {
    throw new Error(
      `StartChatContactApi: the bundled handler ${join(directory, HANDLER_FILE)} is missing. ` +
        'Run `npm run build` in the start-chat-contact-api package (an installed package ships it already).',
    );
  }
  return directory;
}
