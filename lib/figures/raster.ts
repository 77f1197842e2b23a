/** Spike raster: one tick per spike at (time, neuron). */
import { bad, numbers } from './check';
import { axis, baseLayout, colour } from './style';
import type { FigureSpec, FigureText, Trace } from './types';

export interface RasterInput extends FigureText {
  /** Spike times (time steps or seconds), one per spike. */
  times: ArrayLike<number>;
  /** Neuron index of each spike (same length as times). */
  neurons: ArrayLike<number>;
  /** Optional group label per spike (e.g. polarity 'ON'/'OFF' or 'hidden'/'output'): one colour per group. */
  groups?: ArrayLike<string | number>;
  /** Number of neurons (fixes the y range to [-0.5, N-0.5]); default max index + 1. */
  numNeurons?: number;
  /** x range [start, end]; default from the data. */
  timeRange?: [number, number];
  /** Marker size in px (default 6; smaller for dense rasters). */
  markerSize?: number;
}

/**
 * Builds a raster (scatter of vertical ticks; SVG scatter rather than WebGL so static export works
 * without a GPU). One trace per group in order of first appearance.
 */
export function spikeRaster(input: RasterInput): FigureSpec {
  const W = 'spikeRaster';
  const t = numbers(W, 'times', input.times);
  const n = numbers(W, 'neurons', input.neurons);
  if (n.length !== t.length) bad(W, 'neurons.length', n.length, `${t.length} (the length of times)`);
  n.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) bad(W, `neurons[${i}]`, v, 'a non-negative integer');
  });
  let groups: (string | number)[] | undefined;
  if (input.groups !== undefined) {
    groups = Array.from(input.groups);
    if (groups.length !== t.length) bad(W, 'groups.length', groups.length, `${t.length} (the length of times)`);
  }
  const maxN = n.reduce((a, b) => Math.max(a, b), -1) + 1;
  const N = input.numNeurons ?? Math.max(maxN, 1);
  if (!Number.isInteger(N) || N < maxN) bad(W, 'numNeurons', input.numNeurons, `an integer >= ${maxN} (largest neuron index + 1)`);
  const size = input.markerSize ?? (t.length > 20000 ? 3 : 6);
  const keys: (string | number)[] = groups ? [...new Set(groups)] : ['spikes'];
  const data: Trace[] = keys.map((k, gi) => {
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < t.length; i++) {
      if (!groups || groups[i] === k) { xs.push(t[i]); ys.push(n[i]); }
    }
    return {
      type: 'scatter', mode: 'markers', name: String(k), x: xs, y: ys, showlegend: Boolean(groups),
      marker: { symbol: 'line-ns-open', size, line: { width: 1.5, color: colour(gi) }, color: colour(gi) },
      hovertemplate: 't=%{x}<br>neuron=%{y}<extra>' + String(k) + '</extra>',
    };
  });
  const layout = baseLayout({ ...input, xTitle: input.xTitle ?? 'time step', yTitle: input.yTitle ?? 'neuron' });
  layout.xaxis = axis(input.xTitle ?? 'time step', input.timeRange ? { range: input.timeRange } : {});
  layout.yaxis = axis(input.yTitle ?? 'neuron', { range: [-0.5, N - 0.5], showgrid: false });
  return { data, layout };
}
