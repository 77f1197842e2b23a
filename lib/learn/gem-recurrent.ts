/**
 * Factorised synapses from learnable neurons (GEM-SNN, eligibility reset per example), the recurrent
 * counterpart of the factorised input synapses of gem.ts. With e reset at the example start,
 *   W[l,j,m](t) = W0[l,j,m] + Σ_{s≤t} Σ_k C_k[l](s) tr_k[j,m](s),
 *   C_k[l](s) = η(1−κ) Σ_{t'=s..t} κ^{t'−s} a[k](t') g[k,l](s),
 * so the recurrent part of a potential is W0[l]·tr_k'(t+1) + Σ_{s≤t} Σ_k C_k[l](s) G_kk'(s, t+1) with the
 * Gram matrix G_kk'(s,t) = Σ_{j,m} tr_k[j,m](s) tr_k'[j,m](t) over ALL learnable neurons j. It is
 * exact: no per-compartment eligibility [K][L][Ka] is formed (memory traffic K·L·Ka per row and step
 * becomes K²·t), and W is written once, at the end of the example. Because spikes are 0/1,
 * G = Σ_{δ,δ'} Q[δ][δ'] O_kk'[s−δ][t−δ'] with Q = AᵀA and O_kk'[a][b] the number of learnable neurons
 * spiking at a in compartment k and at b in k' (popcounts of spike bitsets; integers, exact).
 * Presynaptic neurons a row does NOT hear (itself; masked neurons) are in G: their contribution is
 * removed with "virtual" weights kept by direct eligibility (K·Ka per excluded neuron and step), and
 * they are never materialised. The summation order differs from the direct path (results agree to
 * rounding; tests: 1e-9 relative against the reference).
 *
 * The initial weights' part is summed from the spikes (R_k[a][l] = Σ_{j spiking at a in k} W0[l,j],
 * ~ρ·L·Ka additions per row, compartment and step instead of L·Ka multiply-adds for a spike rate ρ).
 * The main thread computes the spike bitsets and lists, O and the Gram column of each step
 * (recurrentGramStep); each row's C_k, virtual weights, potentials and materialisation are row-local
 * (threads split rows; bit-identical for any split).
 */
import type { RowState } from './row-state';
import type { Alloc } from './gem-state';
import type { Engine } from '../engine/engine';
import { sumGatheredRows } from '../engine/input-traces';

/** How synapses from learnable neurons learn: 'auto' (by the shape rule below), always factorised, always direct. */
export type RecurrentPath = 'auto' | 'factorised' | 'direct';

/** Most entries of O (K²·T², Int32) the factorised recurrent path may allocate under 'auto'. */
const MAX_O_ENTRIES = 1 << 22;
/** 'auto' keeps the direct path while all rows' eligibility (8·K·Σ nRec·Ka bytes) stays below this (cache-resident). */
const MIN_ELIGIBILITY_BYTES = 4 << 20;

/**
 * Marks the rows whose recurrent synapses take the factorised form in this example (st.recFact) and
 * returns how many. 'auto' applies when the eligibility of all rows exceeds MIN_ELIGIBILITY_BYTES (the
 * direct path is memory-bound then) and factorises row l when the Gram work per step (K²·t, t < T) is
 * well below the eligibility it replaces (4·K·T ≤ nRec·Ka) and the row hears all but a few learnable
 * neurons (excluded nExc ≤ nRec/4); 'factorised' takes every row with recurrent synapses. Only with
 * eligibility reset per example and the GEM rule (rule 0). Depends on shapes only, never on timing.
 */
export function chooseRecurrentPath(st: RowState, mode: RecurrentPath, reset: boolean, T: number): number {
  const { L, K, Ka, recStart, recFact } = st;
  recFact.fill(0);
  if (mode === 'direct' || !reset || st.rule !== 0) return 0;
  if (mode === 'auto' && (K * K * T * T > MAX_O_ENTRIES || 8 * K * recStart[L] * Ka < MIN_ELIGIBILITY_BYTES)) return 0;
  let n = 0;
  for (let l = 0; l < L; l++) {
    const nRec = recStart[l + 1] - recStart[l];
    if (nRec === 0) continue;
    if (mode === 'auto' && (4 * K * T > nRec * Ka || L - nRec > nRec / 4)) continue;
    recFact[l] = 1;
    n++;
  }
  return n;
}

/** Presynaptic bitsets Pb [L][nw] and excluded lists (all learnable neurons a row does not hear). */
export function recurrentLists(e: Engine, al: Alloc): { nw: number; Pb: Int32Array; excStart: Int32Array; excIdx: Int32Array } {
  const { L, recPre, recStart } = e;
  const nw = Math.ceil(L / 32);
  const Pb = al.i32(L * nw);
  const exc: number[] = [];
  const excStart = al.i32(L + 1);
  for (let l = 0; l < L; l++) {
    for (let p = recStart[l]; p < recStart[l + 1]; p++) Pb[l * nw + (recPre[p] >>> 5)] |= 1 << (recPre[p] & 31);
    excStart[l] = exc.length;
    for (let j = 0; j < L; j++) if (!(Pb[l * nw + (j >>> 5)] & (1 << (j & 31)))) exc.push(j);
  }
  excStart[L] = exc.length;
  const excIdx = al.i32(exc.length);
  excIdx.set(exc);
  return { nw, Pb, excStart, excIdx };
}

/** Grows the per-example tables of the factorised recurrent path to T steps (C, Gram column, O, bitsets). */
export function ensureRecurrentCapacity(st: RowState, T: number, al: Alloc): void {
  if (st.Rh.length === 0) {
    st.Rh = al.f64(st.L * st.tauA * st.K * st.Ka);
    st.Jn = al.i32(st.L);
  }
  if (st.recCap >= T) return;
  const { L, K, nw } = st;
  st.recCap = T;
  st.Crec = al.f64(L * T * K);
  st.Gc = al.f64(T * K * K);
  st.O = al.i32(K * K * T * T);
  st.Sb = al.i32(T * K * nw);
  st.Sl = al.i32(T * K * L);
  st.Sn = al.i32(T * K);
  st.Jl = al.i32(L * T * K);
}

/** Clears the per-example state of the factorised recurrent path (start of an example). */
export function resetRecurrent(st: RowState): void {
  st.Crec.fill(0);
  st.Jn.fill(0);
  st.eExc.fill(0);
  st.wExc.fill(0);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Main thread, step t (after sampling): spike bitsets of step t from s [K][L], coincidence counts
 * O_kk'[a][t] and O_k'k[t][a] (a ≤ t), and (t+1 < T) the Gram column Gc[s][k][k'] = G_kk'(s, t+1), s ≤ t.
 */
export function recurrentGramStep(st: RowState, s: Uint8Array, t: number, T: number): void {
  const { K, L, nw, Sb, O, Gc, Q, tauA } = st;
  const cap = st.recCap;
  const sb = t * K * nw;
  Sb.fill(0, sb, sb + K * nw);
  for (let k = 0; k < K; k++) {
    const lb = (t * K + k) * L;
    let n = 0;
    for (let l = 0; l < L; l++) {
      if (!s[k * L + l]) continue;
      Sb[sb + k * nw + (l >>> 5)] |= 1 << (l & 31);
      st.Sl[lb + n++] = l;
      st.Jl[l * cap * K + st.Jn[l]++] = (t * K + k) * st.Ka;
    }
    st.Sn[t * K + k] = n;
  }
  for (let k = 0; k < K; k++) {
    for (let k2 = 0; k2 < K; k2++) {
      const ob = (k * K + k2) * cap * cap;
      const ot = (k2 * K + k) * cap * cap;
      const b2 = sb + k2 * nw;
      for (let a = 0; a <= t; a++) {
        const b1 = (a * K + k) * nw;
        let c = 0;
        for (let w = 0; w < nw; w++) c += popcount(Sb[b1 + w] & Sb[b2 + w]);
        O[ob + a * cap + t] = c;
        O[ot + t * cap + a] = c;
      }
    }
  }
  const t1 = t + 1;
  if (t1 >= T) return;
  const dMax = Math.min(tauA, t1);
  for (let si = 0; si <= t; si++) {
    const eMax = Math.min(tauA, si);
    for (let k = 0; k < K; k++) {
      for (let k2 = 0; k2 < K; k2++) {
        const ob = (k * K + k2) * cap * cap;
        let g = 0;
        for (let e = 1; e <= eMax; e++) {
          const orow = ob + (si - e) * cap + t1;
          const qb = (e - 1) * tauA - 1;
          for (let d = 1; d <= dMax; d++) g += Q[qb + d] * O[orow - d];
        }
        Gc[(si * K + k) * K + k2] = g;
      }
    }
  }
}

/**
 * Row l at step t: C_k[l](s) += η(1−κ) κ^{t−s} a[k] g[k,l](s) for s = t..0, and the virtual weights
 * of the neurons row l does not hear (direct eligibility, K per synapse, traces of step t).
 */
export function recurrentSignal(st: RowState, l: number, t: number, a: Float64Array): void {
  const { K, L, Ka, eta, kappa, g, gT, kpow, Crec, tr, excStart, excIdx, eExc, wExc } = st;
  const om = 1 - kappa;
  const gb = (t * L + l) * K;
  for (let k = 0; k < K; k++) gT[gb + k] = g[k * L + l];
  const cb = l * st.recCap * K;
  for (let s = t; s >= 0; s--) {
    const coef = eta * om * kpow[t - s];
    if (coef === 0) break;
    const p = (s * L + l) * K;
    const c = cb + s * K;
    for (let k = 0; k < K; k++) Crec[c + k] += coef * (a[k] * gT[p + k]);
  }
  const LK = L * Ka;
  const tc = (t & 1) * LK * K;
  for (let p = excStart[l]; p < excStart[l + 1]; p++) {
    const jb = excIdx[p] * Ka;
    for (let m = 0; m < Ka; m++) {
      const eb = (p * Ka + m) * K;
      let x = 0;
      for (let k = 0; k < K; k++) {
        const ev = kappa * eExc[eb + k] + om * g[k * L + l] * tr[tc + k * LK + jb + m];
        eExc[eb + k] = ev;
        x += eta * a[k] * ev;
      }
      wExc[p * Ka + m] += x;
    }
  }
}

/**
 * Row l, recurrent part of the potentials of step t+1 in every compartment (out [K]): the initial
 * weights' part Σ_δ Σ_m A[m][δ] R_k[t+1−δ][l][m] with R_k[a][l][m] = Σ_{j spiking at a in k} W0[l,j,m]
 * (this step's R summed four entries at a time in registers, the last τa kept in Rh), then
 * recurrentDrive's learnt part.
 */
export function recurrentPotentials(st: RowState, l: number, t: number, out: Float64Array): void {
  const { K, L, N, nIn, Ka, tauA, A, W, Rh, Sl, Sn } = st;
  const rb = l * tauA * K * Ka;
  const slot = rb + (t % tauA) * K * Ka;
  const wb = (l * N + nIn) * Ka;
  for (let k = 0; k < K; k++) {
    const r = slot + k * Ka;
    const lb = (t * K + k) * L;
    sumGatheredRows(W, Sl, lb, lb + Sn[t * K + k], Ka, wb, Ka, Rh, r);
  }
  recurrentDrive(st, l, t, out);
  const dMax = Math.min(tauA, t + 1);
  for (let k = 0; k < K; k++) {
    let u = 0;
    for (let d = 1; d <= dMax; d++) {
      const r = rb + ((t + 1 - d) % tauA) * K * Ka + k * Ka;
      for (let m = 0; m < Ka; m++) u += A[m * tauA + d - 1] * Rh[r + m];
    }
    out[k] = u + out[k];
  }
}

/**
 * Row l: out[k'] = Σ_{s≤t} Σ_k C_k[l](s) G_kk'(s, t+1) − Σ_{j excluded} Σ_m wExc[l,j,m] tr_k'[j,m](t+1),
 * the part of the potentials of step t+1 that the weights learnt in this example contribute (out: [K]).
 */
function recurrentDrive(st: RowState, l: number, t: number, out: Float64Array): void {
  const { K, L, Ka, Crec, Gc, tr, excStart, excIdx, wExc } = st;
  const cb = l * st.recCap * K;
  for (let k2 = 0; k2 < K; k2++) out[k2] = 0;
  for (let s = 1; s <= t; s++) {
    for (let k = 0; k < K; k++) {
      const c = Crec[cb + s * K + k];
      if (c === 0) continue;
      const gb = (s * K + k) * K;
      for (let k2 = 0; k2 < K; k2++) out[k2] += c * Gc[gb + k2];
    }
  }
  const LK = L * Ka;
  const tn = ((t + 1) & 1) * LK * K;
  for (let k2 = 0; k2 < K; k2++) {
    let x = 0;
    const tb = tn + k2 * LK;
    for (let p = excStart[l]; p < excStart[l + 1]; p++) {
      const jb = excIdx[p] * Ka;
      for (let m = 0; m < Ka; m++) x += wExc[p * Ka + m] * tr[tb + jb + m];
    }
    out[k2] -= x;
  }
}

/** Per-thread scratch [T][K][Ka] of materialiseRecurrent (each worker thread has its own module instance). */
let dTab = new Float64Array(0);

/**
 * Row l at the end of the example: W[l, nIn+j, m] += Σ_{(a,k): j spiked at a in k} D_k[a][m] for the
 * neurons j row l hears, D_k[a][m] = Σ_δ C_k[l](a+δ) A[m][δ] (tabulated first; each weight summed four
 * entries at a time in registers over j's spikes, then added once).
 */
export function materialiseRecurrent(st: RowState, l: number, T: number): void {
  const { K, N, nIn, Ka, tauA, A, Crec, W, recPre, recStart, Jl, Jn } = st;
  const cb = l * st.recCap * K;
  const wb = (l * N + nIn) * Ka;
  if (dTab.length < T * K * Ka) dTab = new Float64Array(T * K * Ka);
  const D = dTab;
  for (let a = 0; a < T; a++) {
    for (let k = 0; k < K; k++) {
      const db = (a * K + k) * Ka;
      for (let m = 0; m < Ka; m++) {
        let x = 0;
        for (let dl = 1; dl <= tauA && a + dl < T; dl++) x += Crec[cb + (a + dl) * K + k] * A[m * tauA + dl - 1];
        D[db + m] = x;
      }
    }
  }
  const jCap = st.recCap * K;
  for (let p = recStart[l]; p < recStart[l + 1]; p++) {
    const j = recPre[p];
    const n = Jn[j];
    const jb = j * jCap;
    const wi = wb + j * Ka;
    let m = 0;
    for (; m + 4 <= Ka; m += 4) {
      let x0 = 0, x1 = 0, x2 = 0, x3 = 0;
      for (let i = 0; i < n; i++) {
        const x = Jl[jb + i] + m;
        x0 += D[x];
        x1 += D[x + 1];
        x2 += D[x + 2];
        x3 += D[x + 3];
      }
      W[wi + m] += x0;
      W[wi + m + 1] += x1;
      W[wi + m + 2] += x2;
      W[wi + m + 3] += x3;
    }
    for (; m < Ka; m++) {
      let x0 = 0;
      for (let i = 0; i < n; i++) x0 += D[Jl[jb + i] + m];
      W[wi + m] += x0;
    }
  }
}
