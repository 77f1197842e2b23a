/**
 * Statistics of a set of recordings, the ones the emulator is calibrated on (SPEC 4.1, 4.3) and that
 * `../shared/mnist-dvs/stats-real-digit0-0001-0100.json` holds for the real digit-0 files.
 */
import type { AedatEvents } from './aedat';
import { binEvents, DEFAULT_PREPROCESS, type PreprocessParams } from './preprocess';
import { meanSd } from '../util/math';

/** Per-recording numbers. */
export interface RecordingStats {
  events: number;
  durationS: number;
  onFraction: number;
  eventsInCropBefore2s: number;
  /** Fraction of the 1352 inputs active per bin, averaged over the bins (25, 10, 5 ms). */
  active25: number;
  active10: number;
  active5: number;
  /** Pixels (either polarity) with at least 5 events. */
  pixelsGe5: number;
  /** Median same-pixel same-polarity inter-event interval (ms). */
  isiMedianMs: number;
  /** Fraction of events farther than 20 px from the recording's event centroid. */
  farFraction: number;
}

function activeFraction(ev: AedatEvents, dtUs: number): number {
  const p: PreprocessParams = { ...DEFAULT_PREPROCESS, dtUs };
  const { spikes } = binEvents(ev, p);
  let s = 0;
  for (let i = 0; i < spikes.length; i++) s += spikes[i];
  return s / spikes.length;
}

/** Computes RecordingStats of one recording's events. */
export function recordingStats(ev: AedatEvents): RecordingStats {
  const n = ev.length;
  let on = 0, inCrop = 0, sx = 0, sy = 0;
  const perPix = new Uint32Array(128 * 128);
  const last = new Float64Array(2 * 128 * 128).fill(-1);
  const isis: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = ev.x[i], y = ev.y[i], b = ev.bit0[i], t = ev.tUs[i];
    if (b === 0) on++;
    if (x >= 48 && x <= 73 && y >= 48 && y <= 73 && t < 2e6) inCrop++;
    sx += x; sy += y;
    perPix[y * 128 + x]++;
    const k = 2 * (y * 128 + x) + b;
    if (last[k] >= 0) isis.push(t - last[k]);
    last[k] = t;
  }
  const cx = sx / Math.max(1, n), cy = sy / Math.max(1, n);
  let far = 0;
  for (let i = 0; i < n; i++) if ((ev.x[i] - cx) ** 2 + (ev.y[i] - cy) ** 2 > 400) far++;
  let ge5 = 0;
  for (let i = 0; i < perPix.length; i++) if (perPix[i] >= 5) ge5++;
  isis.sort((a, b) => a - b);
  return {
    events: n,
    durationS: n ? ev.tUs[n - 1] / 1e6 : 0,
    onFraction: n ? on / n : 0,
    eventsInCropBefore2s: inCrop,
    active25: activeFraction(ev, 25_000),
    active10: activeFraction(ev, 10_000),
    active5: activeFraction(ev, 5_000),
    pixelsGe5: ge5,
    isiMedianMs: isis.length ? isis[Math.floor(isis.length / 2)] / 1000 : 0,
    farFraction: n ? far / n : 0,
  };
}

/** Mean and standard deviation of each field over recordings. */
export function summarizeStats(all: RecordingStats[]): Record<keyof RecordingStats, { mean: number; sd: number }> {
  const out = {} as Record<keyof RecordingStats, { mean: number; sd: number }>;
  if (all.length === 0) return out;
  for (const k of Object.keys(all[0]) as (keyof RecordingStats)[]) {
    out[k] = meanSd(all.map((s) => s[k]));
  }
  return out;
}

/**
 * Event centroid every `binUs` (sensor coordinates) and events per bin: [t_s, cx, cy, count] rows,
 * over `T` bins (NaN where a bin is empty).
 */
export function centroidTrajectory(ev: AedatEvents, binUs: number, T: number): Float64Array[] {
  const sx = new Float64Array(T), sy = new Float64Array(T), c = new Float64Array(T);
  for (let i = 0; i < ev.length; i++) {
    const b = Math.floor(ev.tUs[i] / binUs);
    if (b >= T) break;
    // Background noise far from the digit would pull the centroid; count the central 64 x 64 only.
    if (ev.x[i] < 32 || ev.x[i] > 95 || ev.y[i] < 32 || ev.y[i] > 95) continue;
    sx[b] += ev.x[i]; sy[b] += ev.y[i]; c[b]++;
  }
  const rows: Float64Array[] = [];
  for (let b = 0; b < T; b++) rows.push(Float64Array.from([(b * binUs) / 1e6, sx[b] / c[b], sy[b] / c[b], c[b]]));
  return rows;
}
