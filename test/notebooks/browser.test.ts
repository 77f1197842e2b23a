// Real-browser test of the interactive figures: Debian's classic notebook server (6.4) on 127.0.0.1 with a
// token, headless /usr/bin/chromium through playwright-core, "Kernel > Restart & Run All" clicked in the
// UI on a copy of notebooks/00-quickstart.ipynb with GEM_PROFILE=smoke. Asserts that every cell ran
// without an error output, that a plotly figure is drawn as SVG inside a .plotly element, and that
// hovering one of its points shows plotly's hover label; and that a committed notebook opened untrusted renders its
// tables and figure PNGs and is saved back unchanged. Screenshots go to results/browser/ (ignored).
// Skipped when Jupyter's notebook server, the tslab kernel or Chromium is missing; FAILS then in CI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../../lib/figures/render';
import { kernelSpecs, pythonEnv } from '../../lib/notebook/jupyter';

const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = process.env.GEM_PYTHON ?? '/usr/bin/python3';
const SOURCE = path.join(ROOT, 'notebooks', '00-quickstart.ipynb');
// A private copy next to the real notebooks (so `gem-snn` resolves the same way); '_' keeps it out of listings.
const COPY = path.join(ROOT, 'notebooks', `_browser-${process.pid}.ipynb`);
const SHOTS = path.join(ROOT, 'results', 'browser');

function missing(): string | null {
  if (!fs.existsSync(chromiumPath())) return `chromium not found at ${chromiumPath()}`;
  if (spawnSync(PYTHON, ['-c', 'import notebook'], { stdio: 'ignore', env: pythonEnv() }).status !== 0) return `${PYTHON} has no classic notebook server (apt-get install jupyter-notebook)`;
  try {
    if (!kernelSpecs(PYTHON).tslab) return 'the tslab kernel is not registered (npm run kernel)';
  } catch (e) {
    return (e as Error).message;
  }
  if (!fs.existsSync(path.join(ROOT, 'lib', 'dist', 'index.js'))) return 'lib/dist is not built (npm run build)';
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const why = missing();
let server: ChildProcess | null = null;
let serverLog = '';
let runtimeDir = '';

before(() => {
  if (why && process.env.CI === 'true') throw new Error(`browser test cannot run in CI: ${why} (run scripts/setup-system.sh)`);
});

after(() => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(COPY, { force: true });
  if (runtimeDir) fs.rmSync(runtimeDir, { recursive: true, force: true });
  fs.rmSync(path.join(ROOT, 'notebooks', '.ipynb_checkpoints', path.basename(COPY).replace('.ipynb', '-checkpoint.ipynb')), { force: true });
});

/**
 * The classic notebook server on 127.0.0.1 with a token, started once for both tests. Its trust database
 * is in memory, so every notebook opens "Not Trusted", as on a fresh clone.
 */
let serverBase: Promise<string> | null = null;
let token = '';
function startServer(): Promise<string> {
  serverBase ??= (async () => {
    const port = await freePort();
    token = randomBytes(16).toString('hex');
    runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-snn-jupyter-runtime-'));
    server = spawn(PYTHON, ['-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--NotebookApp.token=${token}`,
      '--NotebookNotary.db_file=:memory:', `--notebook-dir=${ROOT}`, ...(process.getuid?.() === 0 ? ['--allow-root'] : [])], {
      env: { ...pythonEnv(), GEM_PROFILE: 'smoke', GEM_PARAMS: '', JUPYTER_RUNTIME_DIR: runtimeDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (b: Buffer) => (serverLog += b.toString()));
    server.stderr?.on('data', (b: Buffer) => (serverLog += b.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/status?token=${token}`)).ok) return base;
      } catch {
        /* not listening yet */
      }
      assert.ok(i < 150 && server.exitCode === null, `notebook server did not start:\n${serverLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return serverBase;
}

/**
 * Runs `body` on a fresh page of headless Chromium; on failure saves what the page showed as
 * `results/browser/<failureShot>` (the CI artifact) before rethrowing; always closes the browser.
 */
async function inChromium(failureShot: string, body: (page: import('playwright-core').Page) => Promise<void>): Promise<void> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  try {
    await body(page);
  } catch (err) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, failureShot), fullPage: true }).catch(() => undefined);
    throw err;
  } finally {
    await browser.close();
  }
}

test('classic notebook in Chromium: Restart & Run All draws an interactive plotly figure, no cell errors', { timeout: 420000, skip: why ?? false }, async () => {
  // Outputs and numbers cleared: whatever the page shows afterwards comes from this run.
  const nb = JSON.parse(fs.readFileSync(SOURCE, 'utf8')) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
  for (const c of nb.cells) if (c.cell_type === 'code') Object.assign(c, { outputs: [], execution_count: null });
  fs.writeFileSync(COPY, JSON.stringify(nb));
  const base = await startServer();

  await inChromium('quickstart-failure.png', async (page) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/notebooks/notebooks/${path.basename(COPY)}?token=${token}`, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(), null, { timeout: 90000 });

    // Through the UI: Kernel menu > Restart & Run All, then confirm the dialog.
    await page.click('#kernellink');
    await page.click('#restart_run_all');
    await page.click('.modal-dialog button.btn-danger');
    const nCode = await page.evaluate(() => (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === 'code').length);
    // Done when every code cell has a number (not '*') and the kernel is idle.
    await page.waitForFunction(() => {
      const J = (globalThis as any).Jupyter;
      const cells = J.notebook.get_cells().filter((c: any) => c.cell_type === 'code');
      return cells.every((c: any) => typeof c.input_prompt_number === 'number') && (globalThis as any).document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    }, null, { timeout: 180000, polling: 500 });

    const errors = await page.$$eval('.output_error, .output_stderr', (els) => els.map((e) => (e.textContent ?? '').slice(0, 500)));
    assert.deepEqual(errors, [], `cells showed errors:\n${errors.join('\n---\n')}`);
    const counts = await page.evaluate(() => (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === 'code').map((c: any) => c.input_prompt_number));
    assert.deepEqual(counts, Array.from({ length: nCode }, (_, i) => i + 1), 'every code cell ran once, in order');

    // An interactive plot: plotly drew an SVG inside a .plotly element (not the <img> fallback).
    const plot = page.locator('.output_area .js-plotly-plot').filter({ has: page.locator('.scatterlayer .point, .barlayer .point') }).first();
    await plot.waitFor({ state: 'visible', timeout: 60000 });
    assert.ok(await plot.locator('.plotly svg.main-svg').count() > 0, 'no SVG inside the .plotly element');
    await plot.scrollIntoViewIfNeeded();
    // Hover the points one by one (some traces, e.g. reference lines, skip hover) until plotly's label shows.
    const points = plot.locator('.barlayer .point, .scatterlayer .point');
    const nPoints = await points.count();
    assert.ok(nPoints > 0, 'the figure has no points');
    assert.equal(await plot.locator('.hoverlayer .hovertext').count(), 0, 'hover label shown before hovering');
    let label = '';
    for (let i = 0; i < Math.min(nPoints, 12) && !label; i++) {
      const box = await points.nth(i).boundingBox();
      if (!box || box.width * box.height === 0) continue;
      await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 3, { steps: 3 });
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      const shown = await plot.locator('.hoverlayer .hovertext').first().waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
      if (shown) label = ((await plot.locator('.hoverlayer .hovertext').first().textContent()) ?? '').trim();
    }
    assert.ok(label.length > 0, `no hover label appeared over any of ${Math.min(nPoints, 12)} points`);

    fs.mkdirSync(SHOTS, { recursive: true });
    await plot.screenshot({ path: path.join(SHOTS, 'quickstart-hover.png') });
    await page.screenshot({ path: path.join(SHOTS, 'quickstart-page.png'), fullPage: false });
    assert.deepEqual(pageErrors, [], `page errors: ${pageErrors.join('; ')}`);
    console.log(`browser: ${nCode} code cells ran; hover label "${label.trim().slice(0, 80)}"; screenshots in ${path.relative(ROOT, SHOTS)}/`);
  });
});

// A committed notebook exactly as a fresh clone has it, opened without running anything: "Not Trusted",
// so its scripts do not run. Tables and readings must still render, figures show their PNG, none is
// folded into a scroll box, and saving (what autosave does) must leave the file byte for byte unchanged.
const SAVED = path.join(ROOT, 'notebooks', '04-calibration.ipynb');
const OPENED = path.join(ROOT, 'notebooks', `_browser-open-${process.pid}.ipynb`);

test('classic notebook in Chromium: a committed notebook opened untrusted renders its tables and figures, and saving it changes no byte', { timeout: 240000, skip: why ?? false }, async () => {
  const bytes = fs.readFileSync(SAVED);
  fs.writeFileSync(OPENED, bytes);
  const nb = JSON.parse(bytes.toString('utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const nFigures = outputs.filter((o) => o.data && 'application/vnd.plotly.v1+json' in o.data).length;
  const nTables = outputs.filter((o) => o.data && /^\s*\|.*\|\s*$/m.test([o.data['text/markdown'] ?? ''].flat().join(''))).length;
  assert.ok(nFigures > 0 && nTables > 0, `${path.basename(SAVED)} has no figures or tables to look at`);

  const base = await startServer();
  try {
    await inChromium('opened-failure.png', async (page) => {
      await page.goto(`${base}/notebooks/notebooks/${path.basename(OPENED)}?token=${token}`, { waitUntil: 'load', timeout: 60000 });
      // The kernel's info reply is what rewrote language_info before: wait for it before saving.
      await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.info_reply?.language_info !== undefined, null, { timeout: 90000 });
      assert.equal(await page.evaluate(() => (globalThis as any).Jupyter.notebook.trusted), false, 'the notebook opened trusted; the test needs the untrusted view');

      const shown = await page.evaluate(() => {
        const doc = (globalThis as any).document;
        const text = [...doc.querySelectorAll('.output_area')].map((e: any) => e.innerText as string).join('\n');
        return {
          tables: doc.querySelectorAll('.output_area table').length,
          claimHeader: [...doc.querySelectorAll('.output_area th')].some((th: any) => th.textContent.trim() === 'claim'),
          rawTable: /^\s*\|\s*-{3,}/m.test(text) || text.includes('| claim |'),
          rawBold: text.includes('**'),
          images: [...doc.querySelectorAll('.output_area .gem-figure img')].map((img: any) => img.naturalWidth as number),
          scrollBoxes: doc.querySelectorAll('.output_scroll').length,
        };
      });
      assert.equal(shown.tables, nTables, 'every markdown table renders as an HTML table');
      assert.ok(shown.claimHeader, 'the claims table renders with its header');
      assert.equal(shown.rawTable, false, 'raw markdown table text on the page');
      assert.equal(shown.rawBold, false, 'raw ** on the page');
      assert.equal(shown.images.length, nFigures, 'every figure shows its PNG');
      assert.ok(shown.images.every((w) => w > 0), `a figure PNG did not load: widths ${shown.images.join(', ')}`);
      assert.equal(shown.scrollBoxes, 0, 'an output folded into a scroll box');

      const before = fs.statSync(OPENED).mtimeMs;
      await page.evaluate(() => (globalThis as any).Jupyter.notebook.save_notebook());
      for (let i = 0; fs.statSync(OPENED).mtimeMs === before; i++) {
        assert.ok(i < 100, 'the notebook was not saved within 20 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const after = fs.readFileSync(OPENED);
      if (!after.equals(bytes)) {
        const a = JSON.parse(after.toString('utf8'));
        assert.deepEqual(a.metadata, JSON.parse(bytes.toString('utf8')).metadata, 'saving changed the metadata');
        assert.fail(`saving changed ${path.basename(SAVED)} (${bytes.length} -> ${after.length} bytes)`);
      }
      console.log(`browser: ${path.basename(SAVED)} untrusted: ${shown.tables} tables, ${shown.images.length} figure PNGs; saved byte-identical`);
    });
  } finally {
    fs.rmSync(OPENED, { force: true });
    fs.rmSync(path.join(ROOT, 'notebooks', '.ipynb_checkpoints', path.basename(OPENED).replace('.ipynb', '-checkpoint.ipynb')), { force: true });
  }
});
