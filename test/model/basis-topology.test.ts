// Basis tables (SPEC 1: the example rows must come out) and the connectivity presets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basisRows, makeBasis } from '../../lib/model/basis';
import { makeTopology, maskRows } from '../../lib/model/topology';
import { createNetwork } from '../../lib/model/network';

test('raised-cosine-2020 (Ka = 8, τ = 10, μ = 1.5): the SPEC rows m = 3 and m = 7', () => {
  const rows = basisRows(makeBasis({ kind: 'raised-cosine-2020', K: 8, tau: 10, mu: 1.5 }));
  const m3 = [0, 0.5622, 0.947, 0.3765, 0.0181, 0, 0, 0, 0, 0];
  const m7 = [0, 0, 0, 0, 0, 0.0844, 0.3739, 0.6828, 0.9006, 0.9948];
  rows[3].forEach((v, d) => assert.ok(Math.abs(v - m3[d]) < 1e-4, `row 3 lag ${d + 1}: ${v} vs ${m3[d]}`));
  rows[7].forEach((v, d) => assert.ok(Math.abs(v - m7[d]) < 1e-4, `row 7 lag ${d + 1}: ${v} vs ${m7[d]}`));
  // the default feedback basis (Kb = 1) reacts to the last spike only
  assert.deepEqual(basisRows(makeBasis({ kind: 'raised-cosine-2020', K: 1, tau: 10 }))[0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('raised-cosine-pillow08: each function peaks at 1 at its centre, centres spaced evenly in log time', () => {
  const K = 4, tau = 20;
  const rows = basisRows(makeBasis({ kind: 'raised-cosine-pillow08', K, tau }));
  const n = (d: number) => Math.log(d - 1 + tau / 10);
  const delta = (n(tau) - n(1)) / (K - 1);
  rows.forEach((row, m) => {
    row.forEach((v, i) => {
      const x = (Math.PI * 0.5 * (n(i + 1) - (n(1) + m * delta))) / delta;
      const want = 0.5 * (1 + Math.cos(Math.max(-Math.PI, Math.min(Math.PI, x))));
      assert.ok(Math.abs(v - want) < 1e-12);
    });
  });
  assert.equal(rows[0][0], 1, 'the first function peaks at lag 1');
  assert.equal(rows[K - 1][tau - 1], 1, 'the last function peaks at lag tau');
});

test('exponential basis and invalid basis configs', () => {
  const b = makeBasis({ kind: 'exponential', K: 1, tau: 5 });
  assert.deepEqual(Array.from(b.table), [0, 1, 2, 3, 4].map((d) => Math.exp(-d / 5)));
  assert.throws(() => makeBasis({ kind: 'raised-cosine-2020', K: 0, tau: 10 }), /K = 0; expected an integer/);
  assert.throws(() => makeBasis({ kind: 'raised-cosine-pillow08', K: 2, tau: 1 }), /tau = 1/);
  assert.throws(() => makeBasis({ kind: 'cosine' as never, K: 1, tau: 3 }), /kind = "cosine"; expected one of/);
  assert.throws(() => makeBasis({ kind: 'custom', K: 2, tau: 2, table: [[1, 0], [1]] }), /table\[1\]\.length/);
});

test('topology presets: feedforward, hidden-to-output, output feedback option; custom masks validated', () => {
  const sizes = { inputs: 2, hidden: 2, outputs: 1 };
  const ff = makeTopology({ preset: 'feedforward' }, sizes);
  assert.deepEqual(maskRows(ff, 5), [
    [1, 1, 0, 0, 0],
    [1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0],
  ]);
  assert.deepEqual(Array.from(ff.feedback), [1, 1, 1]);
  assert.deepEqual(Array.from(makeTopology({ preset: 'feedforward', outputFeedback: false }, sizes).feedback), [1, 1, 0]);
  const h2o = makeTopology({ preset: 'hidden-to-output', outputToHidden: false }, sizes);
  assert.deepEqual(maskRows(h2o, 5), [
    [1, 1, 0, 1, 0],
    [1, 1, 1, 0, 0],
    [0, 0, 1, 1, 0],
  ]);
  assert.deepEqual(Array.from(h2o.feedback), [1, 1, 0]);
  assert.throws(() => makeTopology({ preset: 'custom', mask: [[1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 1, 0]] }, sizes), /mask\[0\]\[2\] = 1; expected 0: no self-synapse/);
  assert.throws(() => makeTopology({ preset: 'custom', mask: [[1, 1, 0, 0, 0]] }, sizes), /mask\.length = 1; expected 3 rows/);
  assert.throws(() => makeTopology({ preset: 'star' as never }, sizes), /preset = "star"/);
  // masked weights are created as zeros
  const net = createNetwork({ ...sizes, topology: { preset: 'hidden-to-output', outputToHidden: false } }, 3);
  for (let l = 0; l < net.L; l++) for (let j = 0; j < net.N; j++) {
    if (net.topology.mask[l * net.N + j]) continue;
    for (let m = 0; m < net.synaptic.K; m++) assert.equal(net.W[(l * net.N + j) * net.synaptic.K + m], 0);
  }
  assert.equal(net.F[net.L - 1], 0, 'no feedback filter: F stays 0');
});
