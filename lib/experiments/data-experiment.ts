/**
 * SPEC 5.1 item 1: the data. Real and emulated digit 0 side by side (event images and input rasters)
 * and the statistics table the emulator was calibrated on. Real recordings come from
 * ../shared/mnist-dvs/real-digit0 when present, else the five committed fixtures in test/fixtures/.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readAedat, AedatEvents } from '../data/aedat';
import { calibrationReport } from '../data/real-vs-emulated';
import { emulateRecording } from '../data/emulator';
import { loadMnist, mnistImage } from '../data/mnist';
import { binEvents, DEFAULT_PREPROCESS } from '../data/preprocess';
import { heatmap } from '../figures/heatmap';
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

/** Real vs emulated digit 0: statistics, event images and rasters. */
export async function dataExperiment(p: SuiteParams, _opts: ExperimentOptions = {}): Promise<ExperimentResult> {
  const name = 'data';
  const realDir = realDigit0Dir();
  // shown relative to the project, so results do not carry this machine's paths
  const realShown = realDir ? relative(projectRoot(), realDir) : null;
  const nFiles = p.profile === 'smoke' ? 3 : 100;
  const seed = String(p.data.emulatorSeed);
  const mnist = loadMnist('train');
  const emulated = emulateRecording(mnistImage(mnist, mnist.byDigit[0][0]), seed, '0/1', p.data.emulator).events;
  const figures: ExperimentFigure[] = [];
  const rows: MetricRow[] = [];
  let table: Record<string, unknown>[] = [];
  let summary: Record<string, unknown> = { realDir: realShown };
  const sampleUs = p.data.sampleMs * 1000;
  const emuNote = `emulated from the first MNIST training 0, seed ${seed}`;
  if (realDir) {
    const real = readAedat(join(realDir, 'mnist_0_scale04_0001.aedat')).events;
    const rep = calibrationReport(realDir, { nReal: nFiles, nEmulated: nFiles, seed, params: p.data.emulator });
    table = rep.rows.map((r) => ({
      statistic: r.stat,
      real: `${r.real.mean.toPrecision(4)} ± ${r.real.sd.toPrecision(2)}`,
      emulated: `${r.emulated.mean.toPrecision(4)} ± ${r.emulated.sd.toPrecision(2)}`,
      difference: `${(100 * r.relDiff).toFixed(1)} %`,
    }));
    for (const r of rep.rows) {
      rows.push({ experiment: name, metric: `${r.stat}_real_mean`, value: r.real.mean });
      rows.push({ experiment: name, metric: `${r.stat}_emulated_mean`, value: r.emulated.mean });
    }
    summary = { realDir: realShown, realFiles: rep.realFiles, emulatedFiles: rep.emulatedFiles, trajectoryRmsPx: rep.trajectoryRmsPx, rows: rep.rows };
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
    tables: table.length ? { [`real vs emulated digit 0 (${nFiles} recordings each)`]: table } : {},
  };
}
