// The reference path against the independent implementation's numbers (SPEC 6), to 1e-9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refBaselineExample, refGemExample, refLogLikelihoodEstimate, refRun } from '../../lib/reference/reference-path';
import { resolveBaselineOptions, resolveGemOptions } from '../../lib/model/learning-options';
import { nestedParams } from '../../lib/model/network';
import { flat, loadVector, VECTOR_FILES, vectorExample, vectorNetwork, vectorsAvailable } from './vectors';
import { makeTopology } from '../../lib/model/topology';

const TOL = 1e-9;
function close(actual: number, expected: number, what: string, tol = TOL) {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}
function closeDeep(actual: unknown, expected: unknown, what: string) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: not an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${what}: length`);
    expected.forEach((e, i) => closeDeep((actual as unknown[])[i], e, `${what}[${i}]`));
  } else close(actual as number, expected as number, what);
}

const skip = vectorsAvailable() ? false : 'test vectors not found at ../shared/test-vectors';

for (const file of VECTOR_FILES) {
  test(`${file}: the preset topology reproduces the vector's mask`, { skip }, () => {
    const v = loadVector(file);
    const t = makeTopology({ preset: v.topology as 'fully-connected' | 'hidden-to-output' }, v.network);
    const L = v.network.hidden + v.network.outputs;
    const N = v.network.inputs + L;
    const rows = Array.from({ length: L }, (_, l) => Array.from(t.mask.subarray(l * N, (l + 1) * N)));
    assert.deepEqual(rows, v.network.mask);
    assert.deepEqual(Array.from(t.feedback), v.network.feedback_mask);
  });

  test(`${file}: potentials and log-probabilities along the given hidden history`, { skip }, () => {
    const v = loadVector(file);
    const net = vectorNetwork(v);
    const [rec] = refRun(net, vectorExample(v), 1, true, { hidden: [flat(v.exact.given_hidden)] });
    closeDeep(Array.from(rec.potentials), v.exact.given_potentials.flat(), 'potentials');
    close(rec.logPOutputs, v.exact.given_log_p_outputs, 'log p(outputs | h)');
    close(rec.logPHidden, v.exact.given_log_p_hidden, 'log p(h)');
  });

  test(`${file}: K-sample log-likelihood estimate with given hidden spikes`, { skip }, () => {
    const v = loadVector(file);
    const e = v.loglik_estimate;
    const r = refLogLikelihoodEstimate(vectorNetwork(v), vectorExample(v), e.hidden_spikes_per_compartment.length, {
      hidden: e.hidden_spikes_per_compartment.map(flat),
    });
    closeDeep(r.perCompartment, e.per_compartment_log_p_outputs, 'per-compartment log p(x|h)');
    close(r.estimate, e.estimate, 'estimate');
  });

  test(`${file}: GEM-SNN replay, three option sets`, { skip }, () => {
    const v = loadVector(file);
    for (const [i, g] of v.gem_replay.entries()) {
      const o = g.options;
      const opts = resolveGemOptions({ K: o.K, eta: o.eta, kappa: o.kappa, kappaV: o.kappa_v, logitScale: o.logit_scale, hiddenSignal: o.hidden_signal });
      const r = refGemExample(vectorNetwork(v), vectorExample(v), opts, { hidden: g.hidden_spikes_per_compartment.map(flat) });
      closeDeep(r.weights, g.importance_weights_per_step, `set ${i} weights`);
      const p = nestedParams(r.net);
      closeDeep(p.W, g.W_after, `set ${i} W`);
      closeDeep(p.F, g.F_after, `set ${i} F`);
      closeDeep(p.b, g.b_after, `set ${i} b`);
    }
  });

  test(`${file}: single-sample baseline replay`, { skip }, () => {
    const v = loadVector(file);
    const b = v.baseline_replay;
    const opts = resolveBaselineOptions({ ...b.options });
    const r = refBaselineExample(vectorNetwork(v), vectorExample(v), opts, { hidden: [flat(b.hidden_spikes)] });
    closeDeep(r.learningSignal, b.learning_signal_per_step, 'learning signal');
    const p = nestedParams(r.net);
    closeDeep(p.W, b.W_after, 'W');
    closeDeep(p.F, b.F_after, 'F');
    closeDeep(p.b, b.b_after, 'b');
  });
}
