/**
 * Interop with @tensorflow/tfjs for notebooks: recorded spikes, weights and metrics as tensors. The
 * engine never needs tfjs; this module loads it lazily, on the first `await getTf()`.
 *
 * Backend choice (first that works): @tensorflow/tfjs-node ('tensorflow', native) when the user has
 * the real package installed; else @tensorflow/tfjs with @tensorflow/tfjs-backend-wasm ('wasm', its
 * .wasm binaries read from node_modules, nothing downloaded); else tfjs's 'cpu' backend.
 * Note: a package named @tensorflow/tfjs-node that is really an alias of @tensorflow/tfjs (this
 * project's root package.json overrides it so) is recognised by its package.json name and skipped.
 *
 * Tensors are float32 (tfjs has no float64): weights and potentials lose precision beyond ~7 digits.
 * Spikes and counts are int32 (exact).
 */
import type * as TF from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Network } from '../model/network';
import { checkInt, checkLength } from '../util/validate';
import { requireOptional } from '../util/optional';
import type { SpikeExample } from '../data/dataset';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';
export const TF_BACKENDS: readonly TfBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The loaded tfjs module and what was chosen. */
export interface TfHandle {
  tf: typeof TF;
  /** The active backend. */
  backend: TfBackendName;
  /** The package `tf` came from. */
  package: '@tensorflow/tfjs-node' | '@tensorflow/tfjs';
  /** Why this backend (which ones were tried and failed). */
  note: string;
}

let cached: Promise<TfHandle> | undefined;
let ready: TfHandle | undefined;

/**
 * Directory of a genuine @tensorflow/tfjs-node installation (package.json name checked), or null.
 */
export function findTfjsNode(): string | null {
  try {
    const pj = require.resolve('@tensorflow/tfjs-node/package.json');
    const name = JSON.parse(readFileSync(pj, 'utf8')).name;
    return name === '@tensorflow/tfjs-node' ? dirname(pj) : null;
  } catch {
    return null;
  }
}

async function load(prefer: readonly TfBackendName[]): Promise<TfHandle> {
  const tried: string[] = [];
  for (const want of prefer) {
    try {
      if (want === 'tensorflow') {
        if (!findTfjsNode()) {
          tried.push('tensorflow: no genuine @tensorflow/tfjs-node installed');
          continue;
        }
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const tf = require('@tensorflow/tfjs-node') as typeof TF;
        if (await tf.setBackend('tensorflow')) return { tf, backend: 'tensorflow', package: '@tensorflow/tfjs-node', note: tried.join('; ') || 'tfjs-node found' };
        tried.push('tensorflow: setBackend failed');
      } else {
        const tf = requireOptional<typeof TF>('@tensorflow/tfjs', 'getTf (tfjs tensors)');
        if (want === 'wasm') {
          const wasm = requireOptional<{ setWasmPaths: (p: string) => void }>('@tensorflow/tfjs-backend-wasm', "getTf's wasm backend");
          const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
          wasm.setWasmPaths(dist);
        }
        if (await tf.setBackend(want)) {
          await tf.ready();
          return { tf, backend: want, package: '@tensorflow/tfjs', note: tried.join('; ') || `${want} backend` };
        }
        tried.push(`${want}: setBackend failed`);
      }
    } catch (e) {
      // Without @tensorflow/tfjs no backend can work: say which package to install.
      if ((e as Error).message.includes("optional package '@tensorflow/tfjs'")) throw e;
      tried.push(`${want}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`getTf: no tfjs backend could be initialised (${tried.join('; ')})`);
}

/**
 * Loads tfjs once and picks the backend (see the module comment). `prefer` orders the candidates
 * (default ['tensorflow', 'wasm', 'cpu']); the first call decides and later calls return the same handle.
 */
export function getTf(opts: { prefer?: readonly TfBackendName[] } = {}): Promise<TfHandle> {
  if (!cached) {
    const prefer = opts.prefer ?? TF_BACKENDS;
    prefer.forEach((p, i) => {
      if (!TF_BACKENDS.includes(p)) throw new Error(`getTf: prefer[${i}] = ${JSON.stringify(p)}; expected one of ${TF_BACKENDS.join(', ')}`);
    });
    cached = load(prefer).then((h) => (ready = h));
    cached.catch(() => (cached = undefined));
  }
  return cached;
}

function tfNow(where: string): typeof TF {
  if (!ready) throw new Error(`${where}: tfjs is not loaded yet; call "await getTf()" first`);
  return ready.tf;
}

/** Synaptic weights W as a float32 tf.Tensor [L, N, Ka] (masked entries 0). */
export function weightsTensor(net: Network): TF.Tensor3D {
  return tfNow('weightsTensor').tensor3d(Float32Array.from(net.W), [net.L, net.N, net.synaptic.K], 'float32');
}

/** Feedback weights F as a float32 tf.Tensor [L, Kb]. */
export function feedbackTensor(net: Network): TF.Tensor2D {
  return tfNow('feedbackTensor').tensor2d(Float32Array.from(net.F), [net.L, net.feedbackBasis.K], 'float32');
}

/** Biases b as a float32 tf.Tensor [L]. */
export function biasTensor(net: Network): TF.Tensor1D {
  return tfNow('biasTensor').tensor1d(Float32Array.from(net.b), 'float32');
}

/** The connectivity mask as an int32 tf.Tensor [L, N] (1 = synapse from neuron j to learnable l). */
export function maskTensor(net: Network): TF.Tensor2D {
  return tfNow('maskTensor').tensor2d(Int32Array.from(net.topology.mask), [net.L, net.N], 'int32');
}

/** Recorded spikes `spikes` [T][n] row-major (0/1) as an int32 tf.Tensor [T, n]. */
export function spikesTensor(spikes: ArrayLike<number>, T: number, n: number): TF.Tensor2D {
  checkInt('spikesTensor', 'T', T, 1);
  checkInt('spikesTensor', 'n', n, 1);
  checkLength('spikesTensor', 'spikes', spikes, T * n, `[T=${T}][n=${n}]`);
  return tfNow('spikesTensor').tensor2d(Int32Array.from(spikes), [T, n], 'int32');
}

/** Spike counts `counts` [K][C] row-major as an int32 tf.Tensor [K, C]. */
export function countsTensor(counts: ArrayLike<number>, K: number, C: number): TF.Tensor2D {
  checkInt('countsTensor', 'K', K, 1);
  checkInt('countsTensor', 'C', C, 1);
  checkLength('countsTensor', 'counts', counts, K * C, `[K=${K}][C=${C}]`);
  return tfNow('countsTensor').tensor2d(Int32Array.from(counts), [K, C], 'int32');
}

/** Potentials `u` [T][L] row-major (e.g. a reference record's) as a float32 tf.Tensor [T, L]. */
export function potentialsTensor(u: ArrayLike<number>, T: number, L: number): TF.Tensor2D {
  checkInt('potentialsTensor', 'T', T, 1);
  checkInt('potentialsTensor', 'L', L, 1);
  checkLength('potentialsTensor', 'potentials', u, T * L, `[T=${T}][L=${L}]`);
  return tfNow('potentialsTensor').tensor2d(Float32Array.from(u), [T, L], 'float32');
}

/** A metric series (e.g. log-likelihood per epoch) as a float32 tf.Tensor [n]. */
export function seriesTensor(values: ArrayLike<number>): TF.Tensor1D {
  return tfNow('seriesTensor').tensor1d(Float32Array.from(values), 'float32');
}

/**
 * Spike examples as tfjs tensors: `x` float32 [N, T, nIn] of 0/1 and `y` int32 [N] class indices
 * (loads tfjs through getTf). All examples must share T and nIn. The caller disposes both.
 */
export async function toTensors(examples: SpikeExample[]): Promise<{ x: TF.Tensor3D; y: TF.Tensor1D }> {
  if (examples.length === 0) throw new Error('toTensors: examples is empty; expected at least one example');
  const { T, nIn } = examples[0];
  const buf = new Float32Array(examples.length * T * nIn);
  examples.forEach((e, i) => {
    if (e.T !== T || e.nIn !== nIn) throw new Error(`toTensors: example ${i} is [${e.T}, ${e.nIn}]; expected [${T}, ${nIn}] like the first`);
    buf.set(e.spikes, i * T * nIn);
  });
  const { tf } = await getTf();
  return { x: tf.tensor3d(buf, [examples.length, T, nIn]), y: tf.tensor1d(Int32Array.from(examples, (e) => e.label), 'int32') };
}
