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
import { aucTable, calibrationReport, calibrationTable, type CalibrationReport } from '../../lib/data/real-vs-emulated';

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

// Calibration against the real digit-0 recordings (issue 9): the emulator's fitted part (the fixed-pattern
// map) comes from real files 0001-0050; every check below is on the held-back files 0051-0100, against 60
// emulated recordings (seed 'gem-snn'), with the real-vs-real control 0001-0050 vs 0051-0100.
// Rules (written before the numbers, from the issue): AUC real vs emulated <= 0.75 on the per-bin
// features, <= 0.90 on the event image, <= 0.98 on every set; each time statistic within 15 % of real,
// the ON fraction in the crop within 0.005, nearly empty bins at most 1 % (real: 0.05 %).
let report: CalibrationReport | null = null;
function getReport(): CalibrationReport {
  report ??= calibrationReport(REAL, { nEmulated: 60 });
  return report;
}
const haveReal = fs.existsSync(REAL) || !!process.env.CI; // in CI ../shared is always beside the clone
const row = (k: string) => getReport().rows.find((r) => r.stat === k)!;

test('calibration: counts, activity and motion within the issue-3 bounds (held-back real files)', { skip: !haveReal && `${REAL} absent` }, () => {
  const rep = getReport();
  console.log(calibrationTable(rep));
  console.log(aucTable(rep));
  console.log(`trajectory RMS ${rep.trajectoryRmsPx.toFixed(2)} px`);
  for (const k of ['events', 'eventsInCropBefore2s', 'active25']) {
    assert.ok(Math.abs(row(k).relDiff) <= 0.15, `${k}: ${(100 * row(k).relDiff).toFixed(1)} % off`);
  }
  const on = row('onFraction').emulated.mean;
  assert.ok(on >= 0.49 && on <= 0.53, `ON fraction ${on}`);
  const dur = row('durationS').emulated;
  assert.ok(dur.mean >= 2.0 && dur.mean <= 2.5 && dur.mean - 2 * dur.sd > 1.9, `duration ${dur.mean} ± ${dur.sd}`);
  assert.ok(rep.trajectoryRmsPx < 2.5, `trajectory RMS ${rep.trajectoryRmsPx} px`);
});

/** Which issue-9 targets the emulator meets today; the others run as todo and print their numbers. */
const TIME_STATS_MET = ['refreshShare', 'eventIntervalMedianUs', 'neighbourDeviation', 'samePixelP75Ms', 'pixelsGe64', 'activeCv'];
const TIME_STATS_NOT_MET = ['band12Share'];

function checkTimeStat(k: string): void {
  const r = row(k);
  assert.ok(Math.abs(r.relDiff) <= 0.15, `${k}: real ${r.real.mean.toPrecision(4)}, emulated ${r.emulated.mean.toPrecision(4)} (${(100 * r.relDiff).toFixed(1)} %)`);
}

test('issue 9: time statistics met within 15 % of the held-back real files; no burst-empty bins; ON fraction in the crop', { skip: !haveReal && `${REAL} absent` }, () => {
  for (const k of TIME_STATS_MET) checkTimeStat(k);
  assert.ok(row('quietBins').emulated.mean <= 0.01, `bins with <= 5 active inputs: ${row('quietBins').emulated.mean}`);
  const d = Math.abs(row('onFractionCrop').emulated.mean - row('onFractionCrop').real.mean);
  assert.ok(d <= 0.005, `ON fraction in the crop differs by ${d}`);
});

for (const k of TIME_STATS_NOT_MET) {
  test(`issue 9: ${k} within 15 % of the held-back real files`, { skip: !haveReal && `${REAL} absent`, todo: 'issue 9 target not met yet (data/README.md)' }, () => checkTimeStat(k));
}

const aucOf = (i: number): number => getReport().auc[i].realVsEmulated.mean; // FEATURE_SETS order

test('issue 9: summary statistics do not separate real from emulated (AUC <= 0.98, held-back real files)', { skip: !haveReal && `${REAL} absent` }, () => {
  assert.ok(aucOf(2) <= 0.98, `summary statistics AUC ${aucOf(2)}`);
});

test('issue 9: per-bin features AUC <= 0.75 (held-back real files vs emulated)', { skip: !haveReal && `${REAL} absent`, todo: 'issue 9 target not met yet (data/README.md)' }, () => {
  assert.ok(aucOf(1) <= 0.75, `per-bin features AUC ${aucOf(1)}`);
});

test('issue 9: event image AUC <= 0.90 and no feature set above 0.98 (held-back real files vs emulated)', { skip: !haveReal && `${REAL} absent`, todo: 'issue 9 target not met yet (data/README.md)' }, () => {
  assert.ok(aucOf(0) <= 0.9, `event image AUC ${aucOf(0)}`);
  assert.ok(Math.max(aucOf(0), aucOf(1), aucOf(2)) <= 0.98, `largest AUC ${Math.max(aucOf(0), aucOf(1), aucOf(2))}`);
});

test('discriminator control: real files are not perfectly separable from real files', { skip: !haveReal && `${REAL} absent` }, () => {
  // The control must not reach AUC 0.98: else the features, not the emulator, would decide the verdicts.
  for (const a of getReport().auc) assert.ok(a.realVsReal && a.realVsReal.mean < 0.98, `${a.features}: control AUC ${a.realVsReal?.mean}`);
});
