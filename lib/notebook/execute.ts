/**
 * Executes notebooks from Node, through the real Jupyter kernel when available.
 *
 * Engine 'jupyter': a short Python driver runs nbclient (the library behind `jupyter nbconvert
 * --execute`) with kernel 'tslab', cell by cell, so a failure names the cell and carries the cell's
 * stderr (tslab reports errors there; its execute_reply has no ename/evalue/traceback, so plain
 * `nbconvert --execute` only says "<Error>:" and writes no notebook). The executed copy, complete or
 * up to the failing cell, is written to `outDir`; sources are never touched except with `inPlace`,
 * which replaces the source atomically and only on success.
 *
 * Engine 'inprocess': without Jupyter, tslab's own converter + executor run the cells in a child Node
 * process (lib/notebook/inprocess-run) with the same display plumbing; no kernel, no ZeroMQ.
 */
import { ensureDir } from '../util/files';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findJupyterPython, kernelSpecs, pythonEnv } from './jupyter';

export type NotebookEngine = 'jupyter' | 'inprocess';

export interface ExecuteOptions {
  /** Folder for executed copies (default: a new folder under the OS temp dir). */
  outDir?: string;
  /** Replace the source notebook with the executed one (atomically, only when every cell succeeded). */
  inPlace?: boolean;
  /** Extra environment for the kernel, e.g. { GEM_PROFILE: 'smoke' }. */
  env?: Record<string, string | undefined>;
  /** Per-cell timeout in seconds (default 900). */
  timeoutSec?: number;
  /** 'auto' (default): jupyter when a Python with nbclient and the tslab kernel exist, else inprocess. */
  engine?: 'auto' | NotebookEngine;
  /** Python with Jupyter (default: search, see findJupyterPython). */
  python?: string;
  /** Kernel name (default 'tslab'). */
  kernelName?: string;
}

/** Where and why a notebook failed. */
export interface NotebookFailure {
  /** Index in notebook.cells (0-based; -1 when the kernel itself failed). */
  cellIndex: number;
  /** 1-based number among code cells (0 when the kernel failed). */
  codeCell: number;
  /** The failing cell's source. */
  source: string;
  /** 'cell-error', 'timeout', 'dead-kernel', 'kernel' or 'runner'. */
  kind: string;
  /** The error text (the cell's stderr, where tslab prints errors and stacks). */
  message: string;
}

export interface NotebookResult {
  notebook: string;
  /** Executed copy (for inPlace: the source path after a successful run, else the temp copy). */
  output: string;
  ok: boolean;
  engine: NotebookEngine;
  seconds: number;
  failure?: NotebookFailure;
}

/** The engine to use and why. */
export interface EngineChoice {
  engine: NotebookEngine;
  python: string | null;
  note: string;
}

/** `*.ipynb` files of `dir`, sorted; names starting with '_' or '.' are skipped unless includePrivate. */
export function listNotebooks(dir: string, opts: { includePrivate?: boolean } = {}): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.ipynb') && !n.startsWith('.') && (opts.includePrivate || !n.startsWith('_')))
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Chooses the engine. With Jupyter present but no `tslab` kernel registered, throws (a silent
 * fallback would hide a broken CI setup); with no Jupyter at all, 'auto' falls back to inprocess.
 */
export function chooseEngine(opts: Pick<ExecuteOptions, 'engine' | 'python' | 'kernelName'> = {}): EngineChoice {
  const want = opts.engine ?? 'auto';
  const kernel = opts.kernelName ?? 'tslab';
  if (want === 'inprocess') return { engine: 'inprocess', python: null, note: "tslab's in-process executor (requested)" };
  const python = findJupyterPython(opts.python, ['jupyter_client', 'nbclient', 'nbformat']);
  if (!python) {
    if (want === 'jupyter') {
      throw new Error(`notebook/execute: no Python with jupyter_client, nbclient and nbformat found (tried ${opts.python ?? ''} $GEM_PYTHON /usr/bin/python3 python3 python); run scripts/setup-system.sh`);
    }
    return {
      engine: 'inprocess',
      python: null,
      note: "no Python with Jupyter (jupyter_client + nbclient) found: falling back to tslab's in-process executor, NOT the real kernel (run scripts/setup-system.sh for the real one)",
    };
  }
  const specs = kernelSpecs(python);
  if (!specs[kernel]) {
    throw new Error(`notebook/execute: Jupyter of ${python} has no '${kernel}' kernel (has: ${Object.keys(specs).join(', ') || 'none'}); register it with 'npm run kernel' (gem-snn kernel install)`);
  }
  // a spec left by a checkout that was since removed would fail later with a bare FileNotFoundError
  const cmd = specs[kernel].spec.argv[0];
  if (path.isAbsolute(cmd) && !fs.existsSync(cmd)) {
    throw new Error(`notebook/execute: the '${kernel}' kernel (${specs[kernel].resource_dir}) starts ${cmd}, which does not exist (its checkout was moved or removed); register this checkout's kernel with 'npm run kernel' (gem-snn kernel install)`);
  }
  return { engine: 'jupyter', python, note: `Jupyter kernel '${kernel}' via ${python} (nbclient), kernel command ${specs[kernel].spec.argv[0]}` };
}

// Runs one notebook with nbclient, cell by cell; writes the executed notebook (partial on failure) and
// a JSON result. argv: src out kernel timeout cwd resultFile
const PY_DRIVER = String.raw`
import json, re, sys
import nbformat
from nbclient import NotebookClient
src, out, kernel, timeout, cwd, result_file = sys.argv[1:7]
ansi = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), startup_timeout=120, record_timing=False, resources={'metadata': {'path': cwd}})
result = {'ok': True}
count = 0
def cell_text(cell):
    parts = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream' and o.get('name') == 'stderr':
            parts.append(o.get('text', ''))
        elif o.get('output_type') == 'error':
            parts.append('\n'.join(o.get('traceback', [])) or '%s: %s' % (o.get('ename'), o.get('evalue')))
    return ansi.sub('', ''.join(parts)).strip()
FIGURE_MIMES = ('image/png', 'application/vnd.plotly.v1+json')
def no_scroll_for_figures(cell):
    # the classic notebook folds tall outputs into a small scroll box unless scrolled is false
    if any(m in o.get('data', {}) for o in cell.get('outputs', []) for m in FIGURE_MIMES):
        cell.metadata['scrolled'] = False
try:
    with client.setup_kernel():
        # what the kernel reports, as a front end would write it on save (so opening does not dirty)
        info = client.wait_for_reply(client.kc.kernel_info())
        if info and 'language_info' in info['content']:
            nb.metadata['language_info'] = info['content']['language_info']
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != 'code':
                continue
            count += 1
            try:
                client.execute_cell(cell, i, execution_count=count)
                no_scroll_for_figures(cell)
            except Exception as e:
                name = type(e).__name__
                kind = 'timeout' if 'Timeout' in name else 'dead-kernel' if 'DeadKernel' in name else 'cell-error'
                text = cell_text(cell)
                if kind != 'cell-error' or not text:
                    text = (text + '\n' if text else '') + '%s: %s' % (name, ansi.sub('', str(e)).strip().splitlines()[-1] if str(e).strip() else '')
                result = {'ok': False, 'cellIndex': i, 'codeCell': count, 'source': cell.source, 'kind': kind, 'message': text}
                break
except Exception as e:
    result = {'ok': False, 'cellIndex': -1, 'codeCell': 0, 'source': '', 'kind': 'kernel', 'message': '%s: %s' % (type(e).__name__, e)}
nbformat.write(nb, out)
with open(result_file, 'w') as f:
    json.dump(result, f)
`;

interface RawResult {
  ok: boolean;
  cellIndex?: number;
  codeCell?: number;
  source?: string;
  kind?: string;
  message?: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, killAfterMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer): void => {
      output += b.toString();
      if (output.length > 200000) output = output.slice(-100000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    timer.unref();
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The command that runs lib/notebook/inprocess-run (compiled .js, or the .ts source through tsx). */
function inprocessCommand(): string[] {
  const js = path.join(__dirname, 'inprocess-run.js');
  if (fs.existsSync(js)) return [process.execPath, js];
  return [process.execPath, '--import', 'tsx', path.join(__dirname, 'inprocess-run.ts')];
}

/**
 * Executes one notebook. Resolves with the result (ok or the failing cell); throws only for bad
 * arguments or when no engine can start at all. The kernel's working folder is the notebook's folder.
 */
export async function executeNotebook(file: string, opts: ExecuteOptions = {}, choice?: EngineChoice): Promise<NotebookResult> {
  const src = path.resolve(file);
  if (!src.endsWith('.ipynb') || !fs.existsSync(src)) {
    throw new Error(`notebook/execute: notebook = ${JSON.stringify(file)}; expected an existing .ipynb file`);
  }
  const timeoutSec = opts.timeoutSec ?? 900;
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new Error(`notebook/execute: timeoutSec = ${timeoutSec}; expected a positive number`);
  const eng = choice ?? chooseEngine(opts);
  const outDir = opts.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-notebooks-'));
  ensureDir(outDir, 'notebook output folder');
  const out = path.join(outDir, path.basename(src));
  if (path.resolve(out) === src) throw new Error(`notebook/execute: outDir ${outDir} is the notebook's own folder; use inPlace instead`);
  const resultFile = path.join(outDir, `.${path.basename(src)}.result-${process.pid}.json`);
  fs.rmSync(resultFile, { force: true });
  const cwd = path.dirname(src);
  const env = pythonEnv(opts.env);
  // Whole-notebook safety net on top of the per-cell timeout.
  const nCells = countCodeCells(src);
  const killAfter = (timeoutSec * Math.max(1, nCells) + 180) * 1000;
  const t0 = Date.now();
  let proc: { code: number | null; output: string };
  if (eng.engine === 'jupyter') {
    proc = await run(eng.python as string, ['-c', PY_DRIVER, src, out, opts.kernelName ?? 'tslab', String(Math.ceil(timeoutSec)), cwd, resultFile], env, cwd, killAfter);
  } else {
    const [cmd, ...args] = inprocessCommand();
    proc = await run(cmd, [...args, src, out, resultFile, String(Math.ceil(timeoutSec))], env, cwd, killAfter);
  }
  const seconds = (Date.now() - t0) / 1000;
  let raw: RawResult;
  try {
    raw = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as RawResult;
  } catch {
    raw = { ok: false, cellIndex: -1, codeCell: 0, source: '', kind: 'runner', message: `the ${eng.engine} runner exited with code ${proc.code} without a result:\n${proc.output.trim().split('\n').slice(-30).join('\n')}` };
  } finally {
    fs.rmSync(resultFile, { force: true });
  }
  const result: NotebookResult = { notebook: src, output: out, ok: raw.ok, engine: eng.engine, seconds };
  if (!raw.ok) {
    result.failure = {
      cellIndex: raw.cellIndex ?? -1, codeCell: raw.codeCell ?? 0, source: raw.source ?? '', kind: raw.kind ?? 'runner', message: raw.message ?? '',
    };
  } else if (opts.inPlace) {
    const tmp = `${src}.tmp-${process.pid}`;
    fs.copyFileSync(out, tmp);
    fs.renameSync(tmp, src);
    result.output = src;
  }
  return result;
}

function countCodeCells(file: string): number {
  try {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells?: { cell_type?: string }[] };
    return (nb.cells ?? []).filter((c) => c.cell_type === 'code').length;
  } catch {
    throw new Error(`notebook/execute: ${file} is not valid notebook JSON`);
  }
}

/** A readable multi-line report of a failed notebook (which notebook, which cell, its source, the error). */
export function formatFailure(r: NotebookResult): string {
  const f = r.failure;
  if (!f) return `${path.basename(r.notebook)}: ok`;
  const where = f.cellIndex >= 0 ? `cell ${f.cellIndex} (code cell #${f.codeCell})` : 'kernel';
  const src = f.source ? f.source.split('\n').slice(0, 12).map((l) => `    | ${l}`).join('\n') : '';
  const msg = f.message.split('\n').slice(0, 40).map((l) => `    ${l}`).join('\n');
  return [`${r.notebook}: ${f.kind} in ${where} [${r.engine}, ${r.seconds.toFixed(1)} s]`, src, '  error:', msg, `  executed copy: ${r.output}`].filter(Boolean).join('\n');
}
