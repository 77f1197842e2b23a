// Library entry points refuse unknown option keys, non-finite seeds and over-long examples before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../lib/model/network';
import { resolveBaselineOptions, resolveGemOptions } from '../../lib/model/learning-options';
import { checkExample, MAX_STEPS } from '../../lib/model/training-example';
import { createGemLearner, gemTrainExample } from '../../lib/learn/gem';
import { createBaselineLearner } from '../../lib/learn/single-sample';
import { checkPreprocess, DEFAULT_PREPROCESS } from '../../lib/data/preprocess';
import { prepareDataset } from '../../lib/data/dataset';

const cfg = { inputs: 2, hidden: 1, outputs: 2 };

test('bad library calls: each is a clear error naming the key or value', async () => {
  const net = createNetwork(cfg, 1);
  const cases: [string, () => unknown, RegExp][] = [
    ['network key hiden', () => createNetwork({ ...cfg, hiden: 3 } as never, 1), /unknown config key 'hiden'/],
    ['topology key', () => createNetwork({ ...cfg, topology: { preset: 'feedforward', outputFeedbak: false } } as never, 1), /unknown config key 'outputFeedbak'/],
    ['basis key', () => createNetwork({ ...cfg, synapticBasis: { kind: 'exponential', K: 2, tau: 5, tua: 3 } } as never, 1), /unknown config key 'tua'/],
    ['network NaN seed', () => createNetwork(cfg, NaN), /seed = NaN; expected a string or a finite number/],
    ['gem key Kk', () => resolveGemOptions({ Kk: 3 } as never), /unknown option key 'Kk'/],
    ['baseline key', () => resolveBaselineOptions({ etta: 1 } as never), /unknown option key 'etta'/],
    ['learner key', () => createGemLearner(net, { Kk: 3 } as never, 1), /unknown option key 'Kk'/],
    ['learner engine key', () => createGemLearner(net, {}, 1, { thread: 2 } as never), /unknown engineOpts key 'thread'/],
    ['learner NaN seed', () => createGemLearner(net, {}, NaN), /seed = NaN/],
    ['baseline NaN seed', () => createBaselineLearner(net, {}, Infinity), /seed = Infinity/],
    ['T beyond the bound', () => checkExample({ T: 30000, input: new Uint8Array(0), target: new Uint8Array(0) }, 2, 2), /T = 30000; expected an integer in \[1, 4096\] \(training keeps two T x T float64 matrices, 16 T\^2 bytes/],
    ['preprocess T beyond the bound', () => checkPreprocess({ ...DEFAULT_PREPROCESS, dtUs: 1000, sampleUs: 5_000_000 }), /sampleUs = 5000000; expected at most 4096 bins/],
  ];
  for (const [name, f, re] of cases) assert.throws(f, re, name);
  await assert.rejects(prepareDataset({ trainPerDigt: 3 } as never), /unknown options key 'trainPerDigt'/);
  // the largest allowed T trains (memory stays under the stated bound: 268 MB of T x T buffers)
  assert.equal(MAX_STEPS, 4096);
  const big = createGemLearner(createNetwork({ inputs: 1, hidden: 0, outputs: 1 }, 1), { K: 1 }, 1);
  const T = 600;
  const s = gemTrainExample(big, { T, input: new Uint8Array(T), target: new Uint8Array(T) });
  assert.ok(Number.isFinite(s.estimate));
});
