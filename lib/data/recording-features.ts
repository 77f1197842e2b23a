/**
 * Per-recording feature vectors for the real-vs-emulated discriminator (issue 9): the event-count image of
 * the crop, the active inputs per 25 ms bin, and summary statistics. All use the SPEC 4.2 crop and 2 s.
 */
import type { AedatEvents } from './aedat';
import { recordingStats } from './stats';
import { activePerBin, timeStats } from './time-stats';

/** The three feature sets, by name. */
export const FEATURE_SETS = ['event image 26×26×2', 'active inputs per 25 ms bin (80)', 'summary statistics'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

/** Events per input of the 1352 layout (bit0 + 2·(x·26 + y), crop 48..73, t < 2 s): Float64Array [1352]. */
export function eventImageFeatures(ev: AedatEvents): Float64Array {
  const out = new Float64Array(1352);
  for (let i = 0; i < ev.length; i++) {
    if (ev.tUs[i] >= 2_000_000) break;
    const x = ev.x[i] - 48, y = ev.y[i] - 48;
    if (x >= 0 && x < 26 && y >= 0 && y < 26) out[ev.bit0[i] + 2 * (x * 26 + y)]++;
  }
  return out;
}

/** Names of the summary features, in the order of summaryFeatures. */
export const SUMMARY_NAMES = [
  'events', 'durationS', 'onFraction', 'eventsInCropBefore2s', 'active25', 'active10', 'active5', 'pixelsGe5',
  'isiMedianMs', 'farFraction', 'activeCv', 'quietBins', 'band12Share', 'refreshShare', 'samePixelP75Ms',
  'eventIntervalMedianUs', 'onFractionCrop', 'pixelsGe64', 'neighbourDeviation', 'pixelsGe1', 'pixelsGe16',
  'activeSd',
] as const;

/** Counts, intervals, pixel histogram and spread of one recording, SUMMARY_NAMES order. */
export function summaryFeatures(ev: AedatEvents): Float64Array {
  const r = recordingStats(ev), t = timeStats(ev);
  const perPix = new Uint32Array(128 * 128);
  for (let i = 0; i < ev.length; i++) perPix[ev.y[i] * 128 + ev.x[i]]++;
  let ge1 = 0, ge16 = 0;
  for (let i = 0; i < perPix.length; i++) { if (perPix[i] >= 1) ge1++; if (perPix[i] >= 16) ge16++; }
  const act = activePerBin(ev);
  const m = act.reduce((s, v) => s + v, 0) / act.length;
  const sd = Math.sqrt(act.reduce((s, v) => s + (v - m) ** 2, 0) / (act.length - 1));
  const all: Record<string, number> = { ...r, ...t, pixelsGe1: ge1, pixelsGe16: ge16, activeSd: sd };
  return Float64Array.from(SUMMARY_NAMES, (k) => all[k]);
}

/** The three feature vectors of one recording, in FEATURE_SETS order. */
export function recordingFeatures(ev: AedatEvents): Float64Array[] {
  return [eventImageFeatures(ev), activePerBin(ev), summaryFeatures(ev)];
}
