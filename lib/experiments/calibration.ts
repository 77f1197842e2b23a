/** SPEC 5.1 item 4: ECE vs K_I for each training K, and pooled reliability bins for small and large K. */
import { reliability } from '../infer/calibration';
import { DecisionRule, DECISION_RULES } from '../infer/decision';
import { dataNote } from './data-source';
import type { SuiteParams } from './profiles';
import type { ClassificationRun } from './runs-classification';
import { gemRuns } from './runs-shared';
import { runDecisions } from './runs-metrics';
import { formatSpread, spread } from './stats';
import { classificationSettings, settingRuns } from './settings';
import { calibrationClaims } from './classification-claims';
import type { ClaimCheck, ExperimentOptions, ExperimentRows, MetricRow } from './types';

/**
 * Rows: ece and accuracy per (K, K_I, rule, seed). summary.diagrams holds the reliability bins of the
 * majority rule for each K of `eval.calibrationKs` at the smallest and largest K_I (seeds pooled).
 */
export async function calibration(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'calibration';
  const byK = await gemRuns(p, opts);
  const Ks = p.train.Ks;
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const M = p.eval.bins;
  const rows: MetricRow[] = [];
  const ece = (run: ClassificationRun, KI: number, rule: DecisionRule) => {
    const d = runDecisions(run, KI, rule);
    return { rel: reliability(d.confidence, d.correct, M), acc: d.accuracy };
  };
  for (const K of Ks) for (const run of byK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    const { rel, acc } = ece(run, KI, rule);
    rows.push({ experiment: name, metric: 'ece', K, KI, rule, seed: run.seed, value: rel.ece });
    rows.push({ experiment: name, metric: 'accuracy', K, KI, rule, seed: run.seed, value: acc });
  }
  const diagrams: Record<string, unknown>[] = [];
  for (const K of p.eval.calibrationKs.filter((K) => byK.has(K))) {
    for (const KI of [KIs[0], KImax].filter((v, i, a) => a.indexOf(v) === i)) {
      // test examples of every seed pooled into one diagram
      const conf: number[] = [];
      const corr: number[] = [];
      for (const run of byK.get(K)!) {
        const d = runDecisions(run, KI, 'majority');
        conf.push(...d.confidence);
        corr.push(...d.correct);
      }
      diagrams.push({ K, KI, rule: 'majority', ...reliability(conf, corr, M) });
    }
  }
  const [main, fc] = classificationSettings(p);
  const fcByK = await settingRuns(p, fc, opts);
  const claims: ClaimCheck[] = [...calibrationClaims(p, main, byK, DECISION_RULES), ...calibrationClaims(p, fc, fcByK, DECISION_RULES)];
  for (const K of fc.Ks) for (const run of fcByK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    const { rel, acc } = ece(run, KI, rule);
    rows.push({ experiment: name, metric: 'ece', config: fc.key, K, KI, rule, seed: run.seed, value: rel.ece });
    rows.push({ experiment: name, metric: 'accuracy', config: fc.key, K, KI, rule, seed: run.seed, value: acc });
  }
  // mean confidence − accuracy: why the pooled count share (mean-count) drifts away from accuracy as K_I grows
  const gapRow = (s: { label: string; Ks: number[] }, runsOf: Map<number, ClassificationRun[]>, rule: DecisionRule) => ({
    setting: s.label,
    rule,
    ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, spread(s.Ks.flatMap((K) => runsOf.get(K)!.map((r) => { const d = runDecisions(r, KI, rule); return d.confidence.reduce((a, b) => a + b, 0) / Math.max(1, d.confidence.length) - d.accuracy; }))).mean.toFixed(3)])),
  });
  const confidenceGap = [...DECISION_RULES.map((rule) => gapRow(main, byK, rule)), ...DECISION_RULES.map((rule) => gapRow(fc, fcByK, rule))];
  // with K_I = 1 the vote confidence is 1, so ECE = 1 − accuracy: a consistency check of the pipeline
  const gaps = Ks.flatMap((K) => byK.get(K)!.map((r) => Math.abs(ece(r, 1, 'majority').rel.ece - (1 - ece(r, 1, 'majority').acc))));
  if (KIs.includes(1)) {
    claims.push({
      id: 'ece-KI1',
      claim: 'With K_I = 1 the vote confidence is 1 and ECE = 1 − accuracy',
      ours: `max |ECE − (1 − accuracy)| over all runs at K_I = 1: ${Math.max(...gaps).toExponential(1)}`,
      holds: Math.max(...gaps) < 1e-12,
    });
  }
  return {
    name,
    title: 'Calibration',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: { bins: M, diagrams },
    claims,
    tables: {
      ...Object.fromEntries(
        DECISION_RULES.flatMap((rule) => [
          [`ECE, ${rule} rule, ${main.label} (mean ± s.d. over seeds)`, Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(byK.get(K)!.map((r) => ece(r, KI, rule).rel.ece)), 3)])) }))],
          [`ECE, ${rule} rule, ${fc.label}, η = ${fc.gem.eta} (mean ± s.d. over seeds)`, fc.Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(fcByK.get(K)!.map((r) => ece(r, KI, rule).rel.ece)), 3)])) }))],
        ]),
      ),
      'mean confidence − accuracy (negative: under-confident), mean over training K and seeds': confidenceGap,
    },
  };
}
