/**
 * The module graph of a built bundle, read from its files as they ship: which files an import of the entry
 * loads at once (the entry and the chunks it imports statically, transitively: what a cold start loads) and
 * which only through `import()`, on first use. esbuild parses the files; relative specifiers are followed,
 * packages and Node's built-ins are not. A one-file bundle is its own graph.
 */
import { dirname, resolve } from 'node:path';
import { buildSync, type ImportKind } from 'esbuild';

export interface BundleGraph {
  /** Absolute path of the entry file (index.mjs). */
  readonly entry: string;
  /** The entry and every file it imports statically, transitively: what a cold start loads. Absolute paths. */
  readonly atStart: readonly string[];
  /** Every file reachable from the entry, through `import()` as well: the whole build. Absolute paths. */
  readonly all: readonly string[];
}

const STATIC: ReadonlySet<ImportKind> = new Set(['entry-point', 'import-statement', 'require-call']);

/** Files reachable from `entry` through edges of the kinds `follow` accepts, in the order first reached. */
export function reachable<Kind extends string>(
  entry: string,
  edges: ReadonlyMap<string, ReadonlyArray<{ path: string; kind: Kind }>>,
  follow: (kind: Kind) => boolean,
): string[] {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of edges.get(file) ?? []) {
      if (!follow(edge.kind) || seen.has(edge.path)) continue;
      seen.add(edge.path);
      queue.push(edge.path);
    }
  }
  return [...seen];
}

/** Reads the graph of the bundle whose entry is `entry` (for the handler: assets/start-chat-contact/index.mjs). */
export function bundleGraph(entry: string): BundleGraph {
  const workingDir = dirname(resolve(entry));
  const { metafile } = buildSync({
    entryPoints: [resolve(entry)],
    absWorkingDir: workingDir,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  const edges = new Map(
    Object.entries(metafile.inputs).map(([input, { imports }]) => [
      resolve(workingDir, input),
      imports
        .filter((edge) => edge.external !== true)
        .map((edge) => ({ path: resolve(workingDir, edge.path), kind: edge.kind })),
    ]),
  );
  const start = resolve(entry);
  return {
    entry: start,
    atStart: reachable(start, edges, (kind) => STATIC.has(kind)),
    all: reachable(start, edges, () => true),
  };
}
