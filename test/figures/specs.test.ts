import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanAndSpread, meanBandChart, groupedLines, yRangeFollowingData } from '../../lib/figures/lines';
import { reliabilityDiagram } from '../../lib/figures/reliability';
import { spikeRaster } from '../../lib/figures/raster';
import { heatmap } from '../../lib/figures/heatmap';
import { barChart } from '../../lib/figures/bar';
import type { FigureSpec } from '../../lib/figures/types';

type AnyTrace = Record<string, any>;
const tr = (f: FigureSpec, name: string): AnyTrace => {
  const t = f.data.find((d) => d.name === name);
  assert.ok(t, `trace '${name}' present`);
  return t as AnyTrace;
};

test('meanAndSpread: mean, sample s.d., sem and min-max per x; NaN seeds skipped', () => {
  const v = [[1, 10, NaN], [3, 20, NaN], [5, 30, 7]];
  const s = meanAndSpread(v, 'std');
  assert.deepEqual(s.mean.slice(0, 2), [3, 20]);
  assert.equal(s.mean[2], 7);
  assert.deepEqual(s.n, [3, 3, 1]);
  assert.ok(Math.abs(s.upper[0] - 5) < 1e-12 && Math.abs(s.lower[0] - 1) < 1e-12); // sd of 1,3,5 = 2
  assert.equal(s.upper[2], 7); // one seed: no spread
  const sem = meanAndSpread(v, 'sem');
  assert.ok(Math.abs(sem.upper[0] - (3 + 2 / Math.sqrt(3))) < 1e-12);
  const mm = meanAndSpread(v, 'minmax');
  assert.deepEqual([mm.lower[1], mm.upper[1]], [10, 30]);
  const empty = meanAndSpread([[NaN], [NaN]]);
  assert.ok(Number.isNaN(empty.mean[0]) && empty.n[0] === 0);
});

test('meanBandChart: band polygon encloses the mean, legend and note set, bad shapes rejected', () => {
  const f = meanBandChart({
    title: 'LL vs K', subtitle: 'small, 3 seeds', note: 'data: emulated MNIST-DVS', x: [1, 2, 5], xType: 'log',
    series: [{ name: 'K_I=1', values: [[1, 2, 3], [2, 3, 4], [3, 4, 5]] }],
  });
  const mean = tr(f, 'K_I=1');
  assert.deepEqual(mean.y, [2, 3, 4]);
  const band = f.data[0] as AnyTrace;
  assert.equal(band.fill, 'toself');
  assert.deepEqual(band.x, [1, 2, 5, 5, 2, 1]);
  assert.deepEqual(band.y, [3, 4, 5, 3, 2, 1]);
  assert.equal(band.showlegend, false);
  const layout = f.layout as any;
  assert.equal(layout.xaxis.type, 'log');
  assert.equal(layout.title.subtitle.text, 'small, 3 seeds');
  assert.equal(layout.annotations[0].text, 'data: emulated MNIST-DVS');
  assert.doesNotThrow(() => JSON.stringify(f));
  assert.throws(() => meanBandChart({ x: [1, 2], series: [{ name: 'a', values: [[1, 2, 3]] }] }), /series\[0\]\.values\[0\]\.length = 3; expected 2/);
  assert.throws(() => meanBandChart({ x: [1, 2], series: [] }), /series = \[\]; expected a non-empty array/);
  // one seed: no band trace
  assert.equal(meanBandChart({ x: [1], series: [{ name: 'a', values: [[1]] }] }).data.length, 1);
});

test('groupedLines: one trace per series with error bars; NaN becomes a gap (null)', () => {
  const f = groupedLines({ series: [{ name: 'a', x: [1, 2], y: [1, NaN], yErr: [0.1, 0.2] }, { name: 'b', x: [1, 2], y: [3, 4], dash: true }] });
  assert.equal(f.data.length, 2);
  assert.deepEqual((f.data[0] as AnyTrace).y, [1, null]);
  assert.deepEqual((f.data[0] as AnyTrace).error_y.array, [0.1, 0.2]);
  assert.equal((f.data[1] as AnyTrace).line.dash, 'dash');
});

test('reliabilityDiagram: bars equal bin accuracies, empty bins are gaps, gap spans acc..conf, ECE in title', () => {
  const input = {
    bins: 4, binCounts: [0, 5, 10, 20], binAccuracy: [null, 0.2, 0.6, 0.9], binConfidence: [null, 0.375, 0.6, 0.8], ece: 0.0543,
  };
  const f = reliabilityDiagram(input);
  const acc = tr(f, 'Accuracy');
  assert.deepEqual(acc.y, [null, 0.2, 0.6, 0.9]);
  assert.deepEqual(acc.x, [0.125, 0.375, 0.625, 0.875]);
  assert.equal(acc.width, 0.25);
  const gap = tr(f, 'Gap');
  assert.deepEqual(gap.base, [null, 0.2, 0.6, 0.8]);
  assert.ok(Math.abs(gap.y[1] - 0.175) < 1e-12 && gap.y[2] === 0 && Math.abs(gap.y[3] - 0.1) < 1e-12);
  assert.deepEqual(tr(f, 'Perfect calibration').y, [0, 1]);
  assert.deepEqual(tr(f, 'Examples').y, [0, 5, 10, 20]);
  assert.match((f.layout as any).title.text, /ECE = 5\.43 %/);
  // all-empty but one bin, NaN placeholders in empty bins are accepted
  const g = reliabilityDiagram({ bins: 2, binCounts: [0, 3], binAccuracy: [NaN, 1], binConfidence: [NaN, 1], ece: 0 });
  assert.deepEqual(tr(g, 'Accuracy').y, [null, 1]);
  assert.throws(() => reliabilityDiagram({ ...input, binCounts: [0, 5, 10] }), /binCounts\.length = 3; expected 4/);
  assert.throws(() => reliabilityDiagram({ ...input, binAccuracy: [null, null, 0.6, 0.9] }), /binAccuracy\[1\] = null; expected a number in \[0, 1\] \(bin 1 holds 5 examples\)/);
  assert.throws(() => reliabilityDiagram({ ...input, ece: 1.5 }), /ece = 1\.5/);
  assert.equal(reliabilityDiagram({ ...input, showCounts: false }).data.length, 3);
});

test('spikeRaster: one trace per group, points kept, y range from numNeurons, indices checked', () => {
  const f = spikeRaster({ times: [0, 1, 2, 3], neurons: [0, 1, 1, 2], groups: ['ON', 'OFF', 'ON', 'ON'], numNeurons: 4 });
  assert.deepEqual(f.data.map((d) => d.name), ['ON', 'OFF']);
  assert.deepEqual((f.data[0] as AnyTrace).x, [0, 2, 3]);
  assert.deepEqual((f.data[0] as AnyTrace).y, [0, 1, 2]);
  assert.deepEqual((f.layout as any).yaxis.range, [-0.5, 3.5]);
  assert.throws(() => spikeRaster({ times: [0], neurons: [1.5] }), /neurons\[0\] = 1\.5/);
  assert.throws(() => spikeRaster({ times: [0, 1], neurons: [0] }), /neurons\.length = 1; expected 2/);
  assert.throws(() => spikeRaster({ times: [0], neurons: [5], numNeurons: 3 }), /numNeurons = 3; expected an integer >= 6/);
});

test('heatmap: flat row-major input reshaped, image mode reverses y, symmetric scale centred on 0', () => {
  const f = heatmap({ z: new Float32Array([1, 2, 3, -4, 5, 6]), rows: 2, cols: 3, image: true, symmetric: true });
  const t = f.data[0] as AnyTrace;
  assert.deepEqual(t.z, [[1, 2, 3], [-4, 5, 6]]);
  assert.equal(t.zmin, -6);
  assert.equal(t.zmax, 6);
  assert.equal((f.layout as any).yaxis.autorange, 'reversed');
  assert.equal((f.layout as any).yaxis.scaleanchor, 'x');
  assert.throws(() => heatmap({ z: [1, 2, 3], rows: 2, cols: 2 }), /z\.length = 3; expected rows\*cols = 4/);
  assert.throws(() => heatmap({ z: [[1, 2], [3]] }), /z\[1\]\.length = 1; expected 2/);
});

test('barChart: grouped bars with errors and labels; NaN bars dropped', () => {
  const f = barChart({ categories: [1, 5], series: [{ name: 'a', values: [0.5, NaN], errors: [0.1, 0.2] }], labelDigits: 2 });
  const t = f.data[0] as AnyTrace;
  assert.deepEqual(t.x, ['1', '5']);
  assert.deepEqual(t.y, [0.5, null]);
  assert.deepEqual(t.text, ['0.50', '']);
  assert.deepEqual(t.error_y.array, [0.1, 0.2]);
  assert.equal((f.layout as any).barmode, 'group');
  assert.throws(() => barChart({ categories: ['a'], series: [{ name: 'x', values: [1, 2] }] }), /values\.length = 2; expected 1/);
});

test('line charts: axis ranges follow the data; coinciding series differ in dash and marker', () => {
  assert.deepEqual(yRangeFollowingData([0, 0, 0]), { range: [0, 0.05], autorange: false }, 'an all-zero ECE is not drawn from -1 to 1');
  assert.deepEqual(yRangeFollowingData([0.1, 0.3]), { rangemode: 'nonnegative' });
  assert.deepEqual(yRangeFollowingData([-2, -1]), {});
  assert.deepEqual(yRangeFollowingData([-1, -1]), { range: [-1.1, -0.9], autorange: false });
  const spec = meanBandChart({ x: [1, 2], series: [{ name: 'K = 1', values: [[0, 0], [0, 0]] }, { name: 'K = 2', values: [[0, 0], [0, 0]] }] });
  const means = spec.data.filter((t) => t.name === 'K = 1' || t.name === 'K = 2');
  assert.equal(means.length, 2);
  const look = means.map((t) => JSON.stringify([(t.line as { dash: string }).dash, (t.marker as { symbol: string }).symbol]));
  assert.notEqual(look[0], look[1]);
  assert.deepEqual((spec.layout.yaxis as { range: number[] }).range, [0, 0.05]);
  const g = groupedLines({ series: [{ name: 'a', x: [1, 2], y: [0.5, 0.5] }, { name: 'b', x: [1, 2], y: [0.5, 0.5] }] });
  assert.notEqual((g.data[0].marker as { symbol: string }).symbol, (g.data[1].marker as { symbol: string }).symbol);
  assert.equal((g.layout.yaxis as { autorange: boolean }).autorange, false);
});
