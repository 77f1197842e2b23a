/**
 * The index of a results folder (`index.json`): which profile and overrides produced it, and per
 * experiment what the folder-wide files need (title, data note, tables, figure captions, claims). A run with other parameters is refused (or replaces the folder with --force), and a partial
 * run (`--only`) updates only its own experiments' entries; claims.json, claims.md and timings.json are
 * then rewritten from the whole index (and README.md by the caller, from the returned index).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsMarkdown } from './results';
import { CLAIM_RULE } from './claims';
import { canonicalJson, configHash } from '../util/canonical-json';
import { writeFileAtomic, writeJsonAtomic } from '../util/files';
import { readJsonIfExists } from './store';
import type { ClaimCheck, ExperimentRows } from './types';
import { isPlainObject, type SuiteParams } from './profiles';

/** What the folder-wide files need from one experiment. */
export interface IndexEntry {
  title: string;
  dataNote: string;
  tables: ExperimentRows['tables'];
  figures: { name: string; caption: string }[];
  claims: ClaimCheck[];
  /** Read back from a folder written before index.json: figure captions unknown, README not rewritten. */
  legacy?: true;
}

/** `index.json` of a results folder. */
export interface ResultsIndex {
  profile: string;
  /** Overrides given on the command line (without `jobs`, which changes no result). */
  overrides: unknown;
  /** Hash of every parameter except `jobs`. */
  paramsHash: string;
  experiments: Record<string, IndexEntry>;
}

/** Hash of the parameters that change results (all but `jobs`). */
export function resultsParamsHash(p: SuiteParams): string {
  const { jobs: _jobs, ...rest } = p;
  return configHash(rest);
}

function withoutJobs(o: unknown): unknown {
  if (!o || typeof o !== 'object') return o;
  const { jobs: _jobs, ...rest } = o as Record<string, unknown>;
  return rest;
}

/** Reads `<root>/index.json` (undefined if absent; an error naming the file if unreadable). */
export function readIndex(root: string): ResultsIndex | undefined {
  return readJsonIfExists<ResultsIndex>(join(root, 'index.json'));
}

/** Dotted keys whose values differ between two parameter objects, in sorted key order. */
export function parameterDifferences(a: unknown, b: unknown, path = ''): string[] {
  if (!isPlainObject(a) || !isPlainObject(b)) return canonicalJson(a) === canonicalJson(b) ? [] : [path || '(all)'];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => parameterDifferences(a[k], b[k], path ? `${path}.${k}` : k));
}

/** The parameters an earlier run stored in the config.json of one of its experiments (undefined if none). */
function storedParameters(root: string, idx: ResultsIndex): unknown {
  for (const n of Object.keys(idx.experiments)) {
    const c = readJsonIfExists<{ parameters?: unknown }>(join(root, n, 'config.json'));
    if (c?.parameters) return c.parameters;
  }
  return undefined;
}

/**
 * Checks, before any work, that a run may write into `root`. Results of another profile or other
 * overrides are refused unless `force`: the message names both configurations and the ways out. Results
 * of the same profile and overrides made with other library defaults (a newer emulator, say) are stale:
 * a run of every experiment (`complete`) replaces them and the returned line says so; a partial run is
 * refused, since the folder would mix two parameter sets. A folder from older code (no index.json) is
 * judged by the profile in its claims.json.
 */
export function checkResultsFolder(root: string, p: SuiteParams, overrides: unknown, force: boolean, complete = false): string | undefined {
  if (force) return undefined;
  const idx = readIndex(root);
  const ours = `profile ${p.profile}, overrides ${canonicalJson(withoutJobs(overrides))}`;
  const way = 'pass --results DIR to write this configuration elsewhere, or --force to replace those results';
  if (idx) {
    if (idx.paramsHash === resultsParamsHash(p)) return undefined;
    if (idx.profile !== p.profile || canonicalJson(idx.overrides) !== canonicalJson(withoutJobs(overrides))) {
      throw new Error(`results folder ${root} holds results of profile ${idx.profile}, overrides ${canonicalJson(idx.overrides)}; this run is ${ours}: ${way}`);
    }
    const stored = storedParameters(root, idx);
    const diff = stored === undefined ? [] : parameterDifferences(withoutJobs(stored), withoutJobs(p));
    const named = diff.length > 4 ? `${diff.slice(0, 4).join(', ')}, …` : diff.join(', ');
    const what = `results folder ${root} holds results of ${ours} made with other library defaults (${diff.length ? `differing: ${named}` : 'parameter hash differs'})`;
    if (!complete) throw new Error(`${what}; a partial run (--only) would mix two parameter sets: run every experiment to regenerate them, or ${way}`);
    return `${what}; this run of every experiment replaces them`;
  }
  const claims = join(root, 'claims.json');
  if (existsSync(claims)) {
    const prof = (JSON.parse(readFileSync(claims, 'utf8')) as { profile?: string }).profile;
    const plain = canonicalJson(withoutJobs(overrides)) === '{}';
    if (prof !== p.profile || !plain) throw new Error(`results folder ${root} holds results of profile ${prof} (written before index.json); this run is ${ours}: ${way}`);
  }
  return undefined;
}

/** Entries rebuilt from the per-experiment files of a folder written before index.json. */
function legacyEntries(root: string, order: string[]): Record<string, IndexEntry> {
  const out: Record<string, IndexEntry> = {};
  for (const n of order) {
    const s = readJsonIfExists<{ data: string; claims: ClaimCheck[]; tables: ExperimentRows['tables'] }>(join(root, n, 'summary.json'));
    const c = readJsonIfExists<{ title: string }>(join(root, n, 'config.json'));
    if (!s || !c) continue;
    out[n] = { title: c.title, dataNote: s.data, tables: s.tables ?? {}, figures: [], claims: s.claims ?? [], legacy: true };
  }
  return out;
}

/** One experiment written by this invocation: its rows, figure captions and wall seconds. */
export interface DoneExperiment {
  res: ExperimentRows;
  figures: { name: string; caption: string }[];
  seconds: number;
}

/** Wall times of the run pool, written to timings.json beside the per-experiment seconds. */
export interface PoolTimings {
  jobs: number;
  /** Wall seconds of the pool of this invocation. */
  runs: number;
  /** Worker seconds of each computed run, summed under the first experiment reading it. */
  runWorkerSeconds: Record<string, number>;
}

/** True when the index holds every experiment of `order`, none read back from an older folder. */
export function indexComplete(idx: ResultsIndex, order: string[]): boolean {
  return order.every((n) => idx.experiments[n] && !idx.experiments[n].legacy);
}

/**
 * Merges this invocation's experiments into the index (others kept unless the parameters changed,
 * i.e. --force replaced the folder) and rewrites index.json, claims.json, claims.md and timings.json
 * (wall times, git-ignored). Returns the merged index.
 */
export function updateResultsFolder(root: string, p: SuiteParams, overrides: unknown, done: DoneExperiment[], order: string[], pool: PoolTimings): ResultsIndex {
  const old = readIndex(root);
  const hash = resultsParamsHash(p);
  const keep = old ? (old.paramsHash === hash ? old.experiments : {}) : legacyEntries(root, order);
  const experiments: Record<string, IndexEntry> = { ...keep };
  const round1 = (v: number) => Math.round(v * 10) / 10;
  const oldTimings = readJsonIfExists<{ perExperiment?: Record<string, number> }>(join(root, 'timings.json'))?.perExperiment ?? {};
  const secondsOf: Record<string, number> = {};
  for (const n of Object.keys(keep)) if (typeof oldTimings[n] === 'number') secondsOf[n] = oldTimings[n];
  for (const { res, figures, seconds } of done) {
    experiments[res.name] = { title: res.title, dataNote: res.dataNote, tables: res.tables, figures, claims: res.claims };
    secondsOf[res.name] = round1(seconds);
  }
  const names = order.filter((n) => experiments[n]);
  const idx: ResultsIndex = { profile: p.profile, overrides: withoutJobs(overrides), paramsHash: hash, experiments: Object.fromEntries(names.map((n) => [n, experiments[n]])) };
  writeJsonAtomic(join(root, 'index.json'), idx);
  const claims = names.flatMap((n) => experiments[n].claims);
  writeJsonAtomic(join(root, 'claims.json'), { profile: p.profile, seeds: p.seeds, testPerDigit: p.data.testPerDigit, rule: CLAIM_RULE, claims });
  writeFileAtomic(join(root, 'claims.md'), `# Claims of SPEC 5.3 (profile ${p.profile})\n\n${claimsMarkdown(claims)}`);
  // wall times only here (git-ignored), so rerunning leaves the committed files unchanged
  const perExperiment = Object.fromEntries(names.filter((n) => n in secondsOf).map((n) => [n, secondsOf[n]]));
  writeJsonAtomic(join(root, 'timings.json'), {
    note: 'wall times of the last invocation on this machine (perExperiment keeps earlier --only runs); not committed',
    profile: p.profile,
    jobs: pool.jobs,
    runs: round1(pool.runs),
    runWorkerSeconds: Object.fromEntries(Object.entries(pool.runWorkerSeconds).map(([k, v]) => [k, round1(v)])),
    perExperiment,
  });
  return idx;
}
