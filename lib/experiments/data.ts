/**
 * SPEC 5.1 item 1: the data. Real and emulated digit 0 side by side (event images and input rasters)
 * and the statistics table the emulator was calibrated on. Real recordings come from
 * ../shared/mnist-dvs/real-digit0 when present, else the five committed fixtures in test/fixtures/.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readAedat, AedatEvents } from '../data/aedat';
import { calibrationReport, differenceText, FIT_FILES, HELD_OUT_FILES, STAT_LABELS, type CalibrationReport } from '../data/real-vs-emulated';
import { emulateRecording } from '../data/emulator';
import { loadMnist, mnistImage } from '../data/mnist';
import { binEvents, DEFAULT_PREPROCESS } from '../data/preprocess';
import type { SuiteParams } from './profiles';
import { projectRoot } from './store';
import type { ExperimentOptions, ExperimentRows, MetricRow } from './types';

/**
 * Folder of real digit-0 recordings: `explicit` when given (it must hold mnist_0_scale04_0001.aedat),
 * else ../shared/mnist-dvs/real-digit0 beside the checkout, else the committed fixtures; null if neither.
 */
export function realDigit0Dir(explicit?: string): string | null {
  if (explicit !== undefined) {
    if (!existsSync(join(explicit, 'mnist_0_scale04_0001.aedat'))) throw new Error(`realDir = ${explicit}: no mnist_0_scale04_0001.aedat there; expected a folder of real digit-0 recordings`);
    return explicit;
  }
  const root = projectRoot();
  for (const d of [join(root, '..', 'shared', 'mnist-dvs', 'real-digit0'), join(root, 'test', 'fixtures', 'mnist-dvs')]) {
    if (existsSync(join(d, 'mnist_0_scale04_0001.aedat'))) return d;
  }
  return null;
}

/** Event counts per pixel of the 26 × 26 crop (ON + OFF), [26][26] with row = y − 48, col = x − 48. */
function eventImage(ev: AedatEvents, sampleUs: number): number[][] {
  const img = Array.from({ length: 26 }, () => new Array<number>(26).fill(0));
  for (let i = 0; i < ev.length; i++) {
    if (ev.tUs[i] >= sampleUs) break;
    const x = ev.x[i] - 48;
    const y = ev.y[i] - 48;
    if (x >= 0 && x < 26 && y >= 0 && y < 26) img[25 - y][x]++; // y up in sensor coordinates: flip for display
  }
  return img;
}

/** Input spikes of a recording as raster points: time step, input index, ON/OFF group. */
export interface InputRaster {
  times: number[];
  neurons: number[];
  groups: string[];
  /** Inputs (1352) and time steps of the binned example. */
  nIn: number;
  T: number;
}

/** What the data figures show besides metrics: event images and input rasters (absent when no real recording). */
export type DataPlotData = {
  eventImageReal?: number[][];
  eventImageEmulated: number[][];
  rasterReal?: InputRaster;
  rasterEmulated: InputRaster;
  /** How the emulated recording was made ("emulated from the first MNIST training 0, seed 1"). */
  emulatedNote: string;
  /** Active inputs per 25 ms bin (mean and sd over recordings), when the shared real recordings are present. */
  activity?: { real: CalibrationReport['activity']['real']; emulated: CalibrationReport['activity']['emulated']; nReal: number; nEmulated: number };
};

function inputRaster(ev: AedatEvents, p: SuiteParams): InputRaster {
  const pre = { ...DEFAULT_PREPROCESS, dtUs: p.data.dtMs * 1000, sampleUs: p.data.sampleMs * 1000 };
  const { spikes, T, nIn } = binEvents(ev, pre);
  const times: number[] = [];
  const neurons: number[] = [];
  const groups: string[] = [];
  for (let t = 0; t < T; t++) for (let j = 0; j < nIn; j++) if (spikes[t * nIn + j]) {
    times.push(t);
    neurons.push(j);
    groups.push(j % 2 === 0 ? 'ON' : 'OFF');
  }
  return { times, neurons, groups, nIn, T };
}

/** Tables, metric rows and summary of a calibration report. */
function reportTables(rep: CalibrationReport, name: string): { tables: Record<string, Record<string, unknown>[]>; rows: MetricRow[]; summary: Record<string, unknown> } {
  const ms = (v: { mean: number; sd: number }) => `${v.mean.toPrecision(4)} ± ${v.sd.toPrecision(2)}`;
  const span = (f: number[]) => (f.length ? `${String(f[0]).padStart(4, '0')}-${String(f[f.length - 1]).padStart(4, '0')}` : 'none');
  const stats = rep.rows.map((r) => ({ statistic: STAT_LABELS[r.stat], real: ms(r.real), emulated: ms(r.emulated), difference: differenceText(r) }));
  const aucRows = rep.auc.map((a) => ({
    features: a.features,
    'AUC real vs emulated': `${a.realVsEmulated.mean.toFixed(2)} ± ${a.realVsEmulated.sd.toFixed(2)}`,
    'AUC real vs real (control)': a.realVsReal ? `${a.realVsReal.mean.toFixed(2)} ± ${a.realVsReal.sd.toFixed(2)}` : 'n/a',
  }));
  const rows: MetricRow[] = [];
  for (const r of rep.rows) {
    rows.push({ experiment: name, metric: `${r.stat}_real_mean`, value: r.real.mean });
    rows.push({ experiment: name, metric: `${r.stat}_emulated_mean`, value: r.emulated.mean });
  }
  rep.auc.forEach((a, k) => {
    rows.push({ experiment: name, metric: `auc_real_vs_emulated_${k}`, value: a.realVsEmulated.mean });
    if (a.realVsReal) rows.push({ experiment: name, metric: `auc_real_vs_real_${k}`, value: a.realVsReal.mean });
  });
  const who = `real ${span(rep.realFiles)} vs ${rep.emulatedFiles} emulated`;
  return {
    tables: {
      [`statistics, ${who} (mean ± sd over recordings)`]: stats,
      [`discriminator: 5-fold logistic regression, AUC ± sd over folds; control real ${span(rep.controlFiles)} vs ${span(rep.realFiles)}`]: aucRows,
    },
    rows,
    summary: { realFiles: rep.realFiles, controlFiles: rep.controlFiles, emulatedFiles: rep.emulatedFiles, trajectoryRmsPx: rep.trajectoryRmsPx, rows: rep.rows, auc: rep.auc },
  };
}

/**
 * Real vs emulated digit 0: rows are the statistics of the calibration report (real and emulated means)
 * and the discriminator's AUCs; plotData holds the input activity per bin and the event images and input
 * rasters of one real and one emulated recording.
 */
export async function dataExperiment(p: SuiteParams, opts: ExperimentOptions = {}): Promise<ExperimentRows> {
  const name = 'data';
  const realDir = realDigit0Dir(opts.realDir);
  // shown relative to the project, so results do not carry this machine's paths
  const realShown = realDir ? relative(projectRoot(), realDir) : null;
  // smoke: 10 + 10 real files and 10 emulated (2 per fold); otherwise the held-back half, the control half, 100 emulated
  const smoke = p.profile === 'smoke';
  const heldOut = smoke ? HELD_OUT_FILES.slice(0, 10) : HELD_OUT_FILES;
  const control = smoke ? FIT_FILES.slice(0, 10) : FIT_FILES;
  const nEmulated = smoke ? 10 : 100;
  const seed = String(p.data.emulatorSeed);
  const mnist = loadMnist('train');
  const emulated = emulateRecording(mnistImage(mnist, mnist.byDigit[0][0]), seed, '0/1', p.data.emulator).events;
  let rows: MetricRow[] = [];
  let tables: Record<string, Record<string, unknown>[]> = {};
  let summary: Record<string, unknown> = { realDir: realShown };
  const sampleUs = p.data.sampleMs * 1000;
  const plotData: DataPlotData = { eventImageEmulated: eventImage(emulated, sampleUs), rasterEmulated: inputRaster(emulated, p), emulatedNote: `emulated from the first MNIST training 0, seed ${seed}` };
  // the fixtures hold five files only: the comparison needs the shared 100
  const haveAll = realDir !== null && [...heldOut, ...control].every((n) => existsSync(join(realDir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`)));
  if (realDir && haveAll) {
    const rep = calibrationReport(realDir, { heldOut, control, nEmulated, seed, params: p.data.emulator });
    ({ tables, rows, summary } = reportTables(rep, name));
    summary = { realDir: realShown, ...summary };
    plotData.activity = { real: rep.activity.real, emulated: rep.activity.emulated, nReal: heldOut.length, nEmulated };
  }
  if (realDir) {
    const real = readAedat(join(realDir, 'mnist_0_scale04_0001.aedat')).events;
    plotData.eventImageReal = eventImage(real, sampleUs);
    plotData.rasterReal = inputRaster(real, p);
  }
  return {
    name,
    title: 'MNIST-DVS: real and emulated',
    params: p,
    dataNote: realDir ? `real recordings from ${realShown} and emulated MNIST-DVS` : 'emulated MNIST-DVS (no real recordings found)',
    rows,
    summary,
    claims: [],
    tables,
    plotData,
  };
}
