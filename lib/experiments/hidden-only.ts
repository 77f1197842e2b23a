/**
 * Outputs that hear hidden neurons only (`hidden-to-output`, optionally with output → hidden synapses):
 * the classification setting where the hidden layer must carry the class, so training K decides. The
 * GEM-SNN K sweep (centred hidden signal by default) is compared with K = 1 and the `gem` signal (where
 * hidden neurons do get a signal) and with the single-sample rule (its own learning-signal baseline),
 * judged by free-running accuracy; the clamped test log-likelihood is reported with its caveat (with
 * output → hidden the hidden neurons hear the clamped label). Also a bounded sweep around the setting,
 * and the two measurements that explain slow hidden learning: weight movement per layer and the
 * effective sample size of the importance weights.
 */
import { exampleDiffClaim, MARGINS } from './claims';
import type { ClassificationRun } from './runs-classification';
import { dataNote } from './data-source';
import { runAll } from './pool';
import { ClassificationSpec, runCacheDir } from './runs';
import { diff, exampleDecisions, exampleLoglik } from './settings';
import { formatSpread, spread } from './stats';
import { resultsDirFor } from './store';
import type { GemParams, NetworkParams, SuiteParams } from './profiles';
import type { ClaimCheck, ExperimentOptions, ExperimentRows, MetricRow } from './types';
import { WEIGHT_BLOCKS } from './weight-movement';

/** One compared arm: a label and its runs (one per seed). */
interface Arm {
  key: string;
  label: string;
  specs: ClassificationSpec[];
  runs?: ClassificationRun[];
}

function topoText(t: { preset: string; outputToHidden?: boolean }): string {
  return `${t.preset}${t.preset === 'hidden-to-output' ? (t.outputToHidden === false ? ', no output→hidden' : ', output→hidden') : ''}`;
}

function gemSpec(p: SuiteParams, network: NetworkParams, gem: GemParams, K: number, seed: number, data = p.data): ClassificationSpec {
  return { kind: 'classification', data, network, rule: { rule: 'gem', opts: { ...gem, K } }, train: p.train, KI: Math.max(...p.eval.KIs), seed };
}

/** The arms of the main comparison: the K sweep, K = 1 with the `gem` signal, the single-sample rule. */
function mainArms(p: SuiteParams): Arm[] {
  const h = p.hiddenOnly;
  const network = { ...p.network, topology: h.topology };
  const KI = Math.max(...p.eval.KIs);
  const arms: Arm[] = h.Ks.map((K) => ({ key: `K${K}`, label: `GEM K = ${K} (${h.gem.hiddenSignal})`, specs: p.seeds.map((seed) => gemSpec(p, network, h.gem, K, seed)) }));
  if (h.gem.hiddenSignal !== 'gem') arms.push({ key: 'K1-gem', label: 'GEM K = 1 (gem signal)', specs: p.seeds.map((seed) => gemSpec(p, network, { ...h.gem, hiddenSignal: 'gem' }, 1, seed)) });
  arms.push({ key: 'single-sample', label: `single-sample (η = ${h.baseline.eta})`, specs: p.seeds.map((seed) => ({ kind: 'classification', data: p.data, network, rule: { rule: 'baseline', opts: h.baseline }, train: p.train, KI, seed }) as ClassificationSpec) });
  return arms;
}

/** The bounded sweep: one change at a time around the setting, at the largest K, on a smaller test set. */
export function hiddenOnlySweep(p: SuiteParams): Arm[] {
  const h = p.hiddenOnly;
  const sw = h.sweep;
  const K = Math.max(...h.Ks);
  const data = { ...p.data, testPerDigit: sw.testPerDigit };
  const network = { ...p.network, topology: h.topology };
  const KI = Math.max(...p.eval.KIs);
  const arms: Arm[] = [];
  const add = (label: string, specFor: (seed: number) => ClassificationSpec) => arms.push({ key: label, label, specs: sw.seeds.map(specFor) });
  const g = (gem: GemParams, net = network, k = K) => (seed: number) => gemSpec(p, net, gem, k, seed, data);
  add(`setting: ${topoText(h.topology)}, η=${h.gem.eta} κ=${h.gem.kappa} κv=${h.gem.kappaV} ${h.gem.hiddenSignal}, K=${K}`, g(h.gem));
  for (const eta of sw.eta) add(`η=${eta}`, g({ ...h.gem, eta }));
  for (const kappa of sw.kappa) add(`κ=${kappa}`, g({ ...h.gem, kappa }));
  for (const kappaV of sw.kappaV) add(`κv=${kappaV}`, g({ ...h.gem, kappaV }));
  for (const hiddenSignal of sw.hiddenSignal) add(`hidden signal ${hiddenSignal}`, g({ ...h.gem, hiddenSignal }));
  for (const o2h of sw.outputToHidden) add(`output→hidden ${o2h ? 'on' : 'off'}`, g(h.gem, { ...network, topology: { ...h.topology, outputToHidden: o2h } }));
  for (const eta of sw.baselineEta) add(`single-sample η=${eta}`, (seed) => ({ kind: 'classification', data, network, rule: { rule: 'baseline', opts: { ...h.baseline, eta } }, train: p.train, KI, seed }) as ClassificationSpec);
  const fc = p.fullyConnected;
  const fcK = Math.max(...fc.Ks);
  for (const eta of sw.fullyConnectedEta.length ? [fc.gem.eta, ...sw.fullyConnectedEta.filter((e) => e !== fc.gem.eta)] : []) add(`${fc.label}, η=${eta}, K=${fcK}`, g({ ...fc.gem, eta }, { ...p.network, topology: fc.topology }, fcK));
  return arms;
}

async function runArms(p: SuiteParams, arms: Arm[], opts: ExperimentOptions, label: string): Promise<void> {
  const specs = arms.flatMap((a) => a.specs);
  const cacheDir = runCacheDir(resultsDirFor(p, opts));
  const recs = (await runAll(specs, { cacheDir, jobs: p.jobs, force: opts.force ?? false, progress: opts.progress, label })) as ClassificationRun[];
  let i = 0;
  for (const a of arms) a.runs = a.specs.map(() => recs[i++]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Mean over a run's training windows of the weight movement of a block (per synapse per 100 examples). */
function movement(run: ClassificationRun, block: string): number {
  return mean(run.diagnostics.movementPer100.map((m) => (m as Record<string, number>)[block] ?? NaN));
}

/**
 * The hidden-only experiment. Rows per arm (config = arm key): test_accuracy, clamped_test_loglik_per_example,
 * curve_accuracy, mean_ess and weight_movement_per100:<block> per training window; sweep_test_accuracy
 * per sweep change (config = its label). summary.arms[key].label names each arm.
 */
export async function hiddenOnly(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'hidden-only';
  const h = p.hiddenOnly;
  const KI = Math.max(...p.eval.KIs);
  const arms = mainArms(p);
  const sweep = hiddenOnlySweep(p);
  await runArms(p, [...arms, ...sweep], opts, 'hidden-only runs (K sweep, baselines, bounded sweep)');
  const rows: MetricRow[] = [];
  const acc = (r: ClassificationRun) => exampleDecisions(r, KI, 'majority').accuracy;
  const ll = (r: ClassificationRun) => mean(Array.from(exampleLoglik(r, KI)));
  for (const a of arms) for (const r of a.runs!) {
    rows.push({ experiment: name, metric: 'test_accuracy', config: a.key, K: r.K, KI, rule: 'majority', seed: r.seed, value: acc(r) });
    rows.push({ experiment: name, metric: 'clamped_test_loglik_per_example', config: a.key, K: r.K, KI, seed: r.seed, value: ll(r) });
    for (const c of r.curve) rows.push({ experiment: name, metric: 'curve_accuracy', config: a.key, K: r.K, KI, seed: r.seed, step: c.examples, value: c.accuracy });
    r.diagnostics.examples.forEach((x, w) => {
      rows.push({ experiment: name, metric: 'mean_ess', config: a.key, K: r.K, seed: r.seed, step: x, value: r.diagnostics.meanEss[w] });
      for (const [block, v] of Object.entries(r.diagnostics.movementPer100[w])) rows.push({ experiment: name, metric: `weight_movement_per100:${block}`, config: a.key, K: r.K, seed: r.seed, step: x, value: v as number });
    });
  }
  for (const a of sweep) for (const r of a.runs!) rows.push({ experiment: name, metric: 'sweep_test_accuracy', config: a.label, K: r.K, KI, seed: r.seed, value: acc(r) });
  const note = `${dataNote(p.data)} · ${topoText(h.topology)}, η=${h.gem.eta}, κ=${h.gem.kappa}, κv=${h.gem.kappaV}`;
  const accs = arms.map((a) => a.runs!.map(acc));
  const Kbig = Math.max(...h.Ks);
  const big = arms.find((a) => a.key === `K${Kbig}`)!;
  const blocks = WEIGHT_BLOCKS.filter((b) => Number.isFinite(movement(big.runs![0], b)));
  const sweepAcc = sweep.map((a) => a.runs!.map(acc));
  const claims: ClaimCheck[] = [];
  const correct = (r: ClassificationRun) => exampleDecisions(r, KI, 'majority').correct;
  for (const other of arms.filter((a) => a !== big && (a.key === `K${Math.min(...h.Ks)}` || a.key === 'K1-gem' || a.key === 'single-sample'))) {
    claims.push(
      exampleDiffClaim(
        { id: `hidden-only-${big.key}-vs-${other.key}`, claim: `Outputs hearing hidden neurons only: training with K = ${Kbig} is more accurate than ${other.label}`, kind: 'increase', margin: MARGINS.accuracy, arms: `accuracy ${big.label} − ${other.label} (K_I=${KI}, majority, outputs free)`, setting: topoText(h.topology) },
        big.runs!.map((r, si) => diff(correct(other.runs![si]), correct(r))),
      ),
    );
  }
  const ratio = (r: ClassificationRun) => movement(r, 'hidden→output') / movement(r, 'input→hidden');
  const table = arms.map((a, i) => ({
    arm: a.label,
    accuracy: formatSpread(spread(accs[i]), 3),
    'clamped log-lik / example (caveat)': formatSpread(spread(a.runs!.map(ll)), 2),
    'mean ESS': a.runs![0].rule === 'gem' ? spread(a.runs!.map((r) => mean(r.diagnostics.meanEss))).mean.toFixed(2) : 'n/a',
    'ΔW in→hid /100 ex': spread(a.runs!.map((r) => movement(r, 'input→hidden'))).mean.toExponential(2),
    'ΔW hid→out /100 ex': spread(a.runs!.map((r) => movement(r, 'hidden→output'))).mean.toExponential(2),
    'hid→out / in→hid': spread(a.runs!.map(ratio)).mean.toFixed(1),
  }));
  const summary = {
    topology: h.topology,
    gem: h.gem,
    KI,
    arms: Object.fromEntries(arms.map((a, i) => [a.key, {
      label: a.label,
      accuracy: spread(accs[i]),
      clampedLoglik: spread(a.runs!.map(ll)),
      meanEss: spread(a.runs!.map((r) => mean(r.diagnostics.meanEss))),
      movementPer100: Object.fromEntries(blocks.map((b) => [b, spread(a.runs!.map((r) => movement(r, b)))])),
    }])),
    sweep: sweep.map((a, i) => ({ label: a.label, accuracy: spread(sweepAcc[i]), perSeed: sweepAcc[i] })),
  };
  return {
    name,
    title: 'Outputs that hear hidden neurons only',
    params: p,
    dataNote: note,
    rows,
    summary,
    claims,
    tables: {
      [`arms (accuracy: K_I = ${KI}, majority, outputs free; the clamped log-likelihood lets hidden neurons hear the label through output → hidden synapses, so it is not a test of the hidden layer)`]: table,
      [`bounded sweep (seeds ${h.sweep.seeds.join(', ')}, ${h.sweep.testPerDigit} test recordings per digit)`]: sweep.map((a, i) => ({ change: a.label, accuracy: formatSpread(spread(sweepAcc[i]), 3), 'per seed': sweepAcc[i].map((x) => x.toFixed(3)).join(', ') })),
    },
  };
}

/** Every run the hidden-only experiment reads (for the run planner). */
export function hiddenOnlySpecs(p: SuiteParams): ClassificationSpec[] {
  return [...mainArms(p), ...hiddenOnlySweep(p)].flatMap((a) => a.specs);
}
