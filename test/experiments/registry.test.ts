// The registry is the single list of experiments: every entry has its notebook (which runs it by name)
// and a figure builder; figures are rebuilt from rows alone, so filtering rows changes the figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENTS, EXPERIMENT_ORDER, computeExperiment, experimentEntry } from '../../lib/experiments/registry';
import { resolveParams } from '../../lib/experiments/profiles';
import type { ExperimentRows, MetricRow } from '../../lib/experiments/types';
import { EXPERIMENT_FIGURES, experimentFigures } from '../../lib/figures/experiments';

const NOTEBOOKS = join(__dirname, '..', '..', 'notebooks');

test('each registry entry has a notebook that runs it by name, and each notebook of an experiment is listed', () => {
  assert.deepEqual(EXPERIMENT_ORDER, EXPERIMENTS.map((e) => e.name));
  assert.equal(new Set(EXPERIMENT_ORDER).size, EXPERIMENT_ORDER.length, 'names unique');
  for (const e of EXPERIMENTS) {
    const nb = readFileSync(join(NOTEBOOKS, e.notebook), 'utf8');
    assert.ok(nb.includes(`runExperiment('${e.name}'`), `${e.notebook} runs '${e.name}'`);
  }
  const running = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb') && readFileSync(join(NOTEBOOKS, f), 'utf8').includes('runExperiment('));
  assert.deepEqual(running.sort(), EXPERIMENTS.map((e) => e.notebook).sort());
  assert.deepEqual(Object.keys(EXPERIMENT_FIGURES).sort(), [...EXPERIMENT_ORDER].sort());
});

test('unknown experiments are rejected naming the allowed ones', async () => {
  assert.throws(() => experimentEntry('nope'), /unknown experiment 'nope'; expected one of data, /);
  await assert.rejects(() => computeExperiment('nope', resolveParams('smoke')), /unknown experiment 'nope'/);
  assert.throws(() => experimentFigures({ name: 'nope' } as ExperimentRows), /unknown experiment 'nope'/);
});

test('figures are built from the rows: values land at their (seed, K) place and filtered rows re-plot', () => {
  const p = resolveParams('smoke', { seeds: [4, 7], train: { Ks: [1, 5] }, eval: { KIs: [1, 2] } });
  const rows: MetricRow[] = [];
  for (const K of [1, 5]) for (const seed of [4, 7]) {
    for (const KI of [1, 2]) rows.push({ experiment: 'loglik-vs-K', metric: 'test_loglik_per_example', K, KI, seed, value: -100 + K * 10 + KI + seed / 10 });
    for (const step of [0, 10]) rows.push({ experiment: 'loglik-vs-K', metric: 'curve_test_loglik_per_example', K, KI: 2, seed, step, value: -90 + step + K });
  }
  const res: ExperimentRows = { name: 'loglik-vs-K', title: 't', params: p, dataNote: 'synthetic', rows, summary: {}, claims: [], tables: {} };
  const figs = experimentFigures(res);
  assert.deepEqual(figs.map((f) => f.name), ['loglik-vs-K', 'loglik-vs-KI', 'learning-curves']);
  // first figure, K_I = 2, seed traces (showSeeds): seed 4 → [-100+10+2+0.4, -100+50+2+0.4]
  const seedTrace = figs[0].spec.data.find((t) => t.name === 'K_I = 2 seed 4') as { y: number[] };
  assert.deepEqual(seedTrace.y, [-87.6, -47.6]);
  const curves = figs[2].spec.data.find((t) => t.name === 'K = 5') as { x: number[]; y: number[] };
  assert.deepEqual(curves.x, [0, 10]);
  assert.deepEqual(curves.y, [-85, -75]);
  // drop seed 7: the K = 5 mean of the K_I figure is seed 4's value
  const only4 = experimentFigures({ ...res, rows: rows.filter((r) => r.seed === 4) });
  const mean = only4[1].spec.data.find((t) => t.name === 'K = 5') as { y: number[] };
  assert.deepEqual(mean.y, [-100 + 50 + 1 + 0.4, -100 + 50 + 2 + 0.4]);
});
