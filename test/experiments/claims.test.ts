// Claims decided by intervals: constructed per-recording differences with a known answer give the
// verdict the rule says, stability is reported, and readings/README sections are generated from the
// numbers they are given (a smoke result never reads as the small profile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eceClaim, exampleDiffClaim, seedDiffClaim } from '../../lib/experiments/claims';
import { reading, replaceResultsSection, README_RESULTS_START, README_RESULTS_END } from '../../lib/experiments/readings';
import { weightMovement } from '../../lib/experiments/weight-movement';
import { countsAtStep, disagreement, exampleDecisions } from '../../lib/experiments/settings';
import { createNetwork } from '../../lib/model/network';
import { makeRng } from '../../lib/util/rng';
import type { ClassificationRun } from '../../lib/experiments/runs-classification';

const spec = (kind: 'increase' | 'non-inferior') => ({ id: `t-${kind}`, claim: 'x', kind, margin: 0.01, arms: 'b − a' });

/** Per-recording 0/1 correctness differences: `up` recordings gained, `down` lost, per seed. */
function flips(seeds: number, n: number, up: number, down: number): Float64Array[] {
  return Array.from({ length: seeds }, () => Float64Array.from({ length: n }, (_, i) => (i < up ? 1 : i < up + down ? -1 : 0)));
}

test('exampleDiffClaim: a clear gain holds, a clear loss does not, a tiny symmetric change is inside the margin', () => {
  const gain = exampleDiffClaim(spec('increase'), flips(5, 300, 30, 0));
  assert.equal(gain.verdict, 'holds');
  assert.equal(gain.stable, true);
  assert.ok(gain.interval!.lo > 0.05 && gain.interval!.hi < 0.15, JSON.stringify(gain.interval));
  assert.equal(exampleDiffClaim(spec('increase'), flips(5, 300, 0, 30)).verdict, 'does not hold');
  assert.equal(exampleDiffClaim(spec('increase'), flips(3, 600, 1, 1)).verdict, 'does not hold'); // within ±0.01
  assert.equal(exampleDiffClaim(spec('increase'), flips(5, 300, 4, 2)).verdict, 'inconclusive');
  assert.equal(exampleDiffClaim(spec('non-inferior'), flips(5, 300, 2, 3)).verdict, 'inconclusive');
  assert.equal(exampleDiffClaim(spec('non-inferior'), flips(3, 3000, 10, 12)).verdict, 'holds');
  assert.ok(gain.rule!.includes('above 0'));
});

test('seedDiffClaim: t interval over seeds; one outlying seed makes the verdict unstable', () => {
  const c = seedDiffClaim(spec('increase'), [1.2, 1.4, 1.1, 1.5, 1.3]);
  assert.equal(c.verdict, 'holds');
  assert.equal(c.stable, true);
  const u = seedDiffClaim(spec('increase'), [0.5, 0.6, 0.55, -0.9, 0.52]);
  assert.notEqual(u.leaveOneSeedOut!.every((v) => v === u.verdict), true);
  assert.equal(u.stable, false);
});

test('eceClaim: confidences made honest in arm b lower its ECE; identical arms are within the margin', () => {
  const rng = makeRng(1, 'ece-claim');
  const n = 400;
  const correct = Float64Array.from({ length: n }, () => (rng.next() < 0.8 ? 1 : 0));
  const over = { confidence: new Float64Array(n).fill(1), correct };
  const honest = { confidence: new Float64Array(n).fill(0.8), correct };
  const seeds = [0, 1, 2].map(() => [{ a: over, b: honest }]);
  assert.equal(eceClaim(spec('increase'), seeds, 10).verdict, 'holds');
  assert.equal(eceClaim(spec('increase'), [0, 1, 2].map(() => [{ a: honest, b: honest }]), 10).verdict, 'does not hold');
});

test('reading: generated from the given run (profile, seeds, verdicts), never another profile', () => {
  const claim = exampleDiffClaim(spec('increase'), flips(1, 20, 5, 0));
  const text = reading({ name: 'accuracy-vs-K', title: 't', dataNote: 'data: emulated', profile: 'smoke', seeds: [1], summary: {}, claims: [claim], tables: {} });
  assert.match(text, /profile `smoke`, seeds 1/);
  assert.doesNotMatch(text, /profile `small`/);
  assert.doesNotMatch(text, /unstable/); // one seed: no leave-one-out check, so no stability claim
  assert.match(text, /fewer than three seeds/);
  assert.match(text, new RegExp(`\\*\\*${claim.verdict}\\*\\*`));
  const doc = `a\n${README_RESULTS_START}\nold\n${README_RESULTS_END}\nb`;
  assert.equal(replaceResultsSection(doc, 'new'), `a\n${README_RESULTS_START}\nnew\n${README_RESULTS_END}\nb`);
  assert.throws(() => replaceResultsSection('no markers', 'x'), /markers/);
});

test('weightMovement: per block, only masked synapses, mean of Σ_m |ΔW|', () => {
  const net = createNetwork({ inputs: 3, hidden: 2, outputs: 1, topology: { preset: 'hidden-to-output', outputToHidden: false } }, 1);
  const W1 = net.W.slice();
  const Ka = net.synaptic.K;
  // hidden neuron 0 (l = 0) hears input 1: move its first basis weight by 0.6
  W1[(0 * net.N + 1) * Ka] += 0.6;
  const m = weightMovement(net, net.W, W1);
  assert.ok(Math.abs(m['input→hidden']! - 0.6 / 6) < 1e-12); // 2 hidden × 3 inputs
  assert.equal(m['hidden→output'], 0);
  assert.equal(m['input→output'], undefined); // not in this topology
});

test('decisions at an early step and disagreement use the recorded early counts', () => {
  const run = {
    K: 1, seed: 1, KI: 2, T: 10, classes: 2, labels: [0, 1],
    counts: [[5, 1, 4, 2], [0, 3, 1, 4]],
    countsAt: { steps: [5], counts: [[[1, 2, 2, 0], [0, 1, 0, 1]]] },
  } as unknown as ClassificationRun;
  assert.deepEqual(countsAtStep(run, 5), [[1, 2, 2, 0], [0, 1, 0, 1]]);
  assert.throws(() => countsAtStep(run, 7), /no counts at step 7/);
  assert.equal(exampleDecisions(run, 2, 'majority').accuracy, 1);
  assert.equal(disagreement(run, 2, 10), 0);
  assert.equal(disagreement(run, 2, 5), 0.5); // example 0: compartments say 1 and 0
});
