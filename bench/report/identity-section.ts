/** The report's part on verified customer identity (step `identity`, bench/identity.ts). */
import type { IdentityResults } from '../identity.ts';
import { fixed, kB, markdownTable, ms, textTable, times } from '../lib/format.ts';

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}

function bytesSigned(value: number): string {
  return `${value >= 0 ? '+' : '−'}${kB(Math.abs(value))}`;
}

export function identitySection(identity: IdentityResults | undefined): string[] {
  if (!identity) return [];
  const { bundle, off } = identity;
  return [
    '## Verified identity',
    '',
    `What the \`identity\` prop costs. The deployed bundle always holds the identity code, loaded on the first request that carries a token; the baseline is the same handler built without the identity step (bench/fixtures/identity-off.ts), measured in the same run. ${identity.runs} fresh processes per kind, round-robin.`,
    '',
    markdownTable(
      ['bundle', 'raw', 'gzip'],
      [
        [
          'deployed (identity code included, loaded lazily)',
          kB(bundle.withIdentity.bytes),
          kB(bundle.withIdentity.gzipBytes),
        ],
        [
          'the handler without the identity step',
          kB(bundle.withoutIdentity.bytes),
          kB(bundle.withoutIdentity.gzipBytes),
        ],
        [`**added** (${times(bundle.rawRatio)})`, bytesSigned(bundle.addedBytes), bytesSigned(bundle.addedGzipBytes)],
      ],
    ),
    '',
    `By package: ${bundle.byPackage
      .filter((row) => Math.abs(row.difference) >= 100)
      .map((row) => `${row.group} ${bytesSigned(row.difference)}`)
      .join(', ')}.`,
    '',
    `**Identity off** (the default), cold init: ${ms(off.deployed.median)} vs ${ms(off.withoutIdentity.median)} without the identity code: ${times(off.ratio)} [95 % CI ${fixed(off.interval[0], 3)}–${fixed(off.interval[1], 3)}]; init CPU time ${times(off.cpuRatio)}.`,
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
    `Verified identity: bundle ${bytesSigned(bundle.addedBytes)} raw / ${bytesSigned(bundle.addedGzipBytes)} gzip (${times(bundle.rawRatio)}); identity off, cold init ${times(off.ratio)} [${fixed(off.interval[0], 3)}–${fixed(off.interval[1], 3)}] vs the handler without it`,
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
