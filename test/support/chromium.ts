/**
 * Headless Chromium for the browser tests and the README screenshots, driven by playwright-core, with a
 * fresh profile per launch and the flags that keep it from calling out on a closed network.
 *
 * Which browser, first found wins:
 * 1. `CHROMIUM_PATH`, when set (an error if nothing is there);
 * 2. a system Chromium or Chrome at a usual place (Debian's `chromium`, Google Chrome on Linux or macOS);
 * 3. the headless Chromium inside the `@sparticuz/chromium` devDependency (Linux x64 and arm64), unpacked
 *    once per version into `node_modules/.cache/`, so `npm ci && npm test` needs nothing installed by hand.
 *
 * Only our own flags are passed: never `@sparticuz/chromium`'s default `args`, which include
 * `--disable-web-security` and would turn CORS off in the tests that check it.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where system browsers usually are; the first that exists is used. */
export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Without the background-networking flags Chromium's own connections fail on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Unpacks `@sparticuz/chromium`'s brotli-compressed browser (one self-contained binary; its fonts and
 * SwiftShader archives are not needed headless with --disable-gpu) into a folder named after the package's version,
 * through a staging folder renamed into place, so parallel jest workers and interrupted runs never see a
 * half-written binary. Returns the binary's path.
 */
async function unpackNpmChromium(): Promise<string> {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    throw new Error(
      `No Chromium found: @sparticuz/chromium ships Linux x64/arm64 only, and this is ${process.platform}/${process.arch}. Install Chromium or Google Chrome, or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  const packageDir = join(PROJECT_ROOT, 'node_modules', '@sparticuz', 'chromium');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = join(PROJECT_ROOT, 'node_modules', '.cache', `sparticuz-chromium-${version}-${process.arch}`);
  const binary = join(target, 'chromium');
  if (existsSync(join(target, 'complete'))) return binary;

  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.staging-`);
  await pipeline(
    createReadStream(join(packageDir, 'bin', 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(join(staging, 'chromium'), { mode: 0o755 }),
  );
  writeFileSync(join(staging, 'complete'), `${version}\n`);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another worker finished first: use its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'complete'))) throw error;
  }
  return binary;
}

/** The browser binary the tests drive (see the module comment for the order). */
export async function chromiumExecutable(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, and there is no file there`);
    return configured;
  }
  return SYSTEM_BROWSERS.find((path) => existsSync(path)) ?? (await unpackNpmChromium());
}

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1000, height: 800 }): Promise<Chromium> {
  const executablePath = await chromiumExecutable();
  // A fresh --user-data-dir: playwright passes it for a persistent context.
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
