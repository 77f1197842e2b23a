/**
 * Deterministic SVG exports. plotly names its defs, clip paths and legend after a random 6-hex figure
 * id (`clip6c5be1xy`, `defs-6c5be1`, ...) and its trace groups after random trace uids, so two exports
 * of the same figure differ. Trace uids are fixed before rendering (`withStableUids`); the figure id is
 * replaced afterwards by names derived from the SVG content (`stableSvgIds`), so rerunning writes the
 * same bytes while two different figures inlined in one page still get different ids. Attributes are
 * sorted too: plotly writes them in an order that depends on what the page drew before.
 */
import { createHash } from 'node:crypto';
import type { FigureSpec } from './types';

/** A copy of `spec` whose traces without a `uid` get `t<index>` (plotly names trace groups after it). */
export function withStableUids(spec: FigureSpec): FigureSpec {
  return { ...spec, data: spec.data.map((t, i) => (t.uid === undefined ? { ...t, uid: `t${i}` } : t)) };
}

/** Attributes of every start tag in name order (plotly's order depends on what the page drew before). */
function sortAttributes(svg: string): string {
  return svg.replace(/<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")+)\s*(\/?)>/g, (_m, tag: string, attrs: string, slash: string) => {
    const list = attrs.match(/[\w:-]+="[^"]*"/g) ?? [];
    list.sort((a, b) => (a.split('=')[0] < b.split('=')[0] ? -1 : 1));
    return `<${tag} ${list.join(' ')}${slash ? '/' : ''}>`;
  });
}

// An id where it is defined or referenced: id="X", url(#X), url('#X'), url("#X"), href="#X".
const ID_CONTEXT = /(id="|url\(['"]?#|href="#)([^"')]+)/g;

/**
 * Deterministic SVG text for a plotly export: attributes sorted, and every id defined in the SVG
 * (plotly draws them with random parts: `clip6c5be1xy`, `p9d6ba2-t1`) renamed `g<hash>-<n>` in order of
 * appearance, where <hash> is 6 hex digits of the SHA-256 of the SVG with ids replaced by their
 * number. References are renamed with them; text is not touched.
 */
export function stableSvgIds(svg: string): string {
  const sorted = sortAttributes(svg);
  const order = new Map<string, number>();
  for (const m of sorted.matchAll(/\sid="([^"]+)"/g)) if (!order.has(m[1])) order.set(m[1], order.size);
  if (order.size === 0) return sorted;
  const rename = (fn: (n: number) => string): string =>
    sorted.replace(ID_CONTEXT, (m, ctx: string, id: string) => (order.has(id) ? ctx + fn(order.get(id) as number) : m));
  const hash = createHash('sha256').update(rename((n) => `#${n}`)).digest('hex').slice(0, 6);
  return rename((n) => `g${hash}-${n}`);
}
