/**
 * Time-structure statistics of a recording (issue 9): how the input activity varies from bin to bin, the
 * monitor-refresh line of the event rate, event and same-pixel intervals, ON/OFF balance in the crop, hot
 * pixels and the fixed-pattern deviation of a pixel from its neighbours. Definitions are fixed here, before
 * any emulator was tuned on them; all use the SPEC 4.2 crop (48..73) and the first 2 s unless stated.
 */
import type { AedatEvents } from './aedat';

const C0 = 48, C1 = 73, W = 26, T_BINS = 80, BIN_US = 25_000, SAMPLE_US = 2_000_000;

/** Per-recording time statistics. */
export interface TimeStats {
  /** Coefficient of variation (sd / mean) of the active inputs (of 1352) across the 80 bins of 25 ms. */
  activeCv: number;
  /** Fraction of the 80 bins with at most 5 active inputs. */
  quietBins: number;
  /** Share of the variance of the 80-bin active-input series at 11-13 Hz (periodogram, 0.5 Hz steps). */
  band12Share: number;
  /** Share of the variance of the 1 ms event-count series (crop, 2 s) at 70-80 Hz: the 75 Hz refresh. */
  refreshShare: number;
  /** 75th percentile (ms) of same-pixel same-polarity intervals (whole sensor, whole recording). */
  samePixelP75Ms: number;
  /** Median (µs) of the interval between consecutive events (whole sensor, whole recording). */
  eventIntervalMedianUs: number;
  /** ON fraction (bit0 = 0) of the events inside the crop before 2 s. */
  onFractionCrop: number;
  /** Pixels (both polarities together, whole sensor, whole recording) with at least 64 events. */
  pixelsGe64: number;
  /**
   * Fixed-pattern deviation: median over crop pixels with >= 5 events of |c - m| / m, c the pixel's count
   * (both polarities, whole recording) and m the mean count of its 8 neighbours.
   */
  neighbourDeviation: number;
}

/** Active inputs (1352 layout: polarity split) per 25 ms bin over the first 2 s: Float64Array [80]. */
export function activePerBin(ev: AedatEvents): Float64Array {
  const seen = new Uint8Array(T_BINS * W * W * 2);
  const out = new Float64Array(T_BINS);
  for (let i = 0; i < ev.length; i++) {
    const t = ev.tUs[i];
    if (t >= SAMPLE_US) break;
    const x = ev.x[i], y = ev.y[i];
    if (x < C0 || x > C1 || y < C0 || y > C1) continue;
    const b = Math.floor(t / BIN_US);
    const k = b * W * W * 2 + 2 * ((x - C0) * W + (y - C0)) + ev.bit0[i];
    if (!seen[k]) { seen[k] = 1; out[b]++; }
  }
  return out;
}

/** Share of the (mean-removed) variance of `s`, sampled at `hz`, in the band [lo, hi] Hz (periodogram). */
export function bandShare(s: Float64Array, hz: number, lo: number, hi: number): number {
  const n = s.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += s[i];
  mean /= n;
  let total = 0;
  for (let i = 0; i < n; i++) total += (s[i] - mean) ** 2;
  if (total === 0) return 0;
  let band = 0;
  // Parseval: sum over k of |X_k|^2 / n = total; the band counts both the k and n - k halves.
  for (let k = 1; k < n / 2; k++) {
    const f = (k * hz) / n;
    if (f < lo || f > hi) continue;
    let re = 0, im = 0;
    const w = (2 * Math.PI * k) / n;
    for (let i = 0; i < n; i++) { re += (s[i] - mean) * Math.cos(w * i); im -= (s[i] - mean) * Math.sin(w * i); }
    band += (2 * (re * re + im * im)) / n;
  }
  return band / total;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

/** Computes TimeStats of one recording (events sorted by time, µs). */
export function timeStats(ev: AedatEvents): TimeStats {
  const n = ev.length;
  const act = activePerBin(ev);
  let m = 0, quiet = 0;
  for (let b = 0; b < T_BINS; b++) { m += act[b]; if (act[b] <= 5) quiet++; }
  m /= T_BINS;
  let v = 0;
  for (let b = 0; b < T_BINS; b++) v += (act[b] - m) ** 2;
  const rate = new Float64Array(2000);
  const count = new Uint32Array(128 * 128);
  const last = new Float64Array(2 * 128 * 128).fill(-1);
  const same = new Float64Array(n), gaps = new Float64Array(Math.max(0, n - 1));
  let nSame = 0, onC = 0, allC = 0;
  for (let i = 0; i < n; i++) {
    const x = ev.x[i], y = ev.y[i], t = ev.tUs[i];
    count[y * 128 + x]++;
    const k = 2 * (y * 128 + x) + ev.bit0[i];
    if (last[k] >= 0) same[nSame++] = t - last[k];
    last[k] = t;
    if (i > 0) gaps[i - 1] = t - ev.tUs[i - 1];
    if (t < SAMPLE_US && x >= C0 && x <= C1 && y >= C0 && y <= C1) {
      allC++;
      if (ev.bit0[i] === 0) onC++;
      rate[Math.floor(t / 1000)]++;
    }
  }
  const sameS = same.subarray(0, nSame).sort();
  gaps.sort();
  let ge64 = 0;
  for (let i = 0; i < count.length; i++) if (count[i] >= 64) ge64++;
  return {
    activeCv: m > 0 ? Math.sqrt(v / (T_BINS - 1)) / m : 0,
    quietBins: quiet / T_BINS,
    band12Share: bandShare(act, 1e6 / BIN_US, 11, 13),
    refreshShare: bandShare(rate, 1000, 70, 80),
    samePixelP75Ms: percentile(sameS, 0.75) / 1000,
    eventIntervalMedianUs: percentile(gaps, 0.5),
    onFractionCrop: allC ? onC / allC : 0,
    pixelsGe64: ge64,
    neighbourDeviation: neighbourDeviation(count),
  };
}

/** Median |c - m| / m over crop pixels with >= 5 events (m: mean of the 8 neighbours); see TimeStats. */
export function neighbourDeviation(count: Uint32Array): number {
  const d: number[] = [];
  for (let y = C0; y <= C1; y++) for (let x = C0; x <= C1; x++) {
    const c = count[y * 128 + x];
    if (c < 5) continue;
    let s = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (dx || dy) s += count[(y + dy) * 128 + x + dx];
    const mean = s / 8;
    if (mean > 0) d.push(Math.abs(c - mean) / mean);
  }
  d.sort((a, b) => a - b);
  return d.length ? d[Math.floor(d.length / 2)] : 0;
}
