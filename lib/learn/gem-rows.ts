/**
 * The per-row work of one GEM-SNN training step (gem.ts), written so that rows can be split between
 * threads (gem-threads.ts) with bit-identical results: everything here for row l reads shared inputs
 * of the step (learning signals g, importance weights, traces) and writes only row l's parameters,
 * eligibility traces, factorisation column C[·][l] and next potentials u[·][l]. Each row's arithmetic
 * is the same sequence of operations whichever thread runs it and however rows are partitioned.
 *
 * For row l at step t (traces of step t in buffer t mod 2, of step t+1 in the other):
 *  1. factorised input synapses: C[s][l] += η(1−κ) κ^{t−s} Σ_k a[k] g[k,l](s), s = t..0;
 *  2. eligibility of synapses from learnable neurons (then feedback weights, bias, direct inputs):
 *     e[k] ← κ e[k] + (1−κ) g[k,l] tr[k] for every k, while η Σ_k a[k] e[k] is accumulated in a row
 *     scratch (compartments 4 then 2 at a time); each parameter then gets it in ONE addition; or, on
 *     rows marked recFact, the factorised form of gem-recurrent.ts (W written at the end of the example);
 *  3. next potentials while the row's weights are in cache: u[k][l] = (drive(t+1) + b + Σ F·fb_{t+1}[k])
 *     + Σ_{j,m} W·tr_{t+1}[k] (drive: factorised Z + Σ_s C G, or direct Σ W·tr_in), or at the last step
 *     the materialisation of the factorised input weights (rows marked recFact: recurrent part from
 *     gem-recurrent.ts, their recurrent weights materialised there too).
 * These summation orders differ from reference.ts only by rounding (tests: 1e-9 relative). With the
 * single-sample rule (rule 1, K = 1) the hidden rows replace 1-2 by the update of single-sample-rows.ts.
 */
import { baselineRowUpdate } from './single-sample-rows';
import { materialiseRecurrent, recurrentPotentials, recurrentSignal } from './gem-recurrent';
import type { RowState } from './row-state';

export type { RowState };

/**
 * Row phase of step t (0 ≤ t < T) for rows lo..hi−1: updates of section 1-2 above, then potentials of
 * step t+1 (t < T−1) or materialisation of the factorised input weights (t = T−1).
 * acc: Float64Array [max(L·Ka, K)] scratch of the calling thread.
 */
export function rowsStep(st: RowState, lo: number, hi: number, t: number, T: number, acc: Float64Array): void {
  const { nH, aH, aO, factRows, directRows } = st;
  const last = t === T - 1;
  for (let l = lo; l < hi; l++) {
    const a = l < nH ? aH : aO;
    const isFact = factRows[l] === 1;
    const recFact = st.recFact[l] === 1;
    if (st.rule === 1 && l < nH) baselineRowUpdate(st, l, t);
    else {
      if (isFact) factorisedSignal(st, l, t, a);
      if (recFact) recurrentSignal(st, l, t, a);
      else recurrentUpdate(st, l, t, a, acc);
      feedbackAndBiasUpdate(st, l, t, a);
      if (directRows[l] === 1) directInputUpdate(st, l, t, a);
    }
    if (!last) nextPotentials(st, l, t, T, acc);
    else {
      if (isFact) materialiseRow(st, l, T);
      if (recFact) materialiseRecurrent(st, l, T);
    }
  }
}

/** 1. Factorised input synapses of row l: C[s][l] += η(1−κ) κ^{t−s} Σ_k a[k] g[k,l](s), s = t..0. */
function factorisedSignal(st: RowState, l: number, t: number, a: Float64Array): void {
  const { K, L, eta, kappa, g, gT, kpow, C } = st;
  const om = 1 - kappa;
  const gb = (t * L + l) * K;
  for (let k = 0; k < K; k++) gT[gb + k] = g[k * L + l];
  for (let s = t; s >= 0; s--) {
    const coef = eta * om * kpow[t - s];
    if (coef === 0) break;
    const p = (s * L + l) * K;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += a[k] * gT[p + k];
    C[s * L + l] += coef * sum;
  }
}

/**
 * 2. Synapses from learnable neurons of row l: eligibility per compartment, Σ_k η a[k] e[k] accumulated
 * in acc (compartments four, then two at a time, then the last one when K is odd), one weight update.
 */
function recurrentUpdate(st: RowState, l: number, t: number, a: Float64Array, acc: Float64Array): void {
  const { K, L, N, nIn, Ka, recPre, recStart, W } = st;
  const LK = L * Ka;
  const tc = (t & 1) * LK * K;
  const wRec = (l * N + nIn) * Ka;
  const p0 = recStart[l];
  const p1 = recStart[l + 1];
  for (let p = p0; p < p1; p++) {
    const jb = recPre[p] * Ka;
    for (let m = 0; m < Ka; m++) acc[jb + m] = 0;
  }
  let k = 0;
  for (; k + 4 <= K; k += 4) eligibility4(st, l, k, tc, a, acc);
  for (; k + 2 <= K; k += 2) eligibility2(st, l, k, tc, a, acc);
  for (; k < K; k++) eligibility1(st, l, k, tc, a, acc);
  for (let p = p0; p < p1; p++) {
    const jb = recPre[p] * Ka;
    const wi = wRec + jb;
    for (let m = 0; m < Ka; m++) W[wi + m] += acc[jb + m];
  }
}

/** Eligibility of row l's recurrent synapses in compartments k..k+3, their η a e summed into acc. */
function eligibility4(st: RowState, l: number, k: number, tc: number, a: Float64Array, acc: Float64Array): void {
  const { K, L, Ka, eta, kappa, recPre, recStart, eRec, g, tr } = st;
  const om = 1 - kappa;
  const LK = L * Ka;
  const al0 = eta * a[k];
  const al1 = eta * a[k + 1];
  const al2 = eta * a[k + 2];
  const al3 = eta * a[k + 3];
  const gl0 = om * g[k * L + l];
  const gl1 = om * g[(k + 1) * L + l];
  const gl2 = om * g[(k + 2) * L + l];
  const gl3 = om * g[(k + 3) * L + l];
  const e0 = (l * K + k) * LK;
  const e1 = e0 + LK;
  const e2 = e1 + LK;
  const e3 = e2 + LK;
  const t0 = tc + k * LK;
  const t1 = t0 + LK;
  const t2 = t1 + LK;
  const t3 = t2 + LK;
  for (let p = recStart[l]; p < recStart[l + 1]; p++) {
    const jb = recPre[p] * Ka;
    for (let m = 0; m < Ka; m++) {
      const i = jb + m;
      const ev0 = kappa * eRec[e0 + i] + gl0 * tr[t0 + i];
      const ev1 = kappa * eRec[e1 + i] + gl1 * tr[t1 + i];
      const ev2 = kappa * eRec[e2 + i] + gl2 * tr[t2 + i];
      const ev3 = kappa * eRec[e3 + i] + gl3 * tr[t3 + i];
      eRec[e0 + i] = ev0;
      eRec[e1 + i] = ev1;
      eRec[e2 + i] = ev2;
      eRec[e3 + i] = ev3;
      acc[i] += al0 * ev0 + al1 * ev1 + (al2 * ev2 + al3 * ev3);
    }
  }
}

/** As eligibility4 for compartments k, k+1. */
function eligibility2(st: RowState, l: number, k: number, tc: number, a: Float64Array, acc: Float64Array): void {
  const { K, L, Ka, eta, kappa, recPre, recStart, eRec, g, tr } = st;
  const om = 1 - kappa;
  const LK = L * Ka;
  const al0 = eta * a[k];
  const al1 = eta * a[k + 1];
  const gl0 = om * g[k * L + l];
  const gl1 = om * g[(k + 1) * L + l];
  const e0 = (l * K + k) * LK;
  const e1 = e0 + LK;
  const t0 = tc + k * LK;
  const t1 = t0 + LK;
  for (let p = recStart[l]; p < recStart[l + 1]; p++) {
    const jb = recPre[p] * Ka;
    for (let m = 0; m < Ka; m++) {
      const i = jb + m;
      const ev0 = kappa * eRec[e0 + i] + gl0 * tr[t0 + i];
      const ev1 = kappa * eRec[e1 + i] + gl1 * tr[t1 + i];
      eRec[e0 + i] = ev0;
      eRec[e1 + i] = ev1;
      acc[i] += al0 * ev0 + al1 * ev1;
    }
  }
}

/** As eligibility4 for compartment k alone. */
function eligibility1(st: RowState, l: number, k: number, tc: number, a: Float64Array, acc: Float64Array): void {
  const { K, L, Ka, eta, kappa, recPre, recStart, eRec, g, tr } = st;
  const om = 1 - kappa;
  const LK = L * Ka;
  const al = eta * a[k];
  const gl = om * g[k * L + l];
  const eb0 = (l * K + k) * LK;
  const tb0 = tc + k * LK;
  for (let p = recStart[l]; p < recStart[l + 1]; p++) {
    const jb = recPre[p] * Ka;
    const ei = eb0 + jb;
    const ti = tb0 + jb;
    for (let m = 0; m < Ka; m++) {
      const ev = kappa * eRec[ei + m] + gl * tr[ti + m];
      eRec[ei + m] = ev;
      acc[jb + m] += al * ev;
    }
  }
}

/** 2 (continued). Feedback weights (rows with feedback) and bias of row l: eligibility, then one update each. */
function feedbackAndBiasUpdate(st: RowState, l: number, t: number, a: Float64Array): void {
  const { K, L, Kb, eta, kappa, fbMask, eF, eb, g, fb, F, b } = st;
  const om = 1 - kappa;
  if (fbMask[l] === 1) {
    const fc = (t & 1) * L * Kb * K;
    for (let m = 0; m < Kb; m++) {
      const ei = (l * Kb + m) * K;
      const ti = fc + ei;
      let s = 0;
      for (let k = 0; k < K; k++) {
        const ev = kappa * eF[ei + k] + om * g[k * L + l] * fb[ti + k];
        eF[ei + k] = ev;
        s += eta * a[k] * ev;
      }
      F[l * Kb + m] += s;
    }
  }
  let s = 0;
  for (let k = 0, ei = l * K; k < K; k++) {
    const ev = kappa * eb[ei + k] + om * g[k * L + l];
    eb[ei + k] = ev;
    s += eta * a[k] * ev;
  }
  b[l] += s;
}

/** 2 (continued). Input synapses of a direct-path row l: eligibility over its inputs, one update each. */
function directInputUpdate(st: RowState, l: number, t: number, a: Float64Array): void {
  const { K, L, N, nIn, Ka, eta, kappa, inPre, inStart, eIn, g, trIn, W } = st;
  const om = 1 - kappa;
  const inC = (t & 1) * nIn * Ka;
  for (let p = inStart[l]; p < inStart[l + 1]; p++) {
    const j = inPre[p];
    for (let m = 0; m < Ka; m++) {
      const ei = ((l * nIn + j) * Ka + m) * K;
      const tv = trIn[inC + j * Ka + m];
      let s = 0;
      for (let k = 0; k < K; k++) {
        const ev = kappa * eIn[ei + k] + om * g[k * L + l] * tv;
        eIn[ei + k] = ev;
        s += eta * a[k] * ev;
      }
      W[(l * N + j) * Ka + m] += s;
    }
  }
}

/** Input part of row l's potential at step t1 (the same in every compartment): factorised or direct. */
function rowInputDrive(st: RowState, l: number, t1: number, T: number): number {
  const { L, N, nIn, Ka, W, Z, C, G, trIn, actIn, nActIn, inputMode } = st;
  let d = 0;
  if (st.factRows[l] === 1) {
    d = Z[t1 * L + l];
    for (let s = 0; s < t1; s++) d += C[s * L + l] * G[s * T + t1];
  } else if (st.directRows[l] === 1) {
    const inN = (t1 & 1) * nIn * Ka;
    const nAct = nActIn[t1 & 1];
    const actN = (t1 & 1) * nIn;
    const all = inputMode[l] === 1;
    const mb = l * N;
    for (let q = 0; q < nAct; q++) {
      const j = actIn[actN + q];
      if (!all && !st.mask[mb + j]) continue;
      const wb = (l * N + j) * Ka;
      const tb = inN + j * Ka;
      for (let m = 0; m < Ka; m++) d += W[wb + m] * trIn[tb + m];
    }
  }
  return d;
}

/**
 * 3. Potentials of step t+1 of row l in every compartment, from the row's final weights (still in
 * cache): two compartments per pass, four partial sums per compartment (by m mod 4) keep the
 * multiply-adds independent.
 */
function nextPotentials(st: RowState, l: number, t: number, T: number, acc: Float64Array): void {
  const { K, L, N, nIn, Ka, Kb, recPre, recStart, W, tr } = st;
  const LK = L * Ka;
  const t1 = t + 1;
  const tn = (t1 & 1) * LK * K;
  const fn = (t1 & 1) * L * Kb * K;
  const d = rowInputDrive(st, l, t1, T);
  const wRec = (l * N + nIn) * Ka;
  const p0 = recStart[l];
  const p1 = recStart[l + 1];
  if (st.recFact[l] === 1) {
    // factorised recurrent rows: W holds W0 (gem-recurrent.ts)
    recurrentPotentials(st, l, t, acc);
    for (let k = 0; k < K; k++) rowPotential(st, l, k, d, acc[k], fn);
    return;
  }
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const ta = tn + k * LK;
    const tb = ta + LK;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    for (let p = p0; p < p1; p++) {
      const jb = recPre[p] * Ka;
      const wi = wRec + jb;
      let m = 0;
      for (; m + 4 <= Ka; m += 4) {
        const w0 = W[wi + m];
        const w1 = W[wi + m + 1];
        const w2 = W[wi + m + 2];
        const w3 = W[wi + m + 3];
        const x = jb + m;
        a0 += w0 * tr[ta + x];
        a1 += w1 * tr[ta + x + 1];
        a2 += w2 * tr[ta + x + 2];
        a3 += w3 * tr[ta + x + 3];
        b0 += w0 * tr[tb + x];
        b1 += w1 * tr[tb + x + 1];
        b2 += w2 * tr[tb + x + 2];
        b3 += w3 * tr[tb + x + 3];
      }
      for (; m < Ka; m++) {
        a0 += W[wi + m] * tr[ta + jb + m];
        b0 += W[wi + m] * tr[tb + jb + m];
      }
    }
    rowPotential(st, l, k, d, a0 + a1 + (a2 + a3), fn);
    rowPotential(st, l, k + 1, d, b0 + b1 + (b2 + b3), fn);
  }
  for (; k < K; k++) {
    const ta = tn + k * LK;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let p = p0; p < p1; p++) {
      const jb = recPre[p] * Ka;
      const wi = wRec + jb;
      let m = 0;
      for (; m + 4 <= Ka; m += 4) {
        const x = jb + m;
        a0 += W[wi + m] * tr[ta + x];
        a1 += W[wi + m + 1] * tr[ta + x + 1];
        a2 += W[wi + m + 2] * tr[ta + x + 2];
        a3 += W[wi + m + 3] * tr[ta + x + 3];
      }
      for (; m < Ka; m++) a0 += W[wi + m] * tr[ta + jb + m];
    }
    rowPotential(st, l, k, d, a0 + a1 + (a2 + a3), fn);
  }
}

/** u[k][l] = (d + b[l] + Σ_m F[l,m] fb_{t+1}[k,l,m]) + r: drive d, recurrent part r; fn: parity offset of fb. */
function rowPotential(st: RowState, l: number, k: number, d: number, r: number, fn: number): void {
  const { K, L, Kb, F, b, fb } = st;
  let x = d + b[l];
  if (st.fbMask[l] === 1) for (let m = 0; m < Kb; m++) x += F[l * Kb + m] * fb[fn + (l * Kb + m) * K + k];
  st.u[k * L + l] = x + r;
}

/** Per-thread scratch of materialiseRow (each worker thread has its own module instance): D [T][Ka], full [T]. */
let dInc = new Float64Array(0);
let dFull = new Uint8Array(0);

/**
 * W[l,j,m] += Σ_{a: input j spiked at a} Σ_δ C[l](a+δ) A[m][δ] for one factorised row (end of the
 * example). The increments D[a][m] are tabulated first; then each input's Ka weights are loaded once,
 * get the increments of its spikes in ascending a (zero increments skipped) and are stored once: the
 * same additions in the same order as adding step by step, with one pass over the row's weights.
 */
function materialiseRow(st: RowState, l: number, T: number): void {
  const { L, N, nIn, Ka, tauA, A, C, W, spInStart, spTimes } = st;
  if (dInc.length < T * Ka) dInc = new Float64Array(T * Ka);
  if (dFull.length < T) dFull = new Uint8Array(T);
  const D = dInc;
  const full = dFull;
  for (let a = 0; a < T; a++) {
    let f = 1;
    for (let m = 0; m < Ka; m++) {
      let x = 0;
      for (let d = 1; d <= tauA && a + d < T; d++) x += C[(a + d) * L + l] * A[m * tauA + d - 1];
      D[a * Ka + m] = x;
      if (x === 0) f = 0;
    }
    full[a] = f;
  }
  const wl = l * N * Ka;
  for (let j = 0; j < nIn; j++) {
    const q0 = spInStart[j];
    const q1 = spInStart[j + 1];
    if (q0 === q1) continue;
    const wb = wl + j * Ka;
    if (Ka !== 8) {
      for (let m = 0; m < Ka; m++) {
        let w = W[wb + m];
        for (let q = q0; q < q1; q++) {
          const x = D[spTimes[q] * Ka + m];
          if (x !== 0) w += x;
        }
        W[wb + m] = w;
      }
      continue;
    }
    let w0 = W[wb], w1 = W[wb + 1], w2 = W[wb + 2], w3 = W[wb + 3], w4 = W[wb + 4], w5 = W[wb + 5], w6 = W[wb + 6], w7 = W[wb + 7];
    for (let q = q0; q < q1; q++) {
      const a = spTimes[q];
      const db = a * 8;
      if (full[a] === 1) {
        w0 += D[db];
        w1 += D[db + 1];
        w2 += D[db + 2];
        w3 += D[db + 3];
        w4 += D[db + 4];
        w5 += D[db + 5];
        w6 += D[db + 6];
        w7 += D[db + 7];
      } else {
        if (D[db] !== 0) w0 += D[db];
        if (D[db + 1] !== 0) w1 += D[db + 1];
        if (D[db + 2] !== 0) w2 += D[db + 2];
        if (D[db + 3] !== 0) w3 += D[db + 3];
        if (D[db + 4] !== 0) w4 += D[db + 4];
        if (D[db + 5] !== 0) w5 += D[db + 5];
        if (D[db + 6] !== 0) w6 += D[db + 6];
        if (D[db + 7] !== 0) w7 += D[db + 7];
      }
    }
    W[wb] = w0;
    W[wb + 1] = w1;
    W[wb + 2] = w2;
    W[wb + 3] = w3;
    W[wb + 4] = w4;
    W[wb + 5] = w5;
    W[wb + 6] = w6;
    W[wb + 7] = w7;
  }
}

/**
 * Potentials of step 0 for rows lo..hi−1 (no spikes yet: traces are zero): u[k][l] = drive(0) + b[l]
 * (+ feedback and recurrent terms, all zero), drive(0) = Z[0][l] on the factorised path, else 0.
 */
export function rowsStart(st: RowState, lo: number, hi: number): void {
  const { K, L, Z, factRows, b, u } = st;
  for (let l = lo; l < hi; l++) {
    const d = factRows[l] === 1 ? Z[l] : 0;
    for (let k = 0; k < K; k++) u[k * L + l] = d + b[l];
  }
}
