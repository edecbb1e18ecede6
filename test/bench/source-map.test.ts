/** The source-map reader that attributes CPU profile samples to packages. */
import { describe, expect, test } from '@jest/globals';
import { decodeVlq, encodeVlq, SourceLookup, trimSourceMap } from '../../bench/lib/source-map.ts';

describe('decodeVlq', () => {
  test.each([
    ['A', [0]],
    ['C', [1]],
    ['D', [-1]],
    ['gB', [16]],
    ['hB', [-16]],
    ['AAgBC', [0, 0, 16, 1]],
    ['2HwcqxB', [123, 456, 789]],
    ['rxB', [-789]],
  ])('%s decodes to %j', (segment, values) => {
    expect(decodeVlq(segment)).toEqual(values);
  });

  test('rejects characters outside base64 and truncated segments', () => {
    expect(() => decodeVlq('A!')).toThrow(/invalid/);
    expect(() => decodeVlq('g')).toThrow(/truncated/);
  });
});

describe('SourceLookup', () => {
  // Line 0: col 0 -> a.ts, col 10 -> b.ts, col 20 -> unmapped; line 1: empty; line 2: col 5 -> a.ts.
  const lookup = new SourceLookup({ sources: ['a.ts', 'b.ts'], mappings: 'AAAA,UCAA,U;;KDAA' });

  test('finds the source of the segment at or before a column', () => {
    expect(lookup.sourceAt(0, 0)).toBe('a.ts');
    expect(lookup.sourceAt(0, 9)).toBe('a.ts');
    expect(lookup.sourceAt(0, 10)).toBe('b.ts');
    expect(lookup.sourceAt(0, 19)).toBe('b.ts');
    expect(lookup.sourceAt(2, 7)).toBe('a.ts');
  });

  test('answers undefined for unmapped segments, empty lines and positions before the first segment', () => {
    expect(lookup.sourceAt(0, 25)).toBeUndefined();
    expect(lookup.sourceAt(1, 0)).toBeUndefined();
    expect(lookup.sourceAt(2, 1)).toBeUndefined();
    expect(lookup.sourceAt(9, 0)).toBeUndefined();
  });
});

describe('encodeVlq', () => {
  test('is the inverse of decodeVlq', () => {
    const values = [0, 1, -1, 15, 16, -16, 123, 456, -789, 1_000_000, -1_000_000];
    expect(decodeVlq(encodeVlq(values))).toEqual(values);
    expect(encodeVlq([0, 0, 16, 1])).toBe('AAgBC');
  });
});

describe('trimSourceMap', () => {
  // Line 0: col 0 -> lib.js:0:0, col 10 -> lambda/a.ts:3:4 (name "run"), col 20 -> lib.js:1:0;
  // line 1: col 2 -> lambda/a.ts:4:0.
  const map = {
    version: 3,
    sources: ['node_modules/lib/lib.js', 'lambda/a.ts'],
    names: ['run'],
    mappings: `${encodeVlq([0, 0, 0, 0])},${encodeVlq([10, 1, 3, 4, 0])},${encodeVlq([10, -1, -2, -4])};${encodeVlq([2, 1, 3, 0])}`,
  };
  const trimmed = trimSourceMap(map, (source) => source.startsWith('lambda/'));

  test('keeps only the sources and names that kept segments use', () => {
    expect(trimmed.sources).toEqual(['lambda/a.ts']);
    expect(trimmed.names).toEqual(['run']);
  });

  test('kept positions map exactly as before; dropped ones map to nothing', () => {
    const before = new SourceLookup(map);
    const after = new SourceLookup(trimmed);
    expect(after.sourceAt(0, 12)).toBe(before.sourceAt(0, 12));
    expect(after.sourceAt(1, 2)).toBe('lambda/a.ts');
    expect(after.sourceAt(0, 0)).toBeUndefined();
    expect(trimmed.mappings).toBe(`${encodeVlq([10, 0, 3, 4, 0])};${encodeVlq([2, 0, 1, -4])}`);
  });
});
