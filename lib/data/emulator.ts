/**
 * A DVS emulator that records MNIST digits the way MNIST-DVS was made (SPEC 4.3): the digit, upscaled
 * ~1.3x, is shown on a 75 Hz monitor and moved along a fixed scripted "V" path (its speed varying slowly at random) in front of a 128 x 128
 * sensor whose pixels emit ON/OFF events when their low-passed log intensity moves one threshold away from
 * a per-pixel reference level (v2e/ESIM style: a fitted fixed-pattern gain map and a small random spread
 * set each pixel's thresholds, the threshold jitters from event to event, crossings are timed within each
 * 75 Hz frame by the photoreceptor low-pass, ~1 ms refractory period, uniform background noise).
 *
 * Deterministic: a recording depends only on (seed, digit, recording number, image, params), never on
 * what else is emulated in the same run. Constants below were calibrated against the 100 real digit-0
 * recordings (data/README.md holds the comparison table).
 */
import { makeRng } from '../util/rng';
import type { AedatEvents } from './aedat';
import { fixedPattern } from './fixed-pattern';
import { PATH_KEYS, pathPosition, speedNoiseTimes } from './emulator-path';
import { luminanceImage, PAD } from './emulator-display';
import { addBackgroundNoise, detectEvents, gauss, pixelThresholds, timeOrdered, type SensorRegion } from './emulator-sensor';

export { PATH_PERIOD, pathPosition, warpPhase } from './emulator-path';

/** Every knob of the emulator. Units in the field names; positions in sensor pixels. */
export interface EmulatorParams {
  /** Monitor refresh rate (Hz); events of a frame are spread within its 1/frameHz. */
  frameHz: number;
  /** Sensor pixels per MNIST pixel. */
  scale: number;
  /** Period of the scripted path (s), drawn uniformly per recording in [lo, hi]. */
  periodS: [number, number];
  /**
   * Phase of the path (s) at the recording's t = 0: mean, and sd across recordings. Real recordings reach
   * the path's turns ~25-30 ms earlier or later from one file to the next (and their periods spread by
   * ~23 ms sd); without that spread the activity dips line up in the same 25 ms bins in every recording.
   */
  startPhaseS: number;
  startPhaseSdS: number;
  /** Standard deviation (px) of a per-recording offset of the whole path. */
  jitterPx: number;
  /** Offset (px) of the MNIST box centre from the path (the path is the real digit-0 event centroid). */
  offsetPx: [number, number];
  /** Recording duration (s), drawn uniformly in [lo, hi]. */
  durationS: [number, number];
  /** Background luminance relative to full ink (0-1): ink/background log contrast is -ln(background). */
  background: number;
  /** Gaussian blur of the optics (sensor px, standard deviation). */
  blurPx: number;
  /** Mean log-intensity threshold of a pixel. */
  threshold: number;
  /** Spread (standard deviation) of the threshold across pixels. */
  thresholdSd: number;
  /** ON threshold = threshold*(1-a), OFF = threshold*(1+a): sets the ON fraction (about (1+a)/2). */
  onOffAsymmetry: number;
  /** Refractory period (µs) after any event of a pixel; later crossings wait for it. */
  refractoryUs: number;
  /** Background noise (events per pixel per second, whole sensor). */
  noiseRate: number;
  /**
   * Standard deviation of the log of a pixel's background-noise rate across the sensor (fixed for a seed;
   * 0 = uniform). Real noise comes from a minority of leaky pixels: as many events far from the digit as a
   * uniform rate gives, over fewer pixels.
   */
  noisePixelSd: number;
  /** Share of ON events in the background noise (real, far from the digit: 0.87). */
  noiseOnFraction: number;
  /** Ratio of peak to trough event density within a frame when tauUs = 0 (75 Hz modulation; 1 = flat). */
  frameModulation: number;
  /** Simulated time before t = 0 (s) so the recording starts mid-motion, as the real ones do. */
  warmupS: number;
  /**
   * Rate (Hz) at which the digit's position is updated; 0 = every frame (smooth motion, as the real
   * stimulus moves). Positive values give the jerky motion of emulator v1 (12 Hz), whose bursts of input
   * leave a third of the 25 ms bins nearly empty, which real recordings never do.
   */
  moveHz: number;
  /**
   * Standard deviation (s) of the time at which each frame samples the path: display software that reads
   * its clock with jitter makes the per-frame step of the digit vary, with most power at 20-50 Hz. Off by
   * default since v5 (0): with the slow speed noise and the clock lock, any jitter (0.001-0.004 s) made
   * the per-bin features more separable on real files 0001-0050 (data/README.md).
   */
  frameJitterS: number;
  /**
   * Relative speed of the digit along the path in equal slices of its period (empty = constant speed):
   * the path's phase advances at speedProfile[i] / mean in slice i. Real digit-0 recordings are busiest
   * mid-stroke and quietest for ~100 ms around the turns; the profile is fitted on real files 0001-0050
   * (scripts/fit-speed-profile.ts) from the ratio of their mean active inputs per phase to the emulator's.
   */
  speedProfile: number[];
  /**
   * Spread across recordings of the speed profile's depth: each recording uses speedProfile[i]^g with
   * g ~ N(1, speedDepthSd) (0 = the same profile for all). Real recordings differ in how much their
   * activity swings along the path (CV across bins 0.24 ± 0.04 on 0001-0050, 0.30 ± 0.07 on 0051-0100).
   */
  speedDepthSd: number;
  /**
   * How sharply the display steps from one MNIST pixel to the next: 1 = bilinear ramp between pixel
   * centres; k > 1 shortens the ramp to 1/k of a pixel around the boundary (k = scale: a nearest-neighbour
   * upscaled image seen through sensor pixels of 1/scale MNIST pixel). Blocky pixels keep the digit's grey
   * levels as small sharp steps: more pixels fire, each fewer events per crossing, as in real recordings.
   */
  displaySharpness: number;
  /** Time constant (µs) of the photoreceptor's low-pass on log intensity; 0 = crossings interpolated linearly. */
  tauUs: number;
  /**
   * Slope of the display's response to the interpolated grey level g (0-1): ink = clamp(0.5 + slope (g - 0.5)).
   * > 1 gives the sharp stroke edges that make a pixel's events for one edge arrive within ~15 ms.
   */
  inkSlope: number;
  /** Grey level (0-1) shown at half ink: below 0.5 thickens the strokes. */
  inkMid: number;
  /**
   * Small smooth wander of the digit around the scripted path: per recording and axis, 3 sinusoids of
   * amplitude tremorPx (px) at frequencies drawn in tremorHz. Keeps the digit moving at the path's turning
   * points, where real recordings still carry 40-60 % of the mean activity.
   */
  tremorPx: number;
  tremorHz: [number, number];
  /**
   * Strength of the fitted fixed-pattern gain map (fixed-pattern.ts): a pixel's ON and OFF thresholds are
   * divided by gain^patternStrength (0 = uniform pixels, 1 = the fitted ratios as they are).
   */
  patternStrength: number;
  /** Relative standard deviation of a pixel's threshold from one event to the next. */
  thresholdNoise: number;
  /**
   * Slow random variation of the digit's speed within a recording: the speed is multiplied by exp(x),
   * x an Ornstein-Uhlenbeck process of sd speedNoiseSd and correlation time speedNoiseTauS (s). Real
   * recordings' activity fluctuates around its mean profile with a correlation of ~0.3 four 25 ms bins
   * apart (smooth motion alone: ~0.1), and a varying speed smears the ~12 Hz ripple of the display's blocks.
   */
  speedNoiseSd: number;
  speedNoiseTauS: number;
  /**
   * Time constant (s) with which the display pulls the path time back to its clock (0 = never: the lead or
   * lag of the path drifts as a random walk, as in v4). Real recordings (0001-0050) reach each turn 23-27 ms
   * (sd) early or late, and turns one period apart differ by only ~17 ms: their timing error does not grow
   * along the recording. v5 locks with 1 s (data/README.md).
   */
  speedLockS: number;
}

/** Calibrated defaults (see data/README.md for the real-vs-emulated table). */
export const DEFAULT_EMULATOR: EmulatorParams = {
  frameHz: 75,
  scale: 1.3,
  periodS: [1.235, 1.255],
  startPhaseS: 0.02,
  startPhaseSdS: 0.02,
  jitterPx: 0.5,
  offsetPx: [-1.2, 0.9],
  durationS: [2.03, 2.46],
  background: 0.03,
  blurPx: 0.21,
  threshold: 0.58,
  thresholdSd: 0.03,
  onOffAsymmetry: -0.015,
  refractoryUs: 1000,
  noiseRate: 0.022,
  noiseOnFraction: 0.8,
  noisePixelSd: 1.5,
  frameModulation: 2,
  warmupS: 0.2,
  moveHz: 0,
  frameJitterS: 0,
  speedProfile: [
    1.078, 0.904, 0.947, 1.129, 1.22, 1.327, 1.317, 1.158, 1.302, 1.554, 1.617, 1.247, 0.627, 0.509, 0.652, 0.743,
    1.108, 0.968, 0.983, 0.999, 1.132, 1.111, 1.685, 1.383, 1.155, 0.719, 0.694, 0.906, 1.028, 1.104, 1.208, 1.015,
    1.059, 1.173, 1.153, 1.281, 1.017, 0.332, 0.227, 0.466, 0.784, 0.712, 0.825, 0.692, 0.872, 0.848, 0.997, 0.972,
    0.968, 1.091,
  ],
  displaySharpness: 2.8,
  speedDepthSd: 0.45,
  tauUs: 10000,
  inkSlope: 1.65,
  inkMid: 0.5,
  tremorPx: 0,
  tremorHz: [1, 6],
  patternStrength: 0.55,
  thresholdNoise: 0.31,
  speedNoiseSd: 0.1,
  speedNoiseTauS: 0.1,
  speedLockS: 1,
};

/** Per-pixel threshold mismatch of "the" sensor: fixed for a seed, shared by all its recordings. */
const sensorCache = new Map<string, Float32Array>();
function sensorThresholds(seed: string, p: EmulatorParams): Float32Array {
  const key = `${seed}|${p.threshold}|${p.thresholdSd}`;
  let th = sensorCache.get(key);
  if (!th) {
    const rng = makeRng(seed, 'sensor-thresholds');
    th = new Float32Array(128 * 128);
    for (let i = 0; i < th.length; i++) th[i] = Math.max(0.05, p.threshold + p.thresholdSd * gauss(rng));
    sensorCache.set(key, th);
  }
  return th;
}

/** What an emulated recording was made from, and its drawn per-recording parameters. */
export interface EmulationInfo {
  durationUs: number;
  periodS: number;
  offsetPx: [number, number];
}

/**
 * Checks the values emulation needs (throws naming the first bad parameter, its value and the rule), so
 * callers (the suite's parameters, `data calibrate --set`) refuse them before any work.
 */
export function checkEmulatorParams(p: EmulatorParams, where = 'emulator'): void {
  const rules: [keyof EmulatorParams, (v: number) => boolean, string][] = [
    ['frameHz', (v) => v > 0, '> 0'],
    ['scale', (v) => v > 0, '> 0'],
    ['threshold', (v) => v > 0, '> 0'],
    ['background', (v) => v > 0 && v < 1, 'in (0, 1)'],
    ['frameJitterS', (v) => v >= 0, '>= 0'],
    ['displaySharpness', (v) => v >= 1, '>= 1'],
    ['noisePixelSd', (v) => v >= 0, '>= 0'],
    ['speedDepthSd', (v) => v >= 0, '>= 0'],
    ['speedNoiseSd', (v) => v >= 0, '>= 0'],
    ['speedNoiseTauS', (v) => v > 0, '> 0'],
    ['speedLockS', (v) => v >= 0, '>= 0'],
  ];
  for (const [name, ok, rule] of rules) {
    if (!ok(p[name] as number)) throw new Error(`${where}: ${name} = ${JSON.stringify(p[name])}; expected a number ${rule}`);
  }
  if (!Array.isArray(p.speedProfile) || !p.speedProfile.every((v) => v > 0)) {
    throw new Error(`${where}: speedProfile = ${JSON.stringify(p.speedProfile)}; expected a list of numbers > 0`);
  }
}

/** The rectangle of the sensor the digit can reach along its path, shifted by `off` (sensor pixels). */
function sensorRegion(scale: number, off: [number, number]): SensorRegion {
  let minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
  for (const k of PATH_KEYS) { minX = Math.min(minX, k[1]); maxX = Math.max(maxX, k[1]); minY = Math.min(minY, k[2]); maxY = Math.max(maxY, k[2]); }
  const half = (14 + PAD) * scale;
  const x0 = Math.max(0, Math.floor(minX + off[0] - half)), x1 = Math.min(127, Math.ceil(maxX + off[0] + half));
  const y0 = Math.max(0, Math.floor(minY + off[1] - half)), y1 = Math.min(127, Math.ceil(maxY + off[1] + half));
  const rw = x1 - x0 + 1, rh = y1 - y0 + 1;
  return { x0, y0, rw, rh, nPix: rw * rh };
}

/** Per-recording draws of the path: where and when the digit moves (drawn from the recording's stream). */
interface PathDraws {
  periodS: number;
  startPhase: number;
  off: [number, number];
  /** Tremor components, 3 per axis: [frequency (rad/s), phase]. */
  trem: number[][];
}

/**
 * The log intensity the sensor region sees at display frame k (writes `out` [rh * rw]): the digit at its
 * path position (speed noise, display clock jitter, tremor), resampled from the display image.
 */
function frameRenderer(image: Uint8Array, seed: string, streamName: string, p: EmulatorParams, reg: SensorRegion, draws: PathDraws, kStart: number, kEnd: number) {
  const s = p.scale;
  const { x0, y0, rw, rh } = reg;
  const { lum, side } = luminanceImage(image, p.blurPx / s);
  const logBg = Math.log(p.background);
  const slope = p.inkSlope, mid = p.inkMid, bg = p.background;
  const ks = p.displaySharpness;
  const sharpen = ks === 1 ? (f: number) => f : (f: number) => Math.min(1, Math.max(0, (f - 0.5) * ks + 0.5));
  const wander = (tS: number, axis: number): number => {
    let w = 0;
    for (let j = 3 * axis; j < 3 * axis + 3; j++) w += Math.sin(draws.trem[j][0] * tS + draws.trem[j][1]);
    return p.tremorPx * w;
  };
  // Clock jitter of the display (frameJitterS): drawn from its own stream, so the other draws of a
  // recording do not depend on it.
  const display = makeRng(seed, 'display', streamName);
  const depth = p.speedDepthSd > 0 ? Math.max(0, 1 + p.speedDepthSd * gauss(makeRng(seed, 'speed-depth', streamName))) : 1;
  const profile = depth === 1 ? p.speedProfile : p.speedProfile.map((v) => v ** depth);
  const col0 = new Int32Array(rw), colF = new Float64Array(rw);
  const speedRng = makeRng(seed, 'speed-noise', streamName);
  const shown = speedNoiseTimes(kStart, kEnd, p.frameHz, p.speedNoiseSd, p.speedNoiseTauS, p.speedLockS, () => gauss(speedRng));
  return (k: number, out: Float32Array): void => {
    const tS = k / p.frameHz;
    const tPath = shown ? shown[k - kStart] : tS;
    const shownS = p.frameJitterS > 0 ? tPath + p.frameJitterS * gauss(display) : tPath;
    const tMove = p.moveHz > 0 ? Math.floor(shownS * p.moveHz) / p.moveHz : shownS;
    const [px, py] = pathPosition(tMove, draws.periodS, draws.startPhase, profile);
    const cx = px + draws.off[0] + wander(tS, 0), cy = py + draws.off[1] + wander(tS, 1);
    // MNIST row r (top-down) sits at sensor y = cy - s*(r - 13.5), column c at x = cx + s*(c - 13.5).
    // The column terms are the same for every row: computed once per frame.
    for (let xx = 0; xx < rw; xx++) {
      const cc = (x0 + xx - cx) / s + 13.5 + PAD;
      const c0 = Math.floor(cc);
      col0[xx] = c0;
      colF[xx] = sharpen(cc - c0);
    }
    for (let yy = 0; yy < rh; yy++) {
      const rr = 13.5 - (y0 + yy - cy) / s + PAD;
      const r0 = Math.floor(rr), fr = sharpen(rr - r0);
      for (let xx = 0; xx < rw; xx++) {
        const c0 = col0[xx], fc = colF[xx];
        let v: number;
        if (r0 < 0 || c0 < 0 || r0 + 1 >= side || c0 + 1 >= side) v = logBg;
        else {
          const i = r0 * side + c0;
          const g = (1 - fr) * ((1 - fc) * lum[i] + fc * lum[i + 1]) + fr * ((1 - fc) * lum[i + side] + fc * lum[i + side + 1]);
          const ink = Math.min(1, Math.max(0, 0.5 + slope * (g - mid)));
          v = Math.log(bg + (1 - bg) * ink);
        }
        out[yy * rw + xx] = v;
      }
    }
  };
}

/**
 * Emulates one recording of the 28 x 28 MNIST `image` (Uint8Array [28, 28], 0-255). `seed` names the
 * sensor (threshold mismatch); `streamName` names this recording's random stream (e.g. `0/0001`).
 * Returns events sorted by time (µs, starting at the first event of t >= 0) and the drawn parameters.
 */
export function emulateRecording(
  image: Uint8Array,
  seed: string,
  streamName: string,
  p: EmulatorParams = DEFAULT_EMULATOR,
): { events: AedatEvents; info: EmulationInfo } {
  if (image.length !== 784) throw new Error(`emulateRecording: image.length = ${image.length}; expected 784 (28 x 28)`);
  checkEmulatorParams(p, 'emulateRecording');
  // The recording's stream: its draws come in this order (duration, period, offset, start, tremor,
  // thresholds, reset phases, events' threshold jitter, noise), so a recording is fixed by its name.
  const rng = makeRng(seed, 'recording', streamName);
  const durUs = Math.round(1e6 * (p.durationS[0] + (p.durationS[1] - p.durationS[0]) * rng.next()));
  const periodS = p.periodS[0] + (p.periodS[1] - p.periodS[0]) * rng.next();
  const off: [number, number] = [p.offsetPx[0] + p.jitterPx * gauss(rng), p.offsetPx[1] + p.jitterPx * gauss(rng)];
  const startPhase = p.startPhaseS + p.startPhaseSdS * gauss(rng);
  const reg = sensorRegion(p.scale, off);
  const thresholds = pixelThresholds(reg, sensorThresholds(seed, p), fixedPattern(), p);
  const trem: number[][] = [];
  for (let j = 0; j < 6; j++) trem.push([2 * Math.PI * (p.tremorHz[0] + (p.tremorHz[1] - p.tremorHz[0]) * rng.next()), 2 * Math.PI * rng.next()]);
  const kStart = -Math.round(p.warmupS * p.frameHz);
  const kEnd = Math.ceil((durUs / 1e6) * p.frameHz);
  const render = frameRenderer(image, seed, streamName, p, reg, { periodS, startPhase, off, trem }, kStart, kEnd);
  let buf = detectEvents(render, reg, thresholds, p, rng, kStart, kEnd, durUs);
  buf = addBackgroundNoise(buf, seed, p, rng, durUs);
  return { events: timeOrdered(buf, p.refractoryUs), info: { durationUs: durUs, periodS, offsetPx: off } };
}
