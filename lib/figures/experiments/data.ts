/** Figures of the data experiment: input activity per bin, event images and input rasters of a real and an emulated digit 0. */
import type { DataPlotData, InputRaster } from '../../experiments/data';
import type { ExperimentRows } from '../../experiments/types';
import { heatmap } from '../heatmap';
import { meanBandChart } from '../lines';
import { spikeRaster } from '../raster';
import type { FigureSpec } from '../types';
import { ExperimentFigure } from './common';

function rasterSpec(r: InputRaster, title: string, note: string, dtMs: number): FigureSpec {
  return spikeRaster({ times: r.times, neurons: r.neurons, groups: r.groups, numNeurons: r.nIn, timeRange: [-0.5, r.T - 0.5], markerSize: 3, title, note, xTitle: `time step (${dtMs} ms)`, yTitle: 'input index bit0 + 2·(x·26 + y)' });
}

/** From plotData (DataPlotData): the real figures only when a real recording was found. */
export function dataFigures(res: ExperimentRows): ExperimentFigure[] {
  const d = res.plotData as DataPlotData | undefined;
  if (!d) throw new Error(`dataFigures: experiment '${res.name}' has no plotData; expected the result of the 'data' experiment`);
  const dtMs = res.params.data.dtMs;
  const figures: ExperimentFigure[] = [];
  if (d.activity) {
    const a = d.activity;
    const x = Array.from({ length: a.real[0]?.length ?? 0 }, (_, i) => (i + 0.5) * 0.025);
    figures.push({
      name: 'activity-per-bin',
      caption: `Active inputs (of 1352) per 25 ms bin, mean ± 1 sd over recordings: real ${a.nReal} held-back files vs ${a.nEmulated} emulated.`,
      spec: meanBandChart({ x, series: [{ name: 'real', values: a.real }, { name: 'emulated', values: a.emulated }], title: 'Input activity over time, real vs emulated digit 0', note: d.emulatedNote, xTitle: 'time (s)', yTitle: 'active inputs per 25 ms bin', markers: false }),
    });
  }
  if (d.eventImageReal && d.rasterReal) {
    figures.push(
      { name: 'event-image-real', caption: 'Events per pixel of the 26 × 26 crop in the first 2 s of real recording 0001 (digit 0).', spec: heatmap({ z: d.eventImageReal, image: true, title: 'Real MNIST-DVS, digit 0 (0001)', note: 'real recording, scale 4, crop 48-73', zTitle: 'events' }), width: 460, height: 460 },
      { name: 'event-image-emulated', caption: 'The same for an emulated recording of the first MNIST training zero.', spec: heatmap({ z: d.eventImageEmulated, image: true, title: 'Emulated MNIST-DVS, digit 0', note: d.emulatedNote, zTitle: 'events' }), width: 460, height: 460 },
      { name: 'raster-real', caption: `Input spikes (${dtMs} ms bins, 1352 inputs) of real recording 0001.`, spec: rasterSpec(d.rasterReal, 'Input raster, real digit 0', 'real recording 0001', dtMs) },
    );
  }
  figures.push({ name: 'raster-emulated', caption: `Input spikes (${dtMs} ms bins, 1352 inputs) of the emulated recording.`, spec: rasterSpec(d.rasterEmulated, 'Input raster, emulated digit 0', d.emulatedNote, dtMs) });
  return figures;
}
