/**
 * `gem-snn runs <status|merge>`: the run cache of a profile. `status` counts the planned runs that are
 * cached (all of them, or one shard's); `merge DIR...` copies run records from other run caches (e.g. the
 * results folders of shards computed on other machines), each checked as the run cache checks its own.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseShard, shardRuns } from '../experiments/plan';
import { planRuns } from '../experiments/registry';
import { cachedRun, runCacheDir, runKey, RunSpec } from '../experiments/runs';
import { writeFileAtomic } from '../util/files';
import { resolveSuiteArgs, SUITE_HELP, SUITE_OPTIONS } from './suite-args';

const HELP = `Usage:
  gem-snn runs status [options] [--shard i/n]
      how many runs of the profile's experiments (or of one shard) are in the run cache
  gem-snn runs merge [options] DIR...
      copy the run records of each DIR (a results root holding .cache/runs/, or a run cache folder)
      into this profile's run cache; each record is checked first (its file name must be the hash of
      the spec it holds, and it must read as the run cache reads it); records already present are kept

Options:
${SUITE_HELP}`;

/** The run cache folder inside `dir`: `dir/.cache/runs` if present, else `dir` itself. */
function sourceCache(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`runs merge: ${dir}: folder not found; expected a results root or a run cache folder`);
  const inner = runCacheDir(dir);
  return existsSync(inner) ? inner : dir;
}

/** Checks one record file; returns its spec or why it is rejected. */
function checkRecord(dir: string, file: string): { spec: RunSpec } | { reason: string } {
  const key = basename(file, '.json');
  let spec: RunSpec | undefined;
  try {
    spec = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { spec?: RunSpec }).spec;
  } catch (e) {
    return { reason: `not valid JSON (${(e as Error).message})` };
  }
  if (!spec || typeof spec !== 'object') return { reason: 'no spec in the record' };
  if (runKey(spec) !== key) return { reason: `its spec hashes to ${runKey(spec)}, not to the file name (renamed, or made by another version)` };
  try {
    if (cachedRun(spec, dir) === undefined) return { reason: 'not accepted by the run cache' };
  } catch (e) {
    return { reason: (e as Error).message };
  }
  return { spec };
}

/** Copies verified records of `sources` into `target`; returns counts and rejections. */
export function mergeRunCaches(target: string, sources: string[]): { copied: number; present: number; rejected: string[] } {
  let copied = 0;
  let present = 0;
  const rejected: string[] = [];
  for (const src of sources.map(sourceCache)) {
    const files = readdirSync(src).filter((f) => /^[a-z]+-[0-9a-f]+\.json$/.test(f)).sort();
    for (const f of files) {
      const r = checkRecord(src, f);
      if ('reason' in r) {
        rejected.push(`${join(src, f)}: ${r.reason}`);
        continue;
      }
      if (cachedRun(r.spec, target) !== undefined) {
        present++;
        continue;
      }
      // the trained network first, so a record in the target always has its network beside it
      const net = `${basename(f, '.json')}.network.json`;
      if (existsSync(join(src, net))) writeFileAtomic(join(target, net), readFileSync(join(src, net)));
      writeFileAtomic(join(target, f), readFileSync(join(src, f)));
      copied++;
    }
  }
  return { copied, present, rejected };
}

/** Runs `gem-snn runs ...`; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  if (sub !== 'status' && sub !== 'merge') {
    console.error(`gem-snn runs: unknown subcommand ${JSON.stringify(sub)}; expected status or merge`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: sub === 'merge',
    options: { ...SUITE_OPTIONS, shard: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const { params, only, root } = resolveSuiteArgs(values);
  const cacheDir = runCacheDir(root);
  if (sub === 'merge') {
    if (positionals.length === 0) throw new Error('runs merge: expected at least one DIR to merge from');
    const r = mergeRunCaches(cacheDir, positionals);
    for (const line of r.rejected) console.error(`rejected ${line}`);
    console.log(`runs merge: ${r.copied} records copied into ${cacheDir}, ${r.present} already there, ${r.rejected.length} rejected`);
    return r.rejected.length ? 1 : 0;
  }
  const { runs } = planRuns(only, params);
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const mine = shard ? shardRuns(runs, shard) : runs;
  const cached = mine.filter((s) => cachedRun(s, cacheDir) !== undefined).length;
  const what = shard ? `shard ${shard.index}/${shard.count} (${mine.length} of ${runs.length} runs)` : `${runs.length} runs`;
  console.log(`profile ${params.profile}, ${what}: ${cached} cached, ${mine.length - cached} missing (run cache ${cacheDir})`);
  return 0;
}
