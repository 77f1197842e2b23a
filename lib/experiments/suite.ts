/**
 * The experiments of SPEC 5.1, each a function of the suite parameters returning metrics (tidy rows),
 * a summary, figure specifications and the SPEC 5.3 claims it can check. Notebooks and the command
 * line call the same functions, so a figure never has two sources. Training runs are shared through
 * the run cache: log-likelihood, accuracy and calibration are three views of the same GEM-SNN runs.
 */
import { reliability } from '../infer/calibration';
import { decide, DecisionRule, DECISION_RULES } from '../infer/decision';
import { meanBandChart, groupedLines } from '../figures/lines';
import { reliabilityDiagram } from '../figures/reliability';
import { barChart } from '../figures/bar';
import { logMeanExp } from '../util/math';
import { ClassificationRun } from './classification';
import { dataNote } from './data-source';
import { MemorizationRun } from './memorization';
import { GemParams, SuiteParams } from './suite-params';
import { runAll } from './pool';
import { ClassificationSpec, MemorizationSpec, runCacheDir } from './runs';
import { formatSpread, spread } from './stats';
import { resultsRoot } from './store';
import { ACCURACY_RULES, classificationSettings, settingRuns, settingSpecs } from './settings';
import { accuracyClaims, calibrationClaims, loglikClaims, memorizationClaim } from './classification-claims';
import type { ClaimCheck, ExperimentFigure, ExperimentOptions, ExperimentResult, MetricRow } from './types';
import { join } from 'node:path';

/** Results root of a profile: results/ for the main profile `small`, results/profile-<name>/ otherwise. */
export function resultsDirFor(p: SuiteParams, opts: ExperimentOptions = {}): string {
  if (opts.resultsDir) return opts.resultsDir;
  const root = resultsRoot();
  return p.profile === 'small' ? root : join(root, `profile-${p.profile}`);
}

const subtitle = (p: SuiteParams, extra = '') => `profile ${p.profile} · ${p.seeds.length} seed${p.seeds.length > 1 ? 's' : ''} (mean ± s.d.)${extra ? ' · ' + extra : ''}`;

function poolOpts(p: SuiteParams, opts: ExperimentOptions, label: string) {
  return { cacheDir: runCacheDir(resultsDirFor(p, opts)), jobs: p.jobs, force: opts.force ?? false, progress: opts.progress, label };
}

// ---------- classification runs shared by experiments 2, 3, 4 and 6 ----------

// the main setting's specs, identical to the decision-time experiment's (shared through the run cache)
/** The GEM-SNN classification runs of training compartments `Ks`, every seed (main setting). */
export function gemSpecs(p: SuiteParams, Ks: number[]): ClassificationSpec[] {
  return settingSpecs(p, classificationSettings(p)[0], Ks);
}

/** The single-sample baseline runs, every seed. */
export function baselineSpecs(p: SuiteParams): ClassificationSpec[] {
  const KI = Math.max(...p.eval.KIs);
  return p.seeds.map((seed) => ({ kind: 'classification', data: p.data, network: p.network, rule: { rule: 'baseline', opts: p.baseline }, train: p.train, KI, seed }) as ClassificationSpec);
}

/** GEM-SNN runs of the main setting by training K (the same specs as the decision-time experiment's, shared through the run cache). */
function gemRuns(p: SuiteParams, opts: ExperimentOptions, Ks = p.train.Ks): Promise<Map<number, ClassificationRun[]>> {
  return settingRuns(p, classificationSettings(p)[0], opts, Ks);
}

/** Accuracy and confidences of a run's test set with the first KI compartments under `rule`. */
export function runDecisions(run: ClassificationRun, KI: number, rule: DecisionRule): { accuracy: number; confidence: number[]; correct: number[] } {
  const confidence: number[] = [];
  const correct: number[] = [];
  run.counts.forEach((c, i) => {
    const d = decide(c, run.KI, run.classes, rule, KI);
    confidence.push(d.confidence);
    correct.push(d.label === run.labels[i] ? 1 : 0);
  });
  return { accuracy: correct.reduce((a, b) => a + b, 0) / Math.max(1, correct.length), confidence, correct };
}

/** Mean test log-likelihood per example of a run with the first KI compartments (nats). */
export function runLoglik(run: ClassificationRun, KI: number): number {
  let s = 0;
  for (const row of run.loglik) s += logMeanExp(row, KI);
  return s / Math.max(1, run.loglik.length);
}

/** Whether a sequence of means never decreases (for the text). */
function monotoneText(means: number[]): string {
  return means.every((m, i) => i === 0 || m >= means[i - 1]) ? 'monotone' : 'not monotone';
}

function seqText(xs: number[], label: string, values: number[][], digits: number): string {
  return xs.map((x, i) => `${label}=${x}: ${formatSpread(spread(values[i]), digits)}`).join('; ');
}

// ---------- 02: log-likelihood vs K ----------

/** SPEC 5.1 item 2: test log-likelihood vs training K (and vs K_I), and learning curves per K. */
export async function logLikelihoodVsK(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
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
  const curveX = byK.get(Ks[0])![0].curve.map((c) => c.examples);
  const figures: ExperimentFigure[] = [
    {
      name: 'loglik-vs-K',
      caption: `Test log-likelihood per example (nats, K_I = ${KImax}) against the number of training compartments K.`,
      spec: meanBandChart({
        title: 'Test log-likelihood vs training compartments K',
        subtitle: subtitle(p, `K_I = ${KImax}`),
        note: dataNote(p.data),
        xTitle: 'training compartments K',
        yTitle: 'test log-likelihood per example (nats)',
        x: Ks,
        xType: 'log',
        series: [{ name: `K_I = ${KImax}`, values: transpose(vsK), seeds: p.seeds }],
        showSeeds: true,
      }),
    },
    {
      name: 'loglik-vs-KI',
      caption: 'Test log-likelihood per example against the number of inference compartments K_I, one line per training K.',
      spec: meanBandChart({
        title: 'Test log-likelihood vs inference compartments K_I',
        subtitle: subtitle(p),
        note: dataNote(p.data),
        xTitle: 'inference compartments K_I',
        yTitle: 'test log-likelihood per example (nats)',
        x: KIs,
        xType: 'log',
        series: Ks.map((K) => ({ name: `K = ${K}`, values: byK.get(K)!.map((r) => KIs.map((KI) => runLoglik(r, KI))) })),
      }),
    },
    {
      name: 'learning-curves',
      caption: `Learning curves: test log-likelihood (K_I = ${KImax}, first ${p.train.curveExamples} test examples) against training examples seen.`,
      spec: meanBandChart({
        title: 'Learning curves',
        subtitle: subtitle(p, `K_I = ${KImax}`),
        note: dataNote(p.data),
        xTitle: 'training examples seen',
        yTitle: 'test log-likelihood per example (nats)',
        x: curveX,
        series: Ks.map((K) => ({ name: `K = ${K}`, values: byK.get(K)!.map((r) => r.curve.map((c) => c.loglik)) })),
      }),
    },
  ];
  const claims = loglikClaims(p, byK, Ks, T);
  const table = Ks.map((K, i) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(val(K, KI)), 2)])), per_step_KImax: formatSpread(spread(vsK[i].map((v) => v / T)), 4) }));
  return {
    name,
    title: 'Log-likelihood vs K',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: { T, KImax, loglikPerExampleByK: Object.fromEntries(Ks.map((K, i) => [K, spread(vsK[i])])) },
    figures,
    claims,
    tables: { 'test log-likelihood per example (nats), mean ± s.d. over seeds': table },
  };
}

// ---------- 03: accuracy vs K and K_I ----------

/** SPEC 5.1 item 3: test accuracy vs K_I for each training K, both decision rules. */
export async function accuracyVsK(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'accuracy-vs-K';
  const byK = await gemRuns(p, opts);
  const Ks = p.train.Ks;
  const KIs = p.eval.KIs;
  const rows: MetricRow[] = [];
  const acc = (K: number, KI: number, rule: DecisionRule) => byK.get(K)!.map((r) => runDecisions(r, KI, rule).accuracy);
  for (const K of Ks) for (const run of byK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    rows.push({ experiment: name, metric: 'test_accuracy', K, KI, rule, seed: run.seed, value: runDecisions(run, KI, rule).accuracy });
  }
  const figures: ExperimentFigure[] = ACCURACY_RULES.map((rule) => ({
    name: `accuracy-vs-KI-${rule}`,
    caption: `Test accuracy against inference compartments K_I with the ${rule} decision rule, one line per training K.`,
    spec: meanBandChart({
      title: `Test accuracy vs K_I (${rule} rule)`,
      subtitle: subtitle(p, `chance = ${(1 / p.data.digits.length).toFixed(2)}`),
      note: dataNote(p.data),
      xTitle: 'inference compartments K_I',
      yTitle: 'test accuracy',
      x: KIs,
      xType: 'log',
      series: Ks.map((K) => ({ name: `K = ${K}`, values: byK.get(K)!.map((r) => KIs.map((KI) => runDecisions(r, KI, rule).accuracy)) })),
    }),
  }));
  const [main, fc] = classificationSettings(p);
  const fcByK = await settingRuns(p, fc, opts);
  const claims: ClaimCheck[] = [...accuracyClaims(p, main, byK, ACCURACY_RULES), ...accuracyClaims(p, fc, fcByK, ACCURACY_RULES)];
  for (const K of fc.Ks) for (const run of fcByK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    rows.push({ experiment: name, metric: 'test_accuracy', config: fc.key, K, KI, rule, seed: run.seed, value: runDecisions(run, KI, rule).accuracy });
  }
  for (const rule of ACCURACY_RULES) {
    figures.push({
      name: `accuracy-vs-KI-${rule}-${fc.key}`,
      caption: `${fc.label} topology (η = ${fc.gem.eta}): test accuracy against K_I with the ${rule} rule, one line per training K.`,
      spec: meanBandChart({
        title: `Test accuracy vs K_I (${rule} rule, ${fc.label})`,
        subtitle: subtitle(p, `chance = ${(1 / p.data.digits.length).toFixed(2)}`),
        note: `${dataNote(p.data)} · ${fc.label}, η = ${fc.gem.eta}`,
        xTitle: 'inference compartments K_I',
        yTitle: 'test accuracy',
        x: KIs,
        xType: 'log',
        series: fc.Ks.map((K) => ({ name: `K = ${K}`, values: fcByK.get(K)!.map((r) => KIs.map((KI) => runDecisions(r, KI, rule).accuracy)) })),
      }),
    });
  }
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const rule of DECISION_RULES) {
    tables[`test accuracy, ${rule} rule, ${main.label} (mean ± s.d. over seeds)`] = Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(acc(K, KI, rule)), 3)])) }));
  }
  for (const rule of ACCURACY_RULES) {
    tables[`test accuracy, ${rule} rule, ${fc.label}, η = ${fc.gem.eta} (mean ± s.d. over seeds)`] = fc.Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(fcByK.get(K)!.map((r) => runDecisions(r, KI, rule).accuracy)), 3)])) }));
  }
  return {
    name,
    title: 'Accuracy vs K and K_I',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: Object.fromEntries(DECISION_RULES.map((rule) => [rule, Object.fromEntries(Ks.map((K) => [K, Object.fromEntries(KIs.map((KI) => [KI, spread(acc(K, KI, rule))]))]))])),
    figures,
    claims,
    tables,
  };
}

// ---------- 04: calibration ----------

/** SPEC 5.1 item 4: reliability diagrams and ECE vs K_I for small and large training K. */
export async function calibration(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'calibration';
  const byK = await gemRuns(p, opts);
  const Ks = p.train.Ks;
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const M = p.eval.bins;
  const rows: MetricRow[] = [];
  const ece = (run: ClassificationRun, KI: number, rule: DecisionRule) => {
    const d = runDecisions(run, KI, rule);
    return { rel: reliability(d.confidence, d.correct, M), acc: d.accuracy };
  };
  for (const K of Ks) for (const run of byK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    const { rel, acc } = ece(run, KI, rule);
    rows.push({ experiment: name, metric: 'ece', K, KI, rule, seed: run.seed, value: rel.ece });
    rows.push({ experiment: name, metric: 'accuracy', K, KI, rule, seed: run.seed, value: acc });
  }
  const figures: ExperimentFigure[] = [];
  for (const rule of DECISION_RULES) {
    figures.push({
      name: `ece-vs-KI-${rule}`,
      caption: `Expected calibration error (M = ${M} bins) against K_I, ${rule} rule, one line per training K.`,
      spec: meanBandChart({
        title: `ECE vs K_I (${rule} rule)`,
        subtitle: subtitle(p, `M = ${M} bins`),
        note: dataNote(p.data),
        xTitle: 'inference compartments K_I',
        yTitle: 'ECE',
        x: KIs,
        xType: 'log',
        series: Ks.map((K) => ({ name: `K = ${K}`, values: byK.get(K)!.map((r) => KIs.map((KI) => ece(r, KI, rule).rel.ece)) })),
      }),
    });
  }
  const diagrams: Record<string, unknown>[] = [];
  for (const K of p.eval.calibrationKs.filter((K) => byK.has(K))) {
    for (const KI of [KIs[0], KImax].filter((v, i, a) => a.indexOf(v) === i)) {
      // test examples of every seed pooled into one diagram
      const conf: number[] = [];
      const corr: number[] = [];
      for (const run of byK.get(K)!) {
        const d = runDecisions(run, KI, 'majority');
        conf.push(...d.confidence);
        corr.push(...d.correct);
      }
      const rel = reliability(conf, corr, M);
      diagrams.push({ K, KI, rule: 'majority', ...rel });
      figures.push({
        name: `reliability-K${K}-KI${KI}`,
        caption: `Reliability diagram, training K = ${K}, K_I = ${KI}, majority rule, test examples of all seeds pooled (n = ${rel.n}).`,
        spec: reliabilityDiagram({ ...rel, title: `Reliability, K = ${K}, K_I = ${KI} (majority)`, subtitle: subtitle(p, `n = ${rel.n} pooled`), note: dataNote(p.data) }),
        height: 560,
      });
    }
  }
  const [main, fc] = classificationSettings(p);
  const fcByK = await settingRuns(p, fc, opts);
  const claims: ClaimCheck[] = [...calibrationClaims(p, main, byK, DECISION_RULES), ...calibrationClaims(p, fc, fcByK, DECISION_RULES)];
  for (const K of fc.Ks) for (const run of fcByK.get(K)!) for (const rule of DECISION_RULES) for (const KI of KIs) {
    const { rel, acc } = ece(run, KI, rule);
    rows.push({ experiment: name, metric: 'ece', config: fc.key, K, KI, rule, seed: run.seed, value: rel.ece });
    rows.push({ experiment: name, metric: 'accuracy', config: fc.key, K, KI, rule, seed: run.seed, value: acc });
  }
  for (const rule of DECISION_RULES) {
    figures.push({
      name: `ece-vs-KI-${rule}-${fc.key}`,
      caption: `${fc.label} topology (η = ${fc.gem.eta}): ECE (M = ${M} bins) against K_I, ${rule} rule, one line per training K.`,
      spec: meanBandChart({
        title: `ECE vs K_I (${rule} rule, ${fc.label})`,
        subtitle: subtitle(p, `M = ${M} bins`),
        note: `${dataNote(p.data)} · ${fc.label}, η = ${fc.gem.eta}`,
        xTitle: 'inference compartments K_I',
        yTitle: 'ECE',
        x: KIs,
        xType: 'log',
        series: fc.Ks.map((K) => ({ name: `K = ${K}`, values: fcByK.get(K)!.map((r) => KIs.map((KI) => ece(r, KI, rule).rel.ece)) })),
      }),
    });
  }
  // mean confidence − accuracy: why the pooled count share (mean-count) drifts away from accuracy as K_I grows
  const gapRow = (s: { label: string; Ks: number[] }, runsOf: Map<number, ClassificationRun[]>, rule: DecisionRule) => ({
    setting: s.label,
    rule,
    ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, spread(s.Ks.flatMap((K) => runsOf.get(K)!.map((r) => { const d = runDecisions(r, KI, rule); return d.confidence.reduce((a, b) => a + b, 0) / Math.max(1, d.confidence.length) - d.accuracy; }))).mean.toFixed(3)])),
  });
  const confidenceGap = [...DECISION_RULES.map((rule) => gapRow(main, byK, rule)), ...DECISION_RULES.map((rule) => gapRow(fc, fcByK, rule))];
  // with K_I = 1 the vote confidence is 1, so ECE = 1 − accuracy: a consistency check of the pipeline
  const gaps = Ks.flatMap((K) => byK.get(K)!.map((r) => Math.abs(ece(r, 1, 'majority').rel.ece - (1 - ece(r, 1, 'majority').acc))));
  if (KIs.includes(1)) {
    claims.push({
      id: 'ece-KI1',
      claim: 'With K_I = 1 the vote confidence is 1 and ECE = 1 − accuracy',
      ours: `max |ECE − (1 − accuracy)| over all runs at K_I = 1: ${Math.max(...gaps).toExponential(1)}`,
      holds: Math.max(...gaps) < 1e-12,
    });
  }
  return {
    name,
    title: 'Calibration',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: { bins: M, diagrams },
    figures,
    claims,
    tables: {
      ...Object.fromEntries(
        DECISION_RULES.flatMap((rule) => [
          [`ECE, ${rule} rule, ${main.label} (mean ± s.d. over seeds)`, Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(byK.get(K)!.map((r) => ece(r, KI, rule).rel.ece)), 3)])) }))],
          [`ECE, ${rule} rule, ${fc.label}, η = ${fc.gem.eta} (mean ± s.d. over seeds)`, fc.Ks.map((K) => ({ K, ...Object.fromEntries(KIs.map((KI) => [`K_I=${KI}`, formatSpread(spread(fcByK.get(K)!.map((r) => ece(r, KI, rule).rel.ece)), 3)])) }))],
        ]),
      ),
      'mean confidence − accuracy (negative: under-confident), mean over training K and seeds': confidenceGap,
    },
  };
}

// ---------- 05: memorisation ----------

/** Memorisation runs of `gem` for every K and seed. */
export function memSpecs(p: SuiteParams, gem: GemParams, Ks: number[], seeds: number[], iterations = p.memorization.iterations): MemorizationSpec[] {
  return Ks.flatMap((K) => seeds.map((seed) => ({ kind: 'memorization', params: { ...p.memorization, iterations }, gem, K, seed }) as MemorizationSpec));
}

/** Final score of a memorisation run: mean of its last three evaluations (log-likelihood per step). */
export function memFinal(r: MemorizationRun): number {
  const tail = r.curve.slice(-3);
  return tail.reduce((a, c) => a + c.loglikPerStep, 0) / tail.length;
}

/** SPEC 5.1 item 5: structured-output memorisation, log-likelihood vs iterations for each K. */
export async function memorization(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'memorization';
  const m = p.memorization;
  const specs = memSpecs(p, m.gem, m.Ks, p.seeds);
  const recs = (await runAll(specs, poolOpts(p, opts, 'memorisation runs'))) as MemorizationRun[];
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
  const x = recs[0].curve.map((c) => c.iteration);
  const marginal = spread(recs.map((r) => r.marginalLoglikPerStep)).mean;
  const topo = `${m.topology.preset}${m.topology.preset === 'hidden-to-output' ? (m.topology.outputToHidden ? ', output→hidden on' : ', output→hidden off') : ''}`;
  const note = `synthetic ${m.pattern} pattern, ${m.outputs} outputs × ${m.T} steps, ${m.hidden} hidden, ${topo}`;
  const figures: ExperimentFigure[] = [
    {
      name: 'memorization-curves',
      caption: `Memorisation: test log-likelihood per step (K_I = ${m.KI}) against training iterations, one line per K. Dashed: the marginal-rate floor (${marginal.toFixed(2)}).`,
      spec: (() => {
        const spec = meanBandChart({
          title: 'Memorisation: log-likelihood vs iterations',
          subtitle: subtitle(p, `K_I = ${m.KI} · η=${m.gem.eta}, κ=${m.gem.kappa}, κv=${m.gem.kappaV}, ${m.gem.logitScale}`),
          note,
          xTitle: 'training iterations (pattern presentations)',
          yTitle: 'test log-likelihood per step (nats)',
          x,
          series: m.Ks.map((K) => ({ name: `K = ${K}`, values: byK.get(K)!.map((r) => r.curve.map((c) => c.loglikPerStep)) })),
        });
        spec.data.push({ type: 'scatter', mode: 'lines', name: 'marginal rate', x: [x[0], x[x.length - 1]], y: [marginal, marginal], line: { dash: 'dash', color: '#888', width: 1.5 } });
        return spec;
      })(),
    },
    {
      name: 'memorization-final-vs-K',
      caption: 'Final memorisation log-likelihood per step (mean of the last three evaluations) against K.',
      spec: meanBandChart({
        title: 'Memorisation: final log-likelihood vs K',
        subtitle: subtitle(p, `K_I = ${m.KI}`),
        note,
        xTitle: 'training compartments K',
        yTitle: 'final test log-likelihood per step (nats)',
        x: m.Ks,
        xType: 'log',
        series: [{ name: 'final', values: transpose(finals) }],
        showSeeds: true,
      }),
    },
  ];
  const means = finals.map((f) => spread(f).mean);
  const claims: ClaimCheck[] = m.Ks.length > 1 ? [memorizationClaim(m.Ks, finals, `nats/step by K: ${seqText(m.Ks, 'K', finals, 3)} (${monotoneText(means)}); marginal-rate floor ${marginal.toFixed(2)}`)] : [];

  return {
    name,
    title: 'Structured-output memorisation',
    params: p,
    dataNote: note,
    rows,
    summary: { marginalLoglikPerStep: marginal, finalByK: Object.fromEntries(m.Ks.map((K, i) => [K, spread(finals[i])])) },
    figures,
    claims,
    tables: { 'final test log-likelihood per step (nats)': m.Ks.map((K, i) => ({ K, final: formatSpread(spread(finals[i]), 3), train: formatSpread(spread(byK.get(K)!.map((r) => r.finalTrainLoglikPerStep)), 3) })) },
  };
}

// ---------- 06: single-sample baseline ----------

/** Training K of the GEM-SNN runs the baseline is compared with: the smallest and the largest. */
export function baselineGemKs(p: SuiteParams): number[] {
  return [p.train.Ks[0], p.train.Ks[p.train.Ks.length - 1]].filter((v, i, a) => a.indexOf(v) === i);
}

/** SPEC 5.1 item 6: the single-sample rule (SPEC 2.2) against GEM-SNN on the same data and network. */
export async function baselineComparison(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'baseline';
  const Ks = baselineGemKs(p);
  const byK = await gemRuns(p, opts, Ks);
  const base = (await runAll(baselineSpecs(p), poolOpts(p, opts, 'single-sample baseline runs'))) as ClassificationRun[];
  const KImax = Math.max(...p.eval.KIs);
  const groups: { label: string; runs: ClassificationRun[] }[] = [
    { label: 'single-sample (SPEC 2.2)', runs: base },
    ...Ks.map((K) => ({ label: `GEM-SNN K = ${K}`, runs: byK.get(K)! })),
  ];
  const rows: MetricRow[] = [];
  for (const g of groups) for (const r of g.runs) {
    rows.push({ experiment: name, metric: 'test_loglik_per_example', rule: g.label, K: r.K, KI: KImax, seed: r.seed, value: runLoglik(r, KImax) });
    rows.push({ experiment: name, metric: 'test_accuracy', rule: g.label, K: r.K, KI: KImax, seed: r.seed, value: runDecisions(r, KImax, 'majority').accuracy });
    for (const c of r.curve) rows.push({ experiment: name, metric: 'curve_test_loglik_per_example', rule: g.label, K: r.K, KI: KImax, seed: r.seed, step: c.examples, value: c.loglik });
  }
  const ll = groups.map((g) => g.runs.map((r) => runLoglik(r, KImax)));
  const ac = groups.map((g) => g.runs.map((r) => runDecisions(r, KImax, 'majority').accuracy));
  const x = base[0].curve.map((c) => c.examples);
  const figures: ExperimentFigure[] = [
    {
      name: 'baseline-curves',
      caption: `Learning curves of the single-sample rule and GEM-SNN (test log-likelihood, K_I = ${KImax}).`,
      spec: meanBandChart({
        title: 'Single-sample rule vs GEM-SNN',
        subtitle: subtitle(p, `K_I = ${KImax} · baseline η = ${p.baseline.eta}, GEM η = ${p.gem.eta}`),
        note: dataNote(p.data),
        xTitle: 'training examples seen',
        yTitle: 'test log-likelihood per example (nats)',
        x,
        series: groups.map((g) => ({ name: g.label, values: g.runs.map((r) => r.curve.map((c) => c.loglik)) })),
      }),
    },
    {
      name: 'baseline-final',
      caption: `Final test accuracy (majority, K_I = ${KImax}) per rule, mean ± s.d. over seeds.`,
      spec: barChart({
        title: 'Final test accuracy',
        subtitle: subtitle(p, `K_I = ${KImax}, majority rule`),
        note: dataNote(p.data),
        yTitle: 'test accuracy',
        categories: groups.map((g) => g.label),
        series: [{ name: 'accuracy', values: ac.map((a) => spread(a).mean), errors: ac.map((a) => spread(a).sd) }],
        labelDigits: 3,
      }),
    },
  ];
  return {
    name,
    title: 'Single-sample baseline vs GEM-SNN',
    params: p,
    dataNote: dataNote(p.data),
    rows,
    summary: Object.fromEntries(groups.map((g, i) => [g.label, { loglik: spread(ll[i]), accuracy: spread(ac[i]) }])),
    figures,
    claims: [],
    tables: { [`final test metrics (K_I = ${KImax})`]: groups.map((g, i) => ({ rule: g.label, loglik_per_example: formatSpread(spread(ll[i]), 2), accuracy: formatSpread(spread(ac[i]), 3) })) },
  };
}

// ---------- 07: hyperparameter sweep ----------

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

/** The runs of the sweep: every configuration, K and seed, configuration by configuration. */
export function sweepSpecs(p: SuiteParams): MemorizationSpec[] {
  return sweepConfigs(p).flatMap((c) => memSpecs(p, c.gem, p.sweep.Ks, p.sweep.seeds, p.sweep.iterations));
}

/** SPEC 2.3 / 5.4: the documented sweep of η, κ, κv and the logit convention on memorisation. */
export async function hyperparameters(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'hyperparameters';
  const configs = sweepConfigs(p);
  const Ks = p.sweep.Ks;
  const specs = sweepSpecs(p);
  const recs = (await runAll(specs, poolOpts(p, opts, 'sweep runs'))) as MemorizationRun[];
  const rows: MetricRow[] = [];
  const perConfig = configs.map((c, ci) => {
    const mine = recs.slice(ci * Ks.length * p.sweep.seeds.length, (ci + 1) * Ks.length * p.sweep.seeds.length);
    const byK = Ks.map((K) => mine.filter((r) => r.K === K).map(memFinal));
    mine.forEach((r) => rows.push({ experiment: name, metric: 'final_test_loglik_per_step', config: c.label, K: r.K, seed: r.seed, value: memFinal(r) }));
    return { ...c, byK };
  });
  const table = perConfig.map((c) => ({
    config: c.label,
    ...Object.fromEntries(Ks.map((K, i) => [`K=${K}`, formatSpread(spread(c.byK[i]), 3)])),
    [`gap K=${Ks[Ks.length - 1]}−K=${Ks[0]}`]: (spread(c.byK[Ks.length - 1]).mean - spread(c.byK[0]).mean).toFixed(3),
  }));
  const figures: ExperimentFigure[] = [
    {
      name: 'sweep',
      caption: 'Final memorisation log-likelihood per step for each configuration of the sweep (mean ± s.d. over seeds), one bar per K.',
      spec: barChart({
        title: 'Hyperparameter sweep (memorisation)',
        subtitle: `profile ${p.profile} · ${p.sweep.seeds.length} seeds · ${p.sweep.iterations} iterations`,
        note: `synthetic pattern, ${p.memorization.outputs} outputs × ${p.memorization.T} steps, ${p.memorization.hidden} hidden, ${p.memorization.topology.preset}`,
        yTitle: 'final test log-likelihood per step (nats)',
        categories: perConfig.map((c) => c.label),
        series: Ks.map((K, i) => ({ name: `K = ${K}`, values: perConfig.map((c) => spread(c.byK[i]).mean), errors: perConfig.map((c) => spread(c.byK[i]).sd) })),
        horizontal: true,
      }),
      height: 120 + 40 * perConfig.length,
    },
  ];
  return {
    name,
    title: 'Hyperparameter sweep',
    params: p,
    dataNote: 'synthetic memorisation pattern',
    rows,
    summary: { configs: perConfig.map((c) => ({ label: c.label, gem: c.gem, finalByK: Object.fromEntries(Ks.map((K, i) => [K, spread(c.byK[i])])) })) },
    figures,
    claims: [],
    tables: { 'final test log-likelihood per step (nats)': table },
  };
}

function transpose(a: number[][]): number[][] {
  if (a.length === 0) return [];
  const n = Math.max(...a.map((r) => r.length));
  return Array.from({ length: n }, (_, i) => a.map((r) => (i < r.length ? r[i] : NaN)));
}

/** Every experiment of the suite by name (the data experiment lives in data-experiment.ts). */
export const EXPERIMENTS: Record<string, (p: SuiteParams, opts?: ExperimentOptions) => Promise<ExperimentResult>> = {
  'loglik-vs-K': logLikelihoodVsK,
  'accuracy-vs-K': accuracyVsK,
  calibration,
  memorization,
  baseline: baselineComparison,
  hyperparameters,
};
