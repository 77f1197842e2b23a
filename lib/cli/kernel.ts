/**
 * `gem-snn kernel install [--python PATH] [--user | --sys-prefix | --system]`: registers the tslab
 * TypeScript (and JavaScript) kernels of THIS checkout with the Jupyter of a Python that has it. Per
 * user by default, so the system-wide `tslab`/`jslab` kernels of other projects are never replaced
 * unless `--system` asks for it. Says which files it wrote and which checkout the kernels start.
 * `gem-snn kernel status [--python PATH]`: shows which Python and kernel would be used.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveOptional } from '../util/optional';
import { findJupyterPython, JUPYTER_INSTALL_HINT, kernelSpecs, pythonCandidates, pythonEnv, pythonHas } from '../notebook/jupyter';

const HELP = `Usage: gem-snn kernel install [--python PATH] [--user | --sys-prefix | --system]
       gem-snn kernel status  [--python PATH]

Registers this checkout's tslab kernels (TypeScript "tslab" and JavaScript "jslab") with Jupyter.
  --python PATH  Python whose Jupyter gets the kernel (default: first of $GEM_PYTHON, /usr/bin/python3,
                 python3, python that can import jupyter_client)
  --user         per-user kernel folder, e.g. ~/.local/share/jupyter/kernels (the default); every
                 Jupyter of this user finds it (Debian's, pipx's, a virtual environment's)
  --sys-prefix   the kernel folder of that Python's prefix (a virtual environment or conda env)
  --system       the system-wide folder (/usr/local/share/jupyter/kernels): REPLACES the tslab and
                 jslab kernels every user and project sees; needs root
  --help, -h     show this help
Also available as: npm run kernel [-- --python PATH]`;

/** Where the kernel spec is written: per user, the Python's prefix, or system-wide. */
export type KernelScope = 'user' | 'sys-prefix' | 'system';

/** Absolute path of the tslab launcher of this project (node_modules/.bin/tslab, else the package's bin/tslab). */
export function projectTslabBinary(): string {
  const pkg = path.dirname(resolveOptional('tslab', 'gem-snn kernel (the TypeScript Jupyter kernel)', 'tslab/package.json'));
  const dotBin = path.join(path.dirname(pkg), '.bin', 'tslab');
  return fs.existsSync(dotBin) ? dotBin : path.join(pkg, 'bin', 'tslab');
}

/** The project folder whose node_modules holds `tslabBin` (the checkout the kernel starts). */
export function checkoutOf(tslabBin: string): string {
  const parts = path.resolve(tslabBin).split(path.sep);
  const i = parts.lastIndexOf('node_modules');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : path.dirname(tslabBin);
}

/**
 * The Jupyter data folder (holding `kernels/`) that `scope` writes to for `python`, asked from that
 * Python's jupyter_core so JUPYTER_DATA_DIR, HOME and virtual environments count as Jupyter counts them.
 */
export function kernelDataDir(python: string, scope: KernelScope): string {
  const code = {
    user: 'from jupyter_core.paths import jupyter_data_dir as d; print(d())',
    'sys-prefix': 'import os, sys; print(os.path.join(sys.prefix, "share", "jupyter"))',
    system: 'from jupyter_core.paths import SYSTEM_JUPYTER_PATH as p; print(p[0])',
  }[scope];
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', env: pythonEnv(), timeout: 30000 });
  const dir = (r.stdout ?? '').trim();
  if (r.status !== 0 || !dir) throw new Error(`gem-snn kernel: ${python} could not tell its ${scope} Jupyter folder (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').pop()}`);
  return dir;
}

/** The arguments of `tslab install` that select `scope` (dataDir: from kernelDataDir). */
function tslabScopeArgs(scope: KernelScope, dataDir: string): string[] {
  if (scope === 'user') return ['--user'];
  if (scope === 'sys-prefix') return ['--sys-prefix'];
  return [`--prefix=${path.dirname(path.dirname(dataDir))}`]; // <prefix>/share/jupyter
}

function readArgv0(kernelJson: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(kernelJson, 'utf8')) as { argv: string[] }).argv[0] ?? null;
  } catch {
    return null;
  }
}

function nodeOnPath(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'node')));
}

function openInstructions(python: string, checkout: string, scope: KernelScope): string {
  const lab = pythonHas(python, ['jupyterlab']);
  const classic = pythonHas(python, ['notebook']);
  const nbDir = path.join(checkout, 'notebooks');
  const dir = path.relative(process.cwd(), nbDir) || '.';
  return [
    'Open the notebooks (they import the built gem-snn package: npm run build first):',
    `  JupyterLab:       ${lab ? `${python} -m jupyterlab ${dir}` : `not installed for ${python}; on Debian/Ubuntu use pipx or a virtual environment:`}`,
    ...(lab ? [] : [
      `                    pipx install jupyterlab && jupyter lab ${dir}`,
      `                    python3 -m venv ~/.venvs/jupyter && ~/.venvs/jupyter/bin/pip install jupyterlab && ~/.venvs/jupyter/bin/jupyter lab ${dir}`,
    ]),
    `  classic notebook: ${classic ? `${python} -m notebook ${dir}` : 'sudo apt-get install -y python3-notebook, then: jupyter notebook ' + dir}`,
    scope === 'user'
      ? '  The kernel is registered for your user, so any Jupyter you start (Debian, pipx, venv) lists it.'
      : '  The kernel is registered for that Python only; another Jupyter (e.g. pipx) needs `npm run kernel` (per user).',
    '  Choose the kernel "TypeScript" (tslab).',
  ].join('\n');
}

function showStatus(python: string, bin: string): number {
  const specs = kernelSpecs(python);
  console.log(`python: ${python}\nthis checkout: ${checkoutOf(bin)}\nproject tslab: ${bin}`);
  for (const name of ['tslab', 'jslab']) {
    const s = specs[name];
    const other = s && s.spec.argv[0] !== bin ? `  (NOT this checkout's tslab: starts ${checkoutOf(s.spec.argv[0])})` : '';
    console.log(`${name}: ${s ? `${s.resource_dir} -> ${s.spec.argv[0]}${other}` : 'not registered'}`);
  }
  return specs.tslab && specs.tslab.spec.argv[0] === bin ? 0 : 1;
}

/** Registers the kernels for `scope`, checks the files written; returns the exit code. */
function install(python: string, bin: string, scope: KernelScope): number {
  const dataDir = kernelDataDir(python, scope);
  const before = kernelSpecs(python);
  console.log(`gem-snn kernel: registering ${bin} (${scope === 'user' ? 'per user' : scope}) with the Jupyter of ${python}`);
  // Run the launcher with this node, so PATH need not contain node at install time.
  const r = spawnSync(process.execPath, [bin, 'install', `--python=${python}`, `--binary=${bin}`, ...tslabScopeArgs(scope, dataDir)], { stdio: 'inherit', env: pythonEnv() });
  if (r.status !== 0) {
    console.error(`gem-snn kernel: 'tslab install' failed (exit ${r.status})${scope === 'system' ? '; --system needs write access to ' + dataDir : ''}`);
    return 1;
  }
  const files = ['tslab', 'jslab'].map((n) => path.join(dataDir, 'kernels', n, 'kernel.json'));
  const bad = files.filter((f) => readArgv0(f) !== bin);
  if (bad.length) {
    console.error(`gem-snn kernel: after installation, ${bad.join(' and ')} ${bad.length > 1 ? 'do' : 'does'} not start ${bin}`);
    return 1;
  }
  console.log(`gem-snn kernel: wrote ${files.join(' and ')}`);
  console.log(`gem-snn kernel: the kernels start ${bin}, i.e. the checkout ${checkoutOf(bin)}`);
  const after = kernelSpecs(python);
  for (const name of ['tslab', 'jslab']) {
    const old = before[name];
    if (scope !== 'system' && old && !old.resource_dir.startsWith(dataDir + path.sep)) {
      console.log(`note: the ${name} kernel in ${old.resource_dir} (starts ${old.spec.argv[0]}) was left unchanged.`);
    }
    const active = after[name];
    if (active && active.spec.argv[0] !== bin) {
      console.log(`note: Jupyter of ${python} picks ${active.resource_dir} first (starts ${active.spec.argv[0]}); it shadows the one just written.`);
    }
  }
  if (!nodeOnPath()) {
    console.log(`note: the kernel starts ${bin}, which runs 'node' from PATH; start Jupyter from a shell where 'node' (${process.execPath}) is on PATH.`);
  }
  console.log(openInstructions(python, checkoutOf(bin), scope));
  return 0;
}

/** Entry point: returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      python: { type: 'string' },
      user: { type: 'boolean', default: false },
      'sys-prefix': { type: 'boolean', default: false },
      system: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const action = positionals[0];
  if (action !== 'install' && action !== 'status') {
    console.error(`gem-snn kernel: action = ${JSON.stringify(action ?? '')}; expected 'install' or 'status'\n\n${HELP}`);
    return 2;
  }
  const scopes = (['user', 'sys-prefix', 'system'] as const).filter((k) => values[k]);
  if (scopes.length > 1) {
    console.error(`gem-snn kernel: --${scopes.join(' and --')} given; expected at most one of --user, --sys-prefix, --system`);
    return 2;
  }
  if (values.python && !pythonHas(values.python, ['jupyter_client'])) {
    console.error(`gem-snn kernel: --python ${values.python} cannot import jupyter_client (missing, or not a Python with Jupyter).\n${JUPYTER_INSTALL_HINT}`);
    return 1;
  }
  const python = values.python ?? findJupyterPython();
  if (!python) {
    console.error(`gem-snn kernel: no Python with Jupyter found (tried: ${pythonCandidates().join(', ')}; each must import jupyter_client).\n${JUPYTER_INSTALL_HINT}`);
    return 1;
  }
  const bin = projectTslabBinary();
  return action === 'status' ? showStatus(python, bin) : install(python, bin, scopes[0] ?? 'user');
}
