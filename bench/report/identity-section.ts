/** The report's part on verified customer identity (step `identity`, bench/identity.ts). */
import type { PackageBytes } from '../bundle-size.ts';
import type { IdentityBuildSize, IdentityOffComparison, IdentityOffRun, IdentityResults } from '../identity.ts';
import { fixed, kB, markdownTable, ms, textTable, times } from '../lib/format.ts';

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}

function bytesSigned(value: number): string {
  return `${value >= 0 ? '+' : '−'}${kB(Math.abs(value))}`;
}

function offComparisonText(c: IdentityOffComparison): string {
  return `init ${times(c.ratio)} [95 % CI ${fixed(c.interval[0], 3)}–${fixed(c.interval[1], 3)}], init CPU time ${times(c.cpuRatio)}, init + first request ${times(c.initPlusFirstRequestRatio)} [${fixed(c.initPlusFirstRequestInterval[0], 3)}–${fixed(c.initPlusFirstRequestInterval[1], 3)}]`;
}

function byPackageText(rows: readonly PackageBytes[]): string {
  const shown = rows.filter((row) => Math.abs(row.difference) >= 100);
  return shown.length === 0
    ? 'nothing over 0.1 kB'
    : shown.map((row) => `${row.group} ${bytesSigned(row.difference)}`).join(', ');
}

export function identitySection(identity: IdentityResults | undefined): string[] {
  if (!identity) return [];
  const { bundle, off } = identity;
  const row = (label: string, size: IdentityBuildSize, run: IdentityOffRun) => [
    label,
    kB(size.atStart.bytes),
    kB(size.atStart.gzipBytes),
    kB(size.bytes),
    kB(size.gzipBytes),
    ms(run.init.median),
    ms(run.initCpu.median),
    ms(run.initPlusFirstRequest.median),
  ];
  return [
    '## Verified identity',
    '',
    `What the \`identity\` prop costs. The deployed bundle always holds the identity code, in chunks that \`import()\` loads on the first request that carries a token; the baselines are the same handler built without the identity step (bench/fixtures/identity-off.ts), measured in the same run, code-split as deployed and in one file as it shipped before identity (no code splitting). *At start* is what a cold start loads (index.mjs and the chunks it imports statically), *whole* every file of the build (the asset without its maps); gzip -9 of each file, summed. ${identity.runs} fresh processes per kind, round-robin; identity off in all three, medians.`,
    '',
    markdownTable(
      [
        'build',
        'at start, raw',
        'at start, gzip',
        'whole, raw',
        'whole, gzip',
        'cold init',
        'init CPU time',
        'init + first request',
      ],
      [
        row('**deployed** (identity code in lazily loaded chunks)', bundle.withIdentity, off.deployed),
        row('the handler without the identity step, code-split', bundle.withoutIdentity, off.withoutIdentity),
        row('before identity: without the identity step, one file', bundle.beforeIdentity, off.beforeIdentity),
      ],
    ),
    '',
    `**Added by the identity code**: at start ${bytesSigned(bundle.addedAtStartBytes)} raw / ${bytesSigned(bundle.addedAtStartGzipBytes)} gzip (${times(bundle.atStartRawRatio)}; ${byPackageText(bundle.byPackageAtStart)}); whole ${bytesSigned(bundle.addedBytes)} raw / ${bytesSigned(bundle.addedGzipBytes)} gzip (${times(bundle.rawRatio)}; ${byPackageText(bundle.byPackage)}).`,
    '',
    `**Identity off** (the default), the deployed bundle's cold start against the handler without the identity code: ${offComparisonText(off.vsWithout)}. Against the one-file build before identity: at start ${times(bundle.atStartRawVsBefore)} raw, ${times(bundle.atStartGzipVsBefore)} gzip; ${offComparisonText(off.vsBefore)}.`,
    '',
    '**Identity on** (medians; the first request of a container with a token loads jose and the clients, fetches the keys over loopback and verifies; warm requests with and without a token alternate in the same processes):',
    '',
    markdownTable(
      [
        'source',
        'cold init',
        '1st request, token',
        '1st request, none',
        'first verification',
        'warm, token',
        'warm, none',
        'warm verification',
      ],
      identity.sources.map((s) => [
        `${s.source}: ${s.description}`,
        ms(s.init.median),
        ms(s.firstVerified.median),
        ms(s.firstAnonymous.median),
        signed(s.firstVerificationMs),
        ms(s.warmVerified.median),
        ms(s.warmAnonymous.median),
        signed(s.warmVerificationMs),
      ]),
    ),
    '',
  ];
}

export function identitySummary(identity: IdentityResults | undefined): string[] {
  if (!identity) return [];
  const { bundle, off } = identity;
  return [
    '',
    `Verified identity: at start ${bytesSigned(bundle.addedAtStartBytes)} raw, whole ${bytesSigned(bundle.addedBytes)} raw / ${bytesSigned(bundle.addedGzipBytes)} gzip (${times(bundle.rawRatio)}); identity off, cold init ${times(off.vsWithout.ratio)} [${fixed(off.vsWithout.interval[0], 3)}–${fixed(off.vsWithout.interval[1], 3)}] vs the handler without it`,
    `Against the one-file build before identity: at start ${kB(bundle.withIdentity.atStart.bytes)} vs ${kB(bundle.beforeIdentity.atStart.bytes)} (${times(bundle.atStartRawVsBefore)}); cold init ${times(off.vsBefore.ratio)} [${fixed(off.vsBefore.interval[0], 3)}–${fixed(off.vsBefore.interval[1], 3)}], init + first request ${times(off.vsBefore.initPlusFirstRequestRatio)} [${fixed(off.vsBefore.initPlusFirstRequestInterval[0], 3)}–${fixed(off.vsBefore.initPlusFirstRequestInterval[1], 3)}]`,
    textTable(
      ['source', 'cold init', 'first verification', 'warm verification'],
      identity.sources.map((s) => [
        s.source,
        ms(s.init.median),
        signed(s.firstVerificationMs),
        signed(s.warmVerificationMs),
      ]),
    ),
  ];
}
