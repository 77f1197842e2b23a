/**
 * The forward kernel: K-compartment simulation of one network with its weights held fixed, the one
 * fast computation of membrane potentials outside training (inference sessions and `simulate` both run
 * on it; the learners compute theirs inside the row pass of gem-rows.ts, the reference path its own).
 * Tables that depend only on W are built once (`refreshForward`): the transposed input weights, so an
 * example's input drive costs input spikes × L × Ka, and the effective recurrent kernels
 * V[j][δ][l] = Σ_m W[l,nIn+j,m]·A[m][δ], so each past spike of a compartment adds one contiguous row
 * (stored in blocks of eight neurons; a spike is added only to the blocks whose neurons hear it).
 * Per example the input drive plus bias is computed once for all compartments (`prepareForward`);
 * then each compartment runs through the whole example on its own (`runCompartment`).
 *
 * Every potential is summed in one order: input drive + bias, feedback filters, then past spikes by lag
 * δ = 1..τa and ascending neuron. Random draws: per step one per sampled neuron, hidden neurons then
 * free outputs, ascending; spike iff draw < σ(u).
 */
import { createInputSpikes, indexInputSpikes, inputDriveTransposed, InputSpikes, transposeInputWeights } from './input-traces';
import { addTraces, clearSpikeRing, createSpikeRing, SpikeRing } from './spike-ring';
import { connectivityLists, recurrentKernels } from './engine';
import { logBernoulli, sigmoid } from '../util/math';
import { Network } from '../model/network';

/** Tables and per-example buffers of the forward kernel for one network. */
export interface ForwardKernel {
  readonly net: Network;
  /** Rows that hear some input / every input (mask not consulted for the latter). */
  rows: Uint8Array;
  all: Uint8Array;
  recPre: Int32Array;
  recStart: Int32Array;
  /** Float64Array [nIn][L][Ka]: input weights transposed (transposeInputWeights). */
  WinT: Float64Array;
  /** L padded to Lp, a multiple of 8, so the recurrent sums run eight neurons at a time. */
  Lp: number;
  /** Float64Array [L][τa][Lp]: potential added to neuron l, δ steps after learnable neuron j spiked. */
  V: Float64Array;
  /**
   * V in column blocks of eight (nB = Lp / 8), block-major: Vb[((b·L + j)·τa + δ−1)·8 + i] = V[j][δ][8b + i],
   * so the rows one block reads stay together in cache.
   */
  nB: number;
  Vb: Float64Array;
  /**
   * Blocks grouped by the learnable neurons they hear (blocks hearing the same ones share one list of
   * spikes): blockClass[b] (−1: hears none), nC classes, hears[j·nC + c] = 1 when class c hears neuron j.
   * The rest of V is zero by the mask, so a block sums only the spikes it hears (in a feedforward
   * network: the outputs' block, from hidden spikes only).
   */
  blockClass: Int32Array;
  nC: number;
  hears: Uint8Array;
  /** Copy of the W the tables were built from. */
  Wbuilt: Float64Array;
  spikes: InputSpikes;
  /** Steps the per-example buffers hold; Z [T][L] input drive + bias, R scratch [T][L][Ka]. */
  cap: number;
  Z: Float64Array;
  R: Float64Array;
  /** What Z was last prepared from: the input [T][nIn], b [L] and T (0 = nothing; reset by refreshForward). */
  prepInput: Uint8Array;
  prepB: Float64Array;
  prepT: number;
  /** One compartment's recent spikes (compartments run one after the other). */
  ring: SpikeRing;
  /** Int32Array [nC][τa·L]: per class of blocks, offsets (j·τa + δ−1)·8 of one step's past spikes it hears; counts offN [nC]. */
  off: Int32Array;
  offN: Int32Array;
  /** Float64Array [Lp]: potentials of the current step. */
  u: Float64Array;
  /** Float64Array [L][Kb]: feedback traces of the current step. */
  fb: Float64Array;
  /** Results of the last runCompartment: Σ_t Σ_o log p(target | u) and Σ_t Σ_h log p(h | u), nats. */
  logPOutputs: number;
  logPHidden: number;
}

/** Where one compartment's spikes come from and what is recorded (see runCompartment). */
export interface CompartmentRun {
  /** Compartment index (record row). */
  k: number;
  /** The compartment's random stream (null only if nothing is sampled). */
  next: (() => number) | null;
  /** Injected hidden spikes [T][nH] (testing hook) or null to sample them. */
  inj: ArrayLike<number> | null;
  /** Outputs set to `target` (true) or sampled (false). */
  clamp: boolean;
  /** Target [T][nO]: scored into logPOutputs when given. */
  target: ArrayLike<number> | null;
  /** Output spike counts added to counts[countsBase + o], or null. */
  counts: Int32Array | null;
  countsBase: number;
  /** Whether logPHidden is computed (one log-probability per hidden neuron per step). */
  hiddenLogProb: boolean;
  /** Record [K][T][L] of spikes and potentials, or null. */
  spikesRec: Uint8Array | null;
  potentialsRec: Float64Array | null;
  /** Optional snapshots of the running counts (inferCountsAt), or undefined. */
  snap?: SnapShots;
}

/** Where the running counts are copied: after step steps[p], into out[p·stride + countsBase ..). */
export interface SnapShots {
  steps: readonly number[];
  p: number;
  stride: number;
  out: Int32Array;
}

/** Groups the column blocks of eight rows by the learnable neurons they hear (see ForwardKernel.blockClass). */
function blockClasses(L: number, nB: number, recStart: Int32Array, recPre: Int32Array): { blockClass: Int32Array; nC: number; hears: Uint8Array } {
  const heard = new Uint8Array(nB * L);
  for (let l = 0; l < L; l++) for (let p = recStart[l]; p < recStart[l + 1]; p++) heard[(l >> 3) * L + recPre[p]] = 1;
  const blockClass = new Int32Array(nB).fill(-1);
  const reps: number[] = [];
  for (let b = 0; b < nB; b++) {
    const col = heard.subarray(b * L, (b + 1) * L);
    if (!col.includes(1)) continue;
    const c = reps.findIndex((r) => heard.subarray(r * L, (r + 1) * L).every((v, j) => v === col[j]));
    if (c >= 0) blockClass[b] = c;
    else {
      blockClass[b] = reps.length;
      reps.push(b);
    }
  }
  const nC = reps.length;
  const hears = new Uint8Array(L * nC);
  reps.forEach((r, c) => {
    for (let j = 0; j < L; j++) hears[j * nC + c] = heard[r * L + j];
  });
  return { blockClass, nC, hears };
}

/** Allocates the kernel of `net` and builds its tables from the current W. */
export function createForwardKernel(net: Network): ForwardKernel {
  const { nIn, L } = net;
  const Ka = net.synaptic.K;
  const { recPre, recStart, inputMode } = connectivityLists(net);
  const rows = new Uint8Array(L);
  const all = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    rows[l] = inputMode[l] === 0 ? 0 : 1;
    all[l] = inputMode[l] === 1 ? 1 : 0;
  }
  const Lp = Math.ceil(L / 8) * 8;
  const nB = Lp / 8;
  const { blockClass, nC, hears } = blockClasses(L, nB, recStart, recPre);
  const fk: ForwardKernel = {
    net,
    rows,
    all,
    recPre,
    recStart,
    WinT: new Float64Array(nIn * L * Ka),
    Lp,
    V: new Float64Array(L * net.synaptic.tau * Lp),
    nB,
    Vb: new Float64Array(L * net.synaptic.tau * Lp),
    blockClass,
    nC,
    hears,
    Wbuilt: new Float64Array(0),
    spikes: createInputSpikes(),
    cap: 0,
    Z: new Float64Array(0),
    R: new Float64Array(0),
    prepInput: new Uint8Array(0),
    prepB: new Float64Array(L),
    prepT: 0,
    ring: createSpikeRing(net, 1),
    off: new Int32Array(nC * net.synaptic.tau * L),
    offN: new Int32Array(nC),
    u: new Float64Array(Lp),
    fb: new Float64Array(L * net.feedbackBasis.K),
    logPOutputs: 0,
    logPHidden: 0,
  };
  refreshForward(fk);
  return fk;
}

/** Rebuilds the weight-derived tables from the network's current W (cost ≈ nIn·L·Ka + L²·Ka·τa). */
export function refreshForward(fk: ForwardKernel): void {
  const net = fk.net;
  const W = net.W;
  transposeInputWeights(net, W, fk.rows, fk.all, fk.WinT);
  recurrentKernels(net, fk.recStart, fk.recPre, fk.V, fk.Lp);
  const { Lp, nB, V, Vb } = fk;
  const L = net.L;
  const rowsJD = L * net.synaptic.tau;
  for (let b = 0; b < nB; b++) for (let r = 0; r < rowsJD; r++) for (let i = 0; i < 8; i++) Vb[(b * rowsJD + r) * 8 + i] = V[r * Lp + b * 8 + i];
  if (fk.Wbuilt.length !== W.length) fk.Wbuilt = new Float64Array(W.length);
  fk.Wbuilt.set(W);
  fk.prepT = 0;
}

const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

/** Rebuilds the tables only if W differs bitwise from the W they were built from; returns true when it did. */
export function refreshForwardIfChanged(fk: ForwardKernel): boolean {
  const W = fk.net.W;
  const same = fk.Wbuilt.length === W.length && bytes(W).equals(bytes(fk.Wbuilt));
  if (!same) refreshForward(fk);
  return !same;
}

/**
 * Input drive plus bias of every step of the example into fk.Z [T][L] (shared by all compartments).
 * Skipped when Z already holds this input (bytewise) with this b and the current tables: the free and
 * the clamped pass over one test example prepare it once.
 */
export function prepareForward(fk: ForwardKernel, input: Uint8Array, T: number): void {
  const net = fk.net;
  const L = net.L;
  const x = input.subarray(0, T * net.nIn);
  if (fk.prepT === T && bytes(x).equals(bytes(fk.prepInput)) && bytes(net.b).equals(bytes(fk.prepB))) return;
  if (fk.cap < T) {
    fk.cap = T;
    fk.Z = new Float64Array(T * L);
    fk.R = new Float64Array(T * L * net.synaptic.K);
  }
  if (fk.prepInput.length !== x.length) fk.prepInput = new Uint8Array(x.length);
  fk.prepInput.set(x);
  fk.prepB.set(net.b);
  fk.prepT = T;
  const sp = indexInputSpikes(input, T, net.nIn, fk.spikes);
  inputDriveTransposed(net, sp, fk.rows, fk.Z, fk.R, fk.WinT);
  const Z = fk.Z;
  const b = net.b;
  for (let t = 0; t < T; t++) for (let l = 0; l < L; l++) Z[t * L + l] += b[l];
}

/**
 * Runs one compartment through the prepared example (T steps): potentials, spikes as `run` says, output
 * counts and records. Sets fk.logPOutputs (0 without a target) and fk.logPHidden (0 unless asked).
 */
export function runCompartment(fk: ForwardKernel, T: number, run: CompartmentRun): void {
  const ring = fk.ring;
  clearSpikeRing(ring);
  fk.logPOutputs = 0;
  fk.logPHidden = 0;
  const snap = run.snap;
  if (snap) snap.p = 0;
  for (let t = 0; t < T; t++) {
    potentialsAt(fk, t);
    spikesAt(fk, t, T, run);
    if (snap && run.counts && snap.p < snap.steps.length && t + 1 === snap.steps[snap.p]) {
      snap.out.set(run.counts.subarray(run.countsBase, run.countsBase + fk.net.nO), snap.p * snap.stride + run.countsBase);
      snap.p++;
    }
  }
}

/** Potentials fk.u of step t: input drive + bias, feedback filters, past spikes (lag 1 first). */
function potentialsAt(fk: ForwardKernel, t: number): void {
  const net = fk.net;
  const L = net.L;
  const { Z, Vb, u, fb, off, offN, ring, nB, nC, hears, blockClass } = fk;
  const Kb = net.feedbackBasis.K;
  const tauA = net.synaptic.tau;
  const F = net.F;
  const fbMask = net.topology.feedback;
  // per class of blocks, the offsets of this step's past spikes it hears: lag 1 first, ascending neurons
  const { tauMax, spk, spkN } = ring;
  const cap = tauA * L;
  for (let c = 0; c < nC; c++) {
    let n = c * cap;
    for (let d = 1; d <= tauA && t - d >= 0; d++) {
      const slot = (t - d) % tauMax;
      const sb = slot * L;
      const cnt = spkN[slot];
      for (let q = 0; q < cnt; q++) {
        const j = spk[sb + q];
        if (hears[j * nC + c]) off[n++] = (j * tauA + d - 1) * 8;
      }
    }
    offN[c] = n - c * cap;
  }
  fb.fill(0);
  addTraces(net, ring, 0, t, null, 0, fb, 0, 1);
  const zb = t * L;
  for (let l = 0; l < L; l++) {
    let x = Z[zb + l];
    if (fbMask[l]) for (let m = 0; m < Kb; m++) x += F[l * Kb + m] * fb[l * Kb + m];
    u[l] = x;
  }
  // recurrent part: eight neurons at a time in registers (each sum keeps the order of the rows; the
  // spikes a block does not hear would add exact zeros)
  for (let b = 0; b < nB; b++) {
    const c = blockClass[b];
    if (c < 0) continue;
    const n = offN[c];
    if (n === 0) continue;
    const l = b * 8;
    const ob = c * cap;
    const vb = b * cap * 8;
    let x0 = u[l];
    let x1 = u[l + 1];
    let x2 = u[l + 2];
    let x3 = u[l + 3];
    let x4 = u[l + 4];
    let x5 = u[l + 5];
    let x6 = u[l + 6];
    let x7 = u[l + 7];
    for (let s = ob; s < ob + n; s++) {
      const o = off[s] + vb;
      x0 += Vb[o];
      x1 += Vb[o + 1];
      x2 += Vb[o + 2];
      x3 += Vb[o + 3];
      x4 += Vb[o + 4];
      x5 += Vb[o + 5];
      x6 += Vb[o + 6];
      x7 += Vb[o + 7];
    }
    u[l] = x0;
    u[l + 1] = x1;
    u[l + 2] = x2;
    u[l + 3] = x3;
    u[l + 4] = x4;
    u[l + 5] = x5;
    u[l + 6] = x6;
    u[l + 7] = x7;
  }
}

/** Spikes of step t from fk.u, in draw order (hidden then free outputs, ascending), into the ring. */
function spikesAt(fk: ForwardKernel, t: number, T: number, run: CompartmentRun): void {
  const net = fk.net;
  const { u, ring } = fk;
  const { L, nH, nO } = net;
  const { next, inj, clamp, target, counts, countsBase, hiddenLogProb, spikesRec, potentialsRec } = run;
  const hb = (t % ring.tauMax) * L;
  const spk = ring.spk;
  let c = 0;
  let lo = 0;
  let lh = 0;
  for (let j = 0; j < L; j++) {
    const x = u[j];
    let s: number;
    if (j < nH) {
      if (inj) s = inj[t * nH + j] ? 1 : 0;
      else s = needStream(next, run.k)() < sigmoid(x) ? 1 : 0;
      if (hiddenLogProb) lh += logBernoulli(s, x);
    } else {
      if (clamp) s = target![t * nO + j - nH];
      else s = needStream(next, run.k)() < sigmoid(x) ? 1 : 0;
      if (target) lo += logBernoulli(target[t * nO + j - nH], x);
      if (counts) counts[countsBase + j - nH] += s;
    }
    if (s) spk[hb + c++] = j;
  }
  ring.spkN[t % ring.tauMax] = c;
  fk.logPOutputs += lo;
  fk.logPHidden += lh;
  if (spikesRec && potentialsRec) {
    const rb = (run.k * T + t) * L;
    for (let j = 0; j < L; j++) potentialsRec[rb + j] = u[j];
    for (let q = 0; q < c; q++) spikesRec[rb + spk[hb + q]] = 1;
  }
}

function needStream(next: (() => number) | null, k: number): () => number {
  if (!next) throw new Error(`forward kernel: compartment ${k} needs a random stream to sample`);
  return next;
}
