/** Every experiment of the suite by name, in the order `reproduce` runs them. */
import { dataExperiment } from './data-experiment';
import { decisionTime } from './decision-time';
import { hiddenOnly, hiddenOnlySpecs } from './hidden-only';
import type { SuiteParams } from './suite-params';
import { baselineGemKs, baselineSpecs, EXPERIMENTS, gemSpecs, memSpecs, sweepSpecs } from './suite';
import { runKey, type RunSpec } from './runs';
import { classificationSettings, settingSpecs } from './settings';
import type { ExperimentOptions, ExperimentResult } from './types';

/** Names in run order: cheap, data-free experiments first, then the shared classification runs. */
export const EXPERIMENT_ORDER = ['data', 'hyperparameters', 'memorization', 'loglik-vs-K', 'accuracy-vs-K', 'calibration', 'decision-time', 'baseline', 'hidden-only'];

const ALL: Record<string, (p: SuiteParams, opts?: ExperimentOptions) => Promise<ExperimentResult>> = { data: dataExperiment, ...EXPERIMENTS, 'decision-time': decisionTime, 'hidden-only': hiddenOnly };

/** Runs the experiment `name` with parameters `p`. Throws for an unknown name. */
export function runExperiment(name: string, p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const fn = ALL[name];
  if (!fn) throw new Error(`unknown experiment '${name}'; expected one of ${EXPERIMENT_ORDER.join(', ')}`);
  return fn(p, opts);
}

/** The runs each experiment reads (the run planner computes them before, or on other machines). */
const RUNS: Record<string, (p: SuiteParams) => RunSpec[]> = {
  data: () => [],
  hyperparameters: sweepSpecs,
  memorization: (p) => memSpecs(p, p.memorization.gem, p.memorization.Ks, p.seeds),
  'loglik-vs-K': (p) => gemSpecs(p, p.train.Ks),
  'accuracy-vs-K': (p) => [...gemSpecs(p, p.train.Ks), ...settingSpecs(p, classificationSettings(p)[1])],
  calibration: (p) => [...gemSpecs(p, p.train.Ks), ...settingSpecs(p, classificationSettings(p)[1])],
  'decision-time': (p) => classificationSettings(p).flatMap((s) => settingSpecs(p, s)),
  baseline: (p) => [...gemSpecs(p, baselineGemKs(p)), ...baselineSpecs(p)],
  'hidden-only': hiddenOnlySpecs,
};

/** The runs experiment `name` reads with parameters `p` (a run may be shared with other experiments). */
export function experimentRuns(name: string, p: SuiteParams): RunSpec[] {
  const fn = RUNS[name];
  if (!fn) throw new Error(`unknown experiment '${name}'; expected one of ${EXPERIMENT_ORDER.join(', ')}`);
  return fn(p);
}

/**
 * The runs of experiments `names`, each once (first-seen order), with the first experiment that reads
 * each run (by run key), for timing breakdowns.
 */
export function planRuns(names: string[], p: SuiteParams): { runs: RunSpec[]; firstUser: Map<string, string> } {
  const firstUser = new Map<string, string>();
  const runs: RunSpec[] = [];
  for (const name of names) {
    for (const s of experimentRuns(name, p)) {
      const key = runKey(s);
      if (firstUser.has(key)) continue;
      firstUser.set(key, name);
      runs.push(s);
    }
  }
  return { runs, firstUser };
}
