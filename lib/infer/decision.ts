/**
 * Decision rules of multi-sample inference (SPEC 3). Input: per-compartment output spike counts
 * `counts` [K][C] row-major (entry k*C + c = n[k,c], the number of spikes of output neuron c in
 * compartment k over the test example). Every function can look at the first `Kp ≤ K` compartments
 * only (nested subsets of one run, e.g. K_I = 1, 2, 5, 10 from one 10-compartment run) without copying.
 */
import { checkInt, fail } from '../util/validate';

/**
 * `majority` and `mean-count` are SPEC 3's rules. `mean-count-vote` decides as `mean-count` (pooled
 * counts) but states as confidence the fraction of compartments whose own count-based decision agrees:
 * the pooled count share estimates how the spikes are split between outputs (a firing-rate ratio, which
 * stays below the probability of being right once the decision averages several compartments), while the
 * agreement fraction estimates how often one sampled network reaches the same answer.
 */
export const DECISION_RULES = ['majority', 'mean-count', 'mean-count-vote'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

/** Spike counts [K][C] row-major: non-negative integers. */
export type Counts = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | number[];

/** A decision over the first `K` compartments. */
export interface Decision {
  /** The rule that made it. */
  rule: DecisionRule;
  /** Chosen class ĉ ∈ 0..C−1. */
  label: number;
  /**
   * In [0, 1]. majority: the vote fraction |{k : ĉ_k = ĉ}| / K. mean-count: Σ_k n[k,ĉ] / Σ_k Σ_c n[k,c]
   * pooled over all compartments (a compartment without spikes adds nothing to either sum), 1/C when
   * every count of every compartment is 0.
   */
  confidence: number;
  /** Number of compartments used (the K' of a nested subset). */
  K: number;
}

/**
 * Validates `counts` [K][C] (length K*C, finite non-negative integers) and `Kp` ∈ 1..K. Throws naming
 * the parameter, its value and what is allowed.
 */
export function checkCounts(counts: Counts, K: number, C: number, Kp: number = K, where = 'decision'): void {
  checkInt(where, 'K', K, 1);
  checkInt(where, 'C', C, 1);
  checkInt(where, "K' (compartments used)", Kp, 1, K);
  if (!counts || typeof counts.length !== 'number' || counts.length !== K * C) {
    fail(where, 'counts.length', counts ? counts.length : counts, `K*C = ${K * C} (counts [K=${K}][C=${C}] row-major)`);
  }
  for (let i = 0; i < K * C; i++) {
    const v = counts[i];
    if (!Number.isInteger(v) || v < 0) fail(where, `counts[${Math.floor(i / C)}][${i % C}]`, v, 'a non-negative integer spike count');
  }
}

/**
 * Per-compartment decisions ĉ_k = argmax_c n[k,c] (ties: lowest index, so a silent compartment
 * votes for class 0). Returns Int32Array [Kp]. `counts` [K][C] row-major.
 */
export function compartmentDecisions(counts: Counts, K: number, C: number, Kp: number = K): Int32Array {
  checkCounts(counts, K, C, Kp, 'compartmentDecisions');
  return decisionsUnchecked(counts, C, Kp);
}

function decisionsUnchecked(counts: Counts, C: number, Kp: number): Int32Array {
  const out = new Int32Array(Kp);
  for (let k = 0; k < Kp; k++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (counts[k * C + c] > counts[k * C + best]) best = c;
    out[k] = best;
  }
  return out;
}

/** Σ_k n[k,c] over the first Kp compartments: Float64Array [C]. */
function classTotals(counts: Counts, C: number, Kp: number): Float64Array {
  const tot = new Float64Array(C);
  for (let k = 0; k < Kp; k++) for (let c = 0; c < C; c++) tot[c] += counts[k * C + c];
  return tot;
}

/**
 * `majority` rule over the first Kp compartments of `counts` [K][C]: the mode of the ĉ_k; ties broken
 * by the larger summed count Σ_k n[k,c], then the lowest index. Confidence = vote fraction of the winner.
 */
export function majorityDecision(counts: Counts, K: number, C: number, Kp: number = K): Decision {
  checkCounts(counts, K, C, Kp, 'majorityDecision');
  const dec = decisionsUnchecked(counts, C, Kp);
  const votes = new Int32Array(C);
  for (let k = 0; k < Kp; k++) votes[dec[k]]++;
  const tot = classTotals(counts, C, Kp);
  let best = 0;
  for (let c = 1; c < C; c++) {
    if (votes[c] > votes[best] || (votes[c] === votes[best] && tot[c] > tot[best])) best = c;
  }
  return { rule: 'majority', label: best, confidence: votes[best] / Kp, K: Kp };
}

/**
 * `mean-count` rule over the first Kp compartments of `counts` [K][C]: ĉ = argmax_c Σ_k n[k,c] (ties:
 * lowest index). Confidence = Σ_k n[k,ĉ] / Σ_k Σ_c n[k,c] (pooled; e.g. counts [[0,0,0],[1,0,0]] give
 * class 0 with confidence 1), and 1/C when all counts are 0.
 */
export function meanCountDecision(counts: Counts, K: number, C: number, Kp: number = K): Decision {
  checkCounts(counts, K, C, Kp, 'meanCountDecision');
  const tot = classTotals(counts, C, Kp);
  let best = 0;
  let sum = 0;
  for (let c = 0; c < C; c++) {
    sum += tot[c];
    if (tot[c] > tot[best]) best = c;
  }
  return { rule: 'mean-count', label: best, confidence: sum > 0 ? tot[best] / sum : 1 / C, K: Kp };
}

/**
 * `mean-count-vote` rule over the first Kp compartments of `counts` [K][C]: the label of `mean-count`,
 * confidence |{k : ĉ_k = ĉ}| / Kp (ĉ_k = argmax_c n[k,c], ties lowest index). With Kp = 1 it is 1.
 */
export function meanCountVoteDecision(counts: Counts, K: number, C: number, Kp: number = K): Decision {
  const mc = meanCountDecision(counts, K, C, Kp);
  const dec = decisionsUnchecked(counts, C, Kp);
  let agree = 0;
  for (let k = 0; k < Kp; k++) if (dec[k] === mc.label) agree++;
  return { rule: 'mean-count-vote', label: mc.label, confidence: agree / Kp, K: Kp };
}

/** The decision of `rule` over the first Kp compartments of `counts` [K][C] row-major. */
export function decide(counts: Counts, K: number, C: number, rule: DecisionRule, Kp: number = K): Decision {
  if (rule === 'majority') return majorityDecision(counts, K, C, Kp);
  if (rule === 'mean-count') return meanCountDecision(counts, K, C, Kp);
  if (rule === 'mean-count-vote') return meanCountVoteDecision(counts, K, C, Kp);
  return fail('decide', 'rule', rule, `one of ${DECISION_RULES.map((r) => JSON.stringify(r)).join(', ')}`);
}

/**
 * Decisions for several nested subsets of one run: one Decision per entry of `Ks` (each 1..K), using
 * the first Ks[i] compartments of `counts` [K][C].
 */
export function decideNested(counts: Counts, K: number, C: number, rule: DecisionRule, Ks: readonly number[]): Decision[] {
  return Ks.map((Kp) => decide(counts, K, C, rule, Kp));
}
