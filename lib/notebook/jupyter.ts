/**
 * Locating a Python that has Jupyter, and the tslab kernel registered with it. Shared by
 * `gem-snn kernel install` and the notebook runner.
 */
import { spawnSync } from 'node:child_process';

/** Python candidates in order: explicit, $GEM_PYTHON, Debian's /usr/bin/python3, python3 and python on PATH. */
export function pythonCandidates(explicit?: string): string[] {
  const list = [explicit, process.env.GEM_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((p): p is string => Boolean(p));
  return [...new Set(list)];
}

/** Environment for Python subprocesses: silences debugpy's frozen-modules warning that ipykernel triggers. */
export function pythonEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { PYDEVD_DISABLE_FILE_VALIDATION: '1', ...process.env, ...extra };
}

/** True when `python -c 'import <modules>'` succeeds (modules: e.g. ['jupyter_client']). */
export function pythonHas(python: string, modules: string[]): boolean {
  const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', env: pythonEnv(), timeout: 30000 });
  return r.status === 0;
}

/**
 * The first candidate Python that can import `modules` (default jupyter_client), or null.
 * `explicit` (e.g. --python) is tried first.
 */
export function findJupyterPython(explicit?: string, modules: string[] = ['jupyter_client']): string | null {
  for (const p of pythonCandidates(explicit)) {
    if (pythonHas(p, modules)) return p;
  }
  return null;
}

/** Kernel specs known to `python -m jupyter kernelspec list --json`: name -> resource folder. */
export function kernelSpecs(python: string): Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }> {
  const r = spawnSync(python, ['-m', 'jupyter', 'kernelspec', 'list', '--json'], { encoding: 'utf8', env: pythonEnv(), timeout: 60000 });
  if (r.status !== 0) {
    throw new Error(`notebook/jupyter: '${python} -m jupyter kernelspec list --json' failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').pop()}`);
  }
  try {
    return (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }> }).kernelspecs ?? {};
  } catch {
    throw new Error(`notebook/jupyter: could not parse the output of '${python} -m jupyter kernelspec list --json'`);
  }
}

/** The install hint printed when no Python with Jupyter is found. */
export const JUPYTER_INSTALL_HINT = [
  'Install Jupyter, then run `npm run kernel`:',
  '  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-core python3-ipython jupyter-client python3-ipykernel',
  '                 (or run scripts/setup-system.sh, which also installs chromium and registers the kernel)',
  '  elsewhere:     a virtual environment (python3 -m venv ~/.venvs/jupyter && ~/.venvs/jupyter/bin/pip install jupyterlab nbclient nbconvert)',
  '                 or pipx (pipx install jupyterlab); Debian 12 refuses pip install --user (externally managed)',
  '  Then, if Jupyter lives in another Python: npm run kernel -- --python /path/to/python',
].join('\n');
