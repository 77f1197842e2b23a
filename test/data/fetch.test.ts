// `gem-snn data fetch` against a local HTTP server on 127.0.0.1 serving a zip made from the shared real
// digit-0 recordings: resume after a dropped connection (HTTP Range), checksum mismatch, unreachable
// server, HTTP errors, a full disk (/dev/full), and the layout that the real-data path reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchMnistDvs } from '../../lib/data/fetch';
import { downloadVerified } from '../../lib/data/download';
import { prepareDataset } from '../../lib/data/dataset';

const ROOT = path.resolve(__dirname, '..', '..');
const REAL = path.resolve(ROOT, '..', 'shared', 'mnist-dvs', 'real-digit0');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-fetch-'));
const NAMES = Array.from({ length: 12 }, (_, i) => `mnist_0_scale04_${String(i + 1).padStart(4, '0')}.aedat`);
let zip: Buffer;
let md5: string;
let server: http.Server;
let base: string;
const ranges: (string | undefined)[] = [];

/** Serves zip at /ok/ (Range-aware), /drop/ (first full request cut at half), /bad/ (one byte flipped). */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const [, mode, file] = (req.url ?? '').split('/');
  if (file !== 'grabbed_data0.zip' || !['ok', 'drop', 'bad'].includes(mode)) { res.writeHead(404).end('not found'); return; }
  ranges.push(req.headers.range);
  const body = mode === 'bad' ? Buffer.from(zip) : zip;
  if (mode === 'bad') body[body.length >> 1] ^= 0xff;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m) {
    const start = Number(m[1]);
    if (start >= body.length) { res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end(); return; }
    res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
  if (mode !== 'drop') { res.end(body); return; }
  res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 50));
}

before(async () => {
  const src = path.join(tmp, 'src', 'grabbed_data0', 'scale4');
  fs.mkdirSync(src, { recursive: true });
  for (const n of NAMES) fs.copyFileSync(path.join(REAL, n), path.join(src, n));
  const py = 'import os, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n' +
    '  for d, _, fs in sorted(os.walk("grabbed_data0")):\n    z.write(d)\n    for f in sorted(fs): z.write(os.path.join(d, f))\n';
  const r = spawnSync('python3', ['-c', py, path.join(tmp, 'grabbed_data0.zip')], { cwd: path.join(tmp, 'src'), encoding: 'utf8' });
  assert.equal(r.status, 0, `making the test zip: ${r.stderr}`);
  zip = fs.readFileSync(path.join(tmp, 'grabbed_data0.zip'));
  md5 = createHash('md5').update(zip).digest('hex');
  server = http.createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lib', 'cli', 'main.ts'), 'data', 'fetch', ...args], { cwd: ROOT });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

function assertInstalled(root: string): void {
  const dir = path.join(root, 'grabbed_data0', 'scale4');
  assert.deepEqual(fs.readdirSync(dir).sort(), NAMES);
  for (const n of NAMES) assert.ok(fs.readFileSync(path.join(dir, n)).equals(fs.readFileSync(path.join(REAL, n))), `${n} byte for byte`);
  assert.deepEqual(fs.readdirSync(root).sort(), ['grabbed_data0'], 'no archive, partial file or temporary folder left');
}

test('data fetch: a dropped connection fails clearly, keeps the partial file; the next run resumes with Range', async () => {
  const root = path.join(tmp, 'r1');
  const args = ['--digits', '0', '--root', root, '--url-base', `${base}/drop/`, '--md5', md5, '--retries', '0'];
  ranges.length = 0;
  const a = await cli(args);
  assert.equal(a.code, 1, a.out + a.err);
  assert.match(a.err, /connection dropped after \d+ bytes \(1 attempt\); run the same command again to resume/);
  const part = path.join(root, 'grabbed_data0.zip.part');
  const have = fs.statSync(part).size;
  assert.ok(have > 0 && have < zip.length, `partial file: ${have} of ${zip.length} bytes`);
  assert.ok(!fs.existsSync(path.join(root, 'grabbed_data0')), 'nothing extracted from a partial download');
  const b = await cli(args);
  assert.equal(b.code, 0, b.out + b.err);
  assert.deepEqual(ranges, [undefined, `bytes=${have}-`]);
  assert.match(b.err, new RegExp(`MD5 ${md5} ok \\(resumed from byte ${have}\\)`));
  assert.match(b.out, /12 scale4 recordings .*\n.*--set data\.source=real --set data\.root=/);
  assertInstalled(root);
  // The layout is what the real-data path reads.
  const prep = await prepareDataset({ root, digits: [0], trainPerDigit: 4, testPerDigit: 1, onMissing: 'skip', dataDir: path.join(tmp, 'cache1') });
  assert.equal(prep.description.kind, 'real');
  assert.equal(prep.load().train.length, 4);
});

test('data fetch: a corrupted archive is a checksum error; nothing extracted, the bad file deleted', async () => {
  const root = path.join(tmp, 'r2');
  const c = await cli(['--digits', '0', '--root', root, '--url-base', `${base}/bad/`, '--md5', md5]);
  assert.equal(c.code, 1, c.out + c.err);
  assert.match(c.err, new RegExp(`checksum mismatch: MD5 [0-9a-f]{32} of ${zip.length} bytes, expected ${md5}; the file was deleted and nothing was extracted`));
  assert.deepEqual(fs.readdirSync(root), []);
});

test('fetchMnistDvs: retries resume within one run; a present digit is kept without a request', async () => {
  const root = path.join(tmp, 'r3');
  ranges.length = 0;
  const [r] = await fetchMnistDvs({ root, digits: [0], urlBase: `${base}/drop`, md5: { 0: md5 }, retries: 1 });
  assert.equal(r.status, 'fetched');
  assert.equal(r.recordings, 12);
  assert.equal(ranges.length, 2);
  assert.match(ranges[1] ?? '', /^bytes=\d+-$/);
  assertInstalled(root);
  const [again] = await fetchMnistDvs({ root, digits: [0], urlBase: `${base}/drop`, md5: { 0: md5 } });
  assert.equal(again.status, 'present');
  assert.equal(ranges.length, 2, 'no request for a present digit');
});

test('fetchMnistDvs: unreachable server, HTTP 404, wrong options, full disk: clear errors', async () => {
  const closed = http.createServer();
  await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((ok) => closed.close(() => ok()));
  const root = path.join(tmp, 'r4');
  await assert.rejects(fetchMnistDvs({ root, digits: [0], urlBase: `http://127.0.0.1:${port}/` }),
    new RegExp(`cannot reach 127\\.0\\.0\\.1:${port} .*\\(ECONNREFUSED\\): no network or the server is down`));
  await assert.rejects(fetchMnistDvs({ root, digits: [1], urlBase: `${base}/ok/` }), /grabbed_data1\.zip: HTTP 404/);
  await assert.rejects(fetchMnistDvs({ root, digits: [10], urlBase: `${base}/ok/` }), /digits = \[10\]; expected a non-empty list of digits 0-9/);
  await assert.rejects(fetchMnistDvs({ root, digits: [0], md5: { 0: 'xyz' } }), /md5 for digit 0 = "xyz"; expected 32 lowercase hex digits/);
  assert.deepEqual(fs.readdirSync(root).filter((f) => !f.endsWith('.part')), []);
  // /dev/full fails every write with ENOSPC, as a full disk does.
  const dest = path.join(tmp, 'full.zip');
  fs.symlinkSync('/dev/full', `${dest}.part`);
  await assert.rejects(downloadVerified(`${base}/ok/grabbed_data0.zip`, dest, 'x', { md5 }), /disk full while writing .*full\.zip\.part/);
});
