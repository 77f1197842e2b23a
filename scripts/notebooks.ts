/**
 * Executes the notebooks through the real Jupyter kernel (tslab via nbclient), or tslab's in-process
 * executor when no Jupyter is installed.
 *
 *   npx tsx scripts/notebooks.ts                 check: every notebooks/*.ipynb (not _*), GEM_PROFILE=smoke,
 *                                                executed copies in a temp folder, sources untouched
 *   npx tsx scripts/notebooks.ts --update        re-execute in place (atomic, only on success) with
 *                                                GEM_PROFILE from the environment (default small)
 *   options: --profile NAME  --engine auto|jupyter|inprocess  --timeout SEC (per cell)  --out DIR
 *            --python PATH   [notebook.ipynb ...]
 * Exit code 1 when any notebook fails; the report names the notebook, the cell, its source and error.
 * Run `npm run build` first: notebooks import the built package `gem-snn`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseEngine, executeNotebook, formatFailure, listNotebooks } from '../lib/notebook/execute';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      update: { type: 'boolean', default: false },
      profile: { type: 'string' },
      engine: { type: 'string', default: 'auto' },
      timeout: { type: 'string', default: '900' },
      out: { type: 'string' },
      python: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^\/\*\*?|^ \* ?/gm, '').trim());
    return 0;
  }
  const engine = values.engine as string;
  if (!['auto', 'jupyter', 'inprocess'].includes(engine)) throw new Error(`scripts/notebooks: --engine = ${JSON.stringify(engine)}; expected auto, jupyter or inprocess`);
  const timeoutSec = Number(values.timeout);
  if (!(timeoutSec > 0)) throw new Error(`scripts/notebooks: --timeout = ${JSON.stringify(values.timeout)}; expected seconds > 0`);
  const files = positionals.length ? positionals.map((p) => path.resolve(p)) : listNotebooks(path.join(ROOT, 'notebooks'));
  for (const f of files) {
    if (!f.endsWith('.ipynb') || !fs.existsSync(f)) throw new Error(`scripts/notebooks: notebook = ${JSON.stringify(f)}; expected an existing .ipynb file`);
  }
  if (files.length === 0) {
    console.log('scripts/notebooks: no notebooks to run in notebooks/');
    return 0;
  }
  if (!fs.existsSync(path.join(ROOT, 'lib', 'dist', 'index.js'))) {
    throw new Error("scripts/notebooks: lib/dist/index.js is missing; notebooks import the built package, run 'npm run build' first");
  }
  const profile = values.profile ?? (values.update ? process.env.GEM_PROFILE || 'small' : 'smoke');
  const choice = chooseEngine({ engine: engine as 'auto', python: values.python });
  const outDir = values.out ? path.resolve(values.out) : fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-notebooks-'));
  console.error(`notebooks: ${files.length} notebook(s), GEM_PROFILE=${profile}, ${values.update ? 'updating in place' : `executed copies in ${outDir}`}`);
  console.error(`notebooks: engine: ${choice.note}`);
  let failed = 0;
  for (const [i, f] of files.entries()) {
    console.error(`notebooks: [${i + 1}/${files.length}] ${path.relative(ROOT, f)} ...`);
    const r = await executeNotebook(f, { outDir, inPlace: values.update, env: { GEM_PROFILE: profile }, timeoutSec, python: values.python }, choice);
    if (r.ok) console.error(`notebooks: [${i + 1}/${files.length}] ${path.relative(ROOT, f)} ok in ${r.seconds.toFixed(1)} s -> ${r.output}`);
    else {
      failed++;
      console.error(`notebooks: [${i + 1}/${files.length}] FAILED\n${formatFailure(r)}`);
    }
  }
  console.error(`notebooks: ${files.length - failed}/${files.length} ok${failed ? `, ${failed} failed` : ''}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
