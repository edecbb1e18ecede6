/**
 * Attributes the samples of a V8 CPU profile (`node --cpu-prof`) to where the time went: each sample goes
 * to the package of the innermost stack frame that lies in the bundle (index.mjs or one of its chunks,
 * through that file's source map), so Node
 * internals called by a package count for that package; samples with no bundle frame are V8 or Node work
 * (compiling modules, loading built-ins, garbage collection). Function-level only: top-level statements of
 * an ES-module bundle all run in one frame, reported as "bundle top level".
 */
import { BUILTIN_STUB_GROUP, BUILTIN_STUB_PREFIX } from './builds.ts';
import type { SourceLookup } from './source-map.ts';

export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The package (or project folder) a source path of the bundle belongs to. */
export function packageOf(source: string): string {
  if (source.startsWith(BUILTIN_STUB_PREFIX)) return BUILTIN_STUB_GROUP;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  if (pkg)
    return pkg.startsWith('@smithy/') || pkg.startsWith('@aws-sdk/') || pkg === '@aws/lambda-invoke-store'
      ? 'AWS SDK (@aws-sdk, @smithy)'
      : pkg;
  if (/(^|\/)lambda\//.test(source)) return 'lambda/ (our code)';
  return source.split('/').slice(-2).join('/');
}

const MODULE_LOADING =
  /^(compileSourceTextModule|compileForInternalLoader|compileFunction|requireBuiltin|maybeCacheSourceMap)$/;

/**
 * Microseconds of samples per group. `lookups` holds the source map of each file of the bundle by its file
 * URL as the profile names it; frames of `harnessUrl` (the benchmark's own instance script) are counted
 * apart, as they are outside the timings.
 */
export function attributeProfile(
  profile: CpuProfile,
  lookups: ReadonlyMap<string, SourceLookup>,
  harnessUrl?: string,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const groupOf = new Map<number, string>();

  const classify = (id: number): string => {
    const cached = groupOf.get(id);
    if (cached !== undefined) return cached;
    let group: string | undefined;
    let sawModuleLoading = false;
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      const lookup = lookups.get(frame.url);
      if (lookup !== undefined) {
        const source = lookup.sourceAt(frame.lineNumber, frame.columnNumber);
        group =
          source === undefined || (frame.functionName === '' && frame.lineNumber === 0 && frame.columnNumber === 0)
            ? 'bundle top level (all packages)'
            : packageOf(source);
        break;
      }
      if (harnessUrl !== undefined && frame.url === harnessUrl) {
        group = 'benchmark harness (not timed)';
        break;
      }
      if (MODULE_LOADING.test(frame.functionName)) sawModuleLoading = true;
    }
    if (group === undefined) {
      const leaf = byId.get(id)!.callFrame.functionName;
      if (leaf === '(garbage collector)') group = 'garbage collection';
      else if (leaf === '(idle)') group = 'idle';
      else if (leaf === '(program)') group = 'V8 (program)';
      else if (sawModuleLoading) group = 'module compile and built-in loading';
      else group = 'Node.js internals (no bundle frame)';
    }
    groupOf.set(id, group);
    return group;
  };

  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const group = classify(id);
    totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  totals.delete('idle');
  return totals;
}
