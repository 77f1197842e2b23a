// Every gradient of SPEC 1 against central finite differences of log p(x, h) on the reference path,
// on random networks of every topology; numerical edge cases; bad-input messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logJoint, logJointGradient, enumerateHistories } from '../../lib/reference/exact';
import { cloneNetwork, createNetwork, emptyNetwork, Network, NetworkConfig, networkWithParams, nestedParams } from '../../lib/model/network';
import { Example, checkExample, classTarget } from '../../lib/model/training-example';
import { TopologyConfig } from '../../lib/model/topology';
import { makeRng, Rng } from '../../lib/util/rng';
import { logBernoulli, logSumExp, logMeanExp, softmaxInto, sigmoid } from '../../lib/util/math';
import { refRun } from '../../lib/reference/reference-path';
import { resolveBaselineOptions, resolveGemOptions } from '../../lib/model/learning-options';

const bits = (rng: Rng, n: number, p = 0.5) => Uint8Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));

function customMask(rng: Rng, L: number, N: number, nIn: number): number[][] {
  return Array.from({ length: L }, (_, l) => Array.from({ length: N }, (_, j) => (j !== nIn + l && rng.next() < 0.6 ? 1 : 0)));
}

const SIZES = { inputs: 2, hidden: 2, outputs: 2 };
const TOPOLOGIES: TopologyConfig[] = [
  { preset: 'fully-connected' },
  { preset: 'feedforward' },
  { preset: 'hidden-to-output', outputToHidden: true },
  { preset: 'hidden-to-output', outputToHidden: false },
  { preset: 'custom', mask: customMask(makeRng('mask'), 4, 6, 2), feedback: [1, 0, 1, 1] },
];

function randomCase(topology: TopologyConfig, seed: number): { net: Network; ex: Example; hidden: Uint8Array } {
  const cfg: NetworkConfig = {
    ...SIZES,
    topology,
    initScale: 1,
    synapticBasis: { kind: 'raised-cosine-2020', K: 3, tau: 5 },
    feedbackBasis: { kind: 'exponential', K: 2, tau: 3 },
  };
  const net = createNetwork(cfg, seed);
  const rng = makeRng(seed, 'case');
  const T = 7;
  return {
    net,
    ex: { T, input: bits(rng, T * SIZES.inputs), target: bits(rng, T * SIZES.outputs) },
    hidden: bits(rng, T * SIZES.hidden),
  };
}

for (const topo of TOPOLOGIES) {
  const name = topo.preset + (topo.preset === 'hidden-to-output' ? ` (outputToHidden ${topo.outputToHidden})` : '');
  test(`gradients of log p(x, h) match central finite differences: ${name}`, () => {
    for (const seed of [1, 2]) {
      const { net, ex, hidden } = randomCase(topo, seed);
      const g = logJointGradient(net, ex, hidden);
      const h = 1e-5;
      let checked = 0;
      let nonzero = 0;
      for (const key of ['W', 'F', 'b'] as const) {
        for (let i = 0; i < net[key].length; i++) {
          const plus = cloneNetwork(net);
          const minus = cloneNetwork(net);
          plus[key][i] += h;
          minus[key][i] -= h;
          const fd = (logJoint(plus, ex, hidden) - logJoint(minus, ex, hidden)) / (2 * h);
          const masked = key === 'W' ? !net.topology.mask[Math.floor(i / net.synaptic.K)] : key === 'F' ? !net.topology.feedback[Math.floor(i / net.feedbackBasis.K)] : false;
          if (masked) {
            // not a parameter: no gradient, and the potential ignores it
            assert.equal(g[key][i], 0, `${name} ${key}[${i}] masked`);
            assert.equal(fd, 0);
            continue;
          }
          assert.ok(Math.abs(fd - g[key][i]) < 1e-7 * Math.max(1, Math.abs(fd)), `${name} seed ${seed} ${key}[${i}]: analytic ${g[key][i]} vs FD ${fd}`);
          checked++;
          if (Math.abs(g[key][i]) > 1e-3) nonzero++;
        }
      }
      assert.ok(checked > 10 && nonzero > checked / 4, `${name}: only ${nonzero}/${checked} non-trivial gradients`);
      assert.equal(g.logJoint, logJoint(net, ex, hidden));
    }
  });
}

test('potentials of ±1e4 (huge biases) give finite log-probabilities and a finite exact log p(x)', () => {
  const cfg: NetworkConfig = { inputs: 1, hidden: 2, outputs: 2, synapticBasis: { kind: 'exponential', K: 1, tau: 2 }, feedbackBasis: { kind: 'exponential', K: 1, tau: 2 } };
  const p = nestedParams(emptyNetwork(cfg));
  p.b = [1e4, -1e4, -1e4, 1e4];
  const net = networkWithParams(cfg, p);
  const ex: Example = { T: 2, input: Uint8Array.from([1, 0]), target: Uint8Array.from([1, 0, 1, 0]) };
  const [r] = refRun(net, ex, 1, true, { hidden: [Uint8Array.from([0, 1, 1, 0])] });
  assert.ok(Number.isFinite(r.logPOutputs) && Number.isFinite(r.logPHidden));
  // each of the two steps: output 0 target 1 at u = −1e4 (−1e4), output 1 target 0 at u = 1e4 (−1e4)
  assert.equal(r.logPOutputs, -4e4);
  assert.equal(r.logPHidden, -2e4);
  const en = enumerateHistories(net, ex);
  assert.ok(Number.isFinite(en.logPx) && Number.isFinite(en.elbo));
  assert.equal(en.logPx, -4e4);
  for (const u of [1e4, -1e4, 1e300, -1e300]) {
    for (const s of [0, 1]) assert.ok(Number.isFinite(logBernoulli(s, u)) && logBernoulli(s, u) <= 0);
    assert.ok(sigmoid(u) >= 0 && sigmoid(u) <= 1);
  }
  assert.equal(logBernoulli(1, -1e4), -1e4);
  assert.equal(logBernoulli(0, 1e4), -1e4);
  assert.equal(logBernoulli(1, 1e4), -0);
});

test('softmax and logSumExp of logits ±1e4 are finite and exact', () => {
  const w = softmaxInto([1e4, -1e4, 0, 1e4], new Float64Array(4));
  assert.ok(Array.from(w).every(Number.isFinite));
  assert.equal(Array.from(w).reduce((a, b) => a + b, 0), 1);
  assert.deepEqual(Array.from(w), [0.5, 0, 0, 0.5]);
  const v = softmaxInto([-1e4, -1e4 + Math.log(3)], new Float64Array(2));
  assert.ok(Math.abs(v[0] - 0.25) < 1e-12 && Math.abs(v[1] - 0.75) < 1e-12);
  assert.equal(logSumExp([1e4, -1e4]), 1e4);
  assert.ok(Math.abs(logSumExp([-1e4, -1e4]) - (-1e4 + Math.LN2)) < 1e-9);
  assert.ok(Math.abs(logMeanExp([-1e4, -1e4]) - -1e4) < 1e-9);
  assert.equal(logSumExp([]), -Infinity);
});

test('bad input: each message names the parameter, the value and what is allowed', () => {
  assert.throws(() => resolveGemOptions({ K: 0 }), /gem options: K = 0; expected an integer in \[1, 100000\]/);
  assert.throws(() => resolveGemOptions({ kappa: 1 }), /gem options: kappa = 1; expected a finite number in \[0, 1\)/);
  assert.throws(() => resolveGemOptions({ kappa: -0.1 }), /kappa = -0\.1; expected/);
  assert.throws(() => resolveGemOptions({ eta: Infinity }), /gem options: eta = Infinity; expected a finite number in \[0, inf\)/);
  assert.throws(() => resolveGemOptions({ eta: NaN }), /eta = NaN; expected a finite number/);
  assert.throws(() => resolveBaselineOptions({ eta: -1 }), /baseline options: eta = -1; expected a finite number in \[0, inf\)/);
  assert.throws(() => resolveBaselineOptions({ r: -0.3 }), /baseline options: r = -0\.3; expected a finite number in \(0, 1\)/);
  const cfg: NetworkConfig = { inputs: 2, hidden: 1, outputs: 1 };
  const p = nestedParams(emptyNetwork(cfg));
  assert.throws(() => networkWithParams(cfg, { ...p, W: p.W.slice(1) }), /params: W\.length = 1; expected 2 \(shape \[L=2\]\[N=4\]\[Ka=8\]\)/);
  assert.throws(() => networkWithParams(cfg, { ...p, b: [0, 0, 0] }), /params: b\.length = 3; expected 2/);
  const badRow = p.W.map((row) => row.map((w) => w.slice()));
  badRow[1][0] = [1, 2];
  assert.throws(() => networkWithParams(cfg, { ...p, W: badRow }), /W\[1\]\[0\]\.length = 2; expected 8/);
  const selfMask = [
    [1, 1, 1, 1], // learnable 0 is neuron 2: self-synapse
    [1, 1, 1, 0],
  ];
  assert.throws(() => emptyNetwork({ ...cfg, topology: { preset: 'custom', mask: selfMask } }), /mask\[0\]\[2\] = 1; expected 0: no self-synapse/);
  const ex: Example = { T: 3, input: new Uint8Array(5), target: new Uint8Array(3) };
  assert.throws(() => checkExample(ex, 2, 1), /example: input\.length = 5; expected 6 \(shape \[T=3\]\[nIn=2\]\)/);
  assert.throws(() => classTarget(3, 3, 5), /classTarget: label = 3; expected an integer in \[0, 2\]/);
  assert.throws(() => classTarget(-1, 3, 5), /label = -1/);
  assert.throws(() => logJoint(createNetwork(cfg, 1), { T: 2, input: new Uint8Array(4), target: new Uint8Array(2) }, [0, 1, 0]), /logJoint: hidden\.length = 3; expected 2/);
});
