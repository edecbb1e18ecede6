/**
 * `bundleHandler` (scripts/bundle-handler.ts), what `npm run build`, `npm start` and `cdk synth` run: the
 * code-split handler written into an asset directory, index.mjs and its chunks with their source maps, and
 * nothing else there: no chunk that nothing can load, no stale file of an earlier build. A rebuild of
 * unchanged sources rewrites nothing (`npm start` and tests reading the bundle rely on it).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { bundleGraph } from '../../scripts/bundle-graph.ts';
import { bundleHandler, ENTRY_FILE, filesUnder } from '../../scripts/bundle-handler.ts';

const BUILD_TIMEOUT_MS = 60_000;

let outdir: string;
let firstBuild: boolean;

/** The entry and every chunk it loads, statically or through import(), relative to the asset directory. */
function loadable(): string[] {
  return bundleGraph(join(outdir, ENTRY_FILE))
    .all.map((file) => relative(outdir, file))
    .sort();
}

function modifiedTimes(): Record<string, number> {
  return Object.fromEntries(filesUnder(outdir).map((file) => [file, statSync(join(outdir, file)).mtimeMs]));
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'chat-bundle-'));
  firstBuild = await bundleHandler(outdir);
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

test('writes index.mjs and the chunks it loads, each with its source map, and nothing else', () => {
  const code = loadable();
  expect(firstBuild).toBe(true);
  expect(code).toContain(ENTRY_FILE);
  expect(code.filter((file) => file.startsWith('chunks/')).length).toBeGreaterThan(1);
  expect(filesUnder(outdir)).toEqual(code.flatMap((file) => [file, `${file}.map`]).sort());
});

test(
  'a rebuild removes what an earlier build left, keeps a file another build is writing, and rewrites nothing unchanged',
  async () => {
    // Arrange: a stale chunk and map, a leftover of a build that died, and a file a running build is writing.
    const before = modifiedTimes();
    const planted = {
      staleChunk: 'chunks/chunk-STALE000.mjs',
      staleMap: 'chunks/chunk-STALE000.mjs.map',
      deadBuild: `chunks/chunk-DEAD0000.mjs.${2 ** 22 + 1}.tmp`,
      runningBuild: `index.mjs.${process.pid}.tmp`,
    };
    for (const file of Object.values(planted)) writeFileSync(join(outdir, file), 'export {};\n');

    // Act
    const changed = await bundleHandler(outdir);

    // Assert
    expect(changed).toBe(true);
    const code = loadable();
    expect(filesUnder(outdir)).toEqual([...code.flatMap((file) => [file, `${file}.map`]), planted.runningBuild].sort());
    expect(modifiedTimes()).toEqual({ ...before, [planted.runningBuild]: expect.any(Number) });
    rmSync(join(outdir, planted.runningBuild));
  },
  BUILD_TIMEOUT_MS,
);

test(
  'a rebuild of unchanged sources writes nothing',
  async () => {
    const before = modifiedTimes();
    expect(await bundleHandler(outdir)).toBe(false);
    expect(modifiedTimes()).toEqual(before);
  },
  BUILD_TIMEOUT_MS,
);
