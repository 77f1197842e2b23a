#!/usr/bin/env node
// Runs every test file under test/ with node's built-in runner (TypeScript through tsx).
// Usage: node scripts/test.mjs [--unit] [path-substring ...]
//   --unit      skip the notebook smoke tests (test/notebooks/)
//   substrings  run only files whose path contains one of them
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unit = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = collect(join(root, 'test')).map((p) => relative(root, p));
if (unit) files = files.filter((f) => !f.startsWith(join('test', 'notebooks')));
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('scripts/test.mjs: no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
