/**
 * Input-side helpers of the fast engine. Input neurons' spikes are given by the example, so their
 * traces are the same in every compartment: everything here is computed once per step or once per
 * example, never K times. Spike sets are sparse (a few % of inputs per step), so work is proportional
 * to the number of input spikes, not to nIn × T.
 */
import { Network } from '../model/network';

/**
 * The input spikes of an example indexed by time (CSR): the inputs that spiked at step a are
 * `idx[start[a] .. start[a+1])`, ascending. Buffers grow as needed and are reused across examples.
 */
export interface InputSpikes {
  /** Number of steps indexed. */
  T: number;
  /** Int32Array [T+1] (capacity may be larger): offsets into `idx`. */
  start: Int32Array;
  /** Int32Array [number of spikes] (capacity may be larger): input indices. */
  idx: Int32Array;
}

/** An empty index, to be filled by `indexInputSpikes`. */
export function createInputSpikes(): InputSpikes {
  return { T: 0, start: new Int32Array(1), idx: new Int32Array(0) };
}

/**
 * Indexes `input` (Uint8Array [T][nIn], 0/1) into `out` (reusing its buffers when big enough).
 * Returns `out`.
 */
export function indexInputSpikes(input: Uint8Array, T: number, nIn: number, out: InputSpikes): InputSpikes {
  let count = 0;
  for (let i = 0; i < T * nIn; i++) count += input[i];
  if (out.start.length < T + 1) out.start = new Int32Array(T + 1);
  if (out.idx.length < count) out.idx = new Int32Array(Math.max(count, out.idx.length * 2));
  let p = 0;
  for (let a = 0; a < T; a++) {
    out.start[a] = p;
    const row = a * nIn;
    for (let j = 0; j < nIn; j++) if (input[row + j]) out.idx[p++] = j;
  }
  out.start[T] = p;
  out.T = T;
  return out;
}

/**
 * The spikes of `sp` indexed by input (CSR): input j spiked at steps times[start[j] .. start[j+1]),
 * ascending. start: Int32Array ≥ [nIn+1]; times: Int32Array ≥ [number of spikes]; cursor: Int32Array
 * scratch ≥ [nIn].
 */
export function spikesByInput(sp: InputSpikes, nIn: number, start: Int32Array, times: Int32Array, cursor: Int32Array): void {
  const { T, idx } = sp;
  const nSp = sp.start[T];
  start.fill(0, 0, nIn + 1);
  for (let p = 0; p < nSp; p++) start[idx[p] + 1]++;
  for (let j = 0; j < nIn; j++) {
    start[j + 1] += start[j];
    cursor[j] = start[j];
  }
  for (let a = 0; a < T; a++) for (let p = sp.start[a]; p < sp.start[a + 1]; p++) times[cursor[idx[p]]++] = a;
}

/**
 * Shared input traces at step t: `tr[j*Ka + m] = Σ_δ A[m][δ] s[j, t−δ]` for every input j whose trace
 * can be non-zero (spiked in the last τa steps); their indices go to `active[0..n)` and n is returned.
 * `tr` (Float64Array [nIn][Ka]) must hold zeros except at the `active` entries of the previous call
 * (`prevCount` of them), which are cleared here: cost proportional to the spikes in the window.
 * `seen` is a Uint8Array [nIn] scratch of zeros (left zeroed).
 */
export function inputTracesAt(
  net: Network,
  sp: InputSpikes,
  t: number,
  tr: Float64Array,
  active: Int32Array,
  prevCount: number,
  seen: Uint8Array,
): number {
  const Ka = net.synaptic.K;
  const tau = net.synaptic.tau;
  const A = net.synaptic.table;
  for (let a = 0; a < prevCount; a++) tr.fill(0, active[a] * Ka, active[a] * Ka + Ka);
  let n = 0;
  for (let d = 1; d <= tau && t - d >= 0; d++) {
    const row = t - d;
    for (let p = sp.start[row]; p < sp.start[row + 1]; p++) {
      const j = sp.idx[p];
      if (!seen[j]) {
        seen[j] = 1;
        active[n++] = j;
      }
      const base = j * Ka;
      for (let m = 0; m < Ka; m++) tr[base + m] += A[m * tau + d - 1];
    }
  }
  for (let a = 0; a < n; a++) seen[active[a]] = 0;
  return n;
}

/**
 * The input part of every potential for a whole example with the parameters held fixed:
 * `Z[t*L + l] = Σ_{j ∈ inputs} Σ_m W[l,j,m] tr[j,m,t]` for rows with `rows[l] = 1` (other rows are
 * not written; every input counts, the mask is not consulted: for rows that hear all inputs). Row by
 * row: `Rl[a][m] = Σ_{j spiking at a} W[l,j,m]` is accumulated input by input straight from W (each
 * input's Ka weights read once, added to the steps it spiked at), then Z[t][l] = Σ_δ Σ_m A[m][δ] Rl[t−δ][m].
 * Cost (input spikes × rows × Ka) + (T × τa × Ka × rows), not T × nIn × Ka × L, and nothing of size
 * nIn × L is written. The same numbers as `transposeInputWeights` with every input on followed by
 * `inputDriveTransposed`: each Rl entry is 0 + w1 + w2 + ... over the inputs in ascending order.
 * Spikes by input: `spikesByInput` (start [nIn+1], times). Z: Float64Array ≥ [T][L]; Rl: scratch ≥ [T][Ka].
 */
export function inputDriveAll(net: Network, W: Float64Array, sp: InputSpikes, rows: Uint8Array, start: Int32Array, times: Int32Array, Z: Float64Array, Rl: Float64Array): void {
  const { L, N, nIn } = net;
  const Ka = net.synaptic.K;
  const tau = net.synaptic.tau;
  const A = net.synaptic.table;
  const T = sp.T;
  for (let l = 0; l < L; l++) {
    if (!rows[l]) continue;
    Rl.fill(0, 0, T * Ka);
    const wl = l * N * Ka;
    for (let j = 0; j < nIn; j++) {
      const q0 = start[j];
      const q1 = start[j + 1];
      if (q0 === q1) continue;
      const wb = wl + j * Ka;
      if (Ka !== 8) {
        for (let q = q0; q < q1; q++) for (let m = 0; m < Ka; m++) Rl[times[q] * Ka + m] += W[wb + m];
        continue;
      }
      const w0 = W[wb], w1 = W[wb + 1], w2 = W[wb + 2], w3 = W[wb + 3], w4 = W[wb + 4], w5 = W[wb + 5], w6 = W[wb + 6], w7 = W[wb + 7];
      for (let q = q0; q < q1; q++) {
        const rb = times[q] * 8;
        Rl[rb] += w0;
        Rl[rb + 1] += w1;
        Rl[rb + 2] += w2;
        Rl[rb + 3] += w3;
        Rl[rb + 4] += w4;
        Rl[rb + 5] += w5;
        Rl[rb + 6] += w6;
        Rl[rb + 7] += w7;
      }
    }
    for (let t = 0; t < T; t++) {
      let z = 0;
      for (let d = 1; d <= tau && t - d >= 0; d++) {
        const a = t - d;
        if (sp.start[a] === sp.start[a + 1]) continue;
        let x = 0;
        for (let m = 0; m < Ka; m++) x += A[m * tau + d - 1] * Rl[a * Ka + m];
        z += x;
      }
      Z[t * L + l] = z;
    }
  }
}

/**
 * Input weights transposed to `WinT[(j*L + l)*Ka + m] = W[l,j,m]` (Float64Array ≥ [nIn][L][Ka]), 0 where
 * row l is off (`rows[l] = 0`) or the synapse is masked (unless `allInputs[l] = 1`), so that each input
 * spike adds one contiguous block. Depends only on W and the mask: with fixed weights, build it once.
 */
export function transposeInputWeights(net: Network, W: Float64Array, rows: Uint8Array, allInputs: Uint8Array, WinT: Float64Array): void {
  const { L, N, nIn } = net;
  const Ka = net.synaptic.K;
  const mask = net.topology.mask;
  const LK = L * Ka;
  if (WinT.length < nIn * LK) throw new Error('transposeInputWeights: WinT scratch too small');
  for (let l = 0; l < L; l++) {
    for (let j = 0; j < nIn; j++) {
      const on = rows[l] && (allInputs[l] || mask[l * N + j]);
      const wb = (l * N + j) * Ka;
      const tb = j * LK + l * Ka;
      for (let m = 0; m < Ka; m++) WinT[tb + m] = on ? W[wb + m] : 0;
    }
  }
}

/**
 * `Z` of `inputDriveAll` from input weights already transposed by `transposeInputWeights`.
 * Z: Float64Array ≥ [T][L] (written); R: Float64Array scratch ≥ [T][L][Ka]; WinT: [nIn][L][Ka] (read).
 */
export function inputDriveTransposed(net: Network, sp: InputSpikes, rows: Uint8Array, Z: Float64Array, R: Float64Array, WinT: Float64Array): void {
  const LK = net.L * net.synaptic.K;
  // R[a] = Σ over the inputs spiking at a (ascending) of their WinT block, summed in registers four
  // entries at a time: per entry the additions are 0 + w1 + w2 + ... in the same order as a plain loop
  const { start, idx } = sp;
  for (let a = 0; a < sp.T; a++) sumGatheredRows(WinT, idx, start[a], start[a + 1], LK, 0, LK, R, a * LK);
  driveFromSpikeSums(net, sp, rows, Z, R);
}

/** Z[t][l] = Σ_δ Σ_m A[m][δ] R[t−δ][l][m] for rows with rows[l] = 1 (0 for the others; steps a without input spikes skipped). */
function driveFromSpikeSums(net: Network, sp: InputSpikes, rows: Uint8Array, Z: Float64Array, R: Float64Array): void {
  const L = net.L;
  const Ka = net.synaptic.K;
  const tau = net.synaptic.tau;
  const A = net.synaptic.table;
  const T = sp.T;
  const start = sp.start;
  Z.fill(0, 0, T * L);
  for (let t = 0; t < T; t++) {
    for (let d = 1; d <= tau && t - d >= 0; d++) {
      const a = t - d;
      if (start[a] === start[a + 1]) continue;
      for (let l = 0; l < L; l++) {
        if (!rows[l]) continue;
        const rb = (a * L + l) * Ka;
        let x = 0;
        for (let m = 0; m < Ka; m++) x += A[m * tau + d - 1] * R[rb + m];
        Z[t * L + l] += x;
      }
    }
  }
}

/**
 * Gram matrix of the input traces over an example: `G[s*T + t] = Σ_{j ∈ inputs} Σ_m tr[j,m,s] tr[j,m,t]`
 * (symmetric; both halves written). Written as `Σ_{δ,δ'} Q[δ][δ'] O[s−δ][t−δ']` with `Q = AᵀA` (τ×τ) and
 * `O[a][b]` = number of inputs spiking at both a and b, counted from each input's spike times.
 * G: Float64Array ≥ [T][T]; O: Float64Array scratch ≥ [T][T]; Q: Float64Array scratch ≥ [τ][τ];
 * times/tcount: Int32Array scratch ≥ [nIn][T] and [nIn].
 */
export function inputGram(net: Network, sp: InputSpikes, G: Float64Array, O: Float64Array, Q: Float64Array, times: Int32Array, tcount: Int32Array): void {
  const nIn = net.nIn;
  const Ka = net.synaptic.K;
  const tau = net.synaptic.tau;
  const A = net.synaptic.table;
  const T = sp.T;
  for (let d = 0; d < tau; d++) {
    for (let e = 0; e < tau; e++) {
      let q = 0;
      for (let m = 0; m < Ka; m++) q += A[m * tau + d] * A[m * tau + e];
      Q[d * tau + e] = q;
    }
  }
  O.fill(0, 0, T * T);
  tcount.fill(0, 0, nIn);
  for (let a = 0; a < T; a++) {
    for (let p = sp.start[a]; p < sp.start[a + 1]; p++) {
      const j = sp.idx[p];
      times[j * T + tcount[j]++] = a;
    }
  }
  for (let j = 0; j < nIn; j++) {
    const n = tcount[j];
    const tb = j * T;
    for (let x = 0; x < n; x++) {
      const a = times[tb + x];
      for (let y = 0; y < n; y++) O[a * T + times[tb + y]] += 1;
    }
  }
  for (let s = 0; s < T; s++) {
    for (let t = s; t < T; t++) {
      let g = 0;
      for (let d = 1; d <= tau && s - d >= 0; d++) {
        const ob = (s - d) * T;
        const qb = (d - 1) * tau;
        for (let e = 1; e <= tau && t - e >= 0; e++) g += Q[qb + e - 1] * O[ob + t - e];
      }
      G[s * T + t] = g;
      G[t * T + s] = g;
    }
  }
}

/**
 * out[o + i] = Σ_{p = p0..p1−1} src[idx[p]·stride + base + i] for i < width: rows of `src` picked by
 * idx[p0..p1) summed in registers four entries at a time (per entry the additions are 0 + x1 + x2 + ...
 * in the order of idx, as in a plain loop).
 */
export function sumGatheredRows(src: Float64Array, idx: Int32Array, p0: number, p1: number, stride: number, base: number, width: number, out: Float64Array, o: number): void {
  let i = 0;
  for (; i + 4 <= width; i += 4) {
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    let x3 = 0;
    for (let p = p0; p < p1; p++) {
      const tb = idx[p] * stride + base + i;
      x0 += src[tb];
      x1 += src[tb + 1];
      x2 += src[tb + 2];
      x3 += src[tb + 3];
    }
    out[o + i] = x0;
    out[o + i + 1] = x1;
    out[o + i + 2] = x2;
    out[o + i + 3] = x3;
  }
  for (; i < width; i++) {
    let x = 0;
    for (let p = p0; p < p1; p++) x += src[idx[p] * stride + base + i];
    out[o + i] = x;
  }
}
