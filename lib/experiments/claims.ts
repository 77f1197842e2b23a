/**
 * Claims decided by a paired 95 % interval and the rule of README "How a claim is decided"
 * (intervals.ts): builders for the two kinds of data the experiments have, per-example paired
 * differences (accuracy, log-likelihood), ECE of two arms on the same recordings, and one number per run
 * (t over seeds). Each verdict is recomputed with every seed left out in turn (stability).
 */
import { ClaimKind, crossedBootstrap, eceAt, meanAt, PairedInterval, tInterval, verdict, Verdict, verdictRuleText } from './intervals';
import type { ClaimCheck } from './types';

/** What a claim asserts and how it is judged. */
export interface ClaimSpec {
  id: string;
  claim: string;
  kind: ClaimKind;
  /** Margin m in the unit of the difference. */
  margin: number;
  /** The compared arms, e.g. "K_I = 20 − K_I = 1, mean over training K". */
  arms: string;
  /** Setting (topology, rule), for tables. */
  setting?: string;
  /** Unit and digits of the difference, for the text. */
  unit?: string;
  digits?: number;
}

const B_FULL = 2000;
const B_LOO = 1000;

function fmt(x: number, digits: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

function finish(spec: ClaimSpec, iv: PairedInterval, loo: Verdict[], extra: string): ClaimCheck {
  const v = verdict(spec.kind, iv.lo, iv.hi, spec.margin);
  const digits = spec.digits ?? 3;
  const stable = loo.length > 0 ? loo.every((x) => x === v) : undefined;
  return {
    id: spec.id,
    claim: spec.claim,
    ours: `${spec.arms}: ${fmt(iv.estimate, digits)} [${fmt(iv.lo, digits)}, ${fmt(iv.hi, digits)}]${spec.unit ? ' ' + spec.unit : ''}${extra ? '; ' + extra : ''}`,
    holds: v === 'holds' ? true : v === 'does not hold' ? false : null,
    verdict: v,
    interval: iv,
    margin: spec.margin,
    kind: spec.kind,
    rule: verdictRuleText(spec.kind, spec.margin),
    arms: spec.arms,
    setting: spec.setting,
    stable,
    leaveOneSeedOut: loo,
  };
}

function without(n: number, drop: number): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => i !== drop);
}

/**
 * A claim on per-example paired differences `diffs` [seed][example] (d > 0 = claimed side; e.g. the
 * correctness of arm b minus that of arm a, or a log-likelihood difference). Crossed bootstrap.
 */
export function exampleDiffClaim(spec: ClaimSpec, diffs: ArrayLike<number>[], extra = ''): ClaimCheck {
  const S = diffs.length;
  const n = S ? diffs[0].length : 0;
  const run = (seeds: number[], B: number) => crossedBootstrap(`${spec.id}/${seeds.join(',')}`, seeds.length, n, (s, idx, m) => meanAt(diffs[seeds[s]], idx, m), B);
  const all = Array.from({ length: S }, (_, i) => i);
  const iv = run(all, B_FULL);
  const loo = S > 2 ? all.map((d) => { const r = run(without(S, d), B_LOO); return verdict(spec.kind, r.lo, r.hi, spec.margin); }) : [];
  return finish(spec, iv, loo, extra);
}

/** Confidences and correctness (0/1) of one arm on the test recordings of one seed. */
export interface ArmDecisions {
  confidence: ArrayLike<number>;
  correct: ArrayLike<number>;
}

/**
 * A claim that ECE is lower in arm b than in arm a: `arms[s][g]` = { a, b } for seed s and group g (e.g.
 * training K); d = mean over groups of ECE(a) − ECE(b) on the same resampled recordings. M bins.
 */
export function eceClaim(spec: ClaimSpec, arms: { a: ArmDecisions; b: ArmDecisions }[][], M: number, extra = ''): ClaimCheck {
  const S = arms.length;
  const n = S ? arms[0][0].a.confidence.length : 0;
  const scratch = new Float64Array(3 * M);
  const stat = (seeds: number[]) => (s: number, idx: Int32Array, m: number) => {
    const groups = arms[seeds[s]];
    let d = 0;
    for (const g of groups) d += eceAt(g.a.confidence, g.a.correct, idx, m, M, scratch) - eceAt(g.b.confidence, g.b.correct, idx, m, M, scratch);
    return d / groups.length;
  };
  const run = (seeds: number[], B: number) => crossedBootstrap(`${spec.id}/${seeds.join(',')}`, seeds.length, n, stat(seeds), B);
  const all = Array.from({ length: S }, (_, i) => i);
  const iv = run(all, B_FULL);
  const loo = S > 2 ? all.map((d) => { const r = run(without(S, d), B_LOO); return verdict(spec.kind, r.lo, r.hi, spec.margin); }) : [];
  return finish(spec, iv, loo, extra);
}

/** A claim on one number per run: per-seed paired differences (d > 0 = claimed side), t interval. */
export function seedDiffClaim(spec: ClaimSpec, diffs: number[], extra = ''): ClaimCheck {
  const iv = tInterval(diffs);
  const S = diffs.length;
  const loo = S > 2 ? diffs.map((_, d) => { const r = tInterval(diffs.filter((_, i) => i !== d)); return verdict(spec.kind, r.lo, r.hi, spec.margin); }) : [];
  return finish(spec, iv, loo, extra);
}

/** The margins of the rule (README), in the units of each statistic. */
export const MARGINS = {
  accuracy: 0.01,
  ece: 0.01,
  /** Nats per step; multiply by T for log-likelihoods per example. */
  loglikPerStep: 0.01,
} as const;

/** The rule as data, for results/claims.json. */
export const CLAIM_RULE = {
  written: 'README.md, "How a claim is decided" (committed before the numbers)',
  level: 0.95,
  intervals: {
    testExamples: `crossed paired bootstrap over seeds and test recordings, ${B_FULL} replicates, percentile interval`,
    oneNumberPerRun: 'Student t over seeds of the per-seed paired differences',
  },
  increase: 'holds if lo > 0; does not hold if hi < 0 or the interval lies within [−m, m]; inconclusive otherwise',
  nonInferior: 'holds if lo > −m; does not hold if hi < 0; inconclusive otherwise',
  margins: { accuracy: MARGINS.accuracy, ece: MARGINS.ece, loglikPerStep: MARGINS.loglikPerStep },
  stability: 'stable when every leave-one-seed-out verdict equals the full verdict',
};
