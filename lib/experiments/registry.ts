/**
 * The experiment suite (SPEC 5.1): the single list of experiments, in the order `reproduce` runs them
 * (cheap, data-free ones first, then the shared classification runs). Each entry names the experiment
 * (= its results/<name>/ folder), its notebook, the function computing its rows and the ids of the
 * SPEC 5.3 claims it checks. The command line, the notebooks and the tests read this list; the figures
 * of each experiment are built from its rows in lib/figures/experiments/.
 */
import { accuracyVsK } from './accuracy-vs-K';
import { baselineComparison } from './baseline';
import { calibration } from './calibration';
import { dataExperiment } from './data';
import { decisionTime } from './decision-time';
import { hiddenOnly, hiddenOnlySpecs } from './hidden-only';
import { hyperparameters, sweepSets } from './hyperparameters';
import { logLikelihoodVsK } from './loglik-vs-K';
import { memorization, memorizationSets } from './memorization';
import type { SuiteParams } from './profiles';
import { runKey, type RunSpec } from './runs';
import { baselineGemKs, baselineSpecs, gemSpecs, memorizationSpecs } from './runs-shared';
import { classificationSettings, settingSpecs } from './settings';
import type { ExperimentCompute, ExperimentOptions, ExperimentRows } from './types';

/** One experiment of the suite. */
export interface ExperimentEntry {
  /** Name, also the results folder results/<name>/. */
  name: string;
  /** The notebook under notebooks/ that presents it. */
  notebook: string;
  /** Computes its rows, summary, claims and tables. */
  compute: ExperimentCompute;
  /**
   * Ids of the claims it checks (ClaimCheck.id), empty when it only reports; an id ending in '*' stands
   * for every id with that prefix (ids that depend on the profile, e.g. the compared arms).
   */
  claims: readonly string[];
  /** The runs its rows are computed from, so they can be planned, shared and sharded before it runs. */
  runs: (p: SuiteParams) => RunSpec[];
}

const mainAndFullyConnected = (p: SuiteParams): RunSpec[] => [...gemSpecs(p, p.train.Ks), ...settingSpecs(p, classificationSettings(p)[1])];

/** Every experiment, in run order. */
export const EXPERIMENTS = [
  { name: 'data', notebook: '01-mnist-dvs.ipynb', compute: dataExperiment, claims: [], runs: () => [] },
  { name: 'hyperparameters', notebook: '07-hyperparameters.ipynb', compute: hyperparameters, claims: [], runs: (p) => memorizationSpecs(p, sweepSets(p)).flat() },
  { name: 'memorization', notebook: '05-memorization.ipynb', compute: memorization, claims: ['memorization-K'], runs: (p) => memorizationSpecs(p, memorizationSets(p)).flat() },
  { name: 'loglik-vs-K', notebook: '02-loglikelihood-vs-K.ipynb', compute: logLikelihoodVsK, claims: ['loglik-K', 'loglik-KI'], runs: (p) => gemSpecs(p, p.train.Ks) },
  { name: 'accuracy-vs-K', notebook: '03-accuracy-vs-K.ipynb', compute: accuracyVsK, claims: ['accuracy-KI-majority', 'accuracy-KI-mean-count', 'accuracy-K', 'accuracy-KI-majority-fully-connected', 'accuracy-KI-mean-count-fully-connected', 'accuracy-K-fully-connected'], runs: mainAndFullyConnected },
  { name: 'calibration', notebook: '04-calibration.ipynb', compute: calibration, claims: ['ece-KI-majority', 'ece-KI-mean-count', 'ece-KI-mean-count-vote', 'ece-KI-majority-fully-connected', 'ece-KI-mean-count-fully-connected', 'ece-KI-mean-count-vote-fully-connected', 'ece-KI1'], runs: mainAndFullyConnected },
  { name: 'decision-time', notebook: '08-decision-time.ipynb', compute: decisionTime, claims: ['decision-time-*'], runs: (p) => classificationSettings(p).flatMap((s) => settingSpecs(p, s)) },
  { name: 'baseline', notebook: '06-single-sample-baseline.ipynb', compute: baselineComparison, claims: [], runs: (p) => [...gemSpecs(p, baselineGemKs(p)), ...baselineSpecs(p)] },
  { name: 'hidden-only', notebook: '09-hidden-only.ipynb', compute: hiddenOnly, claims: ['hidden-only-*'], runs: hiddenOnlySpecs },
] as const satisfies readonly ExperimentEntry[];

/** Name of an experiment of the suite. */
export type ExperimentName = (typeof EXPERIMENTS)[number]['name'];

/** Names in run order. */
export const EXPERIMENT_ORDER: string[] = EXPERIMENTS.map((e) => e.name);

/** The entry of `name`; throws naming the allowed names for an unknown one. */
export function experimentEntry(name: string): ExperimentEntry {
  const e = EXPERIMENTS.find((x) => x.name === name);
  if (!e) throw new Error(`unknown experiment '${name}'; expected one of ${EXPERIMENT_ORDER.join(', ')}`);
  return e;
}

/**
 * Computes the experiment `name` with parameters `p` (rows, summary, claims, tables; no figures).
 * Throws for an unknown name, and when the experiment checks a claim its entry does not list.
 */
export async function computeExperiment(name: string, p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const entry = experimentEntry(name);
  const res = await entry.compute(p, opts);
  const listed = (id: string) => entry.claims.some((c) => (c.endsWith('*') ? id.startsWith(c.slice(0, -1)) : c === id));
  const unlisted = res.claims.filter((c) => !listed(c.id));
  if (unlisted.length) throw new Error(`experiment '${name}' checks claims not listed in the registry: ${unlisted.map((c) => c.id).join(', ')}`);
  return res;
}

/** The runs experiment `name` reads with parameters `p` (a run may be shared with other experiments). */
export function experimentRuns(name: string, p: SuiteParams): RunSpec[] {
  return experimentEntry(name).runs(p);
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
