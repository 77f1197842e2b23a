/** Figures of the decision-time experiment: accuracy, ECE and disagreement against the decision time T', per topology. */
import { classificationSettings } from '../../experiments/settings';
import type { ExperimentRows, MetricRow } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { distinct, ExperimentFigure, grid, subtitle } from './common';

/** Three figures per setting from the rows (config, metric, rule, K, K_I, seed, step); training K = the setting's largest. */
export function decisionTimeFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const figures: ExperimentFigure[] = [];
  for (const s of classificationSettings(p)) {
    const steps = distinct(res.rows, 'step', { config: s.key, metric: 'accuracy' });
    if (steps.length === 0) continue;
    const Kbig = Math.max(...s.Ks);
    const bySeed = (where: Partial<MetricRow>) => grid(res.rows, { config: s.key, ...where }, ['seed', p.seeds], ['step', steps]);
    const note = `${res.dataNote} · ${s.label}, η = ${s.gem.eta}, training K = ${Kbig}`;
    const sub = subtitle(p);
    figures.push({
      name: `accuracy-vs-time-${s.key}`,
      caption: `${s.label}: test accuracy (majority rule) of decisions made from the first T' steps, one line per K_I (training K = ${Kbig}).`,
      spec: meanBandChart({ title: `Accuracy vs decision time (${s.label})`, subtitle: sub, note, xTitle: "decision made after T' steps", yTitle: 'test accuracy', x: steps, xType: 'log', series: KIs.map((KI) => ({ name: `K_I = ${KI}`, values: bySeed({ metric: 'accuracy', rule: 'majority', K: Kbig, KI }) })) }),
    });
    figures.push({
      name: `ece-vs-time-${s.key}`,
      caption: `${s.label}: ECE of decisions from the first T' steps for each decision rule, K_I = 1 and ${KImax} (training K = ${Kbig}).`,
      spec: meanBandChart({
        title: `ECE vs decision time (${s.label})`,
        subtitle: sub,
        note,
        xTitle: "decision made after T' steps",
        yTitle: 'ECE',
        x: steps,
        xType: 'log',
        series: distinct(res.rows, 'rule', { config: s.key, metric: 'ece' }).flatMap((rule) => [KIs[0], KImax].map((KI) => ({ name: `${rule}, K_I = ${KI}`, values: bySeed({ metric: 'ece', rule, K: Kbig, KI }) }))),
      }),
    });
    figures.push({
      name: `disagreement-vs-time-${s.key}`,
      caption: `${s.label}: fraction of test recordings where the ${KImax} compartments do not all make the same decision, per training K.`,
      spec: meanBandChart({ title: `Compartments that disagree (${s.label})`, subtitle: sub, note, xTitle: "decision made after T' steps", yTitle: `fraction of recordings (K_I = ${KImax})`, x: steps, xType: 'log', series: s.Ks.map((K) => ({ name: `K = ${K}`, values: bySeed({ metric: 'disagreement', K, KI: KImax }) })) }),
    });
  }
  return figures;
}
