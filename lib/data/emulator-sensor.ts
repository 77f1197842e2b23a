/**
 * The emulator's sensor: per-pixel thresholds, the change detector that turns the rendered log intensity
 * of each display frame into ON/OFF events (crossings timed within the frame, threshold jitter,
 * refractory period), the background noise, and the final time order. `emulator.ts` composes them.
 */
import { makeRng, type Rng } from '../util/rng';
import { allocEvents, type AedatEvents } from './aedat';
import type { EmulatorParams } from './emulator';

/** Standard normal draw (Box-Muller) from `rng`: two uniform draws. */
export function gauss(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** The rectangle of the sensor a recording can reach: origin (x0, y0), width rw, height rh, nPix = rw * rh. */
export interface SensorRegion {
  x0: number;
  y0: number;
  rw: number;
  rh: number;
  nPix: number;
}

/**
 * ON and OFF thresholds of each pixel of the region (log-intensity units, [nPix]): the sensor's mismatch
 * `th` [128 * 128], the ON/OFF asymmetry and the fitted fixed-pattern gains `fp`.
 */
export function pixelThresholds(reg: SensorRegion, th: Float32Array, fp: { on: Float32Array | Float64Array; off: Float32Array | Float64Array }, p: EmulatorParams) {
  const cOn = new Float32Array(reg.nPix), cOff = new Float32Array(reg.nPix);
  for (let yy = 0; yy < reg.rh; yy++) for (let xx = 0; xx < reg.rw; xx++) {
    const k = (reg.y0 + yy) * 128 + reg.x0 + xx;
    cOn[yy * reg.rw + xx] = (th[k] * (1 - p.onOffAsymmetry)) / fp.on[k] ** p.patternStrength;
    cOff[yy * reg.rw + xx] = (th[k] * (1 + p.onOffAsymmetry)) / fp.off[k] ** p.patternStrength;
  }
  return { cOn, cOff };
}

/** Cumulative per-pixel noise weights of "the" sensor (lognormal rates, mean 1): Float64Array [128 * 128]. */
const noiseCache = new Map<string, Float64Array>();
function noiseCdf(seed: string, sd: number): Float64Array {
  const key = `${seed}|${sd}`;
  let cdf = noiseCache.get(key);
  if (!cdf) {
    const rng = makeRng(seed, 'sensor-noise');
    cdf = new Float64Array(128 * 128);
    let acc = 0;
    for (let i = 0; i < cdf.length; i++) cdf[i] = acc += Math.exp(sd * gauss(rng));
    for (let i = 0; i < cdf.length; i++) cdf[i] /= acc;
    noiseCache.set(key, cdf);
  }
  return cdf;
}

/** Index of the first entry of the increasing `cdf` that is > u (u in [0, 1)). */
function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
  return lo;
}

/** Growable event buffer (times in µs as floats until sorted). */
export interface EventBuf { x: Uint8Array; y: Uint8Array; b: Uint8Array; t: Float64Array; n: number }
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

/**
 * Fraction of a frame at which the log intensity, going from l0 towards the frame's input `inp`
 * (d = l0 - inp with the photoreceptor low-pass, l1 - l0 without), crosses `level`.
 */
function crossingTimer(p: EmulatorParams): (l0: number, inp: number, level: number, d: number) => number {
  const frameUs = 1e6 / p.frameHz;
  // Within-frame density falling linearly from m to 1 (m = frameModulation); inverse CDF of that ramp.
  const m = p.frameModulation;
  const warp = m === 1 ? (u: number) => u : (u: number) => {
    const a = (1 - m) / 2, b = m; // density ∝ m + (1-m)u, CDF ∝ b u + a u², total a + b
    const target = u * (a + b);
    return (-b + Math.sqrt(b * b + 4 * a * target)) / (2 * a);
  };
  const tauFrames = p.tauUs / frameUs;
  if (p.tauUs > 0) {
    return (_l0, inp, level, d) => {
      // l(u) = inp + (l0 - inp) e^{-u/tau}: solve l(u) = level (d = l0 - inp).
      const q = (level - inp) / d;
      return q > 0 ? Math.min(1, Math.max(0, -tauFrames * Math.log(q))) : 1;
    };
  }
  return (l0, _inp, level, d) => warp(d !== 0 ? Math.min(1, Math.max(0, (level - l0) / d)) : 1);
}

/**
 * The change detector over frames kStart..kEnd: each pixel's (low-passed) log intensity against its
 * reference level; every threshold step is an event at its crossing time (µs), kept if in [0, durUs).
 * Draws from `rng`: the first threshold of each pixel and polarity, the reset phases, then one jitter
 * per event.
 */
export function detectEvents(
  render: (k: number, out: Float32Array) => void,
  reg: SensorRegion,
  { cOn, cOff }: { cOn: Float32Array; cOff: Float32Array },
  p: EmulatorParams,
  rng: Rng,
  kStart: number,
  kEnd: number,
  durUs: number,
): EventBuf {
  const { nPix, rw, x0, y0 } = reg;
  const frameUs = 1e6 / p.frameHz;
  const ref = new Float32Array(nPix);
  const prev = new Float32Array(nPix);
  const cur = new Float32Array(nPix);
  const lastT = new Float64Array(nPix).fill(-1e12);
  // Next threshold of each pixel and polarity, redrawn after every event (thresholdNoise).
  const jitter = p.thresholdNoise > 0 ? () => Math.max(0.3, 1 + p.thresholdNoise * gauss(rng)) : () => 1;
  const nOn = cOn.map((c) => c * jitter()), nOff = cOff.map((c) => c * jitter());
  const crossing = crossingTimer(p);
  const lowpass = p.tauUs > 0;
  const decay = lowpass ? Math.exp(-1 / (p.tauUs / frameUs)) : 0;
  let buf: EventBuf = { x: new Uint8Array(32768), y: new Uint8Array(32768), b: new Uint8Array(32768), t: new Float64Array(32768), n: 0 };
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
      if (l1 - r >= nOn[i]) {
        while (l1 - r >= nOn[i]) {
          r += nOn[i];
          nOn[i] = cOn[i] * jitter();
          let t = tPrev + crossing(l0, inp, r, d) * frameUs;
          if (t < lastT[i] + p.refractoryUs) t = lastT[i] + p.refractoryUs;
          lastT[i] = t;
          if (t >= 0 && t < durUs) buf = push(buf, x0 + (i % rw), y0 + Math.floor(i / rw), 0, t);
        }
      } else if (r - l1 >= nOff[i]) {
        while (r - l1 >= nOff[i]) {
          r -= nOff[i];
          nOff[i] = cOff[i] * jitter();
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
  return buf;
}

/** Background noise over the whole sensor (Poisson count, normal approximation for its large mean). */
export function addBackgroundNoise(buf: EventBuf, seed: string, p: EmulatorParams, rng: Rng, durUs: number): EventBuf {
  const mean = p.noiseRate * 128 * 128 * (durUs / 1e6);
  const nNoise = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rng)));
  const cdf = p.noisePixelSd > 0 ? noiseCdf(seed, p.noisePixelSd) : null;
  for (let j = 0; j < nNoise; j++) {
    const pix = cdf ? searchCdf(cdf, rng.next()) : Math.floor(rng.next() * 128 * 128);
    buf = push(buf, pix % 128, Math.floor(pix / 128), rng.next() < p.noiseOnFraction ? 0 : 1, rng.next() * durUs);
  }
  return buf;
}

/**
 * The buffered events sorted by time (µs, floored; ties keep generation order), with every event that
 * falls within its pixel's refractory period after the previous kept one dropped (noise included).
 */
export function timeOrdered(buf: EventBuf, refractoryUs: number): AedatEvents {
  const n = buf.n;
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j++) keys[j] = Math.floor(buf.t[j]) * 4194304 + j;
  keys.sort();
  const lastPix = new Float64Array(128 * 128).fill(-1e12);
  let kept = 0;
  for (let j = 0; j < n; j++) {
    const idx = keys[j] % 4194304;
    const pix = buf.y[idx] * 128 + buf.x[idx];
    const t = Math.floor(buf.t[idx]);
    if (t < lastPix[pix] + refractoryUs) continue;
    lastPix[pix] = t;
    keys[kept++] = idx;
  }
  const ev = allocEvents(kept);
  for (let j = 0; j < kept; j++) {
    const idx = keys[j];
    ev.x[j] = buf.x[idx]; ev.y[j] = buf.y[idx]; ev.bit0[j] = buf.b[idx]; ev.tUs[j] = Math.floor(buf.t[idx]);
  }
  return ev;
}
