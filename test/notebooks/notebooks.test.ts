// Notebook smoke tests: every notebooks/*.ipynb (names starting with '_' excluded) runs with
// GEM_PROFILE=smoke through the real Jupyter kernel (tslab via nbclient), or tslab's in-process executor
// when this machine has no Jupyter (said in the output). Executed copies go to a temp folder; the
// committed notebooks are never written.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newestSource } from '../cli/dist-cli';
import { chooseEngine, executeNotebook, formatFailure, listNotebooks, type EngineChoice } from '../../lib/notebook/execute';

const ROOT = path.resolve(__dirname, '..', '..');
const notebooks = listNotebooks(path.join(ROOT, 'notebooks'));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-notebook-test-'));
let choice: EngineChoice;

before(() => {
  // Notebooks import the built package: rebuild when lib/ changed since the last build.
  const dist = path.join(ROOT, 'lib', 'dist', 'index.js');
  if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < newestSource(path.join(ROOT, 'lib'))) {
    console.log('notebooks: lib/dist is missing or older than lib/*.ts; running npm run build');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'npm run build failed');
  }
  choice = chooseEngine();
  console.log(`notebooks: engine: ${choice.note}; executed copies in ${outDir}`);
});

if (notebooks.length === 0) {
  test('notebooks/*.ipynb', (t) => t.skip('no notebooks in notebooks/ yet'));
}

for (const nb of notebooks) {
  test(`notebook ${path.basename(nb)} runs with GEM_PROFILE=smoke`, async () => {
    const before = fs.readFileSync(nb);
    const r = await executeNotebook(nb, { outDir, env: { GEM_PROFILE: 'smoke', GEM_PARAMS: '' }, timeoutSec: 600 }, choice);
    assert.ok(r.ok, formatFailure(r));
    assert.ok(fs.existsSync(r.output) && r.output !== nb);
    assert.ok(before.equals(fs.readFileSync(nb)), 'the committed notebook must not change');
  });
}

test('runner: a failing cell fails the run, naming the cell and the error; executed copy kept', { timeout: 180000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-runner-selftest-'));
  try {
    const cell = (id: string, source: string) => ({ cell_type: 'code', id, metadata: {}, source, execution_count: null, outputs: [] });
    const nb = {
      cells: [cell('a', 'const x: number = 40 + 2;\nconsole.log(`x=${x}`);'), cell('b', "throw new Error('selftest boom');"), cell('c', "console.log('never');")],
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      nbformat: 4, nbformat_minor: 5,
    };
    const file = path.join(dir, 'selftest.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb));
    const r = await executeNotebook(file, { outDir: path.join(dir, 'out'), timeoutSec: 120 }, choice);
    assert.equal(r.ok, false);
    assert.equal(r.failure?.cellIndex, 1);
    assert.equal(r.failure?.kind, 'cell-error');
    assert.match(r.failure?.message ?? '', /selftest boom/);
    assert.match(formatFailure(r), /cell 1 \(code cell #2\)[\s\S]*throw new Error\('selftest boom'\)/);
    const executed = JSON.parse(fs.readFileSync(r.output, 'utf8'));
    assert.match(JSON.stringify(executed.cells[0].outputs), /x=42/);
    assert.deepEqual(executed.cells[2].outputs, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
