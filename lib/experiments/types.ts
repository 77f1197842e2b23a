/** Shapes shared by the experiment definitions, the results writer and the notebooks. */
import type { Progress } from '../util/progress';
import type { SuiteParams } from './profiles';
import type { ClaimKind, PairedInterval, Verdict } from './intervals';

/** One row of a tidy long-form metrics table: identifying columns plus `metric` and `value`. */
export interface MetricRow {
  experiment: string;
  metric: string;
  value: number;
  seed?: number;
  K?: number;
  KI?: number;
  rule?: string;
  /** x of a learning curve (training examples or iterations). */
  step?: number;
  /** Free-form configuration label (sweeps). */
  config?: string;
}

/** One claim of SPEC 5.3 checked on our numbers. */
export interface ClaimCheck {
  id: string;
  claim: string;
  /** Our numbers, e.g. "K=1: −52.1 ± 0.8 → K=20: −47.3 ± 1.1 (gap +4.8)". */
  ours: string;
  /** true = holds, false = does not hold, null = inconclusive or not tested in this profile. */
  holds: boolean | null;
  /** Decided by the interval (README, "How a claim is decided"); absent for exact consistency checks. */
  verdict?: Verdict;
  /** 95 % interval of the paired difference (d > 0 = the claimed side). */
  interval?: PairedInterval;
  /** Margin of the rule, in the unit of the difference. */
  margin?: number;
  kind?: ClaimKind;
  /** The rule in words. */
  rule?: string;
  /** The compared arms. */
  arms?: string;
  /** Topology / setting the claim is judged in. */
  setting?: string;
  /** Every leave-one-seed-out verdict equals the full one. */
  stable?: boolean;
  leaveOneSeedOut?: Verdict[];
}

/**
 * What computing an experiment gives (everything written to results/<name>/ except the figures):
 * tidy metric rows, a summary, the claims it checks and small tables. Figures are built from this
 * object alone (lib/figures/experiments/), so a notebook can re-plot `rows` without recomputing.
 */
export interface ExperimentRows {
  name: string;
  title: string;
  params: SuiteParams;
  /** Which data: "emulated MNIST-DVS (...)" or "real MNIST-DVS (...)" or "synthetic pattern". */
  dataNote: string;
  rows: MetricRow[];
  summary: Record<string, unknown>;
  claims: ClaimCheck[];
  /** Small tables for notebooks and the README (array of row objects). */
  tables: Record<string, Record<string, unknown>[]>;
  /** Inputs of figures that are not metrics (e.g. event images of recordings); never written to files. */
  plotData?: Record<string, unknown>;
}

/** Computes an experiment's rows from the suite parameters. */
export type ExperimentCompute = (p: SuiteParams, opts?: ExperimentOptions) => Promise<ExperimentRows>;

/** How to execute an experiment. */
export interface ExperimentOptions {
  /** Results root (default results/ for profile small, results/profile-<name>/ otherwise). */
  resultsDir?: string;
  /** Recompute runs even when cached. */
  force?: boolean;
  /**
   * Real digit-0 recordings for the 'data' experiment (default: ../shared/mnist-dvs/real-digit0 beside
   * the checkout when present, else the five fixtures in test/fixtures/mnist-dvs).
   */
  realDir?: string;
  /** Progress display factory (terminal bar or notebook display). */
  progress?: (label: string, total: number) => Progress;
  /** Log lines (default: none). */
  log?: (line: string) => void;
}
