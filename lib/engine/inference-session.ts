/**
 * Inference sessions: multi-sample inference (SPEC 3) over many examples with the weights held fixed,
 * e.g. a whole test set, on the forward kernel (forward.ts): its W-derived tables are built once per
 * session, the input drive once per example, then each compartment runs through the example on its own.
 * `simulateOn` runs the same kernel with the testing hooks of `simulate` (injected hidden spikes,
 * records, per-compartment streams), so `simulate` and the session are one computation.
 */
import { createForwardKernel, CompartmentRun, ForwardKernel, SnapShots, prepareForward, refreshForward, refreshForwardIfChanged, runCompartment } from './forward';
import { checkInferenceExample, Example } from '../model/training-example';
import { Network } from '../model/network';
import { makeRng, Rng } from '../util/rng';
import { checkInt, checkSeed, fail } from '../util/validate';

/**
 * A session bound to one network. Valid while the network's weights W are unchanged: after changing
 * W (training), call `refresh()` or create a new session. The bias b and feedback filters F are
 * read at every call. Not re-entrant (one call at a time; buffers are reused across calls).
 */
export interface InferenceSession {
  readonly net: Network;
  /**
   * Output spike counts of K_I compartments with outputs FREE (sampled): Int32Array [KI][nO].
   * Compartment k uses stream `<seed>/infer/<exampleIndex>/<k>`; identical to `inferCounts`.
   */
  inferCounts(ex: Example, KI: number, seed: string | number, exampleIndex: number): Int32Array;
  /**
   * The same run as `inferCounts` (same streams, same draws), with the output counts also read after
   * the first `steps[p]` steps: Int32Array [P][KI][nO], entry p holding the counts over steps 0..steps[p)
   * (a decision made at time steps[p]; the network is causal, so this equals a run of steps[p] steps).
   * `steps` strictly increasing integers in 1..T; the last entry equal to T gives `inferCounts`.
   */
  inferCountsAt(ex: Example, KI: number, seed: string | number, exampleIndex: number, steps: readonly number[]): Int32Array;
  /**
   * Σ_t Σ_o log p(target[o,t] | u[k,o,t]) per compartment with outputs CLAMPED to ex.target, hidden
   * neurons sampled from `<seed>/loglik/<exampleIndex>/<k>`: Float64Array [KI], nats; identical to
   * `logLikelihoodPerCompartment`.
   */
  logLikelihoodPerCompartment(ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array;
  /** Rebuilds the weight-derived tables from the network's current W (cost ≈ nIn × L × Ka + L² × Ka × τa). */
  refresh(): void;
  /**
   * Rebuilds the tables only if W differs (bitwise) from the W of the last build; cost one pass over W.
   * Returns true when it rebuilt.
   */
  refreshIfChanged(): boolean;
  /** The session's forward kernel (for `simulateOn`). */
  readonly kernel: ForwardKernel;
}

/** Hooks of a simulation (see `simulate` in infer/inference.ts). */
export interface SimulationHooks {
  /** Record spikes and potentials of every step ([K][T][L]). */
  record?: boolean;
  /** Testing hook: per compartment a [T][nH] 0/1 array of hidden spikes used instead of sampling. */
  injectHidden?: ArrayLike<number>[];
  /** Run the compartments in reverse order (testing hook; results are identical). */
  reverse?: boolean;
}

/** What a simulation returns: counts [K][nO], log-probabilities [K] (nats), optional record [K][T][L]. */
export interface Simulation {
  counts: Int32Array;
  logPOutputs: Float64Array;
  logPHidden: Float64Array;
  record?: { T: number; spikes: Uint8Array; potentials: Float64Array };
}

/**
 * Runs K compartments of the kernel's network over `ex` (inputs already checked): outputs clamped to
 * ex.target or sampled; compartment k draws from rngs[k] (may be null when nothing is sampled).
 */
export function simulateOn(fk: ForwardKernel, ex: Example, K: number, clamp: boolean, rngs: Rng[] | null, hooks: SimulationHooks = {}): Simulation {
  const { L, nO } = fk.net;
  const T = ex.T;
  prepareForward(fk, ex.input, T);
  const counts = new Int32Array(K * nO);
  const logPOutputs = new Float64Array(K);
  const logPHidden = new Float64Array(K);
  const record = hooks.record ? { T, spikes: new Uint8Array(K * T * L), potentials: new Float64Array(K * T * L) } : undefined;
  for (let kk = 0; kk < K; kk++) {
    const k = hooks.reverse ? K - 1 - kk : kk;
    const run: CompartmentRun = {
      k,
      next: rngs ? () => rngs[k].next() : null,
      inj: hooks.injectHidden ? hooks.injectHidden[k] : null,
      clamp,
      target: ex.target ?? null,
      counts,
      countsBase: k * nO,
      hiddenLogProb: true,
      spikesRec: record ? record.spikes : null,
      potentialsRec: record ? record.potentials : null,
    };
    runCompartment(fk, T, run);
    logPOutputs[k] = fk.logPOutputs;
    logPHidden[k] = fk.logPHidden;
  }
  return { counts, logPOutputs, logPHidden, record };
}

/** Checks the arguments of a session call (the target only when needed or given). */
export function checkInferenceInput(where: string, net: Network, ex: Example, KI: number, seed: string | number, exampleIndex: number, needTarget: boolean): void {
  checkInt(where, 'KI', KI, 1, 100000);
  checkSeed(where, seed);
  checkInt(where, 'exampleIndex', exampleIndex, 0);
  checkInferenceExample(ex, net.nIn, net.nO, where, needTarget);
}

/**
 * Creates an inference session for `net` and builds its tables from the current W. Memory:
 * nIn × L × Ka + L² × τa doubles plus a copy of W, and per-example buffers grown to the longest example.
 */
export function createInferenceSession(net: Network): InferenceSession {
  const fk = createForwardKernel(net);
  const nO = net.nO;

  function inferCounts(ex: Example, KI: number, seed: string | number, exampleIndex: number): Int32Array {
    checkInferenceInput('inferCounts', net, ex, KI, seed, exampleIndex, false);
    prepareForward(fk, ex.input, ex.T);
    const counts = new Int32Array(KI * nO);
    for (let k = 0; k < KI; k++) {
      const next = makeRng(seed, 'infer', exampleIndex, k).next;
      runCompartment(fk, ex.T, { k, next, inj: null, clamp: false, target: null, counts, countsBase: k * nO, hiddenLogProb: false, spikesRec: null, potentialsRec: null });
    }
    return counts;
  }

  function inferCountsAt(ex: Example, KI: number, seed: string | number, exampleIndex: number, steps: readonly number[]): Int32Array {
    checkInferenceInput('inferCountsAt', net, ex, KI, seed, exampleIndex, false);
    if (!Array.isArray(steps) || steps.length === 0) fail('inferCountsAt', 'steps', steps, 'a non-empty list of steps');
    steps.forEach((v, p) => checkInt('inferCountsAt', `steps[${p}]`, v, p === 0 ? 1 : steps[p - 1] + 1, ex.T));
    prepareForward(fk, ex.input, ex.T);
    const counts = new Int32Array(KI * nO);
    const snap: SnapShots = { steps, p: 0, stride: KI * nO, out: new Int32Array(steps.length * KI * nO) };
    for (let k = 0; k < KI; k++) {
      const next = makeRng(seed, 'infer', exampleIndex, k).next;
      runCompartment(fk, ex.T, { k, next, inj: null, clamp: false, target: null, counts, countsBase: k * nO, hiddenLogProb: false, spikesRec: null, potentialsRec: null, snap });
    }
    return snap.out;
  }

  function logLikelihoodPerCompartment(ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array {
    checkInferenceInput('logLikelihoodPerCompartment', net, ex, KI, seed, exampleIndex, true);
    prepareForward(fk, ex.input, ex.T);
    const out = new Float64Array(KI);
    for (let k = 0; k < KI; k++) {
      const next = makeRng(seed, 'loglik', exampleIndex, k).next;
      runCompartment(fk, ex.T, { k, next, inj: null, clamp: true, target: ex.target, counts: null, countsBase: 0, hiddenLogProb: false, spikesRec: null, potentialsRec: null });
      out[k] = fk.logPOutputs;
    }
    return out;
  }

  return {
    net,
    kernel: fk,
    inferCounts,
    inferCountsAt,
    logLikelihoodPerCompartment,
    refresh: () => refreshForward(fk),
    refreshIfChanged: () => refreshForwardIfChanged(fk),
  };
}
