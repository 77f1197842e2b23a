/**
 * Options of the learning rules (SPEC 2) with their defaults and validation. Every option that stands
 * for an unknown of the paper is here, so it is written into results files with the rest.
 */
import { checkInt, checkKeys, checkNumber, checkOneOf } from '../util/validate';

/** GEM-SNN (SPEC 2.1). */
export interface GemOptions {
  /** Number of compartments K ≥ 1. */
  K: number;
  /** Learning rate η ≥ 0. */
  eta: number;
  /** Eligibility-trace decay κ ∈ [0, 1). */
  kappa: number;
  /** Importance-logit decay κv ∈ [0, 1] (1 only with logitScale 'sum'). */
  kappaV: number;
  /** 'mean': v ← κv v + (1 − κv) ℓ (lab convention); 'sum': v ← κv v + ℓ. */
  logitScale: 'mean' | 'sum';
  /** 'gem': hidden neurons use w[k]; 'centered': w[k] − 1/K (outputs always w[k]). */
  hiddenSignal: 'gem' | 'centered';
  /** Reset eligibility traces and importance logits at each example (default true). */
  resetTracesPerExample: boolean;
}

export const DEFAULT_GEM: GemOptions = {
  K: 5,
  eta: 0.05,
  kappa: 0.2,
  kappaV: 0.2,
  logitScale: 'mean',
  hiddenSignal: 'gem',
  resetTracesPerExample: true,
};

/** Fills defaults and validates; throws naming the option. */
export function resolveGemOptions(o: Partial<GemOptions> = {}, where = 'gem options'): GemOptions {
  checkKeys(where, 'option', o, Object.keys(DEFAULT_GEM));
  const r = { ...DEFAULT_GEM, ...o };
  checkInt(where, 'K', r.K, 1, 100000);
  checkNumber(where, 'eta', r.eta, { min: 0 });
  checkNumber(where, 'kappa', r.kappa, { min: 0, max: 1, maxOpen: true });
  checkOneOf(where, 'logitScale', r.logitScale, ['mean', 'sum'] as const);
  checkNumber(where, 'kappaV', r.kappaV, { min: 0, max: 1, maxOpen: r.logitScale === 'mean' });
  checkOneOf(where, 'hiddenSignal', r.hiddenSignal, ['gem', 'centered'] as const);
  if (typeof r.resetTracesPerExample !== 'boolean') {
    throw new Error(`${where}: resetTracesPerExample = ${String(r.resetTracesPerExample)}; expected true or false`);
  }
  return r;
}

/** Single-sample baseline (SPEC 2.2). */
export interface BaselineOptions {
  /** Learning rate η ≥ 0. */
  eta: number;
  /** Trace decay κ ∈ [0, 1) (eligibility and learning signal). */
  kappa: number;
  /** Baseline averaging β ∈ [0, 1). */
  beta: number;
  /** Weight γ ≥ 0 of the hidden-rate regulariser. */
  gamma: number;
  /** Reference firing rate r ∈ (0, 1). */
  r: number;
  /** Reset eligibility traces and the learning signal at each example (default true). */
  resetTracesPerExample: boolean;
}

export const DEFAULT_BASELINE: BaselineOptions = {
  eta: 1e-4,
  kappa: 0.2,
  beta: 0.05,
  gamma: 1,
  r: 0.3,
  resetTracesPerExample: true,
};

/** Fills defaults and validates; throws naming the option. */
export function resolveBaselineOptions(o: Partial<BaselineOptions> = {}, where = 'baseline options'): BaselineOptions {
  checkKeys(where, 'option', o, Object.keys(DEFAULT_BASELINE));
  const r = { ...DEFAULT_BASELINE, ...o };
  checkNumber(where, 'eta', r.eta, { min: 0 });
  checkNumber(where, 'kappa', r.kappa, { min: 0, max: 1, maxOpen: true });
  checkNumber(where, 'beta', r.beta, { min: 0, max: 1, maxOpen: true });
  checkNumber(where, 'gamma', r.gamma, { min: 0 });
  checkNumber(where, 'r', r.r, { min: 0, max: 1, minOpen: true, maxOpen: true });
  if (typeof r.resetTracesPerExample !== 'boolean') {
    throw new Error(`${where}: resetTracesPerExample = ${String(r.resetTracesPerExample)}; expected true or false`);
  }
  return r;
}
