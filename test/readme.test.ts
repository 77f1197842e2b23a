// The README's library example runs as written (against the built package `gem-snn`), and the
// commands the README names exist as npm scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('the README example runs and prints a decision', () => {
  const m = readme.match(/<!-- example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/);
  assert.ok(m, 'README.md has an example block between <!-- example:start --> and <!-- example:end -->');
  if (!existsSync(join(root, 'lib', 'dist', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const file = join(root, `.readme-example-${process.pid}.ts`);
  writeFileSync(file, m[1]);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `example failed:\n${r.stderr}`);
    assert.match(r.stdout, /decision: class [01], confidence [0-9.]+/);
  } finally {
    rmSync(file, { force: true });
  }
});

test('the README commands exist', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const script of ['reproduce', 'test', 'kernel', 'bench', 'bench:compare', 'notebooks:update']) {
    assert.ok(pkg.scripts[script], `npm run ${script} is defined`);
    assert.ok(readme.includes(`npm run ${script}`) || (script === 'test' && readme.includes('npm test')), `README mentions npm run ${script}`);
  }
});
