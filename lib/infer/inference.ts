/**
 * Inference with fixed parameters (SPEC 3) on the fast engine: K_I compartments run on one example,
 * outputs free (sampled) for decisions, or clamped to the target for the K_I-sample log-likelihood.
 * Compartment k of example i draws from its own stream (`<seed>/infer/<i>/<k>` or `<seed>/loglik/<i>/<k>`),
 * so the first K compartments of a run with K_I compartments are exactly a run with K: one run with
 * K_I = 20 serves every K_I ≤ 20 (nested subsets).
 *
 * All three run on the forward kernel of an inference session (engine/forward.ts); `simulate` adds
 * testing hooks (recording, injected hidden spikes, any streams). They keep one session per network
 * object (a WeakMap) and, at every call, compare W bitwise with the W the session was built from,
 * rebuilding its tables when it changed (one pass over W, far less than the inference itself): so
 * training between calls is fine. For a fixed-weight loop (a test set), `createInferenceSession` skips
 * even that check.
 */
import { Example } from '../model/training-example';
import { createInferenceSession, InferenceSession, checkInferenceInput, simulateOn, Simulation, SimulationHooks } from '../engine/inference-session';
import { Network } from '../model/network';
import { Rng } from '../util/rng';
import { checkInt, checkLength, fail } from '../util/validate';

/** Testing and inspection hooks of `simulate`. */
export type SimulateHooks = SimulationHooks;

/**
 * What `simulate` returns: counts Int32Array [K][nO] (output spikes per compartment), logPOutputs
 * Float64Array [K] (Σ_t Σ_o log p(target | u), nats; zeros when the example has no target),
 * logPHidden Float64Array [K] (Σ_t Σ_h log p(h | u), nats), and with hooks.record the spikes and
 * potentials [K][T][L].
 */
export type SimulateResult = Simulation;

/**
 * Runs K compartments over one example with the parameters fixed, on the same forward kernel as the
 * inference sessions. `clamp`: outputs set to ex.target (likelihood mode) or sampled (inference mode).
 * `rngs[k]` is compartment k's stream. Validates first.
 */
export function simulate(net: Network, ex: Example, K: number, clamp: boolean, rngs: Rng[] | null, hooks: SimulateHooks = {}): SimulateResult {
  const where = 'simulate';
  checkInt(where, 'K', K, 1, 100000);
  checkInferenceInput(where, net, ex, K, 0, 0, clamp);
  const { nH } = net;
  const T = ex.T;
  if (hooks.injectHidden) {
    checkLength(where, 'hooks.injectHidden', hooks.injectHidden, K, `[K=${K}][T=${T}][nH=${nH}]`);
    hooks.injectHidden.forEach((h, k) => checkLength(where, `hooks.injectHidden[${k}]`, h, T * nH, `[T=${T}][nH=${nH}]`));
  }
  if (!rngs && (!hooks.injectHidden || !clamp)) fail(where, 'rngs', rngs, 'one random stream per compartment');
  if (rngs) checkLength(where, 'rngs', rngs, K, `[K=${K}]`);
  return simulateOn(sessionOf(net).kernel, ex, K, clamp, rngs, hooks);
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
  checkInferenceInput('inferCounts', net, ex, KI, seed, exampleIndex, false);
  return sessionOf(net).inferCounts(ex, KI, seed, exampleIndex);
}

/**
 * Σ_t Σ_o log p(x[o,t] | u[k,o,t]) per compartment with outputs CLAMPED to ex.target and hidden neurons
 * sampled from stream `<seed>/loglik/<exampleIndex>/<k>`: Float64Array [KI], nats. The K-sample estimate
 * of log p(x) is logMeanExp of the first K entries (mathfn.logMeanExp(x, K)). Current parameters are used.
 */
export function logLikelihoodPerCompartment(net: Network, ex: Example, KI: number, seed: string | number, exampleIndex: number): Float64Array {
  checkInferenceInput('logLikelihoodPerCompartment', net, ex, KI, seed, exampleIndex, true);
  return sessionOf(net).logLikelihoodPerCompartment(ex, KI, seed, exampleIndex);
}

export { createInferenceSession };
export type { InferenceSession };
