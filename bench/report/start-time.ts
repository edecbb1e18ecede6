/** The report's part for step `start`: `npm start`'s time to ready, its target, section and summary lines. */
import { fixed, markdownTable, ms, textTable, times } from '../lib/format.ts';
import type { TargetCheck } from '../lib/results.ts';
import type { StartComparison, StartTimeResults, StartVariantName } from '../start-time.ts';

/** `npm start` ready within this long after `npm ci`, on the 2-core machine the project is built on. */
export const START_READY_TARGET_MS = 3_000;

function variant(results: StartTimeResults, name: StartVariantName) {
  return results.variants.find((v) => v.name === name);
}

function comparisonText(c: StartComparison | undefined): string {
  return c ? `${times(c.ratio)} [95 % CI ${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}]` : 'n/a';
}

export function startTimeTarget(results: StartTimeResults | undefined): TargetCheck[] {
  const first = results && variant(results, 'first-start');
  const bare = results && variant(results, 'bare-server');
  if (!results || !first || !bare) return [];
  const vsBare = results.comparisons.find((c) => c.numerator === 'first-start' && c.denominator === 'bare-server');
  return [
    {
      name: 'npm start ready after npm ci (median)',
      target: `≤ ${ms(START_READY_TARGET_MS)}`,
      measured: `${ms(first.ready.median)} [p90 ${ms(first.ready.p90)}]: ${comparisonText(vsBare)} a bare HTTP server started the same way (${ms(bare.ready.median)})`,
      met: first.ready.median <= START_READY_TARGET_MS,
    },
  ];
}

export function startTimeSection(results: StartTimeResults | undefined): string[] {
  if (!results) return [];
  return [
    '## 5. `npm start`',
    '',
    `Each command runs through npm, as typed, in a copy of the sources with this project's node_modules linked in (a fresh clone after \`npm ci\`), ${results.runs} times round-robin; ready is the banner's last line ("Press Ctrl-C to stop."), or the exit for the commands that answer and stop. The baselines are npm scripts in the same copy that run a bare HTTP server (ready when it listens) and \`node -e 0\`. \`npm start\` reads its settings and takes its ports, then bundles the handler with esbuild in-process and starts one warm container; it compiles nothing else.`,
    '',
    markdownTable(
      ['command', 'median', 'p25–p75', 'p90', 'max'],
      results.variants.map((v) => [
        `${v.name}: ${v.description}`,
        ms(v.ready.median),
        `${ms(v.ready.p25)}–${ms(v.ready.p75)}`,
        ms(v.ready.p90),
        ms(v.ready.max),
      ]),
    ),
    '',
    markdownTable(
      ['ratio of medians', 'ratio [95 % CI]'],
      results.comparisons.map((c) => [c.name, comparisonText(c)]),
    ),
    '',
  ];
}

export function startTimeSummary(results: StartTimeResults | undefined): string[] {
  if (!results) return [];
  return [
    '',
    `npm start (${results.runs} runs each; median):`,
    textTable(
      ['command', 'median', 'p90'],
      results.variants.map((v) => [v.name, ms(v.ready.median), ms(v.ready.p90)]),
    ),
    '',
    textTable(
      ['ratio of medians', 'ratio [95% CI]'],
      results.comparisons.map((c) => [c.name, comparisonText(c)]),
    ),
  ];
}
