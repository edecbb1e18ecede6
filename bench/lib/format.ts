/** Number formatting shared by the printed summary and the Markdown report. */

/** Bytes as kB (1 kB = 1,000 bytes), one decimal. */
export function kB(bytes: number): string {
  return `${(bytes / 1_000).toFixed(1)} kB`;
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : 'never';
  if (value >= 1_000) return `${(value / 1_000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function times(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : '∞';
  return `${value.toFixed(digits)}×`;
}

export function percent(share: number, digits = 0): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(digits)} %` : 'n/a';
}

export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A Markdown table from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A plain-text table with padded columns, for the console. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** A share as the simplest fraction within 0.001 (0.75 as "3/4"), or as a decimal when none has a denominator ≤ 12. */
export function fraction(share: number): string {
  for (let denominator = 1; denominator <= 12; denominator++) {
    const numerator = Math.round(share * denominator);
    if (Math.abs(numerator / denominator - share) < 0.001) return `${numerator}/${denominator}`;
  }
  return fixed(share, 3);
}
