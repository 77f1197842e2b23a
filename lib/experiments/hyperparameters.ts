/** SPEC 2.3 / 5.4: the documented sweep of η, κ, κv, the logit convention and the hidden signal on memorisation. */
import type { GemParams, SuiteParams } from './profiles';
import { memorizationRuns, MemorizationSet } from './runs-shared';
import { memFinal } from './runs-metrics';
import { formatSpread, spread } from './stats';
import type { ExperimentOptions, ExperimentRows, MetricRow } from './types';

/** The configurations of the sweep: one-at-a-time around the memorisation defaults, plus κv × logit scale and hidden signal × η. */
export function sweepConfigs(p: SuiteParams): { label: string; gem: GemParams }[] {
  const base = p.memorization.gem;
  const out: { label: string; gem: GemParams }[] = [];
  const add = (gem: GemParams) => {
    const label = `η=${gem.eta} κ=${gem.kappa} κv=${gem.kappaV} ${gem.logitScale} ${gem.hiddenSignal}`;
    if (!out.some((o) => o.label === label)) out.push({ label, gem });
  };
  add(base);
  for (const eta of p.sweep.eta) add({ ...base, eta });
  for (const kappa of p.sweep.kappa) add({ ...base, kappa });
  for (const kappaV of p.sweep.kappaV) for (const logitScale of p.sweep.logitScale) add({ ...base, kappaV, logitScale });
  for (const hiddenSignal of p.sweep.hiddenSignal) for (const eta of p.sweep.eta) add({ ...base, hiddenSignal, eta });
  return out;
}

/** The memorisation runs of the sweep, one set per configuration in sweep order. */
export function sweepSets(p: SuiteParams): MemorizationSet[] {
  return sweepConfigs(p).map((c) => ({ gem: c.gem, Ks: p.sweep.Ks, seeds: p.sweep.seeds, iterations: p.sweep.iterations }));
}

/** Rows: final_test_loglik_per_step per (config label, K, seed), configurations in sweep order. */
export async function hyperparameters(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'hyperparameters';
  const configs = sweepConfigs(p);
  const Ks = p.sweep.Ks;
  const recsByConfig = await memorizationRuns(p, sweepSets(p), opts, 'sweep runs');
  const rows: MetricRow[] = [];
  const perConfig = configs.map((c, ci) => {
    const mine = recsByConfig[ci];
    const byK = Ks.map((K) => mine.filter((r) => r.K === K).map(memFinal));
    mine.forEach((r) => rows.push({ experiment: name, metric: 'final_test_loglik_per_step', config: c.label, K: r.K, seed: r.seed, value: memFinal(r) }));
    return { ...c, byK };
  });
  const table = perConfig.map((c) => ({
    config: c.label,
    ...Object.fromEntries(Ks.map((K, i) => [`K=${K}`, formatSpread(spread(c.byK[i]), 3)])),
    [`gap K=${Ks[Ks.length - 1]}−K=${Ks[0]}`]: (spread(c.byK[Ks.length - 1]).mean - spread(c.byK[0]).mean).toFixed(3),
  }));
  return {
    name,
    title: 'Hyperparameter sweep',
    params: p,
    dataNote: 'synthetic memorisation pattern',
    rows,
    summary: { configs: perConfig.map((c) => ({ label: c.label, gem: c.gem, finalByK: Object.fromEntries(Ks.map((K, i) => [K, spread(c.byK[i])])) })) },
    claims: [],
    tables: { 'final test log-likelihood per step (nats)': table },
  };
}
