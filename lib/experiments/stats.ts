/** Summaries across seeds: mean, sample standard deviation, min, max. */

/** Mean ± spread of a list of per-seed values. */
export interface Spread {
  mean: number;
  /** Sample standard deviation (0 for one value). */
  sd: number;
  min: number;
  max: number;
  n: number;
}

/** Summarises `values` (finite numbers; NaN entries are ignored, an empty list gives NaNs). */
export function spread(values: number[]): Spread {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...v), max: Math.max(...v), n };
}

/** "mean ± sd" with `digits` decimals (e.g. "−0.412 ± 0.031"). */
export function formatSpread(s: Spread, digits = 3): string {
  if (!Number.isFinite(s.mean)) return 'n/a';
  return `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;
}
