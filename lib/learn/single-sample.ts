/**
 * The single-sample baseline rule (SPEC 2.2) on the fast engine: one compartment, direct eligibility
 * traces for every parameter (the per-parameter baseline is non-linear in the eligibility, so the
 * factorised form of gem.ts does not apply). Computes what refBaselineExample computes (verified in
 * test/learn/single-sample-inference.test.ts). One fused pass per step updates each parameter's trace, baseline
 * statistics and value.
 */
import { createEngine, createEngineRecord, createStepIO, directInputDrive, Engine, EngineRecord, engineStep, resetEngine, StepIO } from '../engine/engine';
import { createInputSpikes, inputTracesAt, indexInputSpikes, InputSpikes } from '../engine/input-traces';
import { checkExample, Example } from '../model/training-example';
import { checkSeed } from '../util/validate';
import { logBernoulli } from '../util/math';
import { Network } from '../model/network';
import { BaselineOptions, resolveBaselineOptions } from '../model/learning-options';
import { makeRng, Rng } from '../util/rng';
import { checkBinary, checkLength, fail } from '../util/validate';

/** A single-sample learner: the network it trains IN PLACE, options, state. */
export interface BaselineLearner {
  /** The network; baselineTrainExample updates net.W, net.F, net.b in place. */
  net: Network;
  opts: BaselineOptions;
  seed: string | number;
  /** Stream `<seed>/sample/0` (continues across examples). */
  rng: Rng;
  /** Learning signal ℓ (carried across examples unless resetTracesPerExample). */
  ell: number;
  examples: number;
  internal: {
    engine: Engine;
    io: StepIO;
    /** Eligibility, baseline numerator and denominator, each in the layout of W [L][N][Ka], F [L][Kb], b [L]. */
    eW: Float64Array;
    eF: Float64Array;
    eb: Float64Array;
    numW: Float64Array;
    numF: Float64Array;
    numb: Float64Array;
    denW: Float64Array;
    denF: Float64Array;
    denb: Float64Array;
    trIn: Float64Array;
    actIn: Int32Array;
    nActIn: number;
    seenIn: Uint8Array;
    spikes: InputSpikes;
    inRows: Uint8Array;
  };
}

/** What one example did. */
export interface BaselineExampleStats {
  /** Σ_t Σ_o log p(x[o,t] | u) (outputs clamped), nats. */
  logPOutputs: number;
  /** Σ_t Σ_h log p(h[t] | u), nats. */
  logPHidden: number;
  /** The learning signal ℓ after the last step. */
  learningSignal: number;
  /** Mean of ℓ over the example's steps. */
  meanLearningSignal: number;
  /** With hooks.record: spikes and potentials [1][T][L], ℓ per step Float64Array [T]. */
  record?: EngineRecord & { learningSignal: Float64Array };
}

/** Testing hooks of baselineTrainExample. */
export interface BaselineHooks {
  record?: boolean;
  /** Testing hook: a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden?: ArrayLike<number>;
}

/**
 * Creates a single-sample learner for `net` (trained IN PLACE). Options default to DEFAULT_BASELINE;
 * hidden spikes are drawn from `<seed>/sample/0`. Throws naming the option on invalid options.
 */
export function createBaselineLearner(net: Network, opts: Partial<BaselineOptions>, seed: string | number): BaselineLearner {
  const where = 'createBaselineLearner';
  if (!net || typeof net !== 'object' || !(net.W instanceof Float64Array)) fail(where, 'net', net, 'a Network');
  const o = resolveBaselineOptions(opts ?? {}, `${where}: options`);
  checkSeed(where, seed);
  const engine = createEngine(net, 1);
  const Ka = net.synaptic.K;
  const inRows = new Uint8Array(net.L);
  for (let l = 0; l < net.L; l++) inRows[l] = engine.inputMode[l] === 0 ? 0 : 1;
  const z = (n: number) => new Float64Array(n);
  return {
    net,
    opts: o,
    seed,
    rng: makeRng(seed, 'sample', 0),
    ell: 0,
    examples: 0,
    internal: {
      engine,
      io: createStepIO(),
      eW: z(net.W.length),
      eF: z(net.F.length),
      eb: z(net.b.length),
      numW: z(net.W.length),
      numF: z(net.F.length),
      numb: z(net.b.length),
      denW: z(net.W.length),
      denF: z(net.F.length),
      denb: z(net.b.length),
      trIn: z(net.nIn * Ka),
      actIn: new Int32Array(net.nIn),
      nActIn: 0,
      seenIn: new Uint8Array(net.nIn),
      spikes: createInputSpikes(),
      inRows,
    },
  };
}

/**
 * Trains on one example (SPEC 2.2), updating learner.net in place; validated before any work.
 * Returns log p(targets), the learning signal and (with hooks.record) the per-step record.
 */
export function baselineTrainExample(learner: BaselineLearner, ex: Example, hooks: BaselineHooks = {}): BaselineExampleStats {
  const where = 'baselineTrainExample';
  const net = learner.net;
  checkExample(ex, net.nIn, net.nO, where);
  const T = ex.T;
  const { L, N, nIn, nH } = net;
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, T * nH, `[T=${T}][nH=${nH}]`);
    checkBinary(where, 'hooks.injectHidden', hooks.injectHidden);
  }
  const o = learner.opts;
  const { eta, kappa, beta, gamma, r } = o;
  const x = learner.internal;
  const e = x.engine;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const { eW, eF, eb, numW, numF, numb, denW, denF, denb, trIn, actIn, seenIn } = x;
  if (o.resetTracesPerExample) {
    eW.fill(0);
    eF.fill(0);
    eb.fill(0);
    learner.ell = 0;
  }
  resetEngine(e);
  const sp = indexInputSpikes(ex.input, T, nIn, x.spikes);
  const io = x.io;
  io.target = ex.target;
  io.clamp = true;
  io.rngs = [learner.rng];
  io.injectHidden = hooks.injectHidden ? [hooks.injectHidden] : null;
  const rec = hooks.record ? createEngineRecord(e, T) : undefined;
  const signal = hooks.record ? new Float64Array(T) : undefined;
  const W = net.W;
  const F = net.F;
  const b = net.b;
  const fbMask = net.topology.feedback;
  const { recPre, recStart, inPre, inStart, u, s, g, trL, fbL } = e;
  const logR = Math.log(r);
  const log1R = Math.log(1 - r);
  const om = 1 - kappa;
  const omb = 1 - beta;
  let logPOutputs = 0;
  let logPHidden = 0;
  let sumEll = 0;
  // one parameter: its trace, then (hidden) its baseline statistics, then its value
  const upd = (theta: Float64Array, el: Float64Array, num: Float64Array, den: Float64Array, i: number, grad: number, gl: number, hidden: boolean, ell: number) => {
    const ev = kappa * el[i] + gl * grad;
    el[i] = ev;
    if (!hidden) {
      theta[i] += eta * ev;
      return;
    }
    const e2 = ev * ev;
    num[i] = beta * num[i] + omb * e2 * ell;
    den[i] = beta * den[i] + omb * e2;
    theta[i] += eta * (ell - num[i] / (den[i] + 1e-7)) * ev;
  };
  for (let t = 0; t < T; t++) {
    x.nActIn = inputTracesAt(net, sp, t, trIn, actIn, x.nActIn, seenIn);
    directInputDrive(e, x.inRows, trIn, actIn, x.nActIn);
    engineStep(e, io, rec);
    let ellTmp = e.ell[0];
    logPOutputs += e.ell[0];
    logPHidden += e.lph[0];
    for (let h = 0; h < nH; h++) {
      const uh = u[h];
      ellTmp -= gamma * (s[h] ? logBernoulli(1, uh) - logR : logBernoulli(0, uh) - log1R);
    }
    const ell = (learner.ell = kappa * learner.ell + om * ellTmp);
    sumEll += ell;
    if (signal) signal[t] = ell;
    for (let l = 0; l < L; l++) {
      const hidden = l < nH;
      const gl = om * g[l];
      for (let p = inStart[l]; p < inStart[l + 1]; p++) {
        const j = inPre[p];
        const wb = (l * N + j) * Ka;
        for (let m = 0; m < Ka; m++) upd(W, eW, numW, denW, wb + m, trIn[j * Ka + m], gl, hidden, ell);
      }
      for (let p = recStart[l]; p < recStart[l + 1]; p++) {
        const j = recPre[p];
        const wb = (l * N + nIn + j) * Ka;
        for (let m = 0; m < Ka; m++) upd(W, eW, numW, denW, wb + m, trL[j * Ka + m], gl, hidden, ell);
      }
      if (fbMask[l]) for (let m = 0; m < Kb; m++) upd(F, eF, numF, denF, l * Kb + m, fbL[l * Kb + m], gl, hidden, ell);
      upd(b, eb, numb, denb, l, 1, gl, hidden, ell);
    }
  }
  if (x.nActIn > 0) {
    for (let a = 0; a < x.nActIn; a++) trIn.fill(0, actIn[a] * Ka, actIn[a] * Ka + Ka);
    x.nActIn = 0;
  }
  io.rngs = null;
  io.injectHidden = null;
  learner.examples++;
  const out: BaselineExampleStats = { logPOutputs, logPHidden, learningSignal: learner.ell, meanLearningSignal: sumEll / T };
  if (rec && signal) out.record = { ...rec, learningSignal: signal };
  return out;
}

/** Trains on every example in order, calling `onExample(i, stats)` after each; net updated in place. */
export function trainBaseline(learner: BaselineLearner, examples: Iterable<Example>, onExample?: (i: number, s: BaselineExampleStats) => void): void {
  let i = 0;
  for (const ex of examples) {
    const st = baselineTrainExample(learner, ex);
    if (onExample) onExample(i, st);
    i++;
  }
}
