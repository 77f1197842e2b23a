/**
 * The state of the fast GEM-SNN learner (gem.ts): the row state shared with the row phase
 * (gem-rows.ts), on SharedArrayBuffers when worker threads read it, the factorisation scratch grown
 * to the longest example, and the learnable traces of each step.
 */
import { createEngine, Engine } from '../engine/engine';
import { createInputSpikes, InputSpikes } from '../engine/input-traces';
import { addTraces } from '../engine/spike-ring';
import { RowState } from './gem-rows';
import { GemPool } from './gem-threads';
import { recurrentLists } from './gem-recurrent';
import { Network } from '../model/network';
import { fail } from '../util/validate';

/** Internal state of the fast learner (exposed for tests and inspection; layouts documented). */
export interface GemInternal {
  /** Connectivity lists, spike ring of every compartment, spikes s [K][L], ell/lph [K] (engine.ts). */
  engine: Engine;
  /**
   * State shared with the row phase (gem-rows.ts: eligibility, traces, signals, potentials, factorisation
   * tables); on SharedArrayBuffers when threads > 1, with W, F, b copied in and out at each example.
   */
  rows: RowState;
  /** Learning signals per compartment: outputs w[k]; hidden w[k] or w[k] − 1/K (= rows.aO, rows.aH). */
  aH: Float64Array;
  aO: Float64Array;
  /** Views of the input traces rows.trIn / rows.actIn by parity of the step. */
  trInP: Float64Array[];
  actInP: Int32Array[];
  seenIn: Uint8Array;
  spikes: InputSpikes;
  /** Factorisation scratch (capacity cap ≥ T): R [T][Ka] (one row of inputDriveAll), O [T][T], Q [τ][τ], times [nIn][T], tcount [nIn]. */
  cap: number;
  R: Float64Array;
  O: Float64Array;
  Q: Float64Array;
  times: Int32Array;
  tcount: Int32Array;
  /** Scratch [max(L·Ka, K)] of the main thread's row phase. */
  ua: Float64Array;
  /** Worker pool when threads > 1 (null otherwise or once disposed). */
  pool: GemPool | null;
}

/** Typed-array allocators: on SharedArrayBuffers when worker threads will read them. */
export interface Alloc {
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
  u8(n: number): Uint8Array;
}

/** Plain or shared (`shared`) typed-array allocator. */
export function allocator(shared: boolean): Alloc {
  if (!shared) return { f64: (n) => new Float64Array(n), i32: (n) => new Int32Array(n), u8: (n) => new Uint8Array(n) };
  return {
    f64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
    i32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
    u8: (n) => new Uint8Array(new SharedArrayBuffer(n)),
  };
}

function copyTo<A extends Float64Array | Int32Array | Uint8Array>(a: A, alloc: Alloc): A {
  const out = (a instanceof Float64Array ? alloc.f64(a.length) : a instanceof Int32Array ? alloc.i32(a.length) : alloc.u8(a.length)) as A;
  out.set(a);
  return out;
}

/** The row state of K compartments of `net` (η, κ of the rule), shared between threads when `threads` > 1. */
export function createRowState(net: Network, engine: Engine, K: number, eta: number, kappa: number, threads: number): RowState {
  const { L, N, nIn, nH } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const al = allocator(threads > 1);
  const shared = threads > 1;
  const rl = recurrentLists(engine, al);
  const nExc = rl.excIdx.length;
  const tauA = net.synaptic.tau;
  const A = net.synaptic.table;
  const Q = al.f64(tauA * tauA);
  for (let d = 0; d < tauA; d++) for (let e = 0; e < tauA; e++) for (let m = 0; m < Ka; m++) Q[d * tauA + e] += A[m * tauA + d] * A[m * tauA + e];
  return {
    K,
    L,
    N,
    nIn,
    nH,
    Ka,
    Kb,
    tauA: net.synaptic.tau,
    A: copyTo(net.synaptic.table, al),
    eta,
    kappa,
    recPre: copyTo(engine.recPre, al),
    recStart: copyTo(engine.recStart, al),
    inPre: copyTo(engine.inPre, al),
    inStart: copyTo(engine.inStart, al),
    inputMode: copyTo(engine.inputMode, al),
    fbMask: copyTo(net.topology.feedback, al),
    mask: copyTo(net.topology.mask, al),
    factRows: al.u8(L),
    directRows: al.u8(L),
    W: shared ? al.f64(net.W.length) : net.W,
    F: shared ? al.f64(net.F.length) : net.F,
    b: shared ? al.f64(net.b.length) : net.b,
    eRec: al.f64(L * L * Ka * K),
    eF: al.f64(L * Kb * K),
    eb: al.f64(L * K),
    eIn: al.f64(0),
    g: al.f64(K * L),
    aH: al.f64(K),
    aO: al.f64(K),
    u: al.f64(K * L),
    tr: al.f64(2 * L * Ka * K),
    fb: al.f64(2 * L * Kb * K),
    trIn: al.f64(2 * nIn * Ka),
    actIn: al.i32(2 * nIn),
    nActIn: al.i32(2),
    Z: al.f64(0),
    G: al.f64(0),
    C: al.f64(0),
    gT: al.f64(0),
    kpow: al.f64(0),
    spInStart: al.i32(nIn + 1),
    spTimes: al.i32(0),
    rule: 0,
    beta: 0,
    signal: al.f64(1),
    numRec: al.f64(0),
    denRec: al.f64(0),
    numF: al.f64(0),
    denF: al.f64(0),
    numB: al.f64(0),
    denB: al.f64(0),
    numIn: al.f64(0),
    denIn: al.f64(0),
    recFact: al.u8(L),
    nw: rl.nw,
    Pb: rl.Pb,
    excStart: rl.excStart,
    excIdx: rl.excIdx,
    eExc: al.f64(nExc * Ka * K),
    wExc: al.f64(nExc * Ka),
    Q,
    recCap: 0,
    Rh: al.f64(0),
    Sl: al.i32(0),
    Sn: al.i32(0),
    Jl: al.i32(0),
    Jn: al.i32(0),
    Crec: al.f64(0),
    Gc: al.f64(0),
    O: al.i32(0),
    Sb: al.i32(0),
  };
}

/** Switches the row state to the single-sample rule (K = 1): rule 1, β, zeroed baseline statistics. */
export function useSingleSampleRule(st: RowState, beta: number, threads: number): void {
  const al = allocator(threads > 1);
  const { L, nIn, nH, Ka, Kb } = st;
  st.rule = 1;
  st.beta = beta;
  st.numRec = al.f64(L * L * Ka);
  st.denRec = al.f64(L * L * Ka);
  st.numF = al.f64(L * Kb);
  st.denF = al.f64(L * Kb);
  st.numB = al.f64(L);
  st.denB = al.f64(L);
  st.numIn = al.f64(nH * nIn * Ka);
  st.denIn = al.f64(nH * nIn * Ka);
}


/**
 * Relative work of each row per step (recurrent synapses twice, direct-path inputs, feedback, bias);
 * `directInputs`: every row on the direct input path; `baselineHidden`: hidden rows of the single-sample
 * rule (direct inputs with baselines, about three times the work of a GEM eligibility).
 */
export function rowCosts(engine: Engine, K: number, directInputs: boolean, baselineHidden = false): Float64Array {
  const { L, Ka, Kb, nH } = engine;
  const cost = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    const nRec = engine.recStart[l + 1] - engine.recStart[l];
    const hb = baselineHidden && l < nH;
    const nInRow = engine.inputMode[l] === 2 || directInputs || hb ? engine.inStart[l + 1] - engine.inStart[l] : 0;
    cost[l] = (hb ? 3 : 1) * K * (2 * nRec * Ka + nInRow * Ka + Kb + 1) + 8;
  }
  return cost;
}

/** The learner's internal state for K compartments of `net` around its row state. */
export function createGemInternal(net: Network, K: number, eta: number, kappa: number, threads: number, pool: (e: Engine) => GemPool | null): GemInternal {
  const { L, nIn } = net;
  const Ka = net.synaptic.K;
  const engine = createEngine(net, K);
  const rows = createRowState(net, engine, K, eta, kappa, threads);
  return {
    engine,
    rows,
    aH: rows.aH,
    aO: rows.aO,
    trInP: [rows.trIn.subarray(0, nIn * Ka), rows.trIn.subarray(nIn * Ka)],
    actInP: [rows.actIn.subarray(0, nIn), rows.actIn.subarray(nIn)],
    seenIn: new Uint8Array(nIn),
    spikes: createInputSpikes(),
    cap: 0,
    R: new Float64Array(0),
    O: new Float64Array(0),
    Q: new Float64Array(net.synaptic.tau * net.synaptic.tau),
    times: new Int32Array(0),
    tcount: new Int32Array(nIn),
    ua: new Float64Array(Math.max(L * Ka, K)),
    pool: pool(engine),
  };
}

/** Most memory one learner may allocate for its per-example buffers (checked before allocating). */
export const MAX_LEARNER_BYTES = 2 ** 30;

/** Bytes of the per-example buffers of a learner for T steps: 16 T^2 + 8 T L (Ka + 2 + K) + 8 T + 4 nIn T. */
export function gemExampleBytes(L: number, nIn: number, Ka: number, K: number, T: number): number {
  return 16 * T * T + 8 * T * L * (Ka + 2 + K) + 8 * T + 4 * nIn * T;
}

/** Grows the per-example tables to T steps (κ^n for the factorised signal included). */
export function ensureCapacity(x: GemInternal, net: Network, K: number, kappa: number, T: number, al: Alloc): void {
  if (x.cap >= T) return;
  const { L, nIn } = net;
  const Ka = net.synaptic.K;
  const bytes = gemExampleBytes(L, nIn, Ka, K, T);
  if (bytes > MAX_LEARNER_BYTES) {
    fail('gemTrainExample', 'T', T, `a length whose buffers fit in ${MAX_LEARNER_BYTES / 2 ** 20} MiB (16 T^2 + 8 T L (Ka + 2 + K) bytes = ${(bytes / 2 ** 20).toFixed(0)} MiB for L = ${L}, Ka = ${Ka}, K = ${K})`);
  }
  const st = x.rows;
  x.cap = T;
  st.Z = al.f64(T * L);
  x.R = new Float64Array(T * Ka);
  st.G = al.f64(T * T);
  x.O = new Float64Array(T * T);
  st.C = al.f64(T * L);
  st.gT = al.f64(T * L * K);
  x.times = new Int32Array(nIn * T);
  st.kpow = al.f64(T);
  let p = 1;
  for (let n = 0; n < T; n++) {
    st.kpow[n] = p < 1e-300 ? 0 : p;
    p *= kappa;
  }
}

/**
 * Learnable traces of step t for every compartment from its spike ring, into parity buffer t mod 2
 * of rows.tr ([K][L][Ka]) and rows.fb ([L][Kb][K]).
 */
export function tracesAt(e: Engine, st: RowState, t: number): void {
  const { K, L, Ka, Kb } = e;
  const tb = (t & 1) * L * Ka * K;
  const fbb = (t & 1) * L * Kb * K;
  const { tr, fb } = st;
  tr.fill(0, tb, tb + L * Ka * K);
  fb.fill(0, fbb, fbb + L * Kb * K);
  for (let k = 0; k < K; k++) addTraces(e.net, e.ring, k, t, tr, tb + k * L * Ka, fb, fbb + k, K);
}
