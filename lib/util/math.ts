/**
 * Numerically stable scalar functions of the model. Log-probabilities of Bernoulli spikes are written
 * with softplus (log σ(u) = −softplus(−u)) so that |u| up to 1e300 gives finite values.
 */

/** σ(u) = 1 / (1 + e^−u), accurate and finite for every finite u. */
export function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/** softplus(x) = log(1 + e^x), without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log p(s | u) of a Bernoulli spike s ∈ {0,1} with firing probability σ(u), in nats. */
export function logBernoulli(s: number, u: number): number {
  return s ? -softplus(-u) : -softplus(u);
}

/** log Σ exp(x[i]) over the first `n` entries (default all), with max-subtraction. −Infinity when empty. */
export function logSumExp(x: ArrayLike<number>, n: number = x.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (x[i] > m) m = x[i];
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[i] - m);
  return m + Math.log(s);
}

/** log( (1/n) Σ exp(x[i]) ): the log of the mean of exponentials (K-sample estimators). */
export function logMeanExp(x: ArrayLike<number>, n: number = x.length): number {
  return logSumExp(x, n) - Math.log(n);
}

/**
 * Softmax of `logits[0..n-1]` written into `out` (may alias `logits`), with max-subtraction so
 * logits of ±1e300 stay finite. Returns `out`.
 */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array | number[], n: number = logits.length): Float64Array | number[] {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > m) m = logits[i];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logits[i] - m);
    out[i] = e;
    s += e;
  }
  for (let i = 0; i < n; i++) out[i] /= s;
  return out;
}

/**
 * Mean and sample standard deviation (n − 1 in the denominator; 0 for one value) of `v`, summed in
 * index order. An empty list gives NaN for both.
 */
export function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const n = v.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}
