/**
 * Files of the experiment suite: atomic writes, content hashes of configurations, and the run cache
 * where each finished run is written at once (so an interrupted reproduction loses nothing).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/files';
import { dirname, join } from 'node:path';

/** Writes `data` to `path` atomically (temp file in the same folder, then rename). Creates folders. */
export { writeFileAtomic };

/** Writes pretty JSON atomically (trailing newline). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 1) + '\n');
}

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

/** JSON with object keys sorted at every level, so equal configurations give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = (v as Record<string, unknown>)[key];
      return out;
    }
    return v;
  });
}

/** First `n` hex digits of the SHA-256 of the canonical JSON of `value`. */
export function configHash(value: unknown, n = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, n);
}

/** Where the suite writes: `results/` of the project unless GEM_RESULTS_DIR or an explicit root says otherwise. */
export function resultsRoot(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.GEM_RESULTS_DIR) return process.env.GEM_RESULTS_DIR;
  return join(projectRoot(), 'results');
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
