/**
 * `showFigure`: one display carrying both the interactive plotly figure
 * (`application/vnd.plotly.v1+json`, used by JupyterLab with the plotly renderer extension) and a static
 * PNG (`image/png`, what GitHub, nbviewer, the classic notebook and JupyterLab without the extension
 * show). The PNG is rendered by the shared headless Chromium (figures/render).
 */
import { chromiumAvailable, chromiumPath, missingChromiumMessage, renderToPngBuffer } from '../figures/render';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from '../figures/style';
import type { FigureSpec } from '../figures/types';
import { sendDisplayData, type MimeBundle } from './display';

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
  const data: MimeBundle = {
    'application/vnd.plotly.v1+json': {
      data: spec.data,
      layout: { ...spec.layout, height: (spec.layout.height as number | undefined) ?? height },
      config: { displaylogo: false, responsive: true, ...(spec.config ?? {}) },
    },
    'text/plain': `<plotly figure${title ? `: ${title.replace(/<[^>]*>/g, '')}` : ''}>`,
  };
  const metadata: Record<string, unknown> = {};
  if (chromiumAvailable()) {
    const png = await renderToPngBuffer(spec, { width, height, scale: opts.scale });
    data['image/png'] = png.toString('base64');
    // Shown at CSS size, however many pixels the PNG has.
    metadata['image/png'] = { width, height };
  } else if ((opts.onMissingChromium ?? 'warn') === 'error') {
    throw new Error(missingChromiumMessage(chromiumPath()));
  } else if (!warned) {
    warned = true;
    process.stderr.write(`warning: ${missingChromiumMessage(chromiumPath())} Figures are shown without a static PNG.\n`);
  }
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
