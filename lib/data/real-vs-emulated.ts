/**
 * Real vs emulated digit 0: the statistics of SPEC 4.1/4.3 on real recordings (a folder of
 * `mnist_0_scale04_NNNN.aedat`) and on emulated recordings of MNIST training zeros, side by side.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat } from './aedat';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from './emulator';
import { loadMnist, mnistImage } from './mnist';
import { recordingStats, summarizeStats, centroidTrajectory, type RecordingStats } from './stats';

/** One row of the comparison: real and emulated mean ± sd, and the relative difference of the means. */
export interface CalibrationRow {
  stat: keyof RecordingStats;
  real: { mean: number; sd: number };
  emulated: { mean: number; sd: number };
  relDiff: number;
}

/** Result of calibrationReport. */
export interface CalibrationReport {
  realFiles: number;
  emulatedFiles: number;
  seed: string;
  rows: CalibrationRow[];
  /** RMS distance (px) between the real and emulated mean centroid trajectories (50 ms bins, 0-2 s). */
  trajectoryRmsPx: number;
  /** Seconds spent emulating, and recordings per second. */
  emulateSeconds: number;
}

/** Mean centroid trajectory [T][x, y] over recordings. */
function meanTrajectory(all: Float64Array[][]): [number, number][] {
  const T = all[0].length;
  const out: [number, number][] = [];
  for (let b = 0; b < T; b++) {
    let sx = 0, sy = 0, n = 0;
    for (const tr of all) if (tr[b][3] > 0) { sx += tr[b][1]; sy += tr[b][2]; n++; }
    out.push([sx / n, sy / n]);
  }
  return out;
}

/**
 * Reads up to `nReal` real recordings from `realDir` and emulates `nEmulated` digit-0 recordings from the
 * first MNIST training zeros with `seed` and `params`; returns the comparison.
 */
export function calibrationReport(
  realDir: string,
  opts: { nReal?: number; nEmulated?: number; seed?: string; params?: EmulatorParams } = {},
): CalibrationReport {
  const { nReal = 100, nEmulated = 100, seed = 'gem-snn', params = DEFAULT_EMULATOR } = opts;
  const names = fs.readdirSync(realDir).filter((f) => /^mnist_0_scale04_\d{4}\.aedat$/.test(f)).sort().slice(0, nReal);
  if (names.length === 0) throw new Error(`calibrationReport: ${realDir}: no mnist_0_scale04_NNNN.aedat files`);
  const real: RecordingStats[] = [];
  const realTr: Float64Array[][] = [];
  for (const f of names) {
    const ev = readAedat(path.join(realDir, f)).events;
    real.push(recordingStats(ev));
    realTr.push(centroidTrajectory(ev, 50_000, 40));
  }
  const mnist = loadMnist('train');
  const emu: RecordingStats[] = [];
  const emuTr: Float64Array[][] = [];
  const t0 = Date.now();
  for (let n = 1; n <= nEmulated; n++) {
    const img = mnistImage(mnist, mnist.byDigit[0][n - 1]);
    const { events } = emulateRecording(img, seed, `0/${n}`, params);
    emu.push(recordingStats(events));
    emuTr.push(centroidTrajectory(events, 50_000, 40));
  }
  const emulateSeconds = (Date.now() - t0) / 1000;
  const r = summarizeStats(real), e = summarizeStats(emu);
  const rows = (Object.keys(r) as (keyof RecordingStats)[]).map((stat) => ({
    stat,
    real: r[stat],
    emulated: e[stat],
    relDiff: (e[stat].mean - r[stat].mean) / r[stat].mean,
  }));
  const a = meanTrajectory(realTr), b = meanTrajectory(emuTr);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i][0] - b[i][0]) ** 2 + (a[i][1] - b[i][1]) ** 2;
  return { realFiles: names.length, emulatedFiles: nEmulated, seed, rows, trajectoryRmsPx: Math.sqrt(s / a.length), emulateSeconds };
}

/** Formats a CalibrationReport as a Markdown table. */
export function calibrationTable(rep: CalibrationReport): string {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4));
  const lines = [
    `| statistic | real (${rep.realFiles} files) mean ± sd | emulated (${rep.emulatedFiles}) mean ± sd | difference of means |`,
    '| --- | --- | --- | --- |',
    ...rep.rows.map((r) => `| ${r.stat} | ${fmt(r.real.mean)} ± ${fmt(r.real.sd)} | ${fmt(r.emulated.mean)} ± ${fmt(r.emulated.sd)} | ${(100 * r.relDiff).toFixed(1)} % |`),
  ];
  return lines.join('\n');
}
