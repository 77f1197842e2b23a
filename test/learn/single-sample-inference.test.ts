// The fast single-sample learner and fast inference against the reference path, same draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineTrainExample, createBaselineLearner } from '../../lib/learn/single-sample';
import { inferCounts, logLikelihoodPerCompartment, simulate } from '../../lib/infer/inference';
import { logMeanExp } from '../../lib/util/math';
import { cloneNetwork } from '../../lib/model/network';
import { BaselineOptions, resolveBaselineOptions } from '../../lib/model/learning-options';
import { refBaselineExample, RefBaselineState, refLogLikelihoodEstimate, refRun } from '../../lib/reference/reference-path';
import { makeRng, makeRngs } from '../../lib/util/rng';
import { assertAllClose, assertClose, mixedTopology, randomExample, randomNetwork } from '../engine/helpers';

const presets = ['fully-connected', 'feedforward', 'hidden-to-output'] as const;

for (const preset of [...presets, 'custom'] as const) {
  test(`baseline fast = reference: ${preset}, two option sets, 3 examples in a row`, () => {
    const opts: Partial<BaselineOptions>[] = [{ eta: 0.05 }, { eta: 0.1, kappa: 0.6, beta: 0.3, gamma: 0.5, r: 0.2, resetTracesPerExample: false }];
    opts.forEach((o, oi) => {
      const topology = preset === 'custom' ? mixedTopology(`b-${oi}`, 6, 3, 2) : { preset };
      const net0 = randomNetwork({ inputs: 6, hidden: 3, outputs: 2, topology }, `b-${preset}-${oi}`);
      const fast = createBaselineLearner(cloneNetwork(net0), o, `bs-${oi}`);
      const refRng = makeRngs(`bs-${oi}`, 'sample', 1);
      let refNet = cloneNetwork(net0);
      let st: RefBaselineState | undefined;
      for (let i = 0; i < 3; i++) {
        const ex = randomExample(`b-${preset}-${oi}-${i}`, 12, 6, 2);
        const r = refBaselineExample(refNet, ex, resolveBaselineOptions(o), { rngs: refRng }, st);
        refNet = r.net;
        st = r.state;
        const f = baselineTrainExample(fast, ex, { record: true });
        const L = net0.L;
        for (let t = 0; t < ex.T; t++) for (let l = 0; l < L; l++) assert.equal(f.record!.spikes[t * L + l], r.record.spikes[t * net0.N + net0.nIn + l], `spike t ${t} l ${l}`);
        assertAllClose(f.record!.potentials, r.record.potentials, 'potentials');
        assertAllClose(f.record!.learningSignal, r.learningSignal, 'learning signal');
        assertClose(f.logPOutputs, r.record.logPOutputs, 'log p(outputs)');
        assertAllClose(fast.net.W, refNet.W, `ex ${i} W`);
        assertAllClose(fast.net.F, refNet.F, `ex ${i} F`);
        assertAllClose(fast.net.b, refNet.b, `ex ${i} b`);
      }
    });
  });
}

for (const preset of [...presets, 'custom'] as const) {
  test(`inference and log-likelihood = reference runs with the same streams: ${preset}`, () => {
    const topology = preset === 'custom' ? mixedTopology('inf', 9, 4, 3) : { preset };
    const net = randomNetwork({ inputs: 9, hidden: 4, outputs: 3, topology }, `inf-${preset}`);
    const ex = randomExample(`inf-${preset}`, 15, 9, 3);
    const KI = 4;
    // outputs free: spikes and counts
    const refFree = refRun(net, ex, KI, false, { rngs: Array.from({ length: KI }, (_, k) => makeRng('s', 'infer', 3, k)) });
    const counts = inferCounts(net, ex, KI, 's', 3);
    const sim = simulate(net, ex, KI, false, Array.from({ length: KI }, (_, k) => makeRng('s', 'infer', 3, k)), { record: true });
    assert.deepEqual(Array.from(sim.counts), Array.from(counts));
    const { L, N, nIn, nH, nO } = net;
    for (let k = 0; k < KI; k++) {
      for (let o = 0; o < nO; o++) {
        let c = 0;
        for (let t = 0; t < ex.T; t++) c += refFree[k].spikes[t * N + nIn + nH + o];
        assert.equal(counts[k * nO + o], c, `count k ${k} o ${o}`);
      }
      for (let t = 0; t < ex.T; t++) for (let l = 0; l < L; l++) assert.equal(sim.record!.spikes[(k * ex.T + t) * L + l], refFree[k].spikes[t * N + nIn + l]);
      assertAllClose(sim.record!.potentials.subarray(k * ex.T * L, (k + 1) * ex.T * L), refFree[k].potentials, `free potentials k ${k}`);
    }
    // outputs clamped: per-compartment log-likelihood and the estimate
    const ll = logLikelihoodPerCompartment(net, ex, KI, 's', 3);
    const ref = refLogLikelihoodEstimate(net, ex, KI, { rngs: Array.from({ length: KI }, (_, k) => makeRng('s', 'loglik', 3, k)) });
    assertAllClose(ll, ref.perCompartment, 'per-compartment log p(x|h)');
    assertClose(logMeanExp(ll), ref.estimate, 'estimate');
    // nested subsets: the first K of a K_I run equal a K run
    const ll2 = logLikelihoodPerCompartment(net, ex, 2, 's', 3);
    assert.deepEqual(Array.from(ll2), Array.from(ll.subarray(0, 2)));
    assert.deepEqual(Array.from(inferCounts(net, ex, 2, 's', 3)), Array.from(counts.subarray(0, 2 * nO)));
    // another example index gives other streams
    assert.notDeepEqual(Array.from(logLikelihoodPerCompartment(net, ex, KI, 's', 4)), Array.from(ll));
  });
}
