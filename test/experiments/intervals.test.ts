// Intervals and the verdict rule of the claims: t quantiles against tabulated values, the crossed
// bootstrap on constructed data, the subset ECE against reliability(), every branch of the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossedBootstrap, eceAt, meanAt, tCdf, tInterval, tQuantile, verdict } from '../../lib/experiments/intervals';
import { reliability } from '../../lib/infer/calibration';
import { makeRng } from '../../lib/util/rng';

test('t quantiles match the tables (two-sided 95 %)', () => {
  // tabulated t_{0.975, df}
  const table: [number, number][] = [[1, 12.7062], [2, 4.3027], [4, 2.7764], [9, 2.2622], [29, 2.0452], [200, 1.9719]];
  for (const [df, q] of table) assert.ok(Math.abs(tQuantile(0.975, df) - q) < 5e-4, `df ${df}: ${tQuantile(0.975, df)} vs ${q}`);
  assert.ok(Math.abs(tCdf(0, 5) - 0.5) < 1e-12);
  assert.ok(Math.abs(tQuantile(0.025, 4) + tQuantile(0.975, 4)) < 1e-9);
  assert.throws(() => tQuantile(1.2, 3), /p = 1.2/);
});

test('t interval: mean ± t·s/√n; fewer than two seeds give no interval', () => {
  const d = [1, 2, 3, 4, 5];
  const r = tInterval(d);
  const half = 2.7764 * Math.sqrt(2.5) / Math.sqrt(5);
  assert.ok(Math.abs(r.estimate - 3) < 1e-12);
  assert.ok(Math.abs(r.lo - (3 - half)) < 1e-3 && Math.abs(r.hi - (3 + half)) < 1e-3);
  assert.ok(Number.isNaN(tInterval([1]).lo));
});

test('verdict rule: every branch of both claim kinds', () => {
  assert.equal(verdict('increase', 0.01, 0.2, 0.05), 'holds');
  assert.equal(verdict('increase', -0.2, -0.01, 0.05), 'does not hold');
  assert.equal(verdict('increase', -0.04, 0.04, 0.05), 'does not hold'); // within the margin
  assert.equal(verdict('increase', -0.04, 0.06, 0.05), 'inconclusive');
  assert.equal(verdict('increase', NaN, 1, 0.05), 'inconclusive');
  assert.equal(verdict('non-inferior', -0.04, 0.1, 0.05), 'holds');
  assert.equal(verdict('non-inferior', -0.2, -0.01, 0.05), 'does not hold');
  assert.equal(verdict('non-inferior', -0.06, 0.01, 0.05), 'inconclusive');
});

test('crossed bootstrap: a constant paired shift gives a point interval; noise gives an interval around the mean; seeded', () => {
  const seeds = 5;
  const n = 200;
  const shift = (s: number, idx: Int32Array, m: number) => 0.3 + 0 * s + 0 * meanAt(new Float64Array(n), idx, m);
  const c = crossedBootstrap('const', seeds, n, shift, 200);
  assert.ok(Math.abs(c.lo - 0.3) < 1e-12 && Math.abs(c.hi - 0.3) < 1e-12);
  const rng = makeRng(3, 'test');
  const a = Array.from({ length: seeds }, () => Float64Array.from({ length: n }, () => rng.next()));
  const b = a.map((row) => row.map((v) => v + 0.1 + (rng.next() - 0.5) * 0.2));
  const stat = (s: number, idx: Int32Array, m: number) => meanAt(b[s], idx, m) - meanAt(a[s], idx, m);
  const r1 = crossedBootstrap('noise', seeds, n, stat, 500);
  const r2 = crossedBootstrap('noise', seeds, n, stat, 500);
  assert.deepEqual(r1, r2);
  assert.ok(r1.lo < r1.estimate && r1.estimate < r1.hi, JSON.stringify(r1));
  assert.ok(r1.lo > 0.05 && r1.hi < 0.15, JSON.stringify(r1));
});

test('eceAt equals reliability().ece on the selected examples (repeats included)', () => {
  const rng = makeRng(4, 'ece');
  const n = 300;
  const conf = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0.3 : rng.next()));
  const corr = Float64Array.from({ length: n }, () => (rng.next() < 0.7 ? 1 : 0));
  const idx = Int32Array.from({ length: n }, () => Math.floor(rng.next() * n));
  const sel = Array.from(idx, (i) => conf[i]);
  const selC = Array.from(idx, (i) => corr[i]);
  const want = reliability(sel, selC, 10).ece;
  const got = eceAt(conf, corr, idx, n, 10, new Float64Array(30));
  assert.ok(Math.abs(want - got) < 1e-12, `${want} vs ${got}`);
});
