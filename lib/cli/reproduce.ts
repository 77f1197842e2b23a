/**
 * `gem-snn reproduce`: prepares the data, runs every experiment of a profile (finished runs are cached
 * and skipped unless --force), writes results/<experiment>/ and results/README.md, and prints the
 * claims of SPEC 5.3 with our numbers.
 */
import { parseArgs } from 'node:util';
import { createProgress } from '../util/progress';
import { openRenderer, FigureRenderer } from '../figures/render';
import { chromiumAvailable } from '../figures/render';
import { combineOverrides, ParamOverrides, parseSetOverrides, PROFILES, resolveParams } from '../experiments/suite-params';
import { EXPERIMENT_ORDER, runExperiment } from '../experiments/registry';
import { claimsMarkdown, claimsText, writeExperiment, writeResultsReadme } from '../experiments/results';
import { resultsDirFor } from '../experiments/suite';
import { projectRoot, writeFileAtomic, writeJsonAtomic } from '../experiments/store';
import { CLAIM_RULE } from '../experiments/claims';
import { readmeResultsSection, replaceResultsSection } from '../experiments/readings';
import { readFileSync } from 'node:fs';
import type { ExperimentResult } from '../experiments/types';
import { isolateRuns, stopWorkers } from '../experiments/pool';
import { runCacheDir } from '../experiments/runs';
import { installShutdown } from './shutdown';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const HELP = `Usage: gem-snn reproduce [options]

Runs the experiments of a profile and writes results/<experiment>/ (config.json, metrics.csv,
summary.json, figures as SVG/PNG/HTML), results/README.md and results/claims.md.

Options:
  --profile NAME     ${Object.keys(PROFILES).join(' | ')} (default small)
  --only A,B         only these experiments (${EXPERIMENT_ORDER.join(', ')})
  --set key=value    override a parameter, repeatable (e.g. --set gem.eta=0.01 --set seeds=[1,2])
  --params JSON      overrides as one JSON object (applied before --set)
  --force            recompute runs even when their results are cached (each once)
  --jobs N           parallel worker processes (default: the profile's)
  --results DIR      results root (default results/, or results/profile-<name>/ for other profiles)
  --no-figures       skip rendering figures (no browser needed)
  --no-html          skip the standalone interactive HTML figures
  -h, --help         this help`;

/** Finished run records in a run cache folder. */
function countRuns(cacheDir: string): number {
  return existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.json') && !f.endsWith('.network.json')).length : 0;
}

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: 'small' },
      only: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      params: { type: 'string' },
      force: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      results: { type: 'string' },
      'no-figures': { type: 'boolean', default: false },
      'no-html': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let overrides: ParamOverrides = {};
  if (values.params) {
    try {
      overrides = JSON.parse(values.params) as ParamOverrides;
    } catch (e) {
      throw new Error(`--params: not valid JSON (${(e as Error).message})`);
    }
  }
  overrides = combineOverrides(overrides, parseSetOverrides(values.set ?? []));
  if (values.jobs !== undefined) {
    const j = Number(values.jobs);
    if (!Number.isInteger(j) || j < 1) throw new Error(`--jobs = ${values.jobs}; expected an integer >= 1`);
    overrides = { ...overrides, jobs: j };
  }
  const params = resolveParams(values.profile, overrides);
  const only = values.only !== undefined ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : EXPERIMENT_ORDER;
  if (only.length === 0) throw new Error(`--only = ${JSON.stringify(values.only)}; expected experiment names separated by commas (${EXPERIMENT_ORDER.join(', ')})`);
  for (const name of only) {
    if (!EXPERIMENT_ORDER.includes(name)) throw new Error(`--only: unknown experiment '${name}'; expected some of ${EXPERIMENT_ORDER.join(', ')}`);
  }
  const root = resultsDirFor(params, { resultsDir: values.results });
  const figures = !values['no-figures'];
  if (figures && !chromiumAvailable()) {
    throw new Error('figures need Chromium at /usr/bin/chromium (apt-get install -y chromium), or pass --no-figures');
  }
  console.error(`gem-snn reproduce: profile ${params.profile}, experiments ${only.join(', ')}, results in ${root}`);
  const t0 = Date.now();
  const results: ExperimentResult[] = [];
  const timings: Record<string, number> = {};
  let renderer: FigureRenderer | undefined;
  // Runs compute in worker processes so a signal is handled at once; finished runs are in the cache.
  isolateRuns(true);
  const cacheDir = runCacheDir(root);
  const before = countRuns(cacheDir);
  const uninstall = installShutdown('gem-snn reproduce', {
    cleanup: async () => {
      await stopWorkers();
      if (renderer) await renderer.close();
    },
    kept: () => {
      const n = countRuns(cacheDir);
      return `kept ${n} finished run(s) in ${cacheDir} (${Math.max(0, n - before)} new); the same command resumes from them`;
    },
  });
  try {
    if (figures) renderer = await openRenderer();
    for (const name of EXPERIMENT_ORDER.filter((n) => only.includes(n))) {
      const t = Date.now();
      console.error(`\n== ${name}`);
      const res = await runExperiment(name, params, { resultsDir: root, force: values.force, progress: createProgress, log: (s) => console.error(s) });
      await writeExperiment(res, root, { figures, html: !values['no-html'], renderer });
      timings[name] = (Date.now() - t) / 1000;
      console.error(`   ${name}: ${timings[name].toFixed(1)} s`);
      results.push(res);
    }
  } finally {
    if (renderer) await renderer.close();
    uninstall();
    isolateRuns(false);
  }
  const seconds = (Date.now() - t0) / 1000;
  const claims = results.flatMap((r) => r.claims);
  writeJsonAtomic(join(root, 'claims.json'), { profile: params.profile, seeds: params.seeds, testPerDigit: params.data.testPerDigit, rule: CLAIM_RULE, claims });
  writeFileAtomic(join(root, 'claims.md'), `# Claims of SPEC 5.3 (profile ${params.profile})\n\n${claimsMarkdown(claims)}`);
  writeJsonAtomic(join(root, 'timings.json'), { profile: params.profile, seconds: Math.round(seconds), perExperiment: timings });
  if (only.length === EXPERIMENT_ORDER.length) {
    writeResultsReadme(results, root, { profile: params.profile, seconds });
    // the project README's results section is generated from results/ (main profile only)
    if (root === resultsDirFor(resolveParams('small'), {})) {
      const readme = join(projectRoot(), 'README.md');
      writeFileAtomic(readme, replaceResultsSection(readFileSync(readme, 'utf8'), readmeResultsSection(root, EXPERIMENT_ORDER)));
    }
  }
  console.log(claimsText(claims));
  console.log(`\nDone in ${seconds.toFixed(0)} s. Results: ${root}`);
  return 0;
}
