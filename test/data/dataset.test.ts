// Dataset API and cache: real-layout folders, emulated default, cache keys, corruption, numpy readability.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { prepareDataset, classSubset, shuffled, takePerDigit } from '../../lib/data/dataset';
import { toTensors } from '../../lib/notebook/tensors';
import { readAedat } from '../../lib/data/aedat';
import { binEvents, DEFAULT_PREPROCESS } from '../../lib/data/preprocess';

const FIX = path.join(__dirname, '..', 'fixtures', 'mnist-dvs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-dataset-'));

/** A real-layout root holding the fixtures as recordings 0001, 0002 (train) and 0901 (test) of digit 0. */
function fakeRoot(): string {
  const root = path.join(tmp, 'real');
  const dir = path.join(root, 'grabbed_data0', 'scale4');
  fs.mkdirSync(dir, { recursive: true });
  for (const [src, n] of [['0001', '0001'], ['0002', '0002'], ['0037', '0901']]) {
    fs.copyFileSync(path.join(FIX, `mnist_0_scale04_${src}.aedat`), path.join(dir, `mnist_0_scale04_${n}.aedat`));
  }
  return root;
}

test('real root: examples equal the preprocessing of their source file; cache reused, then rebuilt when corrupt', async () => {
  const root = fakeRoot();
  const dataDir = path.join(tmp, 'data');
  const opts = { root, digits: [0], trainPerDigit: 2, testPerDigit: 1, dataDir };
  const a = await prepareDataset(opts);
  assert.equal(a.built, true);
  assert.equal(a.description.kind, 'real');
  const d = a.load();
  assert.deepEqual([d.train.length, d.test.length, d.T, d.nIn], [2, 1, 80, 1352]);
  assert.equal(d.test[0].source, 'grabbed_data0/scale4/mnist_0_scale04_0901.aedat');
  const want = binEvents(readAedat(path.join(FIX, 'mnist_0_scale04_0037.aedat')).events, DEFAULT_PREPROCESS).spikes;
  assert.deepEqual(d.test[0].spikes, want);
  assert.equal(d.train[1].label, 0);

  const b = await prepareDataset(opts);
  assert.equal(b.built, false);
  assert.equal(b.cacheDir, a.cacheDir);
  // A changed parameter never reuses the cache.
  const c = await prepareDataset({ ...opts, dtMs: 10 });
  assert.notEqual(c.cacheDir, a.cacheDir);
  assert.equal(c.load().train[0].T, 200);
  // Corrupt one byte, then truncate: each is detected and the cache rebuilt with the right content.
  const f = path.join(a.cacheDir, 'train_spikes.npy');
  const buf = fs.readFileSync(f);
  buf[buf.length - 5] ^= 0xff;
  fs.writeFileSync(f, buf);
  const r1 = await prepareDataset(opts);
  assert.equal(r1.built, true);
  assert.deepEqual(r1.load().train[0].spikes, d.train[0].spikes);
  fs.truncateSync(f, 100);
  const r2 = await prepareDataset(opts);
  assert.equal(r2.built, true);
  assert.deepEqual(r2.load().train[1].spikes, d.train[1].spikes);

  // Readable from numpy as documented in data/README.md (skipped if numpy is absent).
  const py = spawnSync('python3', ['-c', `
import numpy as np, json, sys
d = json.load(open(sys.argv[1] + '/description.json'))
x = np.unpackbits(np.load(sys.argv[1] + '/test_spikes.npy'), axis=-1, count=d['nIn'])
print(x.shape, int(x.sum()), np.load(sys.argv[1] + '/test_labels.npy').tolist())`, r2.cacheDir], { encoding: 'utf8' });
  if (py.status === 0) {
    let ones = 0;
    for (const v of d.test[0].spikes) ones += v;
    assert.equal(py.stdout.trim(), `(1, 80, 1352) ${ones} [0]`);
  } else console.log(`numpy check skipped: ${py.stderr.split('\n').slice(-2).join(' ')}`);
});

test('real root: missing recordings and absent digits are errors naming the path; skip counts warnings', async () => {
  const root = fakeRoot();
  const dataDir = path.join(tmp, 'data2');
  await assert.rejects(prepareDataset({ root, digits: [0, 1], trainPerDigit: 1, testPerDigit: 1, dataDir }), /grabbed_data1[\\/]scale4: folder not found \(digit 1 absent/);
  await assert.rejects(prepareDataset({ root, digits: [0], trainPerDigit: 3, testPerDigit: 1, dataDir }), /mnist_0_scale04_0003\.aedat: recording not found/);
  await assert.rejects(prepareDataset({ root: path.join(tmp, 'none'), dataDir }), /folder not found/);
  const s = await prepareDataset({ root, digits: [0], trainPerDigit: 3, testPerDigit: 2, dataDir, onMissing: 'skip' });
  assert.equal(s.description.warnings.length, 2);
  assert.deepEqual([s.description.splits.train.n, s.description.splits.test.n], [2, 1]);
  // A corrupt recording is an error naming the file and offset.
  const bad = path.join(root, 'grabbed_data0', 'scale4', 'mnist_0_scale04_0002.aedat');
  fs.appendFileSync(bad, Buffer.from([1, 2, 3]));
  await assert.rejects(prepareDataset({ root, digits: [0], trainPerDigit: 2, testPerDigit: 1, dataDir }), /mnist_0_scale04_0002\.aedat: byte offset \d+: truncated/);
});

test('emulated default: generated once, labelled, split by MNIST set; subsets, seeded shuffle, tensors', async () => {
  const dataDir = path.join(tmp, 'data3');
  const opts = { emulated: true, digits: [1, 2], trainPerDigit: 3, testPerDigit: 2, dataDir };
  const a = await prepareDataset(opts);
  assert.equal(a.description.kind, 'emulated');
  assert.match(a.description.dataNote, /EMULATED/);
  const d = a.load();
  assert.deepEqual([d.train.length, d.test.length], [6, 4]);
  assert.deepEqual(d.train.map((e) => [e.label, e.digit]), [[0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [1, 2]]);
  const man = JSON.parse(fs.readFileSync(path.join(a.description.sourceRoot, 'manifest.json'), 'utf8'));
  const mTrain = man.recordings['grabbed_data2/scale4/mnist_2_scale04_0003.aedat'];
  const mTest = man.recordings['grabbed_data2/scale4/mnist_2_scale04_0902.aedat'];
  assert.equal(mTrain.mnistSet, 'train');
  assert.equal(mTest.mnistSet, 'test');
  for (const e of d.train) {
    let s = 0;
    for (const v of e.spikes) s += v;
    assert.ok(s > 1000 && s < 12000, `plausible activity in ${e.source}: ${s}`);
  }
  const again = await prepareDataset(opts);
  assert.equal(again.built, false);
  assert.deepEqual(classSubset(d.train, [2]).map((e) => e.source), d.train.slice(3).map((e) => e.source));
  assert.equal(takePerDigit(d.train, 1).length, 2);
  const s1 = shuffled(d.train, 'x').map((e) => e.source), s2 = shuffled(d.train, 'x').map((e) => e.source);
  assert.deepEqual(s1, s2);
  assert.notDeepEqual(s1, shuffled(d.train, 'y').map((e) => e.source));
  assert.deepEqual([...s1].sort(), d.train.map((e) => e.source).sort());
  const { x, y } = await toTensors(d.test);
  assert.deepEqual(x.shape, [4, 80, 1352]);
  assert.deepEqual(Array.from(await y.data()), [0, 0, 1, 1]);
  assert.equal((await x.sum().data())[0], d.test.reduce((acc, e) => acc + e.spikes.reduce((p, v) => p + v, 0), 0));
  x.dispose(); y.dispose();
});
