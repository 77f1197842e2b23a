/**
 * The common look of every figure: palette, fonts, margins, title/subtitle/note placement.
 * Builders call `baseLayout` and then add their own axes, so all figures share one style.
 */
import type { FigureText, Layout } from './types';

/** Colour-blind-safe categorical palette (Okabe & Ito), cycled by series index. */
export const PALETTE: readonly string[] = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000',
];

/** Font stack: DejaVu Sans is what Debian's headless Chromium has, so static exports match the browser. */
export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Default render size in CSS pixels. */
export const DEFAULT_WIDTH = 720;
export const DEFAULT_HEIGHT = 450;

/** Returns palette colour `i` (cycled). */
export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** `#rrggbb` plus opacity in [0, 1] -> `rgba(r,g,b,a)` (band fills). */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`figures/style: colour '${hex}' is not of the form #rrggbb`);
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function escapeText(s: string): string {
  // plotly titles accept a small HTML subset; escape what would be parsed as tags
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The shared layout: white background, light grid, legend on top, title with an optional subtitle
 * line, and an optional footnote (`note`) at the bottom left of the paper.
 */
export function baseLayout(text: FigureText): Layout {
  const hasNote = Boolean(text.note);
  const layout: Layout = {
    font: { family: FONT_FAMILY, size: 13, color: '#222' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    colorway: [...PALETTE],
    margin: { l: 70, r: 30, t: text.title || text.subtitle ? (text.subtitle ? 95 : 70) : 30, b: hasNote ? 112 : 60 },
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0)' },
    hovermode: 'closest',
    xaxis: axis(text.xTitle),
    yaxis: axis(text.yTitle),
  };
  if (text.title || text.subtitle) {
    // plotly >= 3 draws title.subtitle as a second, smaller line; both sit in the top margin
    layout.title = {
      text: escapeText(text.title ?? ''), x: 0.01, xanchor: 'left', yref: 'container', y: 0.97, yanchor: 'top',
      font: { size: 16 },
      subtitle: text.subtitle ? { text: escapeText(text.subtitle), font: { size: 12, color: '#555' } } : undefined,
    };
  }
  if (hasNote) {
    layout.annotations = [noteAnnotation(text.note as string)];
  }
  return layout;
}

/** Axis defaults: light grid, outside ticks, a visible zero line only where it means something. */
export function axis(title?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: title ? { text: escapeText(title) } : undefined,
    showgrid: true,
    gridcolor: '#e5e5e5',
    zeroline: false,
    showline: true,
    linecolor: '#444',
    ticks: 'outside',
    automargin: true,
    ...extra,
  };
}

/** The footnote annotation (bottom left, below the x axis title). */
export function noteAnnotation(note: string): Record<string, unknown> {
  return {
    text: escapeText(note),
    xref: 'paper',
    yref: 'paper',
    x: 0,
    y: 0,
    xanchor: 'left',
    yanchor: 'top',
    yshift: -74,
    showarrow: false,
    font: { size: 11, color: '#666' },
    name: 'note',
  };
}

/** Adds (or replaces) the footnote of an existing figure layout; returns a new layout. */
export function withNote(layout: Layout, note: string): Layout {
  const anns = Array.isArray(layout.annotations) ? (layout.annotations as Record<string, unknown>[]) : [];
  const kept = anns.filter((a) => a.name !== 'note');
  const margin = { ...((layout.margin as Record<string, unknown>) ?? {}) };
  margin.b = Math.max(Number(margin.b ?? 60), 112);
  return { ...layout, margin, annotations: [...kept, noteAnnotation(note)] };
}
