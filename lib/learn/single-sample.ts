/**
 * The single-sample baseline rule (SPEC 2.2) on the fast path: the row phase of GEM-SNN (gem-rows.ts)
 * with one compartment. Output rows learn as GEM-SNN with K = 1 (importance weight 1), so rows that hear
 * every input use the factorised input synapses; hidden rows use the rule's own learning signal ℓ and
 * per-parameter baselines (single-sample-rows.ts) with direct eligibility. Computes what
 * refBaselineExample computes (verified step by step in test/learn/single-sample-inference.test.ts).
 * With `threads` > 1 the rows are split between threads as for GEM-SNN, bit-identical to one thread.
 */
import { createEngineRecord, EngineRecord } from '../engine/engine';
import { checkExample, Example } from '../model/training-example';
import { checkNetwork, chooseInputPaths, clearInputTraces, finishExample, GemEngineOptions, nextTracesStep, rowPhase, sampleStep, startExample } from './gem';
import { createGemInternal, GemInternal, rowCosts, useSingleSampleRule } from './gem-state';
import { checkThreads, closeGemPool, createGemPool } from './gem-threads';
import { logBernoulli } from '../util/math';
import { Network } from '../model/network';
import { BaselineOptions, resolveBaselineOptions } from '../model/learning-options';
import { makeRng, Rng } from '../util/rng';
import { checkBinary, checkKeys, checkLength, checkSeed, fail } from '../util/validate';

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
  /** Threads used for training (GemEngineOptions.threads). */
  threads: number;
  /** Row state with K = 1 and rule 1 (eligibility and baseline statistics; see gem-rows.ts). */
  internal: GemInternal;
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
 * hidden spikes are drawn from `<seed>/sample/0`. `engineOpts.threads` as for createGemLearner (release
 * worker threads with disposeBaselineLearner). Throws naming the option on invalid options.
 */
export function createBaselineLearner(net: Network, opts: Partial<BaselineOptions>, seed: string | number, engineOpts: GemEngineOptions = {}): BaselineLearner {
  const where = 'createBaselineLearner';
  checkNetwork(net, where);
  const o = resolveBaselineOptions(opts ?? {}, `${where}: options`);
  checkSeed(where, seed);
  if (engineOpts === null || typeof engineOpts !== 'object') fail(where, 'engineOpts', engineOpts, 'an object like { threads: 2 }');
  checkKeys(where, 'engineOpts', engineOpts, ['threads']);
  const threads = checkThreads(where, engineOpts.threads);
  const pool = (e: Parameters<typeof rowCosts>[0]) => (threads > 1 ? createGemPool(threads, rowCosts(e, 1, !o.resetTracesPerExample, true)) : null);
  const internal = createGemInternal(net, 1, o.eta, o.kappa, threads, pool);
  useSingleSampleRule(internal.rows, o.beta, threads);
  return { net, opts: o, seed, rng: makeRng(seed, 'sample', 0), ell: 0, examples: 0, threads, internal };
}

/** Stops the learner's worker threads (threads > 1; a no-op otherwise). */
export function disposeBaselineLearner(learner: BaselineLearner): Promise<void> {
  const pool = learner.internal.pool;
  return pool ? closeGemPool(pool) : Promise.resolve();
}

/** The learning signal ℓ ← κ ℓ + (1−κ)(log p(outputs) − γ Σ_h log(p(h)/r-rate)) of step t; returns it. */
function learningSignalStep(learner: BaselineLearner, logROn: number, logROff: number): number {
  const { kappa, gamma } = learner.opts;
  const { engine: e, rows: st } = learner.internal;
  let ellTmp = e.ell[0];
  const { u } = st;
  const s = e.s;
  for (let h = 0; h < st.nH; h++) {
    const uh = u[h];
    ellTmp -= gamma * (s[h] ? logBernoulli(1, uh) - logROn : logBernoulli(0, uh) - logROff);
  }
  const ell = (learner.ell = kappa * learner.ell + (1 - kappa) * ellTmp);
  st.signal[0] = ell;
  return ell;
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
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, T * net.nH, `[T=${T}][nH=${net.nH}]`);
    checkBinary(where, 'hooks.injectHidden', hooks.injectHidden);
  }
  const x = learner.internal;
  if (learner.threads > 1 && (!x.pool || x.pool.closed)) throw new Error(`${where}: the learner's worker threads were disposed (disposeBaselineLearner); create a new learner`);
  const o = learner.opts;
  const reset = o.resetTracesPerExample;
  if (reset) learner.ell = 0;
  x.aH[0] = 1;
  x.aO[0] = 1;
  const { nFact, nDirect } = chooseInputPaths(x, reset, false, true);
  const sp = startExample(x, net, ex, learner.threads, reset, nFact, nDirect);
  const rec = hooks.record ? createEngineRecord(x.engine, T) : undefined;
  const signal = hooks.record ? new Float64Array(T) : undefined;
  const inject = hooks.injectHidden ? [hooks.injectHidden] : null;
  const rngs = [learner.rng];
  const logROn = Math.log(o.r);
  const logROff = Math.log(1 - o.r);
  let logPOutputs = 0;
  let logPHidden = 0;
  let sumEll = 0;
  try {
    for (let t = 0; t < T; t++) {
      sampleStep(x, rngs, ex, t, inject, false, rec);
      logPOutputs += x.engine.ell[0];
      logPHidden += x.engine.lph[0];
      const ell = learningSignalStep(learner, logROn, logROff);
      sumEll += ell;
      if (signal) signal[t] = ell;
      nextTracesStep(x, net, sp, t, T, nDirect);
      rowPhase(x, t, T);
    }
  } finally {
    clearInputTraces(x, net.synaptic.K);
  }
  finishExample(x, net);
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
