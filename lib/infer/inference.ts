/**
 * Inference with fixed parameters (SPEC 3) on the fast engine: K_I compartments run on one example,
 * outputs free (sampled) for decisions, or clamped to the target for the K_I-sample log-likelihood.
 * Compartment k of example i draws from its own stream (`<seed>/infer/<i>/<k>` or `<seed>/loglik/<i>/<k>`),
 * so the first K compartments of a run with K_I compartments are exactly a run with K: one run with
 * K_I = 20 serves every K_I ≤ 20 (nested subsets).
 *
 * `simulate` runs the step-level engine (with testing hooks: recording, injected hidden spikes).
 * `inferCounts` and `logLikelihoodPerCompartment` run on an inference session (inference-session.ts),
 * bit-identical to `simulate` with the same streams and much faster. They keep one session per network
 * object (a WeakMap) and, at every call, compare W bitwise with the W the session was built from,
 * rebuilding its tables when it changed (one pass over W, far less than the inference itself): so
 * training between calls is fine. For a fixed-weight loop (a test set), `createInferenceSession` skips
 * even that check.
 */
import { checkExample, Example } from '../model/training-example';
import { createEngine, createEngineRecord, createStepIO, Engine, EngineRecord, engineFixWeights, engineStep, engineUnfixWeights, resetEngine, StepIO } from '../engine/engine';
import { createInputSpikes, indexInputSpikes, inputDriveAll, InputSpikes } from '../engine/input-traces';
import { checkSeed } from '../util/validate';
import { createInferenceSession, InferenceSession } from '../engine/inference-session';
import { Network } from '../model/network';
import { Rng } from '../util/rng';
import { checkBinary, checkInt, checkLength, fail } from '../util/validate';

interface Workspace {
  engine: Engine;
  io: StepIO;
  spikes: InputSpikes;
  rows: Uint8Array;
  all: Uint8Array;
  Z: Float64Array;
  R: Float64Array;
  WinT: Float64Array;
  cap: number;
}

const cache = new WeakMap<Network, Map<number, Workspace>>();

function workspace(net: Network, K: number): Workspace {
  let m = cache.get(net);
  if (!m) cache.set(net, (m = new Map()));
  let w = m.get(K);
  if (!w) {
    const engine = createEngine(net, K);
    const rows = new Uint8Array(net.L);
    const all = new Uint8Array(net.L);
    for (let l = 0; l < net.L; l++) {
      rows[l] = engine.inputMode[l] === 0 ? 0 : 1;
      all[l] = engine.inputMode[l] === 1 ? 1 : 0;
    }
    w = { engine, io: createStepIO(), spikes: createInputSpikes(), rows, all, Z: new Float64Array(0), R: new Float64Array(0), WinT: new Float64Array(net.nIn * net.L * net.synaptic.K), cap: 0 };
    m.set(K, w);
  }
  return w;
}

/** Testing and inspection hooks of `simulate`. */
export interface SimulateHooks {
  /** Record spikes and potentials of every step ([K][T][L]). */
  record?: boolean;
  /** Testing hook: per compartment a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden?: ArrayLike<number>[];
  /** Step compartments in reverse order (testing hook; results are identical). */
  reverse?: boolean;
}

/** What `simulate` returns. */
export interface SimulateResult {
  /** Int32Array [K][nO]: output spike counts per compartment. */
  counts: Int32Array;
  /** Float64Array [K]: Σ_t Σ_o log p(target[o,t] | u) per compartment (nats); zeros when the example has no target. */
  logPOutputs: Float64Array;
  /** Float64Array [K]: Σ_t Σ_h log p(h[t] | u) per compartment (nats). */
  logPHidden: Float64Array;
  record?: EngineRecord;
}

function checkInput(ex: Example, net: Network, where: string, needTarget: boolean): void {
  if (needTarget || (ex && ex.target !== undefined)) {
    checkExample(ex, net.nIn, net.nO, where);
    return;
  }
  if (!ex || typeof ex !== 'object') fail(where, 'example', ex, 'an object { T, input }');
  checkInt(where, 'T', ex.T, 1);
  checkLength(where, 'input', ex.input, ex.T * net.nIn, `[T=${ex.T}][nIn=${net.nIn}]`);
  checkBinary(where, 'input', ex.input);
}

/**
 * Runs K compartments over one example with the parameters fixed. `clamp`: outputs set to ex.target
 * (likelihood mode) or sampled (inference mode). `rngs[k]` is compartment k's stream. Validates first.
 */
export function simulate(net: Network, ex: Example, K: number, clamp: boolean, rngs: Rng[] | null, hooks: SimulateHooks = {}): SimulateResult {
  const where = 'simulate';
  checkInt(where, 'K', K, 1, 100000);
  checkInput(ex, net, where, clamp);
  const { L, nH, nO, nIn } = net;
  const T = ex.T;
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, K, `[K=${K}][T=${T}][nH=${nH}]`);
    hooks.injectHidden.forEach((h, k) => checkLength(where, `hooks.injectHidden[${k}]`, h, T * nH, `[T=${T}][nH=${nH}]`));
  }
  if (!rngs && (!hooks.injectHidden || !clamp)) fail(where, 'rngs', rngs, 'one random stream per compartment');
  if (rngs) checkLength(where, 'rngs', rngs, K, `[K=${K}]`);
  const w = workspace(net, K);
  const e = w.engine;
  if (w.cap < T) {
    w.cap = T;
    w.Z = new Float64Array(T * L);
    w.R = new Float64Array(T * L * net.synaptic.K);
  }
  const sp = indexInputSpikes(ex.input, T, nIn, w.spikes);
  inputDriveAll(net, net.W, sp, w.rows, w.all, w.Z, w.R, w.WinT);
  resetEngine(e);
  engineFixWeights(e);
  const io = w.io;
  io.target = ex.target ?? null;
  io.clamp = clamp;
  io.rngs = rngs;
  io.injectHidden = hooks.injectHidden ?? null;
  io.reverse = !!hooks.reverse;
  const rec = hooks.record ? createEngineRecord(e, T) : undefined;
  const counts = new Int32Array(K * nO);
  const logPOutputs = new Float64Array(K);
  const logPHidden = new Float64Array(K);
  const { drive, s, ell, lph } = e;
  const Z = w.Z;
  try {
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < L; l++) drive[l] = Z[t * L + l];
      engineStep(e, io, rec);
      for (let k = 0; k < K; k++) {
        logPOutputs[k] += ell[k];
        logPHidden[k] += lph[k];
        for (let o = 0; o < nO; o++) counts[k * nO + o] += s[k * L + nH + o];
      }
    }
  } finally {
    engineUnfixWeights(e);
    io.rngs = null;
    io.injectHidden = null;
    io.target = null;
  }
  return { counts, logPOutputs, logPHidden, record: rec };
}

const sessions = new WeakMap<Network, InferenceSession>();

/** The cached session of `net`, its tables checked against the current W (rebuilt if W changed). */
function sessionOf(net: Network): InferenceSession {
  let ses = sessions.get(net);
  if (!ses) sessions.set(net, (ses = createInferenceSession(net)));
  else ses.refreshIfChanged();
  return ses;
}

/**
 * Output spike counts of K_I compartments with outputs FREE (sampled): Int32Array [KI][nO].
 * Compartment k uses stream `<seed>/infer/<exampleIndex>/<k>` (nested subsets across K_I).
 * `net` is not modified; its current parameters are used (see the module comment on caching).
 * Throws naming the parameter on bad input (KI < 1, input of wrong length, ...).
 */
export function inferCounts(net: Network, ex: Example, KI: number, seed: string | number, exampleIndex: number): Int32Array {
  checkInt('inferCounts', 'KI', KI, 1, 100000);
  checkSeed('inferCounts', seed);
  checkInt('inferCounts', 'exampleIndex', exampleIndex, 0);
  checkInput(ex, net, 'inferCounts', false);
  return sessionOf(net).inferCounts(ex, KI, seed, exampleIndex);
}

/**
 * Σ_t Σ_o log p(x[o,t] | u[k,o,t]) per compartment with outputs CLAMPED to ex.target and hidden neurons
 * sampled from stream `<seed>/loglik/<exampleIndex>/<k>`: Float64Array [KI], nats. The K-sample estimate
 * of log p(x) is logMeanExp of the first K entries (mathfn.logMeanExp(x, K)). Current parameters are used.
 */
export function logLikelihoodPerCompartment(net: Network, ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array {
  checkInt('logLikelihoodPerCompartment', 'KI', KI, 1, 100000);
  checkSeed('logLikelihoodPerCompartment', seed);
  checkInt('logLikelihoodPerCompartment', 'exampleIndex', exampleIndex, 0);
  checkInput(ex, net, 'logLikelihoodPerCompartment', true);
  return sessionOf(net).logLikelihoodPerCompartment(ex, KI, seed, exampleIndex);
}

export { createInferenceSession };
export type { InferenceSession };
