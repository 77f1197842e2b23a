// The DVS emulator: determinism, real file layout, and calibration against the real digit-0 recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emulateRecording, DEFAULT_EMULATOR } from '../../lib/data/emulator';
import { emulateDataset } from '../../lib/data/emulated-set';
import { loadMnist, mnistImage } from '../../lib/data/mnist';
import { readAedat } from '../../lib/data/aedat';
import { calibrationReport, calibrationTable } from '../../lib/data/real-vs-emulated';

const REAL = path.join(__dirname, '..', '..', '..', 'shared', 'mnist-dvs', 'real-digit0');

test('same seed, same bytes; another seed, other events; files readable in the real layout', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-emu-'));
  const a = path.join(tmp, 'a'), b = path.join(tmp, 'b'), c = path.join(tmp, 'c');
  emulateDataset({ out: a, digits: [3], recordings: [1, 901], seed: 's' });
  emulateDataset({ out: b, digits: [3], recordings: [901, 1], seed: 's' }); // order must not matter
  emulateDataset({ out: c, digits: [3], recordings: [1], seed: 't' });
  const rel = 'grabbed_data3/scale4/mnist_3_scale04_0001.aedat';
  assert.deepEqual(fs.readFileSync(path.join(a, rel)), fs.readFileSync(path.join(b, rel)));
  assert.notDeepEqual(fs.readFileSync(path.join(a, rel)), fs.readFileSync(path.join(c, rel)));
  const f = readAedat(path.join(a, 'grabbed_data3/scale4/mnist_3_scale04_0901.aedat'));
  assert.equal(f.header.lines[0], '#!AER-DAT2.0');
  const man = JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8'));
  const m = man.recordings['grabbed_data3/scale4/mnist_3_scale04_0901.aedat'];
  assert.equal(m.mnistSet, 'test');
  assert.equal(loadMnist('test').labels[m.mnistIndex], 3);
  assert.equal(m.events, f.events.length);
  assert.ok(f.events.tUs[f.events.length - 1] <= m.durationUs);
  // Refusing to mix seeds in one folder.
  assert.throws(() => emulateDataset({ out: a, digits: [3], recordings: [2], seed: 'other' }), /another seed/);
});

test('events follow the digit: most events inside the crop, polarity balanced, ~1 ms refractory', () => {
  const m = loadMnist('train');
  const { events: ev } = emulateRecording(mnistImage(m, m.byDigit[7][0]), 'gem-snn', '7/1', DEFAULT_EMULATOR);
  let inCrop = 0, on = 0, minIsi = Infinity;
  const last = new Float64Array(128 * 128).fill(-1e9);
  for (let i = 0; i < ev.length; i++) {
    if (ev.x[i] >= 48 && ev.x[i] <= 73 && ev.y[i] >= 48 && ev.y[i] <= 73) inCrop++;
    if (ev.bit0[i] === 0) on++;
    const k = ev.y[i] * 128 + ev.x[i];
    if (ev.x[i] > 40 && ev.x[i] < 85) minIsi = Math.min(minIsi, ev.tUs[i] - last[k]);
    last[k] = ev.tUs[i];
  }
  assert.ok(inCrop / ev.length > 0.8, `in crop ${inCrop}/${ev.length}`);
  assert.ok(on / ev.length > 0.47 && on / ev.length < 0.55, `ON fraction ${on / ev.length}`);
  assert.ok(minIsi >= 999, `refractory: min same-pixel interval ${minIsi} us`);
});

test('calibration: emulated digit 0 within the issue-3 bounds of the real recordings', (t) => {
  // in CI ../shared is always beside the clone: a missing folder must fail there, not skip
  if (!fs.existsSync(REAL) && !process.env.CI) {
    t.skip(`${REAL} absent: calibration not checked`);
    return;
  }
  const rep = calibrationReport(REAL, { nReal: 100, nEmulated: 60 });
  console.log(calibrationTable(rep));
  console.log(`trajectory RMS ${rep.trajectoryRmsPx.toFixed(2)} px`);
  const row = (k: string) => rep.rows.find((r) => r.stat === k)!;
  for (const k of ['events', 'eventsInCropBefore2s', 'active25']) {
    assert.ok(Math.abs(row(k).relDiff) <= 0.15, `${k}: ${(100 * row(k).relDiff).toFixed(1)} % off`);
  }
  const on = row('onFraction').emulated.mean;
  assert.ok(on >= 0.49 && on <= 0.53, `ON fraction ${on}`);
  const dur = row('durationS').emulated;
  assert.ok(dur.mean >= 2.0 && dur.mean <= 2.5 && dur.mean - 2 * dur.sd > 1.9, `duration ${dur.mean} ± ${dur.sd}`);
  // Same place and same motion: the mean event centroids track each other (50 ms bins).
  assert.ok(rep.trajectoryRmsPx < 2.5, `trajectory RMS ${rep.trajectoryRmsPx} px`);
});
