/**
 * Profiles of the experiment suite (SPEC 5.2): named, complete parameter sets. Any parameter can be
 * overridden (deep merge of a JSON object; arrays are replaced whole). Unknown keys are errors, so a
 * typo never silently runs the default. Notebooks read GEM_PROFILE and GEM_PARAMS (JSON) from the
 * environment; the command line takes --profile and --set key=value / --params JSON.
 */
import { BasisConfig, DEFAULT_FEEDBACK_BASIS, DEFAULT_SYNAPTIC_BASIS } from '../model/basis';
import { BaselineOptions, DEFAULT_BASELINE, DEFAULT_GEM, GemOptions } from '../model/learning-options';
import { TopologyConfig } from '../model/topology';
import { notebookParams } from './profile-env';
import { checkEmulatorParams, DEFAULT_EMULATOR, type EmulatorParams } from '../data/emulator';
import { makeBasis } from '../model/basis';
import { makeTopology } from '../model/topology';
import { resolveBaselineOptions, resolveGemOptions } from '../model/learning-options';
import { checkSteps } from '../model/training-example';
import { checkInt, checkNumber, checkOneOf, fail } from '../util/validate';

/** Which MNIST-DVS recordings, and how they are turned into spikes. */
export interface DataParams {
  /** 'emulated' (default, generated from MNIST digits) or 'real' (recordings under `root`). */
  source: 'emulated' | 'real';
  /** Folder of the real distribution (grabbed_data<d>/scale4/...); MNIST_DVS_ROOT if empty. */
  root: string;
  digits: number[];
  trainPerDigit: number;
  testPerDigit: number;
  /** Bin width in ms (25 → T = 80 for 2 s). */
  dtMs: number;
  /** Length of each example in ms. */
  sampleMs: number;
  /** 1352 inputs (ON/OFF separate) or 676 (merged). */
  layout: 1352 | 676;
  /** Seed of the emulator. */
  emulatorSeed: number;
  /** Every parameter of the DVS emulator (lib/data/emulator.ts; data/README.md says what each serves). */
  emulator: EmulatorParams;
}

/** The network of the classification experiments (inputs and outputs follow from the data). */
export interface NetworkParams {
  hidden: number;
  topology: TopologyConfig;
  synapticBasis: BasisConfig;
  feedbackBasis: BasisConfig;
  initScale: number;
}

/** GEM-SNN options except K, which each experiment sweeps. */
export type GemParams = Omit<GemOptions, 'K'>;

export interface TrainParams {
  /** Training compartment counts K compared by the experiments. */
  Ks: number[];
  /** Passes over the training set (examples shuffled per epoch with the run's seed). */
  epochs: number;
  /** Points of the learning curve: evaluate every this many training examples. */
  evalEvery: number;
  /** Test examples used for each learning-curve point (a fixed random subset of the test set). */
  curveExamples: number;
}

export interface EvalParams {
  /** Inference compartment counts K_I (nested subsets of one max(K_I) run). */
  KIs: number[];
  /** Reliability-diagram bins M. */
  bins: number;
  /** Training K shown in the calibration figure (small and large). */
  calibrationKs: number[];
  /** Early decision times T' (steps) of the decision-time experiment; each < T (T itself is always included). */
  decisionSteps: number[];
}

/** A second topology shown beside the main one, with its own learning rate and training K. */
export interface TopologySetting {
  /** Short label for figures and claims. */
  label: string;
  topology: TopologyConfig;
  gem: GemParams;
  Ks: number[];
}

/** Outputs that hear hidden neurons only: the classification setting where training K decides. */
export interface HiddenOnlyParams {
  topology: TopologyConfig;
  gem: GemParams;
  /** Training K swept with `gem` (the K = 1 run with hiddenSignal 'gem' is added as a baseline). */
  Ks: number[];
  /** The single-sample rule in the same topology. */
  baseline: BaselineOptions;
  /** The bounded sweep around `gem` (training K = max of Ks unless a config says otherwise). */
  sweep: {
    eta: number[];
    kappa: number[];
    kappaV: number[];
    hiddenSignal: ('gem' | 'centered')[];
    outputToHidden: boolean[];
    /** η of the single-sample rule tried in the same topology. */
    baselineEta: number[];
    /** η of the fully connected topology tried at its largest K (its tuning). */
    fullyConnectedEta: number[];
    seeds: number[];
    testPerDigit: number;
  };
}

export interface MemorizationParams {
  outputs: number;
  hidden: number;
  /** Pattern length in steps. */
  T: number;
  /** Fraction of ones in the pattern (when no image is used). */
  density: number;
  /** 'random' (a seeded pattern with `density` ones) or 'digit' (an MNIST digit downsampled to outputs rows, read column by column). */
  pattern: 'random' | 'digit';
  Ks: number[];
  iterations: number;
  evalEvery: number;
  /** Compartments of the test log-likelihood. */
  KI: number;
  topology: TopologyConfig;
  gem: GemParams;
}

export interface SweepParams {
  /** Values tried for each option (one-at-a-time around the memorization defaults, plus the joint grid of kappaV × logitScale). */
  eta: number[];
  kappa: number[];
  kappaV: number[];
  logitScale: ('mean' | 'sum')[];
  hiddenSignal: ('gem' | 'centered')[];
  Ks: number[];
  iterations: number;
  seeds: number[];
}

/** A complete parameter set of the suite. */
export interface SuiteParams {
  profile: string;
  /** Pinned seeds: every configuration is run once per seed. */
  seeds: number[];
  /** Parallel worker processes for independent runs. */
  jobs: number;
  data: DataParams;
  network: NetworkParams;
  gem: GemParams;
  baseline: BaselineOptions;
  train: TrainParams;
  eval: EvalParams;
  memorization: MemorizationParams;
  sweep: SweepParams;
  /** The lab's fully connected topology, shown beside `network.topology` in accuracy, calibration and decision time. */
  fullyConnected: TopologySetting;
  hiddenOnly: HiddenOnlyParams;
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ParamOverrides = DeepPartial<SuiteParams>;

/** The library's GEM-SNN defaults without K (each experiment sweeps K). */
const { K: _K, ...GEM_DEFAULTS } = DEFAULT_GEM;

const SMALL: SuiteParams = {
  profile: 'small',
  // five seeds and 100 test recordings per digit: README, "How a claim is decided" / "How the numbers were chosen"
  seeds: [1, 2, 3, 4, 5],
  jobs: 2,
  data: {
    source: 'emulated',
    root: '',
    digits: [0, 1, 2],
    trainPerDigit: 100,
    testPerDigit: 100,
    dtMs: 25,
    sampleMs: 2000,
    layout: 1352,
    emulatorSeed: 2021,
    emulator: { ...DEFAULT_EMULATOR },
  },
  network: {
    hidden: 16,
    // inputs → hidden, inputs and hidden → outputs, and no output feedback: a clamped output cannot
    // predict itself from its own past (the teacher-forcing shortcut of the fully connected preset,
    // SPEC 5.4). With outputs hearing hidden neurons only, nothing above chance was learned within this
    // profile's budget. README, "What we found", compares the three.
    topology: { preset: 'feedforward', outputFeedback: false },
    synapticBasis: DEFAULT_SYNAPTIC_BASIS,
    feedbackBasis: DEFAULT_FEEDBACK_BASIS,
    initScale: 0.05,
  },
  gem: { ...GEM_DEFAULTS, eta: 1e-3 },
  // the same η as GEM-SNN, for a like-for-like comparison (the lab's single-sample default is 1e-4)
  baseline: { ...DEFAULT_BASELINE, eta: 1e-3 },
  train: { Ks: [1, 2, 5, 10, 20], epochs: 1, evalEvery: 75, curveExamples: 30 },
  eval: { KIs: [1, 2, 5, 10, 20], bins: 10, calibrationKs: [1, 20], decisionSteps: [5, 10, 20, 40] },
  memorization: {
    outputs: 5,
    hidden: 8,
    T: 30,
    density: 0.3,
    pattern: 'random',
    Ks: [1, 2, 5, 10, 20],
    iterations: 600,
    evalEvery: 30,
    KI: 20,
    topology: { preset: 'hidden-to-output', outputToHidden: true },
    // chosen by the sweep of notebook 07 (README, "How the defaults were chosen")
    gem: { ...GEM_DEFAULTS, eta: 0.02, kappa: 0.5, hiddenSignal: 'centered' },
  },
  sweep: {
    eta: [0.005, 0.01, 0.02, 0.04],
    kappa: [0.2, 0.5],
    kappaV: [0.2, 0.95],
    logitScale: ['mean', 'sum'],
    hiddenSignal: ['gem', 'centered'],
    Ks: [1, 5, 20],
    iterations: 600,
    seeds: [1, 2, 3],
  },
  fullyConnected: {
    label: 'fully connected',
    topology: { preset: 'fully-connected' },
    // the bounded sweep of the hidden-only experiment also tries 3e-4 and 3e-3 here (results/hidden-only/)
    gem: { ...GEM_DEFAULTS, eta: 1e-3 },
    Ks: [1, 20],
  },
  hiddenOnly: {
    topology: { preset: 'hidden-to-output', outputToHidden: true },
    // the probe of issue 10: centred hidden signal, long eligibility trace, large η
    gem: { ...GEM_DEFAULTS, eta: 0.05, kappa: 0.5, kappaV: 0.2, hiddenSignal: 'centered' },
    Ks: [1, 2, 5, 10, 20],
    baseline: { ...DEFAULT_BASELINE, eta: 0.05 },
    sweep: {
      eta: [0.02, 0.1],
      kappa: [],
      kappaV: [],
      hiddenSignal: ['gem'],
      outputToHidden: [false],
      baselineEta: [1e-3],
      fullyConnectedEta: [3e-4, 3e-3],
      seeds: [1, 2],
      testPerDigit: 30,
    },
  },
};

function override(base: SuiteParams, o: ParamOverrides): SuiteParams {
  return mergeParams(base, o as Record<string, unknown>, 'profile');
}

/** The named profiles. */
export const PROFILES: Record<string, SuiteParams> = {
  small: SMALL,
  smoke: override(SMALL, {
    profile: 'smoke',
    seeds: [1],
    jobs: 1,
    data: { digits: [0, 1], trainPerDigit: 6, testPerDigit: 4, sampleMs: 500 },
    network: { hidden: 4 },
    train: { Ks: [1, 2], evalEvery: 6, curveExamples: 4 },
    eval: { KIs: [1, 2], calibrationKs: [1, 2], decisionSteps: [5, 10] },
    fullyConnected: { Ks: [1, 2] },
    hiddenOnly: { Ks: [1, 2], sweep: { eta: [0.1], kappa: [], kappaV: [], hiddenSignal: [], outputToHidden: [], baselineEta: [], fullyConnectedEta: [], seeds: [1], testPerDigit: 4 } },
    memorization: { T: 10, hidden: 4, Ks: [1, 2], iterations: 10, evalEvery: 5, KI: 4 },
    sweep: { eta: [0.05], kappa: [0.2], kappaV: [0.2], logitScale: ['mean'], hiddenSignal: ['gem'], Ks: [1, 2], iterations: 5, seeds: [1] },
  }),
  paper: override(SMALL, {
    profile: 'paper',
    seeds: [1, 2, 3, 4, 5],
    fullyConnected: { Ks: [1, 2, 5, 10, 20] },
    data: { trainPerDigit: 900, testPerDigit: 100 },
    network: { hidden: 32 },
    train: { epochs: 1, evalEvery: 300, curveExamples: 100 },
    memorization: { iterations: 1500, evalEvery: 75 },
    sweep: { iterations: 1000, seeds: [1, 2, 3, 4, 5] },
  }),
  // the whole MNIST-DVS: ten digits, the full 900/100 train/test split, for sharding over many machines
  // (README, "The `full` profile")
  full: override(SMALL, {
    profile: 'full',
    seeds: [1, 2, 3, 4, 5],
    data: { digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], trainPerDigit: 900, testPerDigit: 100 },
    network: { hidden: 32 },
    train: { epochs: 1, evalEvery: 900, curveExamples: 200 },
    memorization: { iterations: 1500, evalEvery: 75 },
    sweep: { iterations: 1000, seeds: [1, 2, 3, 4, 5] },
  }),
};

/** A JSON object (not null, not a list). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Keys that would reach an object's prototype instead of a parameter: refused wherever keys come from users. */
function checkKey(where: string, dotted: string, key: string): void {
  if (key === '__proto__' || key === 'prototype' || key === 'constructor') throw new Error(`${where}: parameter '${dotted}': '${key}' is not a parameter name (it would reach the object's prototype)`);
}

/**
 * Deep-merges `o` into `base` (a copy). Keys must exist in `base` (except inside free-form objects such
 * as a topology config); type mismatches are errors naming the dotted key.
 */
export function mergeParams<T>(base: T, o: Record<string, unknown>, where: string, path = ''): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const freeForm = /(^|\.)(topology|synapticBasis|feedbackBasis)$/.test(path);
  for (const [key, value] of Object.entries(o)) {
    const dotted = path ? `${path}.${key}` : key;
    checkKey(where, dotted, key);
    if (!Object.hasOwn(out, key) && !freeForm) {
      const known = Object.keys(out).join(', ');
      throw new Error(`${where}: unknown parameter '${dotted}'; known at this level: ${known}`);
    }
    const cur = out[key];
    if (isPlainObject(cur) && isPlainObject(value)) out[key] = mergeParams(cur, value, where, dotted);
    else if (cur !== undefined && value !== null && typeof cur !== typeof value && !freeForm) {
      throw new Error(`${where}: parameter '${dotted}' = ${JSON.stringify(value)}; expected a ${Array.isArray(cur) ? 'list' : typeof cur} like ${JSON.stringify(cur)}`);
    } else if (Array.isArray(cur) && !Array.isArray(value)) {
      throw new Error(`${where}: parameter '${dotted}' = ${JSON.stringify(value)}; expected a list like ${JSON.stringify(cur)}`);
    } else out[key] = value;
  }
  return out as T;
}

/**
 * The parameters of `profile` with `overrides` applied. Throws for an unknown profile or parameter.
 */
export function resolveParams(profile = 'small', overrides: ParamOverrides = {}): SuiteParams {
  const base = Object.hasOwn(PROFILES, profile) ? PROFILES[profile] : undefined;
  if (!base) throw new Error(`unknown profile '${profile}'; expected one of ${Object.keys(PROFILES).join(', ')}`);
  if (overrides && typeof overrides === 'object' && 'profile' in overrides && (overrides as { profile?: unknown }).profile !== profile) {
    throw new Error(`parameters (profile ${profile}): profile = ${JSON.stringify((overrides as { profile?: unknown }).profile)}; the profile is chosen by --profile (GEM_PROFILE), not overridden (results of one profile would be labelled as another)`);
  }
  const where = `parameters (profile ${profile})`;
  const p = mergeParams(base, overrides as Record<string, unknown>, where);
  checkSuiteParams(p, where);
  return structuredClone(p);
}

/**
 * Parameters from the environment, as notebooks take them: GEM_PROFILE (default `fallbackProfile`) and
 * GEM_PARAMS (a JSON object of overrides, applied last). `extra` are the notebook's own overrides.
 */
export function paramsFromEnv(fallbackProfile = 'small', extra: ParamOverrides = {}): SuiteParams {
  const { profile, overrides } = notebookParams(process.env, fallbackProfile);
  const withExtra = mergeParams(resolveParams(profile), extra as Record<string, unknown>, 'notebook parameters');
  const p = mergeParams(withExtra, overrides, 'GEM_PARAMS');
  checkSuiteParams(p, 'GEM_PARAMS');
  return p;
}

/** Deep-merges two override objects (no checks: they are checked when applied to a profile). */
export function combineOverrides(a: ParamOverrides, b: ParamOverrides): ParamOverrides {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    checkKey('parameter overrides', k, k);
    out[k] = Object.hasOwn(out, k) && isPlainObject(out[k]) && isPlainObject(v) ? combineOverrides(out[k] as ParamOverrides, v as ParamOverrides) : v;
  }
  return out as ParamOverrides;
}

/**
 * Parses `key=value` overrides from the command line (`gem.eta=0.01`, `seeds=[1,2]`): values are JSON
 * when they parse as JSON, else strings.
 */
export function parseSetOverrides(pairs: string[]): ParamOverrides {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set ${pair}: expected key=value, e.g. gem.eta=0.01`);
    const keys = pair.slice(0, eq).split('.');
    keys.forEach((k) => checkKey('--set', pair.slice(0, eq), k));
    const raw = pair.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let node = out;
    keys.slice(0, -1).forEach((k) => {
      if (!Object.hasOwn(node, k) || !isPlainObject(node[k])) node[k] = {};
      node = node[k] as Record<string, unknown>;
    });
    node[keys[keys.length - 1]] = value;
  }
  return out as ParamOverrides;
}

/** A list of at least one entry, each passing `each`; with `distinct`, no repeats. */
function checkList<T>(where: string, name: string, v: unknown, each: (w: string, n: string, x: unknown) => T, distinct = false): T[] {
  if (!Array.isArray(v) || v.length === 0) fail(where, name, v, 'a non-empty list');
  const out = v.map((x, i) => each(where, `${name}[${i}]`, x));
  if (distinct && new Set(out.map((x) => JSON.stringify(x))).size !== out.length) fail(where, name, v, 'a list without repeated values');
  return out;
}

const posInt = (w: string, n: string, x: unknown) => checkInt(w, n, x, 1);

/**
 * Checks every value of a complete parameter set (types are checked by mergeParams): ranges, non-empty
 * lists, distinct seeds, at least two classes, known enums. Throws `<where>: <key> = <value>; expected
 * <rule>` before any work starts.
 */
export function checkSuiteParams(p: SuiteParams, where: string): void {
  if (typeof p.profile !== 'string' || !p.profile) fail(where, 'profile', p.profile, 'a non-empty name');
  checkList(where, 'seeds', p.seeds, (w, n, x) => checkInt(w, n, x, 0), true);
  checkInt(where, 'jobs', p.jobs, 1, 64);
  const d = p.data;
  checkOneOf(where, 'data.source', d.source, ['emulated', 'real'] as const);
  if (typeof d.root !== 'string') fail(where, 'data.root', d.root, "a folder path ('' for MNIST_DVS_ROOT)");
  checkList(where, 'data.digits', d.digits, (w, n, x) => checkInt(w, n, x, 0, 9), true);
  if (d.digits.length < 2) fail(where, 'data.digits', d.digits, 'at least two distinct digits (a classifier needs two classes)');
  checkInt(where, 'data.trainPerDigit', d.trainPerDigit, 1, 900);
  checkInt(where, 'data.testPerDigit', d.testPerDigit, 1, 100);
  checkNumber(where, 'data.dtMs', d.dtMs, { min: 0, minOpen: true });
  checkNumber(where, 'data.sampleMs', d.sampleMs, { min: 0, minOpen: true });
  checkSteps(where, 'data.sampleMs / data.dtMs', Math.round(d.sampleMs / d.dtMs));
  if (d.layout !== 1352 && d.layout !== 676) fail(where, 'data.layout', d.layout, '1352 or 676');
  checkInt(where, 'data.emulatorSeed', d.emulatorSeed, 0);
  checkEmulatorParams(d.emulator, `${where}: data.emulator`);
  const n = p.network;
  checkInt(where, 'network.hidden', n.hidden, 0);
  checkNumber(where, 'network.initScale', n.initScale, { min: 0 });
  makeTopology(n.topology, { inputs: 2, hidden: n.hidden, outputs: 2 }, `${where}: network.topology`);
  makeBasis(n.synapticBasis, `${where}: network.synapticBasis`);
  makeBasis(n.feedbackBasis, `${where}: network.feedbackBasis`);
  resolveGemOptions({ ...p.gem, K: 1 }, `${where}: gem`);
  resolveBaselineOptions(p.baseline, `${where}: baseline`);
  const t = p.train;
  checkList(where, 'train.Ks', t.Ks, posInt, true);
  checkInt(where, 'train.epochs', t.epochs, 1);
  checkInt(where, 'train.evalEvery', t.evalEvery, 1);
  checkInt(where, 'train.curveExamples', t.curveExamples, 1);
  checkList(where, 'eval.KIs', p.eval.KIs, posInt, true);
  checkInt(where, 'eval.bins', p.eval.bins, 1);
  checkList(where, 'eval.calibrationKs', p.eval.calibrationKs, posInt, true);
  const m = p.memorization;
  checkInt(where, 'memorization.outputs', m.outputs, 1);
  checkInt(where, 'memorization.hidden', m.hidden, 0);
  checkSteps(where, 'memorization.T', m.T);
  checkNumber(where, 'memorization.density', m.density, { min: 0, max: 1, minOpen: true });
  checkOneOf(where, 'memorization.pattern', m.pattern, ['random', 'digit'] as const);
  checkList(where, 'memorization.Ks', m.Ks, posInt, true);
  checkInt(where, 'memorization.iterations', m.iterations, 1);
  checkInt(where, 'memorization.evalEvery', m.evalEvery, 1);
  checkInt(where, 'memorization.KI', m.KI, 1);
  makeTopology(m.topology, { inputs: 0, hidden: m.hidden, outputs: m.outputs }, `${where}: memorization.topology`);
  resolveGemOptions({ ...m.gem, K: 1 }, `${where}: memorization.gem`);
  const s = p.sweep;
  checkList(where, 'sweep.eta', s.eta, (w, k, x) => checkNumber(w, k, x, { min: 0 }), true);
  checkList(where, 'sweep.kappa', s.kappa, (w, k, x) => checkNumber(w, k, x, { min: 0, max: 1, maxOpen: true }), true);
  checkList(where, 'sweep.kappaV', s.kappaV, (w, k, x) => checkNumber(w, k, x, { min: 0, max: 1 }), true);
  checkList(where, 'sweep.logitScale', s.logitScale, (w, k, x) => checkOneOf(w, k, x, ['mean', 'sum'] as const), true);
  checkList(where, 'sweep.hiddenSignal', s.hiddenSignal, (w, k, x) => checkOneOf(w, k, x, ['gem', 'centered'] as const), true);
  checkList(where, 'sweep.Ks', s.Ks, posInt, true);
  checkInt(where, 'sweep.iterations', s.iterations, 1);
  checkList(where, 'sweep.seeds', s.seeds, (w, k, x) => checkInt(w, k, x, 0), true);
}
