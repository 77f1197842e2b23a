/**
 * Temporal basis functions of synaptic and feedback filters (SPEC 1). A basis is a table
 * `table[m * tau + (δ − 1)]` = value of function m at lag δ ∈ 1..tau (time steps).
 */
import { checkInt, checkKeys, checkNumber, checkOneOf, fail } from '../util/validate';

export const BASIS_KINDS = ['raised-cosine-2020', 'raised-cosine-pillow08', 'exponential', 'custom'] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

/** How to build a basis. `table` (rows m, columns lags 1..tau) is required for `custom` only. */
export interface BasisConfig {
  kind: BasisKind;
  /** Number of basis functions (rows). */
  K: number;
  /** Memory in time steps: lags 1..tau. */
  tau: number;
  /** Width parameter of the raised-cosine kinds (default 1.5 for 2020, 0.5 for pillow08). */
  mu?: number;
  /** Explicit table for `custom`: K rows of tau values. */
  table?: number[][];
}

/** A built basis: the config with every default filled in, and its table. */
export interface Basis {
  kind: BasisKind;
  K: number;
  tau: number;
  mu: number;
  /** Float64Array [K][tau]: entry m*tau + δ−1 is function m at lag δ. */
  table: Float64Array;
}

/** Default synaptic basis: the lab's 2020 raised cosines, Ka = 8, τa = 10, μ = 1.5. */
export const DEFAULT_SYNAPTIC_BASIS: BasisConfig = { kind: 'raised-cosine-2020', K: 8, tau: 10, mu: 1.5 };
/** Default feedback basis: one raised cosine over τb = 10 that is non-zero at lag 1 only. */
export const DEFAULT_FEEDBACK_BASIS: BasisConfig = { kind: 'raised-cosine-2020', K: 1, tau: 10, mu: 1.5 };

const clip = (x: number) => Math.min(Math.PI, Math.max(-Math.PI, x));

/** Builds the table of a basis (pure). Throws on invalid K, tau, mu or a malformed custom table. */
export function makeBasis(cfg: BasisConfig, where = 'basis'): Basis {
  checkKeys(where, 'config', cfg, ['kind', 'K', 'tau', 'mu', 'table']);
  const kind = checkOneOf(where, 'kind', cfg.kind, BASIS_KINDS);
  if (kind === 'custom') {
    const rows = cfg.table;
    if (!Array.isArray(rows) || rows.length < 1) fail(where, 'table', rows, 'a non-empty array of rows (custom basis)');
    const tau = rows[0].length;
    if (tau < 1) fail(where, 'table[0].length', tau, 'at least 1 lag');
    const table = new Float64Array(rows.length * tau);
    rows.forEach((row, m) => {
      if (!Array.isArray(row) || row.length !== tau) fail(where, `table[${m}].length`, row?.length, `${tau} (every row has tau lags)`);
      row.forEach((v, d) => (table[m * tau + d] = checkNumber(where, `table[${m}][${d}]`, v)));
    });
    return { kind, K: rows.length, tau, mu: NaN, table };
  }
  const K = checkInt(where, 'K', cfg.K, 1, 1024);
  const tau = checkInt(where, 'tau', cfg.tau, kind === 'raised-cosine-pillow08' ? 2 : 1, 100000);
  const mu = checkNumber(where, 'mu', cfg.mu ?? (kind === 'raised-cosine-pillow08' ? 0.5 : 1.5), { min: 0, minOpen: true });
  const table = new Float64Array(K * tau);
  for (let m = 0; m < K; m++) {
    for (let d = 1; d <= tau; d++) {
      let v: number;
      if (kind === 'raised-cosine-2020') {
        v = 0.5 + 0.5 * Math.cos(clip(Math.PI * mu * Math.log(d) - (m * Math.PI) / 2));
      } else if (kind === 'raised-cosine-pillow08') {
        const n = (x: number) => Math.log(x - 1 + tau / 10);
        const delta = (n(tau) - n(1)) / Math.max(K - 1, 1);
        const c = n(1) + m * delta;
        v = 0.5 * (1 + Math.cos(clip((Math.PI * mu * (n(d) - c)) / delta)));
      } else {
        v = Math.exp(-(d - 1) / tau);
      }
      table[m * tau + d - 1] = v;
    }
  }
  return { kind, K, tau, mu, table };
}

/** The table as nested arrays `[K][tau]` (for display and JSON). */
export function basisRows(b: Basis): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < b.K; m++) out.push(Array.from(b.table.subarray(m * b.tau, (m + 1) * b.tau)));
  return out;
}
