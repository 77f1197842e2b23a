// Exact enumeration (SPEC 6): the shared vectors' exact numbers, and the K-sample estimator and the
// self-normalised importance weights on the reference path against the enumerated truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  enumerateHistories,
  estimatorExpectation,
  EXACT_MAX_HISTORIES,
  historyFromIndex,
  historyIndex,
  logJoint,
} from '../../lib/reference/exact';
import { createNetwork, Network } from '../../lib/model/network';
import { Example } from '../../lib/model/training-example';
import { refGemExample, refLogLikelihoodEstimate } from '../../lib/reference/reference-path';
import { resolveGemOptions } from '../../lib/model/learning-options';
import { makeRngs } from '../../lib/util/rng';
import { softmaxInto } from '../../lib/util/math';
import { loadVector, VECTOR_FILES, vectorExample, vectorNetwork, vectorsAvailable } from './vectors';

const skip = vectorsAvailable() ? false : 'test vectors not found at ../shared/test-vectors';
const close = (a: number, e: number, what: string, tol = 1e-9) =>
  assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}: got ${a}, expected ${e}`);

for (const file of VECTOR_FILES) {
  test(`${file}: exact log p(x), ELBO (K = 1) and posterior hidden marginals to 1e-9`, { skip }, () => {
    const v = loadVector(file);
    const en = enumerateHistories(vectorNetwork(v), vectorExample(v));
    assert.equal(en.count, 2 ** (v.network.hidden * v.T));
    close(en.logPx, v.exact.exact_log_px, 'log p(x)');
    close(en.elbo, v.exact.elbo_K1, 'ELBO');
    const m = v.exact.posterior_hidden_marginals.flat();
    assert.equal(en.marginals.length, m.length);
    m.forEach((x, i) => close(en.marginals[i], x, `marginal ${i}`));
    close(en.posterior.reduce((a, b) => a + b, 0), 1, 'posterior sums to 1', 1e-12);
    // The K = 1 estimator expectation is the ELBO; K = 2 lies between ELBO and log p(x).
    const e1 = estimatorExpectation(en, 1);
    const e2 = estimatorExpectation(en, 2);
    assert.equal(e1.method, 'exact');
    close(e1.mean, v.exact.elbo_K1, 'E[estimator], K = 1');
    assert.ok(e2.method === 'exact' && e2.mean > e1.mean && e2.mean < en.logPx);
  });
}

test('the enumeration agrees with refRun (logJoint) history by history, and history indexing round-trips', { skip }, () => {
  const v = loadVector(VECTOR_FILES[0]);
  const net = vectorNetwork(v);
  const ex = vectorExample(v);
  const en = enumerateHistories(net, ex);
  for (const s of [0, 1, 37, 128, 200, en.count - 1]) {
    const h = historyFromIndex(s, en.nH, en.T);
    assert.equal(historyIndex(h), s);
    close(logJoint(net, ex, h), en.logPHidden[s] + en.logPOutputs[s], `log p(x, h_${s})`, 1e-12);
  }
  // the vector's given history: bits t*nH + i
  const given = v.exact.given_hidden.flat();
  const s = historyIndex(given);
  close(en.logPOutputs[s], v.exact.given_log_p_outputs, 'given log p(x | h)');
  close(en.logPHidden[s], v.exact.given_log_p_hidden, 'given log p(h)');
});

test('enumeration refuses more than 2^20 histories with a clear error', () => {
  const net = createNetwork({ inputs: 1, hidden: 3, outputs: 1 }, 1);
  const ex: Example = { T: 7, input: new Uint8Array(7), target: new Uint8Array(7) };
  assert.equal(EXACT_MAX_HISTORIES, 2 ** 20);
  assert.throws(() => enumerateHistories(net, ex), /enumerateHistories: 2\^\(hidden·T\) = "2\^\(3·7\) = 2097152"; expected at most maxHistories = 1048576/);
  assert.throws(() => enumerateHistories(net, ex, 1000), /maxHistories = 1000/);
});

// A tiny random network (2 inputs, 2 hidden, 1 output, T = 3: 64 histories) with weights large enough
// that the posterior differs clearly from the sampling distribution: log p(x) − ELBO ≈ 0.37 nats.
function tinyNet(): { net: Network; ex: Example } {
  const net = createNetwork(
    {
      inputs: 2,
      hidden: 2,
      outputs: 1,
      initScale: 3,
      synapticBasis: { kind: 'raised-cosine-2020', K: 3, tau: 4 },
      feedbackBasis: { kind: 'raised-cosine-2020', K: 1, tau: 4 },
    },
    1,
  );
  return { net, ex: { T: 3, input: Uint8Array.from([1, 0, 0, 1, 1, 1]), target: Uint8Array.from([0, 1, 1]) } };
}

const KS = [1, 2, 5, 20, 100];

test('K-sample estimator (reference path, seeded): mean <= log p(x), rises with K, approaches log p(x)', () => {
  const { net, ex } = tinyNet();
  const en = enumerateHistories(net, ex);
  const gap = en.logPx - en.elbo;
  assert.ok(gap > 0.3, `gap ${gap}`);
  const R = 1500;
  const rows: string[] = [];
  let prev = -Infinity;
  for (const K of KS) {
    let s1 = 0;
    let s2 = 0;
    for (let r = 0; r < R; r++) {
      const { estimate } = refLogLikelihoodEstimate(net, ex, K, { rngs: makeRngs(`est-${K}-${r}`, 'sample', K) });
      s1 += estimate;
      s2 += estimate * estimate;
    }
    const mean = s1 / R;
    const se = Math.sqrt((s2 / R - mean * mean) / (R - 1));
    const truth = estimatorExpectation(en, K, { samples: 40000, seed: 'truth' });
    rows.push(`K=${K}: mean ${mean.toFixed(5)} ± ${se.toFixed(5)} (expected ${truth.mean.toFixed(5)} ${truth.method})`);
    // Jensen: E[estimate] <= log p(x); Monte Carlo margin 3 standard errors
    assert.ok(mean <= en.logPx + 3 * se, `K=${K}: mean ${mean} > log p(x) ${en.logPx} + 3se`);
    // the reference sampler draws from p(h || x): its mean matches the enumerated expectation
    assert.ok(Math.abs(mean - truth.mean) <= 4 * Math.hypot(se, truth.stderr), `K=${K}: ${mean} vs ${truth.mean}`);
    assert.ok(mean > prev, `K=${K}: mean ${mean} did not rise above ${prev}`);
    prev = mean;
  }
  // K = 100 closes at least 90 % of the ELBO gap
  assert.ok(en.logPx - prev < 0.1 * gap, `K=100 leaves ${en.logPx - prev} of a gap of ${gap}`);
  console.log(`exact log p(x) = ${en.logPx.toFixed(5)}, ELBO = ${en.elbo.toFixed(5)}\n  ${rows.join('\n  ')}`);
});

test('self-normalised importance weights (GEM, κv = 1, sum) converge to the exact posterior marginals', () => {
  const { net, ex } = tinyNet();
  const en = enumerateHistories(net, ex);
  const R = 150;
  const opts = (K: number) => resolveGemOptions({ K, eta: 0, kappaV: 1, logitScale: 'sum' });
  const errs: number[] = [];
  for (const K of KS) {
    let sq = 0;
    for (let r = 0; r < R; r++) {
      const rngs = makeRngs(`snis-${K}-${r}`, 'sample', K);
      const g = refGemExample(net, ex, opts(K), { rngs });
      const w = g.weights[ex.T - 1];
      // the GEM weights at the last step are the softmax of the per-compartment log p(x | h^k)
      const soft = softmaxInto(g.records.map((c) => c.logPOutputs), new Float64Array(K));
      w.forEach((x, k) => assert.ok(Math.abs(x - soft[k]) < 1e-12));
      for (let t = 0; t < ex.T; t++) {
        for (let i = 0; i < en.nH; i++) {
          let est = 0;
          for (let k = 0; k < K; k++) est += w[k] * g.records[k].spikes[t * net.N + net.nIn + i];
          sq += (est - en.marginals[t * en.nH + i]) ** 2;
        }
      }
    }
    errs.push(Math.sqrt(sq / (R * ex.T * en.nH)));
  }
  console.log(`posterior-marginal RMS error per K ${KS.join(', ')}: ${errs.map((e) => e.toFixed(4)).join(', ')}`);
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i] < errs[i - 1], `error did not shrink from K=${KS[i - 1]} to K=${KS[i]}: ${errs}`);
  assert.ok(errs[errs.length - 1] < 0.06, `K=100 RMS error ${errs[errs.length - 1]}`);
});
