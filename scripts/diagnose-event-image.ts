// What makes the event image separate real from emulated digit-0 recordings (issue 9)? Prints:
// 1. the discriminator's AUC on the event image, held-back real files 0051-0100 vs N emulated recordings;
// 2. the same after moving every emulated feature by f x (mean of real 0001-0050 - mean of the emulated),
//    for f = 0.5 and 1, and by that difference smoothed over 5 x 5 pixels (only the coarse shape moved):
//    if moving the means removes the separation, the per-pixel mean image is what separates, not the
//    spread or the co-variation of the counts;
// 3. where the mean images differ: the share of crop events in the central 7 x 7 pixels (the zero's hole),
//    and the spread (sd, px) of the events along x and y around their centroid per 100 ms, mean over
//    recordings and time.
// The shifted features are a diagnosis, never emulated data. Deterministic; ~30 s.
// Usage: tsx scripts/diagnose-event-image.ts [REAL_DIR] [--n N] [--seed S] [--params JSON]
import * as path from 'node:path';
import { readAedat, type AedatEvents } from '../lib/data/aedat';
import { crossValidatedAuc } from '../lib/data/discriminator';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from '../lib/data/emulator';
import { loadMnist, mnistImage } from '../lib/data/mnist';
import { FIT_FILES, HELD_OUT_FILES } from '../lib/data/real-vs-emulated';
import { eventImageFeatures } from '../lib/data/recording-features';
import { meanSd } from '../lib/util/math';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const nEmulated = Number(option('--n', '100'));
const seed = option('--seed', 'gem-snn');
const overrides = JSON.parse(option('--params', '{}')) as Partial<EmulatorParams>;
const params: EmulatorParams = { ...DEFAULT_EMULATOR, ...overrides };
const realDir = args[0] ?? path.join(__dirname, '..', '..', 'shared', 'mnist-dvs', 'real-digit0');
const FEATURES = 1352;

const readReal = (files: number[]): AedatEvents[] =>
  files.map((n) => readAedat(path.join(realDir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`)).events);

function meanImage(images: Float64Array[]): Float64Array {
  const m = new Float64Array(FEATURES);
  for (const img of images) for (let i = 0; i < FEATURES; i++) m[i] += img[i] / images.length;
  return m;
}

/** A per-feature difference averaged over the 5 x 5 pixels around each pixel, per polarity. */
function smoothed(d: Float64Array): Float64Array {
  const out = new Float64Array(FEATURES);
  for (let x = 0; x < 26; x++) for (let y = 0; y < 26; y++) for (let p = 0; p < 2; p++) {
    let s = 0, n = 0;
    for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++) {
      const xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx > 25 || yy > 25) continue;
      s += d[p + 2 * (xx * 26 + yy)];
      n++;
    }
    out[p + 2 * (x * 26 + y)] = s / n;
  }
  return out;
}

/** Share of the crop's events in its central 7 x 7 pixels (crop x 9-15, y 10-16). */
function holeShare(img: Float64Array): number {
  let centre = 0, all = 0;
  for (let x = 0; x < 26; x++) for (let y = 0; y < 26; y++) {
    const v = img[2 * (x * 26 + y)] + img[1 + 2 * (x * 26 + y)];
    all += v;
    if (x >= 9 && x <= 15 && y >= 10 && y <= 16) centre += v;
  }
  return centre / all;
}

/** Spread (sd, px) of the events along x and y around their centroid, per 100 ms of the first 2 s, averaged. */
function spread(ev: AedatEvents): [number, number] {
  const s = Array.from({ length: 20 }, () => [0, 0, 0, 0, 0]);
  for (let i = 0; i < ev.length && ev.tUs[i] < 2e6; i++) {
    const x = ev.x[i], y = ev.y[i];
    if (x < 44 || x >= 78 || y < 44 || y >= 78) continue;
    const b = s[Math.floor(ev.tUs[i] / 100_000)];
    b[0]++; b[1] += x; b[2] += y; b[3] += x * x; b[4] += y * y;
  }
  const sd = s.filter((b) => b[0] > 0).map(([n, sx, sy, sxx, syy]) => [Math.sqrt(sxx / n - (sx / n) ** 2), Math.sqrt(syy / n - (sy / n) ** 2)]);
  return [sd.reduce((a, v) => a + v[0], 0) / sd.length, sd.reduce((a, v) => a + v[1], 0) / sd.length];
}

const mean = (v: number[]): number => meanSd(v).mean;

function main(): void {
  const fitEv = readReal(FIT_FILES), heldEv = readReal(HELD_OUT_FILES);
  const mnist = loadMnist('train');
  const emuEv = Array.from({ length: nEmulated }, (_, k) => emulateRecording(mnistImage(mnist, mnist.byDigit[0][k]), seed, `0/${k + 1}`, params).events);
  const fit = fitEv.map(eventImageFeatures), held = heldEv.map(eventImageFeatures), emu = emuEv.map(eventImageFeatures);
  const mFit = meanImage(fit), mEmu = meanImage(emu);
  const gap = mFit.map((v, i) => v - mEmu[i]);
  const auc = (e: Float64Array[]): string => {
    const r = crossValidatedAuc(held, e, { folds: 5, seed: 'diagnose-event-image' });
    return `${r.mean.toFixed(2)} ± ${r.sd.toFixed(2)}`;
  };
  const shifted = (d: Float64Array, f: number): Float64Array[] => emu.map((img) => img.map((v, i) => v + f * d[i]));
  console.log(`event-image AUC, real 0051-0100 vs ${nEmulated} emulated (seed ${seed}${Object.keys(overrides).length ? `, ${JSON.stringify(overrides)}` : ''}):`);
  console.log(`| emulated features | AUC |\n| --- | --- |`);
  console.log(`| as emulated | ${auc(emu)} |`);
  console.log(`| moved half-way to the real 0001-0050 mean, per feature | ${auc(shifted(gap, 0.5))} |`);
  console.log(`| moved to the real 0001-0050 mean, per feature | ${auc(shifted(gap, 1))} |`);
  console.log(`| moved by that difference smoothed over 5 x 5 px | ${auc(shifted(smoothed(gap), 1))} |`);
  const fitSpread = fitEv.map(spread), emuSpread = emuEv.map(spread);
  const [fx, fy] = [0, 1].map((a) => mean(fitSpread.map((s) => s[a])));
  const [ex, ey] = [0, 1].map((a) => mean(emuSpread.map((s) => s[a])));
  console.log(`\n| where the mean images differ | real 0001-0050 | emulated |\n| --- | --- | --- |`);
  console.log(`| share of crop events in the central 7 x 7 px | ${mean(fit.map(holeShare)).toFixed(3)} | ${mean(emu.map(holeShare)).toFixed(3)} |`);
  console.log(`| spread of the events along x (sd, px, per 100 ms) | ${fx.toFixed(2)} | ${ex.toFixed(2)} |`);
  console.log(`| spread of the events along y (sd, px, per 100 ms) | ${fy.toFixed(2)} | ${ey.toFixed(2)} |`);
}

main();
