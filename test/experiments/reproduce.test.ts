// The main job end to end on the smoke profile (no figures): results are written, the claims table is
// printed, cached runs are skipped on a second call, and two fresh runs give byte-identical files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { EXPERIMENT_ORDER } from '../../lib/experiments/registry';

async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const log = console.log;
  const err = process.stderr.write.bind(process.stderr);
  let out = '';
  console.log = (...a: unknown[]) => void (out += a.join(' ') + '\n');
  (process.stderr as unknown as { write: unknown }).write = () => true;
  try {
    return { value: await fn(), out };
  } finally {
    console.log = log;
    (process.stderr as unknown as { write: unknown }).write = err;
  }
}

// every experiment of the registry except 'data' (its real-vs-emulated statistics read 100 recordings)
// and 'hidden-only' (its own runs and sweep)
const ONLY = EXPERIMENT_ORDER.filter((n) => n !== 'data' && n !== 'hidden-only').join(',');

test('reproduce --profile smoke writes every result file, deterministically, and reuses cached runs', async () => {
  const a = mkdtempSync(join(tmpdir(), 'gem-repro-a-'));
  const b = mkdtempSync(join(tmpdir(), 'gem-repro-b-'));
  try {
    const args = (dir: string) => ['reproduce', '--profile', 'smoke', '--no-figures', '--jobs', '1', '--only', ONLY, '--results', dir];
    const r1 = await quiet(() => main(args(a)));
    assert.equal(r1.value, 0);
    assert.match(r1.out, /Claims of SPEC 5\.3/);
    assert.match(r1.out, /Test log-likelihood increases with training K/);
    for (const exp of ONLY.split(',')) {
      for (const f of ['config.json', 'metrics.csv', 'summary.json']) {
        assert.ok(statSync(join(a, exp, f)).size > 0, `${exp}/${f} written`);
      }
      const csv = readFileSync(join(a, exp, 'metrics.csv'), 'utf8').trim().split('\n');
      assert.equal(csv[0], 'experiment,metric,rule,config,K,KI,seed,step,value');
      assert.ok(csv.length > 1, `${exp}: metrics rows`);
      assert.ok(csv.slice(1).every((l) => Number.isFinite(Number(l.split(',').pop()))), `${exp}: finite values`);
    }
    const cached = readdirSync(join(a, '.cache', 'runs')).filter((f) => f.endsWith('.json') && !f.includes('network'));
    assert.ok(cached.length >= 4, 'run records cached');
    // a second call finds every run cached: the records are not rewritten
    const mtimes = cached.map((f) => statSync(join(a, '.cache', 'runs', f)).mtimeMs);
    await quiet(() => main(args(a)));
    assert.deepEqual(cached.map((f) => statSync(join(a, '.cache', 'runs', f)).mtimeMs), mtimes);
    // a fresh run elsewhere gives the same bytes
    await quiet(() => main(args(b)));
    for (const exp of ONLY.split(',')) {
      for (const f of ['metrics.csv', 'summary.json']) {
        assert.equal(readFileSync(join(b, exp, f), 'utf8'), readFileSync(join(a, exp, f), 'utf8'), `${exp}/${f} identical`);
      }
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('reproduce rejects an unknown experiment and a bad --set before any work', async () => {
  await assert.rejects(() => quiet(() => main(['reproduce', '--profile', 'smoke', '--only', 'nope', '--no-figures'])), /unknown experiment 'nope'/);
  await assert.rejects(() => quiet(() => main(['reproduce', '--profile', 'smoke', '--set', 'gem.eta=fast', '--no-figures'])), /gem\.eta/);
});

test('gem-snn --version and --help', async () => {
  const v = await quiet(() => main(['--version']));
  assert.equal(v.value, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+/);
  const h = await quiet(() => main(['--help']));
  assert.match(h.out, /reproduce/);
  assert.match(h.out, /data/);
});
