/** Figures of the memorisation experiment: learning curves per K and the final score vs K. */
import type { ExperimentRows } from '../../experiments/types';
import { meanBandChart } from '../lines';
import { ExperimentFigure, grid, subtitle } from './common';

/** From rows test_loglik_per_step (K, seed, step) and final_test_loglik_per_step (K, seed); summary.marginalLoglikPerStep. */
export function memorizationFigures(res: ExperimentRows): ExperimentFigure[] {
  const p = res.params;
  const m = p.memorization;
  const seeds = p.seeds;
  const x = res.rows.filter((r) => r.metric === 'test_loglik_per_step' && r.K === m.Ks[0] && r.seed === seeds[0]).map((r) => r.step!);
  const marginal = res.summary.marginalLoglikPerStep as number;
  const curves = meanBandChart({
    title: 'Memorisation: log-likelihood vs iterations',
    subtitle: subtitle(p, `K_I = ${m.KI} · η=${m.gem.eta}, κ=${m.gem.kappa}, κv=${m.gem.kappaV}, ${m.gem.logitScale}`),
    note: res.dataNote,
    xTitle: 'training iterations (pattern presentations)',
    yTitle: 'test log-likelihood per step (nats)',
    x,
    series: m.Ks.map((K) => ({ name: `K = ${K}`, values: grid(res.rows, { metric: 'test_loglik_per_step', K }, ['seed', seeds], ['step', x]) })),
  });
  curves.data.push({ type: 'scatter', mode: 'lines', name: 'marginal rate', x: [x[0], x[x.length - 1]], y: [marginal, marginal], line: { dash: 'dash', color: '#888', width: 1.5 } });
  return [
    {
      name: 'memorization-curves',
      caption: `Memorisation: test log-likelihood per step (K_I = ${m.KI}) against training iterations, one line per K. Dashed: the marginal-rate floor (${marginal.toFixed(2)}).`,
      spec: curves,
    },
    {
      name: 'memorization-final-vs-K',
      caption: 'Final memorisation log-likelihood per step (mean of the last three evaluations) against K.',
      spec: meanBandChart({
        title: 'Memorisation: final log-likelihood vs K',
        subtitle: subtitle(p, `K_I = ${m.KI}`),
        note: res.dataNote,
        xTitle: 'training compartments K',
        yTitle: 'final test log-likelihood per step (nats)',
        x: m.Ks,
        xType: 'log',
        series: [{ name: 'final', values: grid(res.rows, { metric: 'final_test_loglik_per_step' }, ['seed', seeds], ['K', m.Ks]) }],
        showSeeds: true,
      }),
    },
  ];
}
