/**
 * Calibration of confidences (SPEC 3): reliability diagram over M equal-width bins and the expected
 * calibration error. Bins are right-closed, bin i (1-based) = ((i−1)/M, i/M]; a confidence of 0 goes
 * to the first bin and 1.0 to the last. Edges are the float64 values (i/M) themselves, so a confidence
 * written as 0.3 (the same double as 3/10) lies on the edge and goes to bin 3 (index 2) for M = 10,
 * although 0.3 * 10 = 3.0000000000000004 in floating point.
 */
import { checkInt, checkLength, fail } from '../util/validate';

/** A reliability diagram. Arrays have one entry per bin (index i−1 for bin ((i−1)/M, i/M]). */
export interface Reliability {
  /** Number of bins M. */
  bins: number;
  /** Examples per bin. */
  binCounts: number[];
  /** Fraction correct per bin; null for an empty bin. */
  binAccuracy: (number | null)[];
  /** Mean confidence per bin; null for an empty bin. */
  binConfidence: (number | null)[];
  /** ECE = Σ_i (|B_i|/n)·|acc(B_i) − conf(B_i)| (0 when n = 0). */
  ece: number;
  /** Number of examples. */
  n: number;
}

/**
 * 0-based bin index of a confidence c ∈ [0, 1] among M right-closed bins: the i with i/M < c ≤ (i+1)/M,
 * 0 for c = 0. Exact with respect to the float64 edges (i/M): an estimate from c*M is corrected by
 * comparing c with the edges, so rounding in c*M never moves an edge value to the next bin.
 */
export function binIndex(c: number, M: number): number {
  let i = Math.ceil(c * M) - 1; // estimate; off by at most one near an edge
  if (i < 0) i = 0;
  if (i > M - 1) i = M - 1;
  while (i > 0 && c <= i / M) i--; // c on or below the lower edge of bin i
  while (i < M - 1 && c > (i + 1) / M) i++; // c above the upper edge
  return i;
}

/**
 * Reliability bins and ECE of `confidence` [n] (each in [0, 1]) against `correct` [n] (1/true if the
 * decision was right, 0/false otherwise), with M ≥ 1 bins (default 10).
 */
export function reliability(confidence: ArrayLike<number>, correct: ArrayLike<number | boolean>, M = 10): Reliability {
  const where = 'reliability';
  checkInt(where, 'M (bins)', M, 1, 1_000_000);
  if (!confidence || typeof confidence.length !== 'number') fail(where, 'confidence', confidence, 'an array of numbers in [0, 1]');
  const n = confidence.length;
  checkLength(where, 'correct', correct, n, `[n=${n}] (same length as confidence)`);
  for (let i = 0; i < n; i++) {
    const c = confidence[i];
    if (typeof c !== 'number' || !(c >= 0 && c <= 1)) fail(where, `confidence[${i}]`, c, 'a number in [0, 1]');
    const y = correct[i];
    if (!(y === 0 || y === 1 || y === true || y === false)) fail(where, `correct[${i}]`, y, '0, 1, true or false');
  }
  const cnt = new Array<number>(M).fill(0);
  const hits = new Array<number>(M).fill(0);
  const confSum = new Array<number>(M).fill(0);
  for (let i = 0; i < n; i++) {
    const b = binIndex(confidence[i], M);
    cnt[b]++;
    hits[b] += correct[i] ? 1 : 0;
    confSum[b] += confidence[i];
  }
  const binAccuracy: (number | null)[] = [];
  const binConfidence: (number | null)[] = [];
  let ece = 0;
  for (let b = 0; b < M; b++) {
    if (cnt[b] === 0) {
      binAccuracy.push(null);
      binConfidence.push(null);
      continue;
    }
    const acc = hits[b] / cnt[b];
    const conf = confSum[b] / cnt[b];
    binAccuracy.push(acc);
    binConfidence.push(conf);
    ece += (cnt[b] / n) * Math.abs(acc - conf);
  }
  return { bins: M, binCounts: cnt, binAccuracy, binConfidence, ece, n };
}
