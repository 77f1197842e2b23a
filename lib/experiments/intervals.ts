/**
 * Paired comparisons with 95 % intervals and the verdict rule of the claims (README, "How a claim is
 * decided"). Two kinds of interval:
 * - `tInterval`: Student t over seeds of per-seed paired differences (one number per run and arm);
 * - `crossedBootstrap`: a two-way (seeds × test recordings) paired bootstrap for statistics computed
 *   on test examples. Every seed is tested on the same recordings, so seeds and recordings are crossed
 *   factors: a replicate draws seeds and, independently, recordings with replacement (the same
 *   recordings for every drawn seed and both arms) and averages the paired differences over seeds.
 * Verdicts are decided by the interval alone: see `verdict`.
 */
import { makeRng } from '../util/rng';
import { binIndex } from '../infer/calibration';

/** A 95 % interval (or another level) of a paired difference, oriented so that > 0 is the claimed side. */
export interface PairedInterval {
  /** Point estimate of the mean paired difference (on the full data). */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  /** 't over seeds' or 'crossed bootstrap over seeds and test recordings'. */
  method: string;
  /** Seeds (and test recordings when bootstrapped) behind it. */
  seeds: number;
  examples?: number;
  replicates?: number;
}

/** What a claim asserts about the oriented difference d. */
export type ClaimKind = 'increase' | 'non-inferior';
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

/**
 * The rule, written before the numbers (README): with the interval [lo, hi] of d (d > 0 = claimed side)
 * and the margin m > 0 (the smallest difference counted as one):
 * - 'increase' (X increases / decreases): holds if lo > 0; does not hold if hi < 0 or if m ≥ hi and
 *   lo ≥ −m (the whole interval within ±m); inconclusive otherwise.
 * - 'non-inferior' (X does not decrease / is at least as good): holds if lo > −m; does not hold if
 *   hi < 0; inconclusive otherwise.
 */
export function verdict(kind: ClaimKind, lo: number, hi: number, margin: number): Verdict {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return 'inconclusive';
  if (kind === 'increase') {
    if (lo > 0) return 'holds';
    if (hi < 0 || (lo >= -margin && hi <= margin)) return 'does not hold';
    return 'inconclusive';
  }
  if (lo > -margin) return 'holds';
  if (hi < 0) return 'does not hold';
  return 'inconclusive';
}

/** The rule as one sentence, for claims.json and the README. */
export function verdictRuleText(kind: ClaimKind, margin: number): string {
  return kind === 'increase'
    ? `holds if the 95 % interval of the paired difference lies above 0; does not hold if it lies below 0 or entirely within ±${margin}; inconclusive otherwise`
    : `holds if the 95 % interval of the paired difference lies above −${margin}; does not hold if it lies below 0; inconclusive otherwise`;
}

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Lentz), |error| < 1e-12. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
  const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b - lbeta);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return (front * (f - 1)) / a;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
function lgamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Student t cumulative distribution with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student t with `df` degrees of freedom (bisection on tCdf, |error| < 1e-10). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`tQuantile: p = ${p}; expected a probability in (0, 1)`);
  if (!(df > 0)) throw new Error(`tQuantile: df = ${df}; expected > 0`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Student t interval of the mean of `diffs` (per-seed paired differences). NaN bounds for < 2 values. */
export function tInterval(diffs: number[], level = 0.95): PairedInterval {
  const n = diffs.length;
  const mean = n ? diffs.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < 2) return { estimate: mean, lo: NaN, hi: NaN, level, method: 't over seeds', seeds: n };
  const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { estimate: mean, lo: mean - half, hi: mean + half, level, method: 't over seeds', seeds: n };
}

/**
 * A statistic of one seed's test examples: `stat(seedIndex, idx, n)` uses the examples idx[0..n) (with
 * repeats) and returns the paired difference of the two arms for that seed (claimed side > 0).
 */
export type SeedStatistic = (seedIndex: number, idx: Int32Array, n: number) => number;

/**
 * Crossed paired bootstrap over `seeds` seeds × `examples` test recordings: B replicates from the
 * seeded stream `claims/<name>`, percentile interval. The estimate is the statistic on the full data.
 */
export function crossedBootstrap(name: string, seeds: number, examples: number, stat: SeedStatistic, B = 2000, level = 0.95): PairedInterval {
  const all = Int32Array.from({ length: examples }, (_, i) => i);
  let est = 0;
  for (let s = 0; s < seeds; s++) est += stat(s, all, examples);
  est /= Math.max(1, seeds);
  const rng = makeRng('claims', name);
  const idx = new Int32Array(examples);
  const reps = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < examples; i++) idx[i] = Math.floor(rng.next() * examples);
    let sum = 0;
    for (let s = 0; s < seeds; s++) sum += stat(Math.floor(rng.next() * seeds), idx, examples);
    reps[b] = sum / seeds;
  }
  reps.sort();
  const q = (p: number) => reps[Math.min(B - 1, Math.max(0, Math.floor(p * B)))];
  return { estimate: est, lo: q((1 - level) / 2), hi: q(1 - (1 - level) / 2), level, method: 'crossed bootstrap over seeds and test recordings', seeds, examples, replicates: B };
}

/** Mean of `values` at the indices idx[0..n). */
export function meanAt(values: ArrayLike<number>, idx: Int32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[idx[i]];
  return s / n;
}

/**
 * ECE (M equal-width right-closed bins, as `reliability`) of the examples idx[0..n): the same number as
 * reliability(...).ece on the selected examples, without validation or allocation beyond `scratch`
 * (Float64Array [3M]).
 */
export function eceAt(confidence: ArrayLike<number>, correct: ArrayLike<number>, idx: Int32Array, n: number, M: number, scratch: Float64Array): number {
  scratch.fill(0, 0, 3 * M);
  for (let i = 0; i < n; i++) {
    const j = idx[i];
    const b = binIndex(confidence[j], M);
    scratch[b]++;
    scratch[M + b] += correct[j];
    scratch[2 * M + b] += confidence[j];
  }
  let ece = 0;
  for (let b = 0; b < M; b++) if (scratch[b] > 0) ece += Math.abs(scratch[M + b] - scratch[2 * M + b]) / n;
  return ece;
}
