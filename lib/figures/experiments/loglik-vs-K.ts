/** Figures of the log-likelihood experiment: vs training K, vs K_I, learning curves. */
import type { ExperimentRows } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { ExperimentFigure, grid, subtitle } from './common';

/** Figures from rows test_loglik_per_example (K, K_I, seed) and curve_test_loglik_per_example (K, seed, step). */
export function loglikVsKFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const { Ks } = p.train;
  const { KIs } = p.eval;
  const KImax = Math.max(...KIs);
  const seeds = p.seeds;
  const metric = 'test_loglik_per_example';
  const curve = 'curve_test_loglik_per_example';
  const curveX = res.rows.filter((r) => r.metric === curve && r.K === Ks[0] && r.seed === seeds[0]).map((r) => r.step!);
  return [
    {
      name: 'loglik-vs-K',
      caption: `Test log-likelihood per example (nats, K_I = ${KImax}) against the number of training compartments K.`,
      spec: meanBandChart({
        title: 'Test log-likelihood vs training compartments K',
        subtitle: subtitle(p, `K_I = ${KImax}`),
        note: res.dataNote,
        xTitle: 'training compartments K',
        yTitle: 'test log-likelihood per example (nats)',
        x: Ks,
        xType: 'log',
        series: [{ name: `K_I = ${KImax}`, values: grid(res.rows, { metric, KI: KImax }, ['seed', seeds], ['K', Ks]), seeds }],
        showSeeds: true,
      }),
    },
    {
      name: 'loglik-vs-KI',
      caption: 'Test log-likelihood per example against the number of inference compartments K_I, one line per training K.',
      spec: meanBandChart({
        title: 'Test log-likelihood vs inference compartments K_I',
        subtitle: subtitle(p),
        note: res.dataNote,
        xTitle: 'inference compartments K_I',
        yTitle: 'test log-likelihood per example (nats)',
        x: KIs,
        xType: 'log',
        series: Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric, K }, ['seed', seeds], ['KI', KIs]) })),
      }),
    },
    {
      name: 'learning-curves',
      caption: `Learning curves: test log-likelihood (K_I = ${KImax}, first ${p.train.curveExamples} test examples) against training examples seen.`,
      spec: meanBandChart({
        title: 'Learning curves',
        subtitle: subtitle(p, `K_I = ${KImax}`),
        note: res.dataNote,
        xTitle: 'training examples seen',
        yTitle: 'test log-likelihood per example (nats)',
        x: curveX,
        series: Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric: curve, K }, ['seed', seeds], ['step', curveX]) })),
      }),
    },
  ];
}
