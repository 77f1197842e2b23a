/** Grouped bar chart (e.g. accuracy per decision rule and K_I, or GEM-SNN vs the single-sample baseline). */
import { bad, nonEmpty, numbers } from './check';
import { axis, baseLayout, colour } from './style';
import type { FigureSpec, FigureText, Trace } from './types';

export interface BarSeries {
  name: string;
  /** One value per category (NaN = no bar). */
  values: number[];
  /** Optional symmetric error per category (e.g. the spread across seeds). */
  errors?: number[];
}

export interface BarInput extends FigureText {
  categories: (string | number)[];
  series: BarSeries[];
  /** Horizontal bars (default false). */
  horizontal?: boolean;
  /** Print the values on the bars with this many significant digits (default: no labels). */
  labelDigits?: number;
}

/** Builds a grouped bar chart: one trace per series, bars side by side within each category. */
export function barChart(input: BarInput): FigureSpec {
  const W = 'barChart';
  const cats = nonEmpty(W, 'categories', input.categories).map(String);
  const series = nonEmpty(W, 'series', input.series);
  const h = input.horizontal ?? false;
  const data: Trace[] = series.map((s, si) => {
    const v = numbers(W, `series[${si}].values`, s.values, true);
    if (v.length !== cats.length) bad(W, `series[${si}].values.length`, v.length, `${cats.length} (the number of categories)`);
    const y = v.map((x) => (Number.isFinite(x) ? x : null));
    const t: Trace = {
      type: 'bar', name: s.name, orientation: h ? 'h' : 'v',
      x: h ? y : cats, y: h ? cats : y, marker: { color: colour(si) },
    };
    if (input.labelDigits !== undefined) {
      t.text = v.map((x) => (Number.isFinite(x) ? x.toPrecision(input.labelDigits) : ''));
      t.textposition = 'outside';
      t.cliponaxis = false;
    }
    if (s.errors) {
      const e = numbers(W, `series[${si}].errors`, s.errors, true);
      if (e.length !== cats.length) bad(W, `series[${si}].errors.length`, e.length, `${cats.length} (the number of categories)`);
      t[h ? 'error_x' : 'error_y'] = { type: 'data', array: e.map((x) => (Number.isFinite(x) ? x : null)), visible: true, color: '#333', thickness: 1.2, width: 4 };
    }
    return t;
  });
  const layout = baseLayout(input);
  layout.barmode = 'group';
  layout.xaxis = axis(input.xTitle, h ? {} : { type: 'category', showgrid: false });
  layout.yaxis = axis(input.yTitle, h ? { type: 'category', showgrid: false, autorange: 'reversed' } : {});
  return { data, layout };
}
