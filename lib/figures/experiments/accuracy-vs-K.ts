/** Figures of the accuracy experiment: accuracy vs K_I per decision rule. */
import type { ExperimentRows } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { distinct, ExperimentFigure, grid, subtitle } from './common';

/** One figure per decision rule from rows test_accuracy (K, K_I, rule, seed). */
export function accuracyVsKFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const { Ks } = p.train;
  const { KIs } = p.eval;
  const metric = 'test_accuracy';
  return distinct(res.rows, 'rule', { metric }).map((rule) => ({
    name: `accuracy-vs-KI-${rule}`,
    caption: `Test accuracy against inference compartments K_I with the ${rule} decision rule, one line per training K.`,
    spec: meanBandChart({
      title: `Test accuracy vs K_I (${rule} rule)`,
      subtitle: subtitle(p, `chance = ${(1 / p.data.digits.length).toFixed(2)}`),
      note: res.dataNote,
      xTitle: 'inference compartments K_I',
      yTitle: 'test accuracy',
      x: KIs,
      xType: 'log',
      series: Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric, rule, K }, ['seed', p.seeds], ['KI', KIs]) })),
    }),
  }));
}
