/**
 * Where the experiment suite reads and writes: the project root, the results root of a profile, and
 * JSON records read back from the run cache. Atomic writes and configuration hashes are in util/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SuiteParams } from './profiles';

/** Reads JSON; a missing file gives undefined, a corrupt one an error naming the file. */
export function readJsonIfExists<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message}); delete it to recompute`);
  }
}

/** Where the suite writes: `results/` of the project unless GEM_RESULTS_DIR or an explicit root says otherwise. */
export function resultsRoot(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.GEM_RESULTS_DIR) return process.env.GEM_RESULTS_DIR;
  return join(projectRoot(), 'results');
}

/** Results root of a profile: results/ for the main profile `small`, results/profile-<name>/ otherwise. */
export function resultsDirFor(p: SuiteParams, opts: { resultsDir?: string } = {}): string {
  if (opts.resultsDir) return opts.resultsDir;
  const root = resultsRoot();
  return p.profile === 'small' ? root : join(root, `profile-${p.profile}`);
}

/**
 * The project's root folder (the one holding `lib/`, `results/`, `notebooks/`): found by walking up from
 * this module (works from lib/ sources, lib/dist/ and the node_modules/gem-snn symlink).
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'notebooks')) && existsSync(join(dir, 'lib', 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}
