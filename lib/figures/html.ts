/**
 * Interactive HTML for a figure, offline (no CDN): plotly.js either inlined from node_modules/plotly.js-dist
 * (a standalone ~11 MB file) or loaded from a shared local copy by a relative `<script src>`.
 */
import * as fs from 'node:fs';
import type { FigureSpec } from './types';
import { resolveOptional } from '../util/optional';

let plotlySource: string | null = null;

/** Absolute path of the plotly.js bundle this package uses. */
export function plotlyJsPath(): string {
  return resolveOptional('plotly.js-dist', 'figure HTML and rendering (plotly.js)', 'plotly.js-dist/plotly.js');
}

/** The plotly.js source (read once per process). */
export function plotlyJsSource(): string {
  if (plotlySource === null) plotlySource = fs.readFileSync(plotlyJsPath(), 'utf8');
  return plotlySource;
}

/** JSON safe to embed in an inline <script> (no `</script>`, no U+2028/2029 line separators). */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A complete HTML document showing `spec` interactively (responsive, filling the window; width and
 * height in CSS px only set the initial size used when the window is larger). `plotlySrc`: URL of a
 * plotly.js file to load instead of inlining it (e.g. '../plotly.min.js').
 */
export function figureHtml(spec: FigureSpec, opts: { title?: string; width?: number; height?: number; plotlySrc?: string } = {}): string {
  const h = opts.height ?? 500;
  const config = { responsive: true, displaylogo: false, ...(spec.config ?? {}) };
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title ?? 'figure')}</title>`,
    '<style>html,body{margin:0;padding:0;background:#fff}#figure{width:100%;height:100vh;min-height:' + h + 'px}</style>',
    opts.plotlySrc ? `<script src="${escapeHtml(opts.plotlySrc)}"></script>` : `<script>${plotlyJsSource()}</script>`,
    '</head>',
    '<body>',
    '<div id="figure"></div>',
    `<script>Plotly.newPlot('figure', ${scriptJson(spec.data)}, ${scriptJson(spec.layout)}, ${scriptJson(config)});</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
