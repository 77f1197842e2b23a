// The choice of path for synapses from learnable neurons (gem-recurrent.ts): which rows the 'auto' rule
// factorises (its arithmetic is compared with the reference in gem.test.ts and across threads in threads.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGemLearner, gemTrainExample } from '../../lib/learn/gem';
import { chooseRecurrentPath } from '../../lib/learn/gem-recurrent';
import { createNetwork } from '../../lib/model/network';
import { randomExample } from '../engine/helpers';

const count = (a: Uint8Array) => a.reduce((s, x) => s + x, 0);

test("'auto' factorises the rows of a large recurrent network, not those of the suite's small networks", () => {
  const big = createGemLearner(createNetwork({ inputs: 20, hidden: 256, outputs: 10 }, 1), { K: 5 }, 1).internal.rows;
  assert.equal(chooseRecurrentPath(big, 'auto', true, 80), 266, '256 hidden, K = 5, T = 80: every row');
  assert.equal(chooseRecurrentPath(big, 'auto', false, 80), 0, 'eligibility carried over: none');
  assert.equal(chooseRecurrentPath(big, 'direct', true, 80), 0);
  const big20 = createGemLearner(createNetwork({ inputs: 20, hidden: 256, outputs: 10 }, 1), { K: 20 }, 1).internal.rows;
  assert.equal(chooseRecurrentPath(big20, 'auto', true, 80), 0, 'K = 20: the Gram work would exceed the eligibility it replaces');
  for (const K of [1, 2, 5, 10, 20]) {
    for (const preset of ['fully-connected', 'feedforward', 'hidden-to-output'] as const) {
      const small = createGemLearner(createNetwork({ inputs: 20, hidden: 32, outputs: 10, topology: { preset } }, 1), { K }, 1).internal.rows;
      assert.equal(chooseRecurrentPath(small, 'auto', true, 80), 0, `32 hidden, ${preset}, K = ${K}: none`);
      assert.equal(count(small.recFact), 0);
    }
  }
  const ff = createGemLearner(createNetwork({ inputs: 20, hidden: 6, outputs: 3, topology: { preset: 'feedforward' } }, 1), { K: 2 }, 1).internal.rows;
  assert.equal(chooseRecurrentPath(ff, 'factorised', true, 10), 3, "'factorised': only rows with recurrent synapses (feedforward: the outputs)");
});

test('bad hooks.recurrent is rejected naming it', () => {
  const net = createNetwork({ inputs: 4, hidden: 2, outputs: 1 }, 1);
  const learner = createGemLearner(net, { K: 2 }, 1);
  assert.throws(() => gemTrainExample(learner, randomExample('x', 5, 4, 1), { recurrent: 'fast' as never }), /hooks\.recurrent/);
});
