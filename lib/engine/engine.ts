/**
 * The fast step-level engine: K compartments of one network, state in preallocated typed arrays,
 * nothing allocated per time step. One call of `engineStep` advances every compartment by one step:
 * traces of the learnable neurons from each compartment's own spike history, potentials, spikes
 * (sampled, injected, or clamped outputs), the per-neuron learning signals g = s − σ(u) and the step's
 * log-probabilities. The input part of the potentials (identical in every compartment) is NOT computed
 * here: the caller writes it into `engine.drive` before each step (see input-traces.ts), which is how
 * the learners plug in either a direct sum, a precomputed table, or the factorised form of the GEM rule.
 *
 * Compartments keep their recent spikes in a SpikeRing and build their traces with spike-ring.ts, like
 * every other fast path. Random draws are consumed exactly as in reference.ts: per compartment k, per step, one `rngs[k].next()`
 * per sampled neuron in learnable order (hidden, then outputs when free); spike iff draw < σ(u).
 * Compartments never share mutable state during a step, so the order in which they are stepped does
 * not change the result (`reverse` in StepIO exists to test this).
 */
import { logBernoulli, sigmoid } from '../util/math';
import { Network } from '../model/network';
import { Rng } from '../util/rng';
import { addTraces, clearSpikeRing, createSpikeRing, pushSpikes, SpikeRing } from './spike-ring';

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
  /** Float64Array [K][L][Ka]: synaptic traces of the learnable neurons at the current step. */
  trL: Float64Array;
  /** Float64Array [K][L][Kb]: feedback traces at the current step. */
  fbL: Float64Array;
  /** Int32Array [K][L] and [K]: learnable neurons with a non-zero trace window, per compartment. */
  actL: Int32Array;
  actCount: Int32Array;
  /** Float64Array [L]: input part of the potentials for the next step (written by the caller). */
  drive: Float64Array;
  /** Float64Array [K][L]: potentials of the current step (nats, logit of the firing probability). */
  u: Float64Array;
  /** Uint8Array [K][L]: spikes of the current step. */
  s: Uint8Array;
  /** Float64Array [K][L]: g = s − σ(u) of the current step. */
  g: Float64Array;
  /** Float64Array [K]: Σ_o log p(target[o,t] | u) of the current step (0 when no target is given). */
  ell: Float64Array;
  /** Float64Array [K]: Σ_h log p(h[t] | u) of the current step. */
  lph: Float64Array;
  /** Uint8Array [L] scratch (kept zeroed). */
  seen: Uint8Array;
  /**
   * Float64Array [L][Ka][L]: the recurrent weights transposed, WT[(j*Ka + m)*L + l] = M[l, nIn+j]·W[l, nIn+j, m],
   * rebuilt at every step so each compartment's recurrent potentials are contiguous sweeps over l.
   */
  WT: Float64Array;
}

/** What one step reads besides the network: targets, spike sources, and the stepping order. */
export interface StepIO {
  /** Uint8Array [T][nO] desired outputs, or null. Scored into `ell` when given; clamped when `clamp`. */
  target: Uint8Array | null;
  /** Clamp the outputs to `target` (training, likelihood) instead of sampling them (inference). */
  clamp: boolean;
  /** One random stream per compartment (needed for every neuron that is sampled). */
  rngs: Rng[] | null;
  /** Testing hook: per compartment a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden: ArrayLike<number>[] | null;
  /** Step the compartments in reverse order (testing hook; results are the same). */
  reverse: boolean;
}

/** A StepIO with nothing set (outputs free, no streams). */
export function createStepIO(): StepIO {
  return { target: null, clamp: false, rngs: null, injectHidden: null, reverse: false };
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
    trL: new Float64Array(K * L * Ka),
    fbL: new Float64Array(K * L * Kb),
    actL: new Int32Array(K * L),
    actCount: new Int32Array(K),
    drive: new Float64Array(L),
    u: new Float64Array(K * L),
    s: new Uint8Array(K * L),
    g: new Float64Array(K * L),
    ell: new Float64Array(K),
    lph: new Float64Array(K),
    seen: new Uint8Array(L),
    WT: new Float64Array(L * Ka * L),
  };
}

/** Clears every compartment's spike history (start of an example: spikes before it count as 0). */
export function resetEngine(e: Engine): void {
  e.t = 0;
  clearSpikeRing(e.ring);
  e.drive.fill(0);
}

/** Rebuilds compartment k's learnable traces (trL, fbL) and its active list for step e.t from its ring. */
function tracesOf(e: Engine, k: number): void {
  const { L, Ka, Kb, tauA, t, trL, fbL, actL, seen, ring } = e;
  const trBase = k * L * Ka;
  const fbBase = k * L * Kb;
  trL.fill(0, trBase, trBase + L * Ka);
  fbL.fill(0, fbBase, fbBase + L * Kb);
  addTraces(e.net, ring, k, t, trL, trBase, fbL, fbBase, 1);
  // neurons with a non-zero synaptic trace, in order of first appearance (lag 1 first, ascending)
  const { tauMax, spk, spkN } = ring;
  let n = 0;
  const actBase = k * L;
  for (let d = 1; d <= tauA && t - d >= 0; d++) {
    const slot = k * tauMax + ((t - d) % tauMax);
    for (let q = 0; q < spkN[slot]; q++) {
      const j = spk[slot * L + q];
      if (!seen[j]) {
        seen[j] = 1;
        actL[actBase + n++] = j;
      }
    }
  }
  for (let a = 0; a < n; a++) seen[actL[actBase + a]] = 0;
  e.actCount[k] = n;
}

/**
 * One compartment's spikes at step t from its potentials u[k·L + l] (learnable order): hidden neurons
 * from the injected row `inj` [T][nH] or one draw of `rng` each (spike iff draw < σ(u)); outputs set to
 * `target` [T][nO] when `clamp`, else one draw each. Writes s and g = s − σ(u) for the compartment,
 * ell[k] = Σ_o log p(target | u) (0 without a target) and lph[k] = Σ_h log p(h | u) in nats, and the
 * record row when `rec` is given. Shared by the engine and the GEM learner, so both draw identically.
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
 * Advances all K compartments by one step (step index e.t). Reads `e.drive` (input part of the
 * potentials, [L]) and the network's current W, F, b; writes u, s, g, ell, lph (this step) and leaves
 * trL / fbL holding the traces that made the potentials (what the learning rules need); then pushes
 * the spikes into the history and increments e.t. When `rec` is given, row e.t of every compartment's
 * spikes and potentials is copied into it.
 */
export function engineStep(e: Engine, io: StepIO, rec?: EngineRecord): void {
  const { K, L, nH, nIn, N, Ka, Kb, t, trL, fbL, actL, actCount, drive, u, s, g, ell, lph } = e;
  const net = e.net;
  const W = net.W;
  const F = net.F;
  const b = net.b;
  const fbMask = net.topology.feedback;
  const target = io.target;
  const inject = io.injectHidden;
  const rngs = io.rngs;
  // recurrent weights of this step, transposed once for all compartments
  const WT = e.WT;
  const { recPre, recStart } = e;
  WT.fill(0);
  for (let l = 0; l < L; l++) {
    const rowW = (l * N + nIn) * Ka;
    for (let p = recStart[l]; p < recStart[l + 1]; p++) {
      const j = recPre[p];
      for (let m = 0; m < Ka; m++) WT[(j * Ka + m) * L + l] = W[rowW + j * Ka + m];
    }
  }
  for (let kk = 0; kk < K; kk++) {
    const k = io.reverse ? K - 1 - kk : kk;
    tracesOf(e, k);
    const trBase = k * L * Ka;
    const fbBase = k * L * Kb;
    const actBase = k * L;
    const na = actCount[k];
    const kL = k * L;
    for (let l = 0; l < L; l++) {
      let x = drive[l] + b[l];
      if (fbMask[l]) for (let m = 0; m < Kb; m++) x += F[l * Kb + m] * fbL[fbBase + l * Kb + m];
      u[kL + l] = x;
    }
    for (let a = 0; a < na; a++) {
      const j = actL[actBase + a];
      for (let m = 0; m < Ka; m++) {
        const tv = trL[trBase + j * Ka + m];
        if (tv === 0) continue;
        const wb = (j * Ka + m) * L;
        for (let l = 0; l < L; l++) u[kL + l] += WT[wb + l] * tv;
      }
    }
    sampleCompartment(k, t, L, nH, u, s, g, ell, lph, rngs ? rngs[k] : null, inject ? inject[k] : null, target, io.clamp, rec);
  }
  for (let k = 0; k < K; k++) pushSpikes(e.ring, k, t, s, k * L);
  e.t = t + 1;
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

/**
 * Direct input part of the potentials from the current W and shared input traces:
 * `drive[l] = Σ_{j ∈ active, M[l,j]=1} Σ_m W[l,j,m] tr[j,m]` for rows with `rows[l] = 1`; other rows untouched.
 * tr: Float64Array [nIn][Ka] (see inputTracesAt), active: its non-zero inputs (first `na`).
 */
export function directInputDrive(e: Engine, rows: Uint8Array, tr: Float64Array, active: Int32Array, na: number): void {
  const { L, N, Ka, inputMode } = e;
  const W = e.net.W;
  const mask = e.net.topology.mask;
  for (let l = 0; l < L; l++) {
    if (!rows[l]) continue;
    let x = 0;
    const all = inputMode[l] === 1;
    for (let a = 0; a < na; a++) {
      const j = active[a];
      if (!all && !mask[l * N + j]) continue;
      const wb = (l * N + j) * Ka;
      const tb = j * Ka;
      for (let m = 0; m < Ka; m++) x += W[wb + m] * tr[tb + m];
    }
    e.drive[l] = x;
  }
}
