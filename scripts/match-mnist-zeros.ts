// Which MNIST zeros do the real MNIST-DVS digit-0 recordings show (issue 9)? Searches every MNIST zero
// (training set 5923, test set 980) for the one whose emulated recording looks most like each real recording,
// and reports whether the matches are identifiable and follow a rule (file number -> MNIST index).
//
// Method. The whole-recording event image is smeared by the V-shaped motion and does not tell zeros apart
// (correlations 0.75-0.88 for most candidates). Instead both sides are motion-compensated: the event
// centroid within 20 px of (61, 63) per 10 ms bin, averaged over +-3 bins, is the digit's position; every
// event of the first 2 s is placed (bilinear) at its offset from that position on a 40 x 40 grid. Real and
// emulated recordings go through the same estimator. Candidates are emulated noise-free (DEFAULT_EMULATOR
// without threshold, clock, speed, position and background noise; one period 1.245 s; 2 s; seed `match`).
// Score: Pearson correlation of sqrt(counts) after a Gaussian blur of 1 px on both images.
// Self-check: recordings emulated with the full default emulator (seed `gem-snn`; with --params also with those
// parameters) from 7 test zeros must find their own image first; that calibrates what an identified match looks
// like (score and gap to the 2nd).
// Rule search uses real files 0001-0050 only; 0051-0100 are reported with the same summary, nothing refitted.
// Properties of the matched MNIST images (hole area = background pixels, < 128, not connected to the border;
// ink = pixels >= 128; bounding box of the ink) are compared with all zeros and with the emulator's zeros.
//
// Deterministic; ~3-4 min of one core.
// Usage: tsx scripts/match-mnist-zeros.ts [REAL_DIR] [--json OUT] [--params JSON]
// --params overrides emulator parameters of the candidates' rendering, e.g. '{"scale":1.17}' (data/README.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat, type AedatEvents } from '../lib/data/aedat';
import { blurSquare } from '../lib/data/emulator-display';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from '../lib/data/emulator';
import { loadMnist, mnistImage, type MnistSet } from '../lib/data/mnist';

const G = 40, GC = 20, N = G * G, BIN_US = 10_000, NBIN = 200, SMOOTH = 3;
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const paramsAt = args.indexOf('--params');
const overrides: Partial<EmulatorParams> = paramsAt >= 0 ? JSON.parse(args.splice(paramsAt, 2)[1]) : {};
const realDir = args[0] ?? path.join(__dirname, '..', '..', 'shared', 'mnist-dvs', 'real-digit0');

/** Noise-free variant of the emulator: a candidate's image depends only on its MNIST picture. */
const CLEAN: EmulatorParams = {
  ...DEFAULT_EMULATOR, thresholdNoise: 0, noiseRate: 0, speedNoiseSd: 0, frameJitterS: 0, jitterPx: 0, speedDepthSd: 0,
  startPhaseSdS: 0, durationS: [2, 2], periodS: [1.245, 1.245], ...overrides,
};

/** Motion-compensated event counts of the first 2 s: Float32Array [40 * 40], row y, column x (sensor axes). */
function compensatedImage(ev: AedatEvents): Float32Array {
  const sx = new Float64Array(NBIN), sy = new Float64Array(NBIN), sn = new Float64Array(NBIN);
  for (let i = 0; i < ev.length && ev.tUs[i] < 2e6; i++) {
    const dx = ev.x[i] - 61, dy = ev.y[i] - 63;
    if (dx * dx + dy * dy > 400) continue; // background noise far from the digit
    const b = Math.floor(ev.tUs[i] / BIN_US);
    sx[b] += ev.x[i]; sy[b] += ev.y[i]; sn[b]++;
  }
  const cx = new Float64Array(NBIN), cy = new Float64Array(NBIN);
  for (let b = 0; b < NBIN; b++) {
    let x = 0, y = 0, n = 0;
    for (let j = Math.max(0, b - SMOOTH); j <= Math.min(NBIN - 1, b + SMOOTH); j++) { x += sx[j]; y += sy[j]; n += sn[j]; }
    cx[b] = n ? x / n : 61; cy[b] = n ? y / n : 63;
  }
  const out = new Float32Array(N);
  for (let i = 0; i < ev.length && ev.tUs[i] < 2e6; i++) {
    const f = ev.tUs[i] / BIN_US - 0.5;
    const b0 = Math.max(0, Math.min(NBIN - 2, Math.floor(f))), w = Math.max(0, Math.min(1, f - b0));
    const px = ev.x[i] - ((1 - w) * cx[b0] + w * cx[b0 + 1]) + GC, py = ev.y[i] - ((1 - w) * cy[b0] + w * cy[b0 + 1]) + GC;
    const x0 = Math.floor(px), y0 = Math.floor(py), fx = px - x0, fy = py - y0;
    if (x0 < 0 || y0 < 0 || x0 + 1 >= G || y0 + 1 >= G) continue;
    out[y0 * G + x0] += (1 - fx) * (1 - fy); out[y0 * G + x0 + 1] += fx * (1 - fy);
    out[(y0 + 1) * G + x0] += (1 - fx) * fy; out[(y0 + 1) * G + x0 + 1] += fx * fy;
  }
  return out;
}

/** Blurred (1 px), square-rooted, centred, unit-norm vector of a compensated image: Float64Array [1600]. */
function scoreVector(img: Float32Array): Float64Array {
  const a = Float32Array.from(img);
  blurSquare(a, G, 1);
  const v = new Float64Array(N);
  let m = 0, s = 0;
  for (let i = 0; i < N; i++) m += v[i] = Math.sqrt(Math.max(0, a[i]));
  m /= N;
  for (let i = 0; i < N; i++) { v[i] -= m; s += v[i] * v[i]; }
  s = Math.sqrt(s);
  for (let i = 0; i < N; i++) v[i] /= s;
  return v;
}

interface Candidate { set: 'train' | 'test'; k: number; index: number; v: Float64Array }
interface Match { file: number; top: { set: string; k: number; score: number }[] }

function candidates(): Candidate[] {
  const out: Candidate[] = [];
  for (const set of ['train', 'test'] as const) {
    const m = loadMnist(set);
    m.byDigit[0].forEach((index, j) => {
      out.push({ set, k: j + 1, index, v: scoreVector(compensatedImage(emulateRecording(mnistImage(m, index), 'match', 'fixed', CLEAN).events)) });
    });
  }
  return out;
}

/** The 5 best candidates of one query vector. */
function rank(q: Float64Array, cands: Candidate[]): Match['top'] {
  const best: { set: string; k: number; score: number }[] = [];
  for (const c of cands) {
    let d = 0;
    for (let i = 0; i < N; i++) d += q[i] * c.v[i];
    if (best.length < 5 || d > best[4].score) {
      best.push({ set: c.set, k: c.k, score: d });
      best.sort((a, b) => b.score - a.score);
      if (best.length > 5) best.pop();
    }
  }
  return best;
}

/** Hole area, ink area and ink bounding box (MNIST px) of a 28 x 28 image. */
function shape(img: Uint8Array): { hole: number; ink: number; w: number; h: number } {
  const seen = new Uint8Array(784), stack: number[] = [];
  for (let i = 0; i < 28; i++) for (const p of [i, 27 * 28 + i, i * 28, i * 28 + 27]) if (img[p] < 128 && !seen[p]) { seen[p] = 1; stack.push(p); }
  while (stack.length) {
    const p = stack.pop()!, y = Math.floor(p / 28), x = p % 28;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const xx = x + dx, yy = y + dy, r = yy * 28 + xx;
      if (xx >= 0 && yy >= 0 && xx < 28 && yy < 28 && !seen[r] && img[r] < 128) { seen[r] = 1; stack.push(r); }
    }
  }
  let hole = 0, ink = 0, x0 = 28, x1 = -1, y0 = 28, y1 = -1;
  for (let p = 0; p < 784; p++) {
    if (img[p] >= 128) { ink++; const y = Math.floor(p / 28), x = p % 28; x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); } else if (!seen[p]) hole++;
  }
  return { hole, ink, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

const quart = (v: number[]): string => {
  const s = [...v].sort((a, b) => a - b), q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return `${q(0.5).toFixed(0)} (${q(0.25).toFixed(0)}-${q(0.75).toFixed(0)})`;
};
const fix = (v: number[], d = 3): string => {
  const s = [...v].sort((a, b) => a - b);
  return `median ${s[s.length >> 1].toFixed(d)}, range ${s[0].toFixed(d)}-${s[s.length - 1].toFixed(d)}`;
};

/** Spearman rank correlation of two equal-length lists. */
function spearman(a: number[], b: number[]): number {
  const rk = (v: number[]) => { const o = v.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]); const r = new Array(v.length); o.forEach(([, i], j) => (r[i] = j)); return r; };
  const ra = rk(a), rb = rk(b), n = a.length, m = (n - 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (ra[i] - m) * (rb[i] - m); saa += (ra[i] - m) ** 2; sbb += (rb[i] - m) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

function summarise(label: string, ms: Match[], sets: Record<string, MnistSet>): void {
  const best = ms.map((m) => m.top[0]);
  const gaps = ms.map((m) => m.top[0].score - m.top[1].score);
  const nTest = best.filter((b) => b.set === 'test').length;
  const train = ms.filter((m) => m.top[0].set === 'train');
  const steps = best.slice(1).map((b, i) => (b.set === best[i].set ? b.k - best[i].k : NaN)).filter((d) => !Number.isNaN(d));
  const distinct = new Set(best.map((b) => `${b.set}#${b.k}`)).size;
  console.log(`\n## ${label}`);
  console.log(`best score: ${fix(best.map((b) => b.score))}; gap to the 2nd: ${fix(gaps)}`);
  console.log(`best match in the test set: ${nTest} of ${ms.length}; distinct best matches: ${distinct} of ${ms.length}`);
  console.log(`Spearman(file number, training-zero number of the best match) over ${train.length} files: ${spearman(train.map((m) => m.file), train.map((m) => m.top[0].k)).toFixed(2)}`);
  console.log(`steps between consecutive files' best matches (same set): ${steps.slice(0, 20).join(' ')}${steps.length > 20 ? ' ...' : ''}`);
  const sh = best.map((b) => shape(mnistImage(sets[b.set], sets[b.set].byDigit[0][b.k - 1])));
  console.log(`best matches' MNIST shape: hole ${quart(sh.map((s) => s.hole))}, ink ${quart(sh.map((s) => s.ink))}, width ${quart(sh.map((s) => s.w))}, height ${quart(sh.map((s) => s.h))}`);
  console.log(ms.map((m) => `${String(m.file).padStart(4, '0')}: ${m.top.slice(0, 2).map((t) => `${t.set}#${t.k} ${t.score.toFixed(3)}`).join(', ')}`).join('\n'));
}

function main(): void {
  const t0 = Date.now();
  const sets = { train: loadMnist('train'), test: loadMnist('test') };
  const cands = candidates();
  console.log(`${cands.length} candidate zeros emulated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  for (const set of ['train', 'test'] as const) {
    const all = sets[set].byDigit[0].map((i) => shape(mnistImage(sets[set], i)));
    console.log(`all ${set} zeros: hole ${quart(all.map((s) => s.hole))}, ink ${quart(all.map((s) => s.ink))}, width ${quart(all.map((s) => s.w))}, height ${quart(all.map((s) => s.h))}`);
  }
  const emu = sets.train.byDigit[0].slice(0, 100).map((i) => shape(mnistImage(sets.train, i)));
  console.log(`the emulator's zeros (training zeros 1-100): hole ${quart(emu.map((s) => s.hole))}, ink ${quart(emu.map((s) => s.ink))}`);
  // Self-check at the default rendering and, with --params, at the candidates' rendering too.
  const renders: [string, EmulatorParams][] = [['default emulator', DEFAULT_EMULATOR]];
  if (Object.keys(overrides).length) renders.push([`emulator with ${JSON.stringify(overrides)}`, { ...DEFAULT_EMULATOR, ...overrides }]);
  const self: Match[] = [];
  for (const [name, params] of renders) {
    const ms = [5, 50, 109, 350, 500, 700, 900].map((k) => ({
      file: k, top: rank(scoreVector(compensatedImage(emulateRecording(mnistImage(sets.test, sets.test.byDigit[0][k - 1]), 'gem-snn', `0/${k}`, params).events)), cands),
    }));
    console.log(`\n## self-check: ${name} (seed gem-snn), test zeros ${ms.map((m) => m.file).join(', ')}`);
    console.log(ms.map((m) => `test#${m.file}: found ${m.top[0].set}#${m.top[0].k} ${m.top[0].score.toFixed(3)}, 2nd ${m.top[1].score.toFixed(3)}`).join('\n'));
    self.push(...ms);
  }
  const real = (files: number[]): Match[] => files.map((file) => ({
    file, top: rank(scoreVector(compensatedImage(readAedat(path.join(realDir, `mnist_0_scale04_${String(file).padStart(4, '0')}.aedat`)).events)), cands),
  }));
  const fit = real(Array.from({ length: 50 }, (_, i) => i + 1));
  summarise('real 0001-0050 (rule search)', fit, sets);
  const held = real(Array.from({ length: 50 }, (_, i) => i + 51));
  summarise('real 0051-0100 (held back, same summary)', held, sets);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ self, fit, held }, null, 1) + '\n');
  console.log(`\n${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main();
