/** Summaries across seeds (mean, sample standard deviation, min, max) and the texts of claim checks. */
import { meanSd } from '../util/math';

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
  const { mean, sd } = meanSd(v);
  return { mean, sd, min: Math.min(...v), max: Math.max(...v), n };
}

/** "mean ± sd" with `digits` decimals (e.g. "−0.412 ± 0.031"). */
export function formatSpread(s: Spread, digits = 3): string {
  if (!Number.isFinite(s.mean)) return 'n/a';
  return `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;
}

/** Per-seed differences b[i] − a[i] (runs of the same seed compared). */
export function pairedGaps(a: number[], b: number[]): number[] {
  return a.map((v, i) => b[i] - v);
}

/** "+4.80 ± 1.10 (3/3 seeds > 0)". */
export function gapText(gaps: number[], digits: number): string {
  const s = spread(gaps);
  const pos = gaps.filter((g) => g > 0).length;
  return `${s.mean >= 0 ? '+' : ''}${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)} (${pos}/${gaps.length} seeds > 0)`;
}

/** Whether a sequence of means never decreases (for the text). */
export function monotoneText(means: number[]): string {
  return means.every((m, i) => i === 0 || m >= means[i - 1]) ? 'monotone' : 'not monotone';
}

/** "K=1: −52.10 ± 0.80; K=5: ..." for values[i] (per-seed values) at xs[i]. */
export function seqText(xs: number[], label: string, values: number[][], digits: number): string {
  return xs.map((x, i) => `${label}=${x}: ${formatSpread(spread(values[i]), digits)}`).join('; ');
}
