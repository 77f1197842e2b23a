/**
 * `gem-snn kernel install [--python PATH] [--user]`: registers the tslab TypeScript (and JavaScript)
 * kernels of THIS project with the Jupyter of a Python that has it, verifies the registration with
 * `jupyter kernelspec list`, and prints how to open the notebooks.
 * `gem-snn kernel status [--python PATH]`: shows which Python and kernel would be used.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveOptional } from '../util/optional';
import { findJupyterPython, JUPYTER_INSTALL_HINT, kernelSpecs, pythonCandidates, pythonEnv, pythonHas } from '../notebook/jupyter';

const HELP = `Usage: gem-snn kernel install [--python PATH] [--user]
       gem-snn kernel status  [--python PATH]

Registers this project's tslab kernel (TypeScript "tslab" and JavaScript "jslab") with Jupyter.
  --python PATH  Python whose Jupyter gets the kernel (default: first of $GEM_PYTHON, /usr/bin/python3,
                 python3, python that can import jupyter_client)
  --user         install into the per-user kernel folder even when root
  --help, -h     show this help
Also available as: npm run kernel [-- --python PATH]`;

/** Absolute path of the tslab launcher of this project (node_modules/.bin/tslab, else the package's bin/tslab). */
export function projectTslabBinary(): string {
  const pkg = path.dirname(resolveOptional('tslab', 'gem-snn kernel (the TypeScript Jupyter kernel)', 'tslab/package.json'));
  const dotBin = path.join(path.dirname(pkg), '.bin', 'tslab');
  return fs.existsSync(dotBin) ? dotBin : path.join(pkg, 'bin', 'tslab');
}

function nodeOnPath(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, 'node')));
}

function openInstructions(python: string): string {
  const lab = pythonHas(python, ['jupyterlab']);
  const classic = pythonHas(python, ['notebook']);
  const plotlyExt = pythonHas(python, ['plotly']);
  const nbDir = path.resolve(__dirname, '..', '..', 'notebooks');
  const dir = fs.existsSync(nbDir) ? path.relative(process.cwd(), nbDir) || '.' : 'notebooks';
  return [
    'Open the notebooks (build the library first: npm run build; notebooks import the built gem-snn package):',
    `  JupyterLab:       ${python} -m jupyterlab ${dir}${lab ? '' : `   (not installed: ${python} -m pip install --user jupyterlab)`}`,
    `  classic notebook: ${python} -m notebook ${dir}${classic ? '' : `   (not installed: sudo apt-get install -y python3-notebook, or ${python} -m pip install --user notebook)`}`,
    '  then choose the kernel "TypeScript" (tslab).',
    `  Figures are interactive in JupyterLab with the plotly renderer (${plotlyExt ? 'plotly is installed' : `${python} -m pip install --user plotly`}); everywhere else the static PNG of the same output shows.`,
  ].join('\n');
}

/** Entry point: returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      python: { type: 'string' },
      user: { type: 'boolean', default: false },
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
  if (action === 'status') {
    const specs = kernelSpecs(python);
    console.log(`python: ${python}\nproject tslab: ${bin}`);
    for (const name of ['tslab', 'jslab']) {
      const s = specs[name];
      console.log(`${name}: ${s ? `${s.resource_dir} -> ${s.spec.argv[0]}${s.spec.argv[0] === bin ? '' : '  (NOT this project\'s tslab)'}` : 'not registered'}`);
    }
    return specs.tslab && specs.tslab.spec.argv[0] === bin ? 0 : 1;
  }
  console.log(`gem-snn kernel: registering ${bin} with the Jupyter of ${python}`);
  const args = [bin, 'install', `--python=${python}`, `--binary=${bin}`];
  if (values.user) args.push('--user');
  // Run the launcher with this node, so PATH need not contain node at install time.
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: pythonEnv() });
  if (r.status !== 0) {
    console.error(`gem-snn kernel: 'tslab install' failed (exit ${r.status})`);
    return 1;
  }
  const list = spawnSync(python, ['-m', 'jupyter', 'kernelspec', 'list'], { encoding: 'utf8', env: pythonEnv() });
  process.stdout.write(list.stdout ?? '');
  const specs = kernelSpecs(python);
  const bad = ['tslab', 'jslab'].filter((n) => !specs[n] || specs[n].spec.argv[0] !== bin);
  if (list.status !== 0 || bad.length) {
    console.error(`gem-snn kernel: after installation, 'jupyter kernelspec list' does not show ${bad.join(' and ')} pointing at ${bin}`);
    return 1;
  }
  console.log(`gem-snn kernel: ok: kernels tslab (TypeScript) and jslab (JavaScript) -> ${bin}`);
  if (!nodeOnPath()) {
    console.log(`note: the kernel starts ${bin}, which runs 'node' from PATH; start Jupyter from a shell where 'node' (${process.execPath}) is on PATH.`);
  }
  console.log(openInstructions(python));
  return 0;
}
