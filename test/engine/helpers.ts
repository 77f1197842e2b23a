// Shared helpers of the engine tests: random networks and examples, tolerant comparisons.
import assert from 'node:assert/strict';
import { Example } from '../../lib/model/training-example';
import { createNetwork, Network, NetworkConfig } from '../../lib/model/network';
import { makeRng } from '../../lib/util/rng';
import { GemOptions } from '../../lib/model/learning-options';
import { TopologyConfig } from '../../lib/model/topology';

/** A random example: input spikes at `density`, random target spikes at 30 %. */
export function randomExample(seed: string, T: number, nIn: number, nO: number, density = 0.2): Example {
  const rng = makeRng(seed, 'example');
  const input = new Uint8Array(T * nIn);
  for (let i = 0; i < input.length; i++) input[i] = rng.next() < density ? 1 : 0;
  const target = new Uint8Array(T * nO);
  for (let i = 0; i < target.length; i++) target[i] = rng.next() < 0.3 ? 1 : 0;
  return { T, input, target };
}

/** A random network with larger-than-default weights (so potentials vary and spikes are informative). */
export function randomNetwork(cfg: NetworkConfig, seed: string): Network {
  return createNetwork({ initScale: 0.4, ...cfg }, seed);
}

/** A custom topology with mixed input rows: random mask (no self-synapse), random feedback. */
export function mixedTopology(seed: string, nIn: number, nH: number, nO: number): TopologyConfig {
  const rng = makeRng(seed, 'mask');
  const L = nH + nO;
  const N = nIn + L;
  const mask: number[][] = [];
  for (let l = 0; l < L; l++) {
    const row: number[] = [];
    for (let j = 0; j < N; j++) row.push(j === nIn + l ? 0 : rng.next() < 0.6 ? 1 : 0);
    mask.push(row);
  }
  // row 0 hears every input (factorised), row 1 none, others mixed
  for (let j = 0; j < nIn; j++) {
    mask[0][j] = 1;
    if (L > 1) mask[1][j] = 0;
  }
  return { preset: 'custom', mask, feedback: Array.from({ length: L }, () => (rng.next() < 0.7 ? 1 : 0)) };
}

/** |a − b| ≤ tol · max(1, |b|). */
export function assertClose(actual: number, expected: number, what: string, tol = 1e-9): void {
  assert.ok(Number.isFinite(actual), `${what}: not finite (${actual})`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}

/** Element-wise assertClose over two arrays of equal length. */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tol * Math.max(1, Math.abs(expected[i]))) {
      assert.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** Network sizes [inputs, hidden, outputs] the fast-path tests run on (one without inputs). */
export const sizes: [number, number, number][] = [
  [6, 3, 2],
  [11, 5, 3],
  [0, 3, 2],
];
export const presets = ['fully-connected', 'feedforward', 'hidden-to-output'] as const;
/** GEM option sets covering both logit conventions, both hidden signals, trace reset on/off, K = 1..5. */
export const optionSets: Partial<GemOptions>[] = [
  { K: 3, eta: 0.3, kappa: 0.2, kappaV: 0.2 },
  { K: 4, eta: 0.5, kappa: 0.5, kappaV: 0.95, logitScale: 'sum', hiddenSignal: 'centered' },
  { K: 2, eta: 0.2, kappa: 0, kappaV: 0, logitScale: 'mean', resetTracesPerExample: false },
  { K: 1, eta: 0.4, kappa: 0.7, kappaV: 1, logitScale: 'sum', hiddenSignal: 'centered' },
  { K: 5, eta: 0.3, kappa: 0.3, kappaV: 0.5, logitScale: 'sum', resetTracesPerExample: false, hiddenSignal: 'centered' },
];
