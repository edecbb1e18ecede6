/** The variant builds the benchmark compares with the deployed settings. */
import { describe, expect, test } from '@jest/globals';
import { replaceLambdaModule, variantBuildOptions } from '../../bench/lib/builds.ts';
import { fraction } from '../../bench/lib/format.ts';
import { builtinsViaRequire, HANDLER_ENTRY, handlerBuildOptions } from '../../scripts/bundle-handler.ts';

const names = (plugins: ReadonlyArray<{ name: string }> | undefined) => (plugins ?? []).map((plugin) => plugin.name);
const BUILTINS = builtinsViaRequire().name;

describe('variantBuildOptions', () => {
  test('with no changes is the deployed build', () => {
    const deployed = handlerBuildOptions(HANDLER_ENTRY, '/tmp/out.mjs');
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out.mjs');
    expect({ ...variant, plugins: names(variant.plugins) }).toEqual({ ...deployed, plugins: names(deployed.plugins) });
    expect(names(variant.plugins)).toContain(BUILTINS);
  });

  test('added plugins run after the deployed ones, which stay', () => {
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out.mjs', {
      plugins: [replaceLambdaModule('backoff.ts', '/tmp/b.ts')],
    });
    expect(names(variant.plugins)).toEqual([BUILTINS, 'replace-backoff.ts']);
  });

  test('esmBuiltins drops only the built-ins plugin: the previous setting', () => {
    const variant = variantBuildOptions(HANDLER_ENTRY, '/tmp/out.mjs', { esmBuiltins: true });
    expect(names(variant.plugins)).not.toContain(BUILTINS);
    expect(variant.banner).toEqual(handlerBuildOptions().banner);
    expect(variant.format).toBe('esm');
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
