/**
 * Real vs emulated digit 0 (issue 9): every statistic of SPEC 4.1/4.3 and of the time structure, real
 * (mean ± sd over recordings) next to emulated, and how well a cross-validated logistic regression tells the
 * two apart on three feature sets, with a real-vs-real control. The real files are split by number: the
 * emulator's fitted parts (the fixed-pattern map) come from 0001-0050, the comparison uses 0051-0100, and
 * the control sets 0001-0050 against 0051-0100.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat, type AedatEvents } from './aedat';
import { crossValidatedAuc, type AucResult } from './discriminator';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from './emulator';
import { loadMnist, mnistImage } from './mnist';
import { FEATURE_SETS, recordingFeatures } from './recording-features';
import { recordingStats, centroidTrajectory } from './stats';
import { timeStats } from './time-stats';

/** Real files the emulator was fitted on (0001-0050) and those held back for the comparison (0051-0100). */
export const FIT_FILES = Array.from({ length: 50 }, (_, i) => i + 1);
export const HELD_OUT_FILES = Array.from({ length: 50 }, (_, i) => i + 51);

/** Readable name of every statistic of the report, in table order. */
export const STAT_LABELS: Record<string, string> = {
  events: 'events per recording',
  durationS: 'duration (s)',
  onFraction: 'ON fraction',
  eventsInCropBefore2s: 'events inside the crop before 2 s',
  active25: 'active fraction per 25 ms bin (1352 inputs)',
  active10: 'active fraction per 10 ms bin',
  active5: 'active fraction per 5 ms bin',
  pixelsGe5: 'pixels with >= 5 events',
  isiMedianMs: 'same-pixel same-polarity interval, median (ms)',
  farFraction: 'fraction of events > 20 px from the centroid',
  activeCv: 'CV of active inputs across the 80 bins',
  quietBins: '25 ms bins with <= 5 active inputs',
  band12Share: 'share of the per-bin variance at 11-13 Hz',
  refreshShare: 'event-rate variance share at 70-80 Hz (refresh)',
  samePixelP75Ms: 'same-pixel same-polarity interval, 75th percentile (ms)',
  eventIntervalMedianUs: 'interval between consecutive events, median (µs)',
  onFractionCrop: 'ON fraction inside the crop',
  pixelsGe64: 'pixels with >= 64 events',
  neighbourDeviation: 'pixel count deviation from its 8 neighbours, median',
};

/** One row of the statistics table. */
export interface CalibrationRow {
  stat: string;
  real: { mean: number; sd: number };
  emulated: { mean: number; sd: number };
  /** (emulated - real) / real of the means. */
  relDiff: number;
}

/** One row of the discriminator table: AUC ± sd over folds. */
export interface AucRow {
  features: string;
  realVsEmulated: AucResult;
  /** Real files FIT_FILES-like control set vs the held-out real files; null without control files. */
  realVsReal: AucResult | null;
}

/** Result of calibrationReport. */
export interface CalibrationReport {
  realFiles: number[];
  controlFiles: number[];
  emulatedFiles: number;
  seed: string;
  rows: CalibrationRow[];
  auc: AucRow[];
  /** RMS distance (px) between the real and emulated mean centroid trajectories (50 ms bins, 0-2 s). */
  trajectoryRmsPx: number;
  /** Seconds spent emulating. */
  emulateSeconds: number;
  /** Active inputs per 25 ms bin of every recording ([recording][80]): held-out real and emulated. */
  activity: { real: number[][]; emulated: number[][] };
}

/** What the report keeps of one set of recordings. */
interface SetData {
  stats: Record<string, number>[];
  features: Float64Array[][];
  traj: Float64Array[][];
}

function addRecording(set: SetData, ev: AedatEvents): void {
  set.stats.push({ ...recordingStats(ev), ...timeStats(ev) });
  set.features.push(recordingFeatures(ev));
  set.traj.push(centroidTrajectory(ev, 50_000, 40));
}

function readReal(dir: string, files: number[]): SetData {
  const set: SetData = { stats: [], features: [], traj: [] };
  for (const n of files) {
    const f = path.join(dir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`);
    if (!fs.existsSync(f)) throw new Error(`calibrationReport: ${f} not found (real files ${files[0]}-${files[files.length - 1]} are needed)`);
    addRecording(set, readAedat(f).events);
  }
  return set;
}

function meanSd(v: number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1)) };
}

/** RMS distance (px) between the two sets' mean centroid trajectories. */
function trajectoryRms(a: Float64Array[][], b: Float64Array[][]): number {
  const mean = (all: Float64Array[][], bin: number, c: number): number => {
    const v = all.filter((tr) => tr[bin][3] > 0).map((tr) => tr[bin][c]);
    return v.reduce((s, x) => s + x, 0) / v.length;
  };
  let s = 0;
  const T = a[0].length;
  for (let t = 0; t < T; t++) s += (mean(a, t, 1) - mean(b, t, 1)) ** 2 + (mean(a, t, 2) - mean(b, t, 2)) ** 2;
  return Math.sqrt(s / T);
}

/**
 * Compares the real digit-0 recordings `heldOut` (default 0051-0100) of `realDir` with `nEmulated`
 * emulated recordings of the first MNIST training zeros (seed, params), and runs the discriminator on
 * both, plus the control `control` (default 0001-0050) vs `heldOut`.
 */
export function calibrationReport(
  realDir: string,
  opts: { heldOut?: number[]; control?: number[]; nEmulated?: number; seed?: string; params?: EmulatorParams; folds?: number } = {},
): CalibrationReport {
  const { heldOut = HELD_OUT_FILES, control = FIT_FILES, nEmulated = 100, seed = 'gem-snn', params = DEFAULT_EMULATOR, folds = 5 } = opts;
  if (heldOut.length < folds) throw new Error(`calibrationReport: ${heldOut.length} held-out real files; need at least folds = ${folds}`);
  const real = readReal(realDir, heldOut);
  const ctrl = control.length >= folds ? readReal(realDir, control) : null;
  const mnist = loadMnist('train');
  const emu: SetData = { stats: [], features: [], traj: [] };
  const t0 = Date.now();
  for (let n = 1; n <= nEmulated; n++) addRecording(emu, emulateRecording(mnistImage(mnist, mnist.byDigit[0][n - 1]), seed, `0/${n}`, params).events);
  const emulateSeconds = (Date.now() - t0) / 1000;
  const rows = Object.keys(STAT_LABELS).map((stat) => {
    const r = meanSd(real.stats.map((s) => s[stat])), e = meanSd(emu.stats.map((s) => s[stat]));
    return { stat, real: r, emulated: e, relDiff: (e.mean - r.mean) / r.mean };
  });
  // Fewer recordings than folds (a quick look): statistics only, no discriminator.
  const auc = nEmulated < folds ? [] : FEATURE_SETS.map((features, k) => ({
    features,
    realVsEmulated: crossValidatedAuc(real.features.map((f) => f[k]), emu.features.map((f) => f[k]), { folds, seed: `real-vs-emulated/${k}` }),
    realVsReal: ctrl ? crossValidatedAuc(ctrl.features.map((f) => f[k]), real.features.map((f) => f[k]), { folds, seed: `real-vs-real/${k}` }) : null,
  }));
  return {
    realFiles: heldOut, controlFiles: ctrl ? control : [], emulatedFiles: nEmulated, seed, rows, auc,
    trajectoryRmsPx: trajectoryRms(real.traj, emu.traj), emulateSeconds,
    activity: { real: real.features.map((f) => Array.from(f[1])), emulated: emu.features.map((f) => Array.from(f[1])) },
  };
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4));
const span = (f: number[]): string => (f.length ? `${String(f[0]).padStart(4, '0')}-${String(f[f.length - 1]).padStart(4, '0')}` : 'none');

/** Difference column: relative in %, or absolute where the real mean is near zero or a fraction near 0.5. */
export function differenceText(r: CalibrationRow): string {
  if (Math.abs(r.real.mean) < 1e-3 || r.stat.startsWith('onFraction')) return `${r.emulated.mean - r.real.mean >= 0 ? '+' : ''}${(r.emulated.mean - r.real.mean).toFixed(4)} (abs.)`;
  return `${(100 * r.relDiff).toFixed(1)} %`;
}

/** The statistics table (Markdown). */
export function calibrationTable(rep: CalibrationReport): string {
  return [
    `| statistic | real ${span(rep.realFiles)} (${rep.realFiles.length}) mean ± sd | emulated (${rep.emulatedFiles}) mean ± sd | difference |`,
    '| --- | --- | --- | --- |',
    ...rep.rows.map((r) => `| ${STAT_LABELS[r.stat]} | ${fmt(r.real.mean)} ± ${fmt(r.real.sd)} | ${fmt(r.emulated.mean)} ± ${fmt(r.emulated.sd)} | ${differenceText(r)} |`),
  ].join('\n');
}

/** The discriminator table (Markdown): AUC ± sd over folds. */
export function aucTable(rep: CalibrationReport): string {
  if (rep.auc.length === 0) return `(discriminator skipped: ${rep.emulatedFiles} emulated recordings, fewer than the folds)`;
  const a = (r: AucResult | null): string => (r ? `${r.mean.toFixed(2)} ± ${r.sd.toFixed(2)}` : 'n/a');
  return [
    `| features per recording | AUC real ${span(rep.realFiles)} vs emulated (${rep.emulatedFiles}) | AUC real ${span(rep.controlFiles)} vs real ${span(rep.realFiles)} |`,
    '| --- | --- | --- |',
    ...rep.auc.map((r) => `| ${r.features} | ${a(r.realVsEmulated)} | ${a(r.realVsReal)} |`),
  ].join('\n');
}
