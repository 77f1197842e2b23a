/**
 * Structured-output memorisation (SPEC 5.1 item 5; the journal version's first task): the outputs must
 * learn to emit a fixed spatio-temporal spike pattern, with no input. One example is the whole pattern;
 * each training iteration presents it once. The score is the test log-likelihood of the pattern per
 * time step, estimated with K_I compartments (outputs clamped, hidden sampled).
 */
import { Example } from '../model/training-example';
import { createGemLearner, gemTrainExample } from '../learn/gem';
import { logLikelihoodPerCompartment } from '../infer/inference';
import { logMeanExp } from '../util/math';
import { createNetwork } from '../model/network';
import { makeRng } from '../util/rng';
import { Progress, silentProgress } from '../util/progress';
import { loadMnist, mnistImage } from '../data/mnist';
import type { GemParams, MemorizationParams } from './profiles';

/**
 * The pattern to memorise: Uint8Array [T][outputs]. 'random': each entry 1 with probability `density`
 * (stream `<seed>/pattern`). 'digit': the first MNIST training image of digit `seed mod 10`,
 * downsampled to `outputs` rows × T columns and thresholded at its median, read column by column.
 */
export function memorizationPattern(p: Pick<MemorizationParams, 'outputs' | 'T' | 'density' | 'pattern'>, seed: number): Uint8Array {
  const { outputs: nO, T } = p;
  const y = new Uint8Array(T * nO);
  if (p.pattern === 'digit') {
    const set = loadMnist('train');
    const digit = ((seed % 10) + 10) % 10;
    let idx = 0;
    while (set.labels[idx] !== digit) idx++;
    const img = mnistImage(set, idx); // 28×28, row-major
    const vals = new Float64Array(T * nO);
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < nO; o++) {
        // average the image over the cell of row o, column t
        const r0 = Math.floor((o * 28) / nO), r1 = Math.max(r0 + 1, Math.floor(((o + 1) * 28) / nO));
        const c0 = Math.floor((t * 28) / T), c1 = Math.max(c0 + 1, Math.floor(((t + 1) * 28) / T));
        let s = 0;
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += img[r * 28 + c];
        vals[t * nO + o] = s / ((r1 - r0) * (c1 - c0));
      }
    }
    const sorted = Array.from(vals).sort((a, b) => a - b);
    const thr = Math.max(1, sorted[Math.floor(sorted.length * (1 - p.density))]);
    for (let i = 0; i < vals.length; i++) y[i] = vals[i] >= thr ? 1 : 0;
    return y;
  }
  const rng = makeRng(seed, 'pattern');
  for (let i = 0; i < y.length; i++) y[i] = rng.next() < p.density ? 1 : 0;
  return y;
}

/** One learning-curve point. */
export interface CurvePoint {
  /** Training iterations (pattern presentations) done. */
  iteration: number;
  /** Test log-likelihood per time step (nats), K_I compartments. */
  loglikPerStep: number;
}

/** Result of one memorisation run (one K, one seed). */
export interface MemorizationRun {
  K: number;
  seed: number;
  curve: CurvePoint[];
  /** Log-likelihood per step of the marginal-rate predictor (every output fires at the pattern's mean rate): a floor. */
  marginalLoglikPerStep: number;
  /** Mean training log-likelihood per step over the last 10 % of iterations (clamped, averaged over compartments). */
  finalTrainLoglikPerStep: number;
}

/**
 * Trains one network on the pattern with GEM-SNN at K compartments and records the test
 * log-likelihood every `evalEvery` iterations. `gem` overrides `p.gem` (the sweep uses it).
 */
export function runMemorization(p: MemorizationParams, K: number, seed: number, progress: Progress = silentProgress, gem: GemParams = p.gem): MemorizationRun {
  const pattern = memorizationPattern(p, seed);
  const ex: Example = { T: p.T, input: new Uint8Array(0), target: pattern };
  const net = createNetwork({ inputs: 0, hidden: p.hidden, outputs: p.outputs, topology: p.topology }, seed);
  const learner = createGemLearner(net, { ...gem, K }, seed);
  const curve: CurvePoint[] = [];
  const evaluate = (iteration: number) => {
    const per = logLikelihoodPerCompartment(net, ex, p.KI, seed, iteration);
    curve.push({ iteration, loglikPerStep: logMeanExp(per) / p.T });
  };
  let trainSum = 0;
  let trainN = 0;
  const tail = Math.max(1, Math.floor(p.iterations / 10));
  for (let it = 0; it < p.iterations; it++) {
    if (it % p.evalEvery === 0) evaluate(it);
    const s = gemTrainExample(learner, ex);
    if (it >= p.iterations - tail) {
      let m = 0;
      for (let k = 0; k < K; k++) m += s.logPOutputs[k];
      trainSum += m / K / p.T;
      trainN++;
    }
    progress.tick();
  }
  evaluate(p.iterations);
  let ones = 0;
  for (const v of pattern) ones += v;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, ones / pattern.length));
  const marginal = (p.outputs * (rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate)));
  return { K, seed, curve, marginalLoglikPerStep: marginal, finalTrainLoglikPerStep: trainSum / trainN };
}
