/**
 * Writes an experiment's results to `<root>/<experiment>/`: config.json (resolved parameters, seeds,
 * versions, commit of the sources), metrics.csv (tidy long form), summary.json (with the claims), and each figure
 * as SVG, PNG and an interactive HTML (loading the shared results/plotly.min.js). Also the suite-level README and the
 * claims table. Every file is written atomically.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FigureRenderer, renderFigures } from '../figures/render';
import { VERSION } from '../version';
import type { ClaimCheck, ExperimentResult, MetricRow } from './types';
import { projectRoot, writeFileAtomic, writeJsonAtomic } from './store';

const CSV_COLUMNS: (keyof MetricRow)[] = ['experiment', 'metric', 'rule', 'config', 'K', 'KI', 'seed', 'step', 'value'];

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NaN') : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows as CSV text (header + one line per row; empty cells for absent columns). */
export function metricsCsv(rows: MetricRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** What the results depend on: the library sources and the pinned packages (not results/ or notebooks/). */
const SOURCE_PATHS = ['lib', 'package.json', 'package-lock.json'];

/**
 * The last commit that changed the library sources (SOURCE_PATHS), with "-dirty" when those sources
 * differ from it, or null outside git. Writing results or executing notebooks does not change it, so
 * reproducing again gives the same config.json.
 */
export function gitCommit(): string | null {
  try {
    const cwd = projectRoot();
    const git = (args: string[]): string => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const head = git(['log', '-1', '--format=%H', '--', ...SOURCE_PATHS]);
    if (!head) return null;
    const dirty = git(['status', '--porcelain', '--', ...SOURCE_PATHS]);
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

/** Versions of what produced the results. */
export function provenance(): Record<string, unknown> {
  let tslab: string | null = null;
  try {
    tslab = JSON.parse(readFileSync(require.resolve('tslab/package.json'), 'utf8')).version;
  } catch {
    /* tslab not installed */
  }
  return { gemSnn: VERSION, node: process.version, platform: `${process.platform}-${process.arch}`, tslab, gitCommit: gitCommit() };
}

export interface WriteOptions {
  /** Render SVG/PNG/HTML figures (needs Chromium). Default true. */
  figures?: boolean;
  /** Also write the standalone interactive HTML (default true). */
  html?: boolean;
  /** Reuse an open renderer for many experiments (one browser per run of the suite). */
  renderer?: FigureRenderer;
}

/**
 * Writes one experiment's results under `root/<name>/`; returns the folder. Seeds, parameters and
 * versions go into config.json; the date is not written, so reruns give byte-identical files apart
 * from the figures' renderer output.
 */
export async function writeExperiment(res: ExperimentResult, root: string, opts: WriteOptions = {}): Promise<string> {
  const dir = join(root, res.name);
  writeJsonAtomic(join(dir, 'config.json'), { experiment: res.name, title: res.title, data: res.dataNote, parameters: res.params, provenance: provenance() });
  writeFileAtomic(join(dir, 'metrics.csv'), metricsCsv(res.rows));
  writeJsonAtomic(join(dir, 'summary.json'), { experiment: res.name, data: res.dataNote, summary: res.summary, claims: res.claims, tables: res.tables });
  if (opts.figures ?? true) {
    await renderFigures(
      res.figures.map((f) => ({ name: f.name, spec: f.spec, outDir: dir, width: f.width, height: f.height })),
      { renderer: opts.renderer, html: opts.html ?? true, sharedPlotly: join(root, 'plotly.min.js') },
    );
  }
  return dir;
}

/** A markdown table of row objects (columns from the first row). */
export function markdownTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(empty)\n';
  const cols = Object.keys(rows[0]);
  const esc = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|');
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => esc(r[c])).join(' | ')} |`)].join('\n') + '\n';
}

/** A claim's verdict as a word: the interval's verdict, else yes/no for exact checks. */
export function verdictWord(c: ClaimCheck): string {
  if (c.verdict) return c.verdict;
  return c.holds === null ? 'not tested' : c.holds ? 'holds' : 'does not hold';
}

/** The claims as a markdown table: setting, claim, paired difference with its 95 % interval, margin, verdict, stability. */
export function claimsMarkdown(claims: ClaimCheck[]): string {
  return markdownTable(
    claims.map((c) => ({
      claim: c.claim,
      'paired difference [95 % interval]': c.ours,
      margin: c.margin ?? '',
      verdict: c.verdict === 'holds' ? 'holds' : `**${verdictWord(c)}**`,
      'stable (leave one seed out)': c.stable === undefined ? '' : c.stable ? 'yes' : `no (${(c.leaveOneSeedOut ?? []).join(' / ')})`,
    })),
  );
}

/** The claims as plain text for the terminal. */
export function claimsText(claims: ClaimCheck[]): string {
  const lines = ['Claims of SPEC 5.3 and of the added settings (verdicts by the rule of README, "How a claim is decided"):'];
  for (const c of claims) lines.push(`  [${verdictWord(c).padEnd(13)}]${c.stable === false ? ' (unstable)' : ''} ${c.claim}\n          ${c.ours}`);
  return lines.join('\n');
}

/** Writes `<root>/README.md`: every figure with its caption and key tables, and the claims table. */
export function writeResultsReadme(results: ExperimentResult[], root: string, header: { profile: string; note?: string }): void {
  const claims = results.flatMap((r) => r.claims);
  const parts: string[] = [
    `# Results (profile \`${header.profile}\`)`,
    '',
    `Written by \`gem-snn reproduce --profile ${header.profile}\` (runs already in the run cache are read, not recomputed; wall times of the last invocation are in \`timings.json\`, not committed because they change with the machine). Every number is a mean ± sample standard deviation over the pinned seeds; each folder holds \`config.json\` (all parameters, seeds, versions, last commit of the sources), \`metrics.csv\` (tidy long form), \`summary.json\` and the figures (SVG, PNG; interactive HTML is written beside them, loading one shared \`plotly.min.js\`, and not committed).`,
    header.note ? `\n${header.note}` : '',
    '',
    '## Claims of the paper (SPEC 5.3)',
    '',
    claims.length ? claimsMarkdown(claims) : '(no claim checked by these experiments)\n',
  ];
  for (const r of results) {
    parts.push(`## ${r.title} (\`${r.name}/\`)`, '', `Data: ${r.dataNote}.`, '');
    for (const [title, table] of Object.entries(r.tables)) parts.push(`**${title}**`, '', markdownTable(table));
    for (const f of r.figures) parts.push(`![${f.name}](${relative(root, join(root, r.name, f.name + '.svg'))})`, '', `*${f.caption}*`, '');
  }
  writeFileAtomic(join(root, 'README.md'), parts.join('\n'));
}
