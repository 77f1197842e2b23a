/**
 * A DVS emulator that records MNIST digits the way MNIST-DVS was made (SPEC 4.3): the digit, upscaled
 * ~1.2x, is shown on a 75 Hz monitor and moved along a fixed scripted "V" path in front of a 128 x 128
 * sensor whose pixels emit ON/OFF events when their log intensity moves one threshold away from a
 * per-pixel reference level (v2e/ESIM style, thresholds varying slightly between pixels, crossings
 * interpolated in time within each frame, ~1 ms refractory period, uniform background noise).
 *
 * Deterministic: a recording depends only on (seed, digit, recording number, image, params), never on
 * what else is emulated in the same run. Constants below were calibrated against the 100 real digit-0
 * recordings (data/README.md holds the comparison table).
 */
import { makeRng, type Rng } from '../util/rng';
import { allocEvents, type AedatEvents } from './aedat';

/** Every knob of the emulator. Units in the field names; positions in sensor pixels. */
export interface EmulatorParams {
  /** Monitor refresh rate (Hz); events of a frame are spread within its 1/frameHz. */
  frameHz: number;
  /** Sensor pixels per MNIST pixel. */
  scale: number;
  /** Period of the scripted path (s), drawn uniformly per recording in [lo, hi]. */
  periodS: [number, number];
  /** Phase of the path (s) at the recording's t = 0. */
  startPhaseS: number;
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
  /** Background noise (events per pixel per second, random polarity, whole sensor). */
  noiseRate: number;
  /** Ratio of peak to trough event density within a frame when tauUs = 0 (75 Hz modulation; 1 = flat). */
  frameModulation: number;
  /** Simulated time before t = 0 (s) so the recording starts mid-motion, as the real ones do. */
  warmupS: number;
  /**
   * Rate (Hz) at which the digit's position is updated (a timer not locked to the 75 Hz frames: jerky
   * motion). Calibrated: real pixels fire an edge's whole burst (~7 events) within ~25 ms, which smooth
   * motion at 18 px/s cannot produce; 0 = every frame.
   */
  moveHz: number;
  /** Time constant (µs) of the photoreceptor's low-pass on log intensity; 0 = crossings interpolated linearly. */
  tauUs: number;
}

/** Calibrated defaults (see data/README.md for the real-vs-emulated table). */
export const DEFAULT_EMULATOR: EmulatorParams = {
  frameHz: 75,
  scale: 1.2,
  periodS: [1.235, 1.26],
  startPhaseS: 0.04,
  jitterPx: 0.5,
  offsetPx: [0, 0],
  durationS: [2.03, 2.46],
  background: 0.03,
  blurPx: 0.3,
  threshold: 0.48,
  thresholdSd: 0.03,
  onOffAsymmetry: 0.018,
  refractoryUs: 1000,
  noiseRate: 0.022,
  frameModulation: 2,
  warmupS: 0.2,
  moveHz: 12,
  tauUs: 7500,
};

/**
 * The scripted path: mean event centroid of the real digit-0 recordings over one period (read from
 * `real-digit0-mean-trajectory-10ms.csv`, every 50 ms, dwell noise averaged). Rows: [phase s, x, y].
 */
const PATH_KEYS: [number, number, number][] = [
  [0.0, 60.61, 61.77], [0.05, 59.8, 61.9], [0.1, 58.86, 62.51], [0.15, 58.01, 63.26], [0.2, 57.17, 64.11],
  [0.25, 56.93, 64.23], [0.3, 56.51, 64.47], [0.35, 56.83, 64.21], [0.4, 57.35, 63.59], [0.45, 58.03, 63.21],
  [0.5, 59.0, 62.51], [0.55, 59.76, 61.98], [0.6, 60.59, 62.17], [0.65, 61.52, 61.83], [0.7, 62.54, 62.32],
  [0.75, 63.32, 62.87], [0.8, 64.12, 63.66], [0.85, 64.64, 64.08], [0.9, 64.7, 64.1], [0.95, 64.8, 64.2],
  [1.0, 64.55, 63.73], [1.05, 64.48, 63.49], [1.1, 63.68, 62.8], [1.15, 62.81, 62.05], [1.2, 61.79, 61.98],
];
const PATH_PERIOD = 1.25;

/** Position (sensor px) of the path at time `tS` (s) for a recording with period `periodS`. */
export function pathPosition(tS: number, periodS: number, startPhaseS: number): [number, number] {
  // Phase in the keyframe table's own period (1.25 s), so a shorter period plays the path faster.
  let ph = ((tS + startPhaseS * (periodS / PATH_PERIOD)) / periodS) * PATH_PERIOD;
  ph = ((ph % PATH_PERIOD) + PATH_PERIOD) % PATH_PERIOD;
  const i = Math.min(PATH_KEYS.length - 1, Math.floor(ph / 0.05));
  const a = PATH_KEYS[i];
  const b = PATH_KEYS[(i + 1) % PATH_KEYS.length];
  const f = (ph - a[0]) / 0.05;
  return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

function gauss(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const PAD = 5; // MNIST pixels of background around the 28 x 28 image

/** Blurs the 28x28 image (0-255) into a padded float luminance image, ink 1, background `bg`. */
function luminanceImage(img: Uint8Array, sigmaMnist: number, bg: number): { lum: Float32Array; side: number } {
  const side = 28 + 2 * PAD;
  const a = new Float32Array(side * side);
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) a[(r + PAD) * side + c + PAD] = img[r * 28 + c] / 255;
  if (sigmaMnist > 0) {
    const rad = Math.ceil(3 * sigmaMnist);
    const k = new Float32Array(2 * rad + 1);
    let s = 0;
    for (let i = -rad; i <= rad; i++) s += k[i + rad] = Math.exp((-i * i) / (2 * sigmaMnist * sigmaMnist));
    for (let i = 0; i < k.length; i++) k[i] /= s;
    const tmp = new Float32Array(side * side);
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        let v = 0;
        for (let i = -rad; i <= rad; i++) { const cc = c + i; if (cc >= 0 && cc < side) v += k[i + rad] * a[r * side + cc]; }
        tmp[r * side + c] = v;
      }
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        let v = 0;
        for (let i = -rad; i <= rad; i++) { const rr = r + i; if (rr >= 0 && rr < side) v += k[i + rad] * tmp[rr * side + c]; }
        a[r * side + c] = v;
      }
  }
  for (let i = 0; i < a.length; i++) a[i] = bg + (1 - bg) * a[i];
  return { lum: a, side };
}

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

/** Growable event buffer (times in µs as floats until sorted). */
interface EventBuf { x: Uint8Array; y: Uint8Array; b: Uint8Array; t: Float64Array; n: number }
function push(buf: EventBuf, x: number, y: number, b: number, t: number): EventBuf {
  if (buf.n === buf.t.length) {
    const cap = buf.t.length * 2;
    const nb: EventBuf = { x: new Uint8Array(cap), y: new Uint8Array(cap), b: new Uint8Array(cap), t: new Float64Array(cap), n: buf.n };
    nb.x.set(buf.x); nb.y.set(buf.y); nb.b.set(buf.b); nb.t.set(buf.t);
    buf = nb;
  }
  buf.x[buf.n] = x; buf.y[buf.n] = y; buf.b[buf.n] = b; buf.t[buf.n] = t; buf.n++;
  return buf;
}

/** What an emulated recording was made from, and its drawn per-recording parameters. */
export interface EmulationInfo {
  durationUs: number;
  periodS: number;
  offsetPx: [number, number];
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
  if (!(p.frameHz > 0) || !(p.scale > 0) || !(p.background > 0 && p.background < 1) || !(p.threshold > 0)) {
    throw new Error(`emulateRecording: params ${JSON.stringify(p)}; expected frameHz, scale, threshold > 0 and 0 < background < 1`);
  }
  const rng = makeRng(seed, 'recording', streamName);
  const durUs = Math.round(1e6 * (p.durationS[0] + (p.durationS[1] - p.durationS[0]) * rng.next()));
  const periodS = p.periodS[0] + (p.periodS[1] - p.periodS[0]) * rng.next();
  const off: [number, number] = [p.offsetPx[0] + p.jitterPx * gauss(rng), p.offsetPx[1] + p.jitterPx * gauss(rng)];
  const s = p.scale;
  const { lum, side } = luminanceImage(image, p.blurPx / s, p.background);
  const logBg = Math.log(p.background);
  const th = sensorThresholds(seed, p);

  // Region of the sensor the digit can reach.
  let minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9;
  for (const k of PATH_KEYS) { minX = Math.min(minX, k[1]); maxX = Math.max(maxX, k[1]); minY = Math.min(minY, k[2]); maxY = Math.max(maxY, k[2]); }
  const half = (14 + PAD) * s;
  const x0 = Math.max(0, Math.floor(minX + off[0] - half)), x1 = Math.min(127, Math.ceil(maxX + off[0] + half));
  const y0 = Math.max(0, Math.floor(minY + off[1] - half)), y1 = Math.min(127, Math.ceil(maxY + off[1] + half));
  const rw = x1 - x0 + 1, rh = y1 - y0 + 1, nPix = rw * rh;
  const ref = new Float32Array(nPix);
  const prev = new Float32Array(nPix);
  const cur = new Float32Array(nPix);
  const lastT = new Float64Array(nPix).fill(-1e12);
  const cOn = new Float32Array(nPix), cOff = new Float32Array(nPix);
  for (let yy = 0; yy < rh; yy++) for (let xx = 0; xx < rw; xx++) {
    const c = th[(y0 + yy) * 128 + x0 + xx];
    cOn[yy * rw + xx] = c * (1 - p.onOffAsymmetry);
    cOff[yy * rw + xx] = c * (1 + p.onOffAsymmetry);
  }

  const render = (k: number, out: Float32Array): void => {
    const tS = k / p.frameHz;
    const tMove = p.moveHz > 0 ? Math.floor(tS * p.moveHz) / p.moveHz : tS;
    const [px, py] = pathPosition(tMove, periodS, p.startPhaseS);
    const cx = px + off[0], cy = py + off[1];
    for (let yy = 0; yy < rh; yy++) {
      // MNIST row r (top-down) sits at sensor y = cy - s*(r - 13.5), column c at x = cx + s*(c - 13.5).
      const rr = 13.5 - (y0 + yy - cy) / s + PAD;
      const r0 = Math.floor(rr), fr = rr - r0;
      for (let xx = 0; xx < rw; xx++) {
        const cc = (x0 + xx - cx) / s + 13.5 + PAD;
        const c0 = Math.floor(cc), fc = cc - c0;
        let v: number;
        if (r0 < 0 || c0 < 0 || r0 + 1 >= side || c0 + 1 >= side) v = logBg;
        else {
          const i = r0 * side + c0;
          v = Math.log((1 - fr) * ((1 - fc) * lum[i] + fc * lum[i + 1]) + fr * ((1 - fc) * lum[i + side] + fc * lum[i + side + 1]));
        }
        out[yy * rw + xx] = v;
      }
    }
  };

  const frameUs = 1e6 / p.frameHz;
  // Within-frame density falling linearly from m to 1 (m = frameModulation); inverse CDF of that ramp.
  const m = p.frameModulation;
  const warp = m === 1 ? (u: number) => u : (u: number) => {
    const a = (1 - m) / 2, b = m; // density ∝ m + (1-m)u, CDF ∝ b u + a u², total a + b
    const target = u * (a + b);
    return (-b + Math.sqrt(b * b + 4 * a * target)) / (2 * a);
  };
  // Fraction of the frame at which the (filtered) log intensity, going from l0 to l1, crosses `level`.
  const tauFrames = p.tauUs / frameUs;
  const lowpass = p.tauUs > 0;
  const decay = lowpass ? Math.exp(-1 / tauFrames) : 0;
  const crossing = (l0: number, inp: number, level: number, d: number): number => {
    if (lowpass) {
      // l(u) = inp + (l0 - inp) e^{-u/tau}: solve l(u) = level (d = l0 - inp).
      const q = (level - inp) / d;
      return q > 0 ? Math.min(1, Math.max(0, -tauFrames * Math.log(q))) : 1;
    }
    const f = d !== 0 ? Math.min(1, Math.max(0, (level - l0) / d)) : 1;
    return warp(f);
  };
  let buf: EventBuf = { x: new Uint8Array(32768), y: new Uint8Array(32768), b: new Uint8Array(32768), t: new Float64Array(32768), n: 0 };
  const kStart = -Math.round(p.warmupS * p.frameHz);
  const kEnd = Math.ceil((durUs / 1e6) * p.frameHz);
  render(kStart, prev);
  for (let i = 0; i < nPix; i++) ref[i] = prev[i] + (rng.next() - 0.5) * cOn[i]; // random reset phase
  for (let k = kStart + 1; k <= kEnd; k++) {
    render(k, cur);
    const tPrev = (k - 1) * frameUs;
    for (let i = 0; i < nPix; i++) {
      // With the low-pass, prev holds the filtered level and the frame's input is held for the frame.
      const l0 = prev[i];
      const inp = cur[i];
      const l1 = lowpass ? inp + (l0 - inp) * decay : inp;
      const d = lowpass ? l0 - inp : l1 - l0;
      let r = ref[i];
      if (l1 - r >= cOn[i]) {
        while (l1 - r >= cOn[i]) {
          r += cOn[i];
          let t = tPrev + crossing(l0, inp, r, d) * frameUs;
          if (t < lastT[i] + p.refractoryUs) t = lastT[i] + p.refractoryUs;
          lastT[i] = t;
          if (t >= 0 && t < durUs) buf = push(buf, x0 + (i % rw), y0 + Math.floor(i / rw), 0, t);
        }
      } else if (r - l1 >= cOff[i]) {
        while (r - l1 >= cOff[i]) {
          r -= cOff[i];
          let t = tPrev + crossing(l0, inp, r, d) * frameUs;
          if (t < lastT[i] + p.refractoryUs) t = lastT[i] + p.refractoryUs;
          lastT[i] = t;
          if (t >= 0 && t < durUs) buf = push(buf, x0 + (i % rw), y0 + Math.floor(i / rw), 1, t);
        }
      }
      ref[i] = r;
      prev[i] = l1;
    }
  }

  // Background noise over the whole sensor (Poisson count, normal approximation for its large mean).
  const mean = p.noiseRate * 128 * 128 * (durUs / 1e6);
  const nNoise = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rng)));
  for (let j = 0; j < nNoise; j++) {
    const pix = Math.floor(rng.next() * 128 * 128);
    buf = push(buf, pix % 128, Math.floor(pix / 128), rng.next() < 0.5 ? 0 : 1, rng.next() * durUs);
  }

  // Sort by time (stable: ties keep generation order) with one numeric key per event.
  const n = buf.n;
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j++) keys[j] = Math.floor(buf.t[j]) * 4194304 + j;
  keys.sort();
  const ev = allocEvents(n);
  for (let j = 0; j < n; j++) {
    const idx = keys[j] % 4194304;
    ev.x[j] = buf.x[idx]; ev.y[j] = buf.y[idx]; ev.bit0[j] = buf.b[idx]; ev.tUs[j] = Math.floor(buf.t[idx]);
  }
  return { events: ev, info: { durationUs: durUs, periodS, offsetPx: off } };
}
