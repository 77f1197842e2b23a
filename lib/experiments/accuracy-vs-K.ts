/** SPEC 5.1 item 3: test accuracy vs K_I for each training K, under both decision rules. */
import { DecisionRule, DECISION_RULES } from '../infer/decision';
import { dataNote } from './data-source';
import type { SuiteParams } from './profiles';
import { gemRuns } from './runs-shared';
import { runDecisions } from './runs-metrics';
import { formatSpread, spread } from './stats';
import { ACCURACY_RULES, classificationSettings, settingRuns } from './settings';
import { accuracyClaims } from './classification-claims';
import type { ClaimCheck, ExperimentOptions, ExperimentRows, MetricRow } from './types';

/** Rows: test_accuracy per (K, K_I, rule, seed); the fully connected setting's rows carry config = its key. */
export async function accuracyVsK(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'accuracy-vs-K';
  const byK = await gemRuns(p, opts);
  const Ks = p.train.Ks;
  const KIs = p.eval.KIs;
  const rows: MetricRow[] = [];
  const acc = (K: number, KI: number, rule: DecisionRule) => byK.get(K)!.map((r) => runDecisions(r, KI, rule).accuracy);
  for (const K of Ks) for (const run of byK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    rows.push({ experiment: name, metric: 'test_accuracy', K, KI, rule, seed: run.seed, value: runDecisions(run, KI, rule).accuracy });
  }
  const [main, fc] = classificationSettings(p);
  const fcByK = await settingRuns(p, fc, opts);
  const claims: ClaimCheck[] = [...accuracyClaims(p, main, byK, ACCURACY_RULES), ...accuracyClaims(p, fc, fcByK, ACCURACY_RULES)];
  for (const K of fc.Ks) for (const run of fcByK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    rows.push({ experiment: name, metric: 'test_accuracy', config: fc.key, K, KI, rule, seed: run.seed, value: runDecisions(run, KI, rule).accuracy });
  }
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const rule of DECISION_RULES) {
    tables[`test accuracy, ${rule} rule, ${main.label} (mean ± s.d. over seeds)`] = Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(acc(K, KI, rule)), 3)])) }));
  }
  for (const rule of ACCURACY_RULES) {
    tables[`test accuracy, ${rule} rule, ${fc.label}, η = ${fc.gem.eta} (mean ± s.d. over seeds)`] = fc.Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(fcByK.get(K)!.map((r) => runDecisions(r, KI, rule).accuracy)), 3)])) }));
  }
  return {
    name,
    title: 'Accuracy vs K and K_I',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: Object.fromEntries(DECISION_RULES.map((rule) => [rule, Object.fromEntries(Ks.map((K) => [K, Object.fromEntries(KIs.map((KI) => [KI, spread(acc(K, KI, rule))]))]))])),
    claims,
    tables,
  };
}
