// Loads ../shared/test-vectors (written by an independent float64 implementation of SPEC 1-3).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Example } from '../../lib/model/training-example';
import { Network, networkWithParams, NetworkConfig } from '../../lib/model/network';

export const VECTORS_DIR = join(__dirname, '..', '..', '..', 'shared', 'test-vectors');

export interface Vector {
  topology: string;
  T: number;
  network: {
    inputs: number;
    hidden: number;
    outputs: number;
    synaptic_basis: number[][];
    feedback_basis: number[][];
    mask: number[][];
    feedback_mask: number[];
    W: number[][][];
    F: number[][];
    b: number[];
  };
  input_spikes: number[][];
  target_outputs: number[][];
  exact: {
    exact_log_px: number;
    elbo_K1: number;
    posterior_hidden_marginals: number[][];
    given_hidden: number[][];
    given_potentials: number[][];
    given_log_p_outputs: number;
    given_log_p_hidden: number;
  };
  gem_replay: {
    options: { eta: number; kappa: number; kappa_v: number; logit_scale: 'mean' | 'sum'; hidden_signal: 'gem' | 'centered'; K: number; traces_start_at_zero: boolean };
    hidden_spikes_per_compartment: number[][][];
    importance_weights_per_step: number[][];
    W_after: number[][][];
    F_after: number[][];
    b_after: number[];
  }[];
  baseline_replay: {
    options: { eta: number; kappa: number; beta: number; gamma: number; r: number };
    hidden_spikes: number[][];
    learning_signal_per_step: number[];
    W_after: number[][][];
    F_after: number[][];
    b_after: number[];
  };
  loglik_estimate: { hidden_spikes_per_compartment: number[][][]; per_compartment_log_p_outputs: number[]; estimate: number };
}

export const VECTOR_FILES = ['tiny-fully-connected.json', 'tiny-hidden-to-output.json'];

/**
 * CI runs with ../shared beside the clone: there a missing vector must fail the tests, never skip them.
 * Elsewhere (a clone without ../shared) the vector tests are skipped with a message.
 */
const REQUIRED = Boolean(process.env.CI);

export function vectorsAvailable(): boolean {
  return REQUIRED || existsSync(join(VECTORS_DIR, VECTOR_FILES[0]));
}

export function loadVector(name: string): Vector {
  return JSON.parse(readFileSync(join(VECTORS_DIR, name), 'utf8')) as Vector;
}

/** The network config of a vector (custom basis tables and mask, as given). */
export function vectorConfig(v: Vector): NetworkConfig {
  const n = v.network;
  return {
    inputs: n.inputs,
    hidden: n.hidden,
    outputs: n.outputs,
    synapticBasis: { kind: 'custom', K: n.synaptic_basis.length, tau: n.synaptic_basis[0].length, table: n.synaptic_basis },
    feedbackBasis: { kind: 'custom', K: n.feedback_basis.length, tau: n.feedback_basis[0].length, table: n.feedback_basis },
    topology: { preset: 'custom', mask: n.mask, feedback: n.feedback_mask },
  };
}

export function vectorNetwork(v: Vector): Network {
  return networkWithParams(vectorConfig(v), v.network);
}

export const flat = (rows: number[][]): Uint8Array => Uint8Array.from(rows.flat());

export function vectorExample(v: Vector): Example {
  return { T: v.T, input: flat(v.input_spikes), target: flat(v.target_outputs) };
}

/** The decision-rule and ECE vector (SPEC 3). */
export interface DecisionsVector {
  decisions: {
    counts: number[][];
    per_compartment: number[];
    majority: number;
    majority_confidence: number;
    mean_count: number;
    mean_count_confidence: number;
  }[];
  ece: {
    confidence: number[];
    correct: number[];
    bins: number;
    bin_counts: number[];
    bin_accuracy: (number | null)[];
    bin_confidence: (number | null)[];
    ece: number;
  };
}

export const DECISIONS_FILE = 'decisions-and-calibration.json';

export function loadDecisionsVector(): DecisionsVector {
  return JSON.parse(readFileSync(join(VECTORS_DIR, DECISIONS_FILE), 'utf8')) as DecisionsVector;
}

export function decisionsAvailable(): boolean {
  return REQUIRED || existsSync(join(VECTORS_DIR, DECISIONS_FILE));
}
