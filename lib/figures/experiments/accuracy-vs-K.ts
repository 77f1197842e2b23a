/** Figures of the accuracy experiment: accuracy vs K_I per decision rule, for each topology. */
import { ACCURACY_RULES, classificationSettings } from '../../experiments/settings';
import type { ExperimentRows } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { ExperimentFigure, grid, subtitle } from './common';

/**
 * One figure per rule of ACCURACY_RULES and topology from rows test_accuracy (config, K, K_I, rule, seed);
 * the main topology's rows have no config.
 */
export function accuracyVsKFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const { KIs } = p.eval;
  const metric = 'test_accuracy';
  const chance = `chance = ${(1 / p.data.digits.length).toFixed(2)}`;
  const [main, fc] = classificationSettings(p);
  const figures: ExperimentFigure[] = ACCURACY_RULES.map((rule) => ({
    name: `accuracy-vs-KI-${rule}`,
    caption: `Test accuracy against inference compartments K_I with the ${rule} decision rule, one line per training K.`,
    spec: meanBandChart({
      title: `Test accuracy vs K_I (${rule} rule)`,
      subtitle: subtitle(p, chance),
      note: res.dataNote,
      xTitle: 'inference compartments K_I',
      yTitle: 'test accuracy',
      x: KIs,
      xType: 'log',
      series: main.Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric, config: undefined, rule, K }, ['seed', p.seeds], ['KI', KIs]) })),
    }),
  }));
  if (!res.rows.some((r) => r.config === fc.key)) return figures;
  for (const rule of ACCURACY_RULES) {
    figures.push({
      name: `accuracy-vs-KI-${rule}-${fc.key}`,
      caption: `${fc.label} topology (η = ${fc.gem.eta}): test accuracy against K_I with the ${rule} rule, one line per training K.`,
      spec: meanBandChart({
        title: `Test accuracy vs K_I (${rule} rule, ${fc.label})`,
        subtitle: subtitle(p, chance),
        note: `${res.dataNote} · ${fc.label}, η = ${fc.gem.eta}`,
        xTitle: 'inference compartments K_I',
        yTitle: 'test accuracy',
        x: KIs,
        xType: 'log',
        series: fc.Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric, config: fc.key, rule, K }, ['seed', p.seeds], ['KI', KIs]) })),
      }),
    });
  }
  return figures;
}
