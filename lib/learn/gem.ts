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
import { checkExample, Example } from '../model/training-example';
import { createEngineRecord, Engine, EngineRecord, resetEngine, sampleCompartment } from '../engine/engine';
import { indexInputSpikes, inputDriveAll, inputGram, inputTracesAt, InputSpikes, spikesByInput } from '../engine/input-traces';
import { pushSpikes } from '../engine/spike-ring';
import { rowsStart, rowsStep } from './gem-rows';
import { allocator, createGemInternal, ensureCapacity, GemInternal, rowCosts, tracesAt } from './gem-state';
import { chooseRecurrentPath, ensureRecurrentCapacity, recurrentGramStep, RecurrentPath, resetRecurrent } from './gem-recurrent';
import { checkThreads, closeGemPool, createGemPool, poolRelease, poolStartExample, poolWait } from './gem-threads';
import { logMeanExp, softmaxInto } from '../util/math';
import { Network } from '../model/network';
import { GemOptions, resolveGemOptions } from '../model/learning-options';
import { makeRngs, Rng } from '../util/rng';
import { checkBinary, checkKeys, checkLength, checkSeed, fail } from '../util/validate';

export type { GemInternal } from './gem-state';
export { gemExampleBytes, MAX_LEARNER_BYTES } from './gem-state';

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
  /**
   * Synapses from learnable neurons: 'auto' (default; factorised where gem-recurrent.ts's shape rule
   * says it is cheaper), 'factorised' (every row that has them, with eligibility reset per example) or
   * 'direct' (per-compartment eligibility traces).
   */
  recurrent?: RecurrentPath;
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

/** Checks that `net` is a Network whose W, F and b have the lengths of its shape (throws naming it). */
export function checkNetwork(net: Network, where: string): void {
  if (!net || typeof net !== 'object' || !(net.W instanceof Float64Array) || !net.topology) {
    fail(where, 'net', net, 'a Network (createNetwork / networkWithParams)');
  }
  const Ka = net.synaptic.K;
  checkLength(where, 'net.W', net.W, net.L * net.N * Ka, `[L=${net.L}][N=${net.N}][Ka=${Ka}]`);
  checkLength(where, 'net.F', net.F, net.L * net.feedbackBasis.K, `[L=${net.L}][Kb=${net.feedbackBasis.K}]`);
  checkLength(where, 'net.b', net.b, net.L, `[L=${net.L}]`);
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
  // worker row ranges balanced by each row's work per step
  const pool = (e: Engine) => (threads > 1 ? createGemPool(threads, rowCosts(e, K, !o.resetTracesPerExample)) : null);
  const internal = createGemInternal(net, K, eta, kappa, threads, pool);
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

/** Checks the injected hidden spikes of the hooks: K arrays of [T][nH] 0/1. */
function checkInjected(where: string, inj: ArrayLike<number>[] | undefined, K: number, T: number, nH: number): void {
  if (!inj) return;
  checkLength(where, 'hooks.injectHidden', inj, K, `[K=${K}][T=${T}][nH=${nH}]`);
  inj.forEach((h, k) => {
    checkLength(where, `hooks.injectHidden[${k}]`, h, T * nH, `[T=${T}][nH=${nH}]`);
    checkBinary(where, `hooks.injectHidden[${k}]`, h);
  });
}

/**
 * Marks the rows whose input synapses take the factorised form and those that need direct eligibility
 * (every row when traces carry over or `forceDirect`; hidden rows too when `directHidden`).
 */
export function chooseInputPaths(x: GemInternal, reset: boolean, forceDirect: boolean, directHidden: boolean): { nFact: number; nDirect: number } {
  const st = x.rows;
  const { inputMode } = x.engine;
  const { factRows, directRows } = st;
  factRows.fill(0);
  directRows.fill(0);
  let nFact = 0;
  let nDirect = 0;
  for (let l = 0; l < st.L; l++) {
    if (inputMode[l] === 0) continue;
    if (inputMode[l] === 1 && reset && !forceDirect && !(directHidden && l < st.nH)) {
      factRows[l] = 1;
      nFact++;
    } else {
      directRows[l] = 1;
      nDirect++;
    }
  }
  return { nFact, nDirect };
}

/**
 * Everything before the first step: traces reset (per example), input spikes indexed, factorisation
 * tables (Z, Gram) built, parameters copied to the shared state and workers started, potentials of step 0.
 */
export function startExample(x: GemInternal, net: Network, ex: Example, threads: number, reset: boolean, nFact: number, nDirect: number): InputSpikes {
  const { L, nIn } = net;
  const T = ex.T;
  const pool = x.pool;
  const al = allocator(threads > 1);
  const st = x.rows;
  const K = st.K;
  if (nDirect > 0 && st.eIn.length === 0) st.eIn = al.f64(L * nIn * net.synaptic.K * K);
  if (reset) {
    st.eRec.fill(0);
    st.eF.fill(0);
    st.eb.fill(0);
    if (st.eIn.length) st.eIn.fill(0);
  }
  resetEngine(x.engine);
  const sp = indexInputSpikes(ex.input, T, nIn, x.spikes);
  ensureCapacity(x, net, K, st.kappa, T, al);
  if (!pool) {
    st.W = net.W;
    st.F = net.F;
    st.b = net.b;
  }
  if (nFact > 0) {
    const nSp = sp.start[T];
    if (st.spTimes.length < nSp) st.spTimes = al.i32(Math.max(nSp, 2 * st.spTimes.length));
    spikesByInput(sp, nIn, st.spInStart, st.spTimes, x.tcount);
    inputDriveAll(net, net.W, sp, st.factRows, st.spInStart, st.spTimes, st.Z, x.R);
    inputGram(net, sp, st.G, x.O, x.Q, x.times, x.tcount);
    st.C.fill(0, 0, T * L);
  }
  // traces of step 0 are zero; input traces start clean (cleared at the end of the previous example)
  st.tr.fill(0, 0, L * net.synaptic.K * K);
  st.fb.fill(0, 0, L * net.feedbackBasis.K * K);
  if (pool) {
    st.W.set(net.W);
    st.F.set(net.F);
    st.b.set(net.b);
    poolStartExample(pool, st, T);
  }
  rowsStart(st, 0, L);
  return sp;
}

/** Running sums of one example's steps. */
interface ExampleSums {
  logPOutputs: Float64Array;
  logPHidden: Float64Array;
  ess: number;
  entropy: number;
}

/** Step 1: every compartment's spikes from the potentials u (row phase of step t−1), g, ℓ; into the rings. */
export function sampleStep(x: GemInternal, rngs: Rng[], ex: Example, t: number, inject: ArrayLike<number>[] | null, reverse: boolean, rec: EngineRecord | undefined): void {
  const { engine: e, rows: st } = x;
  const { K, L, nH } = st;
  const { s, ell, lph } = e;
  for (let kk = 0; kk < K; kk++) {
    const k = reverse ? K - 1 - kk : kk;
    sampleCompartment(k, t, L, nH, st.u, s, st.g, ell, lph, rngs[k], inject ? inject[k] : null, ex.target, true, rec);
  }
  for (let k = 0; k < K; k++) pushSpikes(e.ring, k, t, s, k * L);
  e.t = t + 1;
}

/** Step 2: importance logits v, weights w = softmax(v), the signals a of hidden and output rows. */
function importanceStep(learner: GemLearner, sums: ExampleSums): void {
  const o = learner.opts;
  const { K, kappaV } = o;
  const { engine: e, aH, aO } = learner.internal;
  const { v, w } = learner;
  const c = o.logitScale === 'mean' ? 1 - kappaV : 1;
  const centred = o.hiddenSignal === 'centered';
  for (let k = 0; k < K; k++) {
    v[k] = kappaV * v[k] + c * e.ell[k];
    sums.logPOutputs[k] += e.ell[k];
    sums.logPHidden[k] += e.lph[k];
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
  sums.ess += 1 / sq;
  sums.entropy += ent;
}

/** Step 3: traces of step t+1 (learnable per compartment; shared inputs for the direct path). */
export function nextTracesStep(x: GemInternal, net: Network, sp: InputSpikes, t: number, T: number, nDirect: number): void {
  if (t + 1 >= T) return;
  tracesAt(x.engine, x.rows, t + 1);
  if (nDirect > 0) {
    const q = (t + 1) & 1;
    const nActIn = x.rows.nActIn;
    nActIn[q] = inputTracesAt(net, sp, t + 1, x.trInP[q], x.actInP[q], nActIn[q], x.seenIn);
  }
}

/** Step 4: the row phase of step t (parameter updates, next potentials), rows split between threads. */
export function rowPhase(x: GemInternal, t: number, T: number): void {
  const pool = x.pool;
  if (pool) poolRelease(pool);
  rowsStep(x.rows, 0, pool ? pool.ranges[1] : x.rows.L, t, T, x.ua);
  if (pool) poolWait(pool);
}

/** After the last step: parameters copied back from the shared state (threads > 1). */
export function finishExample(x: GemInternal, net: Network): void {
  if (!x.pool) return;
  net.W.set(x.rows.W);
  net.F.set(x.rows.F);
  net.b.set(x.rows.b);
}

/** Clears the input traces left by the example (the next one starts clean). */
export function clearInputTraces(x: GemInternal, Ka: number): void {
  const nActIn = x.rows.nActIn;
  for (let q = 0; q < 2; q++) {
    for (let a = 0; a < nActIn[q]; a++) x.trInP[q].fill(0, x.actInP[q][a] * Ka, x.actInP[q][a] * Ka + Ka);
    nActIn[q] = 0;
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
  const { K } = learner.opts;
  const T = ex.T;
  checkInjected(where, hooks.injectHidden, K, T, net.nH);
  const x = learner.internal;
  const pool = x.pool;
  if (learner.threads > 1 && (!pool || pool.closed)) throw new Error(`${where}: the learner's worker threads were disposed (disposeGemLearner); create a new learner`);
  const reset = learner.opts.resetTracesPerExample;
  const { nFact, nDirect } = chooseInputPaths(x, reset, !!hooks.forceDirect, false);
  const recMode = hooks.recurrent ?? 'auto';
  if (recMode !== 'auto' && recMode !== 'factorised' && recMode !== 'direct') fail(where, 'hooks.recurrent', recMode, "'auto', 'factorised' or 'direct'");
  // before startExample: the workers receive the row state's arrays there
  const nRec = chooseRecurrentPath(x.rows, recMode, reset, T);
  if (nRec > 0) {
    ensureRecurrentCapacity(x.rows, T, allocator(learner.threads > 1));
    resetRecurrent(x.rows);
  }
  if (reset) learner.v.fill(0);
  const sp = startExample(x, net, ex, learner.threads, reset, nFact, nDirect);
  const rec = hooks.record ? createEngineRecord(x.engine, T) : undefined;
  const weights = hooks.record ? new Float64Array(T * K) : undefined;
  const sums: ExampleSums = { logPOutputs: new Float64Array(K), logPHidden: new Float64Array(K), ess: 0, entropy: 0 };
  try {
    for (let t = 0; t < T; t++) {
      sampleStep(x, learner.rngs, ex, t, hooks.injectHidden ?? null, !!hooks.reverse, rec);
      importanceStep(learner, sums);
      if (weights) weights.set(learner.w, t * K);
      nextTracesStep(x, net, sp, t, T, nDirect);
      if (nRec > 0) recurrentGramStep(x.rows, x.engine.s, t, T);
      rowPhase(x, t, T);
    }
  } finally {
    clearInputTraces(x, net.synaptic.K);
  }
  finishExample(x, net);
  learner.examples++;
  const stats: GemExampleStats = {
    logPOutputs: sums.logPOutputs,
    logPHidden: sums.logPHidden,
    estimate: logMeanExp(sums.logPOutputs),
    meanEss: sums.ess / T,
    meanWeightEntropy: sums.entropy / T,
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
