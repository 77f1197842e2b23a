/**
 * GEM-SNN (SPEC 2.1) on the fast engine: K compartments, outputs clamped to the target, parameters
 * updated online at every step by η Σ_k a[k] e[k] with importance weights a = softmax(v) (or w − 1/K
 * for hidden neurons with hiddenSignal 'centered'). Computes the same thing as refGemExample in
 * reference.ts (verified step by step in test/engine/gem.test.ts).
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
 */
import { checkExample } from './example';
import { Example } from './example';
import {
  createEngine,
  createEngineRecord,
  createStepIO,
  directInputDrive,
  Engine,
  EngineRecord,
  engineStep,
  resetEngine,
  StepIO,
} from './engine';
import { createInputSpikes, indexInputSpikes, inputDriveAll, inputGram, inputTracesAt, InputSpikes } from './engine-input';
import { logMeanExp, softmaxInto } from './mathfn';
import { Network } from './network';
import { GemOptions, resolveGemOptions } from './options';
import { makeRngs, Rng } from './rng';
import { checkBinary, checkLength, fail } from './validate';

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
  /** Internal buffers (engine, eligibility traces, factorisation tables). */
  internal: GemInternal;
}

/** Internal state of the fast learner (exposed for tests and inspection; layouts documented). */
export interface GemInternal {
  engine: Engine;
  io: StepIO;
  /** Learning signals per compartment: outputs w[k]; hidden w[k] or w[k] − 1/K. Float64Array [K]. */
  aH: Float64Array;
  aO: Float64Array;
  /** Eligibility of synapses from learnable neurons: Float64Array [L][K][L][Ka]. */
  eRec: Float64Array;
  /** Eligibility of feedback weights [L][K][Kb] and biases [L][K]. */
  eF: Float64Array;
  eb: Float64Array;
  /** Eligibility of input synapses of rows on the direct path: Float64Array [L][K][nIn][Ka] (allocated on first need). */
  eIn: Float64Array;
  /** Shared input traces [nIn][Ka], active inputs, count, scratch. */
  trIn: Float64Array;
  actIn: Int32Array;
  nActIn: number;
  seenIn: Uint8Array;
  spikes: InputSpikes;
  /** Factorisation tables, grown to the longest example: Z [T][L], R [T][L][Ka], G/O [T][T], C [T][L], gT [T][L][K]. */
  cap: number;
  Z: Float64Array;
  R: Float64Array;
  G: Float64Array;
  O: Float64Array;
  Q: Float64Array;
  C: Float64Array;
  gT: Float64Array;
  times: Int32Array;
  tcount: Int32Array;
  /** κ^n for n < cap, with values below 1e-300 set to 0 (no denormals). */
  kpow: Float64Array;
  /** Scratch [nIn][L][Ka] of inputDriveAll (input weights transposed). */
  WinT: Float64Array;
}

/** Testing and inspection hooks of gemTrainExample. */
export interface GemHooks {
  /** Record spikes, potentials ([K][T][L]) and importance weights ([T][K]) of every step. */
  record?: boolean;
  /** Testing hook: per compartment a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden?: ArrayLike<number>[];
  /** Step compartments in reverse order (testing hook: results equal up to summation order). */
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

/** Checks a seed: a string or a finite number. */
export function checkSeed(where: string, seed: unknown): void {
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    fail(where, 'seed', seed, 'a string or a finite number');
  }
}

/**
 * Creates a GEM-SNN learner for `net` (trained IN PLACE: clone it first to keep the original). Options
 * default to DEFAULT_GEM; compartment k samples from stream `<seed>/sample/<k>`. Throws naming the
 * option on invalid options (K < 1, κ ∉ [0,1), ...), before allocating anything.
 */
export function createGemLearner(net: Network, opts: Partial<GemOptions>, seed: string | number): GemLearner {
  const where = 'createGemLearner';
  checkNetwork(net, where);
  const o = resolveGemOptions(opts ?? {}, `${where}: options`);
  checkSeed(where, seed);
  const { K } = o;
  const { L, nIn } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const engine = createEngine(net, K);
  const internal: GemInternal = {
    engine,
    io: createStepIO(),
    aH: new Float64Array(K),
    aO: new Float64Array(K),
    eRec: new Float64Array(L * K * L * Ka),
    eF: new Float64Array(L * K * Kb),
    eb: new Float64Array(L * K),
    eIn: new Float64Array(0),
    trIn: new Float64Array(nIn * Ka),
    actIn: new Int32Array(nIn),
    nActIn: 0,
    seenIn: new Uint8Array(nIn),
    spikes: createInputSpikes(),
    cap: 0,
    Z: new Float64Array(0),
    R: new Float64Array(0),
    G: new Float64Array(0),
    O: new Float64Array(0),
    Q: new Float64Array(net.synaptic.tau * net.synaptic.tau),
    C: new Float64Array(0),
    gT: new Float64Array(0),
    times: new Int32Array(0),
    tcount: new Int32Array(nIn),
    kpow: new Float64Array(0),
    WinT: new Float64Array(nIn * L * Ka),
  };
  return { net, opts: o, seed, rngs: makeRngs(seed, 'sample', K), v: new Float64Array(K), w: new Float64Array(K), examples: 0, internal };
}

function ensureCapacity(x: GemInternal, net: Network, K: number, kappa: number, T: number): void {
  if (x.cap >= T) return;
  const { L, nIn } = net;
  const Ka = net.synaptic.K;
  x.cap = T;
  x.Z = new Float64Array(T * L);
  x.R = new Float64Array(T * L * Ka);
  x.G = new Float64Array(T * T);
  x.O = new Float64Array(T * T);
  x.C = new Float64Array(T * L);
  x.gT = new Float64Array(T * L * K);
  x.times = new Int32Array(nIn * T);
  x.kpow = new Float64Array(T);
  let p = 1;
  for (let n = 0; n < T; n++) {
    x.kpow[n] = p < 1e-300 ? 0 : p;
    p *= kappa;
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
  const { K, eta, kappa, kappaV } = o;
  const { L, N, nIn, nH } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const T = ex.T;
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, K, `[K=${K}][T=${T}][nH=${nH}]`);
    hooks.injectHidden.forEach((h, k) => {
      checkLength(where, `hooks.injectHidden[${k}]`, h, T * nH, `[T=${T}][nH=${nH}]`);
      checkBinary(where, `hooks.injectHidden[${k}]`, h);
    });
  }
  const x = learner.internal;
  const e = x.engine;
  const { recPre, recStart, inPre, inStart, inputMode } = e;
  const fbMask = net.topology.feedback;
  const W = net.W;
  const F = net.F;
  const b = net.b;

  // Which rows take the factorised form, which need direct eligibility over inputs.
  const factRows = new Uint8Array(L);
  const directRows = new Uint8Array(L);
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
  if (nDirect > 0 && x.eIn.length === 0) x.eIn = new Float64Array(L * K * nIn * Ka);

  if (o.resetTracesPerExample) {
    x.eRec.fill(0);
    x.eF.fill(0);
    x.eb.fill(0);
    if (x.eIn.length) x.eIn.fill(0);
    learner.v.fill(0);
  }
  resetEngine(e);
  const sp = indexInputSpikes(ex.input, T, nIn, x.spikes);
  ensureCapacity(x, net, K, kappa, T);
  if (nFact > 0) {
    const all = new Uint8Array(L).fill(1);
    inputDriveAll(net, W, sp, factRows, all, x.Z, x.R, x.WinT);
    inputGram(net, sp, x.G, x.O, x.Q, x.times, x.tcount);
    x.C.fill(0, 0, T * L);
  }
  const factList = Int32Array.from({ length: nFact }, () => 0);
  for (let l = 0, n = 0; l < L; l++) if (factRows[l]) factList[n++] = l;

  const io = x.io;
  io.target = ex.target;
  io.clamp = true;
  io.rngs = learner.rngs;
  io.injectHidden = hooks.injectHidden ?? null;
  io.reverse = !!hooks.reverse;
  const rec = hooks.record ? createEngineRecord(e, T) : undefined;
  const weights = hooks.record ? new Float64Array(T * K) : undefined;

  const logPOutputs = new Float64Array(K);
  const logPHidden = new Float64Array(K);
  const v = learner.v;
  const w = learner.w;
  const { aH, aO, eRec, eF, eb, eIn, trIn, actIn, seenIn, Z, G, C, gT, kpow } = x;
  const c = o.logitScale === 'mean' ? 1 - kappaV : 1;
  const centred = o.hiddenSignal === 'centered';
  const om = 1 - kappa;
  const { g, trL, fbL, drive, ell, lph } = e;
  let essSum = 0;
  let entSum = 0;

  for (let t = 0; t < T; t++) {
    // 1. input part of the potentials (shared by all compartments)
    if (nDirect > 0) {
      x.nActIn = inputTracesAt(net, sp, t, trIn, actIn, x.nActIn, seenIn);
      directInputDrive(e, directRows, trIn, actIn, x.nActIn);
    }
    for (let f = 0; f < nFact; f++) {
      const l = factList[f];
      let d = Z[t * L + l];
      for (let s = 0; s < t; s++) d += C[s * L + l] * G[s * T + t];
      drive[l] = d;
    }
    // 2. every compartment: potentials, spikes, g, ℓ
    engineStep(e, io, rec);
    // 3. importance logits and weights
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
    // 4. factorised input synapses: C[l](s) += η(1−κ) κ^{t−s} Σ_k a[k,l](t) g[k,l](s), s ≤ t
    if (nFact > 0) {
      const gb = t * L * K;
      for (let f = 0; f < nFact; f++) {
        const l = factList[f];
        for (let k = 0; k < K; k++) gT[gb + l * K + k] = g[k * L + l];
      }
      for (let s = t; s >= 0; s--) {
        const coef = eta * om * kpow[t - s];
        if (coef === 0) break;
        const sb = s * L * K;
        for (let f = 0; f < nFact; f++) {
          const l = factList[f];
          const a = l < nH ? aH : aO;
          const p = sb + l * K;
          let acc = 0;
          for (let k = 0; k < K; k++) acc += a[k] * gT[p + k];
          C[s * L + l] += coef * acc;
        }
      }
    }
    // 5. direct eligibility traces (recurrent synapses, feedback, bias, direct inputs): one fused pass
    for (let l = 0; l < L; l++) {
      const a = l < nH ? aH : aO;
      const p0 = recStart[l];
      const p1 = recStart[l + 1];
      const wRec = (l * N + nIn) * Ka;
      const hasFb = fbMask[l] === 1;
      const isDirect = directRows[l] === 1;
      for (let kk = 0; kk < K; kk++) {
        const k = io.reverse ? K - 1 - kk : kk;
        const al = eta * a[k];
        const gl = om * g[k * L + l];
        const eb0 = (l * K + k) * L * Ka;
        const tb0 = k * L * Ka;
        for (let p = p0; p < p1; p++) {
          const j = recPre[p];
          const ei = eb0 + j * Ka;
          const ti = tb0 + j * Ka;
          const wi = wRec + j * Ka;
          for (let m = 0; m < Ka; m++) {
            const ev = kappa * eRec[ei + m] + gl * trL[ti + m];
            eRec[ei + m] = ev;
            W[wi + m] += al * ev;
          }
        }
        if (hasFb) {
          const fi = (l * K + k) * Kb;
          const ti = (k * L + l) * Kb;
          for (let m = 0; m < Kb; m++) {
            const ev = kappa * eF[fi + m] + gl * fbL[ti + m];
            eF[fi + m] = ev;
            F[l * Kb + m] += al * ev;
          }
        }
        const bi = l * K + k;
        const ev = kappa * eb[bi] + gl;
        eb[bi] = ev;
        b[l] += al * ev;
        if (isDirect) {
          const ib = (l * K + k) * nIn * Ka;
          for (let p = inStart[l]; p < inStart[l + 1]; p++) {
            const j = inPre[p];
            const ei = ib + j * Ka;
            const ti = j * Ka;
            const wi = (l * N + j) * Ka;
            for (let m = 0; m < Ka; m++) {
              const ev2 = kappa * eIn[ei + m] + gl * trIn[ti + m];
              eIn[ei + m] = ev2;
              W[wi + m] += al * ev2;
            }
          }
        }
      }
    }
  }
  // 6. write the factorised input synapses: W[l,j,m] += Σ_{a: j spiked at a} Σ_δ C[l](a+δ) A[m][δ]
  if (nFact > 0) materialise(net, sp, factList, C, x.R, T);
  // the next example starts with clean input traces
  if (x.nActIn > 0) {
    for (let a = 0; a < x.nActIn; a++) trIn.fill(0, actIn[a] * Ka, actIn[a] * Ka + Ka);
    x.nActIn = 0;
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

/** Adds Σ_s C[l](s) tr[j,m](s) to W[l,j,m] for the rows in `rows`, via D[a][l][m] = Σ_δ C[l](a+δ) A[m][δ]. */
function materialise(net: Network, sp: InputSpikes, rows: Int32Array, C: Float64Array, D: Float64Array, T: number): void {
  const { L, N } = net;
  const Ka = net.synaptic.K;
  const tau = net.synaptic.tau;
  const A = net.synaptic.table;
  const W = net.W;
  for (let a = 0; a < T; a++) {
    if (sp.start[a] === sp.start[a + 1]) continue;
    for (let f = 0; f < rows.length; f++) {
      const l = rows[f];
      const db = (a * L + l) * Ka;
      for (let m = 0; m < Ka; m++) {
        let x = 0;
        for (let d = 1; d <= tau && a + d < T; d++) x += C[(a + d) * L + l] * A[m * tau + d - 1];
        D[db + m] = x;
      }
    }
    for (let p = sp.start[a]; p < sp.start[a + 1]; p++) {
      const j = sp.idx[p];
      for (let f = 0; f < rows.length; f++) {
        const l = rows[f];
        const db = (a * L + l) * Ka;
        const wb = (l * N + j) * Ka;
        for (let m = 0; m < Ka; m++) W[wb + m] += D[db + m];
      }
    }
  }
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
