/**
 * Writes an experiment's results with its figures: the files of experiments/results.ts plus each figure
 * as SVG, PNG and an interactive HTML (loading the shared results/plotly.min.js); and the suite's results/README.md.
 */
import { join, relative } from 'node:path';
import { claimsMarkdown, markdownTable, writeExperimentFiles } from '../../experiments/results';
import { writeFileAtomic } from '../../util/files';
import { FigureRenderer, renderFigures } from '../render';
import type { ExperimentResult } from './common';

export interface WriteOptions {
  /** Render SVG/PNG/HTML figures (needs Chromium). Default true. */
  figures?: boolean;
  /** Also write the interactive HTML, loading `<root>/plotly.min.js` (default true). */
  html?: boolean;
  /** Reuse an open renderer for many experiments (one browser per run of the suite). */
  renderer?: FigureRenderer;
}

/**
 * Writes one experiment's results under `root/<name>/` (config.json, metrics.csv, summary.json and the
 * figures); returns the folder.
 */
export async function writeExperiment(res: ExperimentResult, root: string, opts: WriteOptions = {}): Promise<string> {
  const dir = writeExperimentFiles(res, root);
  if (opts.figures ?? true) {
    await renderFigures(
      res.figures.map((f) => ({ name: f.name, spec: f.spec, outDir: dir, width: f.width, height: f.height })),
      { renderer: opts.renderer, html: opts.html ?? true, sharedPlotly: join(root, 'plotly.min.js') },
    );
  }
  return dir;
}

/** What README.md shows of one experiment (an ExperimentResult, or its entry in index.json). */
export type ReadmeEntry = Pick<ExperimentResult, 'name' | 'title' | 'dataNote' | 'tables' | 'claims'> & { figures: { name: string; caption: string }[] };

/** Writes `<root>/README.md`: every figure with its caption and key tables, and the claims table. */
export function writeResultsReadme(results: ReadmeEntry[], root: string, header: { profile: string; note?: string }): void {
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
