/**
 * Deterministic SVG exports. plotly names its defs, clip paths and legend after a random 6-hex figure
 * id (`clip6c5be1xy`, `defs-6c5be1`, ...) and its trace groups after random trace uids, so two exports
 * of the same figure differ. Trace uids are fixed before rendering (`withStableUids`); the figure id is
 * replaced afterwards by one derived from the SVG's content (`stableSvgIds`), so rerunning writes the
 * same bytes while two different figures inlined in one page still get different ids.
 */
import { createHash } from 'node:crypto';
import type { FigureSpec } from './types';

/** A copy of `spec` whose traces without a `uid` get `t<index>` (plotly names trace groups after it). */
export function withStableUids(spec: FigureSpec): FigureSpec {
  return { ...spec, data: spec.data.map((t, i) => (t.uid === undefined ? { ...t, uid: `t${i}` } : t)) };
}

/**
 * Replaces plotly's random figure id in every id and id reference of `svg` (id="…", url(#…),
 * href="#…") by `g` + 6 hex digits of the SHA-256 of the SVG with the id removed. SVGs without the
 * `defs-<id>` marker are returned unchanged.
 */
export function stableSvgIds(svg: string): string {
  const m = /id="defs-([0-9a-z]+)"/.exec(svg);
  if (!m) return svg;
  const uid = m[1];
  // Only names inside id contexts: an id value, or a `#name` reference in url() or href.
  const ref = new RegExp(`(id="|url\\(#|href="#)([A-Za-z_-]*)${uid}`, 'g');
  const without = svg.replace(ref, '$1$2');
  const stable = 'g' + createHash('sha256').update(without).digest('hex').slice(0, 6);
  return svg.replace(ref, `$1$2${stable}`);
}
