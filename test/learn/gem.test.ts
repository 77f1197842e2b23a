// The fast GEM-SNN learner against the reference path (SPEC 6), step by step with the same draws:
// identical spikes, potentials / importance weights / parameters within 1e-9 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGemLearner, gemTrainExample, GemHooks } from '../../lib/learn/gem';
import { cloneNetwork, Network, NetworkConfig } from '../../lib/model/network';
import { GemOptions, resolveGemOptions } from '../../lib/model/learning-options';
import { refGemExample, RefGemState } from '../../lib/reference/reference-path';
import { makeRngs } from '../../lib/util/rng';
import { assertAllClose, mixedTopology, optionSets, presets, randomExample, randomNetwork, sizes } from '../engine/helpers';

interface Case {
  name: string;
  cfg: NetworkConfig;
  opts: Partial<GemOptions>;
  hooks?: GemHooks;
  T?: number;
  examples?: number;
}

/** Trains `examples` examples on both paths and compares every step. Returns the fast network. */
export function compareWithReference(c: Case): Network {
  const net0 = randomNetwork(c.cfg, `net-${c.name}`);
  const opts = resolveGemOptions(c.opts);
  const fastNet = cloneNetwork(net0);
  const learner = createGemLearner(fastNet, opts, `seed-${c.name}`);
  const refRngs = makeRngs(`seed-${c.name}`, 'sample', opts.K);
  let refNet = cloneNetwork(net0);
  let refState: RefGemState | undefined;
  const { nIn, nO, nH, L, N } = net0;
  const T = c.T ?? 14;
  let factorisedSeen = false;
  for (let i = 0; i < (c.examples ?? 3); i++) {
    const ex = randomExample(`${c.name}-${i}`, T + i, nIn, nO);
    const ref = refGemExample(refNet, ex, opts, { rngs: refRngs }, refState);
    refNet = ref.net;
    refState = ref.state;
    const fast = gemTrainExample(learner, ex, { ...c.hooks, record: true });
    if (fast.path === 'factorised') factorisedSeen = true;
    const rec = fast.record!;
    for (let k = 0; k < opts.K; k++) {
      const r = ref.records[k];
      for (let t = 0; t < ex.T; t++) {
        for (let l = 0; l < L; l++) {
          const a = rec.spikes[(k * ex.T + t) * L + l];
          const b = r.spikes[t * N + nIn + l];
          assert.equal(a, b, `${c.name} ex ${i} k ${k} t ${t} neuron ${l}: spike`);
        }
      }
      assertAllClose(rec.potentials.subarray(k * ex.T * L, (k + 1) * ex.T * L), r.potentials, `${c.name} ex ${i} k ${k} potentials`);
      assertAllClose([fast.logPOutputs[k], fast.logPHidden[k]], [r.logPOutputs, r.logPHidden], `${c.name} ex ${i} k ${k} log-probs`);
    }
    assertAllClose(rec.weights, ref.weights.flat(), `${c.name} ex ${i} importance weights`);
    assertAllClose(fastNet.W, refNet.W, `${c.name} ex ${i} W`);
    assertAllClose(fastNet.F, refNet.F, `${c.name} ex ${i} F`);
    assertAllClose(fastNet.b, refNet.b, `${c.name} ex ${i} b`);
    assertAllClose(learner.v, refState.v, `${c.name} ex ${i} logits`);
    void nH;
  }
  const expectFact = opts.resetTracesPerExample && !c.hooks?.forceDirect && nIn > 0;
  if (expectFact && c.cfg.topology?.preset !== 'custom') assert.ok(factorisedSeen, `${c.name}: factorised path expected`);
  return fastNet;
}


for (const [nIn, nH, nO] of sizes) {
  for (const preset of presets) {
    test(`GEM fast = reference: ${nIn}-${nH}-${nO} ${preset}, every option set, 3 examples in a row`, () => {
      optionSets.forEach((opts, i) => {
        compareWithReference({ name: `${nIn}-${nH}-${nO}-${preset}-${i}`, cfg: { inputs: nIn, hidden: nH, outputs: nO, topology: { preset } }, opts });
      });
    });
  }
}

test('GEM fast = reference: custom mask with mixed input rows and partial feedback (direct and factorised rows together)', () => {
  optionSets.forEach((opts, i) => {
    const cfg = { inputs: 7, hidden: 4, outputs: 3, topology: mixedTopology(`mix-${i}`, 7, 4, 3) };
    compareWithReference({ name: `custom-${i}`, cfg, opts });
  });
});

test('GEM fast = reference: other bases (pillow08, exponential; τb ≠ τa) and the forced direct path', () => {
  const cfg: NetworkConfig = {
    inputs: 8,
    hidden: 4,
    outputs: 2,
    synapticBasis: { kind: 'raised-cosine-pillow08', K: 3, tau: 6 },
    feedbackBasis: { kind: 'exponential', K: 2, tau: 9 },
  };
  compareWithReference({ name: 'bases', cfg, opts: { K: 3, eta: 0.3, kappa: 0.4, kappaV: 0.3 } });
  compareWithReference({ name: 'bases-direct', cfg, opts: { K: 3, eta: 0.3, kappa: 0.4, kappaV: 0.3 }, hooks: { forceDirect: true } });
  compareWithReference({ name: 'hto-no-o2h', cfg: { inputs: 5, hidden: 3, outputs: 2, topology: { preset: 'hidden-to-output', outputToHidden: false } }, opts: { K: 3, eta: 0.3 } });
});

test('GEM fast = reference on a long example (T = 60) with slow decay κ = 0.9', () => {
  compareWithReference({ name: 'long', cfg: { inputs: 9, hidden: 3, outputs: 2 }, opts: { K: 3, eta: 0.1, kappa: 0.9, kappaV: 0.9 }, T: 60, examples: 2 });
});

test('GEM fast = reference with factorised recurrent synapses (forced): every preset, size and option set, custom masks', () => {
  for (const [nIn, nH, nO] of sizes) {
    for (const preset of presets) {
      optionSets.forEach((opts, i) => {
        compareWithReference({ name: `rec-${nIn}-${nH}-${nO}-${preset}-${i}`, cfg: { inputs: nIn, hidden: nH, outputs: nO, topology: { preset } }, opts, hooks: { recurrent: 'factorised' } });
      });
    }
  }
  optionSets.forEach((opts, i) => {
    const cfg = { inputs: 7, hidden: 4, outputs: 3, topology: mixedTopology(`rmix-${i}`, 7, 4, 3) };
    compareWithReference({ name: `rec-custom-${i}`, cfg, opts, hooks: { recurrent: 'factorised' } });
  });
  const bases: NetworkConfig = { inputs: 8, hidden: 4, outputs: 2, synapticBasis: { kind: 'raised-cosine-pillow08', K: 3, tau: 6 }, feedbackBasis: { kind: 'exponential', K: 2, tau: 9 } };
  compareWithReference({ name: 'rec-bases-direct-inputs', cfg: bases, opts: { K: 3, eta: 0.3, kappa: 0.4, kappaV: 0.3 }, hooks: { forceDirect: true, recurrent: 'factorised' } });
  compareWithReference({ name: 'rec-long', cfg: { inputs: 9, hidden: 3, outputs: 2 }, opts: { K: 3, eta: 0.1, kappa: 0.9, kappaV: 0.9 }, T: 60, examples: 2, hooks: { recurrent: 'factorised' } });
  // more than 32 learnable neurons (spike bitsets of two words); a milder η than 'rec-long', because with
  // 40 hidden neurons, η = 0.1 and κ = 0.9 the dynamics amplify rounding ~1e5-fold over 60 steps on
  // either path (direct: 1e-14 at t = 6 to 8e-11 at t = 54)
  compareWithReference({ name: 'rec-wide', cfg: { inputs: 9, hidden: 40, outputs: 2 }, opts: { K: 3, eta: 0.05, kappa: 0.5, kappaV: 0.5 }, T: 40, examples: 2, hooks: { recurrent: 'factorised' } });
});
