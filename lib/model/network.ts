/**
 * A probabilistic (GLM) spiking network: sizes, basis tables, connectivity and parameters (SPEC 1).
 * The parameters are plain typed arrays that learners update in place:
 *   W: Float64Array [L][N][Ka]  synaptic weights (learnable l, presynaptic neuron j, basis m)
 *   F: Float64Array [L][Kb]     feedback weights
 *   b: Float64Array [L]         biases
 * Entries outside the mask (and F of neurons without feedback) are 0 and stay 0.
 */
import { Basis, BasisConfig, DEFAULT_FEEDBACK_BASIS, DEFAULT_SYNAPTIC_BASIS, makeBasis } from './basis';
import { makeRng } from '../util/rng';
import { makeTopology, Topology, TopologyConfig } from './topology';
import { checkInt, checkKeys, checkLength, checkNumber, checkSeed, fail } from '../util/validate';

/** Everything that defines a network's shape. Omitted fields take the SPEC defaults. */
export interface NetworkConfig {
  inputs: number;
  hidden: number;
  outputs: number;
  /** Default `{ preset: 'fully-connected' }`. */
  topology?: TopologyConfig;
  /** Default raised-cosine-2020, Ka = 8, τa = 10, μ = 1.5. */
  synapticBasis?: BasisConfig;
  /** Default raised-cosine-2020, Kb = 1, τb = 10. */
  feedbackBasis?: BasisConfig;
  /** Half-width w0 of the uniform initialisation [−w0, w0] (default 0.05). */
  initScale?: number;
}

/** A network: its resolved config, derived sizes, basis tables, mask and parameters. */
export interface Network {
  config: Required<NetworkConfig>;
  nIn: number;
  nH: number;
  nO: number;
  /** All neurons: nIn + nH + nO. */
  N: number;
  /** Learnable neurons: nH + nO (hidden first). */
  L: number;
  synaptic: Basis;
  feedbackBasis: Basis;
  topology: Topology;
  /** Float64Array [L][N][Ka]. */
  W: Float64Array;
  /** Float64Array [L][Kb]. */
  F: Float64Array;
  /** Float64Array [L]. */
  b: Float64Array;
}

/** Fills defaults and checks every field; throws naming the field on bad input. */
export function resolveNetworkConfig(cfg: NetworkConfig, where = 'network'): Required<NetworkConfig> {
  if (!cfg || typeof cfg !== 'object') fail(where, 'config', cfg, 'an object { inputs, hidden, outputs, ... }');
  checkKeys(where, 'config', cfg, ['inputs', 'hidden', 'outputs', 'topology', 'synapticBasis', 'feedbackBasis', 'initScale']);
  checkInt(where, 'inputs', cfg.inputs, 0);
  checkInt(where, 'hidden', cfg.hidden, 0);
  checkInt(where, 'outputs', cfg.outputs, 1);
  return {
    inputs: cfg.inputs,
    hidden: cfg.hidden,
    outputs: cfg.outputs,
    topology: cfg.topology ?? { preset: 'fully-connected' },
    synapticBasis: cfg.synapticBasis ?? DEFAULT_SYNAPTIC_BASIS,
    feedbackBasis: cfg.feedbackBasis ?? DEFAULT_FEEDBACK_BASIS,
    initScale: checkNumber(where, 'initScale', cfg.initScale ?? 0.05, { min: 0 }),
  };
}

/** Builds a network with all-zero parameters (shape only). */
export function emptyNetwork(cfg: NetworkConfig): Network {
  const config = resolveNetworkConfig(cfg);
  const nIn = config.inputs;
  const nH = config.hidden;
  const nO = config.outputs;
  const L = nH + nO;
  const N = nIn + L;
  const synaptic = makeBasis(config.synapticBasis, 'network.synapticBasis');
  const feedbackBasis = makeBasis(config.feedbackBasis, 'network.feedbackBasis');
  const topology = makeTopology(config.topology, config, 'network.topology');
  return {
    config,
    nIn,
    nH,
    nO,
    N,
    L,
    synaptic,
    feedbackBasis,
    topology,
    W: new Float64Array(L * N * synaptic.K),
    F: new Float64Array(L * feedbackBasis.K),
    b: new Float64Array(L),
  };
}

/**
 * A network with parameters drawn i.i.d. uniform in [−w0, w0] from the stream `<seed>/init`
 * (masked entries 0). Draw order: W in [l][j][m] order (masked entries consume no draw), then F, then b.
 */
export function createNetwork(cfg: NetworkConfig, seed: string | number): Network {
  checkSeed('createNetwork', seed);
  const net = emptyNetwork(cfg);
  const rng = makeRng(seed, 'init');
  const w0 = net.config.initScale;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const { L, N } = net;
  for (let l = 0; l < L; l++) {
    for (let j = 0; j < N; j++) {
      if (!net.topology.mask[l * N + j]) continue;
      for (let m = 0; m < Ka; m++) net.W[(l * N + j) * Ka + m] = w0 * (2 * rng.next() - 1);
    }
  }
  for (let l = 0; l < L; l++) {
    if (!net.topology.feedback[l]) continue;
    for (let m = 0; m < Kb; m++) net.F[l * Kb + m] = w0 * (2 * rng.next() - 1);
  }
  for (let l = 0; l < L; l++) net.b[l] = w0 * (2 * rng.next() - 1);
  return net;
}

/** Parameters as nested arrays: W [L][N][Ka], F [L][Kb], b [L]. */
export interface NestedParams {
  W: number[][][];
  F: number[][];
  b: number[];
}

/**
 * A network of shape `cfg` with the given parameters. Throws if a shape does not match or a masked
 * entry is non-zero.
 */
export function networkWithParams(cfg: NetworkConfig, p: NestedParams, where = 'params'): Network {
  const net = emptyNetwork(cfg);
  const { L, N } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  checkLength(where, 'W', p.W, L, `[L=${L}][N=${N}][Ka=${Ka}]`);
  checkLength(where, 'F', p.F, L, `[L=${L}][Kb=${Kb}]`);
  checkLength(where, 'b', p.b, L, `[L=${L}]`);
  for (let l = 0; l < L; l++) {
    checkLength(where, `W[${l}]`, p.W[l], N, `[N=${N}][Ka=${Ka}]`);
    for (let j = 0; j < N; j++) {
      checkLength(where, `W[${l}][${j}]`, p.W[l][j], Ka, `[Ka=${Ka}]`);
      for (let m = 0; m < Ka; m++) {
        const v = checkNumber(where, `W[${l}][${j}][${m}]`, p.W[l][j][m]);
        if (v !== 0 && !net.topology.mask[l * N + j]) fail(where, `W[${l}][${j}][${m}]`, v, '0 (this synapse is masked out)');
        net.W[(l * N + j) * Ka + m] = v;
      }
    }
    checkLength(where, `F[${l}]`, p.F[l], Kb, `[Kb=${Kb}]`);
    for (let m = 0; m < Kb; m++) {
      const v = checkNumber(where, `F[${l}][${m}]`, p.F[l][m]);
      if (v !== 0 && !net.topology.feedback[l]) fail(where, `F[${l}][${m}]`, v, '0 (this neuron has no feedback filter)');
      net.F[l * Kb + m] = v;
    }
    net.b[l] = checkNumber(where, `b[${l}]`, p.b[l]);
  }
  return net;
}

/** The parameters as nested arrays (copies). */
export function nestedParams(net: Network): NestedParams {
  const { L, N } = net;
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const W: number[][][] = [];
  const F: number[][] = [];
  for (let l = 0; l < L; l++) {
    const row: number[][] = [];
    for (let j = 0; j < N; j++) row.push(Array.from(net.W.subarray((l * N + j) * Ka, (l * N + j + 1) * Ka)));
    W.push(row);
    F.push(Array.from(net.F.subarray(l * Kb, (l + 1) * Kb)));
  }
  return { W, F, b: Array.from(net.b) };
}

/** A deep copy (parameters copied; tables and mask shared, since they never change). */
export function cloneNetwork(net: Network): Network {
  return { ...net, W: net.W.slice(), F: net.F.slice(), b: net.b.slice() };
}

/** Longest memory of the network's filters in time steps: max(τa, τb). */
export function historyLength(net: Network): number {
  return Math.max(net.synaptic.tau, net.feedbackBasis.tau);
}
