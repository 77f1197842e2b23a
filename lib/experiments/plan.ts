/**
 * Run planning: the runs behind a set of experiments (deduplicated, so a run shared by several
 * experiments is computed once), an estimate of each run's cost for scheduling (longest first keeps the
 * worker pool busy to the end), and the split of a plan into shards for `reproduce --shard i/n`.
 */
import { ClassificationSpec, runKey, RunSpec } from './runs';
import { makeTopology } from '../model/topology';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (1 <= i <= n); throws naming the value and what is allowed. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || !Number.isSafeInteger(count)) {
    throw new Error(`--shard ${text}; expected i/n with 1 <= i <= n (e.g. --shard 2/8)`);
  }
  return { index, count };
}

/** Specs in first-seen order with duplicates (equal run keys) removed. */
export function uniqueRuns(specs: RunSpec[]): RunSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const k = runKey(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Synapses between learnable neurons of a classification network (the per-compartment work of training
 * and inference grows with them: 96 feedforward, 1184 hidden-only, 1190 fully connected at 32-3).
 */
function recurrentSynapses(spec: ClassificationSpec): number {
  const hidden = spec.network.hidden;
  const outputs = spec.data.digits.length;
  const { mask } = makeTopology(spec.network.topology, { inputs: 1, hidden, outputs });
  const L = hidden + outputs;
  let n = 0;
  for (let l = 0; l < L; l++) for (let j = 1; j <= L; j++) n += mask[l * (L + 1) + j];
  return n;
}

/**
 * Rough cost of a run in milliseconds of one core of this machine, used only to order and deal out runs
 * (never in results). Classification, measured at 1352-32-3, T = 80, input density 0.059 (medians of 9
 * rounds on the shared 2-core machine, 2026-12-02, after the exact speedups of issue 13), with S the
 * synapses between learnable neurons in thousands (0.096 feedforward, 1.18 hidden-only, 1.19 fully
 * connected): GEM-SNN training per example ≈ 4.2 + 6.0·S + K·(0.45 + 2.45·S) ms; the single-sample
 * rule ≈ 220 ms per example (its per-parameter baseline over every hidden input synapse at every step);
 * inference ≈ 0.5 + 0.7·S ms per compartment for the free and clamped passes together, on the
 * learning-curve subsets and the test set. Scaled by T/80 and (hidden + classes)/35. Memorisation:
 * ≈ 2.4 µs per compartment and step of its small network.
 */
export function runCost(spec: RunSpec): number {
  if (spec.kind === 'memorization') {
    const m = spec.params;
    const evals = Math.floor(m.iterations / m.evalEvery) + 1;
    return 0.0024 * m.T * (m.iterations * spec.K + evals * m.KI) * (1 + (m.hidden + m.outputs) / 13);
  }
  const d = spec.data;
  const steps = Math.floor(d.sampleMs / d.dtMs) / 80;
  const size = (spec.network.hidden + d.digits.length) / 35;
  const S = recurrentSynapses(spec) / 1000;
  const train = d.digits.length * d.trainPerDigit * spec.train.epochs;
  const test = d.digits.length * d.testPerDigit;
  // curve points before the last (the last is read off the test pass)
  const points = 1 + Math.floor(Math.max(0, train - 1) / spec.train.evalEvery);
  const perExample = spec.rule.rule === 'gem' ? 4.2 + 6.0 * S + spec.rule.opts.K * (0.45 + 2.45 * S) : 220;
  const inference = (points * Math.min(spec.train.curveExamples, test) + test) * spec.KI * (0.5 + 0.7 * S);
  return steps * size * (train * perExample + inference);
}

/** Specs ordered longest first (ties by run key, so every process orders a plan the same way). */
export function longestFirst(specs: RunSpec[]): RunSpec[] {
  return specs
    .map((s) => ({ s, cost: runCost(s), key: runKey(s) }))
    .sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((e) => e.s);
}

/**
 * The runs of shard `shard` of a plan. Every process computes the same split from the same plan: the
 * runs, identified by their run keys (hashes of their specs), are taken longest first and each given to
 * the shard with the least estimated work so far (lowest index on ties), so the shards finish at about
 * the same time. Together the shards cover the plan exactly once.
 */
export function shardRuns(plan: RunSpec[], shard: Shard): RunSpec[] {
  const load = new Array<number>(shard.count).fill(0);
  const mine: RunSpec[] = [];
  for (const s of longestFirst(uniqueRuns(plan))) {
    let best = 0;
    for (let j = 1; j < shard.count; j++) if (load[j] < load[best]) best = j;
    load[best] += runCost(s);
    if (best === shard.index - 1) mine.push(s);
  }
  return mine;
}
