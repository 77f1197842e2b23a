// `gem-snn kernel install` with the real Jupyter and tslab: per user by default (here a temporary
// JUPYTER_DATA_DIR), --sys-prefix into a real virtual environment, and never the system-wide kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkoutOf, projectTslabBinary } from '../../lib/cli/kernel';
import { findJupyterPython } from '../../lib/notebook/jupyter';

const ROOT = path.resolve(__dirname, '..', '..');
const python = findJupyterPython();
const skip = python ? false : 'no Python with jupyter_client on this machine (CI installs one)';
const SYSTEM = ['tslab', 'jslab'].map((n) => `/usr/local/share/jupyter/kernels/${n}/kernel.json`);

function snapshot(files: string[]): (string | null)[] {
  return files.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null));
}

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lib', 'cli', 'main.ts'), 'kernel', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
  });
}

function argv0(file: string): string {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { argv: string[] }).argv[0];
}

test('checkoutOf: the folder holding node_modules', () => {
  assert.equal(checkoutOf('/a/b/node_modules/.bin/tslab'), '/a/b');
  assert.equal(checkoutOf(projectTslabBinary()), ROOT);
});

test('kernel install: per user by default, says where and which checkout; system-wide kernels untouched', { skip }, () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-kernel-user-'));
  const system = snapshot(SYSTEM);
  try {
    const r = cli(['install'], { JUPYTER_DATA_DIR: data });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const bin = projectTslabBinary();
    for (const n of ['tslab', 'jslab']) assert.equal(argv0(path.join(data, 'kernels', n, 'kernel.json')), bin);
    assert.ok(r.stdout.includes(`wrote ${path.join(data, 'kernels', 'tslab', 'kernel.json')}`), r.stdout);
    assert.ok(r.stdout.includes(`the checkout ${ROOT}`), r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /pip install --user/);
    assert.deepEqual(snapshot(SYSTEM), system, 'the system-wide kernel specs are unchanged');
    const s = cli(['status'], { JUPYTER_DATA_DIR: data });
    assert.equal(s.status, 0, s.stdout + s.stderr);
    assert.match(s.stdout, new RegExp(`tslab: ${path.join(data, 'kernels', 'tslab')} -> ${bin}`));
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('kernel install --sys-prefix writes into a virtual environment', { skip }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-kernel-venv-'));
  const venv = path.join(tmp, 'venv');
  const system = snapshot(SYSTEM);
  try {
    const v = spawnSync(python!, ['-m', 'venv', '--system-site-packages', '--without-pip', venv], { encoding: 'utf8' });
    if (v.status !== 0) return assert.fail(`python -m venv failed: ${v.stderr}`);
    const vpy = path.join(venv, 'bin', 'python');
    const r = cli(['install', '--sys-prefix', '--python', vpy], { JUPYTER_DATA_DIR: path.join(tmp, 'user') });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const spec = path.join(fs.realpathSync(venv), 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
    assert.equal(argv0(spec), projectTslabBinary());
    assert.ok(!fs.existsSync(path.join(tmp, 'user', 'kernels')), 'nothing written per user');
    assert.deepEqual(snapshot(SYSTEM), system);
    assert.match(r.stdout, /registered for that Python only/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('kernel install: two scopes at once is a usage error', () => {
  const r = cli(['install', '--user', '--system'], {});
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--user and --system given; expected at most one of --user, --sys-prefix, --system/);
});
