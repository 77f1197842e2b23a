// Data-layer reliability: a seeded fuzz of mutated AEDAT files, unusable recordings excluded per reason
// (or refused with strict), content-based cache keys, concurrent preparers, resumable and self-repairing
// emulation, and folder errors that say what is wrong (no hang under /proc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { allocEvents, encodeAedat, parseAedat } from '../../lib/data/aedat';
import { prepareDataset } from '../../lib/data/dataset';
import { emulateDataset, readManifest } from '../../lib/data/emulated-set';
import { recordingProblem, MAX_GAP_US } from '../../lib/data/recording-checks';
import { makeRng } from '../../lib/util/rng';
import { ensureDir, withLock } from '../../lib/util/files';
import { distCli } from '../cli/dist-cli';

const FIX = path.join(__dirname, '..', 'fixtures', 'mnist-dvs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-reliab-'));
const ROOT = path.join(__dirname, '..', '..');

test('fuzz: 400 seeded mutations of a real recording parse to valid events or fail naming file and byte offset', () => {
  const orig = fs.readFileSync(path.join(FIX, 'mnist_0_scale04_0002.aedat'));
  const rng = makeRng('aedat-fuzz');
  const int = (n: number) => Math.floor(rng.next() * n);
  const head = parseAedat(orig, 'orig').header.bytes;
  const nEv = (orig.length - head) / 8;
  let parsed = 0, rejected = 0;
  for (let c = 0; c < 400; c++) {
    let buf = Buffer.from(orig);
    const kind = c % 6;
    if (kind === 0) buf = buf.subarray(0, int(buf.length)); // truncation anywhere
    else if (kind === 1) for (let k = 0; k < 1 + int(8); k++) buf[int(buf.length)] = int(256); // random bytes
    else if (kind === 2) buf = Buffer.concat([buf.subarray(0, int(buf.length)), Buffer.from([int(256), int(256), int(256)]), buf.subarray(int(buf.length))]);
    else if (kind === 3) buf[int(head + 4)] = int(256); // header bytes
    else if (kind === 4) buf.writeUInt32BE(int(2 ** 32), head + 8 * int(nEv) + 4); // a timestamp
    else buf.writeUInt32BE(rng.next() < 0.5 ? int(2 ** 32) : int(0x8000), head + 8 * int(nEv)); // an address
    const name = `fuzz-${c}.aedat`;
    try {
      const f = parseAedat(buf, name);
      const ev = f.events;
      for (let i = 0; i < ev.length; i++) {
        assert.ok(ev.x[i] < 128 && ev.y[i] < 128 && ev.bit0[i] < 2, `case ${c}: event ${i} out of the sensor`);
        if (i > 0) assert.ok(ev.tUs[i] >= ev.tUs[i - 1], `case ${c}: timestamps go backwards at ${i}`);
      }
      const bad = recordingProblem(ev, 2_000_000);
      if (bad) assert.match(bad.detail, /\d/);
      parsed++;
    } catch (e) {
      const m = (e as Error).message;
      assert.ok(m.startsWith(`${name}: byte offset `), `case ${c} (kind ${kind}): message does not name file and offset: ${m}`);
      rejected++;
    }
  }
  assert.ok(parsed > 20 && rejected > 20, `both outcomes exercised (parsed ${parsed}, rejected ${rejected})`);
});

/** Writes events with timestamps `ts` (all at one pixel) as an AEDAT buffer. */
function withTimes(ts: number[]): Buffer {
  const ev = allocEvents(ts.length);
  ts.forEach((t, i) => {
    ev.x[i] = 60;
    ev.y[i] = 60;
    ev.tUs[i] = t;
  });
  return encodeAedat(ev);
}

test('prepare excludes empty, short and jumping recordings with counts per reason; strict refuses them', async () => {
  const root = path.join(tmp, 'bad-real');
  const dir = path.join(root, 'grabbed_data0', 'scale4');
  fs.mkdirSync(dir, { recursive: true });
  const good = fs.readFileSync(path.join(FIX, 'mnist_0_scale04_0001.aedat'));
  fs.writeFileSync(path.join(dir, 'mnist_0_scale04_0001.aedat'), good);
  fs.writeFileSync(path.join(dir, 'mnist_0_scale04_0002.aedat'), withTimes([]));
  fs.writeFileSync(path.join(dir, 'mnist_0_scale04_0003.aedat'), withTimes([10, 1000, 260_000]));
  fs.writeFileSync(path.join(dir, 'mnist_0_scale04_0004.aedat'), withTimes([10, 1000, 2 ** 31]));
  fs.copyFileSync(path.join(FIX, 'mnist_0_scale04_0002.aedat'), path.join(dir, 'mnist_0_scale04_0005.aedat'));
  const dataDir = path.join(tmp, 'bad-data');
  const lines: string[] = [];
  const opts = { root, digits: [0], trainPerDigit: 5, testPerDigit: 0, dataDir, log: (l: string) => lines.push(l) };
  const p = await prepareDataset(opts);
  assert.equal(p.description.splits.train.n, 2);
  assert.deepEqual(p.description.excluded, {
    'no-events': ['grabbed_data0/scale4/mnist_0_scale04_0002.aedat'],
    short: ['grabbed_data0/scale4/mnist_0_scale04_0003.aedat'],
    'timestamp-jump': ['grabbed_data0/scale4/mnist_0_scale04_0004.aedat'],
  });
  assert.match(lines.join('\n'), /excluded 3 unusable recording\(s\): 1 no-events, 1 short, 1 timestamp-jump/);
  assert.equal(p.load().train.length, 2);
  await assert.rejects(prepareDataset({ ...opts, strict: true }), /3 unusable recording\(s\): 1 no-events .*mnist_0_scale04_0002\.aedat/);
  await assert.rejects(prepareDataset({ ...opts, strict: true, dataDir: path.join(tmp, 'bad-data-2') }), /1 timestamp-jump \(two consecutive timestamps .* more than 1 s apart/);
  assert.equal(MAX_GAP_US, 1_000_000);
});

test('cache key from contents: a touched file reuses the cache, an edited one (same size) does not', async () => {
  const root = path.join(tmp, 'key-real');
  const dir = path.join(root, 'grabbed_data0', 'scale4');
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, 'mnist_0_scale04_0001.aedat');
  fs.copyFileSync(path.join(FIX, 'mnist_0_scale04_0001.aedat'), f);
  const opts = { root, digits: [0], trainPerDigit: 1, testPerDigit: 0, dataDir: path.join(tmp, 'key-data') };
  const a = await prepareDataset(opts);
  fs.utimesSync(f, new Date(2001, 1, 1), new Date(2001, 1, 1));
  const b = await prepareDataset(opts);
  assert.equal(b.key, a.key);
  assert.equal(b.built, false);
  const buf = fs.readFileSync(f);
  buf[buf.length - 5] ^= 0x02; // one address bit of the last event
  fs.writeFileSync(f, buf);
  const c = await prepareDataset(opts);
  assert.notEqual(c.key, a.key);
  assert.equal(c.built, true);
});

test('emulation resumes from its manifest checkpoint and regenerates a corrupt recording', () => {
  const out = path.join(tmp, 'emu');
  const o = { out, digits: [1], recordings: [1, 2, 3], seed: 's' };
  const a = emulateDataset(o);
  assert.equal(a.written, 3);
  const rel = 'grabbed_data1/scale4/mnist_1_scale04_0002.aedat';
  const file = path.join(out, rel);
  const want = fs.readFileSync(file);
  const m = readManifest(out)!;
  assert.equal(m.recordings[rel].sha256?.length, 64);
  // corrupt one file (same size), drop another from the manifest as a killed run would leave it
  const bad = Buffer.from(want);
  bad[bad.length - 1] ^= 1;
  fs.writeFileSync(file, bad);
  delete m.recordings['grabbed_data1/scale4/mnist_1_scale04_0003.aedat'];
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(m));
  const seen: string[] = [];
  const b = emulateDataset({ ...o, onCorrupt: (f) => seen.push(f) });
  assert.deepEqual([b.written, b.kept, b.corrupt], [2, 1, 1]);
  assert.deepEqual(seen, [file]);
  assert.deepEqual(fs.readFileSync(file), want);
  assert.deepEqual(emulateDataset(o).written, 0);
});

/** Runs `gem-snn data <args>` as a child process; resolves to its exit code and output. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const main = await distCli();
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [main, 'data', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
}

test('three concurrent `data prepare` leave one emulated folder and one cache folder, no temporaries or locks', async () => {
  const dataDir = path.join(tmp, 'conc');
  const args = ['prepare', '--digits', '0,1', '--train-per-digit', '3', '--test-per-digit', '2', '--sample-ms', '500', '--data-dir', dataDir];
  const rs = await Promise.all([cli(args), cli(args), cli(args)]);
  rs.forEach((r) => assert.equal(r.code, 0, r.out));
  assert.equal(new Set(rs.map((r) => /cache: (\S+)/.exec(r.out)?.[1])).size, 1);
  assert.equal(fs.readdirSync(path.join(dataDir, 'cache')).length, 1, fs.readdirSync(path.join(dataDir, 'cache')).join(' '));
  assert.equal(fs.readdirSync(path.join(dataDir, 'emulated')).length, 1);
  const emu = path.join(dataDir, 'emulated', fs.readdirSync(path.join(dataDir, 'emulated'))[0]);
  assert.deepEqual(fs.readdirSync(emu).sort(), ['grabbed_data0', 'grabbed_data1', 'manifest.json']);
  assert.equal(rs.filter((r) => /emulated \d+ recordings/.test(r.out)).length, 1, 'exactly one process emulated');
});

test('folders: /proc and read-only or file-blocked places give a clear error at once; a dead holder\'s lock is taken over', async () => {
  assert.throws(() => ensureDir('/proc/gem-snn-test/results'), /under \/proc, a virtual file system/);
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  assert.throws(() => ensureDir(path.join(file, 'sub')), /is a file, not a folder/);
  const ro = path.join(tmp, 'ro');
  fs.mkdirSync(ro);
  fs.chmodSync(ro, 0o500);
  if (process.getuid?.() !== 0) assert.throws(() => ensureDir(path.join(ro, 'x', 'y')), /cannot create .*no permission to write/);
  fs.chmodSync(ro, 0o700);
  const r = await cli(['prepare', '--digits', '0', '--train-per-digit', '1', '--test-per-digit', '1', '--data-dir', '/proc/gem-snn-data']);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /\/proc, a virtual file system/);
  const lock = path.join(tmp, 'x.lock');
  fs.writeFileSync(lock, '999999999\nhost\n'); // no such process
  assert.equal(await withLock(lock, () => 7, { timeoutMs: 2000 }), 7);
  assert.equal(fs.existsSync(lock), false);
});

test('data calibrate finds the real recordings beside the checkout by default', async () => {
  const real = path.join(ROOT, '..', 'shared', 'mnist-dvs', 'real-digit0');
  if (!fs.existsSync(real)) return;
  const r = await cli(['calibrate', '--n', '3', '--json']);
  assert.equal(r.code, 0, r.out);
});
