/** SPEC 5.1 item 5: structured-output memorisation, test log-likelihood vs training iterations for each K. */
import type { SuiteParams } from './profiles';
import { memorizationRuns, MemorizationSet } from './runs-shared';
import { memFinal } from './runs-metrics';
import type { MemorizationRun } from './runs-memorization';
import { formatSpread, monotoneText, seqText, spread } from './stats';
import { memorizationClaim } from './classification-claims';
import type { ClaimCheck, ExperimentOptions, ExperimentRows, MetricRow } from './types';

/** The memorisation runs: the memorisation GEM options, every K of the profile and every seed. */
export function memorizationSets(p: SuiteParams): MemorizationSet[] {
  const m = p.memorization;
  return [{ gem: m.gem, Ks: m.Ks, seeds: p.seeds, iterations: m.iterations }];
}

/**
 * Rows: test_loglik_per_step per (K, seed, iteration), final_test_loglik_per_step and
 * final_train_loglik_per_step per (K, seed). summary.marginalLoglikPerStep is the marginal-rate floor.
 */
export async function memorization(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'memorization';
  const m = p.memorization;
  const [recs] = await memorizationRuns(p, memorizationSets(p), opts, 'memorisation runs');
  const byK = new Map<number, MemorizationRun[]>();
  recs.forEach((r) => {
    if (!byK.has(r.K)) byK.set(r.K, []);
    byK.get(r.K)!.push(r);
  });
  const rows: MetricRow[] = [];
  for (const r of recs) {
    for (const c of r.curve) rows.push({ experiment: name, metric: 'test_loglik_per_step', K: r.K, KI: m.KI, seed: r.seed, step: c.iteration, value: c.loglikPerStep });
    rows.push({ experiment: name, metric: 'final_test_loglik_per_step', K: r.K, KI: m.KI, seed: r.seed, value: memFinal(r) });
    rows.push({ experiment: name, metric: 'final_train_loglik_per_step', K: r.K, seed: r.seed, value: r.finalTrainLoglikPerStep });
  }
  const finals = m.Ks.map((K) => byK.get(K)!.map(memFinal));
  const marginal = spread(recs.map((r) => r.marginalLoglikPerStep)).mean;
  const topo = `${m.topology.preset}${m.topology.preset === 'hidden-to-output' ? (m.topology.outputToHidden ? ', output→hidden on' : ', output→hidden off') : ''}`;
  const note = `synthetic ${m.pattern} pattern, ${m.outputs} outputs × ${m.T} steps, ${m.hidden} hidden, ${topo}`;
  const means = finals.map((f) => spread(f).mean);
  const claims: ClaimCheck[] = m.Ks.length > 1 ? [memorizationClaim(m.Ks, finals, `nats/step by K: ${seqText(m.Ks, 'K', finals, 3)} (${monotoneText(means)}); marginal-rate floor ${marginal.toFixed(2)}`)] : [];
  return {
    name,
    title: 'Structured-output memorisation',
    params: p,
    dataNote: note,
    rows,
    summary: { marginalLoglikPerStep: marginal, finalByK: Object.fromEntries(m.Ks.map((K, i) => [K, spread(finals[i])])) },
    claims,
    tables: { 'final test log-likelihood per step (nats)': m.Ks.map((K, i) => ({ K, final: formatSpread(spread(finals[i]), 3), train: formatSpread(spread(byK.get(K)!.map((r) => r.finalTrainLoglikPerStep)), 3) })) },
  };
}
