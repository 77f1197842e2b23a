/**
 * `showFigure`: one display carrying the figure three ways: the plotly JSON
 * (`application/vnd.plotly.v1+json`, JupyterLab with plotly's renderer extension), HTML that draws it
 * with plotly.js embedded once per kernel session (`text/html`, the classic notebook and JupyterLab
 * without the extension, when the notebook is trusted; its <img> fallback shows where scripts are
 * stripped), and a static PNG (`image/png`: untrusted classic notebook, GitHub, nbviewer). The PNG is
 * rendered by the shared headless Chromium (figures/render).
 */
import { chromiumAvailable, chromiumPath, missingChromiumMessage, renderToPngBuffer } from '../figures/render';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from '../figures/style';
import type { FigureSpec } from '../figures/types';
import { sendDisplayData, type MimeBundle } from './display';
import { figureHtmlBundle } from './figure-html';

export interface ShowFigureOptions {
  /** Static image size in CSS px (default 720 x 450) and PNG scale (default 2). */
  width?: number;
  height?: number;
  scale?: number;
  /**
   * What to do when Chromium is missing: 'warn' (default) sends the interactive part only and prints a
   * warning to stderr; 'error' throws.
   */
  onMissingChromium?: 'warn' | 'error';
}

let warned = false;

/** The mime bundle and metadata of `showFigure` (exported for tests and custom displays). */
export async function figureBundle(spec: FigureSpec, opts: ShowFigureOptions = {}): Promise<{ data: MimeBundle; metadata: Record<string, unknown> }> {
  if (!spec || !Array.isArray(spec.data) || typeof spec.layout !== 'object' || spec.layout === null) {
    throw new Error('notebook/showFigure: spec must be a plotly figure { data: Trace[], layout: object }');
  }
  const width = opts.width ?? DEFAULT_WIDTH;
  const height = opts.height ?? DEFAULT_HEIGHT;
  const title = (spec.layout.title as { text?: string } | undefined)?.text;
  const figure = {
    data: spec.data,
    layout: { ...spec.layout, height: (spec.layout.height as number | undefined) ?? height },
    config: { displaylogo: false, responsive: true, ...(spec.config ?? {}) },
  };
  const plain = `<plotly figure${title ? `: ${title.replace(/<[^>]*>/g, '')}` : ''}>`;
  const data: MimeBundle = { 'application/vnd.plotly.v1+json': figure };
  const metadata: Record<string, unknown> = {};
  let png: string | null = null;
  if (chromiumAvailable()) {
    png = (await renderToPngBuffer(spec, { width, height, scale: opts.scale })).toString('base64');
    data['image/png'] = png;
    // Shown at CSS size, however many pixels the PNG has.
    metadata['image/png'] = { width, height };
  } else if ((opts.onMissingChromium ?? 'warn') === 'error') {
    throw new Error(missingChromiumMessage(chromiumPath()));
  } else if (!warned) {
    warned = true;
    process.stderr.write(`warning: ${missingChromiumMessage(chromiumPath())} Figures are shown without a static PNG.\n`);
  }
  data['text/html'] = figureHtmlBundle(figure, png, width, height, plain);
  data['text/plain'] = plain;
  return { data, metadata };
}

/**
 * Displays a figure in the notebook as one output with both mime types. Await it:
 * `await showFigure(spec)`. Outside a notebook it prints a one-line placeholder.
 */
export async function showFigure(spec: FigureSpec, opts: ShowFigureOptions = {}): Promise<void> {
  const { data, metadata } = await figureBundle(spec, opts);
  sendDisplayData(data, { metadata });
}
