/**
 * Static rendering of plotly figures (SVG, PNG) in headless Debian Chromium driven by playwright-core,
 * plus standalone interactive HTML. One browser serves a whole batch: `openRenderer` launches it once
 * and every `svg`/`png` call reuses the same page (plotly.js is parsed once per session).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processAlive, writeFileAtomic } from '../util/files';
import { figureHtml, plotlyJsPath } from './html';
import { requireOptional } from '../util/optional';
import { writePlotlyBundle } from './plotly-source';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from './style';
import { stableSvgIds, withStableUids } from './svg';
import type { FigureSpec } from './types';

/** Where Chromium is looked for unless `chromiumPath` or GEM_CHROMIUM says otherwise. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless Chromium (containers, CI). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface RendererOptions {
  /** Chromium executable (default: $GEM_CHROMIUM, else /usr/bin/chromium). */
  chromiumPath?: string;
  /** Per-figure timeout in ms (default 60000). */
  timeoutMs?: number;
}

/** Size of a static export in CSS px; PNG pixels are width*scale x height*scale. */
export interface RenderSize {
  width?: number;
  height?: number;
  /** PNG device scale factor (default 2, crisp on high-DPI screens). */
  scale?: number;
}

/** An open browser session that renders many figures. Call `close()` when done. */
export interface FigureRenderer {
  /** SVG document text of the figure. */
  svg(spec: FigureSpec, size?: RenderSize): Promise<string>;
  /** PNG bytes of the figure. */
  png(spec: FigureSpec, size?: RenderSize): Promise<Buffer>;
  /** Closes the browser and removes its temporary profile folder (idempotent). */
  close(): Promise<void>;
}

/** The Chromium path that will be used: option, else $GEM_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(opts: RendererOptions = {}): string {
  return opts.chromiumPath ?? process.env.GEM_CHROMIUM ?? DEFAULT_CHROMIUM;
}

/** True when the Chromium executable exists (tests use this to skip rendering with a message). */
export function chromiumAvailable(opts: RendererOptions = {}): boolean {
  return fs.existsSync(chromiumPath(opts));
}

/** The error text for a missing Chromium, with the install command. */
export function missingChromiumMessage(exe: string): string {
  return (
    `figures/render: Chromium not found at ${exe}; static SVG/PNG export needs Debian's chromium. ` +
    `Install it with 'sudo apt-get install -y chromium' (or run scripts/setup-system.sh), ` +
    `or point GEM_CHROMIUM at another Chromium/Chrome executable. Never 'npx playwright install'.`
  );
}

function checkSpec(where: string, spec: FigureSpec): void {
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.data) || typeof spec.layout !== 'object' || spec.layout === null) {
    throw new Error(`figures/render: ${where}: spec = ${typeof spec}; expected a plotly figure { data: Trace[], layout: object }`);
  }
}

function checkSize(where: string, size: RenderSize): Required<RenderSize> {
  const width = size.width ?? DEFAULT_WIDTH;
  const height = size.height ?? DEFAULT_HEIGHT;
  const scale = size.scale ?? 2;
  for (const [k, v, lo, hi] of [['width', width, 50, 10000], ['height', height, 50, 10000], ['scale', scale, 0.25, 8]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      throw new Error(`figures/render: ${where}: ${k} = ${String(v)}; expected a number in [${lo}, ${hi}]`);
    }
  }
  return { width, height, scale };
}

/** Prefix of the renderer's temporary folders in $TMPDIR. */
export const TEMP_PREFIX = 'gem-snn-chromium-';

/** Removes renderer folders left by killed processes (their `pid` file names a process that is gone). */
export function sweepStaleTempDirs(): number {
  let n = 0;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    let pid = NaN;
    try {
      pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      continue; // being created, or not ours to judge
    }
    if (processAlive(pid)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    n++;
  }
  return n;
}

/**
 * Launches headless Chromium once and returns a renderer reusing one page for every figure.
 * Throws a clear message (with the apt command) when Chromium is missing.
 */
export async function openRenderer(opts: RendererOptions = {}): Promise<FigureRenderer> {
  const exe = chromiumPath(opts);
  if (!fs.existsSync(exe)) throw new Error(missingChromiumMessage(exe));
  const timeout = opts.timeoutMs ?? 60000;
  // Lazy: playwright-core is only loaded by code that renders.
  const { chromium } = requireOptional<typeof import('playwright-core')>('playwright-core', 'figure rendering (SVG/PNG)');
  sweepStaleTempDirs();
  // One folder holds the profile and playwright's own artifacts folder (TMPDIR is pointed here during
  // the launch), so removing it leaves nothing behind; `pid` lets a later run remove it if we are killed.
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  fs.writeFileSync(path.join(tmpRoot, 'pid'), String(process.pid));
  const userDir = path.join(tmpRoot, 'profile');
  const cleanupDir = (): void => fs.rmSync(tmpRoot, { recursive: true, force: true });
  process.once('exit', cleanupDir);
  let context: import('playwright-core').BrowserContext;
  const savedTmp = process.env.TMPDIR;
  try {
    process.env.TMPDIR = tmpRoot;
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: exe, headless: true, args: CHROMIUM_ARGS, timeout,
      // The command decides what a signal means (lib/cli/shutdown.ts); playwright must not close
      // the browser under a computation that goes on.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } catch (err) {
    cleanupDir();
    process.removeListener('exit', cleanupDir);
    throw new Error(`figures/render: could not start Chromium at ${exe}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    cleanupDir();
    process.removeListener('exit', cleanupDir);
  };
  try {
    // A file:// stub page loads plotly.js from disk (no 11 MB transfer over the DevTools pipe).
    const stub = path.join(tmpRoot, 'render.html');
    const plotlyUrl = 'file://' + plotlyJsPath();
    fs.writeFileSync(stub, `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="${plotlyUrl}"></script></head><body></body></html>`);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeout);
    await page.goto('file://' + stub, { waitUntil: 'load' });
    const ok = await page.evaluate(() => typeof (globalThis as unknown as { Plotly?: unknown }).Plotly === 'object');
    if (!ok) throw new Error(`figures/render: plotly.js did not load in Chromium from ${plotlyUrl}`);
    let queue: Promise<unknown> = Promise.resolve();
    const exportAs = (spec: FigureSpec, size: RenderSize, format: 'svg' | 'png'): Promise<string> => {
      if (closed) return Promise.reject(new Error('figures/render: renderer is closed'));
      checkSpec(format, spec);
      const s = checkSize(format, size);
      // One figure at a time on the shared page.
      const job = queue.then(() =>
        page.evaluate(
          async ({ fig, s, format }) => {
            const P = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
            const url = await P.toImage({ data: fig.data, layout: fig.layout, config: { ...(fig.config ?? {}), staticPlot: true } }, { format, width: s.width, height: s.height, scale: format === 'png' ? s.scale : 1 });
            const comma = url.indexOf(',');
            const head = url.slice(0, comma);
            const body = url.slice(comma + 1);
            return format === 'svg' && !head.endsWith(';base64') ? decodeURIComponent(body) : body;
          },
          { fig: withStableUids(spec), s, format },
        ),
      );
      queue = job.catch(() => undefined);
      return job;
    };
    return {
      svg: async (spec, size = {}) => stableSvgIds(await exportAs(spec, size, 'svg')),
      png: async (spec, size = {}) => Buffer.from(await exportAs(spec, size, 'png'), 'base64'),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One figure of a batch: written as `<outDir>/<name>.svg|.png|.html`. */
export interface RenderItem {
  /** File stem: letters, digits, '.', '_' and '-' only. */
  name: string;
  spec: FigureSpec;
  outDir: string;
  width?: number;
  height?: number;
}

/** Paths written for one figure (html is null when `html: false`). */
export interface RenderedFiles {
  name: string;
  svg: string;
  png: string;
  html: string | null;
}

export interface RenderBatchOptions extends RendererOptions {
  /** Reuse an open renderer (not closed afterwards); default: open one for this batch and close it. */
  renderer?: FigureRenderer;
  /** PNG scale (default 2). */
  scale?: number;
  /** Also write the interactive HTML (default true). */
  html?: boolean;
  /**
   * Path of ONE plotly.js copy that every HTML file loads through a relative `<script src>` (written
   * once, see writePlotlyBundle). Default: none, each HTML file inlines plotly.js (~5-11 MB each).
   */
  sharedPlotly?: string;
  /** Called after each figure is written (for progress bars). */
  onFigure?: (done: number, total: number, name: string) => void;
}

/**
 * Renders a batch of figures with ONE browser: SVG, PNG and (default) standalone HTML per item,
 * each written atomically. All items are validated before the browser starts.
 */
export async function renderFigures(items: RenderItem[], opts: RenderBatchOptions = {}): Promise<RenderedFiles[]> {
  if (!Array.isArray(items)) throw new Error(`figures/render: items = ${typeof items}; expected an array of { name, spec, outDir }`);
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (typeof it.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(it.name)) {
      throw new Error(`figures/render: items[${i}].name = ${JSON.stringify(it.name)}; expected a file stem of letters, digits, '.', '_' or '-'`);
    }
    if (typeof it.outDir !== 'string' || it.outDir === '') throw new Error(`figures/render: items[${i}].outDir = ${JSON.stringify(it.outDir)}; expected a folder path`);
    const key = path.resolve(it.outDir, it.name);
    if (seen.has(key)) throw new Error(`figures/render: items[${i}] writes ${key} twice in one batch`);
    seen.add(key);
    checkSpec(`items[${i}] (${it.name})`, it.spec);
    checkSize(`items[${i}] (${it.name})`, { width: it.width, height: it.height, scale: opts.scale });
  });
  if (items.length === 0) return [];
  if ((opts.html ?? true) && opts.sharedPlotly) writePlotlyBundle(opts.sharedPlotly);
  const renderer = opts.renderer ?? (await openRenderer(opts));
  const out: RenderedFiles[] = [];
  try {
    for (const it of items) {
      const size = { width: it.width, height: it.height, scale: opts.scale };
      const base = path.join(it.outDir, it.name);
      let svg: string, png: Buffer;
      try {
        svg = await renderer.svg(it.spec, size);
        png = await renderer.png(it.spec, size);
      } catch (err) {
        throw new Error(`figures/render: figure '${it.name}' failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      writeFileAtomic(base + '.svg', svg);
      writeFileAtomic(base + '.png', png);
      let html: string | null = null;
      if (opts.html ?? true) {
        html = base + '.html';
        const plotlySrc = opts.sharedPlotly ? path.relative(it.outDir, opts.sharedPlotly).split(path.sep).join('/') : undefined;
        writeFileAtomic(html, figureHtml(it.spec, { title: it.name, width: it.width, height: it.height, plotlySrc }));
      }
      out.push({ name: it.name, svg: base + '.svg', png: base + '.png', html });
      opts.onFigure?.(out.length, items.length, it.name);
    }
  } finally {
    if (!opts.renderer) await renderer.close();
  }
  return out;
}

// A process-wide renderer for notebooks: opened on first use, closed after a minute idle so a kernel
// does not keep a browser around (and a plain script can still exit).
let shared: Promise<FigureRenderer> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
const IDLE_MS = 60000;

function touchShared(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeSharedRenderer(), IDLE_MS);
  idleTimer.unref();
}

/** The shared renderer (opened lazily, reused across calls). */
export function sharedRenderer(opts: RendererOptions = {}): Promise<FigureRenderer> {
  if (!shared) {
    shared = openRenderer(opts);
    shared.catch(() => {
      shared = null;
    });
  }
  touchShared();
  return shared;
}

/** Closes the shared renderer if open (scripts call this before exiting to release Chromium at once). */
export async function closeSharedRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const s = shared;
  shared = null;
  if (s) await (await s.catch(() => null))?.close();
}

/** PNG bytes of one figure through the shared renderer (the notebook path: no files written). */
export async function renderToPngBuffer(spec: FigureSpec, size: RenderSize = {}, opts: RendererOptions = {}): Promise<Buffer> {
  const r = await sharedRenderer(opts);
  try {
    return await r.png(spec, size);
  } finally {
    touchShared();
  }
}

/** SVG text of one figure through the shared renderer. */
export async function renderToSvgString(spec: FigureSpec, size: RenderSize = {}, opts: RendererOptions = {}): Promise<string> {
  const r = await sharedRenderer(opts);
  try {
    return await r.svg(spec, size);
  } finally {
    touchShared();
  }
}
