/** SPEC 5.1 item 2: test log-likelihood vs training K and vs K_I, and learning curves per K. */
import { dataNote } from './data-source';
import type { SuiteParams } from './profiles';
import { gemRuns } from './runs-shared';
import { runLoglik } from './runs-metrics';
import { formatSpread, spread } from './stats';
import { loglikClaims } from './classification-claims';
import type { ExperimentOptions, ExperimentRows, MetricRow } from './types';

/** Rows: test_loglik_per_example / _per_step per (K, K_I, seed); curve_test_loglik_per_example per step. */
export async function logLikelihoodVsK(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'loglik-vs-K';
  const byK = await gemRuns(p, opts);
  const Ks = p.train.Ks;
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const rows: MetricRow[] = [];
  const T = byK.get(Ks[0])![0].T;
  for (const K of Ks) {
    for (const run of byK.get(K)!) {
      for (const KI of KIs) {
        const ll = runLoglik(run, KI);
        rows.push({ experiment: name, metric: 'test_loglik_per_example', K, KI, seed: run.seed, value: ll });
        rows.push({ experiment: name, metric: 'test_loglik_per_step', K, KI, seed: run.seed, value: ll / T });
      }
      for (const c of run.curve) {
        rows.push({ experiment: name, metric: 'curve_test_loglik_per_example', K, KI: KImax, seed: run.seed, step: c.examples, value: c.loglik });
      }
    }
  }
  const val = (K: number, KI: number) => byK.get(K)!.map((r) => runLoglik(r, KI));
  const vsK = Ks.map((K) => val(K, KImax));
  const claims = loglikClaims(p, byK, Ks, T);
  const table = Ks.map((K, i) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(val(K, KI)), 2)])), per_step_KImax: formatSpread(spread(vsK[i].map((v) => v / T)), 4) }));
  return {
    name,
    title: 'Log-likelihood vs K',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: { T, KImax, loglikPerExampleByK: Object.fromEntries(Ks.map((K, i) => [K, spread(vsK[i])])) },
    claims,
    tables: { 'test log-likelihood per example (nats), mean ± s.d. over seeds': table },
  };
}
