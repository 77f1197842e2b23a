/**
 * Tables in notebooks: rows (array of objects) become a danfojs DataFrame; a DataFrame is shown as an
 * HTML table, the same as a Markdown table (both render in an untrusted notebook), and a fixed-width text
 * version for consoles and diffs.
 */
import { sendDisplayData } from './display';
import { requireOptional } from '../util/optional';

/** The part of a danfojs DataFrame the display needs (any DataFrame satisfies it). */
export interface DataFrameLike {
  columns: string[];
  values: unknown[];
  shape: number[];
}

export type Row = Record<string, unknown>;

export interface TableOptions {
  /** Caption above the table (e.g. "data: emulated MNIST-DVS"). */
  caption?: string;
  /** Rows shown at most (default 50; the rest is summarised). */
  maxRows?: number;
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
}

function isDataFrame(v: unknown): v is DataFrameLike {
  return typeof v === 'object' && v !== null && Array.isArray((v as DataFrameLike).columns) && Array.isArray((v as DataFrameLike).values) && Array.isArray((v as DataFrameLike).shape);
}

/** Rows (objects with the same keys) -> danfojs-node DataFrame (loaded lazily; ~1 s the first time). */
export function toDataFrame(rows: Row[]): DataFrameLike {
  if (!Array.isArray(rows) || rows.length === 0 || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new Error('notebook/toDataFrame: rows must be a non-empty array of plain objects');
  }
  const dfd = requireOptional<{ DataFrame: new (data: unknown) => DataFrameLike }>('danfojs-node', 'toDataFrame (notebook tables)');
  return new dfd.DataFrame(rows);
}

function fmt(v: unknown, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (Number.isInteger(v)) return String(v);
    return Number(v.toPrecision(digits)).toString();
  }
  return String(v);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** HTML, Markdown and text renderings of a table (pure; exported for tests). */
export function tableMarkup(table: DataFrameLike, opts: TableOptions = {}): { html: string; markdown: string; text: string } {
  const maxRows = opts.maxRows ?? 50;
  const digits = opts.digits ?? 4;
  const cols = table.columns.map(String);
  const rows = (table.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r]));
  const shown = rows.slice(0, maxRows).map((r) => r.map((v) => fmt(v, digits)));
  const more = rows.length - shown.length;
  const numeric = cols.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === null || r[j] === undefined));
  const th = cols.map((c) => `<th style="text-align:right;padding:2px 8px">${esc(c)}</th>`).join('');
  const trs = shown
    .map((r) => '<tr>' + r.map((v, j) => `<td style="text-align:${numeric[j] ? 'right' : 'left'};padding:2px 8px">${esc(v)}</td>`).join('') + '</tr>')
    .join('\n');
  const html = [
    '<div>',
    opts.caption ? `<div style="font-size:90%;color:#555;margin-bottom:4px">${esc(opts.caption)}</div>` : '',
    '<table class="dataframe" style="border-collapse:collapse">',
    `<thead><tr style="border-bottom:1px solid #888">${th}</tr></thead>`,
    `<tbody>\n${trs}\n</tbody>`,
    '</table>',
    more > 0 ? `<div style="font-size:90%;color:#555">... ${more} more rows (${rows.length} in all)</div>` : '',
    '</div>',
  ].filter(Boolean).join('\n');
  const widths = cols.map((c, j) => Math.max(c.length, ...shown.map((r) => r[j].length)));
  const line = (cells: string[]): string => cells.map((v, j) => (numeric[j] ? v.padStart(widths[j]) : v.padEnd(widths[j]))).join('  ').trimEnd();
  const text = [
    ...(opts.caption ? [opts.caption] : []),
    line(cols),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...shown.map(line),
    ...(more > 0 ? [`... ${more} more rows (${rows.length} in all)`] : []),
  ].join('\n');
  const mdCell = (v: string): string => v.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const markdown = [
    ...(opts.caption ? [`*${mdCell(opts.caption)}*`, ''] : []),
    `| ${cols.map(mdCell).join(' | ')} |`,
    `| ${cols.map((_, j) => (numeric[j] ? '---:' : '---')).join(' | ')} |`,
    ...shown.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    ...(more > 0 ? ['', `... ${more} more rows (${rows.length} in all)`] : []),
  ].join('\n');
  return { html, markdown, text };
}

/**
 * Displays rows or a danfojs DataFrame as an HTML table. Returns the DataFrame (built from the rows
 * when rows were given) so a cell can keep working with it.
 */
export function showTable(table: Row[] | DataFrameLike, opts: TableOptions = {}): DataFrameLike {
  const df = isDataFrame(table) ? table : toDataFrame(table);
  const { html, markdown, text } = tableMarkup(df, opts);
  sendDisplayData({ 'text/html': html, 'text/markdown': markdown, 'text/plain': text });
  return df;
}
