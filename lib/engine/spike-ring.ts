/**
 * Recent spikes of the learnable neurons and the one builder of their traces. Each compartment keeps a
 * ring of its last τmax steps as sparse lists (the spiking neurons of each step, ascending), so a trace
 * costs work proportional to the recent spikes, not to L × τ. The GEM learner (gem.ts), the
 * single-sample learner and the forward kernel (forward.ts) all build their traces here, so every path
 * adds the basis values in the same order: lag δ = 1 first, ascending neurons.
 */
import { Network } from '../model/network';

/** Per compartment, the spiking learnable neurons of each of the last τmax steps (slot t mod τmax). */
export interface SpikeRing {
  /** Compartments. */
  readonly K: number;
  readonly L: number;
  /** Ring length max(τa, τb) in steps. */
  readonly tauMax: number;
  /** Int32Array [K][τmax][L]: spiking neurons of slot `s` of compartment k at spk[(k·τmax + s)·L ..), ascending. */
  spk: Int32Array;
  /** Int32Array [K][τmax]: how many neurons spiked in each slot. */
  spkN: Int32Array;
  /** Lags 1..fbLags hold every non-zero value of the feedback basis (its later lags add exact zeros, skipped). */
  readonly fbLags: number;
  /**
   * Per lag δ, the synaptic basis functions non-zero at δ: aNz[(δ−1)·Ka .. +aNzN[δ−1]), ascending (the
   * zero entries of A would add exact zeros to the traces, skipped).
   */
  readonly aNz: Int32Array;
  readonly aNzN: Int32Array;
}

/** An empty ring for K compartments of `net` (no spikes before the first step). */
export function createSpikeRing(net: Network, K: number): SpikeRing {
  const tauMax = Math.max(net.synaptic.tau, net.feedbackBasis.tau);
  const { K: Kb, tau: tauB, table: B } = net.feedbackBasis;
  let fbLags = 0;
  for (let m = 0; m < Kb; m++) for (let d = 1; d <= tauB; d++) if (B[m * tauB + d - 1] !== 0) fbLags = Math.max(fbLags, d);
  const { K: Ka, tau: tauA, table: A } = net.synaptic;
  const aNz = new Int32Array(tauA * Ka);
  const aNzN = new Int32Array(tauA);
  for (let d = 1; d <= tauA; d++) for (let m = 0; m < Ka; m++) if (A[m * tauA + d - 1] !== 0) aNz[(d - 1) * Ka + aNzN[d - 1]++] = m;
  return { K, L: net.L, tauMax, spk: new Int32Array(K * tauMax * net.L), spkN: new Int32Array(K * tauMax), fbLags, aNz, aNzN };
}

/** Forgets every spike (start of an example: spikes before it count as 0). */
export function clearSpikeRing(ring: SpikeRing): void {
  ring.spkN.fill(0);
}

/** Stores compartment k's spikes of step t, read from the 0/1 array s[sOff .. sOff + L). */
export function pushSpikes(ring: SpikeRing, k: number, t: number, s: ArrayLike<number>, sOff: number): void {
  const { L, tauMax, spk } = ring;
  const slot = k * tauMax + (t % tauMax);
  const b = slot * L;
  let c = 0;
  for (let j = 0; j < L; j++) if (s[sOff + j]) spk[b + c++] = j;
  ring.spkN[slot] = c;
}

/**
 * Adds compartment k's learnable traces of step t to `tr` and `fb` (the caller zeroes them):
 * tr[trBase + j·Ka + m] += Σ_δ A[m][δ] s[j, t−δ] (skipped when `tr` is null) and, for neurons with
 * feedback, fb[fbBase + (j·Kb + m)·fbStride] += Σ_δ B[m][δ] s[j, t−δ]. Lag 1 first, ascending neurons.
 */
export function addTraces(
  net: Network,
  ring: SpikeRing,
  k: number,
  t: number,
  tr: Float64Array | null,
  trBase: number,
  fb: Float64Array,
  fbBase: number,
  fbStride: number,
): void {
  const { L, tauMax, spk, spkN } = ring;
  const Ka = net.synaptic.K;
  const tauA = net.synaptic.tau;
  const A = net.synaptic.table;
  const Kb = net.feedbackBasis.K;
  const tauB = net.feedbackBasis.tau;
  const B = net.feedbackBasis.table;
  const fbMask = net.topology.feedback;
  const { fbLags, aNz, aNzN } = ring;
  const lags = Math.min(tauMax, Math.max(tr ? tauA : 0, fbLags));
  for (let d = 1; d <= lags && t - d >= 0; d++) {
    const slot = k * tauMax + ((t - d) % tauMax);
    const sb = slot * L;
    const c = spkN[slot];
    for (let q = 0; q < c; q++) {
      const j = spk[sb + q];
      if (tr && d <= tauA) {
        const b = trBase + j * Ka;
        const nb = (d - 1) * Ka;
        for (let x = nb; x < nb + aNzN[d - 1]; x++) {
          const m = aNz[x];
          tr[b + m] += A[m * tauA + d - 1];
        }
      }
      if (d <= fbLags && fbMask[j]) {
        const b = fbBase + j * Kb * fbStride;
        for (let m = 0; m < Kb; m++) fb[b + m * fbStride] += B[m * tauB + d - 1];
      }
    }
  }
}
