// The emulator's v3/v4 mechanisms (issue 9): speed profile along the path and its spread, slow speed noise, display clock
// jitter, blocky display pixels, leaky-pixel noise; each checked for what it must do, and bad values refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from '../../lib/data/emulator';
import { PATH_PERIOD, pathPosition, speedNoiseTimes, warpPhase } from '../../lib/data/emulator-path';
import { makeRng } from '../../lib/util/rng';
import { loadMnist, mnistImage } from '../../lib/data/mnist';
import { emulatedActivityProfile, fitSpeedProfile } from '../../lib/data/speed-profile';

const mnist = loadMnist('train');
const zero = mnistImage(mnist, mnist.byDigit[0][0]);
const run = (p: Partial<EmulatorParams>, stream = '0/1') => emulateRecording(zero, 'mech', stream, { ...DEFAULT_EMULATOR, ...p }).events;

test('warpPhase: identity without a profile; monotone, fixed ends, slow slices take longer', () => {
  for (const ph of [0, 0.1, 0.6, 1.2]) assert.equal(warpPhase(ph, []), ph);
  const prof = [1, 0.25, 1, 1.75];
  assert.equal(warpPhase(0, prof), 0);
  assert.ok(Math.abs(warpPhase(PATH_PERIOD, prof) - PATH_PERIOD) < 1e-12);
  let prev = -1;
  for (let i = 0; i <= 100; i++) { const w = warpPhase((i / 100) * PATH_PERIOD, prof); assert.ok(w >= prev); prev = w; }
  // The second quarter of the time covers 0.25 / 4 of the path: a slow slice.
  const q = PATH_PERIOD / 4;
  assert.ok(Math.abs(warpPhase(2 * q, prof) - warpPhase(q, prof) - PATH_PERIOD * (0.25 / 4)) < 1e-12);
  // A flat profile of any level is the identity.
  assert.ok(Math.abs(warpPhase(0.7, [2, 2, 2]) - 0.7) < 1e-12);
  assert.deepEqual(pathPosition(0.3, 1.25, 0, [1, 1]), pathPosition(0.3, 1.25, 0));
});

test('display clock jitter: deterministic by seed, changes the events, keeps their number close', () => {
  const a = run({ frameJitterS: 0.004 }), b = run({ frameJitterS: 0.004 }), c = run({ frameJitterS: 0 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.tUs, c.tUs);
  assert.ok(Math.abs(a.length / c.length - 1) < 0.2, `${a.length} vs ${c.length} events`);
});

test('blocky display pixels fire more pixels than a bilinear ramp at the same threshold', () => {
  const pixels = (ev: ReturnType<typeof run>): number => {
    const c = new Uint32Array(128 * 128);
    for (let i = 0; i < ev.length; i++) c[ev.y[i] * 128 + ev.x[i]]++;
    return c.filter((v) => v >= 5).length;
  };
  const p = { inkSlope: 1.5, noiseRate: 0 };
  assert.ok(pixels(run({ ...p, displaySharpness: 4 })) > pixels(run({ ...p, displaySharpness: 1 })));
});

test('leaky-pixel noise: the same noise over fewer pixels', () => {
  const far = (ev: ReturnType<typeof run>) => {
    const px = new Set<number>();
    let n = 0;
    for (let i = 0; i < ev.length; i++) if (ev.x[i] < 30 || ev.x[i] > 100) { n++; px.add(ev.y[i] * 128 + ev.x[i]); }
    return { n, pixels: px.size };
  };
  const u = far(run({ noisePixelSd: 0, noiseRate: 0.2 })), l = far(run({ noisePixelSd: 1.5, noiseRate: 0.2 }));
  assert.ok(Math.abs(l.n / u.n - 1) < 0.15, `far events ${l.n} vs ${u.n}`);
  assert.ok(l.pixels < 0.8 * u.pixels, `far pixels ${l.pixels} vs ${u.pixels}`);
});

test('speed depth spread: recordings differ in how much their activity swings, deterministically', () => {
  const cv = (stream: string, sd: number): number => {
    const ev = run({ speedDepthSd: sd, noiseRate: 0 }, stream);
    const c = new Float64Array(80);
    for (let i = 0; i < ev.length && ev.tUs[i] < 2e6; i++) c[Math.floor(ev.tUs[i] / 25000)]++;
    const m = c.reduce((a, b) => a + b, 0) / 80;
    return Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / 79) / m;
  };
  const streams = ['0/1', '0/2', '0/3', '0/4', '0/5', '0/6'];
  const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
  assert.ok(spread(streams.map((s) => cv(s, 1))) > spread(streams.map((s) => cv(s, 0))));
  assert.equal(cv('0/1', 1), cv('0/1', 1));
});

test('slow speed noise: path time runs at mean speed 1 with correlated steps, bounded lead when locked to the clock; deterministic; off at 0', () => {
  const rng = makeRng('speed-noise-test');
  const g = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  assert.equal(speedNoiseTimes(-15, 200, 75, 0, 0.1, 0, g), null);
  const t = speedNoiseTimes(-15, 20000, 75, 0.3, 0.2, 0, g)!;
  assert.equal(t[15], 0); // frame 0 shows path time 0
  const steps = Array.from({ length: t.length - 1 }, (_, j) => t[j + 1] - t[j]);
  assert.ok(steps.every((v) => v > 0), 'the path never runs backwards');
  const speed = steps.map((v) => v * 75), logs = speed.map(Math.log);
  const m = speed.reduce((a, b) => a + b, 0) / speed.length;
  assert.ok(Math.abs(m - 1) < 0.03, `mean speed ${m}`);
  const ml = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - ml) ** 2, 0) / logs.length);
  assert.ok(Math.abs(sd - 0.3) < 0.05, `sd of the log speed ${sd}`);
  // Correlation 15 frames (0.2 s) apart: e^-1 for tauS = 0.2 s.
  let c = 0;
  for (let j = 0; j + 15 < logs.length; j++) c += (logs[j] - ml) * (logs[j + 15] - ml);
  const r = c / (logs.length - 15) / sd ** 2;
  assert.ok(Math.abs(r - Math.exp(-1)) < 0.12, `lag-0.2 s correlation ${r}`);
  // The lead over the clock drifts as a random walk without a lock and stays bounded with one
  // (stationary sd sqrt(sd² tau lock² / (tau + lock)) = 42 ms here).
  const lead = (u: Float64Array): number[] => Array.from(u, (v, j) => v - (j - 15) / 75);
  const free = lead(t), locked = lead(speedNoiseTimes(-15, 20000, 75, 0.3, 0.2, 0.2, g)!);
  const range = (v: number[]) => Math.max(...v) - Math.min(...v);
  const sdOf = (v: number[]) => { const mv = v.reduce((a2, b2) => a2 + b2, 0) / v.length; return Math.sqrt(v.reduce((a2, b2) => a2 + (b2 - mv) ** 2, 0) / v.length); };
  assert.ok(range(free) > 0.5, `free lead range ${range(free)} s`);
  assert.ok(sdOf(locked) > 0.025 && sdOf(locked) < 0.065, `locked lead sd ${sdOf(locked)} s`);
  // In a recording: deterministic, changes the events, keeps their number close; 0 is the smooth path.
  const a = run({ speedNoiseSd: 0.2 }), b = run({ speedNoiseSd: 0.2 }), c0 = run({ speedNoiseSd: 0 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(Array.from(a.tUs.slice(0, 2000)), Array.from(c0.tUs.slice(0, 2000)));
  assert.ok(Math.abs(a.length / c0.length - 1) < 0.15, `events ${a.length} vs ${c0.length}`);
  assert.deepEqual(run({ speedNoiseSd: 0, speedNoiseTauS: 0.3 }), run({ speedNoiseSd: 0, speedNoiseTauS: 0.05 }));
});

test('bad mechanism parameters are refused by name before any work', () => {
  assert.throws(() => run({ frameJitterS: -1 }), /emulateRecording: frameJitterS = -1; expected a number >= 0/);
  assert.throws(() => run({ displaySharpness: 0.5 }), /displaySharpness = 0\.5; expected a number >= 1/);
  assert.throws(() => run({ noisePixelSd: -0.1 }), /noisePixelSd = -0\.1; expected a number >= 0/);
  assert.throws(() => run({ speedProfile: [1, 0, 1] }), /speedProfile = \[1,0,1\]; expected a list of numbers > 0/);
  assert.throws(() => run({ speedDepthSd: -1 }), /speedDepthSd = -1; expected a number >= 0/);
  assert.throws(() => run({ speedNoiseSd: -0.1 }), /speedNoiseSd = -0\.1; expected a number >= 0/);
  assert.throws(() => run({ speedNoiseTauS: 0 }), /speedNoiseTauS = 0; expected a number > 0/);
  assert.throws(() => run({ speedLockS: -1 }), /speedLockS = -1; expected a number >= 0/);
});

test('fitSpeedProfile recovers a known profile from its activity', () => {
  const truth = [1.4, 1.4, 0.6, 0.6, 1, 1, 1.3, 0.7];
  const target = emulatedActivityProfile(12, 'truth', { ...DEFAULT_EMULATOR, speedProfile: truth });
  const fit = fitSpeedProfile(target, { slices: truth.length, iterations: 3, nEmulated: 12, damping: 1 });
  const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mt = m(truth), mf = m(fit);
  let sxy = 0, sxx = 0, syy = 0;
  truth.forEach((t, i) => { sxy += (t - mt) * (fit[i] - mf); sxx += (t - mt) ** 2; syy += (fit[i] - mf) ** 2; });
  assert.ok(sxy / Math.sqrt(sxx * syy) > 0.7, `fit ${JSON.stringify(fit)} vs truth ${JSON.stringify(truth)}`);
});
