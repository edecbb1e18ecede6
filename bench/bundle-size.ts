/**
 * Step 1, bundle size: the deployed asset against the SDK-only function built with the same settings, and
 * against the same handler built by an actual aws-cdk-lib NodejsFunction with its default settings. Every
 * build is measured twice: what a cold start loads (index.mjs and the chunks it imports statically) and the
 * whole build (every chunk, the ones `import()` loads on first use too: the asset without its maps). Also
 * builds the variants the later steps run (the previous built-ins setting, the previous one-file build, the
 * proposed own-code source map, swapped retry schedules), and breaks the difference to the baseline down by
 * package.
 */
import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDLER_BUNDLE, PROJECT_ROOT } from '../scripts/bundle-handler.ts';
import {
  type BuiltBundle,
  type BundleSize,
  buildHandler,
  buildWithDeployedSettings,
  bytesByPackage,
  FIXTURES,
  measureBundle,
  replaceLambdaModule,
  withOwnCodeSourceMap,
} from './lib/builds.ts';
import type { SynthesizedBundle } from './lib/nodejs-function-synth.ts';
import { ratio } from './lib/stats.ts';

export interface SizedBundle extends BundleSize {
  readonly name: string;
  readonly description: string;
}

export interface PackageBytes {
  readonly group: string;
  readonly deployed: number;
  readonly sdkOnly: number;
  readonly difference: number;
}

export interface BundleResults {
  /** How the NodejsFunction bundles were made. */
  readonly nodejsFunctionMethod: string;
  readonly cdkVersion: string | undefined;
  readonly deployed: SizedBundle;
  readonly sdkOnly: SizedBundle;
  readonly empty: SizedBundle;
  readonly nodejsFunction: SizedBundle[];
  /** Other build settings (a previous one, or a proposal), applied to the handler and, where it applies, the baseline. */
  readonly alternatives: BuildAlternative[];
  /** Deployed ÷ baseline: the whole builds (`raw…`, `gzip…`) and what a cold start loads (`atStart…`). */
  readonly ratios: {
    readonly rawVsSdkOnly: number;
    readonly gzipVsSdkOnly: number;
    readonly atStartRawVsSdkOnly: number;
    readonly atStartGzipVsSdkOnly: number;
    readonly rawVsNodejsFunction: Record<string, number>;
    readonly gzipVsNodejsFunction: Record<string, number>;
    readonly atStartRawVsNodejsFunction: Record<string, number>;
  };
  /** Where the whole builds differ, by package. */
  readonly byPackage: PackageBytes[];
  /** Where what a cold start loads differs, by package. */
  readonly byPackageAtStart: PackageBytes[];
}

export interface BuildAlternative {
  readonly name: string;
  readonly status: 'previous setting' | 'proposal';
  readonly description: string;
  readonly handler: SizedBundle;
  readonly sdkOnly: SizedBundle | undefined;
}

/** Paths of the bundles the cold-init, warm and burst steps load. */
export interface BenchBundles {
  readonly deployed: string;
  readonly sdkOnly: string;
  readonly empty: string;
  readonly doublingBackoff: string;
  /** The handler with the spread of later retries read from BENCH_SPREAD_OF_REMAINING_TIME. */
  readonly spreadBackoff: string;
  readonly nodejsFunctionBundled: string | undefined;
  /** The handler and the SDK-only function with Node built-ins imported as ES modules (the previous setting). */
  readonly esmBuiltinsHandler: string;
  readonly esmBuiltinsSdkOnly: string;
  /** The handler and the SDK-only function built as one file, without code splitting (the previous setting). */
  readonly oneFileHandler: string;
  readonly oneFileSdkOnly: string;
  /** The deployed bundle with a source map of lambda/ only (a proposal). */
  readonly ownCodeMap: string;
}

function runSynth(outDir: string): Promise<{ cdkVersion: string; bundles: SynthesizedBundle[] }> {
  const script = fileURLToPath(new URL('./lib/nodejs-function-synth.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, outDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{'))
        resolve(JSON.parse(line) as { cdkVersion: string; bundles: SynthesizedBundle[] });
      else reject(new Error(`NodejsFunction synth failed (exit ${code}): ${stderr.slice(-2_000)}`));
    });
  });
}

/** Bytes by package (`bytesByPackage`) where two bundles differ, largest difference first. */
export function packageTable(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): PackageBytes[] {
  return [...new Set([...a.keys(), ...b.keys()])]
    .map((group) => ({
      group,
      deployed: a.get(group) ?? 0,
      sdkOnly: b.get(group) ?? 0,
      difference: (a.get(group) ?? 0) - (b.get(group) ?? 0),
    }))
    .filter((row) => row.difference !== 0)
    .sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference));
}

export async function measureBundles(
  workDir: string,
  log: (line: string) => void,
): Promise<{ results: BundleResults; bundles: BenchBundles }> {
  // One directory per build: index.mjs and its chunks.
  const out = (name: string) => join(workDir, 'bundles', name);
  // Scratch paths mean nothing after the run; the report names them relative to the scratch directory.
  const sized = (name: string, description: string, size: BundleSize): SizedBundle => ({
    name,
    description,
    file: size.file.startsWith(workDir)
      ? `(scratch)${size.file.slice(workDir.length)}`
      : relative(PROJECT_ROOT, size.file),
    bytes: size.bytes,
    gzipBytes: size.gzipBytes,
    files: size.files,
    atStart: size.atStart,
    mapBytes: size.mapBytes,
  });

  const deployed = sized(
    'deployed',
    'assets/start-chat-contact/ as `npm run build` writes it (scripts/bundle-handler.ts)',
    measureBundle(HANDLER_BUNDLE),
  );
  const rebuilt = await buildHandler(out('handler-metafile'));
  if (rebuilt.bytes !== deployed.bytes || rebuilt.atStart.bytes !== deployed.atStart.bytes) {
    log(
      `  note: the rebuilt handler (${rebuilt.bytes} B, ${rebuilt.atStart.bytes} B at start) differs from the deployed asset (${deployed.bytes} B, ${deployed.atStart.bytes} B); was \`npm run build\` run?`,
    );
  }
  const sdkOnly: BuiltBundle = await buildWithDeployedSettings(FIXTURES.sdkOnly, out('sdk-only'));
  const empty = await buildWithDeployedSettings(FIXTURES.empty, out('empty'));
  const doubling = await buildHandler(out('doubling-backoff'), {
    plugins: [replaceLambdaModule('backoff.ts', FIXTURES.doublingBackoff)],
  });
  const spread = await buildHandler(out('spread-backoff'), {
    plugins: [replaceLambdaModule('backoff.ts', FIXTURES.spreadBackoff)],
  });
  const esmBuiltinsHandler = await buildHandler(out('esm-builtins/handler'), { esmBuiltins: true });
  const esmBuiltinsSdkOnly = await buildWithDeployedSettings(FIXTURES.sdkOnly, out('esm-builtins/sdk-only'), {
    esmBuiltins: true,
  });
  const oneFileHandler = await buildHandler(out('one-file/handler'), { oneFile: true });
  const oneFileSdkOnly = await buildWithDeployedSettings(FIXTURES.sdkOnly, out('one-file/sdk-only'), {
    oneFile: true,
  });

  const ownCodeMap = withOwnCodeSourceMap(HANDLER_BUNDLE, out('own-code-source-map'));

  let nodejsFunction: SizedBundle[] = [];
  let synthesized: SynthesizedBundle[] = [];
  let cdkVersion: string | undefined;
  let nodejsFunctionMethod: string;
  try {
    const synth = await runSynth(out('nodejs-function'));
    cdkVersion = synth.cdkVersion;
    synthesized = synth.bundles;
    nodejsFunction = synth.bundles.map((bundle) => sized(bundle.name, bundle.description, measureBundle(bundle.file)));
    nodejsFunctionMethod = `synthesized: a scratch CDK app with an aws-cdk-lib ${synth.cdkVersion} NodejsFunction (nodejs24.x, arm64), bundled by CDK with the project's local esbuild (no Docker); the asset CDK wrote is measured`;
  } catch (error) {
    nodejsFunctionMethod = `not measured: ${error instanceof Error ? error.message : String(error)}`;
    log(`  NodejsFunction synth failed: ${nodejsFunctionMethod}`);
  }

  const rawVsNodejsFunction: Record<string, number> = {};
  const gzipVsNodejsFunction: Record<string, number> = {};
  const atStartRawVsNodejsFunction: Record<string, number> = {};
  for (const bundle of nodejsFunction) {
    rawVsNodejsFunction[bundle.name] = ratio(deployed.bytes, bundle.bytes);
    gzipVsNodejsFunction[bundle.name] = ratio(deployed.gzipBytes, bundle.gzipBytes);
    atStartRawVsNodejsFunction[bundle.name] = ratio(deployed.atStart.bytes, bundle.atStart.bytes);
  }

  const results: BundleResults = {
    nodejsFunctionMethod,
    cdkVersion,
    deployed,
    sdkOnly: sized(
      'sdk-only',
      'bench/fixtures/sdk-only-function.ts: ConnectClient + StartChatContactCommand only, same esbuild settings',
      sdkOnly,
    ),
    empty: sized('empty', 'bench/fixtures/empty-function.ts, same esbuild settings', empty),
    nodejsFunction,
    alternatives: [
      {
        name: 'esm-builtins',
        status: 'previous setting',
        description: 'Node built-ins imported as ES modules (the deployed settings without builtinsViaRequire)',
        handler: sized('handler', 'deployed settings, ESM imports of built-ins', esmBuiltinsHandler),
        sdkOnly: sized('sdk-only', 'SDK-only, ESM imports of built-ins', esmBuiltinsSdkOnly),
      },
      {
        name: 'one-file',
        status: 'previous setting',
        description:
          'one index.mjs, what `import()` loads included (the deployed settings without code splitting): a cold start loads all of it',
        handler: sized('handler', 'deployed settings, one file', oneFileHandler),
        sdkOnly: sized('sdk-only', 'SDK-only, one file', oneFileSdkOnly),
      },
      {
        name: 'own-code-source-map',
        status: 'proposal',
        description: 'the deployed bundle with a source map of lambda/ only',
        handler: sized('handler', 'deployed bundle + a source map of lambda/ only', measureBundle(ownCodeMap)),
        sdkOnly: undefined,
      },
    ],
    ratios: {
      rawVsSdkOnly: ratio(deployed.bytes, sdkOnly.bytes),
      gzipVsSdkOnly: ratio(deployed.gzipBytes, sdkOnly.gzipBytes),
      atStartRawVsSdkOnly: ratio(deployed.atStart.bytes, sdkOnly.atStart.bytes),
      atStartGzipVsSdkOnly: ratio(deployed.atStart.gzipBytes, sdkOnly.atStart.gzipBytes),
      rawVsNodejsFunction,
      gzipVsNodejsFunction,
      atStartRawVsNodejsFunction,
    },
    byPackage: packageTable(bytesByPackage(rebuilt.metafile), bytesByPackage(sdkOnly.metafile)),
    byPackageAtStart: packageTable(
      bytesByPackage(rebuilt.metafile, rebuilt.graph.atStart),
      bytesByPackage(sdkOnly.metafile, sdkOnly.graph.atStart),
    ),
  };
  const bundles: BenchBundles = {
    deployed: HANDLER_BUNDLE,
    sdkOnly: sdkOnly.file,
    empty: empty.file,
    doublingBackoff: doubling.file,
    spreadBackoff: spread.file,
    nodejsFunctionBundled: synthesized.find((bundle) => bundle.name === 'defaults-bundleAwsSDK')?.file,
    esmBuiltinsHandler: esmBuiltinsHandler.file,
    esmBuiltinsSdkOnly: esmBuiltinsSdkOnly.file,
    oneFileHandler: oneFileHandler.file,
    oneFileSdkOnly: oneFileSdkOnly.file,
    ownCodeMap,
  };
  return { results, bundles };
}
