/**
 * Sets of runs that several experiments share through the run cache: GEM-SNN classification runs per
 * training K (log-likelihood, accuracy, calibration and the baseline comparison are views of the same
 * runs), the single-sample baseline runs, and memorisation runs (memorisation and the sweep).
 */
import type { ClassificationRun } from './runs-classification';
import type { MemorizationRun } from './runs-memorization';
import type { GemParams, SuiteParams } from './profiles';
import { runAll } from './pool';
import { ClassificationSpec, MemorizationSpec, runCacheDir } from './runs';
import { resultsDirFor } from './store';
import { classificationSettings, settingRuns, settingSpecs } from './settings';
import type { ExperimentOptions } from './types';

function poolOpts(p: SuiteParams, opts: ExperimentOptions, label: string) {
  return { cacheDir: runCacheDir(resultsDirFor(p, opts)), jobs: p.jobs, force: opts.force ?? false, progress: opts.progress, label };
}

/** The GEM-SNN classification runs of training compartments `Ks`, every seed (the main setting's runs, shared with the decision-time experiment through the run cache). */
export function gemSpecs(p: SuiteParams, Ks: number[]): ClassificationSpec[] {
  return settingSpecs(p, classificationSettings(p)[0], Ks);
}

/** GEM-SNN classification runs for each training K in `Ks`, each list in the order of `p.seeds`. */
export function gemRuns(p: SuiteParams, opts: ExperimentOptions, Ks = p.train.Ks): Promise<Map<number, ClassificationRun[]>> {
  return settingRuns(p, classificationSettings(p)[0], opts, Ks);
}

/** Training K of the GEM-SNN runs the baseline is compared with: the smallest and the largest. */
export function baselineGemKs(p: SuiteParams): number[] {
  return [p.train.Ks[0], p.train.Ks[p.train.Ks.length - 1]].filter((v, i, a) => a.indexOf(v) === i);
}

/** The single-sample baseline runs (SPEC 2.2) on the classification task, every seed. */
export function baselineSpecs(p: SuiteParams): ClassificationSpec[] {
  const KI = Math.max(...p.eval.KIs);
  return p.seeds.map((seed) => ({ kind: 'classification', data: p.data, network: p.network, rule: { rule: 'baseline', opts: p.baseline }, train: p.train, KI, seed }) as ClassificationSpec);
}

/** Single-sample baseline runs (SPEC 2.2) on the classification task, in the order of `p.seeds`. */
export async function baselineRuns(p: SuiteParams, opts: ExperimentOptions): Promise<ClassificationRun[]> {
  return (await runAll(baselineSpecs(p), poolOpts(p, opts, 'single-sample baseline runs'))) as ClassificationRun[];
}

/** One memorisation configuration: GEM options, the K to compare, seeds and iterations. */
export interface MemorizationSet {
  gem: GemParams;
  Ks: number[];
  seeds: number[];
  iterations: number;
}

/** The memorisation runs of each set (K outer, seed inner), one list per set. */
export function memorizationSpecs(p: SuiteParams, sets: MemorizationSet[]): MemorizationSpec[][] {
  return sets.map((s) => s.Ks.flatMap((K) => s.seeds.map((seed) => ({ kind: 'memorization', params: { ...p.memorization, iterations: s.iterations }, gem: s.gem, K, seed }) as MemorizationSpec)));
}

/**
 * Memorisation runs of several configurations in one pool (K outer, seed inner within each set);
 * returns one record list per set, in that order.
 */
export async function memorizationRuns(p: SuiteParams, sets: MemorizationSet[], opts: ExperimentOptions, label: string): Promise<MemorizationRun[][]> {
  const specs = memorizationSpecs(p, sets);
  const recs = (await runAll(specs.flat(), poolOpts(p, opts, label))) as MemorizationRun[];
  let at = 0;
  return specs.map((s) => recs.slice(at, (at += s.length)));
}
