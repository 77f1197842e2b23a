/**
 * Result files of an experiment under `<root>/<experiment>/`: config.json (resolved parameters, seeds,
 * versions, last commit of the sources), metrics.csv (tidy long form) and summary.json (with the claims), written
 * atomically; and the markdown/text forms of tables and claims. Figures and results/README.md are
 * written by lib/figures/experiments/write.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version';
import type { ClaimCheck, ExperimentRows, MetricRow } from './types';
import { writeFileAtomic, writeJsonAtomic } from '../util/files';
import { projectRoot } from './store';

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

/**
 * Writes config.json, metrics.csv and summary.json of one experiment under `root/<name>/`; returns the
 * folder. The date is not written, so reruns give byte-identical files.
 */
export function writeExperimentFiles(res: ExperimentRows, root: string): string {
  const dir = join(root, res.name);
  writeJsonAtomic(join(dir, 'config.json'), { experiment: res.name, title: res.title, data: res.dataNote, parameters: res.params, provenance: provenance() });
  writeFileAtomic(join(dir, 'metrics.csv'), metricsCsv(res.rows));
  writeJsonAtomic(join(dir, 'summary.json'), { experiment: res.name, data: res.dataNote, summary: res.summary, claims: res.claims, tables: res.tables });
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
