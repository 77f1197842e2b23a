/**
 * One classification run (SPEC 5.1 items 2-4 and 6): train a network online on the training set with
 * GEM-SNN at K compartments (or with the single-sample rule), recording a learning curve, then run
 * K_I compartments on every test example. The record keeps the raw per-compartment counts and
 * log-likelihoods, so every figure (log-likelihood vs K, accuracy vs K_I, reliability) is a view of it.
 */
import { createBaselineLearner, baselineTrainExample } from '../learn/single-sample';
import { Example } from '../model/training-example';
import { createGemLearner, gemTrainExample } from '../learn/gem';
import { createInferenceSession, type InferenceSession } from '../infer/inference';
import { decide, type Counts } from '../infer/decision';
import { logMeanExp } from '../util/math';
import { createNetwork, Network } from '../model/network';
import { BaselineOptions, GemOptions } from '../model/learning-options';
import { Progress, silentProgress } from '../util/progress';
import { makeRng, shuffleInPlace } from '../util/rng';
import type { NetworkParams, TrainParams } from './profiles';
import { WeightBlock, weightMovement } from './weight-movement';

/** Train and test examples with their shape. */
export interface ClassificationData {
  train: Example[];
  test: Example[];
  nIn: number;
  classes: number;
  T: number;
}

/** The learning rule of a run. */
export type RuleSpec = { rule: 'gem'; opts: GemOptions } | { rule: 'baseline'; opts: BaselineOptions };

/** One learning-curve point (on a fixed random subset of `curveExamples` test examples). */
export interface ClassificationCurvePoint {
  /** Training examples seen. */
  examples: number;
  /** Mean test log-likelihood per example (nats), K_I = max compartments. */
  loglik: number;
  /** Majority-rule accuracy with K_I = max compartments. */
  accuracy: number;
}

/** The record of one run. */
export interface ClassificationRun {
  rule: 'gem' | 'baseline';
  /** Training compartments (1 for the baseline). */
  K: number;
  seed: number;
  /** Inference compartments of the test record (K_I subsets are its first entries). */
  KI: number;
  T: number;
  classes: number;
  curve: ClassificationCurvePoint[];
  /** Test labels [n]. */
  labels: number[];
  /** Output spike counts per test example, [n][KI*classes] row-major per example. */
  counts: number[][];
  /** Σ_t Σ_o log p(x|u) per test example and compartment, [n][KI] (outputs clamped). */
  loglik: number[][];
  /**
   * Output spike counts after the first `countSteps[p]` steps (decisions made early, from the same
   * compartments and streams as `counts`): [P][n][KI*classes]. Absent when no steps were asked for.
   */
  countsAt?: { steps: number[]; counts: number[][][] };
  /** Per training window (between learning-curve points): how the weights and importance weights behaved. */
  diagnostics: TrainingDiagnostics;
  /** Seconds spent training and testing. */
  trainSeconds: number;
  testSeconds: number;
}

/** Learning diagnostics, one entry per window of `evalEvery` training examples. */
export interface TrainingDiagnostics {
  /** Training examples seen at the end of each window. */
  examples: number[];
  /** Mean over the window's steps of the effective sample size 1/Σ_k w_k² (GEM-SNN; 1 for the baseline). */
  meanEss: number[];
  /** Mean |ΔW| per synapse of each block over the window, normalised to 100 training examples. */
  movementPer100: Partial<Record<WeightBlock, number>>[];
}

/** Creates the run's network: inputs and outputs from the data, the rest from `p`. */
export function classificationNetwork(p: NetworkParams, data: ClassificationData, seed: number): Network {
  return createNetwork(
    { inputs: data.nIn, hidden: p.hidden, outputs: data.classes, topology: p.topology, synapticBasis: p.synapticBasis, feedbackBasis: p.feedbackBasis, initScale: p.initScale },
    seed,
  );
}

/** One training step of the run's learning rule; returns the example's mean effective sample size. */
function trainingStep(net: Network, ruleSpec: RuleSpec, seed: number): (ex: Example) => number {
  if (ruleSpec.rule === 'gem') {
    const learner = createGemLearner(net, ruleSpec.opts, seed);
    return (ex) => gemTrainExample(learner, ex).meanEss;
  }
  const learner = createBaselineLearner(net, ruleSpec.opts, seed);
  return (ex) => (baselineTrainExample(learner, ex), 1);
}

/**
 * Diagnostics per training window: `add` after each example with its mean ESS, `close` at the window's
 * end (weight movement since the last close, normalised to 100 examples). Does nothing on an empty window.
 */
function diagnosticsRecorder(net: Network) {
  const diagnostics: TrainingDiagnostics = { examples: [], meanEss: [], movementPer100: [] };
  let Wprev = net.W.slice();
  let essSum = 0;
  let inWindow = 0;
  return {
    diagnostics,
    add(ess: number): void {
      essSum += ess;
      inWindow++;
    },
    close(seenNow: number): void {
      if (inWindow === 0) return;
      const mv = weightMovement(net, Wprev, net.W);
      for (const k of Object.keys(mv) as WeightBlock[]) mv[k] = (mv[k]! * 100) / inWindow;
      diagnostics.examples.push(seenNow);
      diagnostics.meanEss.push(essSum / inWindow);
      diagnostics.movementPer100.push(mv);
      Wprev = net.W.slice();
      essSum = 0;
      inWindow = 0;
    },
  };
}

/** Test pass with fixed weights: labels, counts at T and at each of `steps`, clamped log-likelihoods. */
function testPass(session: InferenceSession, data: ClassificationData, KI: number, seed: number, steps: number[], progress: Progress) {
  const labels: number[] = [];
  const counts: number[][] = [];
  const loglik: number[][] = [];
  const at: number[][][] = steps.map(() => []);
  const stride = KI * data.classes;
  session.refresh();
  data.test.forEach((ex, i) => {
    labels.push(ex.label ?? -1);
    // one pass gives the counts at every checkpoint and at T (the same draws as inferCounts)
    const all = session.inferCountsAt(ex, KI, seed, i, [...steps, ex.T]);
    steps.forEach((_, p) => at[p].push(Array.from(all.subarray(p * stride, (p + 1) * stride))));
    counts.push(Array.from(all.subarray(steps.length * stride)));
    loglik.push(Array.from(session.logLikelihoodPerCompartment(ex, KI, seed, i)));
    progress.tick();
  });
  return { labels, counts, loglik, at };
}

/**
 * Trains and tests one network. Examples are shuffled per epoch with the stream `<seed>/shuffle/<epoch>`.
 * `progress` ticks once per training example and once per test example.
 */
export function runClassification(
  data: ClassificationData,
  network: NetworkParams,
  ruleSpec: RuleSpec,
  train: TrainParams,
  KI: number,
  seed: number,
  progress: Progress = silentProgress,
  countSteps: number[] = [],
): { run: ClassificationRun; net: Network } {
  const net = classificationNetwork(network, data, seed);
  const C = data.classes;
  // a fixed, class-balanced subset for the learning curve: the same for every run and seed
  const curveOrder = shuffleInPlace(data.test.map((_, i) => i), makeRng('curve-subset'));
  const curveIdx = curveOrder.slice(0, Math.min(train.curveExamples, data.test.length));
  const curveSet = curveIdx.map((i) => data.test[i]);
  const curve: ClassificationCurvePoint[] = [];
  // weights are fixed inside each evaluation and the test loop: one session, refreshed at their start
  const session = createInferenceSession(net);
  // a curve point from the clamped and free passes of example n of the curve subset
  const curvePoint = (examples: number, loglikOf: (n: number) => ArrayLike<number>, countsOf: (n: number) => Counts) => {
    let ll = 0;
    let correct = 0;
    for (let n = 0; n < curveIdx.length; n++) {
      ll += logMeanExp(loglikOf(n));
      if (decide(countsOf(n), KI, C, 'majority').label === curveSet[n].label) correct++;
    }
    curve.push({ examples, loglik: ll / curveIdx.length, accuracy: correct / curveIdx.length });
  };
  const evalCurve = (examples: number) => {
    session.refresh();
    curvePoint(examples, (n) => session.logLikelihoodPerCompartment(curveSet[n], KI, seed, curveIdx[n]), (n) => session.inferCounts(curveSet[n], KI, seed, curveIdx[n]));
  };
  const t0 = Date.now();
  const step = trainingStep(net, ruleSpec, seed);
  const windows = diagnosticsRecorder(net);
  let seen = 0;
  const total = train.epochs * data.train.length;
  evalCurve(0);
  for (let epoch = 0; epoch < train.epochs; epoch++) {
    const order = shuffleInPlace(data.train.map((_, i) => i), makeRng(seed, 'shuffle', epoch));
    for (const i of order) {
      windows.add(step(data.train[i]));
      seen++;
      progress.tick();
      if (seen % train.evalEvery === 0) {
        windows.close(seen);
        if (seen < total) evalCurve(seen);
      }
    }
  }
  if (seen % train.evalEvery !== 0) windows.close(seen);
  const t1 = Date.now();
  const steps = countSteps.filter((s) => s < data.T);
  const { labels, counts, loglik, at } = testPass(session, data, KI, seed, steps, progress);
  // the last curve point is the test pass on the curve subset (same weights, same streams): not run twice
  if (total > 0) curvePoint(total, (n) => loglik[curveIdx[n]], (n) => counts[curveIdx[n]]);
  const run: ClassificationRun = {
    rule: ruleSpec.rule,
    K: ruleSpec.rule === 'gem' ? ruleSpec.opts.K : 1,
    seed,
    KI,
    T: data.T,
    classes: C,
    curve,
    labels,
    counts,
    loglik,
    ...(steps.length ? { countsAt: { steps, counts: at } } : {}),
    diagnostics: windows.diagnostics,
    trainSeconds: (t1 - t0) / 1000,
    testSeconds: (Date.now() - t1) / 1000,
  };
  return { run, net };
}
