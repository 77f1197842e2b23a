/** Figures of the hidden-only experiment: accuracy per arm, learning curves, weight movement, effective sample size, the bounded sweep. */
import { spread } from '../../experiments/stats';
import type { ExperimentRows, MetricRow } from '../../experiments/types';
import { WEIGHT_BLOCKS } from '../../experiments/weight-movement';
import { barChart } from '../bar';
import { meanBandChart } from '../lines';
import { distinct, ExperimentFigure, grid } from './common';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** From the rows (config = arm key, or the sweep change's label for sweep_test_accuracy) and summary.arms (labels, in arm order). */
export function hiddenOnlyFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const h = p.hiddenOnly;
  const KI = Math.max(...p.eval.KIs);
  const arms = Object.entries((res.summary.arms ?? {}) as Record<string, { label: string }>).map(([key, a]) => ({ key, label: a.label }));
  if (arms.length === 0) throw new Error(`hiddenOnlyFigures: experiment '${res.name}' has no summary.arms; expected the result of the 'hidden-only' experiment`);
  const note = res.dataNote;
  const sub = `profile ${p.profile} · ${p.seeds.length} seeds (mean ± s.d.) · K_I = ${KI}, majority, outputs free`;
  const chance = 1 / p.data.digits.length;
  const Kbig = Math.max(...h.Ks);
  const bigKey = `K${Kbig}`;
  const values = (where: Partial<MetricRow>) => res.rows.filter((r) => Object.entries(where).every(([k, v]) => r[k as keyof MetricRow] === v)).map((r) => r.value);
  // per seed: mean over training windows
  const movement = (key: string, block: string) => p.seeds.map((seed) => mean(values({ metric: `weight_movement_per100:${block}`, config: key, seed })));
  const perSeed = (metric: string, key: string) => grid(res.rows, { metric, config: key }, ['seed', p.seeds], ['step', distinct(res.rows, 'step', { metric, config: bigKey })]);
  const accs = arms.map((a) => values({ metric: 'test_accuracy', config: a.key }));
  const blocks = WEIGHT_BLOCKS.filter((b) => values({ metric: `weight_movement_per100:${b}`, config: bigKey, seed: p.seeds[0] }).length > 0 && Number.isFinite(movement(bigKey, b)[0]));
  const sweep = distinct(res.rows, 'config', { metric: 'sweep_test_accuracy' }) as string[];
  const sweepAcc = sweep.map((label) => values({ metric: 'sweep_test_accuracy', config: label }));
  return [
    {
      name: 'hidden-only-accuracy',
      caption: `Outputs that hear hidden neurons only: free-running test accuracy (K_I = ${KI}, majority) of every arm; chance = ${chance.toFixed(2)}.`,
      spec: barChart({ title: 'Hidden-only outputs: test accuracy', subtitle: sub, note, yTitle: 'test accuracy', categories: arms.map((a) => a.label), series: [{ name: 'accuracy', values: accs.map((x) => spread(x).mean), errors: accs.map((x) => spread(x).sd) }], labelDigits: 3 }),
    },
    {
      name: 'hidden-only-curves',
      caption: `Learning curves: accuracy (K_I = ${KI}, majority) on the fixed curve subset of ${p.train.curveExamples} test recordings against training examples seen.`,
      spec: meanBandChart({ title: 'Hidden-only outputs: learning curves', subtitle: sub, note, xTitle: 'training examples seen', yTitle: 'test accuracy (curve subset)', x: distinct(res.rows, 'step', { metric: 'curve_accuracy', config: bigKey }), series: arms.map((a) => ({ name: a.label, values: perSeed('curve_accuracy', a.key) })) }),
    },
    {
      name: 'hidden-only-weight-movement',
      caption: `Why hidden learning is slow: mean |ΔW| per synapse per 100 training examples for each block of synapses, GEM-SNN K = ${Kbig}, mean over training windows and seeds.`,
      spec: barChart({ title: `Weight movement per layer (K = ${Kbig})`, subtitle: sub, note, yTitle: 'mean |ΔW| per synapse per 100 examples', categories: blocks as unknown as string[], series: [{ name: 'movement', values: blocks.map((b) => spread(movement(bigKey, b)).mean), errors: blocks.map((b) => spread(movement(bigKey, b)).sd) }], labelDigits: 4 }),
    },
    {
      name: 'hidden-only-ess',
      caption: 'Effective sample size 1/Σ_k w_k² of the importance weights (mean over the steps of each training window) for each K: near K means nearly uniform weights, so the centred hidden signal w_k − 1/K is small.',
      spec: meanBandChart({ title: 'Effective sample size during training', subtitle: sub, note, xTitle: 'training examples seen', yTitle: 'effective sample size (of K)', x: distinct(res.rows, 'step', { metric: 'mean_ess', config: bigKey }), series: arms.filter((a) => a.key.startsWith('K') && a.key !== 'K1-gem').map((a) => ({ name: a.label, values: perSeed('mean_ess', a.key) })) }),
    },
    {
      name: 'hidden-only-sweep',
      caption: `Bounded sweep around the setting: test accuracy (K_I = ${KI}, majority) with one change at a time, seeds ${h.sweep.seeds.join(', ')}, ${h.sweep.testPerDigit} test recordings per digit.`,
      spec: barChart({ title: 'Hidden-only outputs: bounded sweep', subtitle: `profile ${p.profile} · seeds ${h.sweep.seeds.join(', ')}`, note, yTitle: 'test accuracy', categories: sweep, series: [{ name: 'accuracy', values: sweepAcc.map((x) => spread(x).mean), errors: sweepAcc.map((x) => spread(x).sd) }], horizontal: true, labelDigits: 3 }),
      height: 160 + 40 * sweep.length,
    },
  ];
}
