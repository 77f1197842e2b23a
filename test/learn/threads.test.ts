// Worker threads of the GEM learner (createGemLearner(..., { threads })): byte-identical parameters,
// importance weights, potentials and spikes to one thread; workers stop; bad values rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createGemLearner, disposeGemLearner, gemTrainExample, GemHooks } from '../../lib/learn/gem';
import { cloneNetwork, NetworkConfig } from '../../lib/model/network';
import { BaselineOptions, GemOptions } from '../../lib/model/learning-options';
import { baselineTrainExample, createBaselineLearner, disposeBaselineLearner } from '../../lib/learn/single-sample';
import { splitRows } from '../../lib/learn/gem-threads';
import { mixedTopology, optionSets, presets, randomExample, randomNetwork, sizes } from '../engine/helpers';

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Trains the same examples with 1 and `threads` threads; asserts every output is byte-identical. */
async function compareThreads(name: string, cfg: NetworkConfig, opts: Partial<GemOptions>, threads: number, hooks: GemHooks = {}, examples = 3, T = 16): Promise<void> {
  const net0 = randomNetwork(cfg, `net-${name}`);
  const nets = [cloneNetwork(net0), cloneNetwork(net0)];
  const learners = [createGemLearner(nets[0], opts, `seed-${name}`), createGemLearner(nets[1], opts, `seed-${name}`, { threads })];
  try {
    for (let i = 0; i < examples; i++) {
      const ex = randomExample(`${name}-${i}`, T + i, net0.nIn, net0.nO);
      const [a, b] = learners.map((l) => gemTrainExample(l, ex, { ...hooks, record: true }));
      const what = `${name} (threads ${threads}) example ${i}`;
      assert.ok(bytes(a.record!.spikes).equals(bytes(b.record!.spikes)), `${what}: spikes`);
      assert.ok(bytes(a.record!.potentials).equals(bytes(b.record!.potentials)), `${what}: potentials`);
      assert.ok(bytes(a.record!.weights).equals(bytes(b.record!.weights)), `${what}: importance weights`);
      assert.ok(bytes(a.logPOutputs).equals(bytes(b.logPOutputs)) && bytes(a.logPHidden).equals(bytes(b.logPHidden)), `${what}: log-probabilities`);
      assert.ok(bytes(nets[0].W).equals(bytes(nets[1].W)), `${what}: W`);
      assert.ok(bytes(nets[0].F).equals(bytes(nets[1].F)), `${what}: F`);
      assert.ok(bytes(nets[0].b).equals(bytes(nets[1].b)), `${what}: b`);
      assert.ok(bytes(learners[0].v).equals(bytes(learners[1].v)), `${what}: importance logits`);
      assert.equal(a.path, b.path);
    }
    // training did something (the comparison is not between two untouched networks)
    assert.ok(!bytes(nets[1].W).equals(bytes(net0.W)), `${name}: W changed`);
  } finally {
    await disposeGemLearner(learners[1]);
  }
}


test('threads 2 = threads 1 byte for byte: every preset and size, every option set of gem.test.ts', async () => {
  for (const [nIn, nH, nO] of sizes) {
    for (const preset of presets) {
      for (const [i, opts] of optionSets.entries()) {
        await compareThreads(`${nIn}-${nH}-${nO}-${preset}-${i}`, { inputs: nIn, hidden: nH, outputs: nO, topology: { preset } }, opts, 2);
      }
    }
  }
});

test('threads 2 and 3 = threads 1: custom mask (direct and factorised rows), forced direct path, other bases, larger network', async () => {
  for (const [i, opts] of optionSets.entries()) {
    await compareThreads(`custom-${i}`, { inputs: 7, hidden: 4, outputs: 3, topology: mixedTopology(`mix-${i}`, 7, 4, 3) }, opts, 2);
  }
  const bases: NetworkConfig = {
    inputs: 8,
    hidden: 4,
    outputs: 2,
    synapticBasis: { kind: 'raised-cosine-pillow08', K: 3, tau: 6 },
    feedbackBasis: { kind: 'exponential', K: 2, tau: 9 },
  };
  await compareThreads('bases-direct', bases, { K: 3, eta: 0.3, kappa: 0.4, kappaV: 0.3 }, 2, { forceDirect: true });
  await compareThreads('bases-3', bases, { K: 3, eta: 0.3, kappa: 0.4, kappaV: 0.3 }, 3);
  await compareThreads('larger', { inputs: 40, hidden: 24, outputs: 5 }, { K: 4, eta: 0.05, kappa: 0.2, kappaV: 0.2 }, 2, {}, 3, 30);
  // more threads than rows: some workers own no row
  await compareThreads('tiny-4', { inputs: 3, hidden: 1, outputs: 1 }, { K: 2, eta: 0.3 }, 4);
});

test('threads 2 and 3 = threads 1 with factorised recurrent synapses (forced): presets, custom mask, larger network', async () => {
  for (const preset of presets) {
    await compareThreads(`rec-${preset}`, { inputs: 11, hidden: 5, outputs: 3, topology: { preset } }, { K: 3, eta: 0.3, kappa: 0.2, kappaV: 0.2 }, 2, { recurrent: 'factorised' });
  }
  await compareThreads('rec-custom', { inputs: 7, hidden: 4, outputs: 3, topology: mixedTopology('rec-mix', 7, 4, 3) }, { K: 4, eta: 0.5, kappa: 0.5, kappaV: 0.95, logitScale: 'sum', hiddenSignal: 'centered' }, 3, { recurrent: 'factorised' });
  await compareThreads('rec-larger', { inputs: 40, hidden: 36, outputs: 5 }, { K: 4, eta: 0.05, kappa: 0.2, kappaV: 0.2 }, 3, { recurrent: 'factorised' }, 3, 30);
});

test('row split: contiguous ranges covering every row, about equal cost', () => {
  const r = splitRows(new Float64Array([1, 1, 1, 1, 1, 1, 1, 1]), 2);
  assert.deepEqual([...r], [0, 4, 8]);
  const r3 = splitRows(new Float64Array([5, 1, 1, 1, 1, 1]), 3);
  assert.equal(r3[0], 0);
  assert.equal(r3[3], 6);
  for (let i = 0; i < 3; i++) assert.ok(r3[i] <= r3[i + 1]);
  assert.deepEqual([...splitRows(new Float64Array([1]), 3)], [0, 1, 1, 1]);
});

test('bad threads values are rejected before any work, naming the option', () => {
  const net = randomNetwork({ inputs: 4, hidden: 2, outputs: 2 }, 'bad');
  for (const bad of [0, -1, 1.5, NaN, 65, '2', null]) {
    assert.throws(() => createGemLearner(net, { K: 2 }, 's', { threads: bad as unknown as number }), /createGemLearner: threads = .*expected an integer from 1 to 64/, `threads = ${String(bad)}`);
  }
  assert.throws(() => createGemLearner(net, { K: 2 }, 's', null as unknown as {}), /engineOpts/);
});

test('a disposed learner refuses to train; dispose is idempotent and a no-op for one thread', async () => {
  const net = randomNetwork({ inputs: 4, hidden: 2, outputs: 2 }, 'disp');
  const l2 = createGemLearner(net, { K: 2 }, 's', { threads: 2 });
  gemTrainExample(l2, randomExample('d', 8, 4, 2));
  await disposeGemLearner(l2);
  await disposeGemLearner(l2);
  assert.throws(() => gemTrainExample(l2, randomExample('d', 8, 4, 2)), /disposed/);
  await disposeGemLearner(createGemLearner(net, { K: 2 }, 's'));
});

test('workers never keep the process alive: a script that trains with threads 2 and never disposes exits', () => {
  const gem = path.resolve(__dirname, '../../lib/learn/gem.ts');
  const net = path.resolve(__dirname, '../../lib/model/network.ts');
  const code = `
    const { createGemLearner, gemTrainExample } = require(${JSON.stringify(gem)});
    const { createNetwork } = require(${JSON.stringify(net)});
    const n = createNetwork({ inputs: 5, hidden: 3, outputs: 2 }, 1);
    const l = createGemLearner(n, { K: 3 }, 1, { threads: 2 });
    const T = 10, input = new Uint8Array(T * 5).fill(1), target = new Uint8Array(T * 2).fill(1);
    gemTrainExample(l, { T, input, target });
    process.stdout.write('trained ' + String(l.examples) + '\\n');
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `the script was killed (timeout: the process did not exit)\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /trained 1/);
});

test('single-sample rule: threads 2 and 3 = threads 1 byte for byte (factorised outputs, baseline hidden rows, custom mask, traces carried over)', async () => {
  const cases: [string, NetworkConfig, Partial<BaselineOptions>][] = [
    ['ss-fc', { inputs: 12, hidden: 6, outputs: 3 }, { eta: 0.05 }],
    ['ss-mixed', { inputs: 9, hidden: 5, outputs: 3, topology: mixedTopology('ss-mix', 9, 5, 3) }, { eta: 0.1, kappa: 0.6, beta: 0.3 }],
    ['ss-carry', { inputs: 8, hidden: 4, outputs: 2 }, { eta: 0.1, resetTracesPerExample: false }],
  ];
  for (const [name, cfg, opts] of cases) {
    for (const threads of [2, 3]) {
      const net0 = randomNetwork(cfg, `net-${name}`);
      const nets = [cloneNetwork(net0), cloneNetwork(net0)];
      const learners = [createBaselineLearner(nets[0], opts, `seed-${name}`), createBaselineLearner(nets[1], opts, `seed-${name}`, { threads })];
      try {
        for (let i = 0; i < 3; i++) {
          const ex = randomExample(`${name}-${i}`, 14 + i, net0.nIn, net0.nO);
          const [a, b] = learners.map((l) => baselineTrainExample(l, ex, { record: true }));
          const what = `${name} (threads ${threads}) example ${i}`;
          assert.ok(bytes(a.record!.spikes).equals(bytes(b.record!.spikes)), `${what}: spikes`);
          assert.ok(bytes(a.record!.potentials).equals(bytes(b.record!.potentials)), `${what}: potentials`);
          assert.ok(bytes(a.record!.learningSignal).equals(bytes(b.record!.learningSignal)), `${what}: learning signal`);
          assert.ok(bytes(nets[0].W).equals(bytes(nets[1].W)) && bytes(nets[0].F).equals(bytes(nets[1].F)) && bytes(nets[0].b).equals(bytes(nets[1].b)), `${what}: parameters`);
        }
        assert.ok(!bytes(nets[1].W).equals(bytes(net0.W)), `${name}: W changed`);
      } finally {
        await disposeBaselineLearner(learners[1]);
      }
    }
  }
});
