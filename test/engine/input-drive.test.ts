// Input drive of the learners (straight from W, input by input) against the transposed path of the
// forward kernel, byte for byte; the prepared drive of a session reused only for the same input and b.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInputSpikes, indexInputSpikes, inputDriveAll, inputDriveTransposed, spikesByInput, transposeInputWeights } from '../../lib/engine/input-traces';
import { createInferenceSession } from '../../lib/infer/inference';
import { randomExample, randomNetwork } from './helpers';

for (const Ka of [8, 3]) {
  test(`inputDriveAll = transposeInputWeights + inputDriveTransposed, byte for byte (Ka = ${Ka})`, () => {
    const net = randomNetwork({ inputs: 40, hidden: 5, outputs: 2, topology: { preset: 'fully-connected' }, synapticBasis: { kind: 'raised-cosine-2020', K: Ka, tau: 6, mu: 1.5 } }, `drive-${Ka}`);
    const { L, nIn } = net;
    const T = 30;
    const ex = randomExample(`drive-${Ka}`, T, nIn, net.nO, 0.1);
    const sp = indexInputSpikes(ex.input, T, nIn, createInputSpikes());
    const rows = new Uint8Array(L).fill(1);
    rows[2] = 0;
    const start = new Int32Array(nIn + 1);
    const times = new Int32Array(sp.start[T]);
    spikesByInput(sp, nIn, start, times, new Int32Array(nIn));
    for (let j = 0; j < nIn; j++) {
      for (let q = start[j]; q < start[j + 1]; q++) assert.equal(ex.input[times[q] * nIn + j], 1, `input ${j} spiked at ${times[q]}`);
      assert.equal(start[j + 1] - start[j], Array.from({ length: T }, (_, a) => ex.input[a * nIn + j]).reduce((x, y) => x + y, 0));
    }
    const Z = new Float64Array(T * L);
    inputDriveAll(net, net.W, sp, rows, start, times, Z, new Float64Array(T * Ka));
    const WinT = new Float64Array(nIn * L * Ka);
    transposeInputWeights(net, net.W, rows, new Uint8Array(L).fill(1), WinT);
    const Zt = new Float64Array(T * L);
    inputDriveTransposed(net, sp, rows, Zt, new Float64Array(T * L * Ka), WinT);
    let nonZero = 0;
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < L; l++) {
        if (!rows[l]) continue;
        assert.equal(Z[t * L + l], Zt[t * L + l], `Z[${t}][${l}]`);
        if (Z[t * L + l] !== 0) nonZero++;
      }
    }
    assert.ok(nonZero > T, 'the drive is not trivially zero');
  });
}

test('a session prepares an example once for both passes, and again when the input or b changes', () => {
  const net = randomNetwork({ inputs: 30, hidden: 4, outputs: 2, topology: { preset: 'feedforward', outputFeedback: false } }, 'prep');
  const ex = randomExample('prep', 25, 30, 2, 0.2);
  const fresh = () => createInferenceSession(net);
  const ses = createInferenceSession(net);
  assert.deepEqual(ses.inferCounts(ex, 4, 1, 0), fresh().inferCounts(ex, 4, 1, 0));
  assert.deepEqual(ses.logLikelihoodPerCompartment(ex, 4, 1, 0), fresh().logLikelihoodPerCompartment(ex, 4, 1, 0));
  // same array, other content: prepared again
  const input2 = ex.input.slice();
  for (let i = 0; i < input2.length; i += 7) input2[i] = 1 - input2[i];
  const ex2 = { ...ex, input: input2 };
  const before = ses.logLikelihoodPerCompartment(ex, 4, 1, 0);
  ex.input.set(input2);
  assert.deepEqual(ses.logLikelihoodPerCompartment(ex, 4, 1, 0), fresh().logLikelihoodPerCompartment(ex2, 4, 1, 0));
  assert.notDeepEqual(ses.logLikelihoodPerCompartment(ex, 4, 1, 0), before);
  // b changed without a refresh: the drive follows b
  net.b[0] += 0.5;
  assert.deepEqual(ses.logLikelihoodPerCompartment(ex, 4, 1, 0), fresh().logLikelihoodPerCompartment(ex, 4, 1, 0));
});
