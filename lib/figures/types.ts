/**
 * Shared types of the figure layer. A figure is a plain plotly.js specification: JSON-serialisable
 * `data` (traces) and `layout`, so it can be rendered in a browser, embedded in HTML or sent to
 * JupyterLab as `application/vnd.plotly.v1+json` unchanged.
 */

/** One plotly.js trace (scatter, bar, heatmap, ...): a JSON object. */
export type Trace = Record<string, unknown>;

/** A plotly.js layout object. */
export type Layout = Record<string, unknown>;

/** A complete plotly figure specification. */
export interface FigureSpec {
  data: Trace[];
  layout: Layout;
  /** Optional plotly config (e.g. `{ displaylogo: false }`); renderers add their own defaults. */
  config?: Record<string, unknown>;
}

/** Text and size options every figure builder accepts. */
export interface FigureText {
  /** Main title. */
  title?: string;
  /** Smaller second title line (e.g. the profile and the number of seeds). */
  subtitle?: string;
  /** Footnote at the bottom left, e.g. "data: emulated MNIST-DVS". */
  note?: string;
  /** Axis titles. */
  xTitle?: string;
  yTitle?: string;
  /** Default size in CSS pixels used by renderers (layout.width/height are not set, so HTML stays responsive). */
  width?: number;
  height?: number;
}
