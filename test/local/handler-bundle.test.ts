/**
 * npm start's local Lambda loads the code-split bundle (index.mjs and its chunks) once per container: each
 * container gets its own instance of every file of the bundle, the chunks index.mjs imports statically and
 * the ones it imports on first use alike, so no module-level state is shared between containers; and a
 * container keeps working when the asset directory is rebuilt under it. Shown with a small bundle of the
 * same shape (an entry, a static chunk and a lazy one, each counting the calls it served). The copies each
 * container loads from are removed when the API closes, or by a later process when this one was killed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { type BundledHandlerLoader, bundledHandlerLoader, MissingBundleError } from '../../local/handler-bundle.ts';
import { chatEvent, lambdaContext } from '../support/handler.ts';

const ENTRY = `import { count as countStatic } from './chunks/shared.mjs';
let calls = 0;
export const handler = async () => {
  const { count: countLazy } = await import('./chunks/lazy.mjs');
  return { statusCode: 200, body: JSON.stringify({ entry: ++calls, shared: countStatic(), lazy: countLazy() }) };
};
`;
const COUNTER = 'let calls = 0;\nexport const count = () => ++calls;\n';

let assetDir: string;
let loader: BundledHandlerLoader;

function writeBundle(directory: string): string {
  mkdirSync(join(directory, 'chunks'), { recursive: true });
  writeFileSync(join(directory, 'index.mjs'), ENTRY);
  writeFileSync(join(directory, 'chunks', 'shared.mjs'), COUNTER);
  writeFileSync(join(directory, 'chunks', 'lazy.mjs'), COUNTER);
  return join(directory, 'index.mjs');
}

async function invoke(handler: Awaited<ReturnType<BundledHandlerLoader>>) {
  return JSON.parse((await handler(chatEvent(), lambdaContext())).body) as Record<string, number>;
}

function containerCopies(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('start-chat-contact-container-'));
}

beforeEach(() => {
  assetDir = mkdtempSync(join(tmpdir(), 'chat-split-bundle-'));
});
afterEach(async () => {
  await loader?.close();
  rmSync(assetDir, { recursive: true, force: true });
});

// First in this file: the sweep runs on a process's first load.
test('the first load removes the copies a killed process left, and no copy of a running one', async () => {
  // Arrange: a copy of a process that cannot exist (above Linux's largest id), and one of this process.
  const killed = join(tmpdir(), `start-chat-contact-container-${2 ** 22 + 1}-left`);
  const running = mkdtempSync(join(tmpdir(), `start-chat-contact-container-${process.pid}-`));
  mkdirSync(join(killed, 'chunks'), { recursive: true });
  writeFileSync(join(killed, 'index.mjs'), ENTRY);
  loader = bundledHandlerLoader({}, writeBundle(assetDir));

  // Act
  await loader();

  // Assert
  expect(existsSync(killed)).toBe(false);
  expect(existsSync(running)).toBe(true);
  rmSync(running, { recursive: true });
});

test('each container has its own instance of the entry and of every chunk, static or loaded on first use', async () => {
  // Arrange
  loader = bundledHandlerLoader({}, writeBundle(assetDir));
  const first = await loader();
  const second = await loader();

  // Act
  const answers = [await invoke(first), await invoke(first), await invoke(second)];

  // Assert
  expect(answers).toEqual([
    { entry: 1, shared: 1, lazy: 1 },
    { entry: 2, shared: 2, lazy: 2 },
    { entry: 1, shared: 1, lazy: 1 },
  ]);
});

test('a container keeps its chunks when a rebuild removes them from the asset directory', async () => {
  // Arrange
  loader = bundledHandlerLoader({}, writeBundle(assetDir));
  const handler = await loader();
  // A rebuild removes the chunks of the earlier build (their names carry a content hash).
  rmSync(join(assetDir, 'chunks'), { recursive: true });

  // Act: the lazy chunk is imported only now.
  const answer = await invoke(handler);

  // Assert
  expect(answer).toEqual({ entry: 1, shared: 1, lazy: 1 });
});

test('close() removes the containers’ copies of the bundle', async () => {
  // Arrange
  const before = containerCopies();
  loader = bundledHandlerLoader({}, writeBundle(assetDir));
  await loader();
  await loader();
  const during = containerCopies().filter((name) => !before.includes(name));

  // Act
  await loader.close();

  // Assert
  expect(during).toHaveLength(2);
  expect(during.filter((name) => existsSync(join(tmpdir(), name)))).toEqual([]);
});

test('a missing bundle is reported as such, naming the file and the build command', async () => {
  loader = bundledHandlerLoader({}, join(assetDir, 'index.mjs'));
  await expect(loader()).rejects.toThrow(MissingBundleError);
  await expect(loader()).rejects.toThrow(/index\.mjs does not exist: build it with `npm run build`/);
});
