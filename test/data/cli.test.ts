// `gem-snn data` subcommands, run in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../lib/cli/data';

const FIX = path.join(__dirname, '..', 'fixtures', 'mnist-dvs');

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    const code = await run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = orig;
  }
}

test('inspect --json prints exactly the golden object', async () => {
  const r = await capture(['inspect', path.join(FIX, 'mnist_0_scale04_0064.aedat'), '--json']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), JSON.parse(fs.readFileSync(path.join(FIX, 'mnist_0_scale04_0064.json'), 'utf8')));
});

test('emulate writes the real layout per split; prepare reports the cache', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-cli-'));
  const out = path.join(tmp, 'emu');
  const r = await capture(['emulate', '--out', out, '--digits', '0,1', '--per-digit', '2', '--seed', '5', '--split', 'test']);
  assert.equal(r.code, 0);
  assert.deepEqual(fs.readdirSync(path.join(out, 'grabbed_data1', 'scale4')).sort(), ['mnist_1_scale04_0901.aedat', 'mnist_1_scale04_0902.aedat']);
  const p = await capture(['prepare', '--root', out, '--digits', '0,1', '--train-per-digit', '0', '--test-per-digit', '2', '--data-dir', path.join(tmp, 'data'), '--layout', '676']);
  assert.equal(p.code, 0);
  assert.match(p.out, /cache: .*data[\\/]cache[\\/][0-9a-f]{16} \(built/);
  assert.match(p.out, /test 4 \(2\/2\)/);
  assert.match(p.out, /nIn=676/);
  await assert.rejects(run(['emulate', '--out', out, '--digits', '0,x']), /--digits/);
});

test('calibrate: --set changes an emulator parameter, --half fit reports on 0001-0050; bad values refused before any work', async (t) => {
  const real = path.join(__dirname, '..', '..', '..', 'shared', 'mnist-dvs', 'real-digit0');
  if (!fs.existsSync(real)) {
    if (process.env.CI === 'true') assert.fail(`the real recordings are missing at ${real}`);
    t.skip(`no real recordings at ${real}`);
    return;
  }
  await assert.rejects(run(['calibrate', '--real', real, '--half', 'x']), /--half = "x"; expected held .* or fit/);
  await assert.rejects(run(['calibrate', '--real', real, '--set', 'bogus=1']), /unknown parameter 'bogus'; known at this level: frameHz, scale/);
  await assert.rejects(run(['calibrate', '--real', real, '--set', 'scale="big"']), /parameter 'scale' = "big"; expected a number like 1\.3/);
  await assert.rejects(run(['calibrate', '--real', real, '--set', 'background=1']), /emulator parameters\): background = 1; expected a number in \(0, 1\)/);
  const report = async (...extra: string[]) => {
    const r = await capture(['calibrate', '--real', real, '--n', '4', '--folds', '2', '--half', 'fit', '--json', ...extra]);
    assert.equal(r.code, 0);
    return JSON.parse(r.out) as { realFiles: number[]; controlFiles: number[]; rows: { stat: string; emulated: { mean: number } }[] };
  };
  const base = await report();
  const smaller = await report('--set', 'scale=1.1');
  assert.deepEqual([base.realFiles[0], base.realFiles.at(-1), base.controlFiles.length], [1, 50, 0], 'fit half, no control');
  assert.notDeepEqual(smaller.rows, base.rows, 'a smaller digit changes the emulated statistics');
});
