// Suite reliability: every bad parameter value refused before any work (command line and library), run
// cache records used only when intact, results folders that refuse to mix configurations and keep the
// other experiments' entries on a partial run, and two concurrent `reproduce` into one folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { ParamOverrides, resolveParams } from '../../lib/experiments/profiles';
import { runAll } from '../../lib/experiments/pool';
import { cachedRun, MemorizationSpec, runKey, setRunCacheWarning } from '../../lib/experiments/runs';
import { distCli } from '../cli/dist-cli';

const BAD: [string, ParamOverrides, RegExp][] = [
  ['data.testPerDigit=0', { data: { testPerDigit: 0 } }, /data\.testPerDigit = 0; expected an integer in \[1, 100\]/],
  ['data.trainPerDigit=0', { data: { trainPerDigit: 0 } }, /data\.trainPerDigit = 0; expected an integer in \[1, 900\]/],
  ['train.epochs=-1', { train: { epochs: -1 } }, /train\.epochs = -1; expected an integer >= 1/],
  ['data.digits=[3]', { data: { digits: [3] } }, /data\.digits = \[3\]; expected at least two distinct digits/],
  ['data.source=banana', { data: { source: 'banana' as never } }, /data\.source = "banana"; expected one of "emulated", "real"/],
  ['memorization.pattern=banana', { memorization: { pattern: 'banana' as never } }, /memorization\.pattern = "banana"; expected one of "random", "digit"/],
  ['memorization.density=5', { memorization: { density: 5 } }, /memorization\.density = 5; expected a finite number in \(0, 1\]/],
  ['sweep.eta=[]', { sweep: { eta: [] } }, /sweep\.eta = \[\]; expected a non-empty list/],
  ['seeds=[1,1]', { seeds: [1, 1] }, /seeds = \[1,1\]; expected a list without repeated values/],
  ['jobs=0', { jobs: 0 }, /jobs = 0; expected an integer in \[1, 64\]/],
  ['train.evalEvery=0', { train: { evalEvery: 0 } }, /train\.evalEvery = 0; expected an integer >= 1/],
  ['memorization.evalEvery=0', { memorization: { evalEvery: 0 } }, /memorization\.evalEvery = 0; expected an integer >= 1/],
  ['train.Ks=[]', { train: { Ks: [] } }, /train\.Ks = \[\]; expected a non-empty list/],
  ['seeds=[]', { seeds: [] }, /seeds = \[\]; expected a non-empty list/],
  ['memorization.T=30000', { memorization: { T: 30000 } }, /memorization\.T = 30000; expected an integer in \[1, 4096\]/],
  ['profile=small', { profile: 'small' }, /the profile is chosen by --profile/],
  // Object.prototype's member names: unknown parameters, never a path to the prototype
  ['__proto__.x=1', JSON.parse('{"__proto__":{"x":1}}'), /parameter '__proto__.*': '__proto__' is not a parameter name/],
  ['network.topology.constructor=1', { network: { topology: JSON.parse('{"constructor":1}') } }, /'constructor' is not a parameter name/],
  ['toString=1', JSON.parse('{"toString":1}'), /unknown parameter 'toString'; known at this level/],
  ['data.emulator.scale=-1', { data: { emulator: { scale: -1 } } } as never, /data\.emulator: scale = -1; expected a number > 0/],
  ['data.emulator.speedProfile=[0]', { data: { emulator: { speedProfile: [0] } } } as never, /data\.emulator: speedProfile = \[0\]; expected a list of numbers > 0/],
];

async function quietMain(args: string[]): Promise<number> {
  const err = process.stderr.write.bind(process.stderr);
  (process.stderr as unknown as { write: unknown }).write = () => true;
  try {
    return await main(args);
  } finally {
    (process.stderr as unknown as { write: unknown }).write = err;
  }
}

test('bad configuration table: library and command line refuse each value, naming it and the rule, before any work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gem-badcfg-'));
  for (const [name, o, re] of BAD) {
    assert.throws(() => resolveParams('smoke', o), re, `library: ${name}`);
    const [key, value] = name.split(/=(.*)/);
    await assert.rejects(quietMain(['reproduce', '--profile', 'smoke', '--no-figures', '--results', dir, '--set', `${key}=${value}`]), re, `CLI: ${name}`);
  }
  for (const only of ['', ',']) {
    await assert.rejects(quietMain(['reproduce', '--profile', 'smoke', '--no-figures', '--results', dir, '--only', only]), /--only = .*; expected experiment names/);
  }
  await assert.rejects(quietMain(['reproduce', '--profile', 'smoke', '--no-figures', '--results', '/proc/gem-snn-results']), /under \/proc, a virtual file system/);
  for (const cmd of [['toString'], ['__proto__'], ['data', 'toString']]) assert.equal(await quietMain(cmd), 2, `gem-snn ${cmd.join(' ')}: unknown command`);
  await assert.rejects(quietMain(['reproduce', '--profile', 'toString']), /unknown profile 'toString'; expected one of small/);
  assert.equal(({} as { x?: unknown }).x, undefined, 'Object.prototype untouched');
  assert.deepEqual(readdirSync(dir), [], 'nothing written');
  rmSync(dir, { recursive: true, force: true });
});

test('run cache: edited values, another spec\'s record, {} and a missing field are each recomputed with a warning naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gem-runcache-'));
  const m = resolveParams('smoke').memorization;
  const spec = (K: number): MemorizationSpec => ({ kind: 'memorization', params: m, gem: m.gem, K, seed: 1 });
  const [good] = await runAll([spec(1)], { cacheDir: dir, jobs: 1, force: false });
  await runAll([spec(2)], { cacheDir: dir, jobs: 1, force: false });
  const file = join(dir, `${runKey(spec(1))}.json`);
  const intact = readFileSync(file, 'utf8');
  const plain = JSON.parse(JSON.stringify(good));
  assert.deepEqual(cachedRun(spec(1), dir), plain, 'an intact record is used');
  const stored = JSON.parse(intact);
  const edited = structuredClone(stored);
  edited.record.marginalLoglikPerStep += 0.5;
  const { record: _r, ...missing } = stored;
  const corruptions: [string, string, RegExp][] = [
    ['edited values', JSON.stringify(edited), /content does not match its checksum/],
    ["another spec's record", readFileSync(join(dir, `${runKey(spec(2))}.json`), 'utf8'), /holds another run's spec/],
    ['{}', '{}', /missing spec, record or checksum/],
    ['missing field', JSON.stringify(missing), /missing spec, record or checksum/],
    ['not JSON', '{"spec": ', /not valid JSON/],
  ];
  const lines: string[] = [];
  const old = setRunCacheWarning((l) => lines.push(l));
  try {
    for (const [name, text, re] of corruptions) {
      writeFileSync(file, text);
      lines.length = 0;
      assert.equal(cachedRun(spec(1), dir), undefined, `${name}: not used`);
      assert.equal(lines.length, 1, name);
      assert.ok(lines[0].includes(file), `${name}: the warning names the file`);
      assert.match(lines[0], re, name);
      const [again] = await runAll([spec(1)], { cacheDir: dir, jobs: 1, force: false });
      assert.deepEqual(JSON.parse(JSON.stringify(again)), plain, `${name}: recomputed, equal to the original`);
      assert.equal(readFileSync(file, 'utf8'), intact, `${name}: the file is replaced by the intact record`);
    }
  } finally {
    setRunCacheWarning(old);
    rmSync(dir, { recursive: true, force: true });
  }
});

function cli(main: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
}

test('results folders: concurrent runs leave whole files; other parameters refused; --only keeps the other entries', { timeout: 240_000 }, async () => {
  const bin = await distCli();
  const dir = mkdtempSync(join(tmpdir(), 'gem-resdir-'));
  const args = (...extra: string[]) => ['reproduce', '--profile', 'smoke', '--no-figures', '--jobs', '1', '--results', dir, ...extra];
  const both = await Promise.all([cli(bin, args('--only', 'memorization,hyperparameters')), cli(bin, args('--only', 'memorization,hyperparameters'))]);
  both.forEach((r) => assert.equal(r.code, 0, r.out));
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const files = walk(dir);
  assert.deepEqual(files.filter((f) => /\.tmp-|\.lock$/.test(f)), [], 'no temporary or lock file left');
  for (const f of files.filter((x) => x.endsWith('.json'))) JSON.parse(readFileSync(f, 'utf8'));
  const claims = () => JSON.parse(readFileSync(join(dir, 'claims.json'), 'utf8')).claims.map((c: { id: string }) => c.id);
  const before = claims();
  assert.ok(before.length >= 1);

  const other = await cli(bin, args('--only', 'memorization', '--set', 'memorization.iterations=12'));
  assert.notEqual(other.code, 0);
  assert.match(other.out, /holds results of profile smoke, overrides \{\}; this run is profile smoke, overrides \{"memorization":\{"iterations":12\}\}: pass --results DIR .* or --force/);
  const relabel = await cli(bin, args('--set', 'profile=small'));
  assert.notEqual(relabel.code, 0);
  assert.match(relabel.out, /the profile is chosen by --profile/);

  const partial = await cli(bin, args('--only', 'memorization'));
  assert.equal(partial.code, 0, partial.out);
  assert.deepEqual(claims(), before, 'the hyperparameters entries are kept');
  const timings = JSON.parse(readFileSync(join(dir, 'timings.json'), 'utf8'));
  assert.deepEqual(Object.keys(timings.perExperiment).sort(), ['hyperparameters', 'memorization']);
  assert.equal(existsSync(join(dir, 'README.md')), false, 'README only once every experiment is there');

  // Results of the same profile and overrides made by a library with other defaults (as after a new
  // emulator version): stale. A partial run is refused naming what differs; a run of everything replaces them.
  const idxFile = join(dir, 'index.json');
  const idx = JSON.parse(readFileSync(idxFile, 'utf8'));
  writeFileSync(idxFile, JSON.stringify({ ...idx, paramsHash: 'older-library' }));
  for (const name of Object.keys(idx.experiments)) {
    const cfgFile = join(dir, name, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgFile, 'utf8'));
    cfg.parameters.memorization.density = 0.25;
    writeFileSync(cfgFile, JSON.stringify(cfg));
  }
  const stale = await cli(bin, args('--only', 'memorization'));
  assert.notEqual(stale.code, 0);
  assert.match(stale.out, /holds results of profile smoke, overrides \{\} made with other library defaults \(differing: memorization\.density\); a partial run \(--only\) would mix two parameter sets/);
  const all = await cli(bin, args());
  assert.equal(all.code, 0, all.out);
  assert.match(all.out, /made with other library defaults \(differing: memorization\.density\); this run of every experiment replaces them/);
  assert.notEqual(JSON.parse(readFileSync(idxFile, 'utf8')).paramsHash, 'older-library');
  assert.equal(existsSync(join(dir, 'README.md')), true);
  rmSync(dir, { recursive: true, force: true });
});
