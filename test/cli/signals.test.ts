// Interrupting `gem-snn reproduce`: SIGTERM mid-run stops workers and Chromium, removes temporary
// folders, keeps finished runs, exits 143 with one line saying what was kept; the same command then
// resumes and ends byte-identical to an uninterrupted run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumAvailable } from '../../lib/figures/render';
import { distCli } from './dist-cli';

const ROOT = path.join(__dirname, '..', '..');
const ONLY = 'memorization';
// Two runs of about 4 s each (at 40 iterations they took 0.1-0.4 s, and a poll every 100 ms could miss
// the moment between the first run's record and the second run's end, as it did once in CI).
const RUN_LENGTH = ['--set', 'memorization.iterations=100000', '--set', 'memorization.evalEvery=10000'];

/** Processes whose environment holds `marker` (our children inherit it). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${p}/environ`, 'latin1').includes(marker)) out.push(Number(p));
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

let cli = '';

function reproduce(results: string, tmp: string, figures: boolean) {
  const args = [cli, 'reproduce', '--profile', 'smoke', '--jobs', '1', '--only', ONLY, ...RUN_LENGTH, '--results', results, ...(figures ? ['--no-html'] : ['--no-figures'])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, GEM_SIGNAL_TEST: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { child, done };
}

const compared = (dir: string) => ['claims.json', ...ONLY.split(',').flatMap((e) => [`${e}/metrics.csv`, `${e}/summary.json`])].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);

test('SIGTERM mid-run: exit 143, nothing left running or in $TMPDIR, finished runs kept; resume is byte-identical', { timeout: 240_000 }, async () => {
  cli = await distCli();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-signal-'));
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
  const figures = chromiumAvailable();
  const a = path.join(base, 'a');
  const runs = path.join(a, '.cache', 'runs');
  const r = reproduce(a, tmp, figures);
  // Wait for the first finished run, then interrupt.
  for (let i = 0; i < 1200; i++) {
    if (fs.existsSync(runs) && fs.readdirSync(runs).some((f) => f.endsWith('.json'))) break;
    assert.equal(r.child.exitCode, null, 'the run ended before it could be interrupted');
    await new Promise((res) => setTimeout(res, 100));
  }
  r.child.kill('SIGTERM');
  const first = await r.done;
  assert.equal(first.code, 143, first.out);
  assert.match(first.out, /stopped by SIGTERM; kept [1-9]\d* finished run\(s\) in .*runs \([1-9]\d* new\); the same command resumes/);
  assert.doesNotMatch(first.out, /has been closed|EPIPE/);
  await new Promise((res) => setTimeout(res, 1500)); // workers' parent watchdog polls once a second
  assert.deepEqual(processesWith(`GEM_SIGNAL_TEST=${tmp}`), [], 'no process of the run survives');
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => /^(gem-snn-chromium-|playwright-artifacts-)/.test(f)), []);
  const kept = fs.readdirSync(runs).length;
  assert.ok(kept > 0);

  const resumed = await reproduce(a, tmp, figures).done;
  assert.equal(resumed.code, 0, resumed.out);
  const b = path.join(base, 'b');
  const fresh = await reproduce(b, tmp, false).done;
  assert.equal(fresh.code, 0, fresh.out);
  assert.deepEqual(compared(a), compared(b));
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => /^(gem-snn-chromium-|playwright-artifacts-)/.test(f)), []);
  fs.rmSync(base, { recursive: true, force: true });
});

test('SIGKILL of the parent mid-run: its workers exit within seconds (no orphans), finished runs stay usable', { timeout: 240_000 }, async () => {
  cli = await distCli();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-sigkill-'));
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
  const a = path.join(base, 'a');
  const runs = path.join(a, '.cache', 'runs');
  const r = reproduce(a, tmp, false);
  const marker = `GEM_SIGNAL_TEST=${tmp}`;
  // Wait until a run has finished and a worker process is busy with the next one.
  let workers: number[] = [];
  for (let i = 0; i < 1200; i++) {
    workers = processesWith(marker).filter((p) => p !== r.child.pid);
    if (workers.length > 0 && fs.existsSync(runs) && fs.readdirSync(runs).some((f) => f.endsWith('.json'))) break;
    assert.equal(r.child.exitCode, null, 'the run ended before it could be killed');
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(workers.length > 0, 'a worker process was running when the parent was killed');
  r.child.kill('SIGKILL');
  const first = await r.done;
  assert.equal(first.code, null, 'killed, no exit code');
  // The workers' watchdog polls once a second, and checks between progress ticks inside a run.
  let left = workers;
  for (let i = 0; i < 100 && left.length; i++) {
    await new Promise((res) => setTimeout(res, 100));
    left = processesWith(marker);
  }
  assert.deepEqual(left, [], 'no worker outlives its SIGKILLed parent');
  // Whatever finished was stored atomically: the same command resumes and completes.
  const resumed = await reproduce(a, tmp, false).done;
  assert.equal(resumed.code, 0, resumed.out);
  assert.doesNotMatch(resumed.out, /warning: run cache/, 'no torn cache file');
  fs.rmSync(base, { recursive: true, force: true });
});
