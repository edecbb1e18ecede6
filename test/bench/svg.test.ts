/** The hand-written SVG plot of the burst. */
import { describe, expect, test } from '@jest/globals';
import { cdfSteps, renderCdfSvg } from '../../bench/report/svg.ts';

describe('cdfSteps', () => {
  test('steps up by one request at each start time and stays below 100 % for chats never started', () => {
    expect(cdfSteps([2_000, null, 1_000, Number.POSITIVE_INFINITY], 30_000)).toEqual([
      [0, 0],
      [1_000, 0],
      [1_000, 0.25],
      [2_000, 0.25],
      [2_000, 0.5],
      [30_000, 0.5],
    ]);
  });

  test('clamps times past the axis to its end', () => {
    expect(cdfSteps([40_000], 30_000).at(-1)).toEqual([30_000, 1]);
  });
});

describe('renderCdfSvg', () => {
  const svg = renderCdfSvg({
    title: 'A <burst> & more',
    maxMs: 30_000,
    series: [
      { label: 'ideal', startMs: [0, 200, 400], dashed: true },
      { label: 'ours', startMs: [100, 900, null] },
    ],
    markers: [{ atMs: 29_000, label: 'API Gateway 29 s' }],
  });

  test('is one SVG document with a polyline per series in each of its two panels, and a legend entry per series', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('>ideal</text>');
    expect(svg).toContain('>ours</text>');
    expect(svg).toContain('API Gateway 29 s');
  });

  test('escapes text', () => {
    expect(svg).toContain('A &lt;burst&gt; &amp; more');
    expect(svg).not.toContain('<burst>');
  });
});
