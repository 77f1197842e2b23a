// Choosing how notebooks execute: a registered kernel whose command no longer exists (its checkout was
// moved or removed) is refused up front with the path and the fix, not left to fail inside Jupyter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseEngine } from '../../lib/notebook/execute';
import { findJupyterPython } from '../../lib/notebook/jupyter';

const python = findJupyterPython(undefined, ['jupyter_client', 'nbclient', 'nbformat']);

test('chooseEngine: a kernel spec pointing at a removed checkout is refused, naming the command and the fix', { skip: python ? false : 'no Python with Jupyter here (scripts/setup-system.sh installs it)' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-kernelspec-'));
  const gone = path.join(dir, 'removed-checkout', 'node_modules', '.bin', 'tslab');
  fs.mkdirSync(path.join(dir, 'kernels', 'gem-gone'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernels', 'gem-gone', 'kernel.json'), JSON.stringify({ argv: [gone, 'kernel', '--config-path', '{connection_file}'], display_name: 'gone', language: 'typescript' }));
  const old = process.env.JUPYTER_PATH;
  process.env.JUPYTER_PATH = dir;
  try {
    assert.throws(() => chooseEngine({ engine: 'jupyter', kernelName: 'gem-gone' }), (e: Error) => e.message.includes(gone) && /does not exist/.test(e.message) && /npm run kernel/.test(e.message));
  } finally {
    if (old === undefined) delete process.env.JUPYTER_PATH;
    else process.env.JUPYTER_PATH = old;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
