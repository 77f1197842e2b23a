/** Figure of the hyperparameter sweep: final memorisation score per configuration and K. */
import { spread } from '../../experiments/stats';
import type { ExperimentRows } from '../../experiments/types';
import { barChart } from '../bar';
import { distinct, ExperimentFigure, grid } from './common';

/** From rows final_test_loglik_per_step (config, K, seed), configurations in the order of the rows. */
export function hyperparametersFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const Ks = p.sweep.Ks;
  const metric = 'final_test_loglik_per_step';
  const configs = distinct(res.rows, 'config', { metric });
  const byConfig = configs.map((config) => grid(res.rows, { metric, config }, ['K', Ks], ['seed', p.sweep.seeds]).map((v) => spread(v)));
  return [
    {
      name: 'sweep',
      caption: 'Final memorisation log-likelihood per step for each configuration of the sweep (mean ± s.d. over seeds), one bar per K.',
      spec: barChart({
        title: 'Hyperparameter sweep (memorisation)',
        subtitle: `profile ${p.profile} · ${p.sweep.seeds.length} seeds · ${p.sweep.iterations} iterations`,
        note: `synthetic pattern, ${p.memorization.outputs} outputs × ${p.memorization.T} steps, ${p.memorization.hidden} hidden, ${p.memorization.topology.preset}`,
        yTitle: 'final test log-likelihood per step (nats)',
        categories: configs,
        series: Ks.map((K, i) => ({ name: `K = ${K}`, values: byConfig.map((c) => c[i].mean), errors: byConfig.map((c) => c[i].sd) })),
        horizontal: true,
      }),
      height: 120 + 40 * configs.length,
    },
  ];
}
