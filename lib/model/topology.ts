/**
 * Connectivity of the learnable neurons (SPEC 1). Neurons are indexed 0..N−1 as inputs, hidden,
 * outputs; learnable neuron l (0..L−1, hidden first) is neuron nIn + l. A topology is a mask
 * `mask[l * N + j]` (1 = synapse from neuron j to learnable l) and `feedback[l]` (1 = l has a feedback
 * filter on its own past spikes).
 */
import { checkKeys, checkOneOf, fail } from '../util/validate';

export const TOPOLOGY_PRESETS = ['fully-connected', 'feedforward', 'hidden-to-output', 'custom'] as const;
export type TopologyName = (typeof TOPOLOGY_PRESETS)[number];

/** Neuron counts. */
export interface Sizes {
  inputs: number;
  hidden: number;
  outputs: number;
}

/** How to connect the network. */
export interface TopologyConfig {
  preset: TopologyName;
  /** `hidden-to-output` only: whether outputs also project to hidden neurons (default true). */
  outputToHidden?: boolean;
  /**
   * Presets only: whether output neurons have a feedback filter on their own past spikes (default true
   * for `fully-connected` and `feedforward`, false for `hidden-to-output`). Without it, and without
   * output → output synapses, a clamped output cannot predict itself from its own history.
   */
  outputFeedback?: boolean;
  /** `custom` only: L rows of N entries (0/1). */
  mask?: number[][];
  /** `custom` only: L entries (0/1); default all 1. */
  feedback?: number[];
}

/** A resolved topology. */
export interface Topology {
  preset: TopologyName;
  outputToHidden: boolean;
  outputFeedback: boolean;
  /** Uint8Array [L][N]. */
  mask: Uint8Array;
  /** Uint8Array [L]. */
  feedback: Uint8Array;
}

type Kind = 'in' | 'hid' | 'out';

/** Builds and validates the mask of a preset or custom topology (pure). */
export function makeTopology(cfg: TopologyConfig, sizes: Sizes, where = 'topology'): Topology {
  checkKeys(where, 'config', cfg, ['preset', 'outputToHidden', 'outputFeedback', 'mask', 'feedback']);
  const preset = checkOneOf(where, 'preset', cfg.preset, TOPOLOGY_PRESETS);
  const { inputs: nIn, hidden: nH, outputs: nO } = sizes;
  const L = nH + nO;
  const N = nIn + L;
  const mask = new Uint8Array(L * N);
  const feedback = new Uint8Array(L);
  const outputToHidden = cfg.outputToHidden ?? true;
  const outputFeedback = cfg.outputFeedback ?? preset !== 'hidden-to-output';
  const kindOf = (n: number): Kind => (n < nIn ? 'in' : n < nIn + nH ? 'hid' : 'out');

  if (preset === 'custom') {
    const rows = cfg.mask;
    if (!Array.isArray(rows) || rows.length !== L) fail(where, 'mask.length', rows?.length, `${L} rows (one per learnable neuron: ${nH} hidden + ${nO} outputs)`);
    rows.forEach((row, l) => {
      if (!Array.isArray(row) || row.length !== N) fail(where, `mask[${l}].length`, row?.length, `${N} (inputs + hidden + outputs)`);
      row.forEach((v, j) => {
        if (v !== 0 && v !== 1) fail(where, `mask[${l}][${j}]`, v, '0 or 1');
        if (v && j === nIn + l) fail(where, `mask[${l}][${j}]`, v, '0: no self-synapse (self-influence goes through the feedback filter)');
        mask[l * N + j] = v ? 1 : 0;
      });
    });
    const fb = cfg.feedback ?? new Array<number>(L).fill(1);
    if (!Array.isArray(fb) || fb.length !== L) fail(where, 'feedback.length', fb?.length, `${L} (one per learnable neuron)`);
    fb.forEach((v, l) => {
      if (v !== 0 && v !== 1) fail(where, `feedback[${l}]`, v, '0 or 1');
      feedback[l] = v;
    });
    return { preset, outputToHidden, outputFeedback, mask, feedback };
  }

  for (let l = 0; l < L; l++) {
    const post: Kind = l < nH ? 'hid' : 'out';
    feedback[l] = post === 'out' && !outputFeedback ? 0 : 1;
    for (let j = 0; j < N; j++) {
      if (j === nIn + l) continue;
      const pre = kindOf(j);
      let on: boolean;
      if (preset === 'fully-connected') on = true;
      else if (preset === 'feedforward') on = (pre === 'in') || (pre === 'hid' && post === 'out');
      else {
        // hidden-to-output: outputs hear hidden neurons only
        on = post === 'hid' ? pre === 'in' || pre === 'hid' || (pre === 'out' && outputToHidden) : pre === 'hid';
      }
      mask[l * N + j] = on ? 1 : 0;
    }
  }
  return { preset, outputToHidden, outputFeedback, mask, feedback };
}

/** The mask as nested arrays `[L][N]` of 0/1 (for JSON and display). */
export function maskRows(t: Topology, N: number): number[][] {
  const L = t.feedback.length;
  const out: number[][] = [];
  for (let l = 0; l < L; l++) out.push(Array.from(t.mask.subarray(l * N, (l + 1) * N)));
  return out;
}
