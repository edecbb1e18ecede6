/**
 * Where the time goes: CPU profiles (`--cpu-prof`) of cold init and of warm requests, for the deployed
 * bundle and its baseline, attributed to packages through the bundles' source maps. This is the evidence
 * behind "what limits" a ratio: the difference between the two columns is what our code and its
 * dependencies add. Profiling slows everything a little; read the shares, not the absolute times.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectStandIn } from '../local/connect-stand-in/connect-stand-in.ts';
import { bundleGraph } from '../scripts/bundle-graph.ts';
import { type ColdVariant, probeOnce } from './cold-init.ts';
import { attributeProfile, type CpuProfile } from './lib/cpu-profile.ts';
import { type RawSourceMap, SourceLookup } from './lib/source-map.ts';
import { runWarmChild } from './warm-overhead.ts';

export interface ProfileRow {
  readonly group: string;
  /** Per run (init, ms) or per request (warm, µs). */
  readonly deployed: number;
  readonly baseline: number;
  readonly difference: number;
}

export interface ProfileResults {
  readonly sampleIntervalUs: number;
  readonly initRuns: number;
  /** Init CPU per run, ms: the deployed bundle vs the SDK-only one. */
  readonly init: ProfileRow[];
  readonly warmRequests: number;
  /** CPU per warm request, µs: the whole handler vs a bare client.send. */
  readonly warm: ProfileRow[];
}

const INTERVAL_US = 50;

function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile);
}

/** The source map of every file of the bundle (index.mjs and its chunks), by file URL. */
function lookupsFor(bundle: string): Map<string, SourceLookup> {
  return new Map(
    bundleGraph(bundle).all.map((file) => [
      pathToFileURL(file).href,
      new SourceLookup(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as RawSourceMap),
    ]),
  );
}

/** Sums the attributed profiles of one bundle and divides by `per` (runs or requests), in `unit` µs. */
function attributed(
  profiles: readonly CpuProfile[],
  bundle: string,
  per: number,
  unitUs: number,
  harness?: string,
): Map<string, number> {
  const lookups = lookupsFor(bundle);
  const harnessUrl = harness === undefined ? undefined : pathToFileURL(harness).href;
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    for (const [group, us] of attributeProfile(profile, lookups, harnessUrl))
      totals.set(group, (totals.get(group) ?? 0) + us);
  }
  for (const [group, us] of totals) totals.set(group, us / per / unitUs);
  return totals;
}

function rows(deployed: Map<string, number>, baseline: Map<string, number>): ProfileRow[] {
  return [...new Set([...deployed.keys(), ...baseline.keys()])]
    .map((group) => {
      const a = deployed.get(group) ?? 0;
      const b = baseline.get(group) ?? 0;
      return { group, deployed: a, baseline: b, difference: a - b };
    })
    .sort((x, y) => y.deployed + y.baseline - (x.deployed + x.baseline));
}

export async function profileWhereTimeGoes(options: {
  readonly workDir: string;
  readonly instanceScript: string;
  readonly deployed: string;
  readonly sdkOnly: string;
  readonly standIn: ConnectStandIn;
  readonly initRuns: number;
  readonly warmRequests: number;
}): Promise<ProfileResults> {
  const dirs = {
    initDeployed: join(options.workDir, 'profiles', 'init-deployed'),
    initSdkOnly: join(options.workDir, 'profiles', 'init-sdk-only'),
    warmHandler: join(options.workDir, 'profiles', 'warm-handler'),
    warmBare: join(options.workDir, 'profiles', 'warm-bare'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const cpuProf = (dir: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`];

  const deployedVariant: ColdVariant = { name: 'deployed', description: '', bundle: options.deployed };
  const sdkOnlyVariant: ColdVariant = { name: 'sdk-only', description: '', bundle: options.sdkOnly };
  for (let run = 0; run < options.initRuns; run++) {
    await probeOnce(deployedVariant, options.standIn, { execArgv: cpuProf(dirs.initDeployed), initOnly: true });
    await probeOnce(sdkOnlyVariant, options.standIn, { execArgv: cpuProf(dirs.initSdkOnly), initOnly: true });
  }
  for (const [sides, dir] of [
    ['handler', dirs.warmHandler],
    ['bare', dirs.warmBare],
  ] as const) {
    await runWarmChild({
      instanceScript: options.instanceScript,
      handlerBundle: options.deployed,
      sdkBundle: options.sdkOnly,
      standIn: options.standIn,
      nodeOptions: undefined,
      warmup: 0,
      samples: options.warmRequests,
      sides,
      execArgv: cpuProf(dir),
    });
  }

  // A warm profile also holds the instance's start-up; it is the same on both sides and small next to
  // the requests, so it is left in.
  const results: ProfileResults = {
    sampleIntervalUs: INTERVAL_US,
    initRuns: options.initRuns,
    init: rows(
      attributed(readProfiles(dirs.initDeployed), options.deployed, options.initRuns, 1_000),
      attributed(readProfiles(dirs.initSdkOnly), options.sdkOnly, options.initRuns, 1_000),
    ),
    warmRequests: options.warmRequests,
    warm: rows(
      attributed(readProfiles(dirs.warmHandler), options.deployed, options.warmRequests, 1, options.instanceScript),
      attributed(readProfiles(dirs.warmBare), options.sdkOnly, options.warmRequests, 1, options.instanceScript),
    ),
  };
  rmSync(join(options.workDir, 'profiles'), { recursive: true, force: true });
  return results;
}
