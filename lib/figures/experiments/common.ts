/** Shapes and helpers shared by the figure builders of the experiments: rows arranged as grids, subtitles. */
import type { SuiteParams } from '../../experiments/profiles';
import type { ExperimentRows, MetricRow } from '../../experiments/types';
import type { FigureSpec } from '../types';

/** A figure of an experiment, with a caption for results/README.md. */
export interface ExperimentFigure {
  name: string;
  spec: FigureSpec;
  caption: string;
  width?: number;
  height?: number;
}

/** An experiment's rows with the figures built from them (what `runExperiment` returns and results/<name>/ holds). */
export interface ExperimentResult extends ExperimentRows {
  figures: ExperimentFigure[];
}

/** Builds an experiment's figures from its rows (and summary, params, plotData); never recomputes a run. */
export type FigureBuilder = (res: ExperimentRows) => ExperimentFigure[];

/** "profile small · 3 seeds (mean ± s.d.) · extra". */
export function subtitle(p: SuiteParams, extra = ''): string {
  return `profile ${p.profile} · ${p.seeds.length} seed${p.seeds.length > 1 ? 's' : ''} (mean ± s.d.)${extra ? ' · ' + extra : ''}`;
}

type Key = keyof MetricRow;

function matches(r: MetricRow, where: Partial<MetricRow>): boolean {
  for (const k of Object.keys(where) as Key[]) if (r[k] !== where[k]) return false;
  return true;
}

/**
 * Values of the rows matching `where`, as [outer][inner] with outer over `outer.values` of column
 * `outer.key` and inner over `inner.values` of `inner.key`; NaN where no row matches.
 * E.g. grid(rows, { metric: 'ece', K: 5 }, ['seed', seeds], ['KI', KIs]) → ECE[seed][K_I].
 */
export function grid(rows: MetricRow[], where: Partial<MetricRow>, outer: [Key, unknown[]], inner: [Key, unknown[]]): number[][] {
  const at = new Map<string, number>();
  for (const r of rows) if (matches(r, where)) at.set(`${String(r[outer[0]])}|${String(r[inner[0]])}`, r.value);
  return outer[1].map((o) => inner[1].map((i) => at.get(`${String(o)}|${String(i)}`) ?? NaN));
}

/** Distinct values of column `key` among the rows matching `where`, in order of first appearance. */
export function distinct<K extends Key>(rows: MetricRow[], key: K, where: Partial<MetricRow> = {}): NonNullable<MetricRow[K]>[] {
  const out: NonNullable<MetricRow[K]>[] = [];
  for (const r of rows) {
    const v = r[key];
    if (v !== undefined && matches(r, where) && !out.includes(v as NonNullable<MetricRow[K]>)) out.push(v as NonNullable<MetricRow[K]>);
  }
  return out;
}

/** [i][j] → [j][i]; ragged rows padded with NaN. */
export function transpose(a: number[][]): number[][] {
  if (a.length === 0) return [];
  const n = Math.max(...a.map((r) => r.length));
  return Array.from({ length: n }, (_, i) => a.map((r) => (i < r.length ? r[i] : NaN)));
}
