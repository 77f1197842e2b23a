// Fast path: shared test vectors replayed by injection, determinism, compartment order, masks, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineTrainExample, createBaselineLearner } from '../../lib/learn/single-sample';
import { createGemLearner, gemTrainExample, trainGem } from '../../lib/learn/gem';
import { inferCounts, logLikelihoodPerCompartment, simulate } from '../../lib/infer/inference';
import { cloneNetwork, nestedParams } from '../../lib/model/network';
import { GemOptions } from '../../lib/model/learning-options';
import { flat, loadVector, VECTOR_FILES, vectorExample, vectorNetwork, vectorsAvailable } from '../reference/vectors';
import { assertAllClose, assertClose, mixedTopology, randomExample, randomNetwork } from './helpers';

const skip = vectorsAvailable() ? false : 'test vectors not found at ../shared/test-vectors';

for (const file of VECTOR_FILES) {
  test(`${file}: the fast paths replay the vector (GEM three option sets, baseline, log-likelihood)`, { skip }, () => {
    const v = loadVector(file);
    for (const [i, g] of v.gem_replay.entries()) {
      const o = g.options;
      const net = vectorNetwork(v);
      const learner = createGemLearner(net, { K: o.K, eta: o.eta, kappa: o.kappa, kappaV: o.kappa_v, logitScale: o.logit_scale, hiddenSignal: o.hidden_signal }, 0);
      const st = gemTrainExample(learner, vectorExample(v), { injectHidden: g.hidden_spikes_per_compartment.map(flat), record: true });
      assertAllClose(st.record!.weights, g.importance_weights_per_step.flat(), `set ${i} weights`);
      const p = nestedParams(net);
      assertAllClose(p.W.flat(2), g.W_after.flat(2), `set ${i} W`);
      assertAllClose(p.F.flat(), g.F_after.flat(), `set ${i} F`);
      assertAllClose(p.b, g.b_after, `set ${i} b`);
    }
    const b = v.baseline_replay;
    const net = vectorNetwork(v);
    const bl = createBaselineLearner(net, { ...b.options }, 0);
    const r = baselineTrainExample(bl, vectorExample(v), { injectHidden: flat(b.hidden_spikes), record: true });
    assertAllClose(r.record!.learningSignal, b.learning_signal_per_step, 'baseline learning signal');
    const p = nestedParams(net);
    assertAllClose(p.W.flat(2), b.W_after.flat(2), 'baseline W');
    assertAllClose(p.F.flat(), b.F_after.flat(), 'baseline F');
    assertAllClose(p.b, b.b_after, 'baseline b');
    const e = v.loglik_estimate;
    const K = e.hidden_spikes_per_compartment.length;
    const sim = simulate(vectorNetwork(v), vectorExample(v), K, true, null, { injectHidden: e.hidden_spikes_per_compartment.map(flat) });
    assertAllClose(sim.logPOutputs, e.per_compartment_log_p_outputs, 'per-compartment log p(x|h)');
    const [given] = [simulate(vectorNetwork(v), vectorExample(v), 1, true, null, { injectHidden: [flat(v.exact.given_hidden)], record: true })];
    assertAllClose(given.record!.potentials, v.exact.given_potentials.flat(), 'potentials along the given history');
    assertClose(given.logPOutputs[0], v.exact.given_log_p_outputs, 'given log p(outputs)');
    assertClose(given.logPHidden[0], v.exact.given_log_p_hidden, 'given log p(h)');
  });
}

function trainBytes(opts: Partial<GemOptions>, seed: string, reverse = false): { W: Buffer; F: Buffer; b: Buffer; W64: Float64Array } {
  const net = randomNetwork({ inputs: 12, hidden: 5, outputs: 3 }, 'det');
  const learner = createGemLearner(net, opts, seed);
  for (let i = 0; i < 4; i++) gemTrainExample(learner, randomExample(`det-${i}`, 20, 12, 3), { reverse });
  return { W: Buffer.from(net.W.buffer), F: Buffer.from(net.F.buffer), b: Buffer.from(net.b.buffer), W64: net.W };
}

test('seeded determinism: same seed → identical parameter bytes; another seed → different', () => {
  for (const opts of [{ K: 4, eta: 0.2 }, { K: 3, eta: 0.2, resetTracesPerExample: false }]) {
    const a = trainBytes(opts, 'x');
    const b = trainBytes(opts, 'x');
    assert.ok(a.W.equals(b.W) && a.F.equals(b.F) && a.b.equals(b.b), 'same seed, same bytes');
    assert.ok(!a.W.equals(trainBytes(opts, 'y').W), 'different seed, different parameters');
  }
});

test('compartment order does not matter: stepping compartments in reverse gives the same training and inference', () => {
  for (const opts of [{ K: 5, eta: 0.2 }, { K: 4, eta: 0.2, resetTracesPerExample: false, hiddenSignal: 'centered' as const }]) {
    const a = trainBytes(opts, 'o');
    const r = trainBytes(opts, 'o', true);
    assertAllClose(r.W64, a.W64, 'W after training in reverse order', 1e-12);
  }
  const net = randomNetwork({ inputs: 10, hidden: 4, outputs: 3 }, 'ord');
  const ex = randomExample('ord', 20, 10, 3);
  const rngs = (tag: string) => Array.from({ length: 6 }, (_, k) => ({ next: mk(`${tag}${k}`) }));
  const f = simulate(net, ex, 6, false, rngs('a'), { record: true });
  const r = simulate(net, ex, 6, false, rngs('a'), { record: true, reverse: true });
  assert.deepEqual(Array.from(r.record!.spikes), Array.from(f.record!.spikes));
  assert.deepEqual(Array.from(r.record!.potentials), Array.from(f.record!.potentials));
});

// a tiny deterministic stream for the order test (independent of seedrandom)
function mk(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 4294967296;
  };
}

test('masked weights and absent feedback filters stay exactly 0 through GEM and baseline training', () => {
  for (const topology of [{ preset: 'feedforward' as const }, { preset: 'hidden-to-output' as const, outputToHidden: false }, mixedTopology('m', 8, 4, 3)]) {
    for (const opts of [{ K: 3, eta: 0.5 }, { K: 2, eta: 0.5, resetTracesPerExample: false }]) {
      const net = randomNetwork({ inputs: 8, hidden: 4, outputs: 3, topology }, 'mask');
      const learner = createGemLearner(net, opts, 'm');
      trainGem(learner, [0, 1, 2].map((i) => randomExample(`mask-${i}`, 25, 8, 3, 0.4)));
      const bl = createBaselineLearner(net, { eta: 0.5 }, 'm');
      baselineTrainExample(bl, randomExample('mask-b', 25, 8, 3, 0.4));
      const { L, N } = net;
      const Ka = net.synaptic.K;
      let changed = 0;
      for (let l = 0; l < L; l++) {
        for (let j = 0; j < N; j++) {
          for (let m = 0; m < Ka; m++) {
            const w = net.W[(l * N + j) * Ka + m];
            if (!net.topology.mask[l * N + j]) assert.equal(Object.is(w, 0) || Object.is(w, -0), true, `W[${l}][${j}][${m}] = ${w} on a masked synapse`);
            else changed++;
          }
        }
        if (!net.topology.feedback[l]) assert.equal(net.F[l], 0, `F[${l}] without feedback filter`);
      }
      assert.ok(changed > 0);
    }
  }
});

test('bad input is rejected before any work, naming the parameter', () => {
  const net = randomNetwork({ inputs: 4, hidden: 2, outputs: 2 }, 'bad');
  const before = net.W.slice();
  const ex = randomExample('bad', 5, 4, 2);
  assert.throws(() => createGemLearner(net, { K: 0 }, 1), /K = 0/);
  assert.throws(() => createGemLearner(net, { kappa: 1 }, 1), /kappa = 1/);
  assert.throws(() => createGemLearner(net, { kappa: -0.1 }, 1), /kappa = -0.1/);
  assert.throws(() => createGemLearner(net, { eta: NaN }, 1), /eta = NaN/);
  assert.throws(() => createGemLearner(net, { logitScale: 'max' as 'sum' }, 1), /logitScale/);
  assert.throws(() => createGemLearner(net, {}, NaN), /seed = NaN/);
  const learner = createGemLearner(net, { K: 2 }, 1);
  assert.throws(() => gemTrainExample(learner, { ...ex, input: ex.input.subarray(1) }), /input\.length = 19; expected 20/);
  assert.throws(() => gemTrainExample(learner, { ...ex, target: new Uint8Array(3) }), /target\.length/);
  assert.throws(() => gemTrainExample(learner, { ...ex, label: 2 }), /label = 2/);
  assert.throws(() => gemTrainExample(learner, { ...ex, input: ex.input.map(() => 2) }), /input\[0\] = 2/);
  assert.throws(() => gemTrainExample(learner, ex, { injectHidden: [new Uint8Array(10)] }), /injectHidden\.length = 1/);
  assert.deepEqual(Array.from(net.W), Array.from(before), 'nothing trained');
  assert.equal(learner.examples, 0);
  assert.throws(() => createBaselineLearner(net, { beta: 1 }, 1), /beta = 1/);
  assert.throws(() => createBaselineLearner(net, { r: 0 }, 1), /r = 0/);
  assert.throws(() => baselineTrainExample(createBaselineLearner(net, {}, 1), { ...ex, T: 0 }), /T = 0/);
  assert.throws(() => inferCounts(net, ex, 0, 1, 0), /KI = 0/);
  assert.throws(() => inferCounts(net, ex, 2, 1, -1), /exampleIndex = -1/);
  assert.throws(() => inferCounts(net, { T: 5, input: new Uint8Array(7) } as never, 2, 1, 0), /input\.length = 7/);
  assert.throws(() => logLikelihoodPerCompartment(net, { T: 5, input: ex.input } as never, 2, 1, 0), /target/);
  assert.throws(() => logLikelihoodPerCompartment(net, ex, 1.5, 1, 0), /KI = 1.5/);
  void cloneNetwork;
});
