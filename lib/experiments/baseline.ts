/** SPEC 5.1 item 6: the single-sample rule (SPEC 2.2) against GEM-SNN on the same data and network. */
import { dataNote } from './data-source';
import type { SuiteParams } from './profiles';
import type { ClassificationRun } from './runs-classification';
import { baselineGemKs, baselineRuns, gemRuns } from './runs-shared';
import { runDecisions, runLoglik } from './runs-metrics';
import { formatSpread, spread } from './stats';
import type { ExperimentOptions, ExperimentRows, MetricRow } from './types';

/**
 * Rows (column `rule` = the group label: the single-sample rule, then GEM-SNN at the smallest and
 * largest training K): test_loglik_per_example, test_accuracy (majority) and the learning curve.
 */
export async function baselineComparison(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'baseline';
  const Ks = baselineGemKs(p);
  const byK = await gemRuns(p, opts, Ks);
  const base = await baselineRuns(p, opts);
  const KImax = Math.max(...p.eval.KIs);
  const groups: { label: string; runs: ClassificationRun[] }[] = [
    { label: 'single-sample (SPEC 2.2)', runs: base },
    ...Ks.map((K) => ({ label: `GEM-SNN K = ${K}`, runs: byK.get(K)! })),
  ];
  const rows: MetricRow[] = [];
  for (const g of groups) for (const r of g.runs) {
    rows.push({ experiment: name, metric: 'test_loglik_per_example', rule: g.label, K: r.K, KI: KImax, seed: r.seed, value: runLoglik(r, KImax) });
    rows.push({ experiment: name, metric: 'test_accuracy', rule: g.label, K: r.K, KI: KImax, seed: r.seed, value: runDecisions(r, KImax, 'majority').accuracy });
    for (const c of r.curve) rows.push({ experiment: name, metric: 'curve_test_loglik_per_example', rule: g.label, K: r.K, KI: KImax, seed: r.seed, step: c.examples, value: c.loglik });
  }
  const ll = groups.map((g) => g.runs.map((r) => runLoglik(r, KImax)));
  const ac = groups.map((g) => g.runs.map((r) => runDecisions(r, KImax, 'majority').accuracy));
  return {
    name,
    title: 'Single-sample baseline vs GEM-SNN',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: Object.fromEntries(groups.map((g, i) => [g.label, { loglik: spread(ll[i]), accuracy: spread(ac[i]) }])),
    claims: [],
    tables: { [`final test metrics (K_I = ${KImax})`]: groups.map((g, i) => ({ rule: g.label, loglik_per_example: formatSpread(spread(ll[i]), 2), accuracy: formatSpread(spread(ac[i]), 3) })) },
  };
}
