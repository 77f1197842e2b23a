/**
 * The dataset API the experiments use: `prepareDataset` builds (or reuses) the cached tensors of
 * MNIST-DVS from real recordings (`root` / `MNIST_DVS_ROOT`) or from the emulated default (generated under
 * `data/emulated/<key>/` when missing), and `load()` gives train/test examples as [T, nIn] spike arrays.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat } from './aedat';
import { CACHE_FORMAT, cacheKey, openCacheWriter, readCacheSplit, sourceFingerprint, validateCache, type CacheDescription } from './cache';
import { DEFAULT_EMULATOR, type EmulatorParams } from './emulator';
import { EMULATOR_VERSION, emulateDatasetLocked } from './emulated-set';
import { PROBLEM_RULES, RECORDING_PROBLEMS, recordingProblem, type RecordingProblem } from './recording-checks';
import { withLock } from '../util/files';
import { checkKeys } from '../util/validate';
import { packRows, packedWidth, unpackRows } from './npy';
import { binEvents, checkPreprocess, DEFAULT_PREPROCESS, recordingRelPath, type PreprocessParams } from './preprocess';
import { createProgress, silentProgress, type Progress } from '../util/progress';
import { makeRng, shuffleInPlace } from '../util/rng';

/** One example: spikes Uint8Array [T, nIn] row-major (0/1), its class index and the file it came from. */
export interface SpikeExample {
  spikes: Uint8Array;
  T: number;
  nIn: number;
  /** Class index: position of the digit in the data set's `digits` (digits [0,1,2] -> label = digit). */
  label: number;
  /** The digit shown. */
  digit: number;
  /** Source file, relative to the source root (e.g. `grabbed_data0/scale4/mnist_0_scale04_0001.aedat`). */
  source: string;
}

/** Options of prepareDataset; every field optional. */
export interface DatasetOptions {
  /** Root of a real distribution (`grabbed_data<d>/scale4/...`); default `MNIST_DVS_ROOT`; else emulated. */
  root?: string;
  /** Use the emulated default even if MNIST_DVS_ROOT is set. */
  emulated?: boolean;
  /** Digits (classes), default [0, 1, 2]. */
  digits?: number[];
  /** Recordings per digit in the training split (first ones of trainRange), default 80. */
  trainPerDigit?: number;
  /** Recordings per digit in the test split (first ones of testRange), default 20. */
  testPerDigit?: number;
  /** Bin width in ms (default 25). */
  dtMs?: number;
  /** Sample length in ms (default 2000). */
  sampleMs?: number;
  /** 1352 (polarities split) or 676 (merged). */
  layout?: 1352 | 676;
  /** Any other preprocessing convention (crop, scale, ranges); overrides the fields above. */
  preprocess?: Partial<PreprocessParams>;
  /** Seed of the emulated recordings (default 'gem-snn'). */
  emulatorSeed?: string;
  emulator?: Partial<EmulatorParams>;
  /** Folder holding cache/ and emulated/ (default `GEM_SNN_DATA_DIR` or the project's data/). */
  dataDir?: string;
  /** Missing real recordings: 'error' (default) or 'skip' (counted in warnings). */
  onMissing?: 'error' | 'skip';
  /** Show progress bars on stderr. */
  progress?: boolean;
  /** Where to print one-line status messages (default: nothing). */
  log?: (line: string) => void;
  /**
   * Unusable recordings (no events, short, timestamp jump; see recording-checks.ts): excluded and
   * counted in `description.excluded` (default), or an error naming them when true.
   */
  strict?: boolean;
}

/** Keys DatasetOptions accepts (a misspelt option is an error, not a silent default). */
const DATASET_KEYS = ['root', 'emulated', 'digits', 'trainPerDigit', 'testPerDigit', 'dtMs', 'sampleMs', 'layout', 'preprocess', 'emulatorSeed', 'emulator', 'dataDir', 'onMissing', 'progress', 'log', 'strict'];

/** A loaded data set. */
export interface LoadedDataset {
  train: SpikeExample[];
  test: SpikeExample[];
  T: number;
  nIn: number;
  digits: number[];
  kind: 'real' | 'emulated';
  description: CacheDescription;
}

/** The result of prepareDataset: where the cache is, what it holds, and a loader. */
export interface PreparedDataset {
  key: string;
  cacheDir: string;
  /** True if the cache was (re)built now, false if reused. */
  built: boolean;
  description: CacheDescription;
  /** Reads the cache into examples (unpacks the bits: 1 byte per [t, input] cell). */
  load(): LoadedDataset;
}

/** Project data folder: `GEM_SNN_DATA_DIR`, else `data/` of the enclosing gem-snn-suite checkout, else ./data. */
export function defaultDataDir(): string {
  if (process.env.GEM_SNN_DATA_DIR) return path.resolve(process.env.GEM_SNN_DATA_DIR);
  const root = suiteCheckout();
  return root ? path.join(root, 'data') : path.resolve('data');
}

/** The enclosing gem-snn-suite checkout (from this module, then the working folder), or undefined. */
export function suiteCheckout(): string | undefined {
  for (const start of [__dirname, process.cwd()]) {
    let d = path.resolve(start);
    for (;;) {
      const pj = path.join(d, 'package.json');
      if (fs.existsSync(pj)) {
        try {
          if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'gem-snn-suite') return d;
        } catch {
          /* not ours */
        }
      }
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return undefined;
}

/** Resolves options into full preprocessing parameters (validated). */
export function resolvePreprocess(o: DatasetOptions): PreprocessParams {
  const p: PreprocessParams = {
    ...DEFAULT_PREPROCESS,
    digits: o.digits ?? DEFAULT_PREPROCESS.digits,
    dtUs: Math.round((o.dtMs ?? 25) * 1000),
    sampleUs: Math.round((o.sampleMs ?? 2000) * 1000),
    polarity: (o.layout ?? 1352) === 676 ? 'merged' : 'split',
    ...o.preprocess,
  };
  if (o.layout !== undefined && o.layout !== 1352 && o.layout !== 676) throw new Error(`prepareDataset: layout = ${o.layout}; expected 1352 or 676`);
  checkPreprocess(p);
  return p;
}

function recordingNumbers(range: [number, number], count: number, what: string): number[] {
  if (!Number.isInteger(count) || count < 0 || count > range[1] - range[0] + 1) {
    throw new Error(`prepareDataset: ${what} = ${count}; expected an integer in [0, ${range[1] - range[0] + 1}] (range ${range[0]}-${range[1]})`);
  }
  return Array.from({ length: count }, (_, i) => range[0] + i);
}

/**
 * Builds (or reuses) the cached tensors for `opts` and returns where they are. The source is `opts.root`,
 * else `MNIST_DVS_ROOT`, else the emulated default (created under `<dataDir>/emulated/<key>/` if missing).
 * Throws naming the file on a missing folder, a missing recording (unless onMissing = 'skip') or a bad file.
 */
export async function prepareDataset(opts: DatasetOptions = {}): Promise<PreparedDataset> {
  checkKeys('prepareDataset', 'options', opts, DATASET_KEYS);
  const p = resolvePreprocess(opts);
  const { T, nIn } = checkPreprocess(p);
  const log = opts.log ?? (() => {});
  const mkProgress = (label: string, total: number): Progress => (opts.progress ? createProgress(label, total) : silentProgress);
  const trainN = recordingNumbers(p.trainRange, opts.trainPerDigit ?? 80, 'trainPerDigit');
  const testN = recordingNumbers(p.testRange, opts.testPerDigit ?? 20, 'testPerDigit');
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  if (!opts.dataDir && !process.env.GEM_SNN_DATA_DIR && !suiteCheckout()) log(`data folder: ${dataDir} (outside a gem-snn-suite checkout; set GEM_SNN_DATA_DIR or dataDir to choose)`);
  const realRoot = opts.emulated ? undefined : (opts.root ?? process.env.MNIST_DVS_ROOT);
  const kind: 'real' | 'emulated' = realRoot ? 'real' : 'emulated';
  let root: string;
  let emuInfo: CacheDescription['emulator'];
  if (realRoot) {
    root = path.resolve(realRoot);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`prepareDataset: root = ${root}: folder not found (MNIST-DVS distribution root with grabbed_data<d>/${p.scale}/)`);
    for (const d of p.digits) {
      const sub = path.join(root, `grabbed_data${d}`, p.scale);
      if (!fs.existsSync(sub)) throw new Error(`prepareDataset: ${sub}: folder not found (digit ${d} absent from ${root})`);
    }
  } else {
    if (p.scale !== 'scale4') throw new Error(`prepareDataset: scale = ${p.scale}; the emulator makes scale4 only`);
    const seed = opts.emulatorSeed ?? 'gem-snn';
    const params: EmulatorParams = { ...DEFAULT_EMULATOR, ...opts.emulator };
    const ekey = cacheKey({ emulatorVersion: EMULATOR_VERSION, seed, params, testFrom: p.testRange[0] });
    root = path.join(dataDir, 'emulated', ekey);
    emuInfo = { seed, version: EMULATOR_VERSION };
    const need = [...trainN, ...testN];
    // Always checked against the manifest (sizes and SHA-256): missing or corrupt recordings are
    // (re)generated, under a lock so concurrent preparers never emulate the same files twice.
    const missing = p.digits.flatMap((d) => need.filter((n) => !fs.existsSync(path.join(root, recordingRelPath(d, 'scale4', n)))));
    const prog = missing.length > 0 ? mkProgress('emulating MNIST-DVS', p.digits.length * need.length) : silentProgress;
    const r = await emulateDatasetLocked(
      { out: root, digits: p.digits, recordings: need, seed, testFrom: p.testRange[0], params, progress: prog, onCorrupt: (f) => log(`regenerating ${f}: its size or SHA-256 differs from manifest.json`) },
      (pid) => log(`waiting for process ${pid}, which is emulating into ${root}`),
    );
    prog.done();
    if (r.written > 0) log(`emulated ${r.written} recordings (${r.kept} kept) into ${root} in ${r.seconds.toFixed(1)} s (${(r.written / Math.max(r.seconds, 1e-3)).toFixed(0)} recordings/s, ${(r.events / Math.max(r.seconds, 1e-3) / 1e6).toFixed(2)} M events/s)`);
  }

  // Which files, in which split; missing ones are an error or a counted warning.
  const warnings: string[] = [];
  const lists: Record<'train' | 'test', { rel: string; label: number; digit: number }[]> = { train: [], test: [] };
  for (const [split, nums] of [['train', trainN], ['test', testN]] as const) {
    p.digits.forEach((d, label) => {
      for (const n of nums) {
        const rel = recordingRelPath(d, p.scale, n);
        if (!fs.existsSync(path.join(root, rel))) {
          if (opts.onMissing === 'skip') { warnings.push(`missing ${path.join(root, rel)}`); continue; }
          throw new Error(`prepareDataset: ${path.join(root, rel)}: recording not found (digit ${d}, recording ${n}, ${split} split); pass onMissing 'skip' to use the others`);
        }
        lists[split].push({ rel, label, digit: d });
      }
    });
  }
  const all = [...lists.train, ...lists.test].map((e) => e.rel);
  const fingerprint = sourceFingerprint(root, all);
  const key = cacheKey({ kind, fingerprint, params: p, train: lists.train.map((e) => e.rel), test: lists.test.map((e) => e.rel) });
  const cacheDir = path.join(dataDir, 'cache', key);
  const reuse = (desc: CacheDescription): PreparedDataset => {
    if (opts.strict) checkNoExclusions(desc.excluded ?? {}, root);
    return { key, cacheDir, built: false, description: desc, load: () => loadFromCache(cacheDir, desc) };
  };
  const v = validateCache(cacheDir, key);
  if (v.ok) return reuse(v.desc);
  // One builder per key: the others wait, then find the finished folder.
  return withLock(`${cacheDir}.lock`, () => {
    const again = validateCache(cacheDir, key);
    if (again.ok) return reuse(again.desc);
    if (fs.existsSync(cacheDir)) log(`rebuilding cache ${cacheDir}: ${again.reason}`);
    return buildCache({ p, T, nIn, root, kind, key, cacheDir, fingerprint, lists, warnings, emuInfo, opts, log, mkProgress });
  }, { onWait: (pid) => log(`waiting for process ${pid}, which is building ${cacheDir}`) });
}

/** Throws naming every excluded recording by reason (strict mode). */
function checkNoExclusions(excluded: Partial<Record<RecordingProblem, string[]>>, root: string): void {
  const n = Object.values(excluded).reduce((a, l) => a + (l?.length ?? 0), 0);
  if (n === 0) return;
  const parts = RECORDING_PROBLEMS.filter((r) => excluded[r]?.length).map((r) => `${excluded[r]!.length} ${r} (${PROBLEM_RULES[r]}: ${excluded[r]!.slice(0, 3).map((f) => path.join(root, f)).join(', ')}${excluded[r]!.length > 3 ? ', ...' : ''})`);
  throw new Error(`prepareDataset: ${n} unusable recording(s): ${parts.join('; ')}; remove them or run without strict to exclude them`);
}

interface BuildInput {
  p: PreprocessParams;
  T: number;
  nIn: number;
  root: string;
  kind: 'real' | 'emulated';
  key: string;
  cacheDir: string;
  fingerprint: string;
  lists: Record<'train' | 'test', { rel: string; label: number; digit: number }[]>;
  warnings: string[];
  emuInfo: CacheDescription['emulator'];
  opts: DatasetOptions;
  log: (line: string) => void;
  mkProgress: (label: string, total: number) => Progress;
}

/** Reads, checks and bins every recording, streaming each into the cache folder (caller holds its lock). */
function buildCache(b: BuildInput): PreparedDataset {
  const { p, T, nIn, root, kind, key, cacheDir, fingerprint, lists, warnings, emuInfo, log } = b;
  const all = [...lists.train, ...lists.test].map((e) => e.rel);

  const t0 = Date.now();
  const B = packedWidth(nIn);
  const prog = b.mkProgress('preprocessing', all.length);
  const excluded: Partial<Record<RecordingProblem, string[]>> = {};
  // one recording at a time, straight to the cache files: memory does not grow with the data set
  const scratch = new Uint8Array(T * nIn);
  const packed = new Uint8Array(T * B);
  const writer = openCacheWriter(cacheDir, T, nIn, { train: lists.train.length, test: lists.test.length });
  let events = 0;
  try {
    for (const split of ['train', 'test'] as const) {
      const kept: (typeof lists)[typeof split] = [];
      for (const e of lists[split]) {
        const f = readAedat(path.join(root, e.rel));
        prog.tick();
        const bad = recordingProblem(f.events, p.sampleUs);
        if (bad) {
          (excluded[bad.problem] ??= []).push(e.rel);
          warnings.push(`excluded ${e.rel}: ${bad.problem} (${bad.detail})`);
          continue;
        }
        events += f.events.length;
        binEvents(f.events, p, scratch);
        packRows(scratch, T, nIn, packed, 0);
        writer.add(split, packed, e.label);
        kept.push(e);
      }
      lists[split] = kept;
    }
    prog.done();
    if (b.opts.strict) checkNoExclusions(excluded, root);
  } catch (e) {
    writer.abort();
    throw e;
  }
  const nEx = Object.values(excluded).reduce((a, l) => a + (l?.length ?? 0), 0);
  if (nEx > 0) log(`excluded ${nEx} unusable recording(s): ${RECORDING_PROBLEMS.filter((r) => excluded[r]?.length).map((r) => `${excluded[r]!.length} ${r}`).join(', ')} (see description.json)`);
  const secs = (Date.now() - t0) / 1000;
  log(`preprocessed ${all.length} recordings in ${secs.toFixed(1)} s (${(all.length / Math.max(secs, 1e-3)).toFixed(0)} files/s, ${(events / Math.max(secs, 1e-3) / 1e6).toFixed(1)} M events/s)`);
  const perDigit = (split: 'train' | 'test') => p.digits.map((_, l) => lists[split].filter((e) => e.label === l).length);
  const desc = writer.finish({
    format: CACHE_FORMAT,
    key,
    kind,
    dataNote: kind === 'real'
      ? `real MNIST-DVS recordings (${root})`
      : `EMULATED MNIST-DVS (gem-snn DVS emulator v${EMULATOR_VERSION}, seed ${emuInfo?.seed}, from MNIST digits; not real sensor data)`,
    sourceRoot: root,
    sourceFingerprint: fingerprint,
    ...(emuInfo ? { emulator: emuInfo } : {}),
    params: p,
    T,
    nIn,
    digits: p.digits,
    splits: {
      train: { n: lists.train.length, perDigit: perDigit('train'), sources: lists.train.map((e) => e.rel) },
      test: { n: lists.test.length, perDigit: perDigit('test'), sources: lists.test.map((e) => e.rel) },
    },
    packing: 'spikes.npy: uint8 [N, T, ceil(nIn/8)] = np.packbits(x, axis=-1) of 0/1 x [N, T, nIn]; np.unpackbits(a, axis=-1, count=nIn) restores it',
    warnings,
    ...(nEx > 0 ? { excluded } : {}),
    buildSeconds: secs,
    createdBy: `gem-snn lib/data (cache format ${CACHE_FORMAT})`,
  });
  return { key, cacheDir, built: true, description: desc, load: () => loadFromCache(cacheDir, desc) };
}

/** Unpacks a cache folder into examples. */
export function loadFromCache(cacheDir: string, desc: CacheDescription): LoadedDataset {
  const { T, nIn } = desc;
  const B = packedWidth(nIn);
  const split = (name: 'train' | 'test'): SpikeExample[] => {
    const s = readCacheSplit(cacheDir, desc, name);
    return Array.from(s.labels, (label, i) => ({
      spikes: unpackRows(s.packed, i * T * B, T, nIn),
      T,
      nIn,
      label,
      digit: desc.digits[label],
      source: s.sources[i],
    }));
  };
  return { train: split('train'), test: split('test'), T, nIn, digits: desc.digits, kind: desc.kind, description: desc };
}

/** prepareDataset then load: the one call most experiments need. */
export async function loadDataset(opts: DatasetOptions = {}): Promise<LoadedDataset> {
  return (await prepareDataset(opts)).load();
}

/** The examples whose digit is in `digits` (order kept; labels unchanged). */
export function classSubset(examples: SpikeExample[], digits: number[]): SpikeExample[] {
  const keep = new Set(digits);
  return examples.filter((e) => keep.has(e.digit));
}

/** A new array with `examples` shuffled by a seeded stream (`<seed>/shuffle`); same seed, same order. */
export function shuffled<E>(examples: E[], seed: string | number): E[] {
  return shuffleInPlace(examples.slice(), makeRng(seed, 'shuffle'));
}

/** The first `perDigit` examples of each digit (order kept): e.g. 60 train / 20 test per digit. */
export function takePerDigit(examples: SpikeExample[], perDigit: number): SpikeExample[] {
  const seen = new Map<number, number>();
  return examples.filter((e) => {
    const c = seen.get(e.digit) ?? 0;
    seen.set(e.digit, c + 1);
    return c < perDigit;
  });
}
