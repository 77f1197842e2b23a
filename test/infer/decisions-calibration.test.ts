// Decision rules and reliability/ECE (SPEC 3) against the shared vector, plus tie-breaking, nested
// subsets and every bin edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compartmentDecisions, decide, decideNested, majorityDecision, meanCountDecision, meanCountVoteDecision } from '../../lib/infer/decision';
import { binIndex, reliability } from '../../lib/infer/calibration';
import { decisionsAvailable, loadDecisionsVector } from '../reference/vectors';

const skip = decisionsAvailable() ? false : 'decisions-and-calibration.json not found at ../shared/test-vectors';

test('decisions vector: per-compartment, majority and mean-count decisions and confidences', { skip }, () => {
  const v = loadDecisionsVector();
  for (const [i, d] of v.decisions.entries()) {
    const K = d.counts.length;
    const C = d.counts[0].length;
    const counts = Int32Array.from(d.counts.flat());
    assert.deepEqual(Array.from(compartmentDecisions(counts, K, C)), d.per_compartment, `case ${i} per-compartment`);
    const maj = majorityDecision(counts, K, C);
    assert.equal(maj.label, d.majority, `case ${i} majority`);
    assert.equal(maj.confidence, d.majority_confidence, `case ${i} majority confidence`);
    const mc = meanCountDecision(d.counts.flat(), K, C);
    assert.equal(mc.label, d.mean_count, `case ${i} mean-count`);
    assert.equal(mc.confidence, d.mean_count_confidence, `case ${i} mean-count confidence`);
  }
});

test('decisions vector case 2: silent compartments vote for class 0; mean-count confidence is pooled (1/1, not 1/C)', { skip }, () => {
  const d = loadDecisionsVector().decisions[1];
  const counts = d.counts.flat();
  assert.equal(decide(counts, 4, 3, 'mean-count').confidence, 1);
  // All-zero counts: the 1/C convention.
  const zero = new Int32Array(12);
  const z = decide(zero, 4, 3, 'mean-count');
  assert.equal(z.label, 0);
  assert.equal(z.confidence, 1 / 3);
});

test('majority ties: larger summed count wins, then the lowest index', () => {
  // votes: class 2 (k=0), class 1 (k=1): tie 1-1; totals class1 = 5+1, class2 = 0+... -> class 1
  const a = [0, 1, 4, 0, 5, 1];
  assert.deepEqual(Array.from(compartmentDecisions(a, 2, 3)), [2, 1]);
  const m = majorityDecision(a, 2, 3);
  assert.equal(m.label, 1);
  assert.equal(m.confidence, 0.5);
  // equal votes and equal totals: lowest index
  const b = [3, 0, 0, 3];
  assert.equal(majorityDecision(b, 2, 2).label, 0);
  // tie inside a compartment: lowest index
  assert.deepEqual(Array.from(compartmentDecisions([2, 5, 5], 1, 3)), [1]);
});

test('nested subsets use the first K compartments only, without copying', () => {
  // K = 4, C = 3; compartment decisions 1, 0, 0, 1
  const counts = Int32Array.from([0, 3, 1, 4, 0, 0, 2, 0, 0, 0, 9, 0]);
  const maj = decideNested(counts, 4, 3, 'majority', [1, 2, 3, 4]);
  assert.deepEqual(
    maj.map((d) => [d.label, d.confidence, d.K]),
    [
      [1, 1, 1],
      [0, 0.5, 2], // one vote each; summed counts 4 (class 0) > 3 (class 1)
      [0, 2 / 3, 3],
      [1, 0.5, 4], // two votes each; summed counts 6 (class 0) < 12 (class 1)
    ],
  );
  const mc = decideNested(counts, 4, 3, 'mean-count', [1, 3, 4]);
  assert.deepEqual(mc.map((d) => [d.label, d.confidence]), [
    [1, 3 / 4],
    [0, 6 / 10],
    [1, 12 / 19],
  ]);
});

test('reliability vector: bin counts, accuracies, confidences and ECE', { skip }, () => {
  const e = loadDecisionsVector().ece;
  const r = reliability(e.confidence, e.correct, e.bins);
  assert.equal(r.bins, e.bins);
  assert.equal(r.n, e.confidence.length);
  assert.deepEqual(r.binCounts, e.bin_counts);
  assert.deepEqual(r.binAccuracy, e.bin_accuracy);
  r.binConfidence.forEach((c, i) => {
    const x = e.bin_confidence[i];
    if (x === null) assert.equal(c, null, `bin ${i}`);
    else assert.ok(c !== null && Math.abs(c - x) <= 1e-12, `bin ${i} confidence ${c} vs ${x}`);
  });
  assert.ok(Math.abs(r.ece - e.ece) <= 1e-12, `ece ${r.ece} vs ${e.ece}`);
});

test('bin edges: k/10 goes to bin k (index k-1), 0 to the first bin, 1.0 to the last, for M = 10 and others', () => {
  const edges = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
  assert.deepEqual(edges.map((c) => binIndex(c, 10)), [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // just above an edge moves up one bin
  assert.deepEqual(edges.slice(0, 10).map((c) => binIndex(c + 1e-12, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // every edge i/M for several M (edges computed exactly as the library does: i/M)
  for (const M of [1, 3, 7, 10, 15, 20, 100]) {
    assert.equal(binIndex(0, M), 0);
    assert.equal(binIndex(1, M), M - 1);
    for (let i = 1; i <= M; i++) assert.equal(binIndex(i / M, M), i - 1, `M=${M} edge ${i}/${M}`);
  }
  // ECE with everything on edges: one example per edge, all correct
  const r = reliability(edges, edges.map(() => 1), 10);
  assert.deepEqual(r.binCounts, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(r.binConfidence[9], 1);
  assert.equal(r.binAccuracy[9], 1);
  // perfectly calibrated at 1.0 -> ECE contribution 0; only the others add |1 - c|
  let expected = 0;
  expected += (2 / 11) * Math.abs(1 - 0.05);
  for (let k = 2; k <= 9; k++) expected += (1 / 11) * Math.abs(1 - k / 10);
  assert.ok(Math.abs(r.ece - expected) < 1e-12);
});

test('reliability and decision inputs are validated', () => {
  assert.throws(() => reliability([0.5, 1.2], [1, 0]), /confidence\[1\] = 1\.2; expected a number in \[0, 1\]/);
  assert.throws(() => reliability([0.5], [1, 0]), /correct\.length = 2; expected 1/);
  assert.throws(() => reliability([0.5], [1], 0), /M \(bins\) = 0/);
  assert.throws(() => reliability([NaN], [1]), /confidence\[0\] = NaN/);
  assert.throws(() => majorityDecision([1, 2, 3], 2, 2), /counts\.length = 3; expected K\*C = 4/);
  assert.throws(() => majorityDecision([1, 2, -1, 0], 2, 2), /counts\[1\]\[0\] = -1/);
  assert.throws(() => decide([1, 2, 1, 0], 2, 2, 'mean-count', 3), /K' \(compartments used\) = 3; expected an integer in \[1, 2\]/);
  assert.throws(() => decide([1, 2], 1, 2, 'vote' as never), /rule = "vote"/);
  const empty = reliability([], [], 5);
  assert.equal(empty.ece, 0);
  assert.equal(empty.n, 0);
});

test('mean-count-vote: the label of mean-count, the agreement fraction of the compartments as confidence', () => {
  // k0: class 0 (9 vs 8), k1: class 0 (5 vs 4), k2: class 1 (0 vs 30): majority says 0, pooled counts say 1
  const counts = [9, 8, 0, 5, 4, 0, 0, 30, 0];
  assert.equal(majorityDecision(counts, 3, 3).label, 0);
  const mc = meanCountDecision(counts, 3, 3);
  const v = meanCountVoteDecision(counts, 3, 3);
  assert.equal(mc.label, 1);
  assert.equal(v.label, 1);
  assert.equal(v.confidence, 1 / 3);
  assert.deepEqual(decide(counts, 3, 3, 'mean-count-vote'), v);
  // one compartment: confidence 1 (as the majority vote); nested subsets
  assert.equal(meanCountVoteDecision(counts, 3, 3, 1).confidence, 1);
  assert.equal(meanCountVoteDecision(counts, 3, 3, 2).confidence, 1);
  assert.throws(() => meanCountVoteDecision(counts, 3, 3, 4), /K' \(compartments used\) = 4/);
});
