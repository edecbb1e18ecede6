/**
 * A hand-written SVG plot of the burst: for each retry strategy, the share of the requests that had a
 * started chat by each moment after the burst arrived (an empirical CDF of the time to a started chat),
 * with the ideal schedule dashed and API Gateway's 29 s marked. Requests without a chat never count, so a
 * line that stops below 100 % shows the chats that were lost. The right panel zooms into the last 20 %,
 * where the strategies differ.
 */

export interface CdfSeries {
  readonly label: string;
  /** Time to a started chat per request, ms; null (or Infinity) when none started. */
  readonly startMs: ReadonlyArray<number | null>;
  readonly dashed?: boolean;
}

export interface CdfPlotOptions {
  readonly title: string;
  readonly series: readonly CdfSeries[];
  /** Right end of the time axis, ms. */
  readonly maxMs: number;
  /** Vertical markers, e.g. the API Gateway limit. */
  readonly markers?: ReadonlyArray<{ readonly atMs: number; readonly label: string }>;
}

/** Colours that stay apart for colour-blind readers (Okabe-Ito); the ideal is black. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#999999'];

const WIDTH = 960;
const HEIGHT = 430;
const TOP = 44;
const BOTTOM = 48;
/** The legend's least width; it grows with the longest label (about 7 px a character at 12 px). */
const LEGEND_MIN_WIDTH = 220;
const LEGEND_CHAR_PX = 7;

interface Panel {
  readonly left: number;
  readonly width: number;
  readonly minShare: number;
  readonly title: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** The step path of an empirical CDF through (time, share) points. */
export function cdfSteps(startMs: ReadonlyArray<number | null>, maxMs: number): Array<[number, number]> {
  const total = startMs.length;
  const times = startMs
    .filter((value): value is number => value !== null && Number.isFinite(value))
    .map((value) => Math.min(value, maxMs))
    .sort((a, b) => a - b);
  const points: Array<[number, number]> = [[0, 0]];
  let count = 0;
  for (const time of times) {
    points.push([time, count / total]);
    count++;
    points.push([time, count / total]);
  }
  points.push([maxMs, count / total]);
  return points;
}

function strokeOf(series: readonly CdfSeries[]): string[] {
  let colour = 0;
  return series.map((s) => (s.dashed ? '#000000' : PALETTE[colour++ % PALETTE.length]!));
}

function renderPanel(options: CdfPlotOptions, panel: Panel, strokes: readonly string[]): string[] {
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (ms: number) => panel.left + (ms / options.maxMs) * panel.width;
  const y = (share: number) =>
    TOP + (1 - (Math.max(share, panel.minShare) - panel.minShare) / (1 - panel.minShare)) * plotHeight;
  const parts: string[] = [`<text x="${panel.left}" y="${TOP - 8}" font-weight="600">${escapeXml(panel.title)}</text>`];

  for (let second = 0; second * 1_000 <= options.maxMs; second += 5) {
    const px = round(x(second * 1_000));
    parts.push(
      `<line x1="${px}" y1="${TOP}" x2="${px}" y2="${TOP + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${px}" y="${TOP + plotHeight + 16}" text-anchor="middle">${second}</text>`,
    );
  }
  const step = (1 - panel.minShare) / 5;
  for (let i = 0; i <= 5; i++) {
    const share = panel.minShare + i * step;
    const py = round(y(share));
    parts.push(
      `<line x1="${panel.left}" y1="${py}" x2="${panel.left + panel.width}" y2="${py}" stroke="#e5e5e5"/>`,
      `<text x="${panel.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${Math.round(share * 100)} %</text>`,
    );
  }
  parts.push(
    `<rect x="${panel.left}" y="${TOP}" width="${panel.width}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${panel.left + panel.width / 2}" y="${HEIGHT - 12}" text-anchor="middle">seconds after the burst arrived</text>`,
  );
  for (const marker of options.markers ?? []) {
    const px = round(x(marker.atMs));
    parts.push(
      `<line x1="${px}" y1="${TOP}" x2="${px}" y2="${TOP + plotHeight}" stroke="#b00020" stroke-dasharray="2 3"/>`,
      `<text x="${round(x(marker.atMs) - 3)}" y="${TOP + plotHeight - 6}" text-anchor="end" fill="#b00020" font-size="11">${escapeXml(marker.label)}</text>`,
    );
  }
  options.series.forEach((series, index) => {
    const points = cdfSteps(series.startMs, options.maxMs)
      .map(([ms, share]) => `${round(x(ms))},${round(y(share))}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${strokes[index]}" stroke-width="${series.dashed ? 1.5 : 2}"${series.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points}"/>`,
    );
  });
  return parts;
}

export function renderCdfSvg(options: CdfPlotOptions): string {
  const strokes = strokeOf(options.series);
  const longestLabel = Math.max(0, ...options.series.map((series) => series.label.length));
  const legendWidth = Math.max(LEGEND_MIN_WIDTH, 18 + 28 + longestLabel * LEGEND_CHAR_PX);
  const plotWidth = (WIDTH - legendWidth - 56 - 56 - 24) / 2;
  const left: Panel = { left: 56, width: plotWidth, minShare: 0, title: 'all requests' };
  const right: Panel = { left: 56 + plotWidth + 56, width: plotWidth, minShare: 0.8, title: 'the last 20 % (zoom)' };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="56" y="18" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`,
    `<text transform="translate(14 ${TOP + (HEIGHT - TOP - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">chats started (share of requests)</text>`,
    ...renderPanel(options, left, strokes),
    ...renderPanel(options, right, strokes),
  ];
  const legendX = right.left + right.width + 18;
  options.series.forEach((series, index) => {
    const legendY = TOP + 8 + index * 20;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 22}" y2="${legendY}" stroke="${strokes[index]}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${legendX + 28}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
