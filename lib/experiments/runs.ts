/**
 * Runs of the suite: each is one training + evaluation with one seed, described by a plain JSON spec.
 * A run's record is written to the run cache as soon as it finishes, under a hash of its spec, so an
 * interrupted reproduction resumes where it stopped and an unchanged configuration is never recomputed.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ensureDir } from '../util/files';
import { saveNetwork } from '../model/network-io';
import { Progress, silentProgress } from '../util/progress';
import { ClassificationRun, RuleSpec, runClassification } from './runs-classification';
import { loadClassificationData } from './data-source';
import { MemorizationRun, runMemorization } from './runs-memorization';
import type { DataParams, GemParams, MemorizationParams, NetworkParams, TrainParams } from './profiles';
import { canonicalJson, configHash } from '../util/canonical-json';
import { writeJsonAtomic } from '../util/files';
import { readJsonIfExists } from './store';

/**
 * Bumped whenever the meaning of a run's record changes (an engine or rule fix), so cached records
 * from older code are not reused.
 */
export const RUN_FORMAT = 4;

/** A memorisation run. */
export interface MemorizationSpec {
  kind: 'memorization';
  params: MemorizationParams;
  gem: GemParams;
  K: number;
  seed: number;
}

/** A classification run (GEM-SNN or the single-sample baseline). */
export interface ClassificationSpec {
  kind: 'classification';
  data: DataParams;
  network: NetworkParams;
  rule: RuleSpec;
  train: TrainParams;
  /** Inference compartments recorded on the test set. */
  KI: number;
  seed: number;
  /** Early decision times whose output counts are recorded too (the decision-time experiment). */
  countSteps?: number[];
}

export type RunSpec = MemorizationSpec | ClassificationSpec;
export type RunRecord = MemorizationRun | ClassificationRun;

/** The cache key of a spec (hash of the spec and RUN_FORMAT). */
export function runKey(spec: RunSpec): string {
  return `${spec.kind}-${configHash({ format: RUN_FORMAT, spec })}`;
}

/** Units of work of a run, for progress bars: iterations, or training + test examples. */
export function runUnits(spec: RunSpec, data?: { train: number; test: number }): number {
  if (spec.kind === 'memorization') return spec.params.iterations;
  const d = data ?? { train: spec.data.digits.length * spec.data.trainPerDigit, test: spec.data.digits.length * spec.data.testPerDigit };
  return d.train * spec.train.epochs + d.test;
}

/** Folder of the run cache under a results root. */
export function runCacheDir(resultsDir: string): string {
  return join(resultsDir, '.cache', 'runs');
}

/**
 * Executes one run in this process (no cache lookup). Classification runs also save the trained
 * network next to the record (`<key>.network.json`) when `cacheDir` is given.
 */
export async function executeRun(spec: RunSpec, progress: Progress = silentProgress, cacheDir?: string): Promise<RunRecord> {
  if (spec.kind === 'memorization') return runMemorization(spec.params, spec.K, spec.seed, progress, spec.gem);
  const data = await loadClassificationData(spec.data);
  const { run, net } = runClassification(data, spec.network, spec.rule, spec.train, spec.KI, spec.seed, progress, spec.countSteps ?? []);
  if (cacheDir) {
    ensureDir(cacheDir, 'run cache');
    saveNetwork(join(cacheDir, `${runKey(spec)}.network.json`), net);
  }
  return run;
}

/** SHA-256 (hex) of a record and its spec: what a cache file must carry to be used. */
export function recordChecksum(spec: RunSpec, record: RunRecord): string {
  return configHash({ format: RUN_FORMAT, spec, record }, 64);
}

/** Where cachedRun reports a record it refuses (default: a warning line on stderr). */
let warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Redirects the warnings of cachedRun (tests and notebooks). Returns the previous sink. */
export function setRunCacheWarning(sink: (line: string) => void): (line: string) => void {
  const old = warn;
  warn = sink;
  return old;
}

/**
 * The cached record of a spec, if any and only if it is intact: the file must parse, hold this exact
 * spec and a checksum matching its content. Anything else (edited values, another spec's record under
 * this key, `{}`, a missing field, a record from older code) is reported naming the file and ignored,
 * so the run is recomputed and the file replaced.
 */
export function cachedRun(spec: RunSpec, cacheDir: string): RunRecord | undefined {
  const path = join(cacheDir, `${runKey(spec)}.json`);
  if (!existsSync(path)) return undefined;
  let stored: { spec?: unknown; checksum?: unknown; record?: RunRecord };
  try {
    stored = readJsonIfExists(path) as typeof stored;
  } catch (e) {
    warn(`warning: ${(e as Error).message.split(';')[0]}; recomputing this run`);
    return undefined;
  }
  const why = !stored || typeof stored !== 'object' ? 'not a JSON object'
    : stored.spec === undefined || stored.record === undefined || stored.checksum === undefined ? 'missing spec, record or checksum (written by older code, or truncated)'
      : canonicalJson(stored.spec) !== canonicalJson(spec) ? "holds another run's spec"
        : stored.checksum !== recordChecksum(spec, stored.record) ? 'content does not match its checksum (edited or corrupt)'
          : undefined;
  if (why) {
    warn(`warning: run cache ${path}: ${why}; recomputing this run (the file is not used)`);
    return undefined;
  }
  return stored.record;
}

/** Writes a finished record to the cache (atomically), with its full spec and checksum. */
export function storeRun(spec: RunSpec, record: RunRecord, cacheDir: string): void {
  // The checksum is taken over the record as JSON will return it (typed arrays become objects).
  const plain = JSON.parse(JSON.stringify(record)) as RunRecord;
  writeJsonAtomic(join(cacheDir, `${runKey(spec)}.json`), { spec, checksum: recordChecksum(spec, plain), record: plain });
}
