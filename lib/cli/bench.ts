/**
 * `gem-snn bench`: training and inference throughput of the fast engine on seeded random input spikes,
 * with the flags of the PyTorch peer (../shared/bench/torch_gem_snn.py): fully-connected network,
 * raised-cosine-2020 basis (Ka = --basis, τ = --tau), inputs Bernoulli(--density) per input per step,
 * label i mod outputs with its output spiking at every step. Training uses --threads threads (inference
 * always one). Prints one JSON line per configuration
 * (one per value of --K): training examples/s (GEM-SNN, K compartments), inference examples/s (K_I
 * compartments, outputs free) on an inference session (`infer_examples_per_s`) and through the plain
 * `inferCounts` (`infer_plain_examples_per_s`), peak resident memory, and the configuration. With
 * `--rule single-sample`: the single-sample rule's training examples/s beside GEM-SNN with K = 1.
 */
import { parseArgs } from 'node:util';
import { Example } from '../model/training-example';
import { createGemLearner, disposeGemLearner, gemTrainExample } from '../learn/gem';
import { createInferenceSession, inferCounts } from '../infer/inference';
import { createNetwork, Network } from '../model/network';
import { baselineTrainExample, createBaselineLearner, disposeBaselineLearner } from '../learn/single-sample';
import { makeRng } from '../util/rng';
import { VERSION } from '../version';

const HELP = `gem-snn bench: training and inference throughput on seeded random input spikes

Usage: gem-snn bench [options]

  --inputs N        input neurons (default 1352)
  --hidden N        hidden neurons (default 32)
  --outputs N       output neurons (default 3)
  --K LIST          compartments for training, comma-separated for several lines (default 5)
  --T N             steps per example (default 80)
  --basis N         synaptic basis functions Ka (default 8)
  --tau N           synaptic memory in steps (default 10)
  --density X       input spikes per input per step (default 0.059)
  --examples N      timed training examples (default 4)
  --warmup N        untimed examples before timing (default 1)
  --KI N            inference compartments (default 20)
  --infer-examples N  timed inference examples (default 2 × --examples)
  --lr X            learning rate η (default 1e-3, as the peer)
  --kappa X         κ = κv (default 0.2)
  --seed N          seed (default 0)
  --threads N       training threads: main + N−1 workers, bit-identical results (default 1)
  --rule R          gem (default) or single-sample: trains the single-sample rule (SPEC 2.2) and,
                    alternately on the same examples, GEM-SNN with K = 1; prints both throughputs
                    (--K and the inference timings do not apply)
  --help            this help
`;

function num(v: string | undefined, name: string, def: number, integer: boolean, min: number): number {
  if (v === undefined) return def;
  const x = Number(v);
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < min) {
    throw new Error(`bench: --${name} = ${JSON.stringify(v)}; expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return x;
}

/** Seeded random examples like the peer's: Bernoulli(density) inputs [T][nIn], label i mod nO. */
export function benchExamples(n: number, nIn: number, nO: number, T: number, density: number, seed: number): Example[] {
  const rng = makeRng(seed, 'bench-data');
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const input = new Uint8Array(T * nIn);
    for (let q = 0; q < input.length; q++) input[q] = rng.next() < density ? 1 : 0;
    const label = i % nO;
    const target = new Uint8Array(T * nO);
    for (let t = 0; t < T; t++) target[t * nO + label] = 1;
    out.push({ T, input, target, label });
  }
  return out;
}

const OPTIONS = {
  inputs: { type: 'string' },
  hidden: { type: 'string' },
  outputs: { type: 'string' },
  K: { type: 'string' },
  T: { type: 'string' },
  basis: { type: 'string' },
  tau: { type: 'string' },
  density: { type: 'string' },
  examples: { type: 'string' },
  warmup: { type: 'string' },
  KI: { type: 'string' },
  'infer-examples': { type: 'string' },
  lr: { type: 'string' },
  kappa: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  rule: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The benchmark's settings from its flags, each checked (an error names the flag, the value and the rule). */
function benchSettings(values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']) {
  const nEx = num(values.examples, 'examples', 4, true, 1);
  const density = num(values.density, 'density', 0.059, false, 0);
  if (density > 1) throw new Error(`bench: --density = ${density}; expected a number in [0, 1]`);
  const kappa = num(values.kappa, 'kappa', 0.2, false, 0);
  if (kappa >= 1) throw new Error(`bench: --kappa = ${kappa}; expected a number in [0, 1)`);
  const rule = values.rule ?? 'gem';
  if (rule !== 'gem' && rule !== 'single-sample') throw new Error(`bench: --rule = ${JSON.stringify(rule)}; expected gem or single-sample`);
  return {
    nIn: num(values.inputs, 'inputs', 1352, true, 0),
    nH: num(values.hidden, 'hidden', 32, true, 0),
    nO: num(values.outputs, 'outputs', 3, true, 1),
    T: num(values.T, 'T', 80, true, 1),
    Ka: num(values.basis, 'basis', 8, true, 1),
    tau: num(values.tau, 'tau', 10, true, 1),
    density,
    nEx,
    warmup: num(values.warmup, 'warmup', 1, true, 0),
    KI: num(values.KI, 'KI', 20, true, 1),
    nInf: num(values['infer-examples'], 'infer-examples', 2 * nEx, true, 1),
    lr: num(values.lr, 'lr', 1e-3, false, 0),
    kappa,
    seed: num(values.seed, 'seed', 0, true, 0),
    threads: num(values.threads, 'threads', 1, true, 1),
    Ks: (values.K ?? '5').split(',').map((x) => num(x.trim(), 'K', 0, true, 1)),
    rule,
  };
}
type BenchSettings = ReturnType<typeof benchSettings>;

/** Seconds of `nInf` inferences after `warmup` untimed ones, and their total output spikes. */
function timeInference(infer: (ex: Example, i: number) => Int32Array, data: Example[], warmup: number, nInf: number) {
  const t0 = process.hrtime.bigint();
  let spikes = 0;
  for (let i = 0; i < nInf; i++) spikes += infer(data[warmup + i], warmup + i).reduce((a, b) => a + b, 0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, spikes };
}

/** One configuration line: GEM-SNN training at K, then inference on a session and through inferCounts. */
async function benchGem(s: BenchSettings, K: number, net: Network, data: Example[]) {
  const learner = createGemLearner(net, { K, eta: s.lr, kappa: s.kappa, kappaV: s.kappa }, s.seed, { threads: s.threads });
  let path = '';
  for (let i = 0; i < s.warmup; i++) path = gemTrainExample(learner, data[i]).path;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < s.nEx; i++) path = gemTrainExample(learner, data[s.warmup + i]).path;
  const trainSec = Number(process.hrtime.bigint() - t0) / 1e9;
  await disposeGemLearner(learner);
  // inference on a session (weights fixed for the whole loop, as in a test set; built and warmed
  // up before timing), then the same examples through the plain function (W checked at every call)
  const session = createInferenceSession(net);
  for (let i = 0; i < s.warmup; i++) {
    session.inferCounts(data[i], s.KI, s.seed, i);
    inferCounts(net, data[i], s.KI, s.seed, i);
  }
  const inf = timeInference((ex, i) => session.inferCounts(ex, s.KI, s.seed, i), data, s.warmup, s.nInf);
  const plain = timeInference((ex, i) => inferCounts(net, ex, s.KI, s.seed, i), data, s.warmup, s.nInf);
  if (plain.spikes !== inf.spikes) throw new Error(`bench: session and inferCounts disagree (${inf.spikes} vs ${plain.spikes} output spikes)`);
  return {
    impl: 'gem-snn-ts',
    version: VERSION,
    node: process.version,
    threads: s.threads,
    inputs: s.nIn,
    hidden: s.nH,
    outputs: s.nO,
    K,
    T: s.T,
    basis: s.Ka,
    tau: s.tau,
    density: s.density,
    seed: s.seed,
    path,
    examples: s.nEx,
    seconds: +trainSec.toFixed(4),
    examples_per_s: +(s.nEx / trainSec).toFixed(4),
    KI: s.KI,
    infer_examples: s.nInf,
    infer_seconds: +inf.seconds.toFixed(4),
    infer_examples_per_s: +(s.nInf / inf.seconds).toFixed(4),
    infer_output_spikes: inf.spikes,
    infer_plain_examples_per_s: +(s.nInf / plain.seconds).toFixed(4),
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  };
}

/** Runs the benchmark; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const s = benchSettings(values);
  const data = benchExamples(s.warmup + Math.max(s.nEx, s.nInf), s.nIn, s.nO, s.T, s.density, s.seed);
  const network = () =>
    createNetwork(
      { inputs: s.nIn, hidden: s.nH, outputs: s.nO, synapticBasis: { kind: 'raised-cosine-2020', K: s.Ka, tau: s.tau, mu: 1.5 }, feedbackBasis: { kind: 'raised-cosine-2020', K: 1, tau: s.tau, mu: 1.5 } },
      s.seed,
    );
  if (s.rule === 'single-sample') {
    const config = { version: VERSION, node: process.version, threads: s.threads, inputs: s.nIn, hidden: s.nH, outputs: s.nO, T: s.T, basis: s.Ka, tau: s.tau, density: s.density, seed: s.seed, examples: s.nEx };
    console.log(JSON.stringify({ impl: 'gem-snn-ts', rule: s.rule, ...config, ...(await singleSampleVsGem(network, data, s.warmup, s.nEx, s.lr, s.kappa, s.seed, s.threads)) }));
    return 0;
  }
  for (const K of s.Ks) console.log(JSON.stringify(await benchGem(s, K, network(), data)));
  return 0;
}

/** Seconds to train examples warmup..warmup+nEx−1 after `warmup` untimed ones. */
function timeTraining(train: (ex: Example) => void, data: Example[], warmup: number, nEx: number): number {
  for (let i = 0; i < warmup; i++) train(data[i]);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < nEx; i++) train(data[warmup + i]);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Training throughput of the single-sample rule (η, κ; other options default) and of GEM-SNN with K = 1
 * (η, κ = κv) on the same examples and fresh copies of the same network, three rounds alternating which
 * runs first; medians of the rounds.
 */
async function singleSampleVsGem(network: () => Network, data: Example[], warmup: number, nEx: number, lr: number, kappa: number, seed: number, threads: number) {
  const ss: number[] = [];
  const gem: number[] = [];
  const runSs = async () => {
    const learner = createBaselineLearner(network(), { eta: lr, kappa }, seed, { threads });
    ss.push(nEx / timeTraining((ex) => baselineTrainExample(learner, ex), data, warmup, nEx));
    await disposeBaselineLearner(learner);
  };
  const runGem = async () => {
    const learner = createGemLearner(network(), { K: 1, eta: lr, kappa, kappaV: kappa }, seed, { threads });
    gem.push(nEx / timeTraining((ex) => gemTrainExample(learner, ex), data, warmup, nEx));
    await disposeGemLearner(learner);
  };
  for (let r = 0; r < 3; r++) {
    if (r % 2 === 0) {
      await runSs();
      await runGem();
    } else {
      await runGem();
      await runSs();
    }
  }
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[1];
  return {
    examples_per_s: +med(ss).toFixed(4),
    gem_k1_examples_per_s: +med(gem).toFixed(4),
    ratio_to_gem_k1: +(med(ss) / med(gem)).toFixed(3),
    rounds_examples_per_s: ss.map((x) => +x.toFixed(4)),
    rounds_gem_k1_examples_per_s: gem.map((x) => +x.toFixed(4)),
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  };
}
