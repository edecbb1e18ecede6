/**
 * Where the pre-bundled handler lives: `assets/start-chat-contact/` at the package root (index.mjs and the
 * chunks it loads, in chunks/, each file with its source map), written by `npm run build`
 * (scripts/bundle-handler.ts) and shipped in the npm package, so synth never bundles: no
 * esbuild and no Docker, here or in a project that installed the package. The package root is the
 * nearest directory above this module whose package.json names this package: the repository for the
 * sources in lib/, the installed package for its build in dist/lib/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'start-chat-contact-api';

/** The file of the asset that holds the `handler` export (Lambda's `index.handler`); it imports the chunks. */
export const HANDLER_FILE = 'index.mjs';

/** The directory above `start` (inclusive) whose package.json is this package's. */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
    )
      return directory;
    if (dirname(directory) === directory) {
      throw new Error(`StartChatContactApi: no package.json of ${PACKAGE_NAME} above ${start}`);
    }
  }
}

/** The asset directory of the function; throws when the bundle has not been built. */
export function handlerAssetDirectory(packageRoot: string = findPackageRoot()): string {
  const directory = join(packageRoot, 'assets', 'start-chat-contact');
  if (!existsSync(join(directory, HANDLER_FILE))) {
    throw new Error(
      `StartChatContactApi: the bundled handler ${join(directory, HANDLER_FILE)} is missing. ` +
        'Run `npm run build` in the start-chat-contact-api package (an installed package ships it already).',
    );
  }
  return directory;
}
