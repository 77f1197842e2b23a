/**
 * GEM-SNN (SPEC 2.1) on the fast engine: K compartments, outputs clamped to the target, parameters
 * updated online at every step by η Σ_k a[k] e[k] with importance weights a = softmax(v) (or w − 1/K
 * for hidden neurons with hiddenSignal 'centered'). Computes the same thing as refGemExample in
 * reference/reference-path.ts (verified step by step in test/learn/gem.test.ts).
 *
 * The factorised form of input synapses (why it is exact): an input's trace tr[j,m](s) is the same in
 * every compartment, so with eligibility reset at the example start
 *   W[l,j,m](t) = W0[l,j,m] + Σ_{s≤t} C[l](s) tr[j,m](s),
 *   C[l](s) = η(1−κ) Σ_{t'=s..t} κ^{t'−s} Σ_k a[k,l](t') g[k,l](s),
 * and the input part of a potential is W0[l]·tr(t) + Σ_{s<t} C[l](s) Gram(s,t), Gram(s,t) = Σ_j tr_j(s)·tr_j(t).
 * No per-compartment eligibility over inputs is ever formed; W over inputs is written once, at the end of
 * the example. This applies to rows that hear every input; rows that hear some inputs (custom masks) and
 * every row when resetTracesPerExample = false use direct eligibility traces over their inputs (the
 * slower direct path). Synapses from hidden/output neurons, feedback weights and biases always use direct
 * per-compartment eligibility traces, updated and applied in one fused pass.
 *
 * Each step: the main thread samples every compartment from the potentials, computes the importance
 * weights and the traces of the next step (all sequential); then the row phase (gem-rows.ts) updates
 * each learnable row's parameters (η Σ_k a[k] e[k] summed over k first, added once) and computes the
 * row's next potentials while its weights are in cache. With `threads` > 1 (GemEngineOptions) the rows
 * are split between the main thread and worker threads (gem-threads.ts) with bit-identical results.
 */
import { checkExample } from '../model/training-example';
import { Example } from '../model/training-example';
import { createEngine, createEngineRecord, Engine, EngineRecord, resetEngine, sampleCompartment } from '../engine/engine';
import { createInputSpikes, indexInputSpikes, inputDriveAll, inputGram, inputTracesAt, InputSpikes } from '../engine/input-traces';
import { RowState, rowsStart, rowsStep } from './gem-rows';
import { checkThreads, closeGemPool, createGemPool, GemPool, poolRelease, poolStartExample, poolWait } from './gem-threads';
import { logMeanExp, softmaxInto } from '../util/math';
import { Network } from '../model/network';
import { GemOptions, resolveGemOptions } from '../model/learning-options';
import { makeRngs, Rng } from '../util/rng';
import { checkBinary, checkKeys, checkLength, checkSeed, fail } from '../util/validate';

/**
 * How the learner computes (not what: results are bit-identical for every value, so these are NOT part
 * of GemOptions, which records the rule's semantics).
 */
export interface GemEngineOptions {
  /**
   * Threads for training (default 1): the main thread plus threads − 1 worker threads sharing the rows
   * of every step (gem-threads.ts). Parameters, spikes and importance weights are bit-identical to one
   * thread. Integer from 1 to 64; call `disposeGemLearner` when done (idle workers never keep the
   * process alive).
   */
  threads?: number;
}

/** A GEM-SNN learner: the network it trains IN PLACE, its options, and all evolving state. */
export interface GemLearner {
  /** The network; gemTrainExample updates net.W, net.F, net.b in place. */
  net: Network;
  /** Resolved options (K, η, κ, κv, logitScale, hiddenSignal, resetTracesPerExample). */
  opts: GemOptions;
  /** The seed of the sampling streams. */
  seed: string | number;
  /** Stream `<seed>/sample/<k>` of compartment k; streams continue from one example to the next. */
  rngs: Rng[];
  /** Importance logits v[k] (Float64Array [K]). */
  v: Float64Array;
  /** Importance weights of the last step (Float64Array [K]). */
  w: Float64Array;
  /** Examples trained so far. */
  examples: number;
  /** Threads used for training (GemEngineOptions.threads). */
  threads: number;
  /** Internal buffers (engine, eligibility traces, factorisation tables). */
  internal: GemInternal;
}

/** Internal state of the fast learner (exposed for tests and inspection; layouts documented). */
export interface GemInternal {
  /** Connectivity lists, spike history ring [K][τmax][L], spikes s [K][L], ell/lph [K] (engine.ts). */
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
  /** Factorisation scratch (capacity cap ≥ T): R [T][L][Ka], O [T][T], Q [τ][τ], times [nIn][T], tcount [nIn]. */
  cap: number;
  R: Float64Array;
  O: Float64Array;
  Q: Float64Array;
  times: Int32Array;
  tcount: Int32Array;
  /** Scratch [nIn][L][Ka] of inputDriveAll (input weights transposed). */
  WinT: Float64Array;
  /** Scratch [L·Ka] of the main thread's row phase. */
  ua: Float64Array;
  /** Worker pool when threads > 1 (null otherwise or once disposed). */
  pool: GemPool | null;
}

/** Testing and inspection hooks of gemTrainExample. */
export interface GemHooks {
  /** Record spikes, potentials ([K][T][L]) and importance weights ([T][K]) of every step. */
  record?: boolean;
  /** Testing hook: per compartment a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden?: ArrayLike<number>[];
  /** Sample compartments in reverse order (testing hook: each compartment has its own stream, so results are identical). */
  reverse?: boolean;
  /** Use direct eligibility traces for input synapses even where the factorised form applies. */
  forceDirect?: boolean;
}

/** What one training example did. */
export interface GemExampleStats {
  /** Float64Array [K]: Σ_t Σ_o log p(x[o,t] | u[k,o,t]) per compartment (outputs clamped), nats. */
  logPOutputs: Float64Array;
  /** Float64Array [K]: Σ_t Σ_h log p(h[t] | u) per compartment, nats. */
  logPHidden: Float64Array;
  /** log (1/K) Σ_k exp(logPOutputs[k]): the K-sample estimate of log p(x) along training, nats. */
  estimate: number;
  /** Mean over steps of the effective sample size 1 / Σ_k w[k]² (between 1 and K). */
  meanEss: number;
  /** Mean over steps of the entropy −Σ_k w[k] log w[k] of the importance weights, nats. */
  meanWeightEntropy: number;
  /** Which path trained the input synapses: 'factorised' (rows hearing every input) or 'direct'. */
  path: 'factorised' | 'direct' | 'none';
  /** With hooks.record: per-step spikes and potentials [K][T][L], weights Float64Array [T][K]. */
  record?: EngineRecord & { weights: Float64Array };
}

function checkNetwork(net: Network, where: string): void {
  if (!net || typeof net !== 'object' || !(net.W instanceof Float64Array) || !net.topology) {
    fail(where, 'net', net, 'a Network (createNetwork / networkWithParams)');
  }
  const Ka = net.synaptic.K;
  checkLength(where, 'net.W', net.W, net.L * net.N * Ka, `[L=${net.L}][N=${net.N}][Ka=${Ka}]`);
  checkLength(where, 'net.F', net.F, net.L * net.feedbackBasis.K, `[L=${net.L}][Kb=${net.feedbackBasis.K}]`);
  checkLength(where, 'net.b', net.b, net.L, `[L=${net.L}]`);
}

/** Checks a seed: a string or a finite number (kept here for existing importers). */
export { checkSeed };

/** Typed-array allocators: on SharedArrayBuffers when worker threads will read them. */
interface Alloc {
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
  u8(n: number): Uint8Array;
}
function allocator(shared: boolean): Alloc {
  if (!shared) return { f64: (n) => new Float64Array(n), i32: (n) => new Int32Array(n), u8: (n) => new Uint8Array(n) };
  return {
    f64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
    i32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
    u8: (n) => new Uint8Array(new SharedArrayBuffer(n)),
  };
}
function sharedCopy<A extends Float64Array | Int32Array | Uint8Array>(a: A, alloc: Alloc): A {
  const out = (a instanceof Float64Array ? alloc.f64(a.length) : a instanceof Int32Array ? alloc.i32(a.length) : alloc.u8(a.length)) as A;
  out.set(a);
  return out;
}

/**
 * Creates a GEM-SNN learner for `net` (trained IN PLACE: clone it first to keep the original). Options
 * default to DEFAULT_GEM; compartment k samples from stream `<seed>/sample/<k>`. `engineOpts.threads`
 * (default 1) starts threads − 1 worker threads (see GemEngineOptions; release them with
 * disposeGemLearner). Throws naming the option on invalid options (K < 1, κ ∉ [0,1), threads not an
 * integer in 1..64, ...), before allocating anything.
 */
export function createGemLearner(net: Network, opts: Partial<GemOptions>, seed: string | number, engineOpts: GemEngineOptions = {}): GemLearner {
  const where = 'createGemLearner';
  checkNetwork(net, where);
  const o = resolveGemOptions(opts ?? {}, `${where}: options`);
  checkSeed(where, seed);
  if (engineOpts === null || typeof engineOpts !== 'object') fail(where, 'engineOpts', engineOpts, 'an object like { threads: 2 }');
  checkKeys(where, 'engineOpts', engineOpts, ['threads']);
  const threads = checkThreads(where, engineOpts.threads);
  const { K, eta, kappa } = o;
  const { L, N, nIn, nH } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const engine = createEngine(net, K);
  const al = allocator(threads > 1);
  const rows: RowState = {
    K,
    L,
    N,
    nIn,
    nH,
    Ka,
    Kb,
    tauA: net.synaptic.tau,
    A: sharedCopy(net.synaptic.table, al),
    eta,
    kappa,
    recPre: sharedCopy(engine.recPre, al),
    recStart: sharedCopy(engine.recStart, al),
    inPre: sharedCopy(engine.inPre, al),
    inStart: sharedCopy(engine.inStart, al),
    inputMode: sharedCopy(engine.inputMode, al),
    fbMask: sharedCopy(net.topology.feedback, al),
    mask: sharedCopy(net.topology.mask, al),
    factRows: al.u8(L),
    directRows: al.u8(L),
    W: threads > 1 ? al.f64(net.W.length) : net.W,
    F: threads > 1 ? al.f64(net.F.length) : net.F,
    b: threads > 1 ? al.f64(net.b.length) : net.b,
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
    spStart: al.i32(1),
    spIdx: al.i32(0),
  };
  let pool: GemPool | null = null;
  if (threads > 1) {
    // relative work of a row per step: recurrent synapses (eligibility + next potential), inputs on the direct path
    const cost = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      const nRec = engine.recStart[l + 1] - engine.recStart[l];
      const nInRow = engine.inputMode[l] === 2 || !o.resetTracesPerExample ? engine.inStart[l + 1] - engine.inStart[l] : 0;
      cost[l] = K * (2 * nRec * Ka + nInRow * Ka + Kb + 1) + 8;
    }
    pool = createGemPool(threads, cost);
  }
  const internal: GemInternal = {
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
    WinT: new Float64Array(nIn * L * Ka),
    ua: new Float64Array(L * Ka),
    pool,
  };
  void nH;
  return { net, opts: o, seed, rngs: makeRngs(seed, 'sample', K), v: new Float64Array(K), w: new Float64Array(K), examples: 0, threads, internal };
}

/**
 * Stops the learner's worker threads (threads > 1; a no-op otherwise); the learner cannot train
 * afterwards. Resolves once they have exited. Idle workers never keep the process alive, so this is
 * only needed to free them early.
 */
export function disposeGemLearner(learner: GemLearner): Promise<void> {
  const pool = learner.internal.pool;
  if (!pool) return Promise.resolve();
  return closeGemPool(pool);
}

/** Most memory one learner may allocate for its per-example buffers (checked before allocating). */
export const MAX_LEARNER_BYTES = 2 ** 30;

/** Bytes of the per-example buffers of a learner for T steps: 16 T^2 + 8 T L (Ka + 2 + K) + 8 T + 4 nIn T. */
export function gemExampleBytes(L: number, nIn: number, Ka: number, K: number, T: number): number {
  return 16 * T * T + 8 * T * L * (Ka + 2 + K) + 8 * T + 4 * nIn * T;
}

function ensureCapacity(x: GemInternal, net: Network, K: number, kappa: number, T: number, al: Alloc): void {
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
  x.R = new Float64Array(T * L * Ka);
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
 * Learnable traces of step t for every compartment from the spike history, into parity buffer t mod 2
 * of rows.tr ([K][L][Ka]) and rows.fb ([L][Kb][K]).
 */
function tracesAt(e: Engine, st: RowState, t: number): void {
  const { K, L, Ka, Kb, tauA, tauB, tauMax, hist } = e;
  const A = e.net.synaptic.table;
  const B = e.net.feedbackBasis.table;
  const fbMask = e.net.topology.feedback;
  const tb = (t & 1) * L * Ka * K;
  const fbb = (t & 1) * L * Kb * K;
  const { tr, fb } = st;
  tr.fill(0, tb, tb + L * Ka * K);
  fb.fill(0, fbb, fbb + L * Kb * K);
  for (let d = 1; d <= tauMax && t - d >= 0; d++) {
    const slot = (t - d) % tauMax;
    for (let k = 0; k < K; k++) {
      const hb = (k * tauMax + slot) * L;
      for (let j = 0; j < L; j++) {
        if (!hist[hb + j]) continue;
        if (d <= tauA) {
          const b = tb + (k * L + j) * Ka;
          for (let m = 0; m < Ka; m++) tr[b + m] += A[m * tauA + d - 1];
        }
        if (d <= tauB && fbMask[j]) {
          const b = fbb + j * Kb * K + k;
          for (let m = 0; m < Kb; m++) fb[b + m * K] += B[m * tauB + d - 1];
        }
      }
    }
  }
}

/**
 * Trains on one example (SPEC 2.1), updating learner.net in place. The example must match the
 * network (input [T][nIn], target [T][nO], label < nO); checked before any work. Hooks are for tests
 * and inspection. Returns the example's statistics.
 */
export function gemTrainExample(learner: GemLearner, ex: Example, hooks: GemHooks = {}): GemExampleStats {
  const where = 'gemTrainExample';
  const net = learner.net;
  checkExample(ex, net.nIn, net.nO, where);
  const o = learner.opts;
  const { K, kappa, kappaV } = o;
  const { L, nIn, nH, nO } = net;
  const Ka = net.synaptic.K;
  const T = ex.T;
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, K, `[K=${K}][T=${T}][nH=${nH}]`);
    hooks.injectHidden.forEach((h, k) => {
      checkLength(where, `hooks.injectHidden[${k}]`, h, T * nH, `[T=${T}][nH=${nH}]`);
      checkBinary(where, `hooks.injectHidden[${k}]`, h);
    });
  }
  const x = learner.internal;
  const pool = x.pool;
  if (learner.threads > 1 && (!pool || pool.closed)) throw new Error(`${where}: the learner's worker threads were disposed (disposeGemLearner); create a new learner`);
  const al = allocator(learner.threads > 1);
  const e = x.engine;
  const st = x.rows;
  const { inputMode } = e;

  // Which rows take the factorised form, which need direct eligibility over inputs.
  const { factRows, directRows } = st;
  factRows.fill(0);
  directRows.fill(0);
  let nFact = 0;
  let nDirect = 0;
  for (let l = 0; l < L; l++) {
    if (inputMode[l] === 0) continue;
    if (inputMode[l] === 1 && o.resetTracesPerExample && !hooks.forceDirect) {
      factRows[l] = 1;
      nFact++;
    } else {
      directRows[l] = 1;
      nDirect++;
    }
  }
  if (nDirect > 0 && st.eIn.length === 0) st.eIn = al.f64(L * nIn * Ka * K);

  if (o.resetTracesPerExample) {
    st.eRec.fill(0);
    st.eF.fill(0);
    st.eb.fill(0);
    if (st.eIn.length) st.eIn.fill(0);
    learner.v.fill(0);
  }
  resetEngine(e);
  const sp = indexInputSpikes(ex.input, T, nIn, x.spikes);
  ensureCapacity(x, net, K, kappa, T, al);
  if (pool) {
    if (st.spStart.length < T + 1) st.spStart = al.i32(T + 1);
    const nSp = sp.start[T];
    if (st.spIdx.length < nSp) st.spIdx = al.i32(Math.max(nSp, 2 * st.spIdx.length));
    st.spStart.set(sp.start.subarray(0, T + 1));
    st.spIdx.set(sp.idx.subarray(0, nSp));
  } else {
    st.spStart = sp.start;
    st.spIdx = sp.idx;
    st.W = net.W;
    st.F = net.F;
    st.b = net.b;
  }
  if (nFact > 0) {
    const all = new Uint8Array(L).fill(1);
    inputDriveAll(net, net.W, sp, factRows, all, st.Z, x.R, x.WinT);
    inputGram(net, sp, st.G, x.O, x.Q, x.times, x.tcount);
    st.C.fill(0, 0, T * L);
  }
  // traces of step 0 are zero; input traces start clean (cleared at the end of the previous example)
  st.tr.fill(0, 0, L * Ka * K);
  st.fb.fill(0, 0, L * net.feedbackBasis.K * K);
  if (pool) {
    st.W.set(net.W);
    st.F.set(net.F);
    st.b.set(net.b);
    poolStartExample(pool, st, T);
  }
  rowsStart(st, 0, L);
  const mainHi = pool ? pool.ranges[1] : L;

  const rec = hooks.record ? createEngineRecord(e, T) : undefined;
  const weights = hooks.record ? new Float64Array(T * K) : undefined;
  const logPOutputs = new Float64Array(K);
  const logPHidden = new Float64Array(K);
  const v = learner.v;
  const w = learner.w;
  const { aH, aO, trInP, actInP, seenIn, ua } = x;
  const { u, g, nActIn } = st;
  const { s, ell, lph, hist, tauMax } = e;
  const c = o.logitScale === 'mean' ? 1 - kappaV : 1;
  const centred = o.hiddenSignal === 'centered';
  const rngs = learner.rngs;
  const inject = hooks.injectHidden ?? null;
  const target = ex.target;
  let essSum = 0;
  let entSum = 0;

  try {
    for (let t = 0; t < T; t++) {
      // 1. every compartment: spikes from the potentials u (written by the row phase of step t−1), g, ℓ
      for (let kk = 0; kk < K; kk++) {
        const k = hooks.reverse ? K - 1 - kk : kk;
        sampleCompartment(k, t, L, nH, u, s, g, ell, lph, rngs[k], inject ? inject[k] : null, target, true, rec);
      }
      const slot = t % tauMax;
      for (let k = 0; k < K; k++) hist.set(s.subarray(k * L, k * L + L), (k * tauMax + slot) * L);
      e.t = t + 1;
      // 2. importance logits and weights
      for (let k = 0; k < K; k++) {
        v[k] = kappaV * v[k] + c * ell[k];
        logPOutputs[k] += ell[k];
        logPHidden[k] += lph[k];
      }
      softmaxInto(v, w, K);
      let sq = 0;
      let ent = 0;
      for (let k = 0; k < K; k++) {
        const wk = w[k];
        sq += wk * wk;
        if (wk > 0) ent -= wk * Math.log(wk);
        aO[k] = wk;
        aH[k] = centred ? wk - 1 / K : wk;
      }
      essSum += 1 / sq;
      entSum += ent;
      if (weights) weights.set(w, t * K);
      // 3. traces of step t+1 (learnable per compartment; shared inputs for the direct path)
      if (t + 1 < T) {
        tracesAt(e, st, t + 1);
        if (nDirect > 0) {
          const q = (t + 1) & 1;
          nActIn[q] = inputTracesAt(net, sp, t + 1, trInP[q], actInP[q], nActIn[q], seenIn);
        }
      }
      // 4. row phase: parameter updates and next potentials, rows split between threads
      if (pool) poolRelease(pool);
      rowsStep(st, 0, mainHi, t, T, ua);
      if (pool) poolWait(pool);
    }
  } finally {
    // the next example starts with clean input traces
    for (let q = 0; q < 2; q++) {
      for (let a = 0; a < nActIn[q]; a++) trInP[q].fill(0, actInP[q][a] * Ka, actInP[q][a] * Ka + Ka);
      nActIn[q] = 0;
    }
  }
  if (pool) {
    net.W.set(st.W);
    net.F.set(st.F);
    net.b.set(st.b);
  }
  learner.examples++;
  const stats: GemExampleStats = {
    logPOutputs,
    logPHidden,
    estimate: logMeanExp(logPOutputs),
    meanEss: essSum / T,
    meanWeightEntropy: entSum / T,
    path: nFact > 0 ? 'factorised' : nDirect > 0 ? 'direct' : 'none',
  };
  if (rec && weights) stats.record = { ...rec, weights };
  return stats;
}

/**
 * Trains on every example of `examples` in order (online), calling `onExample(i, stats)` after each.
 * Updates learner.net in place.
 */
export function trainGem(learner: GemLearner, examples: Iterable<Example>, onExample?: (i: number, s: GemExampleStats) => void): void {
  let i = 0;
  for (const ex of examples) {
    const s = gemTrainExample(learner, ex);
    if (onExample) onExample(i, s);
    i++;
  }
}
