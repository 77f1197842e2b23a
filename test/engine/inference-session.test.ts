// Inference sessions (fixed weights, cached tables) against simulate, the plain functions and the
// reference path: bit-identical to simulate / the plain functions, within 1e-9 of the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGemLearner, gemTrainExample } from '../../lib/learn/gem';
import { createInferenceSession, inferCounts, logLikelihoodPerCompartment, simulate } from '../../lib/infer/inference';
import { cloneNetwork, Network } from '../../lib/model/network';
import { refLogLikelihoodEstimate, refRun } from '../../lib/reference/reference-path';
import { makeRng } from '../../lib/util/rng';
import { assertAllClose, mixedTopology, randomExample, randomNetwork } from './helpers';

const streams = (seed: string, use: string, i: number, K: number) => Array.from({ length: K }, (_, k) => makeRng(seed, use, i, k));
const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, 2 * a.length));

/** K rows of tau lags, every entry non-zero (so a lag left out or added changes the potentials). */
function denseBasis(K: number, tau: number) {
  return { kind: 'custom' as const, K, tau, table: Array.from({ length: K }, (_, m) => Array.from({ length: tau }, (_, d) => 0.3 + 0.5 * Math.cos(m + 0.7 * d))) };
}

/** Synaptic and feedback bases of different sizes and memories (τb > τa or τa > τb, Kb > 1). */
function net(preset: string, longFeedback = true): Network {
  const topology = preset === 'custom' ? mixedTopology('ses', 9, 5, 3) : { preset: preset as 'fully-connected' };
  return randomNetwork(
    {
      inputs: 9,
      hidden: 5,
      outputs: 3,
      topology,
      synapticBasis: longFeedback ? denseBasis(3, 6) : denseBasis(2, 8),
      feedbackBasis: longFeedback ? denseBasis(2, 9) : denseBasis(1, 5),
    },
    `ses-${preset}`,
  );
}

for (const [preset, longFeedback] of [['fully-connected', true], ['fully-connected', false], ['feedforward', true], ['hidden-to-output', true], ['hidden-to-output', false], ['custom', true]] as const) {
  test(`session = simulate = plain functions (bitwise) = reference (1e-9): ${preset}, τb ${longFeedback ? '>' : '<'} τa`, () => {
    const n = net(preset, longFeedback);
    const W0 = n.W.slice();
    const ses = createInferenceSession(n);
    const KI = 5;
    for (let i = 0; i < 3; i++) {
      const ex = randomExample(`ses-${preset}-${i}`, 18 + 3 * i, 9, 3, 0.3);
      // outputs free
      const sc = ses.inferCounts(ex, KI, 'z', i);
      const sim = simulate(n, ex, KI, false, streams('z', 'infer', i, KI));
      assert.deepEqual(Array.from(sc), Array.from(sim.counts), `ex ${i} counts: session vs simulate`);
      assert.deepEqual(Array.from(inferCounts(n, ex, KI, 'z', i)), Array.from(sc), `ex ${i} counts: plain vs session`);
      const ref = refRun(n, ex, KI, false, { rngs: streams('z', 'infer', i, KI) });
      for (let k = 0; k < KI; k++) {
        for (let o = 0; o < n.nO; o++) {
          let c = 0;
          for (let t = 0; t < ex.T; t++) c += ref[k].spikes[t * n.N + n.nIn + n.nH + o];
          assert.equal(sc[k * n.nO + o], c, `ex ${i} k ${k} o ${o}: count vs reference`);
        }
      }
      // outputs clamped
      const sl = ses.logLikelihoodPerCompartment(ex, KI, 'z', i);
      const simL = simulate(n, ex, KI, true, streams('z', 'loglik', i, KI));
      assert.deepEqual(bits(sl), bits(simL.logPOutputs), `ex ${i} log-likelihood: session vs simulate`);
      assert.deepEqual(bits(logLikelihoodPerCompartment(n, ex, KI, 'z', i)), bits(sl), `ex ${i} log-likelihood: plain vs session`);
      assertAllClose(sl, refLogLikelihoodEstimate(n, ex, KI, { rngs: streams('z', 'loglik', i, KI) }).perCompartment, `ex ${i} log-likelihood vs reference`);
      // an example without target; nested subsets
      const noTarget = ses.inferCounts({ T: ex.T, input: ex.input } as never, KI, 'z', i);
      assert.deepEqual(Array.from(noTarget), Array.from(sc), 'the target does not change free inference');
      assert.deepEqual(Array.from(ses.inferCounts(ex, 2, 'z', i)), Array.from(sc.subarray(0, 2 * n.nO)), 'nested subsets (counts)');
      assert.deepEqual(bits(ses.logLikelihoodPerCompartment(ex, 3, 'z', i)), bits(sl.subarray(0, 3)), 'nested subsets (log-likelihood)');
    }
    assert.deepEqual(Array.from(n.W), Array.from(W0), 'inference does not modify W');
  });
}

test('after training: the plain functions follow W; a session follows after refresh()', () => {
  const n = net('fully-connected');
  const ses = createInferenceSession(n);
  const ex = randomExample('ses-train', 20, 9, 3, 0.3);
  const before = ses.logLikelihoodPerCompartment(ex, 4, 1, 0);
  assert.deepEqual(bits(logLikelihoodPerCompartment(n, ex, 4, 1, 0)), bits(before), 'plain path builds its cache');
  const learner = createGemLearner(n, { K: 3, eta: 0.5 }, 'tr');
  for (let i = 0; i < 3; i++) gemTrainExample(learner, randomExample(`ses-tr-${i}`, 20, 9, 3, 0.3));
  const fresh = createInferenceSession(cloneNetwork(n)).logLikelihoodPerCompartment(ex, 4, 1, 0);
  assert.notDeepEqual(bits(fresh), bits(before), 'training changed the log-likelihood');
  const simL = simulate(n, ex, 4, true, streams('1', 'loglik', 0, 4)).logPOutputs;
  assert.deepEqual(bits(fresh), bits(simL), 'fresh session = simulate after training');
  assert.deepEqual(bits(logLikelihoodPerCompartment(n, ex, 4, 1, 0)), bits(simL), 'plain function saw the new W');
  assert.deepEqual(Array.from(inferCounts(n, ex, 4, 1, 0)), Array.from(simulate(n, ex, 4, false, streams('1', 'infer', 0, 4)).counts));
  assert.equal(ses.refreshIfChanged(), true, 'stale session detects the change');
  assert.equal(ses.refreshIfChanged(), false, 'and then is current');
  assert.deepEqual(bits(ses.logLikelihoodPerCompartment(ex, 4, 1, 0)), bits(simL), 'refreshed session = simulate');
});

test('session rejects bad input before any work, naming the parameter', () => {
  const n = net('feedforward');
  const ses = createInferenceSession(n);
  const ex = randomExample('ses-bad', 6, 9, 3);
  assert.throws(() => ses.inferCounts(ex, 0, 1, 0), /KI = 0/);
  assert.throws(() => ses.inferCounts(ex, 2, NaN, 0), /seed = NaN/);
  assert.throws(() => ses.inferCounts(ex, 2, 1, -1), /exampleIndex = -1/);
  assert.throws(() => ses.inferCounts({ T: 6, input: new Uint8Array(7) } as never, 2, 1, 0), /input\.length = 7/);
  assert.throws(() => ses.logLikelihoodPerCompartment({ T: 6, input: ex.input } as never, 2, 1, 0), /target/);
  assert.throws(() => ses.inferCounts({ ...ex, input: ex.input.map(() => 3) }, 2, 1, 0), /input\[0\] = 3/);
});

for (const preset of ['fully-connected', 'feedforward', 'hidden-to-output'] as const) {
  test(`inferCountsAt: counts after the first T' steps = reference counts over those steps = a run truncated at T' (${preset})`, () => {
    const n = net(preset);
    const ses = createInferenceSession(n);
    const KI = 4;
    const ex = randomExample(`at-${preset}`, 21, 9, 3, 0.3);
    const steps = [1, 5, 12, 21];
    const at = ses.inferCountsAt(ex, KI, 'z', 2, steps);
    assert.deepEqual(Array.from(at.subarray(3 * KI * n.nO)), Array.from(ses.inferCounts(ex, KI, 'z', 2)), 'last checkpoint = inferCounts');
    const ref = refRun(n, ex, KI, false, { rngs: streams('z', 'infer', 2, KI) });
    steps.forEach((Tp, p) => {
      for (let k = 0; k < KI; k++) for (let o = 0; o < n.nO; o++) {
        let c = 0;
        for (let t = 0; t < Tp; t++) c += ref[k].spikes[t * n.N + n.nIn + n.nH + o];
        assert.equal(at[p * KI * n.nO + k * n.nO + o], c, `T'=${Tp} k ${k} o ${o}`);
      }
      const short = { T: Tp, input: ex.input.slice(0, Tp * 9) };
      assert.deepEqual(Array.from(ses.inferCounts(short as never, KI, 'z', 2)), Array.from(at.subarray(p * KI * n.nO, (p + 1) * KI * n.nO)), `truncated run T'=${Tp}`);
    });
    assert.throws(() => ses.inferCountsAt(ex, KI, 'z', 2, [5, 5]), /steps\[1\] = 5/);
    assert.throws(() => ses.inferCountsAt(ex, KI, 'z', 2, [30]), /steps\[0\] = 30/);
  });
}
