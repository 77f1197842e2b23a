// Sharded reproduction for real: the split of a plan into shards, GNU parallel running three shards of
// the smoke profile into one run cache, and a one-node SLURM cluster on localhost running the array job
// of scripts/slurm/. Both must give metrics.csv byte-identical to an unsharded run. When a tool or the
// cluster is missing the test is skipped with the reason (printed loudly in CI), never passed.
import { test, TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { longestFirst, parseShard, runCost, shardRuns } from '../../lib/experiments/plan';
import { EXPERIMENT_ORDER, planRuns } from '../../lib/experiments/registry';
import { runKey } from '../../lib/experiments/runs';
import { resolveParams } from '../../lib/experiments/profiles';

const ROOT = resolve(__dirname, '..', '..');
// the sources through tsx (a stale lib/dist cannot mask a change)
const GEM = ['node', '--import', 'tsx', join(ROOT, 'lib', 'cli', 'main.ts')];
const ARGS = ['--profile', 'smoke', '--no-figures'];

function gem(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(GEM[0], [...GEM.slice(1), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gem-snn ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout + r.stderr;
}

function skip(t: TestContext, reason: string): void {
  if (process.env.CI) console.error(`\n${'!'.repeat(72)}\n!! SKIPPED in CI: ${t.name}\n!! ${reason}\n${'!'.repeat(72)}\n`);
  t.skip(reason);
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

let reference: string | undefined;
/** Results root of one unsharded smoke reproduction (computed once for the tests of this file). */
function unsharded(): string {
  if (!reference) {
    reference = mkdtempSync(join(tmpdir(), 'gem-unsharded-'));
    gem(['reproduce', ...ARGS, '--results', reference]);
  }
  return reference;
}

function assertSameMetrics(dir: string): void {
  const ref = unsharded();
  for (const exp of EXPERIMENT_ORDER) {
    const a = readFileSync(join(ref, exp, 'metrics.csv'), 'utf8');
    assert.ok(a.split('\n').length > 2, `${exp}: reference has metrics`);
    assert.equal(readFileSync(join(dir, exp, 'metrics.csv'), 'utf8'), a, `${exp}/metrics.csv identical to the unsharded run`);
  }
}

test.after(() => {
  if (reference) rmSync(reference, { recursive: true, force: true });
});

test('shards cover the plan exactly once, the same in every process, and bad --shard values are refused', async () => {
  const { runs } = planRuns(EXPERIMENT_ORDER, resolveParams('small'));
  const keys = runs.map(runKey);
  assert.equal(new Set(keys).size, keys.length, 'the plan has no duplicates');
  for (const n of [1, 2, 3, 7]) {
    const parts = Array.from({ length: n }, (_, i) => shardRuns(runs, { index: i + 1, count: n }).map(runKey));
    assert.deepEqual(parts.flat().sort(), [...keys].sort(), `${n} shards cover every run once`);
    if (n > 1) assert.ok(parts.every((p) => p.length > 0), `${n} shards: none empty`);
    // the split depends on the set of runs, not on their order
    assert.deepEqual(shardRuns([...runs].reverse(), { index: 1, count: n }).map(runKey), parts[0]);
  }
  // longest first, and shards balanced to within one run
  const costs = longestFirst(runs).map(runCost);
  assert.ok(costs.every((c, i) => i === 0 || c <= costs[i - 1]), 'longestFirst orders by estimated cost');
  const gemRun = (K: number) => runs.find((r) => r.kind === 'classification' && r.rule.rule === 'gem' && r.rule.opts.K === K)!;
  assert.ok(runCost(gemRun(20)) > runCost(gemRun(1)), 'more compartments cost more');
  const loads = [1, 2, 3, 4].map((i) => shardRuns(runs, { index: i, count: 4 }).reduce((a, r) => a + runCost(r), 0));
  assert.ok(Math.max(...loads) - Math.min(...loads) <= costs[0], `4 shards balanced: ${loads.map((l) => (l / 1000).toFixed(0)).join(', ')} s`);
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  for (const bad of ['3/2', '0/2', '1/0', '2', 'a/b', '1/2/3', '-1/2']) {
    assert.throws(() => parseShard(bad), new RegExp(`--shard ${bad.replace(/[/]/g, '\\/')}; expected i/n with 1 <= i <= n`));
  }
  assert.throws(() => gem(['reproduce', ...ARGS, '--shard', '3/2']), /--shard 3\/2; expected i\/n with 1 <= i <= n/);
});

test('GNU parallel: three shards into one run cache, then one reproduce writes the same metrics', { timeout: 180_000 }, (t) => {
  if (!have('parallel')) return skip(t, 'GNU parallel not installed (Debian package `parallel`; scripts/setup-system.sh installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'gem-parallel-'));
  try {
    const cmd = [...GEM, 'reproduce', ...ARGS, '--results', dir, '--shard', '{}/3'].join(' ');
    execFileSync('parallel', ['--halt', 'now,fail=1', cmd, ':::', '1', '2', '3'], { cwd: ROOT, stdio: 'pipe' });
    const cached = readdirSync(join(dir, '.cache', 'runs')).filter((f) => /^[a-z]+-[0-9a-f]+\.json$/.test(f));
    assert.equal(cached.length, planRuns(EXPERIMENT_ORDER, resolveParams('smoke')).runs.length, 'every planned run cached by the shards');
    assert.ok(!existsSync(join(dir, 'loglik-vs-K')), 'shards write no results');
    const out = gem(['reproduce', ...ARGS, '--results', dir]);
    assert.match(out, /runs: \d+ planned, 0 computed/, 'the final reproduce computes nothing');
    assertSameMetrics(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gem-snn runs merge copies verified records and refuses a renamed one', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gem-merge-'));
  try {
    const ref = unsharded();
    const out = gem(['runs', 'merge', ...ARGS.slice(0, 2), '--results', dir, ref]);
    const n = planRuns(EXPERIMENT_ORDER, resolveParams('smoke')).runs.length;
    assert.match(out, new RegExp(`${n} records copied`));
    assert.match(gem(['runs', 'status', ...ARGS.slice(0, 2), '--results', dir]), new RegExp(`${n} cached, 0 missing`));
    assert.match(gem(['runs', 'merge', ...ARGS.slice(0, 2), '--results', dir, ref]), new RegExp(`0 records copied.*${n} already there`));
    // a record under another run's name is refused
    const bad = mkdtempSync(join(tmpdir(), 'gem-merge-bad-'));
    const [a, b] = readdirSync(join(ref, '.cache', 'runs')).filter((f) => /^classification-[0-9a-f]+\.json$/.test(f));
    execFileSync('cp', [join(ref, '.cache', 'runs', a), join(bad, b)]);
    assert.throws(() => gem(['runs', 'merge', ...ARGS.slice(0, 2), '--results', dir, bad]), /rejected .*hashes to/);
    rmSync(bad, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SLURM: the array job on a one-node cluster on localhost, then the final step, writes the same metrics', { timeout: 240_000 }, (t) => {
  const missing = ['slurmctld', 'slurmd', 'munged', 'sbatch', 'sinfo'].filter((c) => !have(c) && !existsSync(`/usr/sbin/${c}`));
  if (missing.length) return skip(t, `SLURM not installed (${missing.join(', ')} missing; bash scripts/setup-slurm.sh installs slurmctld, slurmd, slurm-client, munge)`);
  if (process.getuid?.() !== 0) return skip(t, 'the local SLURM cluster needs root (its daemons start jobs as their user)');
  const cluster = mkdtempSync(join(tmpdir(), 'gem-slurm-'));
  const dir = join(cluster, 'results');
  const script = join(ROOT, 'scripts', 'slurm', 'local-cluster.sh');
  try {
    const start = spawnSync('bash', [script, 'start', cluster], { encoding: 'utf8', timeout: 150_000 });
    if (start.status !== 0) return skip(t, `the local SLURM cluster did not start: ${(start.stderr || String(start.error)).trim()}`);
    const env = { ...process.env, SLURM_CONF: join(cluster, 'slurm.conf'), GEM_SNN: GEM.join(' '), PATH: `${process.env.PATH}:/usr/sbin` };
    const sbatch = (args: string[]) => execFileSync('sbatch', args, { cwd: ROOT, env, encoding: 'utf8', timeout: 200_000 }).trim();
    const job = join(ROOT, 'scripts', 'slurm', 'reproduce-array.sbatch');
    const out = join(cluster, 'job-%A_%a.out');
    // one CPU per task: two of the three shards run at once on the 2-CPU node
    const array = sbatch(['--parsable', '--array=1-3', '--cpus-per-task=1', `--output=${out}`, job, ...ARGS, '--results', dir]);
    sbatch(['--parsable', '--wait', `--dependency=afterok:${array}`, '--kill-on-invalid-dep=yes', '--cpus-per-task=1', `--output=${join(cluster, 'final-%j.out')}`, job, ...ARGS, '--results', dir]);
    const logs = readdirSync(cluster).filter((f) => f.endsWith('.out')).map((f) => readFileSync(join(cluster, f), 'utf8'));
    assert.equal(logs.filter((l) => /gem-snn shard [123]\/3 on/.test(l)).length, 3, `three shard tasks ran:\n${logs.join('\n')}`);
    assert.match(logs.join('\n'), /runs: \d+ planned, 0 computed/, 'the final step computes nothing');
    assertSameMetrics(dir);
  } finally {
    spawnSync('bash', [script, 'stop', cluster]);
    rmSync(cluster, { recursive: true, force: true });
  }
});
