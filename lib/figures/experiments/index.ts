/**
 * Figures of the experiment suite, built from each experiment's rows (never from networks or runs):
 * one builder per experiment of lib/experiments/registry.ts, `runExperiment` (rows + figures) and the
 * writers of results/<name>/ and results/README.md. May import experiments/ and the chart builders of
 * figures/.
 */
import { computeExperiment, ExperimentName } from '../../experiments/registry';
import type { SuiteParams } from '../../experiments/profiles';
import type { ExperimentOptions, ExperimentRows } from '../../experiments/types';
import { accuracyVsKFigures } from './accuracy-vs-K';
import { baselineFigures } from './baseline';
import { calibrationFigures } from './calibration';
import type { ExperimentResult, FigureBuilder, ExperimentFigure } from './common';
import { dataFigures } from './data';
import { decisionTimeFigures } from './decision-time';
import { hiddenOnlyFigures } from './hidden-only';
import { hyperparametersFigures } from './hyperparameters';
import { loglikVsKFigures } from './loglik-vs-K';
import { memorizationFigures } from './memorization';

export type { ExperimentFigure, ExperimentResult, FigureBuilder } from './common';
export { writeExperiment, writeResultsReadme } from './write';
export type { WriteOptions } from './write';

/** The figure builder of each experiment of the registry (the compiler checks that none is missing). */
export const EXPERIMENT_FIGURES: Record<ExperimentName, FigureBuilder> = {
  data: dataFigures,
  hyperparameters: hyperparametersFigures,
  memorization: memorizationFigures,
  'loglik-vs-K': loglikVsKFigures,
  'accuracy-vs-K': accuracyVsKFigures,
  calibration: calibrationFigures,
  'decision-time': decisionTimeFigures,
  baseline: baselineFigures,
  'hidden-only': hiddenOnlyFigures,
};

/**
 * The figures of an experiment built from its rows, e.g. after filtering `res.rows` in a notebook:
 * `experimentFigures({ ...res, rows: res.rows.filter((r) => r.K !== 1) })`. Throws for an unknown name.
 */
export function experimentFigures(res: ExperimentRows): ExperimentFigure[] {
  const build = (EXPERIMENT_FIGURES as Record<string, FigureBuilder | undefined>)[res.name];
  if (!build) throw new Error(`experimentFigures: unknown experiment '${res.name}'; expected one of ${Object.keys(EXPERIMENT_FIGURES).join(', ')}`);
  return build(res);
}

/** Runs the experiment `name` with parameters `p`: its rows (runs cached) and the figures built from them. */
export async function runExperiment(name: string, p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const res = await computeExperiment(name, p, opts);
  return { ...res, figures: experimentFigures(res) };
}
