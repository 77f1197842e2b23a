// Imports in lib/ point down the layers of the method (README "The library"):
//   util ← model ← reference, engine ← learn, infer ← data ← experiments ← figures, notebook ← cli
// with data using util and model only (the example shape, never a learner), figures taking metrics
// (no model/engine/learn/reference import; infer only for the shape of reliability bins, as a type),
// experiments never importing notebook/ or cli/, and the library naming the repository's own folders (../shared, notebooks/) only in the documented places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const LIB = resolve(__dirname, '..', 'lib');

/** What each folder of lib/ may import from lib/ (itself always). */
export const ALLOWED: Record<string, string[]> = {
  util: [],
  model: ['util'],
  reference: ['util', 'model'],
  engine: ['util', 'model'],
  learn: ['util', 'model', 'engine'],
  infer: ['util', 'model', 'engine'],
  data: ['util', 'model'],
  experiments: ['util', 'model', 'reference', 'engine', 'learn', 'infer', 'data'],
  figures: ['util', 'experiments'],
  notebook: ['util', 'model', 'data', 'experiments', 'figures'],
  cli: ['util', 'model', 'reference', 'engine', 'learn', 'infer', 'data', 'experiments', 'figures', 'notebook'],
};
/** Type-only imports allowed beyond ALLOWED: data shapes, never code. */
const TYPE_ONLY: Record<string, string[]> = { figures: ['infer'] };

/** Files of lib/ that may name the repository's folders, each with the option that overrides it. */
const REPO_PATHS: Record<string, string> = {
  'experiments/store.ts': 'projectRoot() recognises the checkout by its notebooks/ folder; GEM_RESULTS_DIR and --results override',
  'experiments/data.ts': 'realDigit0Dir(): ExperimentOptions.realDir, else ../shared/mnist-dvs/real-digit0 when present, else the test fixtures',
  'cli/data.ts': '`data calibrate --real DIR`; the default is printed by --help',
  'cli/kernel.ts': 'only prints where the notebooks of this checkout are',
};

export interface Import {
  file: string;
  spec: string;
  typeOnly: boolean;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'dist' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of `text`: static imports/exports (type-only marked), dynamic import() and require(). */
export function importsOf(file: string, text: string): Import[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: Import[] = [];
  for (const m of code.matchAll(/\b(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    out.push({ file, spec: m[4], typeOnly: Boolean(m[2]) });
  }
  for (const m of code.matchAll(/\bimport\s+['"]([^'"]+)['"]/g)) out.push({ file, spec: m[1], typeOnly: false });
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ file, spec: m[1], typeOnly: false });
  return out;
}

/** Folder of lib/ a file belongs to ('' for lib/index.ts and lib/version.ts). */
function layerOf(file: string): string {
  const rel = relative(LIB, file).split(sep);
  return rel.length > 1 ? rel[0] : '';
}

/** Violations of the layer rules among `imports` (one line each). */
export function violations(imports: Import[]): string[] {
  const bad: string[] = [];
  for (const im of imports) {
    if (!im.spec.startsWith('.')) continue; // packages and node: builtins
    const from = layerOf(im.file);
    const target = resolve(dirname(im.file), im.spec);
    const where = `lib/${relative(LIB, im.file)} imports '${im.spec}'`;
    if (!target.startsWith(LIB + sep)) {
      bad.push(`${where}: outside lib/`);
      continue;
    }
    const to = layerOf(existsSync(target + '.ts') || target.endsWith('.ts') ? target + '.ts' : join(target, 'index.ts'));
    if (from === '' || to === '' || to === from) continue; // index.ts is the top; version.ts is a leaf
    if (!(from in ALLOWED)) {
      bad.push(`${where}: folder '${from}' has no layer rule`);
      continue;
    }
    if (ALLOWED[from].includes(to)) continue;
    if (im.typeOnly && (TYPE_ONLY[from] ?? []).includes(to)) continue;
    bad.push(`${where}: ${from}/ may import only ${[...ALLOWED[from], ...(TYPE_ONLY[from] ?? []).map((t) => `${t} (types)`)].join(', ') || 'nothing'} of lib/`);
  }
  return bad;
}

test('every folder of lib/ has a layer rule and lib/ holds only a handful of top-level files', () => {
  const dirs = readdirSync(LIB).filter((n) => statSync(join(LIB, n)).isDirectory() && !['dist', 'node_modules', 'bin'].includes(n));
  assert.deepEqual(dirs.filter((d) => !(d in ALLOWED)), []);
  assert.deepEqual(dirs.filter((d) => !existsSync(join(LIB, d, 'README.md'))), [], 'each folder says what it holds in README.md');
  const files = readdirSync(LIB).filter((n) => statSync(join(LIB, n)).isFile());
  assert.deepEqual(files.filter((f) => !['index.ts', 'version.ts', 'package.json', 'tsconfig.json', 'README.md'].includes(f)), []);
});

test('imports in lib/ point down the layers', () => {
  const all = sources(LIB).flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));
  assert.ok(all.length > 200, `found ${all.length} imports`);
  assert.deepEqual(violations(all), []);
});

test('the checker catches an upward import, a value import where only types may go, and an escape from lib/', () => {
  const f = (rel: string) => join(LIB, rel);
  const found = violations([
    ...importsOf(f('engine/x.ts'), "import { refRun } from '../reference/reference-path';"),
    ...importsOf(f('experiments/x.ts'), "import {\n  showFigure,\n} from '../notebook/figure';"),
    ...importsOf(f('figures/x.ts'), "import { reliability } from '../infer/calibration';"),
    ...importsOf(f('figures/y.ts'), "import type { Reliability } from '../infer/calibration';"),
    ...importsOf(f('model/x.ts'), "const x = require('../data/aedat');"),
    ...importsOf(f('data/x.ts'), "import '../../test/fixtures/thing';"),
  ]);
  assert.equal(found.length, 5, found.join('\n'));
  assert.match(found[0], /engine\/ may import only util, model/);
  assert.match(found[1], /experiments\/x\.ts imports '\.\.\/notebook\/figure'/);
  assert.match(found[2], /figures\/ may import only util, experiments, infer \(types\)/);
  assert.match(found[4], /outside lib\//);
});

test("lib/ names the repository's own folders (../shared, notebooks/) only where an option overrides it", () => {
  const named = sources(LIB)
    .filter((f) => /['"`/](\.\.\/)?shared['"`/]|['"`]notebooks['"`/]/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(\/\/|\*).*$/gm, '')))
    .map((f) => relative(LIB, f).split(sep).join('/'));
  assert.deepEqual(named.sort(), Object.keys(REPO_PATHS).sort());
});
