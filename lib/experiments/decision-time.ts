/**
 * Decision time: accuracy, ECE (every decision rule) and compartment disagreement as a function of K_I
 * for decisions made from the first T' steps, from the networks already trained for the accuracy and
 * calibration experiments (their runs record the output counts at every T'; inference only, the same
 * compartments and random streams as the full-length decision). Both topologies. This is where
 * multi-sample inference can pay: early, each compartment has seen few output spikes and disagrees more.
 */
import { DECISION_RULES, DecisionRule } from '../infer/decision';
import { reliability } from '../infer/calibration';
import { eceClaim, exampleDiffClaim, MARGINS } from './claims';
import type { ClassificationRun } from './runs-classification';
import { dataNote } from './data-source';
import { classificationSettings, ClassificationSetting, diff, disagreement, exampleDecisions, meanOf, settingRuns } from './settings';
import { spread } from './stats';
import type { SuiteParams } from './profiles';
import type { ClaimCheck, ExperimentOptions, ExperimentRows, MetricRow } from './types';

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** Claims of one setting at one early decision time: accuracy and ECE against K_I (mean over training K). */
function earlyClaims(p: SuiteParams, s: ClassificationSetting, byK: Map<number, ClassificationRun[]>, Tp: number): ClaimCheck[] {
  const KIs = p.eval.KIs;
  const lo = KIs[0];
  const hi = Math.max(...KIs);
  const seeds = p.seeds.length;
  const claims: ClaimCheck[] = [];
  const perSeed = (f: (r: ClassificationRun) => Float64Array) => Array.from({ length: seeds }, (_, si) => meanOf(s.Ks.map((K) => f(byK.get(K)![si]))));
  const accDiff = perSeed((r) => diff(exampleDecisions(r, lo, 'majority', Tp).correct, exampleDecisions(r, hi, 'majority', Tp).correct));
  claims.push(
    exampleDiffClaim(
      { id: `decision-time-accuracy-${s.key}`, claim: `Decisions from the first ${Tp} steps: accuracy increases with K_I (majority rule, ${s.label})`, kind: 'increase', margin: MARGINS.accuracy, arms: `accuracy K_I=${hi} − K_I=${lo} at T'=${Tp}, mean over training K`, setting: s.label },
      accDiff,
    ),
  );
  for (const rule of DECISION_RULES) {
    const arms = Array.from({ length: seeds }, (_, si) => s.Ks.map((K) => ({ a: exampleDecisions(byK.get(K)![si], lo, rule, Tp), b: exampleDecisions(byK.get(K)![si], hi, rule, Tp) })));
    claims.push(
      eceClaim(
        { id: `decision-time-ece-${rule}-${s.key}`, claim: `Decisions from the first ${Tp} steps: ECE decreases with K_I (${rule} rule, ${s.label})`, kind: 'increase', margin: MARGINS.ece, arms: `ECE K_I=${lo} − K_I=${hi} at T'=${Tp}, mean over training K`, setting: s.label },
        arms,
        p.eval.bins,
      ),
    );
  }
  return claims;
}

/** The decision-time experiment. Rows: accuracy, ece, mean_confidence_minus_accuracy (config, rule, K, K_I, seed, step) and disagreement (config, K, K_I, seed, step). */
export async function decisionTime(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'decision-time';
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const rows: MetricRow[] = [];
  const claims: ClaimCheck[] = [];
  const tables: Record<string, Record<string, unknown>[]> = {};
  const summary: Record<string, unknown> = {};
  for (const s of classificationSettings(p)) {
    const byK = await settingRuns(p, s, opts);
    const T = byK.get(s.Ks[0])![0].T;
    const steps = [...p.eval.decisionSteps.filter((t) => t < T), T];
    const Kbig = Math.max(...s.Ks);
    for (const K of s.Ks) for (const run of byK.get(K)!) for (const Tp of steps) {
      for (const rule of DECISION_RULES) for (const KI of KIs) {
        const d = exampleDecisions(run, KI, rule, Tp);
        const rel = reliability(d.confidence, d.correct, p.eval.bins);
        const meanConf = d.confidence.reduce((a, b) => a + b, 0) / Math.max(1, d.confidence.length);
        rows.push({ experiment: name, metric: 'accuracy', config: s.key, rule, K, KI, seed: run.seed, step: Tp, value: d.accuracy });
        rows.push({ experiment: name, metric: 'ece', config: s.key, rule, K, KI, seed: run.seed, step: Tp, value: rel.ece });
        rows.push({ experiment: name, metric: 'mean_confidence_minus_accuracy', config: s.key, rule, K, KI, seed: run.seed, step: Tp, value: meanConf - d.accuracy });
      }
      for (const KI of KIs) rows.push({ experiment: name, metric: 'disagreement', config: s.key, K, KI, seed: run.seed, step: Tp, value: disagreement(run, KI, Tp) });
    }
    const pick = (metric: string, rule: DecisionRule | undefined, K: number, KI: number, Tp: number) =>
      rows.filter((r) => r.config === s.key && r.metric === metric && r.rule === rule && r.K === K && r.KI === KI && r.step === Tp).map((r) => r.value);
    const m = (metric: string, rule: DecisionRule | undefined, KI: number, Tp: number) => spread(pick(metric, rule, Kbig, KI, Tp)).mean;
    tables[`${s.label}, training K = ${Kbig}: decisions from the first T' steps (mean over seeds)`] = steps.map((Tp) => ({
      "T'": Tp,
      [`accuracy K_I=1`]: m('accuracy', 'majority', 1, Tp).toFixed(3),
      [`accuracy K_I=${KImax}`]: m('accuracy', 'majority', KImax, Tp).toFixed(3),
      [`ECE majority 1 → ${KImax}`]: `${m('ece', 'majority', 1, Tp).toFixed(3)} → ${m('ece', 'majority', KImax, Tp).toFixed(3)}`,
      [`ECE mean-count 1 → ${KImax}`]: `${m('ece', 'mean-count', 1, Tp).toFixed(3)} → ${m('ece', 'mean-count', KImax, Tp).toFixed(3)}`,
      [`ECE mean-count-vote ${KImax}`]: m('ece', 'mean-count-vote', KImax, Tp).toFixed(3),
      [`mean-count confidence − accuracy, K_I=${KImax}`]: m('mean_confidence_minus_accuracy', 'mean-count', KImax, Tp).toFixed(3),
      disagree: pct(m('disagreement', undefined, KImax, Tp)),
    }));
    summary[s.key] = {
      label: s.label,
      trainingK: Kbig,
      steps,
      byStep: Object.fromEntries(steps.map((Tp) => [Tp, {
        accuracy: Object.fromEntries(DECISION_RULES.map((r) => [r, Object.fromEntries(KIs.map((KI) => [KI, m('accuracy', r, KI, Tp)]))])),
        ece: Object.fromEntries(DECISION_RULES.map((r) => [r, Object.fromEntries(KIs.map((KI) => [KI, m('ece', r, KI, Tp)]))])),
        confidenceGap: Object.fromEntries(DECISION_RULES.map((r) => [r, Object.fromEntries(KIs.map((KI) => [KI, m('mean_confidence_minus_accuracy', r, KI, Tp)]))])),
        disagreement: m('disagreement', undefined, KImax, Tp),
      }])),
    };
    const early = steps.includes(10) ? 10 : steps[0];
    if (KIs.length > 1) claims.push(...earlyClaims(p, s, byK, early));
  }
  return { name, title: 'Decision time', params: p, dataNote: dataNote(p.data), rows, summary, claims, tables };
}
