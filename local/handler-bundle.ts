/**
 * Loads the deployed handler, the bundle `npm run build` writes (assets/start-chat-contact/: index.mjs and
 * its chunks), the way Lambda starts a container: the function's environment is in place before the module
 * loads, because the handler reads its configuration once, at import. Every load is a fresh module instance
 * of every file of the bundle (a new container, with its own configuration, logger, Connect client and
 * identity verifier). Loads run one at a time, so each module sees the environment it was loaded with.
 *
 * Node keeps one instance per URL, and the chunks are imported by relative specifiers, which drop any query
 * string of the importer: a query on index.mjs alone would give each container its own index.mjs but one
 * shared set of chunks (and the state in them). So each container loads its own copy of the asset
 * directory, hard links where the file system allows them (no bytes copied), in a temporary directory
 * named after the process, removed by the loader's `close()` (and, as a backstop, when the process exits, or
 * by the next process's first load if this one was killed). The copy is also a snapshot: a rebuild while the container lives (which
 * renames files into place and removes stale chunks) cannot pull a chunk from under a later `import()`.
 *
 * The environment is the process's own (`process.env`): the AWS SDK inside the bundle reads it, at load
 * and later. One process therefore runs one function configuration.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { filesUnder, HANDLER_BUNDLE, processRunning } from '../scripts/bundle-handler.ts';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Variables to set, or to remove when `undefined`, before the function loads. */
export type FunctionEnvironment = Readonly<Record<string, string | undefined>>;

/** The bundle has not been built. */
export class MissingBundleError extends Error {
  constructor(bundle: string) {
    super(
      `The handler bundle ${bundle} does not exist: build it with \`npm run build\` (\`npm start\` builds it first)`,
    );
    this.name = 'MissingBundleError';
  }
}

let previousLoad: Promise<unknown> = Promise.resolve();
/** Every container copy not yet removed, in this process. */
const containerCopies = new Set<string>();
const COPY_PREFIX = 'start-chat-contact-container-';
let sweptKilledProcesses = false;

/** Removes the container copies of processes that ended without removing theirs (killed). */
function sweepCopiesOfEndedProcesses(): void {
  sweptKilledProcesses = true;
  for (const name of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${COPY_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid !== undefined && !processRunning(Number(pid)))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function removeCopy(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
  containerCopies.delete(directory);
}

process.once('exit', () => {
  for (const directory of containerCopies) removeCopy(directory);
});

/** Links (or, across file systems, copies) every file under `from` into the same place under `to`. */
function copyTree(from: string, to: string): void {
  for (const file of filesUnder(from)) {
    const source = join(from, file);
    const target = join(to, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      linkSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
      copyFileSync(source, target);
    }
  }
}

/**
 * A copy of the asset directory holding `bundle`, for one container: its directory and the path of its
 * entry. A file removed while it is copied (a rebuild replacing a stale chunk) starts the copy again.
 */
function containerCopy(bundle: string): { readonly directory: string; readonly entry: string } {
  if (!sweptKilledProcesses) sweepCopiesOfEndedProcesses();
  const directory = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
  containerCopies.add(directory);
  for (let attempt = 1; ; attempt++) {
    try {
      copyTree(dirname(bundle), directory);
      return { directory, entry: join(directory, basename(bundle)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) {
        removeCopy(directory);
        throw error;
      }
      rmSync(directory, { recursive: true, force: true });
      mkdirSync(directory);
    }
  }
}

/** Starts one new container of the bundled handler per call; `close()` removes the containers' copies. */
export type BundledHandlerLoader = (() => Promise<LambdaHandler>) & { close(): Promise<void> };

export function applyEnvironment(environment: FunctionEnvironment): void {
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** Returns a loader that starts one new container of the bundled handler per call. */
export function bundledHandlerLoader(
  environment: FunctionEnvironment,
  bundle: string = HANDLER_BUNDLE,
): BundledHandlerLoader {
  const copies: string[] = [];
  const load = () => {
    const loaded = previousLoad.then(async () => {
      if (!existsSync(bundle)) throw new MissingBundleError(bundle);
      applyEnvironment(environment);
      const copy = containerCopy(bundle);
      copies.push(copy.directory);
      // Distinct paths are distinct module instances: a cold start with its own module-level state.
      const module = (await import(pathToFileURL(copy.entry).href)) as { handler?: unknown };
      if (typeof module.handler !== 'function') throw new Error(`${bundle} does not export a handler function`);
      return module.handler as LambdaHandler;
    });
    previousLoad = loaded.catch(() => undefined);
    return loaded;
  };
  return Object.assign(load, {
    async close() {
      for (const directory of copies.splice(0)) removeCopy(directory);
    },
  });
}
