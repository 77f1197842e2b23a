/** Figures of the calibration experiment: ECE vs K_I per decision rule and topology, and reliability diagrams. */
import { classificationSettings } from '../../experiments/settings';
import type { ExperimentRows } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { reliabilityDiagram, ReliabilityBins } from '../reliability';
import { distinct, ExperimentFigure, grid, subtitle } from './common';

/** ECE figures from rows ece (K, K_I, rule, seed); reliability diagrams from summary.diagrams. */
export function calibrationFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const { Ks } = p.train;
  const { KIs } = p.eval;
  const M = p.eval.bins;
  const figures: ExperimentFigure[] = distinct(res.rows, 'rule', { metric: 'ece', config: undefined }).map((rule) => ({
    name: `ece-vs-KI-${rule}`,
    caption: `Expected calibration error (M = ${M} bins) against K_I, ${rule} rule, one line per training K.`,
    spec: meanBandChart({
      title: `ECE vs K_I (${rule} rule)`,
      subtitle: subtitle(p, `M = ${M} bins`),
      note: res.dataNote,
      xTitle: 'inference compartments K_I',
      yTitle: 'ECE',
      x: KIs,
      xType: 'log',
      series: Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric: 'ece', config: undefined, rule, K }, ['seed', p.seeds], ['KI', KIs]) })),
    }),
  }));
  const fc = classificationSettings(p)[1];
  for (const rule of distinct(res.rows, 'rule', { metric: 'ece', config: fc.key })) {
    figures.push({
      name: `ece-vs-KI-${rule}-${fc.key}`,
      caption: `${fc.label} topology (η = ${fc.gem.eta}): ECE (M = ${M} bins) against K_I, ${rule} rule, one line per training K.`,
      spec: meanBandChart({
        title: `ECE vs K_I (${rule} rule, ${fc.label})`,
        subtitle: subtitle(p, `M = ${M} bins`),
        note: `${res.dataNote} · ${fc.label}, η = ${fc.gem.eta}`,
        xTitle: 'inference compartments K_I',
        yTitle: 'ECE',
        x: KIs,
        xType: 'log',
        series: fc.Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric: 'ece', config: fc.key, rule, K }, ['seed', p.seeds], ['KI', KIs]) })),
      }),
    });
  }
  const diagrams = (res.summary.diagrams ?? []) as ({ K: number; KI: number; rule: string; n: number } & ReliabilityBins)[];
  for (const { K, KI, rule, ...rel } of diagrams) {
    figures.push({
      name: `reliability-K${K}-KI${KI}`,
      caption: `Reliability diagram, training K = ${K}, K_I = ${KI}, ${rule} rule, test examples of all seeds pooled (n = ${rel.n}).`,
      spec: reliabilityDiagram({ ...rel, title: `Reliability, K = ${K}, K_I = ${KI} (${rule})`, subtitle: subtitle(p, `n = ${rel.n} pooled`), note: res.dataNote }),
      height: 560,
    });
  }
  return figures;
}
