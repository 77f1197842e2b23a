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
import { configHash } from '../util/canonical-json';
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

/** The cached record of a spec, if any. */
export function cachedRun(spec: RunSpec, cacheDir: string): RunRecord | undefined {
  const path = join(cacheDir, `${runKey(spec)}.json`);
  return existsSync(path) ? readJsonIfExists<RunRecord>(path) : undefined;
}

/** Writes a finished record to the cache (atomically). */
export function storeRun(spec: RunSpec, record: RunRecord, cacheDir: string): void {
  writeJsonAtomic(join(cacheDir, `${runKey(spec)}.json`), { ...record, spec });
}
