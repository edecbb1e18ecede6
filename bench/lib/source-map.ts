/**
 * Just enough of the source map format (v3) to say which original file a position of a bundle came from:
 * a Base64 VLQ decoder of `mappings` and a lookup by generated line and column. Used to attribute CPU
 * profile samples of the bundle to the packages they came from, with no dependency.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/** Decodes one VLQ-encoded segment (e.g. "AAgBC") into its signed integers. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (let i = 0; i < segment.length; i++) {
    const digit = DIGIT[segment.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error(`invalid base64 VLQ character "${segment[i]}"`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error('truncated base64 VLQ segment');
  return values;
}

export interface RawSourceMap {
  readonly version?: number;
  readonly sources: readonly string[];
  readonly names?: readonly string[];
  readonly mappings: string;
}

/** Encodes signed integers as one Base64 VLQ segment. */
export function encodeVlq(values: readonly number[]): string {
  let out = '';
  for (const value of values) {
    let rest = value < 0 ? -value * 2 + 1 : value * 2;
    do {
      let digit = rest % 32;
      rest = Math.floor(rest / 32);
      if (rest > 0) digit += 32;
      out += BASE64[digit];
    } while (rest > 0);
  }
  return out;
}

/** One segment of `mappings` with its relative fields resolved: the generated column, and where it maps to. */
interface Segment {
  readonly column: number;
  /** Absent for a segment that maps to no source. */
  readonly origin?: {
    readonly source: number;
    readonly line: number;
    readonly column: number;
    readonly name: number | undefined;
  };
}

/** The segments of `mappings`, one array per generated line, with absolute values. */
function* decodeMappings(mappings: string): Generator<Segment[]> {
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  let name = 0;
  for (const line of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const text of line === '' ? [] : line.split(',')) {
      const fields = decodeVlq(text);
      column += fields[0] ?? 0;
      if (fields.length < 4) {
        segments.push({ column });
        continue;
      }
      source += fields[1]!;
      sourceLine += fields[2]!;
      sourceColumn += fields[3]!;
      if (fields.length >= 5) name += fields[4]!;
      segments.push({
        column,
        origin: { source, line: sourceLine, column: sourceColumn, name: fields.length >= 5 ? name : undefined },
      });
    }
    yield segments;
  }
}

/**
 * A copy of `map` that maps only the sources `keep` accepts (e.g. the project's own code): other segments
 * are dropped, and so are the sources and names nothing refers to any more. Positions in dropped code then
 * map to nothing, and a stack trace shows them as they are in the bundle.
 */
export function trimSourceMap(map: RawSourceMap, keep: (source: string) => boolean): RawSourceMap {
  const names = map.names ?? [];
  const sourceIndex = new Map<number, number>();
  const nameIndex = new Map<number, number>();
  const sources: string[] = [];
  const keptNames: string[] = [];
  const lines: string[] = [];
  // The previous emitted values: VLQ fields are relative to them (the column only within a line).
  let outSource = 0;
  let outLine = 0;
  let outColumn = 0;
  let outName = 0;
  for (const segments of decodeMappings(map.mappings)) {
    const encodedSegments: string[] = [];
    let outGeneratedColumn = 0;
    for (const { column, origin } of segments) {
      const sourceName = origin === undefined ? undefined : map.sources[origin.source];
      if (origin === undefined || sourceName === undefined || !keep(sourceName)) continue;
      let newSource = sourceIndex.get(origin.source);
      if (newSource === undefined) {
        newSource = sources.push(sourceName) - 1;
        sourceIndex.set(origin.source, newSource);
      }
      const encoded = [
        column - outGeneratedColumn,
        newSource - outSource,
        origin.line - outLine,
        origin.column - outColumn,
      ];
      outGeneratedColumn = column;
      outSource = newSource;
      outLine = origin.line;
      outColumn = origin.column;
      const nameText = origin.name === undefined ? undefined : names[origin.name];
      if (origin.name !== undefined && nameText !== undefined) {
        let newName = nameIndex.get(origin.name);
        if (newName === undefined) {
          newName = keptNames.push(nameText) - 1;
          nameIndex.set(origin.name, newName);
        }
        encoded.push(newName - outName);
        outName = newName;
      }
      encodedSegments.push(encodeVlq(encoded));
    }
    lines.push(encodedSegments.join(','));
  }
  return { version: 3, sources, names: keptNames, mappings: lines.join(';') };
}

/** For one generated line: ascending generated columns and the source index of each segment (-1: none). */
interface LineIndex {
  readonly columns: number[];
  readonly sources: number[];
}

export class SourceLookup {
  readonly sources: readonly string[];
  readonly #lines: LineIndex[];

  constructor(map: RawSourceMap) {
    this.sources = map.sources;
    this.#lines = [];
    for (const segments of decodeMappings(map.mappings)) {
      this.#lines.push({
        columns: segments.map((segment) => segment.column),
        sources: segments.map((segment) => segment.origin?.source ?? -1),
      });
    }
  }

  /** The original source of a 0-based generated position, or undefined when it maps to none. */
  sourceAt(line: number, column: number): string | undefined {
    const index = this.#lines[line];
    if (!index || index.columns.length === 0) return undefined;
    let low = 0;
    let high = index.columns.length - 1;
    if (column < index.columns[0]!) return undefined;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (index.columns[mid]! <= column) low = mid;
      else high = mid - 1;
    }
    const source = index.sources[low]!;
    return source < 0 ? undefined : this.sources[source];
  }
}
