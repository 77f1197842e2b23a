/** Figures of the baseline comparison: learning curves and final accuracy per rule. */
import { spread } from '../../experiments/stats';
import type { ExperimentRows } from '../../experiments/types';
import { barChart } from '../bar';
import { meanBandChart } from '../lines';
import { distinct, ExperimentFigure, grid, subtitle } from './common';

/** From rows curve_test_loglik_per_example and test_accuracy, grouped by column `rule` (the group label). */
export function baselineFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const KImax = Math.max(...p.eval.KIs);
  const seeds = p.seeds;
  const curve = 'curve_test_loglik_per_example';
  const labels = distinct(res.rows, 'rule', { metric: 'test_loglik_per_example' });
  const x = res.rows.filter((r) => r.metric === curve && r.rule === labels[0] && r.seed === seeds[0]).map((r) => r.step!);
  const acc = grid(res.rows, { metric: 'test_accuracy' }, ['rule', labels], ['seed', seeds]).map((a) => spread(a));
  return [
    {
      name: 'baseline-curves',
      caption: `Learning curves of the single-sample rule and GEM-SNN (test log-likelihood, K_I = ${KImax}).`,
      spec: meanBandChart({
        title: 'Single-sample rule vs GEM-SNN',
        subtitle: subtitle(p, `K_I = ${KImax} · baseline η = ${p.baseline.eta}, GEM η = ${p.gem.eta}`),
        note: res.dataNote,
        xTitle: 'training examples seen',
        yTitle: 'test log-likelihood per example (nats)',
        x,
        series: labels.map((rule) => ({ name: rule, values: grid(res.rows, { metric: curve, rule }, ['seed', seeds], ['step', x]) })),
      }),
    },
    {
      name: 'baseline-final',
      caption: `Final test accuracy (majority, K_I = ${KImax}) per rule, mean ± s.d. over seeds.`,
      spec: barChart({
        title: 'Final test accuracy',
        subtitle: subtitle(p, `K_I = ${KImax}, majority rule`),
        note: res.dataNote,
        yTitle: 'test accuracy',
        categories: labels,
        series: [{ name: 'accuracy', values: acc.map((a) => a.mean), errors: acc.map((a) => a.sd) }],
        labelDigits: 3,
      }),
    },
  ];
}
