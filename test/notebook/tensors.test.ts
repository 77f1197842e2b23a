// tfjs interop: backend choice (offline) and the shapes/values of the tensor helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { countsTensor, findTfjsNode, getTf, spikesTensor, TF_BACKENDS, weightsTensor, biasTensor, feedbackTensor, maskTensor, potentialsTensor } from '../../lib/notebook/tensors';
import { createNetwork } from '../../lib/model/network';

test('tfjs-node is used only when the genuine package is installed', () => {
  let name: string | null = null;
  try {
    name = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-node/package.json'), 'utf8')).name;
  } catch {
    name = null;
  }
  assert.equal(findTfjsNode() !== null, name === '@tensorflow/tfjs-node');
});

test('helpers before getTf() explain what to do', () => {
  assert.throws(() => weightsTensor(createNetwork({ inputs: 1, hidden: 0, outputs: 1 }, 1)), /weightsTensor: tfjs is not loaded yet; call "await getTf\(\)" first/);
});

test('getTf picks an allowed backend offline and tensors carry the library arrays', async () => {
  const h = await getTf();
  console.log(`tfjs backend: ${h.backend} (${h.package}; ${h.note})`);
  assert.ok(TF_BACKENDS.includes(h.backend));
  assert.equal(h.tf.getBackend(), h.backend);
  if (!findTfjsNode()) assert.notEqual(h.backend, 'tensorflow');
  assert.equal(await getTf(), h, 'cached handle');

  const net = createNetwork({ inputs: 3, hidden: 2, outputs: 2 }, 5);
  const w = weightsTensor(net);
  assert.deepEqual(w.shape, [net.L, net.N, net.synaptic.K]);
  assert.equal(w.dtype, 'float32');
  const wv = w.dataSync();
  for (let i = 0; i < net.W.length; i++) assert.equal(wv[i], Math.fround(net.W[i]));
  // entry [l, j, m] of the tensor is W[(l*N + j)*Ka + m]
  const l = 3, j = 1, m = 5;
  assert.equal((w.arraySync() as number[][][])[l][j][m], Math.fround(net.W[(l * net.N + j) * net.synaptic.K + m]));
  assert.deepEqual(feedbackTensor(net).shape, [net.L, net.feedbackBasis.K]);
  assert.deepEqual(Array.from(biasTensor(net).dataSync()), Array.from(net.b, Math.fround));
  assert.deepEqual(Array.from(maskTensor(net).dataSync()), Array.from(net.topology.mask));

  const spikes = Uint8Array.from([1, 0, 0, 1, 1, 1]);
  const s = spikesTensor(spikes, 3, 2);
  assert.deepEqual(s.shape, [3, 2]);
  assert.equal(s.dtype, 'int32');
  assert.deepEqual(s.arraySync(), [[1, 0], [0, 1], [1, 1]]);
  assert.deepEqual(Array.from(s.sum(0).dataSync()), [2, 2]);
  const c = countsTensor(Int32Array.from([3, 5, 0, 2, 2, 2]), 2, 3);
  assert.deepEqual(Array.from(c.argMax(1).dataSync()), [1, 0]);
  assert.deepEqual(potentialsTensor(new Float64Array(8), 2, 4).shape, [2, 4]);
  assert.throws(() => spikesTensor(spikes, 4, 2), /spikesTensor: spikes\.length = 6; expected 8 \(shape \[T=4\]\[n=2\]\)/);
  h.tf.dispose([w, s, c]);
});
