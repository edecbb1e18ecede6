/** The variant builds the benchmark compares with the deployed settings, and how it measures a code-split build. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  buildWithDeployedSettings,
  measureBundle,
  replaceLambdaModule,
  variantBuildOptions,
} from '../../bench/lib/builds.ts';
import { fraction } from '../../bench/lib/format.ts';
import { bundleGraph } from '../../scripts/bundle-graph.ts';
import { builtinsViaRequire, HANDLER_ENTRY, handlerBuildOptions } from '../../scripts/bundle-handler.ts';

const names = (plugins: ReadonlyArray<{ name: string }> | undefined) => (plugins ?? []).map((plugin) => plugin.name);
const BUILTINS = builtinsViaRequire().name;

describe('variantBuildOptions', () => {
  test('with no changes is the deployed build', () => {
    const deployed = handlerBuildOptions(HANDLER_ENTRY, '/tmp/out');
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out');
    expect({ ...variant, plugins: names(variant.plugins) }).toEqual({ ...deployed, plugins: names(deployed.plugins) });
    expect(names(variant.plugins)).toContain(BUILTINS);
  });

  test('added plugins run after the deployed ones, which stay', () => {
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out', {
      plugins: [replaceLambdaModule('backoff.ts', '/tmp/b.ts')],
    });
    expect(names(variant.plugins)).toEqual([BUILTINS, 'replace-backoff.ts']);
  });

  test('esmBuiltins drops only the built-ins plugin: the previous setting', () => {
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out', { esmBuiltins: true });
    expect(names(variant.plugins)).not.toContain(BUILTINS);
    expect(variant.banner).toEqual(handlerBuildOptions().banner);
    expect(variant.format).toBe('esm');
  });

  test('oneFile turns code splitting off and nothing else: the previous setting', () => {
    const deployed = handlerBuildOptions(HANDLER_ENTRY, '/tmp/out');
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out', { oneFile: true });
    expect(deployed.splitting).toBe(true);
    expect({ ...variant, plugins: names(variant.plugins) }).toEqual({
      ...deployed,
      plugins: names(deployed.plugins),
      splitting: false,
    });
  });
});

describe('measureBundle', () => {
  let dir: string;
  beforeAll(async () => {
    // Arrange: an entry that imports one module statically and another through import(); both use a third.
    dir = mkdtempSync(join(tmpdir(), 'bench-split-'));
    const source = (name: string, text: string) => writeFileSync(join(dir, name), text);
    source('shared.ts', `export const shared = (x: string) => x.repeat(2) + ${JSON.stringify('s'.repeat(2_000))};\n`);
    source('eager.ts', "import { shared } from './shared.ts';\nexport const eager = () => shared('e');\n");
    source(
      'lazy.ts',
      `import { shared } from './shared.ts';\nexport const lazy = () => shared(${JSON.stringify('l'.repeat(5_000))});\n`,
    );
    source(
      'entry.ts',
      "import { eager } from './eager.ts';\nexport const handler = async () => eager() + (await import('./lazy.ts')).lazy();\n",
    );
    await buildWithDeployedSettings(join(dir, 'entry.ts'), join(dir, 'split'));
    await buildWithDeployedSettings(join(dir, 'entry.ts'), join(dir, 'one'), { oneFile: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('counts at start the entry and the chunks it imports statically, and the lazy chunk in the whole build only', () => {
    // Act
    const split = measureBundle(join(dir, 'split', 'index.mjs'));
    const { atStart, all } = bundleGraph(join(dir, 'split', 'index.mjs'));

    // Assert
    const chunks = readdirSync(join(dir, 'split', 'chunks')).filter((name) => name.endsWith('.mjs'));
    expect(chunks).toHaveLength(2);
    expect(all).toHaveLength(3);
    expect(atStart).toHaveLength(2);
    const lazy = all.filter((file) => !atStart.includes(file));
    expect(readFileSync(lazy[0]!, 'utf8')).toContain('l'.repeat(5_000));
    expect(split.files).toBe(3);
    expect(split.atStart.files).toBe(2);
    expect(split.bytes - split.atStart.bytes).toBe(statSync(lazy[0]!).size);
    expect(split.mapBytes).toBeGreaterThan(0);
  });

  test('a one-file build is all at start', () => {
    const one = measureBundle(join(dir, 'one', 'index.mjs'));
    expect(one).toMatchObject({ files: 1, atStart: { files: 1, bytes: one.bytes, gzipBytes: one.gzipBytes } });
    expect(readFileSync(join(dir, 'one', 'index.mjs'), 'utf8')).toContain('l'.repeat(5_000));
  });
});

describe('fraction', () => {
  test.each([
    [0.75, '3/4'],
    [2 / 3, '2/3'],
    [0.8, '4/5'],
    [0.5, '1/2'],
    [0.123_456, '0.123'],
  ])('%d reads %s', (share, text) => {
    expect(fraction(share)).toBe(text);
  });
});
