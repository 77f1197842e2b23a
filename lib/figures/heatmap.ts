/** Heatmaps and event images (e.g. accumulated DVS events of one digit, or a weight matrix). */
import { bad, numbers } from './check';
import { axis, baseLayout } from './style';
import type { FigureSpec, FigureText } from './types';

export interface HeatmapInput extends FigureText {
  /**
   * Values as rows (z[row][col]) or as a flat row-major array with `rows`/`cols` given
   * (e.g. a Float32Array [H, W] event image).
   */
  z: number[][] | ArrayLike<number>;
  rows?: number;
  cols?: number;
  /** Column and row coordinates (default 0..cols-1, 0..rows-1). */
  x?: (number | string)[];
  y?: (number | string)[];
  /** plotly colour scale name or [[0, colour], ..., [1, colour]] (default 'Viridis'; 'RdBu' for signed). */
  colorscale?: string | [number, string][];
  zmin?: number;
  zmax?: number;
  /** Centre a diverging scale at 0 (sets zmin = -zmax = -max|z|). */
  symmetric?: boolean;
  /** Image mode: row 0 at the top, square pixels, no grid (default false). */
  image?: boolean;
  /** Colour bar title. */
  zTitle?: string;
}

/** Builds a heatmap; NaN cells are left blank. */
export function heatmap(input: HeatmapInput): FigureSpec {
  const W = 'heatmap';
  let rowsZ: (number | null)[][];
  if (Array.isArray(input.z) && input.z.length > 0 && Array.isArray(input.z[0])) {
    const zz = input.z as number[][];
    const cols = zz[0].length;
    rowsZ = zz.map((r, i) => {
      const v = numbers(W, `z[${i}]`, r, true);
      if (v.length !== cols) bad(W, `z[${i}].length`, v.length, `${cols} (the length of z[0])`);
      return v.map((x) => (Number.isNaN(x) ? null : x));
    });
  } else {
    const flat = numbers(W, 'z', input.z as ArrayLike<number>, true);
    const { rows, cols } = input;
    if (!Number.isInteger(rows) || (rows as number) < 1) bad(W, 'rows', rows, 'a positive integer (z is flat)');
    if (!Number.isInteger(cols) || (cols as number) < 1) bad(W, 'cols', cols, 'a positive integer (z is flat)');
    if (flat.length !== (rows as number) * (cols as number)) bad(W, 'z.length', flat.length, `rows*cols = ${(rows as number) * (cols as number)}`);
    rowsZ = [];
    for (let r = 0; r < (rows as number); r++) {
      rowsZ.push(flat.slice(r * (cols as number), (r + 1) * (cols as number)).map((x) => (Number.isNaN(x) ? null : x)));
    }
  }
  if (rowsZ.length === 0) bad(W, 'z', input.z, 'at least one row');
  let { zmin, zmax } = input;
  if (input.symmetric) {
    let m = 0;
    for (const r of rowsZ) for (const v of r) if (v !== null && Math.abs(v) > m) m = Math.abs(v);
    zmin = -(m || 1);
    zmax = m || 1;
  }
  const trace: Record<string, unknown> = {
    type: 'heatmap', z: rowsZ, colorscale: input.colorscale ?? (input.symmetric ? 'RdBu' : 'Viridis'),
    reversescale: input.symmetric && input.colorscale === undefined ? true : undefined,
    zmin, zmax, colorbar: { title: input.zTitle ? { text: input.zTitle, side: 'right' } : undefined, thickness: 14 },
    hovertemplate: 'x=%{x}<br>y=%{y}<br>z=%{z:.4g}<extra></extra>',
  };
  if (input.x) trace.x = input.x;
  if (input.y) trace.y = input.y;
  const layout = baseLayout(input);
  if (input.image) {
    layout.xaxis = axis(input.xTitle, { showgrid: false, constrain: 'domain', ticks: '' });
    layout.yaxis = axis(input.yTitle, { showgrid: false, autorange: 'reversed', scaleanchor: 'x', scaleratio: 1, constrain: 'domain', ticks: '' });
  } else {
    layout.xaxis = axis(input.xTitle, { showgrid: false });
    layout.yaxis = axis(input.yTitle, { showgrid: false });
  }
  return { data: [trace], layout };
}
