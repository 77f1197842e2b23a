/** Every experiment of the suite by name, in the order `reproduce` runs them. */
import { dataExperiment } from './data-experiment';
import { decisionTime } from './decision-time';
import { hiddenOnly } from './hidden-only';
import type { SuiteParams } from './suite-params';
import { EXPERIMENTS } from './suite';
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
