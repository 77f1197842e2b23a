// Fits the emulator's scalar parameters on real digit-0 recordings 0001-0050 (0051-0100 stay held back) by
// a coordinate search: the loss is the sum over per-recording summary statistics (plus the spatial
// moments of the event image) of the squared standardised difference (Cohen's d) between the real files
// and N emulated recordings made with another seed than the reports'. Each round tries every knob up
// and down by its step and keeps the first improvement; a round without one halves every step.
// Prints the best parameters as JSON (write them into DEFAULT_EMULATOR by hand, then refit the speed
// profile with scripts/fit-speed-profile.ts).
// Usage: tsx scripts/fit-emulator-scalars.ts [REAL_DIR] [START_PARAMS_JSON]
//   env N (emulated recordings, default 40), SECONDS (search budget, default 900),
//   KNOBS (JSON {parameter: relative step}, default below)
import * as path from 'node:path';
import { readAedat } from '../lib/data/aedat';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from '../lib/data/emulator';
import { loadMnist, mnistImage } from '../lib/data/mnist';
import { FIT_FILES } from '../lib/data/real-vs-emulated';
import { eventImageFeatures, SUMMARY_NAMES, summaryFeatures } from '../lib/data/recording-features';
import type { AedatEvents } from '../lib/data/aedat';
import { meanSd } from '../lib/util/math';

const root = path.join(__dirname, '..');
const realDir = process.argv[2] ?? path.join(root, '..', 'shared', 'mnist-dvs', 'real-digit0');
let current: EmulatorParams = { ...DEFAULT_EMULATOR, ...JSON.parse(process.argv[3] ?? '{}') };
const N = Number(process.env.N ?? 40);
const budgetMs = 1000 * Number(process.env.SECONDS ?? 900);
// additive steps for the two parameters that are differences around 0; relative steps for the rest
const ADDITIVE = new Set(['onOffAsymmetry', 'noiseOnFraction']);
const knobs: Record<string, number> = JSON.parse(
  process.env.KNOBS ??
    '{"scale":0.03,"threshold":0.04,"inkSlope":0.1,"blurPx":0.2,"tauUs":0.1,"frameJitterS":0.2,"patternStrength":0.1,"onOffAsymmetry":0.01,"noiseRate":0.15,"noisePixelSd":0.2,"noiseOnFraction":0.03,"displaySharpness":0.2,"thresholdNoise":0.2}',
);
// statistics left out: the recording length is set by the stimulus, and near-empty bins are ~0 in both
const SKIP = new Set(['quietBins', 'durationS']);
const NAMES = [...SUMMARY_NAMES, 'centroid x', 'centroid y', 'sd x', 'sd y', 'central 7x7 events', 'ON centroid dx', 'ON centroid dy'];

/** Summary statistics plus the event image's centroid, spread, hole and ON/OFF offset. */
function features(ev: AedatEvents): number[] {
  const img = eventImageFeatures(ev);
  let t = 0, sx = 0, sy = 0, sxx = 0, syy = 0, hole = 0, on = 0, onx = 0, ony = 0;
  for (let j = 0; j < img.length; j++) {
    const p = j >> 1, x = Math.floor(p / 26), y = p % 26, v = img[j];
    t += v; sx += x * v; sy += y * v; sxx += x * x * v; syy += y * y * v;
    if (x >= 9 && x <= 15 && y >= 9 && y <= 15) hole += v;
    if ((j & 1) === 0) { on += v; onx += x * v; ony += y * v; }
  }
  const mx = sx / t, my = sy / t;
  return [...summaryFeatures(ev), mx, my, Math.sqrt(sxx / t - mx * mx), Math.sqrt(syy / t - my * my), hole, onx / on - mx, ony / on - my];
}

const real = FIT_FILES.map((n) => features(readAedat(path.join(realDir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`)).events));
const mnist = loadMnist('train');

function loss(p: EmulatorParams): { loss: number; d: Record<string, number> } {
  const emu = Array.from({ length: N }, (_, i) => features(emulateRecording(mnistImage(mnist, mnist.byDigit[0][i]), 'fit-scalars', `0/${i + 1}`, p).events));
  const d: Record<string, number> = {};
  let L = 0;
  NAMES.forEach((name, j) => {
    if (SKIP.has(name)) return;
    const { mean: mr, sd: sr } = meanSd(real.map((f) => f[j]));
    const { mean: me, sd: se } = meanSd(emu.map((f) => f[j]));
    const dj = (me - mr) / (Math.sqrt((sr * sr + se * se) / 2) || 1);
    d[name] = Number(dj.toFixed(2));
    L += dj * dj;
  });
  return { loss: L, d };
}

let best = loss(current);
console.error(`start: loss ${best.loss.toFixed(2)} ${JSON.stringify(best.d)}`);
const deadline = Date.now() + budgetMs;
for (let round = 0; Date.now() < deadline; round++) {
  let improved = false;
  for (const [k, step] of Object.entries(knobs)) {
    for (const dir of [1, -1]) {
      if (Date.now() > deadline) break;
      const old = (current as unknown as Record<string, number>)[k];
      const v = ADDITIVE.has(k) ? old + dir * step : old * (1 + dir * step);
      const candidate = { ...current, [k]: v } as EmulatorParams;
      const r = loss(candidate);
      if (r.loss < best.loss) {
        best = r;
        current = candidate;
        improved = true;
        console.error(`round ${round}: ${k} = ${v.toPrecision(4)}, loss ${r.loss.toFixed(2)}`);
        break;
      }
    }
  }
  if (!improved) for (const k of Object.keys(knobs)) knobs[k] /= 2;
}
const { speedProfile: _profile, ...scalars } = current;
console.log(JSON.stringify(scalars));
console.error(`final loss ${best.loss.toFixed(2)} ${JSON.stringify(best.d)}`);
