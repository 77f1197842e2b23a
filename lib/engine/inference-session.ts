/**
 * Inference sessions: multi-sample inference (SPEC 3) over many examples with the weights held fixed,
 * e.g. a whole test set. Everything that depends only on the network is built once per session:
 * the transposed input weights (the input drive of an example then costs input spikes × L × Ka) and
 * the effective recurrent kernels V[j][δ][l] = Σ_m W[l,nIn+j,m]·A[m][δ] (each past spike of a
 * compartment adds one contiguous row). Per example, the input part of the potentials is computed
 * once for all compartments; then each compartment runs through the whole example on its own
 * (compartments are independent), from the sparse list of its own recent spikes.
 *
 * Results are bit-identical to `simulate` (inference.ts) with the same streams: every potential is
 * summed in the same order (input drive + bias, feedback filters, then past spikes by lag δ = 1..τa
 * and ascending neuron), and random draws are consumed in the same order (per step, hidden neurons
 * then free outputs, ascending).
 */
import { transposeInputWeights, createInputSpikes, indexInputSpikes, inputDriveTransposed, InputSpikes } from './input-traces';
import { connectivityLists, recurrentKernels } from './engine';
import { checkExample, Example } from '../model/training-example';
import { checkSeed } from '../util/validate';
import { logBernoulli, sigmoid } from '../util/math';
import { Network } from '../model/network';
import { makeRng } from '../util/rng';
import { checkBinary, checkInt, checkLength, fail } from '../util/validate';

/**
 * A session bound to one network. Valid while the network's weights W are unchanged: after changing
 * W (training), call `refresh()` or create a new session. The bias b and feedback filters F are
 * read at every call. Not re-entrant (one call at a time; buffers are reused across calls).
 */
export interface InferenceSession {
  readonly net: Network;
  /**
   * Output spike counts of K_I compartments with outputs FREE (sampled): Int32Array [KI][nO].
   * Compartment k uses stream `<seed>/infer/<exampleIndex>/<k>`; identical to `inferCounts`.
   */
  inferCounts(ex: Example, KI: number, seed: string | number, exampleIndex: number): Int32Array;
  /**
   * The same run as `inferCounts` (same streams, same draws), with the output counts also read after
   * the first `steps[p]` steps: Int32Array [P][KI][nO], entry p holding the counts over steps 0..steps[p)
   * (a decision made at time steps[p]; the network is causal, so this equals a run of steps[p] steps).
   * `steps` strictly increasing integers in 1..T; the last entry equal to T gives `inferCounts`.
   */
  inferCountsAt(ex: Example, KI: number, seed: string | number, exampleIndex: number, steps: readonly number[]): Int32Array;
  /**
   * Σ_t Σ_o log p(target[o,t] | u[k,o,t]) per compartment with outputs CLAMPED to ex.target, hidden
   * neurons sampled from `<seed>/loglik/<exampleIndex>/<k>`: Float64Array [KI], nats; identical to
   * `logLikelihoodPerCompartment`.
   */
  logLikelihoodPerCompartment(ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array;
  /** Rebuilds the weight-derived tables from the network's current W (cost ≈ nIn × L × Ka + L² × Ka × τa). */
  refresh(): void;
  /**
   * Rebuilds the tables only if W differs (bitwise) from the W of the last build; cost one pass over W.
   * Returns true when it rebuilt.
   */
  refreshIfChanged(): boolean;
}

/** Where `inferCountsAt` copies the running counts: after step steps[p], into out[p*stride + ...]. */
interface SnapShots {
  steps: readonly number[];
  p: number;
  stride: number;
  out: Int32Array;
}

/**
 * Creates an inference session for `net` and builds its tables from the current W. Memory:
 * nIn × L × Ka + L² × τa doubles plus a copy of W, and per-example buffers grown to the longest example.
 */
export function createInferenceSession(net: Network): InferenceSession {
  const { nIn, nH, nO, L, N } = net;
  const Ka = net.synaptic.K;
  const tauA = net.synaptic.tau;
  const Kb = net.feedbackBasis.K;
  const tauB = net.feedbackBasis.tau;
  const tauMax = Math.max(tauA, tauB);
  const fbMask = net.topology.feedback;
  // rows that hear some input (`rows`) and rows that hear every input (`all`, mask not consulted)
  const { recPre, recStart, inputMode } = connectivityLists(net);
  const rows = new Uint8Array(L);
  const all = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    rows[l] = inputMode[l] === 0 ? 0 : 1;
    all[l] = inputMode[l] === 1 ? 1 : 0;
  }
  const WinT = new Float64Array(nIn * L * Ka);
  // rows of V padded to a multiple of 8 (zeros) so the recurrent sums run eight neurons at a time
  const Lp = Math.ceil(L / 8) * 8;
  /** V[(j*τa + δ−1)*Lp + l]: potential added to neuron l, δ steps after learnable neuron j spiked. */
  const V = new Float64Array(L * tauA * Lp);
  let Wbuilt = new Float64Array(0);

  // per-example buffers (grown to the longest example)
  const spikes: InputSpikes = createInputSpikes();
  let cap = 0;
  let Z = new Float64Array(0);
  let R = new Float64Array(0);
  // per-compartment state: ring of each step's spiking learnable neurons (ascending) [τmax][L] and counts
  const spk = new Int32Array(tauMax * L);
  const spkN = new Int32Array(tauMax);
  const off = new Int32Array(tauA * L);
  const u = new Float64Array(Lp);
  const fb = new Float64Array(L * Kb);

  function refresh(): void {
    const W = net.W;
    transposeInputWeights(net, W, rows, all, WinT);
    recurrentKernels(net, recStart, recPre, V, Lp);
    if (Wbuilt.length !== W.length) Wbuilt = new Float64Array(W.length);
    Wbuilt.set(W);
  }

  const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

  function refreshIfChanged(): boolean {
    // bitwise comparison (native memcmp; NaN and signed zeros included)
    const same = Wbuilt.length === net.W.length && bytes(net.W).equals(bytes(Wbuilt));
    if (!same) refresh();
    return !same;
  }

  function checkInput(where: string, ex: Example, KI: number, seed: string | number, exampleIndex: number, needTarget: boolean): void {
    checkInt(where, 'KI', KI, 1, 100000);
    checkSeed(where, seed);
    checkInt(where, 'exampleIndex', exampleIndex, 0);
    if (needTarget || (ex && ex.target !== undefined)) {
      checkExample(ex, nIn, nO, where);
      return;
    }
    if (!ex || typeof ex !== 'object') fail(where, 'example', ex, 'an object { T, input }');
    checkInt(where, 'T', ex.T, 1);
    checkLength(where, 'input', ex.input, ex.T * nIn, `[T=${ex.T}][nIn=${nIn}]`);
    checkBinary(where, 'input', ex.input);
  }

  /** Input drive plus bias of every step into Z [T][L] (shared by all compartments). */
  function prepare(ex: Example): void {
    const T = ex.T;
    if (cap < T) {
      cap = T;
      Z = new Float64Array(T * L);
      R = new Float64Array(T * L * Ka);
    }
    const sp = indexInputSpikes(ex.input, T, nIn, spikes);
    inputDriveTransposed(net, sp, rows, Z, R, WinT);
    const b = net.b;
    for (let t = 0; t < T; t++) for (let l = 0; l < L; l++) Z[t * L + l] += b[l];
  }

  /**
   * Runs one compartment through the prepared example. clamp: outputs set to `target` and
   * Σ_t Σ_o log p(target | u) returned; otherwise outputs sampled and their spikes added to
   * counts[cb .. cb+nO) (and 0 returned). `next` draws the compartment's stream.
   */
  function runCompartment(T: number, next: () => number, clamp: boolean, target: Uint8Array | null, counts: Int32Array | null, cb: number, snap?: SnapShots): number {
    const F = net.F;
    const Bt = net.feedbackBasis.table;
    spkN.fill(0);
    let total = 0;
    for (let t = 0; t < T; t++) {
      // offsets of the V rows of this step's past spikes: lag 1 first, ascending neurons
      let n = 0;
      for (let d = 1; d <= tauA && t - d >= 0; d++) {
        const slot = (t - d) % tauMax;
        const sb = slot * L;
        const c = spkN[slot];
        for (let q = 0; q < c; q++) off[n++] = (spk[sb + q] * tauA + d - 1) * Lp;
      }
      // feedback traces from the neuron's own past spikes, lag 1 first (as the engine sums them)
      fb.fill(0);
      for (let d = 1; d <= tauB && t - d >= 0; d++) {
        const slot = (t - d) % tauMax;
        const sb = slot * L;
        const c = spkN[slot];
        for (let q = 0; q < c; q++) {
          const j = spk[sb + q];
          if (!fbMask[j]) continue;
          for (let m = 0; m < Kb; m++) fb[j * Kb + m] += Bt[m * tauB + d - 1];
        }
      }
      const zb = t * L;
      for (let l = 0; l < L; l++) {
        let x = Z[zb + l];
        if (fbMask[l]) for (let m = 0; m < Kb; m++) x += F[l * Kb + m] * fb[l * Kb + m];
        u[l] = x;
      }
      // recurrent part: eight neurons at a time in registers (each sum keeps the order of the rows)
      for (let l = 0; l < Lp; l += 8) {
        let x0 = u[l];
        let x1 = u[l + 1];
        let x2 = u[l + 2];
        let x3 = u[l + 3];
        let x4 = u[l + 4];
        let x5 = u[l + 5];
        let x6 = u[l + 6];
        let x7 = u[l + 7];
        for (let s = 0; s < n; s++) {
          const o = off[s] + l;
          x0 += V[o];
          x1 += V[o + 1];
          x2 += V[o + 2];
          x3 += V[o + 3];
          x4 += V[o + 4];
          x5 += V[o + 5];
          x6 += V[o + 6];
          x7 += V[o + 7];
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
      // spikes, in the order the engine draws them
      const slot = t % tauMax;
      const hb = slot * L;
      let c = 0;
      let lo = 0;
      for (let j = 0; j < L; j++) {
        const x = u[j];
        let s: number;
        if (j < nH) s = next() < sigmoid(x) ? 1 : 0;
        else if (clamp) {
          s = target![t * nO + j - nH];
          lo += logBernoulli(s, x);
        } else {
          s = next() < sigmoid(x) ? 1 : 0;
          counts![cb + j - nH] += s;
        }
        if (s) spk[hb + c++] = j;
      }
      spkN[slot] = c;
      total += lo;
      if (snap && snap.p < snap.steps.length && t + 1 === snap.steps[snap.p]) {
        snap.out.set(counts!.subarray(cb, cb + nO), snap.p * snap.stride + cb);
        snap.p++;
      }
    }
    return total;
  }

  function inferCounts(ex: Example, KI: number, seed: string | number, exampleIndex: number): Int32Array {
    checkInput('inferCounts', ex, KI, seed, exampleIndex, false);
    prepare(ex);
    const counts = new Int32Array(KI * nO);
    for (let k = 0; k < KI; k++) {
      const rng = makeRng(seed, 'infer', exampleIndex, k);
      runCompartment(ex.T, rng.next, false, null, counts, k * nO);
    }
    return counts;
  }

  function inferCountsAt(ex: Example, KI: number, seed: string | number, exampleIndex: number, steps: readonly number[]): Int32Array {
    checkInput('inferCountsAt', ex, KI, seed, exampleIndex, false);
    if (!Array.isArray(steps) || steps.length === 0) fail('inferCountsAt', 'steps', steps, 'a non-empty list of steps');
    steps.forEach((v, p) => checkInt('inferCountsAt', `steps[${p}]`, v, p === 0 ? 1 : steps[p - 1] + 1, ex.T));
    prepare(ex);
    const counts = new Int32Array(KI * nO);
    const snap: SnapShots = { steps, p: 0, stride: KI * nO, out: new Int32Array(steps.length * KI * nO) };
    for (let k = 0; k < KI; k++) {
      const rng = makeRng(seed, 'infer', exampleIndex, k);
      snap.p = 0;
      runCompartment(ex.T, rng.next, false, null, counts, k * nO, snap);
    }
    return snap.out;
  }

  function logLikelihoodPerCompartment(ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array {
    checkInput('logLikelihoodPerCompartment', ex, KI, seed, exampleIndex, true);
    prepare(ex);
    const out = new Float64Array(KI);
    for (let k = 0; k < KI; k++) {
      const rng = makeRng(seed, 'loglik', exampleIndex, k);
      out[k] = runCompartment(ex.T, rng.next, true, ex.target, null, 0);
    }
    return out;
  }

  refresh();
  return { net, inferCounts, inferCountsAt, logLikelihoodPerCompartment, refresh, refreshIfChanged };
}
