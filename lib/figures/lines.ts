/**
 * Line charts: the mean across seeds with a shaded spread band, and plain grouped lines.
 */
import { bad, nonEmpty, numbers } from './check';
import { axis, baseLayout, colour, withAlpha } from './style';
import type { FigureSpec, FigureText, Trace } from './types';

/** Dash patterns and marker symbols by series index, so lines that coincide stay distinguishable. */
const DASHES = ['solid', 'dash', 'dot', 'dashdot', 'longdash', 'longdashdot'];
const SYMBOLS = ['circle', 'square-open', 'diamond', 'triangle-up-open', 'x', 'star-open'];

/**
 * y-axis settings that follow the data: a non-negative quantity (all values >= 0, e.g. ECE, accuracy)
 * gets no negative part, and a constant series gets a small range around its value instead of plotly's
 * default of value ± 1 (an all-zero ECE was drawn from -1 to 1). `ys`: every plotted y value.
 */
export function yRangeFollowingData(ys: number[]): Record<string, unknown> {
  const f = ys.filter(Number.isFinite);
  if (f.length === 0) return {};
  const lo = Math.min(...f), hi = Math.max(...f);
  const nonNegative = lo >= 0;
  if (hi > lo) return nonNegative ? { rangemode: 'nonnegative' } : {};
  const half = Math.max(Math.abs(lo) * 0.1, 0.05);
  return { range: [nonNegative ? Math.max(0, lo - half) : lo - half, hi + half], autorange: false };
}

/** How the band around the mean is computed across seeds. */
export type Spread = 'std' | 'sem' | 'minmax';

/** Per-x mean and band across seeds. Arrays have the length of x; NaN where no seed has a value. */
export interface MeanSpread {
  mean: number[];
  lower: number[];
  upper: number[];
  /** Number of finite seed values at each x. */
  n: number[];
}

/**
 * Mean and spread across seeds at every x.
 * values: [seed][x] (each row the length of x); non-finite entries (NaN, missing run) are skipped.
 * spread 'std' = sample standard deviation (n-1; 0 with one seed), 'sem' = std/sqrt(n), 'minmax' = range.
 */
export function meanAndSpread(values: number[][], spread: Spread = 'std'): MeanSpread {
  const len = values.length ? values[0].length : 0;
  const mean: number[] = [], lower: number[] = [], upper: number[] = [], n: number[] = [];
  for (let j = 0; j < len; j++) {
    let s = 0, c = 0, lo = Infinity, hi = -Infinity;
    for (const row of values) {
      const v = row[j];
      if (!Number.isFinite(v)) continue;
      s += v; c++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (c === 0) {
      mean.push(NaN); lower.push(NaN); upper.push(NaN); n.push(0);
      continue;
    }
    const m = s / c;
    let ss = 0;
    for (const row of values) {
      const v = row[j];
      if (Number.isFinite(v)) ss += (v - m) * (v - m);
    }
    const sd = c > 1 ? Math.sqrt(ss / (c - 1)) : 0;
    const half = spread === 'sem' ? sd / Math.sqrt(c) : sd;
    mean.push(m);
    n.push(c);
    if (spread === 'minmax') { lower.push(lo); upper.push(hi); } else { lower.push(m - half); upper.push(m + half); }
  }
  return { mean, lower, upper, n };
}

/** One series of `meanBandChart`: a name and its per-seed curves. */
export interface SeedSeries {
  name: string;
  /** values[seed][i] is the value of this seed at x[i]; NaN for a missing point. */
  values: number[][];
  /** Optional seed labels (hover text of the thin per-seed lines). */
  seeds?: (string | number)[];
}

export interface MeanBandInput extends FigureText {
  /** Shared x values (e.g. K, or training examples seen). */
  x: number[];
  series: SeedSeries[];
  /** Band definition (default 'std'). */
  spread?: Spread;
  /** Draw every seed as a thin line too (default false). */
  showSeeds?: boolean;
  /** Axis type of x (default 'linear'; 'log' suits K in {1, 2, 5, 10, 20}). */
  xType?: 'linear' | 'log';
  /** Show markers on the mean line (default true when x has at most 30 points). */
  markers?: boolean;
}

const SPREAD_LABEL: Record<Spread, string> = { std: '± 1 s.d.', sem: '± 1 s.e.m.', minmax: 'min–max' };

/**
 * Mean across seeds as a line per series, with a shaded band (std, sem or min-max) in the same colour.
 * Traces per series: band (polygon, no legend entry), optional per-seed lines, mean line. The hover of
 * the mean line shows mean, band and the number of seeds.
 */
export function meanBandChart(input: MeanBandInput): FigureSpec {
  const W = 'meanBandChart';
  const x = numbers(W, 'x', nonEmpty(W, 'x', input.x));
  const series = nonEmpty(W, 'series', input.series);
  const spread: Spread = input.spread ?? 'std';
  if (!(spread in SPREAD_LABEL)) bad(W, 'spread', spread, "'std', 'sem' or 'minmax'");
  const markers = input.markers ?? x.length <= 30;
  const data: Trace[] = [];
  const allY: number[] = [];
  series.forEach((s, si) => {
    if (typeof s.name !== 'string') bad(W, `series[${si}].name`, s.name, 'a string');
    nonEmpty(W, `series[${si}].values`, s.values);
    const rows = s.values.map((row, r) => {
      const vals = numbers(W, `series[${si}].values[${r}]`, row, true);
      if (vals.length !== x.length) bad(W, `series[${si}].values[${r}].length`, vals.length, `${x.length} (the length of x)`);
      return vals;
    });
    const st = meanAndSpread(rows, spread);
    const c = colour(si);
    const group = `s${si}`;
    const finite = x.map((_, i) => Number.isFinite(st.mean[i]) && Number.isFinite(st.lower[i]));
    const bx = x.filter((_, i) => finite[i]);
    const up = st.upper.filter((_, i) => finite[i]);
    const lo = st.lower.filter((_, i) => finite[i]);
    if (rows.length > 1 && bx.length > 0) {
      data.push({
        type: 'scatter', mode: 'lines', name: `${s.name} (${SPREAD_LABEL[spread]})`,
        x: [...bx, ...bx.slice().reverse()], y: [...up, ...lo.slice().reverse()],
        fill: 'toself', fillcolor: withAlpha(c, 0.2), line: { width: 0, color: c },
        hoverinfo: 'skip', showlegend: false, legendgroup: group,
      });
    }
    if (input.showSeeds) {
      rows.forEach((row, r) => {
        const label = s.seeds?.[r] ?? r;
        data.push({
          type: 'scatter', mode: 'lines', name: `${s.name} seed ${label}`, x, y: row.map(nullIfNaN),
          line: { width: 1, color: withAlpha(c, 0.45) }, showlegend: false, legendgroup: group,
          hovertemplate: `${esc(s.name)} seed ${esc(String(label))}<br>x=%{x}<br>y=%{y:.4g}<extra></extra>`,
        });
      });
    }
    allY.push(...st.mean, ...(rows.length > 1 ? [...st.lower, ...st.upper] : []));
    data.push({
      type: 'scatter', mode: markers ? 'lines+markers' : 'lines', name: s.name,
      x, y: st.mean.map(nullIfNaN),
      line: { width: 2.5, color: c, dash: DASHES[si % DASHES.length] },
      marker: { size: 8, color: c, symbol: SYMBOLS[si % SYMBOLS.length], line: { width: 1.5, color: c } }, legendgroup: group,
      customdata: x.map((_, i) => [nullIfNaN(st.lower[i]), nullIfNaN(st.upper[i]), st.n[i]]),
      hovertemplate: `${esc(s.name)}<br>x=%{x}<br>mean=%{y:.4g}<br>${SPREAD_LABEL[spread]}: [%{customdata[0]:.4g}, %{customdata[1]:.4g}]<br>seeds=%{customdata[2]}<extra></extra>`,
    });
  });
  const layout = baseLayout(input);
  if (input.xType === 'log') {
    layout.xaxis = axis(input.xTitle, { type: 'log', tickvals: uniqueSorted(x), ticktext: uniqueSorted(x).map(String) });
  }
  layout.yaxis = { ...(layout.yaxis as Record<string, unknown>), ...yRangeFollowingData(allY) };
  return { data, layout };
}

/** One line of `groupedLines`. */
export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
  /** Optional symmetric error bars (same length as y). */
  yErr?: number[];
  /** Dashed line (e.g. a baseline). */
  dash?: boolean;
}

export interface GroupedLinesInput extends FigureText {
  series: LineSeries[];
  xType?: 'linear' | 'log';
  markers?: boolean;
}

/** Several lines on shared axes, one colour each, optional error bars (NaN y = gap). */
export function groupedLines(input: GroupedLinesInput): FigureSpec {
  const W = 'groupedLines';
  const series = nonEmpty(W, 'series', input.series);
  const allX: number[] = [];
  const allY: number[] = [];
  const data: Trace[] = series.map((s, si) => {
    const x = numbers(W, `series[${si}].x`, s.x);
    const y = numbers(W, `series[${si}].y`, s.y, true);
    if (y.length !== x.length) bad(W, `series[${si}].y.length`, y.length, `${x.length} (the length of x)`);
    allX.push(...x);
    allY.push(...y);
    const t: Trace = {
      type: 'scatter', mode: input.markers ?? x.length <= 30 ? 'lines+markers' : 'lines', name: s.name, x, y: y.map(nullIfNaN),
      line: { width: 2.5, color: colour(si), dash: s.dash ? 'dash' : DASHES[si % DASHES.length] },
      marker: { size: 8, color: colour(si), symbol: SYMBOLS[si % SYMBOLS.length], line: { width: 1.5, color: colour(si) } },
    };
    if (s.yErr) {
      const e = numbers(W, `series[${si}].yErr`, s.yErr, true);
      if (e.length !== x.length) bad(W, `series[${si}].yErr.length`, e.length, `${x.length} (the length of x)`);
      t.error_y = { type: 'data', array: e.map(nullIfNaN), visible: true, thickness: 1.5, width: 4, color: colour(si) };
      allY.push(...y.map((v, i) => v - e[i]), ...y.map((v, i) => v + e[i]));
    }
    return t;
  });
  const layout = baseLayout(input);
  if (input.xType === 'log') {
    const ticks = uniqueSorted(allX);
    layout.xaxis = axis(input.xTitle, { type: 'log', tickvals: ticks.length <= 12 ? ticks : undefined, ticktext: ticks.length <= 12 ? ticks.map(String) : undefined });
  }
  layout.yaxis = { ...(layout.yaxis as Record<string, unknown>), ...yRangeFollowingData(allY) };
  return { data, layout };
}

function nullIfNaN(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function uniqueSorted(x: number[]): number[] {
  return [...new Set(x)].sort((a, b) => a - b);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
