/**
 * Exact enumeration for tiny networks (SPEC 6). With outputs clamped to the target x and the inputs
 * given, the network defines, for every hidden history h ∈ {0,1}^[T][nH], the joint
 *   log p(x, h) = log p(h ‖ x) + log p(x ‖ h)
 * (hidden spikes given the past of everything, outputs given the past of everything). Enumerating all
 * 2^(nH·T) histories gives log p(x), the ELBO of the K = 1 estimator, the posterior over histories and
 * its marginals, and the expectation of the K-sample estimator log (1/K) Σ_k p(x ‖ h^k), h^k ~ p(h ‖ x).
 *
 * History indexing: history s ∈ 0..2^(nH·T)−1 has h[t,i] = bit (t·nH + i) of s.
 * Everything is float64 and built on the reference path (refPotential for the enumeration tree,
 * refRun for single histories). All log-probabilities are in nats.
 */
import { Example, checkExample } from '../model/training-example';
import { logBernoulli, sigmoid } from '../util/math';
import { Network } from '../model/network';
import { refFeedbackTrace, refPotential, refRun, refTrace } from './reference-path';
import { makeRng } from '../util/rng';
import { checkInt, checkLength, checkBinary, fail } from '../util/validate';

/** Largest number of hidden histories `enumerateHistories` accepts by default (2^20). */
export const EXACT_MAX_HISTORIES = 2 ** 20;

/** Everything the enumeration computes. S = 2^(nH·T) histories. */
export interface ExactEnumeration {
  nH: number;
  T: number;
  /** Number of histories S = 2^(nH·T). */
  count: number;
  /** Float64Array [S]: log p(h_s ‖ x), the sampling distribution of the estimators (nats). */
  logPHidden: Float64Array;
  /** Float64Array [S]: log p(x ‖ h_s), the importance weight of history s (nats). */
  logPOutputs: Float64Array;
  /** log p(x) = log Σ_s p(h_s ‖ x) p(x ‖ h_s) (nats). */
  logPx: number;
  /** ELBO = E_{h ~ p(h‖x)}[log p(x ‖ h)] = expectation of the K = 1 estimator (nats). */
  elbo: number;
  /** Float64Array [S]: exact posterior p(h_s | x) (sums to 1). */
  posterior: Float64Array;
  /** Float64Array [T][nH] row-major: p(h[t,i] = 1 | x). */
  marginals: Float64Array;
}

/** The hidden history of index s as Uint8Array [T][nH] (h[t,i] = bit t·nH + i of s). */
export function historyFromIndex(s: number, nH: number, T: number): Uint8Array {
  const h = new Uint8Array(T * nH);
  for (let b = 0; b < T * nH; b++) h[b] = Math.floor(s / 2 ** b) % 2;
  return h;
}

/** The index s of a hidden history `hidden` [T][nH] of 0/1 (inverse of historyFromIndex). */
export function historyIndex(hidden: ArrayLike<number>): number {
  let s = 0;
  for (let b = 0; b < hidden.length; b++) if (hidden[b]) s += 2 ** b;
  return s;
}

/**
 * Enumerates every hidden history of `net` on `ex` (outputs clamped to ex.target). Throws if
 * 2^(nH·T) exceeds `maxHistories` (default EXACT_MAX_HISTORIES = 2^20). Cost: about 2^(nH·(T−1))
 * potential evaluations of every learnable neuron (prefixes are shared by a depth-first walk).
 */
export function enumerateHistories(net: Network, ex: Example, maxHistories: number = EXACT_MAX_HISTORIES): ExactEnumeration {
  const where = 'enumerateHistories';
  checkExample(ex, net.nIn, net.nO, where);
  checkInt(where, 'maxHistories', maxHistories, 1);
  const { nIn, nH, nO, N, L, T } = { ...net, T: ex.T };
  const bits = nH * T;
  const count = 2 ** bits;
  if (count > maxHistories) {
    fail(where, '2^(hidden·T)', `2^(${nH}·${T}) = ${count}`, `at most maxHistories = ${maxHistories} (use fewer hidden neurons or steps, or estimate by sampling)`);
  }
  const logPHidden = new Float64Array(count);
  const logPOutputs = new Float64Array(count);
  const spikes = new Uint8Array(T * N);
  const u = new Float64Array(T * L);
  const patterns = 2 ** nH;

  // Depth-first over time: the potentials at t depend on rows < t only, so they are computed once per prefix.
  const walk = (t: number, prefix: number, lpH: number, lpO: number): void => {
    if (t === T) {
      logPHidden[prefix] = lpH;
      logPOutputs[prefix] = lpO;
      return;
    }
    for (let l = 0; l < L; l++) u[t * L + l] = refPotential(net, spikes, t, l);
    for (let i = 0; i < nIn; i++) spikes[t * N + i] = ex.input[t * nIn + i];
    let lo = 0;
    for (let o = 0; o < nO; o++) {
      const x = ex.target[t * nO + o];
      spikes[t * N + nIn + nH + o] = x;
      lo += logBernoulli(x, u[t * L + nH + o]);
    }
    for (let p = 0; p < patterns; p++) {
      let lh = 0;
      for (let i = 0; i < nH; i++) {
        const s = (p >> i) & 1;
        spikes[t * N + nIn + i] = s;
        lh += logBernoulli(s, u[t * L + i]);
      }
      walk(t + 1, prefix + p * 2 ** (t * nH), lpH + lh, lpO + lo);
    }
    // clear row t so that deeper rows of a later branch never see stale spikes (they are rewritten anyway)
    spikes.fill(0, t * N, (t + 1) * N);
  };
  walk(0, 0, 0, 0);

  let m = -Infinity;
  for (let s = 0; s < count; s++) m = Math.max(m, logPHidden[s] + logPOutputs[s]);
  let z = 0;
  let elbo = 0;
  for (let s = 0; s < count; s++) {
    z += Math.exp(logPHidden[s] + logPOutputs[s] - m);
    elbo += Math.exp(logPHidden[s]) * logPOutputs[s];
  }
  const logPx = m + Math.log(z);
  const posterior = new Float64Array(count);
  const marginals = new Float64Array(T * nH);
  for (let s = 0; s < count; s++) {
    const p = Math.exp(logPHidden[s] + logPOutputs[s] - logPx);
    posterior[s] = p;
    for (let b = 0; b < bits; b++) if (Math.floor(s / 2 ** b) % 2) marginals[b] += p;
  }
  return { nH, T, count, logPHidden, logPOutputs, logPx, elbo, posterior, marginals };
}

/** Exact log p(x) of the targets of `ex` given its inputs (nats). */
export function exactLogPx(net: Network, ex: Example): number {
  return enumerateHistories(net, ex).logPx;
}

/** Exact ELBO with K = 1: E_{h ~ p(h‖x)}[log p(x ‖ h)] (nats). */
export function exactElbo(net: Network, ex: Example): number {
  return enumerateHistories(net, ex).elbo;
}

/** Exact posterior marginals p(h[t,i] = 1 | x): Float64Array [T][nH] row-major. */
export function exactPosteriorMarginals(net: Network, ex: Example): Float64Array {
  return enumerateHistories(net, ex).marginals;
}

/** Exact posterior over histories p(h_s | x): Float64Array [2^(nH·T)], indexed as historyFromIndex. */
export function exactPosterior(net: Network, ex: Example): Float64Array {
  return enumerateHistories(net, ex).posterior;
}

/** The expectation of the K-sample estimator, exact or by Monte Carlo. */
export interface EstimatorExpectation {
  K: number;
  /** E[log (1/K) Σ_k p(x ‖ h^k)], h^k i.i.d. ~ p(h ‖ x) (nats). */
  mean: number;
  /** Standard error of `mean` (0 when exact). */
  stderr: number;
  /** 'exact' (sum over all multisets of K histories) or 'monte-carlo'. */
  method: 'exact' | 'monte-carlo';
  /** Terms summed (exact) or replicates drawn (Monte Carlo). */
  terms: number;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** C(n, k) in floating point (only compared against a limit). */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * E[log (1/K) Σ_k p(x ‖ h^k)] for h^k i.i.d. from p(h ‖ x), from an enumeration `en`. Exact (a sum
 * over the C(S+K−1, K) multisets of histories, with multinomial probabilities) when that number is at
 * most `maxTerms` (default 2e6); otherwise by `samples` (default 20000) seeded Monte Carlo replicates
 * drawing history indices from the enumerated distribution (stream `<seed>/exact-estimator/<K>`).
 */
export function estimatorExpectation(
  en: ExactEnumeration,
  K: number,
  opts: { maxTerms?: number; samples?: number; seed?: string | number } = {},
): EstimatorExpectation {
  const where = 'estimatorExpectation';
  checkInt(where, 'K', K, 1);
  const maxTerms = checkInt(where, 'maxTerms', opts.maxTerms ?? 2e6, 1);
  const samples = checkInt(where, 'samples', opts.samples ?? 20000, 2);
  const S = en.count;
  const logq = en.logPHidden;
  const Z = en.logPOutputs;
  const logK = Math.log(K);
  if (binomial(S + K - 1, K) <= maxTerms) {
    const logFact = new Float64Array(K + 1);
    for (let n = 2; n <= K; n++) logFact[n] = logFact[n - 1] + Math.log(n);
    let total = 0;
    let terms = 0;
    // s: next history; rem: draws left; lw: log of Π q^n / Π n!; ls: log Σ n_s p(x‖h_s) so far
    const rec = (s: number, rem: number, lw: number, ls: number): void => {
      if (rem === 0 || s === S - 1) {
        const n = rem;
        const lw2 = lw + (n > 0 ? n * logq[s] - logFact[n] : 0);
        const ls2 = n > 0 ? logAddExp(ls, Math.log(n) + Z[s]) : ls;
        terms++;
        if (lw2 > -Infinity) total += Math.exp(logFact[K] + lw2) * (ls2 - logK);
        return;
      }
      for (let n = 0; n <= rem; n++) {
        if (n > 0 && logq[s] === -Infinity) break;
        rec(s + 1, rem - n, lw + (n > 0 ? n * logq[s] - logFact[n] : 0), n > 0 ? logAddExp(ls, Math.log(n) + Z[s]) : ls);
      }
    };
    rec(0, K, 0, -Infinity);
    return { K, mean: total, stderr: 0, method: 'exact', terms };
  }
  const cdf = new Float64Array(S);
  let acc = 0;
  for (let s = 0; s < S; s++) cdf[s] = acc += Math.exp(logq[s]);
  const rng = makeRng(opts.seed ?? 0, 'exact-estimator', K);
  const draw = (): number => {
    const r = rng.next() * acc;
    let lo = 0;
    let hi = S - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  let sum = 0;
  let sum2 = 0;
  for (let r = 0; r < samples; r++) {
    let ls = -Infinity;
    for (let k = 0; k < K; k++) ls = logAddExp(ls, Z[draw()]);
    const v = ls - logK;
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / samples;
  const variance = Math.max(0, (sum2 - samples * mean * mean) / (samples - 1));
  return { K, mean, stderr: Math.sqrt(variance / samples), method: 'monte-carlo', terms: samples };
}

/** The gradient of log p(x, h) for one complete history, in the layout of the parameters. */
export interface JointGradient {
  /** log p(x, h) = log p(h ‖ x) + log p(x ‖ h) (nats). */
  logJoint: number;
  /** Float64Array [L][N][Ka]: Σ_t (s[l,t] − σ(u[l,t]))·tr[j,m,t] (0 where masked). */
  W: Float64Array;
  /** Float64Array [L][Kb]: Σ_t (s[l,t] − σ(u[l,t]))·fb[l,m,t] (0 without feedback). */
  F: Float64Array;
  /** Float64Array [L]: Σ_t (s[l,t] − σ(u[l,t])). */
  b: Float64Array;
}

function checkHidden(net: Network, ex: Example, hidden: ArrayLike<number>, where: string): void {
  checkExample(ex, net.nIn, net.nO, where);
  checkLength(where, 'hidden', hidden, ex.T * net.nH, `[T=${ex.T}][nH=${net.nH}]`);
  checkBinary(where, 'hidden', hidden);
}

/** log p(x, h) of the history with hidden spikes `hidden` [T][nH] (0/1), outputs = ex.target (nats). */
export function logJoint(net: Network, ex: Example, hidden: ArrayLike<number>): number {
  checkHidden(net, ex, hidden, 'logJoint');
  const [r] = refRun(net, ex, 1, true, { hidden: [hidden] });
  return r.logPHidden + r.logPOutputs;
}

/**
 * The exact gradient (SPEC 1) of log p(x, h) with respect to W, F, b for the complete history given by
 * ex.input, `hidden` [T][nH] and ex.target: every factor's gradient (s − σ(u))·trace summed over steps.
 */
export function logJointGradient(net: Network, ex: Example, hidden: ArrayLike<number>): JointGradient {
  checkHidden(net, ex, hidden, 'logJointGradient');
  const [r] = refRun(net, ex, 1, true, { hidden: [hidden] });
  const { N, L, nIn } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const W = new Float64Array(net.W.length);
  const F = new Float64Array(net.F.length);
  const b = new Float64Array(net.b.length);
  for (let t = 0; t < ex.T; t++) {
    for (let l = 0; l < L; l++) {
      const g = r.spikes[t * N + nIn + l] - sigmoid(r.potentials[t * L + l]);
      b[l] += g;
      for (let j = 0; j < N; j++) {
        if (!net.topology.mask[l * N + j]) continue;
        for (let m = 0; m < Ka; m++) W[(l * N + j) * Ka + m] += g * refTrace(net, r.spikes, t, j, m);
      }
      if (net.topology.feedback[l]) for (let m = 0; m < Kb; m++) F[l * Kb + m] += g * refFeedbackTrace(net, r.spikes, t, l, m);
    }
  }
  return { logJoint: r.logPHidden + r.logPOutputs, W, F, b };
}
