/**
 * The reference path: a plain, obviously-correct implementation of SPEC 1-3 in float64, one
 * compartment at a time, recomputing every trace from the spike record at every step. It is slow on
 * purpose (O(τ) work per synapse per step) and exists to test the fast engine and to replay the
 * independent test vectors. It never mutates its inputs: learners return a new network.
 *
 * Hidden spikes come either from per-compartment random streams (`{ rngs }`: one draw per sampled
 * neuron per step, learnable order, spike when draw < σ(u)) or are injected (`{ hidden }`: per
 * compartment a [T][nH] 0/1 array), the testing hook that replays given histories.
 */
import { Example } from '../model/training-example';
import { logBernoulli, logMeanExp, sigmoid, softmaxInto } from '../util/math';
import { cloneNetwork, Network } from '../model/network';
import { BaselineOptions, GemOptions } from '../model/learning-options';
import { Rng } from '../util/rng';

/** Where sampled spikes come from: random streams (one per compartment) or injected hidden spikes. */
export type SpikeSource = { rngs: Rng[] } | { hidden: ArrayLike<number>[] };

/** Synaptic trace tr[j,m,t] = Σ_δ A[m][δ] s[j,t−δ] of neuron j in a record `spikes` [T][N]. */
export function refTrace(net: Network, spikes: Uint8Array, t: number, j: number, m: number): number {
  const { tau, table } = net.synaptic;
  let s = 0;
  for (let d = 1; d <= tau && t - d >= 0; d++) s += table[m * tau + d - 1] * spikes[(t - d) * net.N + j];
  return s;
}

/** Feedback trace fb[l,m,t] = Σ_δ B[m][δ] s[l,t−δ] of learnable l in a record `spikes` [T][N]. */
export function refFeedbackTrace(net: Network, spikes: Uint8Array, t: number, l: number, m: number): number {
  const { tau, table } = net.feedbackBasis;
  let s = 0;
  for (let d = 1; d <= tau && t - d >= 0; d++) s += table[m * tau + d - 1] * spikes[(t - d) * net.N + net.nIn + l];
  return s;
}

/** Membrane potential u[l,t] from the rows before t of `spikes` [T][N] and the current parameters. */
export function refPotential(net: Network, spikes: Uint8Array, t: number, l: number): number {
  const { N } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  let u = net.b[l];
  for (let j = 0; j < N; j++) {
    if (!net.topology.mask[l * N + j]) continue;
    for (let m = 0; m < Ka; m++) u += net.W[(l * N + j) * Ka + m] * refTrace(net, spikes, t, j, m);
  }
  if (net.topology.feedback[l]) {
    for (let m = 0; m < Kb; m++) u += net.F[l * Kb + m] * refFeedbackTrace(net, spikes, t, l, m);
  }
  return u;
}

/** What one compartment did over an example. */
export interface RefCompartmentRecord {
  /** Uint8Array [T][N]: every neuron's spikes. */
  spikes: Uint8Array;
  /** Float64Array [T][L]: potentials of the learnable neurons. */
  potentials: Float64Array;
  /** Σ_t Σ_o log p(x[o,t] | u): log-likelihood of the example's targets under this compartment. */
  logPOutputs: number;
  /** Σ_t Σ_h log p(h[t] | u): log-probability of the hidden spikes. */
  logPHidden: number;
}

/**
 * Fills step t of compartment k's record: potentials from the history, then spikes (inputs given,
 * hidden sampled or injected, outputs clamped to the target or sampled). Returns nothing; writes
 * `spikes` row t and `potentials` row t.
 */
function refStep(
  net: Network,
  ex: Example,
  clampOutputs: boolean,
  source: SpikeSource,
  k: number,
  t: number,
  spikes: Uint8Array,
  potentials: Float64Array,
): void {
  const { nIn, nH, nO, N, L } = net;
  for (let l = 0; l < L; l++) potentials[t * L + l] = refPotential(net, spikes, t, l);
  for (let i = 0; i < nIn; i++) spikes[t * N + i] = ex.input[t * nIn + i];
  for (let l = 0; l < L; l++) {
    const n = nIn + l;
    const isOut = l >= nH;
    if (isOut && clampOutputs) {
      spikes[t * N + n] = ex.target[t * nO + (l - nH)];
    } else if (!isOut && 'hidden' in source) {
      spikes[t * N + n] = source.hidden[k][t * nH + l] ? 1 : 0;
    } else {
      const rng = 'rngs' in source ? source.rngs[k] : undefined;
      if (!rng) throw new Error(`reference: compartment ${k} needs a random stream to sample ${isOut ? 'outputs' : 'hidden neurons'}`);
      spikes[t * N + n] = rng.next() < sigmoid(potentials[t * L + l]) ? 1 : 0;
    }
  }
}

/**
 * Runs K compartments over an example with fixed parameters (no learning). With `clampOutputs` the
 * outputs are set to `ex.target` (training / likelihood mode), otherwise sampled (inference mode).
 * Returns one record per compartment.
 */
export function refRun(net: Network, ex: Example, K: number, clampOutputs: boolean, source: SpikeSource): RefCompartmentRecord[] {
  const { nH, nO, N, L, nIn } = net;
  const out: RefCompartmentRecord[] = [];
  for (let k = 0; k < K; k++) {
    const spikes = new Uint8Array(ex.T * N);
    const potentials = new Float64Array(ex.T * L);
    let logPOutputs = 0;
    let logPHidden = 0;
    for (let t = 0; t < ex.T; t++) {
      refStep(net, ex, clampOutputs, source, k, t, spikes, potentials);
      for (let l = 0; l < L; l++) {
        const lp = logBernoulli(spikes[t * N + nIn + l], potentials[t * L + l]);
        if (l < nH) logPHidden += lp;
        else logPOutputs += logBernoulli(ex.target[t * nO + l - nH], potentials[t * L + l]);
      }
    }
    out.push({ spikes, potentials, logPOutputs, logPHidden });
  }
  return out;
}

/**
 * The K-sample estimate of log p(x) (SPEC 3): outputs clamped, hidden spikes from `source`,
 * log (1/K) Σ_k exp(log p(x | h^k)).
 */
export function refLogLikelihoodEstimate(net: Network, ex: Example, K: number, source: SpikeSource): { estimate: number; perCompartment: number[] } {
  const recs = refRun(net, ex, K, true, source);
  const per = recs.map((r) => r.logPOutputs);
  return { estimate: logMeanExp(per), perCompartment: per };
}

/** Eligibility traces of one compartment (same layout as W, F, b). */
interface RefTraces {
  eW: Float64Array;
  eF: Float64Array;
  eb: Float64Array;
}

/** Learner state carried between examples by the reference GEM rule. */
export interface RefGemState {
  traces: RefTraces[];
  /** Importance logits v[k]. */
  v: Float64Array;
}

/** What the reference GEM rule did over one example. */
export interface RefGemResult {
  /** The network after the example (a new object; the input network is untouched). */
  net: Network;
  state: RefGemState;
  /** Importance weights w[t][k] used at each step. */
  weights: number[][];
  /** Per-compartment records (spikes, potentials along the changing parameters). */
  records: RefCompartmentRecord[];
}

function zeroTraces(net: Network): RefTraces {
  return { eW: new Float64Array(net.W.length), eF: new Float64Array(net.F.length), eb: new Float64Array(net.b.length) };
}

/** A fresh GEM learner state (zero traces and logits) for K compartments. */
export function refGemInitialState(net: Network, K: number): RefGemState {
  return { traces: Array.from({ length: K }, () => zeroTraces(net)), v: new Float64Array(K) };
}

/**
 * Updates one compartment's eligibility traces at step t: e ← κ e + (1 − κ) g ∇, with
 * g[l] = s[l,t] − σ(u[l,t]) and ∇ the presynaptic/feedback traces (1 for the bias).
 */
function refUpdateTraces(net: Network, e: RefTraces, spikes: Uint8Array, potentials: Float64Array, t: number, kappa: number, g: Float64Array): void {
  const { N, L, nIn } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  for (let l = 0; l < L; l++) {
    g[l] = spikes[t * N + nIn + l] - sigmoid(potentials[t * L + l]);
    for (let j = 0; j < N; j++) {
      if (!net.topology.mask[l * N + j]) continue;
      for (let m = 0; m < Ka; m++) {
        const i = (l * N + j) * Ka + m;
        e.eW[i] = kappa * e.eW[i] + (1 - kappa) * g[l] * refTrace(net, spikes, t, j, m);
      }
    }
    if (net.topology.feedback[l]) {
      for (let m = 0; m < Kb; m++) {
        const i = l * Kb + m;
        e.eF[i] = kappa * e.eF[i] + (1 - kappa) * g[l] * refFeedbackTrace(net, spikes, t, l, m);
      }
    }
    e.eb[l] = kappa * e.eb[l] + (1 - kappa) * g[l];
  }
}

/**
 * One example of GEM-SNN (SPEC 2.1) on the reference path: K compartments, outputs clamped to the
 * target, parameters updated at every step by η Σ_k w[k] e[k]. `state` carries traces and logits
 * between examples (reset at the start when `opts.resetTracesPerExample`).
 */
export function refGemExample(net0: Network, ex: Example, opts: GemOptions, source: SpikeSource, state?: RefGemState): RefGemResult {
  const net = cloneNetwork(net0);
  const { K, eta, kappa, kappaV } = opts;
  const { N, L, nH, nO, nIn } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const st: RefGemState =
    !state || opts.resetTracesPerExample
      ? refGemInitialState(net, K)
      : { traces: state.traces.map((e) => ({ eW: e.eW.slice(), eF: e.eF.slice(), eb: e.eb.slice() })), v: state.v.slice() };
  const c = opts.logitScale === 'mean' ? 1 - kappaV : 1;
  const records: RefCompartmentRecord[] = Array.from({ length: K }, () => ({
    spikes: new Uint8Array(ex.T * N),
    potentials: new Float64Array(ex.T * L),
    logPOutputs: 0,
    logPHidden: 0,
  }));
  const g = new Float64Array(L);
  const w = new Float64Array(K);
  const weights: number[][] = [];
  for (let t = 0; t < ex.T; t++) {
    for (let k = 0; k < K; k++) {
      const r = records[k];
      refStep(net, ex, true, source, k, t, r.spikes, r.potentials);
      refUpdateTraces(net, st.traces[k], r.spikes, r.potentials, t, kappa, g);
      let ell = 0;
      for (let o = 0; o < nO; o++) ell += logBernoulli(ex.target[t * nO + o], r.potentials[t * L + nH + o]);
      for (let h = 0; h < nH; h++) r.logPHidden += logBernoulli(r.spikes[t * N + nIn + h], r.potentials[t * L + h]);
      r.logPOutputs += ell;
      st.v[k] = kappaV * st.v[k] + c * ell;
    }
    softmaxInto(st.v, w, K);
    weights.push(Array.from(w));
    for (let l = 0; l < L; l++) {
      const centred = l < nH && opts.hiddenSignal === 'centered';
      for (let k = 0; k < K; k++) {
        const a = eta * (centred ? w[k] - 1 / K : w[k]);
        const e = st.traces[k];
        for (let j = 0; j < N; j++) {
          if (!net.topology.mask[l * N + j]) continue;
          for (let m = 0; m < Ka; m++) net.W[(l * N + j) * Ka + m] += a * e.eW[(l * N + j) * Ka + m];
        }
        if (net.topology.feedback[l]) for (let m = 0; m < Kb; m++) net.F[l * Kb + m] += a * e.eF[l * Kb + m];
        net.b[l] += a * e.eb[l];
      }
    }
  }
  return { net, state: st, weights, records };
}

/** Learner state carried between examples by the reference single-sample rule. */
export interface RefBaselineState {
  traces: RefTraces;
  /** Per-parameter baseline numerators and denominators (same layout as the traces). */
  num: RefTraces;
  den: RefTraces;
  /** Learning signal ℓ. */
  ell: number;
}

/** A fresh single-sample learner state. */
export function refBaselineInitialState(net: Network): RefBaselineState {
  return { traces: zeroTraces(net), num: zeroTraces(net), den: zeroTraces(net), ell: 0 };
}

/**
 * One example of the single-sample baseline rule (SPEC 2.2) on the reference path. Hidden spikes come
 * from `source` (compartment 0). Returns the new network, the state and the learning signal per step.
 */
export function refBaselineExample(
  net0: Network,
  ex: Example,
  opts: BaselineOptions,
  source: SpikeSource,
  state?: RefBaselineState,
): { net: Network; state: RefBaselineState; learningSignal: number[]; record: RefCompartmentRecord } {
  const net = cloneNetwork(net0);
  const { eta, kappa, beta, gamma, r } = opts;
  const { N, L, nH, nO, nIn } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const fresh = refBaselineInitialState(net);
  const st: RefBaselineState = !state
    ? fresh
    : {
        traces: opts.resetTracesPerExample ? fresh.traces : { eW: state.traces.eW.slice(), eF: state.traces.eF.slice(), eb: state.traces.eb.slice() },
        num: { eW: state.num.eW.slice(), eF: state.num.eF.slice(), eb: state.num.eb.slice() },
        den: { eW: state.den.eW.slice(), eF: state.den.eF.slice(), eb: state.den.eb.slice() },
        ell: opts.resetTracesPerExample ? 0 : state.ell,
      };
  const rec: RefCompartmentRecord = { spikes: new Uint8Array(ex.T * N), potentials: new Float64Array(ex.T * L), logPOutputs: 0, logPHidden: 0 };
  const g = new Float64Array(L);
  const learningSignal: number[] = [];
  const e = st.traces;
  for (let t = 0; t < ex.T; t++) {
    refStep(net, ex, true, source, 0, t, rec.spikes, rec.potentials);
    refUpdateTraces(net, e, rec.spikes, rec.potentials, t, kappa, g);
    let ellTmp = 0;
    for (let o = 0; o < nO; o++) {
      const lp = logBernoulli(ex.target[t * nO + o], rec.potentials[t * L + nH + o]);
      ellTmp += lp;
      rec.logPOutputs += lp;
    }
    for (let h = 0; h < nH; h++) {
      const u = rec.potentials[t * L + h];
      const s = rec.spikes[t * N + nIn + h];
      rec.logPHidden += logBernoulli(s, u);
      // log(σ(u)/r) and log((1−σ(u))/(1−r)) through the stable log-probabilities
      ellTmp -= gamma * (s ? logBernoulli(1, u) - Math.log(r) : logBernoulli(0, u) - Math.log(1 - r));
    }
    st.ell = kappa * st.ell + (1 - kappa) * ellTmp;
    learningSignal.push(st.ell);
    const update = (theta: Float64Array, el: Float64Array, num: Float64Array, den: Float64Array, i: number, hidden: boolean) => {
      if (!hidden) {
        theta[i] += eta * el[i];
        return;
      }
      const e2 = el[i] * el[i];
      num[i] = beta * num[i] + (1 - beta) * e2 * st.ell;
      den[i] = beta * den[i] + (1 - beta) * e2;
      const base = num[i] / (den[i] + 1e-7);
      theta[i] += eta * (st.ell - base) * el[i];
    };
    for (let l = 0; l < L; l++) {
      const hidden = l < nH;
      for (let j = 0; j < N; j++) {
        if (!net.topology.mask[l * N + j]) continue;
        for (let m = 0; m < Ka; m++) update(net.W, e.eW, st.num.eW, st.den.eW, (l * N + j) * Ka + m, hidden);
      }
      if (net.topology.feedback[l]) for (let m = 0; m < Kb; m++) update(net.F, e.eF, st.num.eF, st.den.eF, l * Kb + m, hidden);
      update(net.b, e.eb, st.num.eb, st.den.eb, l, hidden);
    }
  }
  return { net, state: st, learningSignal, record: rec };
}
