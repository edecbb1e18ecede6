/**
 * Step `identity`, what verified customer identity costs:
 *
 * - Bundle: the deployed bundle against the same handler built without the identity step
 *   (bench/fixtures/identity-off.ts swapped in for lambda/identity/authenticate.ts), by package, both what a
 *   cold start loads (index.mjs and its static chunks) and the whole build; and against the handler as it
 *   shipped before identity, without the identity step and in one file (no code splitting).
 * - Identity off (the default): cold init of the three, round-robin in fresh processes, as the cold-init
 *   step, and init plus the first request (which loads the chunks a request needs on first use).
 * - Identity on, per source (OIDC with a JWKS on loopback; the shared secret from the Secrets Manager
 *   stand-in): cold init; the first request of a container with a token (which loads jose and the clients,
 *   fetches the keys and verifies) against the first request without one; then warm requests with and
 *   without a token alternating in the same process: the verification's own warm cost.
 *
 * Every process is a fresh Node 24 loading the bundle as Lambda does, against the Connect stand-in.
 */

import { join } from 'node:path';
import type { ConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import { DEV_SECRET_NAME, type DevIdentityProvider, startDevIdentityProvider } from '../local/dev-identity-provider.ts';
import { startSecretsManagerStandIn } from '../local/secrets-manager-stand-in.ts';
import { type PackageBytes, packageTable } from './bundle-size.ts';
import { runProbeScript, shuffled } from './cold-init.ts';
import {
  type BuiltBundle,
  type BundleSize,
  buildHandler,
  bytesByPackage,
  FIXTURES,
  measureBundle,
  replaceLambdaModule,
} from './lib/builds.ts';
import { chatRequestEvent, lambdaEnvironment } from './lib/lambda-env.ts';
import { bootstrapRatioInterval, median, ratio, type Summary, seededRandom, summarize } from './lib/stats.ts';

export interface IdentitySourceResult {
  readonly source: 'oidc' | 'shared-secret';
  readonly description: string;
  readonly init: Summary;
  /** The first request of a container, carrying a token: loads the verifier, fetches the keys, verifies. */
  readonly firstVerified: Summary;
  /** The first request of a container, without a token (identity on, optional). */
  readonly firstAnonymous: Summary;
  /** Warm requests with a token and without one, alternating in the same processes. */
  readonly warmVerified: Summary;
  readonly warmAnonymous: Summary;
  readonly firstVerificationMs: number;
  readonly warmVerificationMs: number;
}

/** A build's bytes: the whole build (`bytes`, `gzipBytes`) and what a cold start loads (`atStart`). */
export type IdentityBuildSize = Pick<BundleSize, 'bytes' | 'gzipBytes' | 'files' | 'atStart'>;

/** Identity off: one build's cold start, in fresh processes. */
export interface IdentityOffRun {
  readonly init: Summary;
  readonly initCpu: Summary;
  /** Init and the first request (anonymous), which loads the chunks a request needs on first use. */
  readonly initPlusFirstRequest: Summary;
}

/** The deployed bundle's cold start ÷ another build's, ratio of medians with a 95 % bootstrap interval. */
export interface IdentityOffComparison {
  readonly ratio: number;
  readonly interval: [number, number];
  readonly cpuRatio: number;
  readonly initPlusFirstRequestRatio: number;
  readonly initPlusFirstRequestInterval: [number, number];
}

export interface IdentityResults {
  readonly runs: number;
  readonly warmPairs: number;
  readonly bundle: {
    readonly withIdentity: IdentityBuildSize;
    readonly withoutIdentity: IdentityBuildSize;
    /** The handler as it shipped before identity: without the identity step, one file (no code splitting). */
    readonly beforeIdentity: IdentityBuildSize;
    /** With minus without identity: the whole build, and what a cold start loads. */
    readonly addedBytes: number;
    readonly addedGzipBytes: number;
    readonly addedAtStartBytes: number;
    readonly addedAtStartGzipBytes: number;
    /** Whole builds, with ÷ without. */
    readonly rawRatio: number;
    /** What a cold start loads: with identity ÷ without it, and ÷ the one-file build before identity. */
    readonly atStartRawRatio: number;
    readonly atStartRawVsBefore: number;
    readonly atStartGzipVsBefore: number;
    /** Where the whole builds differ, by package. */
    readonly byPackage: PackageBytes[];
    /** Where what a cold start loads differs, by package. */
    readonly byPackageAtStart: PackageBytes[];
  };
  /** Identity off: the cold start of the deployed bundle, of the one without identity code, and of the one before. */
  readonly off: {
    readonly deployed: IdentityOffRun;
    readonly withoutIdentity: IdentityOffRun;
    readonly beforeIdentity: IdentityOffRun;
    readonly vsWithout: IdentityOffComparison;
    readonly vsBefore: IdentityOffComparison;
  };
  readonly sources: IdentitySourceResult[];
}

interface ProbeSample {
  readonly initMs: number;
  readonly initCpuMs: number;
  readonly firstMs: number;
  readonly warmVerified: number[];
  readonly warmAnonymous: number[];
}

/**
 * Loads the bundle, times the first request (with the token when BENCH_FIRST=verified), then `BENCH_WARM`
 * pairs of warm requests, anonymous and verified, in alternating order. Inline JS without imports of its own.
 */
const PROBE = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = await import('file://' + process.env.BENCH_BUNDLE);
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const base = JSON.parse(process.env.BENCH_EVENT);
const token = process.env.BENCH_TOKEN;
const event = (signedIn) => {
  const e = structuredClone(base);
  e.requestContext.requestTimeEpoch = Date.now();
  if (signedIn) { e.headers.Authorization = 'Bearer ' + token; e.multiValueHeaders.Authorization = ['Bearer ' + token]; }
  return e;
};
const context = () => { const startedAt = Date.now(); return {
  callbackWaitsForEmptyEventLoop: false, functionName: 'start-chat-contact-bench', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:start-chat-contact-bench',
  memoryLimitInMB: '512', awsRequestId: 'identity-' + startedAt + '-' + Math.random(), logGroupName: 'bench', logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, startedAt + 30000 - Date.now()) }; };
const timed = async (signedIn) => {
  const s = performance.now();
  const answer = await mod.handler(event(signedIn), context());
  const d = performance.now() - s;
  if (answer.statusCode !== 200) throw new Error('answered ' + answer.statusCode + ' ' + answer.body);
  return d;
};
const firstMs = await timed(process.env.BENCH_FIRST === 'verified');
const warmVerified = [], warmAnonymous = [];
for (let i = 0; i < Number(process.env.BENCH_WARM); i++) {
  if (i % 2 === 0) { warmAnonymous.push(await timed(false)); warmVerified.push(await timed(true)); }
  else { warmVerified.push(await timed(true)); warmAnonymous.push(await timed(false)); }
}
process.stderr.write('\\nBENCH_RESULT ' + JSON.stringify({ initMs: t1 - t0, initCpuMs: (c1.user + c1.system) / 1000, firstMs, warmVerified, warmAnonymous }) + '\\n');
process.exit(0);
`;

function probe(
  bundle: string,
  standIn: ConnectStandIn,
  options: { env: Record<string, string>; token: string; first: 'verified' | 'anonymous'; warmPairs: number },
): Promise<ProbeSample> {
  const env = {
    ...lambdaEnvironment({ endpoint: standIn.url, extra: options.env }),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    BENCH_BUNDLE: bundle,
    BENCH_EVENT: JSON.stringify(chatRequestEvent(Date.now())),
    BENCH_TOKEN: options.token,
    BENCH_FIRST: options.first,
    BENCH_WARM: String(options.warmPairs),
  };
  return runProbeScript<ProbeSample>(PROBE, env, 'identity probe').then(({ result }) => result);
}

export async function measureIdentity(options: {
  readonly workDir: string;
  readonly deployed: string;
  readonly standIn: ConnectStandIn;
  readonly runs: number;
  readonly warmPairs?: number;
  readonly log: (line: string) => void;
}): Promise<IdentityResults> {
  const warmPairs = options.warmPairs ?? 50;
  const out = (name: string) => join(options.workDir, 'identity', name);
  const withIdentity = await buildHandler(out('with'));
  const identityOff = { plugins: [replaceLambdaModule('authenticate.ts', FIXTURES.identityOff)] };
  const withoutIdentity = await buildHandler(out('without'), identityOff);
  const beforeIdentity = await buildHandler(out('before'), { ...identityOff, oneFile: true });
  const deployedSize = measureBundle(options.deployed);
  if (deployedSize.bytes !== withIdentity.bytes || deployedSize.atStart.bytes !== withIdentity.atStart.bytes) {
    options.log(
      `  note: the rebuilt handler (${withIdentity.bytes} B) differs from the deployed asset; was \`npm run build\` run?`,
    );
  }
  const size = ({ bytes, gzipBytes, files, atStart }: BuiltBundle): IdentityBuildSize => ({
    bytes,
    gzipBytes,
    files,
    atStart,
  });
  const atStartOf = (bundle: BuiltBundle) => bytesByPackage(bundle.metafile, bundle.graph.atStart);

  const oidc: DevIdentityProvider = await startDevIdentityProvider({ kind: 'oidc', tokenLifetimeSeconds: 3_600 });
  const shared: DevIdentityProvider = await startDevIdentityProvider({ kind: 'shared-secret' });
  const secrets = await startSecretsManagerStandIn({ secrets: { [DEV_SECRET_NAME]: shared.sharedKey } });
  try {
    const oidcToken = await oidc.issueToken();
    const sources = {
      oidc: {
        description: 'OIDC, RS256, JWKS fetched over loopback HTTP from the local identity provider',
        env: oidc.handlerEnvironment(),
        token: async () => oidcToken,
      },
      'shared-secret': {
        description:
          "the hosted widget's HS256 tokens, key read through Powertools Parameters from the Secrets Manager stand-in",
        env: { ...shared.handlerEnvironment(), AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url },
        // Tokens of this kind live at most 10 minutes: a fresh one per process.
        token: () => shared.issueToken(),
      },
    } as const;

    type Kind = { name: string; run: () => Promise<ProbeSample> };
    const kinds: Kind[] = [
      {
        name: 'off:deployed',
        run: () => probe(options.deployed, options.standIn, { env: {}, token: '', first: 'anonymous', warmPairs: 0 }),
      },
      {
        name: 'off:without',
        run: () =>
          probe(withoutIdentity.file, options.standIn, { env: {}, token: '', first: 'anonymous', warmPairs: 0 }),
      },
      {
        name: 'off:before',
        run: () =>
          probe(beforeIdentity.file, options.standIn, { env: {}, token: '', first: 'anonymous', warmPairs: 0 }),
      },
      ...(['oidc', 'shared-secret'] as const).flatMap((source) =>
        (['verified', 'anonymous'] as const).map((first) => ({
          name: `${source}:${first}`,
          run: async () =>
            probe(options.deployed, options.standIn, {
              env: sources[source].env,
              token: await sources[source].token(),
              first,
              warmPairs: first === 'verified' ? warmPairs : 0,
            }),
        })),
      ),
    ];
    const samples = new Map<string, ProbeSample[]>(kinds.map((kind) => [kind.name, []]));
    const random = seededRandom(20_261_130);
    const warmupRounds = 1;
    for (let round = 0; round < warmupRounds + options.runs; round++) {
      for (const kind of shuffled(kinds, random)) {
        const sample = await kind.run();
        if (round >= warmupRounds) samples.get(kind.name)!.push(sample);
      }
      if ((round + 1) % 5 === 0) options.log(`  identity: round ${round + 1}/${warmupRounds + options.runs}`);
    }

    const get = (name: string) => samples.get(name)!;
    const series = (name: string) => ({
      init: get(name).map((s) => s.initMs),
      initCpu: get(name).map((s) => s.initCpuMs),
      initPlusFirstRequest: get(name).map((s) => s.initMs + s.firstMs),
    });
    const offRun = (name: string): IdentityOffRun => {
      const s = series(name);
      return {
        init: summarize(s.init),
        initCpu: summarize(s.initCpu),
        initPlusFirstRequest: summarize(s.initPlusFirstRequest),
      };
    };
    const offComparison = (numerator: string, denominator: string): IdentityOffComparison => {
      const a = series(numerator);
      const b = series(denominator);
      return {
        ratio: ratio(median(a.init), median(b.init)),
        interval: bootstrapRatioInterval(a.init, b.init),
        cpuRatio: ratio(median(a.initCpu), median(b.initCpu)),
        initPlusFirstRequestRatio: ratio(median(a.initPlusFirstRequest), median(b.initPlusFirstRequest)),
        initPlusFirstRequestInterval: bootstrapRatioInterval(a.initPlusFirstRequest, b.initPlusFirstRequest),
      };
    };
    return {
      runs: options.runs,
      warmPairs,
      bundle: {
        withIdentity: size(withIdentity),
        withoutIdentity: size(withoutIdentity),
        beforeIdentity: size(beforeIdentity),
        addedBytes: withIdentity.bytes - withoutIdentity.bytes,
        addedGzipBytes: withIdentity.gzipBytes - withoutIdentity.gzipBytes,
        addedAtStartBytes: withIdentity.atStart.bytes - withoutIdentity.atStart.bytes,
        addedAtStartGzipBytes: withIdentity.atStart.gzipBytes - withoutIdentity.atStart.gzipBytes,
        rawRatio: ratio(withIdentity.bytes, withoutIdentity.bytes),
        atStartRawRatio: ratio(withIdentity.atStart.bytes, withoutIdentity.atStart.bytes),
        atStartRawVsBefore: ratio(withIdentity.atStart.bytes, beforeIdentity.atStart.bytes),
        atStartGzipVsBefore: ratio(withIdentity.atStart.gzipBytes, beforeIdentity.atStart.gzipBytes),
        byPackage: packageTable(bytesByPackage(withIdentity.metafile), bytesByPackage(withoutIdentity.metafile)),
        byPackageAtStart: packageTable(atStartOf(withIdentity), atStartOf(withoutIdentity)),
      },
      off: {
        deployed: offRun('off:deployed'),
        withoutIdentity: offRun('off:without'),
        beforeIdentity: offRun('off:before'),
        vsWithout: offComparison('off:deployed', 'off:without'),
        vsBefore: offComparison('off:deployed', 'off:before'),
      },
      sources: (['oidc', 'shared-secret'] as const).map((source): IdentitySourceResult => {
        const verified = get(`${source}:verified`);
        const anonymous = get(`${source}:anonymous`);
        const warmVerified = verified.flatMap((s) => s.warmVerified);
        const warmAnonymous = verified.flatMap((s) => s.warmAnonymous);
        const firstVerified = verified.map((s) => s.firstMs);
        const firstAnonymous = anonymous.map((s) => s.firstMs);
        return {
          source,
          description: sources[source].description,
          init: summarize([...verified, ...anonymous].map((s) => s.initMs)),
          firstVerified: summarize(firstVerified),
          firstAnonymous: summarize(firstAnonymous),
          warmVerified: summarize(warmVerified),
          warmAnonymous: summarize(warmAnonymous),
          firstVerificationMs: median(firstVerified) - median(firstAnonymous),
          warmVerificationMs: median(warmVerified) - median(warmAnonymous),
        };
      }),
    };
  } finally {
    await secrets.close();
    await shared.close();
    await oidc.close();
  }
}
