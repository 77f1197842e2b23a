/**
 * Classification settings shown side by side: the main topology (`network.topology`, feedforward without
 * output feedback) and the lab's fully connected one, each with its own η and training K. Their GEM-SNN
 * runs are shared by the log-likelihood, accuracy, calibration and decision-time experiments through
 * the run cache (identical specs), and every run records the early counts of the decision-time
 * experiment. Also per-example views of a run used by the claims.
 */
import { decide, DecisionRule } from '../infer/decision';

/** Rules whose accuracy differs (mean-count-vote decides as mean-count). */
export const ACCURACY_RULES: readonly DecisionRule[] = ['majority', 'mean-count'];
import { logMeanExp } from '../util/math';
import type { ClassificationRun } from './runs-classification';
import { runCacheDir } from './runs';
import type { ClassificationSpec } from './runs';
import { runAll } from './pool';
import { resultsDirFor } from './store';
import type { ExperimentOptions } from './types';
import type { GemParams, NetworkParams, SuiteParams } from './profiles';

/** One topology with its learning rate and training K. */
export interface ClassificationSetting {
  /** 'feedforward' (main) or 'fully-connected'. */
  key: string;
  label: string;
  network: NetworkParams;
  gem: GemParams;
  Ks: number[];
}

/** The main setting and the fully connected one (in this order). */
export function classificationSettings(p: SuiteParams): ClassificationSetting[] {
  const t = p.network.topology;
  const mainLabel = `${t.preset}${t.outputFeedback === false ? ', no output feedback' : ''}`;
  return [
    { key: 'main', label: mainLabel, network: p.network, gem: p.gem, Ks: p.train.Ks },
    { key: 'fully-connected', label: p.fullyConnected.label, network: { ...p.network, topology: p.fullyConnected.topology }, gem: p.fullyConnected.gem, Ks: p.fullyConnected.Ks },
  ];
}

/** GEM-SNN run specs of a setting: every K in `Ks` × every seed (K-major). */
export function settingSpecs(p: SuiteParams, s: ClassificationSetting, Ks = s.Ks): ClassificationSpec[] {
  const KI = Math.max(...p.eval.KIs);
  return Ks.flatMap((K) =>
    p.seeds.map((seed) => ({ kind: 'classification', data: p.data, network: s.network, rule: { rule: 'gem', opts: { ...s.gem, K } }, train: p.train, KI, seed, countSteps: p.eval.decisionSteps }) as ClassificationSpec),
  );
}

/** Records of `specs` (from settingSpecs) grouped by training K, seeds in order. */
export function groupByK(specs: ClassificationSpec[], recs: ClassificationRun[]): Map<number, ClassificationRun[]> {
  const byK = new Map<number, ClassificationRun[]>();
  specs.forEach((s, i) => {
    const K = (s.rule as { opts: { K: number } }).opts.K;
    if (!byK.has(K)) byK.set(K, []);
    byK.get(K)!.push(recs[i]);
  });
  return byK;
}

/** The GEM-SNN runs of a setting by training K (cached runs are read; missing ones are trained). */
export async function settingRuns(p: SuiteParams, s: ClassificationSetting, opts: ExperimentOptions, Ks = s.Ks): Promise<Map<number, ClassificationRun[]>> {
  const specs = settingSpecs(p, s, Ks);
  const cacheDir = runCacheDir(resultsDirFor(p, opts));
  const recs = (await runAll(specs, { cacheDir, jobs: p.jobs, force: opts.force ?? false, progress: opts.progress, label: `GEM-SNN training runs (${s.label})` })) as ClassificationRun[];
  return groupByK(specs, recs);
}

/** Counts of a run for decisions at step `Tp` (T: the full run). */
export function countsAtStep(run: ClassificationRun, Tp: number): number[][] {
  if (Tp >= run.T) return run.counts;
  const p = run.countsAt?.steps.indexOf(Tp) ?? -1;
  if (p < 0) throw new Error(`run K=${run.K} seed=${run.seed} has no counts at step ${Tp} (recorded: ${run.countsAt?.steps.join(', ') ?? 'none'})`);
  return run.countsAt!.counts[p];
}

/** Per test example: confidence and correctness (0/1) of `rule` with the first KI compartments, at step Tp. */
export function exampleDecisions(run: ClassificationRun, KI: number, rule: DecisionRule, Tp = run.T): { confidence: Float64Array; correct: Float64Array; accuracy: number } {
  const counts = countsAtStep(run, Tp);
  const n = counts.length;
  const confidence = new Float64Array(n);
  const correct = new Float64Array(n);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const d = decide(counts[i], run.KI, run.classes, rule, KI);
    confidence[i] = d.confidence;
    correct[i] = d.label === run.labels[i] ? 1 : 0;
    hits += correct[i];
  }
  return { confidence, correct, accuracy: hits / Math.max(1, n) };
}

/** Per test example: the KI-sample log-likelihood estimate (nats per example). */
export function exampleLoglik(run: ClassificationRun, KI: number): Float64Array {
  return Float64Array.from(run.loglik, (row) => logMeanExp(row, KI));
}

/** Fraction of test examples whose first KI compartments do not all make the same count-based decision, at step Tp. */
export function disagreement(run: ClassificationRun, KI: number, Tp = run.T): number {
  const counts = countsAtStep(run, Tp);
  const C = run.classes;
  let dis = 0;
  for (const c of counts) {
    let first = -1;
    for (let k = 0; k < KI; k++) {
      let best = 0;
      for (let j = 1; j < C; j++) if (c[k * C + j] > c[k * C + best]) best = j;
      if (first < 0) first = best;
      else if (best !== first) {
        dis++;
        break;
      }
    }
  }
  return dis / Math.max(1, counts.length);
}

/** Element-wise mean of equally long arrays. */
export function meanOf(rows: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(rows.length ? rows[0].length : 0);
  for (const r of rows) for (let i = 0; i < out.length; i++) out[i] += r[i] / rows.length;
  return out;
}

/** Element-wise b − a. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => b[i] - a[i]);
}
