/**
 * A real-vs-emulated discriminator: standardised, L2-penalised logistic regression, k-fold cross-validated,
 * scored by the area under the ROC curve (AUC) of the held-out folds. AUC 0.5: the two sets cannot be told
 * apart from these features; 1.0: perfectly separable. Plain TypeScript, solved exactly by Newton steps in
 * the samples' space (w = Xᵀα), which stays small (n ≤ a few hundred) however many features there are.
 */
import { makeRng, shuffleInPlace } from '../util/rng';

/** Options of crossValidatedAuc. */
export interface DiscriminatorOptions {
  /** Number of folds (stratified); default 5. */
  folds?: number;
  /** L2 penalty on the standardised weights (λ/2 |w|², the loss summed over examples); default 1. */
  lambda?: number;
  /** Seed of the fold assignment. */
  seed?: string | number;
}

/** AUC of the held-out folds: mean and sd over folds, and each fold's value. */
export interface AucResult {
  mean: number;
  sd: number;
  perFold: number[];
}

/** Area under the ROC curve of `scores` for labels (1 = positive), ties counted half (Mann-Whitney). */
export function auc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0, nPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1; // mean rank of the tie group (1-based)
    for (let k = i; k <= j; k++) if (labels[idx[k]] === 1) { rankSumPos += rank; nPos++; }
    i = j + 1;
  }
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error(`auc: needs both classes; got ${nPos} positive, ${nNeg} negative`);
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Solves A x = b in place (A n×n row-major, partial pivoting); returns x. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]) > Math.abs(A[piv * n + c])) piv = r;
    if (piv !== c) {
      for (let k = 0; k < n; k++) { const t = A[c * n + k]; A[c * n + k] = A[piv * n + k]; A[piv * n + k] = t; }
      const t = b[c]; b[c] = b[piv]; b[piv] = t;
    }
    const d = A[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] -= f * A[c * n + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r * n + k] * x[k];
    x[r] = s / A[r * n + r];
  }
  return x;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Fits L2 logistic regression on the Gram matrix K = X Xᵀ (n×n, X already standardised, a constant column
 * included for the intercept) and labels y (0/1); returns α with scores z = K α.
 */
export function fitKernelLogistic(K: Float64Array, y: number[], lambda: number): Float64Array {
  const n = y.length;
  let alpha = new Float64Array(n);
  const z = new Float64Array(n);
  const loss = (a: Float64Array): number => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      let zi = 0;
      for (let j = 0; j < n; j++) zi += K[i * n + j] * a[j];
      z[i] = zi;
      l += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - y[i] * zi + 0.5 * lambda * a[i] * zi;
    }
    return l;
  };
  let cur = loss(alpha);
  for (let it = 0; it < 50; it++) {
    // Newton: (W K + λ I) δ = p - y + λ α, then α ← α - t δ with backtracking on the loss.
    const A = new Float64Array(n * n), g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i]), w = Math.max(p * (1 - p), 1e-10);
      for (let j = 0; j < n; j++) A[i * n + j] = w * K[i * n + j];
      A[i * n + i] += lambda;
      g[i] = p - y[i] + lambda * alpha[i];
    }
    const delta = solve(A, g, n);
    let t = 1, next = alpha, nextLoss = Infinity;
    for (let h = 0; h < 30; h++, t /= 2) {
      next = alpha.map((a, i) => a - t * delta[i]);
      nextLoss = loss(next);
      if (nextLoss <= cur) break;
    }
    const done = cur - nextLoss < 1e-9 * Math.max(1, Math.abs(cur));
    if (nextLoss <= cur) { alpha = next; cur = nextLoss; }
    loss(alpha); // leaves z for alpha
    if (done) break;
  }
  return alpha;
}

/** Stratified fold index (0..folds-1) of each example, shuffled by `seed`. */
function foldsOf(labels: number[], folds: number, seed: string | number): number[] {
  const out = new Array<number>(labels.length);
  for (const cls of [0, 1]) {
    const idx = labels.map((l, i) => (l === cls ? i : -1)).filter((i) => i >= 0);
    shuffleInPlace(idx, makeRng(seed, 'folds', cls));
    idx.forEach((i, k) => { out[i] = k % folds; });
  }
  return out;
}

/**
 * Cross-validated AUC of telling set `a` (label 0) from set `b` (label 1): rows are examples, columns
 * features (every row the same length). Features are standardised with the training folds' mean and sd.
 */
export function crossValidatedAuc(a: ArrayLike<number>[], b: ArrayLike<number>[], o: DiscriminatorOptions = {}): AucResult {
  const folds = o.folds ?? 5, lambda = o.lambda ?? 1, seed = o.seed ?? 'discriminator';
  const X = [...a, ...b];
  const y = [...a.map(() => 0), ...b.map(() => 1)];
  const d = X[0]?.length ?? 0;
  if (a.length < folds || b.length < folds) throw new Error(`crossValidatedAuc: ${a.length} and ${b.length} examples; each set needs at least folds = ${folds}`);
  if (X.some((r) => r.length !== d) || d === 0) throw new Error(`crossValidatedAuc: rows must all have the same, non-zero number of features (first row ${d})`);
  const fold = foldsOf(y, folds, seed);
  const perFold: number[] = [];
  for (let f = 0; f < folds; f++) {
    const tr = X.map((_, i) => i).filter((i) => fold[i] !== f), te = X.map((_, i) => i).filter((i) => fold[i] === f);
    const mean = new Float64Array(d), sd = new Float64Array(d);
    for (const i of tr) for (let k = 0; k < d; k++) mean[k] += X[i][k] / tr.length;
    for (const i of tr) for (let k = 0; k < d; k++) sd[k] += (X[i][k] - mean[k]) ** 2 / tr.length;
    for (let k = 0; k < d; k++) sd[k] = Math.sqrt(sd[k]) || 1; // a constant feature carries nothing
    const z = (i: number): Float64Array => {
      const r = new Float64Array(d + 1);
      for (let k = 0; k < d; k++) r[k] = (X[i][k] - mean[k]) / sd[k];
      r[d] = 1; // intercept
      return r;
    };
    const Ztr = tr.map(z), Zte = te.map(z);
    const dot = (u: Float64Array, v: Float64Array): number => { let s = 0; for (let k = 0; k <= d; k++) s += u[k] * v[k]; return s; };
    const n = tr.length;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) K[i * n + j] = K[j * n + i] = dot(Ztr[i], Ztr[j]);
    const alpha = fitKernelLogistic(K, tr.map((i) => y[i]), lambda);
    const scores = Zte.map((r) => Ztr.reduce((s, q, j) => s + alpha[j] * dot(r, q), 0));
    perFold.push(auc(scores, te.map((i) => y[i])));
  }
  const m = perFold.reduce((s, v) => s + v, 0) / folds;
  const sdv = Math.sqrt(perFold.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, folds - 1));
  return { mean: m, sd: sdv, perFold };
}
