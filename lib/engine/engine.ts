/**
 * Per-compartment state of the fast learners: shape constants, connectivity lists, each compartment's
 * recent spikes (a SpikeRing, see spike-ring.ts), the spikes and log-probabilities of the current step, and `sampleCompartment`, the one sampling step of training.
 * The potentials themselves are computed by the row pass of the learners (learn/gem-rows.ts) and, with
 * fixed weights, by the forward kernel (forward.ts).
 *
 * Random draws are consumed exactly as in reference.ts: per compartment k, per step, one `rngs[k].next()`
 * per sampled neuron in learnable order (hidden, then outputs when free); spike iff draw < σ(u).
 */
import { logBernoulli, sigmoid } from '../util/math';
import { Network } from '../model/network';
import { Rng } from '../util/rng';
import { clearSpikeRing, createSpikeRing, SpikeRing } from './spike-ring';

/** The engine: shape constants, connectivity lists and per-compartment state. */
export interface Engine {
  /** The network whose parameters (W, F, b) are read at every step (never written by the engine). */
  readonly net: Network;
  /** Number of compartments. */
  readonly K: number;
  readonly nIn: number;
  readonly nH: number;
  readonly nO: number;
  /** Learnable neurons nH + nO. */
  readonly L: number;
  /** All neurons nIn + L. */
  readonly N: number;
  /** Synaptic basis size Ka and memory τa (steps); feedback basis Kb, τb; ring length max(τa, τb). */
  readonly Ka: number;
  readonly tauA: number;
  readonly Kb: number;
  readonly tauB: number;
  readonly tauMax: number;
  /** Row l's learnable presynaptic neurons (learnable indices): recPre[recStart[l] .. recStart[l+1]). */
  readonly recPre: Int32Array;
  readonly recStart: Int32Array;
  /** Per row: 0 = hears no input, 1 = hears every input, 2 = hears some inputs (mixed mask row). */
  readonly inputMode: Uint8Array;
  /** Row l's input presynaptic neurons: inPre[inStart[l] .. inStart[l+1]). */
  readonly inPre: Int32Array;
  readonly inStart: Int32Array;
  /** Steps taken since the last reset (the index t of the next step). */
  t: number;
  /** Each compartment's learnable spikes of the last τmax steps. */
  ring: SpikeRing;
  /** Uint8Array [K][L]: spikes of the current step. */
  s: Uint8Array;
  /** Float64Array [K]: Σ_o log p(target[o,t] | u) of the current step (0 when no target is given). */
  ell: Float64Array;
  /** Float64Array [K]: Σ_h log p(h[t] | u) of the current step. */
  lph: Float64Array;
}

/** Per-step record of every compartment over an example. */
export interface EngineRecord {
  T: number;
  /** Uint8Array [K][T][L]: learnable spikes. */
  spikes: Uint8Array;
  /** Float64Array [K][T][L]: potentials. */
  potentials: Float64Array;
}

/** A zeroed record for K compartments × T steps × L learnable neurons. */
export function createEngineRecord(e: Engine, T: number): EngineRecord {
  return { T, spikes: new Uint8Array(e.K * T * e.L), potentials: new Float64Array(e.K * T * e.L) };
}

/** Presynaptic lists of every learnable neuron, in ascending order, read from the mask. */
export interface ConnectivityLists {
  /** Learnable presynaptic neurons (0..L−1) of row l: recPre[recStart[l] .. recStart[l+1]). */
  recPre: Int32Array;
  recStart: Int32Array;
  /** Input presynaptic neurons of row l: inPre[inStart[l] .. inStart[l+1]). */
  inPre: Int32Array;
  inStart: Int32Array;
  /** Per row: 0 hears no input, 1 hears every input, 2 hears some inputs. */
  inputMode: Uint8Array;
}

/** Builds the presynaptic lists of `net`'s mask (shared by the engine and the inference session). */
export function connectivityLists(net: Network): ConnectivityLists {
  const { nIn, L, N } = net;
  const mask = net.topology.mask;
  const recList: number[] = [];
  const recStart = new Int32Array(L + 1);
  const inList: number[] = [];
  const inStart = new Int32Array(L + 1);
  const inputMode = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    recStart[l] = recList.length;
    for (let j = 0; j < L; j++) if (mask[l * N + nIn + j]) recList.push(j);
    inStart[l] = inList.length;
    let n = 0;
    for (let j = 0; j < nIn; j++) if (mask[l * N + j]) {
      inList.push(j);
      n++;
    }
    inputMode[l] = n === 0 ? 0 : n === nIn ? 1 : 2;
  }
  recStart[L] = recList.length;
  inStart[L] = inList.length;
  return { recPre: Int32Array.from(recList), recStart, inPre: Int32Array.from(inList), inStart, inputMode };
}

/** Allocates an engine for K ≥ 1 compartments of `net` (shape and mask are read now; W, F, b at every step). */
export function createEngine(net: Network, K: number): Engine {
  const { nIn, nH, nO, L, N } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const tauA = net.synaptic.tau;
  const tauB = net.feedbackBasis.tau;
  const tauMax = Math.max(tauA, tauB);
  const { recPre, recStart, inPre, inStart, inputMode } = connectivityLists(net);
  return {
    net,
    K,
    nIn,
    nH,
    nO,
    L,
    N,
    Ka,
    tauA,
    Kb,
    tauB,
    tauMax,
    recPre,
    recStart,
    inputMode,
    inPre,
    inStart,
    t: 0,
    ring: createSpikeRing(net, K),
    s: new Uint8Array(K * L),
    ell: new Float64Array(K),
    lph: new Float64Array(K),
  };
}

/** Clears every compartment's spike history (start of an example: spikes before it count as 0). */
export function resetEngine(e: Engine): void {
  e.t = 0;
  clearSpikeRing(e.ring);
}

/**
 * One compartment's spikes at step t from its potentials u[k·L + l] (learnable order): hidden neurons
 * from the injected row `inj` [T][nH] or one draw of `rng` each (spike iff draw < σ(u)); outputs set to
 * `target` [T][nO] when `clamp`, else one draw each. Writes s and g = s − σ(u) for the compartment,
 * ell[k] = Σ_o log p(target | u) (0 without a target) and lph[k] = Σ_h log p(h | u) in nats, and the
 * record row when `rec` is given. Used by both learners (GEM-SNN and single-sample).
 */
export function sampleCompartment(
  k: number,
  t: number,
  L: number,
  nH: number,
  u: Float64Array,
  s: Uint8Array,
  g: Float64Array,
  ell: Float64Array,
  lph: Float64Array,
  rng: Rng | null,
  inj: ArrayLike<number> | null,
  target: ArrayLike<number> | null,
  clamp: boolean,
  rec?: EngineRecord,
): void {
  const kL = k * L;
  const nO = L - nH;
  const tOff = t * nO;
  let lo = 0;
  let lh = 0;
  for (let l = 0; l < L; l++) {
    const x = u[kL + l];
    const p = sigmoid(x);
    let sp: number;
    if (l < nH) {
      if (inj) sp = inj[t * nH + l] ? 1 : 0;
      else {
        if (!rng) throw new Error(`engine: compartment ${k} needs a random stream to sample hidden neurons`);
        sp = rng.next() < p ? 1 : 0;
      }
      lh += logBernoulli(sp, x);
    } else {
      if (clamp) sp = target![tOff + l - nH];
      else {
        if (!rng) throw new Error(`engine: compartment ${k} needs a random stream to sample outputs`);
        sp = rng.next() < p ? 1 : 0;
      }
      if (target) lo += logBernoulli(target[tOff + l - nH], x);
    }
    s[kL + l] = sp;
    g[kL + l] = sp - p;
  }
  ell[k] = lo;
  lph[k] = lh;
  if (rec) {
    const rb = (k * rec.T + t) * L;
    for (let l = 0; l < L; l++) {
      rec.spikes[rb + l] = s[kL + l];
      rec.potentials[rb + l] = u[kL + l];
    }
  }
}

/**
 * Effective recurrent kernels V[(j·τa + δ−1)·stride + l] = Σ_m W[l, nIn + j, m]·A[m][δ] of the current
 * weights (learnable presynaptic j, lag δ = 1..τa, learnable l; entries of absent synapses 0): one
 * spike of j at t − δ adds that entry to u[l, t]. `V` has length L·τa·stride (stride ≥ L). Cost L²·Ka·τa.
 */
export function recurrentKernels(net: Network, recStart: Int32Array, recPre: Int32Array, V: Float64Array, stride: number): void {
  const { L, N, nIn } = net;
  const Ka = net.synaptic.K;
  const tauA = net.synaptic.tau;
  const W = net.W;
  const A = net.synaptic.table;
  V.fill(0);
  for (let l = 0; l < L; l++) {
    for (let p = recStart[l]; p < recStart[l + 1]; p++) {
      const j = recPre[p];
      const wb = (l * N + nIn + j) * Ka;
      for (let d = 1; d <= tauA; d++) {
        let x = 0;
        for (let m = 0; m < Ka; m++) x += W[wb + m] * A[m * tauA + d - 1];
        V[(j * tauA + d - 1) * stride + l] = x;
      }
    }
  }
}
