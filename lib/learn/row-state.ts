/**
 * The state shared by the row phase of one training step (gem-rows.ts and, for its rows, gem-recurrent.ts
 * and single-sample-rows.ts): shapes, connectivity, parameters, eligibility traces, the step's signals,
 * traces and potentials, the factorisation tables. On SharedArrayBuffers when worker threads read it.
 */
/** Shared state of the per-row step (layouts row-major; "shared" = read and written by every thread). */
export interface RowState {
  K: number;
  L: number;
  N: number;
  nIn: number;
  nH: number;
  Ka: number;
  Kb: number;
  /** Synaptic memory τa (steps) and basis table A [Ka][τa]. */
  tauA: number;
  A: Float64Array;
  eta: number;
  kappa: number;
  /** Row l's learnable presynaptic neurons recPre[recStart[l]..recStart[l+1]) and inputs (custom masks). */
  recPre: Int32Array;
  recStart: Int32Array;
  inPre: Int32Array;
  inStart: Int32Array;
  /** Per row: 0 hears no input, 1 every input, 2 some inputs. */
  inputMode: Uint8Array;
  /** Per row: 1 when it has feedback weights. */
  fbMask: Uint8Array;
  /** Connectivity mask [L][N] (1 = synapse from neuron j to learnable l). */
  mask: Uint8Array;
  /** Uint8Array [L]: rows of this example on the factorised / direct input path (written by the main thread). */
  factRows: Uint8Array;
  directRows: Uint8Array;
  /** Parameters: W [L][N][Ka], F [L][Kb], b [L]. */
  W: Float64Array;
  F: Float64Array;
  b: Float64Array;
  /** Eligibility traces: eRec [L][K][L][Ka], eF [L][Kb][K], eb [L][K], eIn [L][nIn][Ka][K] (or empty). */
  eRec: Float64Array;
  eF: Float64Array;
  eb: Float64Array;
  eIn: Float64Array;
  /** Step quantities written by the main thread before the row phase: g [K][L], a for hidden / outputs [K]. */
  g: Float64Array;
  aH: Float64Array;
  aO: Float64Array;
  /** Potentials [K][L] of the next step (written by the row phase). */
  u: Float64Array;
  /** Learnable traces by parity of the step: tr [2][K][L][Ka], fb [2][L][Kb][K]. */
  tr: Float64Array;
  fb: Float64Array;
  /** Input traces by parity [2][nIn][Ka], their non-zero inputs [2][nIn] and counts [2]. */
  trIn: Float64Array;
  actIn: Int32Array;
  nActIn: Int32Array;
  /** Factorisation tables (capacity cap ≥ T): Z [T][L], G [T][T] (row stride T), C [T][L], gT [T][L][K], κ^n [T]. */
  Z: Float64Array;
  G: Float64Array;
  C: Float64Array;
  gT: Float64Array;
  kpow: Float64Array;
  /** Input spikes of the example by input (CSR): input j spiked at steps spTimes[spInStart[j]..spInStart[j+1]), ascending. */
  spInStart: Int32Array;
  spTimes: Int32Array;
  /**
   * Rule of the hidden rows: 0 GEM-SNN; 1 the single-sample rule (SPEC 2.2, K = 1): hidden rows update
   * with the learning signal signal[0] and per-parameter baselines (single-sample-rows.ts); outputs as GEM-SNN with a = 1.
   */
  rule: number;
  /** Baseline averaging β (single-sample rule). */
  beta: number;
  /** Float64Array [1]: the learning signal ℓ of the step (single-sample rule; written by the main thread). */
  signal: Float64Array;
  /**
   * Baseline numerators and denominators of the hidden rows (single-sample rule; empty otherwise), in the
   * layouts of eRec, eF, eb with K = 1 and of eIn restricted to hidden rows [nH][nIn][Ka].
   */
  numRec: Float64Array;
  denRec: Float64Array;
  numF: Float64Array;
  denF: Float64Array;
  numB: Float64Array;
  denB: Float64Array;
  numIn: Float64Array;
  denIn: Float64Array;
  /**
   * Factorised recurrent synapses (gem-recurrent.ts): per row 1 when on that path in this example; spike
   * bitsets have nw words per compartment and step; presynaptic bitsets Pb [L][nw]; the learnable neurons
   * a row does not hear excIdx[excStart[l]..excStart[l+1]) with virtual eligibility eExc [nExc][Ka][K] and
   * weights wExc [nExc][Ka]; Q = AᵀA [τa][τa]; per example (capacity recCap ≥ T): C_k Crec [L][T][K], Gram
   * column Gc [T][K][K], coincidence counts O [K][K][T][T], spike bitsets Sb [T][K][nw].
   */
  recFact: Uint8Array;
  nw: number;
  Pb: Int32Array;
  excStart: Int32Array;
  excIdx: Int32Array;
  eExc: Float64Array;
  wExc: Float64Array;
  Q: Float64Array;
  recCap: number;
  /** R history Rh [L][τa][K][Ka] (recurrentPotentials); spike lists of the example Sl [T][K][L], counts Sn [T][K]. */
  Rh: Float64Array;
  Sl: Int32Array;
  Sn: Int32Array;
  /** Per learnable neuron j its spikes of the example as offsets (a·K + k)·Ka: Jl [L][T·K], counts Jn [L]. */
  Jl: Int32Array;
  Jn: Int32Array;
  Crec: Float64Array;
  Gc: Float64Array;
  O: Int32Array;
  Sb: Int32Array;
}
