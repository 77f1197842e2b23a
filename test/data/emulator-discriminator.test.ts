// The real-vs-emulated discriminator: AUC by ranks, and cross-validated logistic regression that finds a
// real difference and does not invent one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auc, crossValidatedAuc } from '../../lib/data/discriminator';
import { makeRng } from '../../lib/util/rng';

test('auc: ranks with ties counted half; both classes required', () => {
  assert.equal(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1]), 1);
  assert.equal(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  assert.equal(auc([0.1, 0.3, 0.2, 0.4], [0, 0, 1, 1]), 0.75);
  assert.throws(() => auc([1, 2], [1, 1]), /both classes/);
});

function gaussRows(n: number, d: number, seed: string, shift: (k: number) => number): number[][] {
  const r = makeRng(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
  return Array.from({ length: n }, () => Array.from({ length: d }, (_, k) => g() + shift(k)));
}

test('crossValidatedAuc: ~0.5 for one distribution, high for a shift, 1 when separable, more features than examples', () => {
  const a = gaussRows(50, 300, 'a', () => 0);
  const same = crossValidatedAuc(a, gaussRows(50, 300, 'b', () => 0));
  assert.ok(same.mean > 0.35 && same.mean < 0.65, `same distribution: AUC ${same.mean}`);
  const shifted = crossValidatedAuc(a, gaussRows(50, 300, 'c', (k) => (k < 10 ? 1 : 0)));
  assert.ok(shifted.mean > 0.75, `10 of 300 features shifted by 1 sd: AUC ${shifted.mean}`);
  const apart = crossValidatedAuc(a, gaussRows(50, 300, 'd', () => 2));
  assert.equal(apart.mean, 1);
  assert.equal(same.perFold.length, 5);
  // deterministic by seed
  assert.deepEqual(crossValidatedAuc(a, gaussRows(50, 300, 'b', () => 0)), same);
});

test('crossValidatedAuc: bad input named', () => {
  assert.throws(() => crossValidatedAuc([[1], [2]], [[1], [2], [3], [4], [5]]), /at least folds = 5/);
  assert.throws(() => crossValidatedAuc(gaussRows(5, 3, 'e', () => 0), [...gaussRows(4, 3, 'f', () => 0), [1, 2]]), /same, non-zero number of features/);
});
