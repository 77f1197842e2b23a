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
import { heatmap } from '../figures/heatmap';
import { meanBandChart } from '../figures/lines';
import { spikeRaster } from '../figures/raster';
import type { SuiteParams } from './suite-params';
import { projectRoot } from './store';
import type { ExperimentFigure, ExperimentOptions, ExperimentResult, MetricRow } from './types';

/** Folder of real digit-0 recordings: the shared 100 files, else the committed fixtures; null if neither. */
export function realDigit0Dir(): string | null {
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

function rasterOf(ev: AedatEvents, title: string, note: string, p: SuiteParams): ExperimentFigure['spec'] {
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
  return spikeRaster({ times, neurons, groups, numNeurons: nIn, timeRange: [-0.5, T - 0.5], markerSize: 3, title, note, xTitle: `time step (${p.data.dtMs} ms)`, yTitle: 'input index bit0 + 2·(x·26 + y)' });
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

/** Real vs emulated digit 0: statistics, discriminator, event images, activity and rasters. */
export async function dataExperiment(p: SuiteParams, _opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'data';
  const realDir = realDigit0Dir();
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
  const figures: ExperimentFigure[] = [];
  let rows: MetricRow[] = [];
  let tables: Record<string, Record<string, unknown>[]> = {};
  let summary: Record<string, unknown> = { realDir: realShown };
  const sampleUs = p.data.sampleMs * 1000;
  const emuNote = `emulated from the first MNIST training 0, seed ${seed}`;
  // the fixtures hold five files only: the comparison needs the shared 100
  const haveAll = realDir !== null && [...heldOut, ...control].every((n) => existsSync(join(realDir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`)));
  if (realDir && haveAll) {
    const rep = calibrationReport(realDir, { heldOut, control, nEmulated, seed, params: p.data.emulator });
    ({ tables, rows, summary } = reportTables(rep, name));
    summary = { realDir: realShown, ...summary };
    const x = Array.from({ length: 80 }, (_, i) => (i + 0.5) * 0.025);
    figures.push({
      name: 'activity-per-bin',
      caption: `Active inputs (of 1352) per 25 ms bin, mean ± 1 sd over recordings: real ${heldOut.length} held-back files vs ${nEmulated} emulated.`,
      spec: meanBandChart({ x, series: [{ name: 'real', values: rep.activity.real }, { name: 'emulated', values: rep.activity.emulated }], title: 'Input activity over time, real vs emulated digit 0', note: emuNote, xTitle: 'time (s)', yTitle: 'active inputs per 25 ms bin', markers: false }),
    });
  }
  if (realDir) {
    const real = readAedat(join(realDir, 'mnist_0_scale04_0001.aedat')).events;
    figures.push(
      { name: 'event-image-real', caption: 'Events per pixel of the 26 × 26 crop in the first 2 s of real recording 0001 (digit 0).', spec: heatmap({ z: eventImage(real, sampleUs), image: true, title: 'Real MNIST-DVS, digit 0 (0001)', note: 'real recording, scale 4, crop 48-73', zTitle: 'events' }), width: 460, height: 460 },
      { name: 'event-image-emulated', caption: 'The same for an emulated recording of the first MNIST training zero.', spec: heatmap({ z: eventImage(emulated, sampleUs), image: true, title: 'Emulated MNIST-DVS, digit 0', note: emuNote, zTitle: 'events' }), width: 460, height: 460 },
      { name: 'raster-real', caption: `Input spikes (${p.data.dtMs} ms bins, 1352 inputs) of real recording 0001.`, spec: rasterOf(real, 'Input raster, real digit 0', 'real recording 0001', p) },
    );
  }
  figures.push({ name: 'raster-emulated', caption: `Input spikes (${p.data.dtMs} ms bins, 1352 inputs) of the emulated recording.`, spec: rasterOf(emulated, 'Input raster, emulated digit 0', emuNote, p) });
  return {
    name,
    title: 'MNIST-DVS: real and emulated',
    params: p,
    dataNote: realDir ? `real recordings from ${realShown} and emulated MNIST-DVS` : 'emulated MNIST-DVS (no real recordings found)',
    rows,
    summary,
    figures,
    claims: [],
    tables,
  };
}
