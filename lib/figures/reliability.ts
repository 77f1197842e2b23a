/**
 * Reliability diagram in the style of Guo et al. (2017): per-bin accuracy bars against the diagonal of
 * perfect calibration, the gap between accuracy and mean confidence shaded, the number of examples per
 * bin in a small panel underneath, and the ECE in the title.
 */
import { bad, numbers } from './check';
import { axis, baseLayout, colour, FONT_FAMILY } from './style';
import type { FigureSpec, FigureText, Trace } from './types';
import type { Reliability } from '../infer/calibration';

/** Binned calibration statistics (SPEC 3), as `reliability()` of calibration.ts returns them (n optional). */
export type ReliabilityBins = Omit<Reliability, 'n'>;

export interface ReliabilityInput extends ReliabilityBins, FigureText {
  /** Show the bin-count panel (default true). */
  showCounts?: boolean;
}

/** Validates binned statistics; returns per-bin accuracy/confidence with empty bins as null. */
export function checkReliabilityBins(b: ReliabilityBins, where = 'reliabilityDiagram'): { acc: (number | null)[]; conf: (number | null)[] } {
  const M = b.bins;
  if (typeof M !== 'number' || !Number.isInteger(M) || M < 1) bad(where, 'bins', M, 'an integer >= 1');
  for (const f of ['binCounts', 'binAccuracy', 'binConfidence'] as const) {
    const arr = b[f];
    if (!Array.isArray(arr) && !ArrayBuffer.isView(arr)) bad(where, f, arr, `an array of length ${M}`);
    if (arr.length !== M) bad(where, `${f}.length`, arr.length, `${M} (bins)`);
  }
  const counts = numbers(where, 'binCounts', b.binCounts);
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) bad(where, `binCounts[${i}]`, c, 'a non-negative integer');
  });
  if (typeof b.ece !== 'number' || !(b.ece >= 0 && b.ece <= 1)) bad(where, 'ece', b.ece, 'a number in [0, 1]');
  const unit = (f: 'binAccuracy' | 'binConfidence', i: number): number | null => {
    const v = b[f][i];
    if (counts[i] === 0) return null; // empty bin: value ignored (may be null or NaN)
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(where, `${f}[${i}]`, v, `a number in [0, 1] (bin ${i} holds ${counts[i]} examples)`);
    return v;
  };
  return { acc: counts.map((_, i) => unit('binAccuracy', i)), conf: counts.map((_, i) => unit('binConfidence', i)) };
}

/**
 * Builds the reliability diagram. Traces, in order: 'Accuracy' bars (y = binAccuracy, null for empty
 * bins), 'Gap' bars (from min(acc, conf) to max(acc, conf), hatched), the diagonal, and when
 * showCounts the 'Examples' bars (y = binCounts) on a lower panel (xaxis2/yaxis2).
 */
export function reliabilityDiagram(input: ReliabilityInput): FigureSpec {
  const W = 'reliabilityDiagram';
  const { acc, conf } = checkReliabilityBins(input, W);
  const M = input.bins;
  const width = 1 / M;
  const centers = Array.from({ length: M }, (_, i) => (i + 0.5) * width);
  const counts = Array.from(input.binCounts);
  const total = counts.reduce((a, b) => a + b, 0);
  const showCounts = input.showCounts ?? true;
  const blue = colour(0);
  const data: Trace[] = [
    {
      type: 'bar', name: 'Accuracy', x: centers, y: acc, width, offset: -width / 2,
      marker: { color: blue, line: { color: '#1b3a5c', width: 1 } },
      customdata: centers.map((_, i) => [conf[i], counts[i]]),
      hovertemplate: 'bin %{x:.2f}<br>accuracy=%{y:.3f}<br>mean confidence=%{customdata[0]:.3f}<br>n=%{customdata[1]}<extra></extra>',
    },
    {
      type: 'bar', name: 'Gap', x: centers,
      y: acc.map((a, i) => (a === null || conf[i] === null ? null : Math.abs((conf[i] as number) - a))),
      base: acc.map((a, i) => (a === null || conf[i] === null ? null : Math.min(a, conf[i] as number))),
      width, offset: -width / 2,
      marker: { color: 'rgba(213,94,0,0.30)', line: { color: '#D55E00', width: 1.5 }, pattern: { shape: '/', fgcolor: 'rgba(213,94,0,0.6)', size: 6 } },
      hoverinfo: 'skip',
    },
    {
      type: 'scatter', mode: 'lines', name: 'Perfect calibration', x: [0, 1], y: [0, 1],
      line: { color: '#555', dash: 'dash', width: 1.5 }, hoverinfo: 'skip',
    },
  ];
  const titleText = `${input.title ? input.title + ' ' : 'Reliability diagram '}(ECE = ${(input.ece * 100).toFixed(2)} %)`;
  const layout = baseLayout({ ...input, title: titleText, xTitle: showCounts ? undefined : input.xTitle ?? 'Confidence' });
  layout.barmode = 'overlay';
  layout.bargap = 0;
  layout.xaxis = axis(showCounts ? undefined : input.xTitle ?? 'Confidence', { range: [0, 1], dtick: width >= 0.1 ? width : 0.1, showgrid: false, ...(showCounts ? { showticklabels: false, anchor: 'y' } : {}) });
  layout.yaxis = axis(input.yTitle ?? 'Accuracy', { range: [0, 1.0], dtick: 0.2, domain: showCounts ? [0.3, 1] : [0, 1] });
  if (showCounts) {
    data.push({
      type: 'bar', name: 'Examples', x: centers, y: counts, width: width * 0.9, xaxis: 'x2', yaxis: 'y2',
      marker: { color: '#888' }, showlegend: false,
      text: counts.map(String), textposition: 'outside', cliponaxis: false, textfont: { size: 10, family: FONT_FAMILY },
      hovertemplate: 'bin %{x:.2f}<br>n=%{y}<extra></extra>',
    });
    const maxCount = Math.max(1, ...counts);
    layout.xaxis2 = axis(input.xTitle ?? 'Confidence', { range: [0, 1], dtick: width >= 0.1 ? width : 0.1, anchor: 'y2', matches: 'x', showgrid: false });
    layout.yaxis2 = axis(`n (of ${total})`, { domain: [0, 0.2], range: [0, maxCount * 1.35], nticks: 3, anchor: 'x2', title: { text: `n (of ${total})`, font: { size: 11 } } });
  }
  return { data, layout };
}
