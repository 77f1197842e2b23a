/**
 * How much each layer of a network learns: the mean absolute change of its synaptic weights between two
 * snapshots of W, per synapse (Σ_m |ΔW[l,j,m]| over the basis, averaged over the synapses of the block
 * that the mask allows). Used to show why hidden neurons learn slowly (their weights move far less than
 * the output layer's per training example).
 */
import type { Network } from '../model/network';

/** Blocks of synapses by presynaptic and postsynaptic kind. */
export const WEIGHT_BLOCKS = ['input→hidden', 'hidden→hidden', 'output→hidden', 'input→output', 'hidden→output', 'output→output'] as const;
export type WeightBlock = (typeof WEIGHT_BLOCKS)[number];

/**
 * Mean over the synapses of each block of Σ_m |W1[l,j,m] − W0[l,j,m]| (W0, W1: [L][N][Ka] like net.W).
 * Blocks without synapses in the mask are left out.
 */
export function weightMovement(net: Network, W0: Float64Array, W1: Float64Array): Partial<Record<WeightBlock, number>> {
  const { nIn, nH, L, N } = net;
  const Ka = net.synaptic.K;
  const mask = net.topology.mask;
  const sum = new Map<WeightBlock, number>();
  const cnt = new Map<WeightBlock, number>();
  for (let l = 0; l < L; l++) {
    const post = l < nH ? 'hidden' : 'output';
    for (let j = 0; j < N; j++) {
      if (!mask[l * N + j]) continue;
      const pre = j < nIn ? 'input' : j < nIn + nH ? 'hidden' : 'output';
      const block = `${pre}→${post}` as WeightBlock;
      let d = 0;
      const base = (l * N + j) * Ka;
      for (let m = 0; m < Ka; m++) d += Math.abs(W1[base + m] - W0[base + m]);
      sum.set(block, (sum.get(block) ?? 0) + d);
      cnt.set(block, (cnt.get(block) ?? 0) + 1);
    }
  }
  const out: Partial<Record<WeightBlock, number>> = {};
  for (const b of WEIGHT_BLOCKS) if (cnt.get(b)) out[b] = sum.get(b)! / cnt.get(b)!;
  return out;
}
