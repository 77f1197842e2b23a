/**
 * `gem-snn reproduce`: prepares the data, runs every experiment of a profile (finished runs are cached
 * and skipped unless --force), writes results/<experiment>/ and results/README.md, and prints the
 * claims of SPEC 5.3 with our numbers.
 */
import { parseArgs } from 'node:util';
import { createProgress } from '../util/progress';
import { openRenderer, FigureRenderer } from '../figures/render';
import { chromiumAvailable } from '../figures/render';
import { claimsText } from '../experiments/results';
import { projectRoot, resultsDirFor } from '../experiments/store';
import { readmeResultsSection, replaceResultsSection } from '../experiments/readings';
import { parseShard, shardRuns, Shard } from '../experiments/plan';
import { isolateRuns, runAll, stopWorkers } from '../experiments/pool';
import { prepareData } from '../experiments/data-source';
import { cachedRun, runCacheDir, runKey, RunSpec } from '../experiments/runs';
import { resolveParams } from '../experiments/profiles';
import type { SuiteParams } from '../experiments/profiles';
import { EXPERIMENT_ORDER, planRuns } from '../experiments/registry';
import { runExperiment, writeExperiment, writeResultsReadme } from '../figures/experiments';
import { resolveSuiteArgs, SUITE_HELP, SUITE_OPTIONS } from './suite-args';
import { installShutdown } from './shutdown';
import { checkResultsFolder, DoneExperiment, indexComplete, updateResultsFolder } from '../experiments/results-index';
import { ensureDir, withLock, writeFileAtomic } from '../util/files';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const HELP = `Usage: gem-snn reproduce [options]

Runs the experiments of a profile and writes results/<experiment>/ (config.json, metrics.csv,
summary.json, figures as SVG/PNG/HTML), results/README.md and results/claims.md. The runs of all chosen
experiments are computed first, once each, longest first, into the run cache.

Options:
${SUITE_HELP}
  --shard i/n        compute only shard i of n of the runs into the run cache and write no results;
                     a later call without --shard (every run cached) computes nothing and writes them
  --force            recompute runs even when their results are cached (each once)
  --no-figures       skip rendering figures (no browser needed)
  --no-html          skip the standalone interactive HTML figures
  -h, --help         this help`;

/** Finished run records in a run cache folder. */
function countRuns(cacheDir: string): number {
  return existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('.json') && !f.endsWith('.network.json')).length : 0;
}

/**
 * Runs `body` with runs in worker processes and a shutdown handler: on SIGINT/SIGTERM/SIGHUP the workers
 * (and `close`) are stopped and one line says what was kept in the run cache.
 */
async function withShutdown<T>(cacheDir: string, close: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  // Runs compute in worker processes so a signal is handled at once; finished runs are in the cache.
  isolateRuns(true);
  const before = countRuns(cacheDir);
  const uninstall = installShutdown('gem-snn reproduce', {
    cleanup: async () => {
      await stopWorkers();
      await close();
    },
    kept: () => {
      const n = countRuns(cacheDir);
      return `kept ${n} finished run(s) in ${cacheDir} (${Math.max(0, n - before)} new); the same command resumes from them`;
    },
  });
  try {
    return await body();
  } finally {
    await close();
    uninstall();
    isolateRuns(false);
  }
}

/**
 * Computes the runs of `specs` not yet cached (or all with `force`) in the worker pool; resolves to how
 * many were computed. `onRunDone` hears each computed run's wall seconds.
 */
async function computeRuns(specs: RunSpec[], p: SuiteParams, root: string, force: boolean, label: string, onRunDone?: (s: RunSpec, seconds: number) => void): Promise<number> {
  let n = 0;
  // the data once, here, before the workers start (they would otherwise each prepare it at once)
  const cacheDir = runCacheDir(root);
  if (specs.some((s) => s.kind === 'classification' && (force || cachedRun(s, cacheDir) === undefined))) {
    await prepareData(p.data, { log: (l) => console.error(l) });
  }
  if (specs.length > 0) {
    await runAll(specs, { cacheDir, jobs: p.jobs, force, progress: createProgress, label, onRunDone: (s, sec) => (n++, onRunDone?.(s, sec)) });
  }
  return n;
}

/** `--shard i/n`: this shard's runs into the cache, no results. */
async function runShard(shard: Shard, plan: RunSpec[], p: SuiteParams, root: string, force: boolean): Promise<number> {
  const mine = shardRuns(plan, shard);
  const cacheDir = runCacheDir(root);
  const before = mine.filter((s) => cachedRun(s, cacheDir) !== undefined).length;
  console.error(`gem-snn reproduce: profile ${p.profile}, shard ${shard.index}/${shard.count}: ${mine.length} of ${plan.length} runs (${before} cached), run cache ${cacheDir}`);
  const t0 = Date.now();
  await computeRuns(mine, p, root, force, `shard ${shard.index}/${shard.count} runs`);
  const computed = force ? mine.length : mine.length - before;
  console.log(`shard ${shard.index}/${shard.count}: ${computed} runs computed, ${mine.length - computed} cached, in ${((Date.now() - t0) / 1000).toFixed(0)} s; no results written (run 'gem-snn reproduce' without --shard once every shard is done)`);
  return 0;
}

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SUITE_OPTIONS,
      shard: { type: 'string' },
      force: { type: 'boolean', default: false },
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
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const { params, only, root, overrides } = resolveSuiteArgs(values);
  const { runs: plan, firstUser } = planRuns(only, params);
  if (shard) return withShutdown(runCacheDir(root), async () => {}, () => runShard(shard, plan, params, root, values.force));
  const figures = !values['no-figures'];
  if (figures && !chromiumAvailable()) {
    throw new Error('figures need Chromium at /usr/bin/chromium (apt-get install -y chromium), or pass --no-figures');
  }
  ensureDir(root, 'results folder');
  const replacing = checkResultsFolder(root, params, overrides, values.force, EXPERIMENT_ORDER.every((n) => only.includes(n)));
  if (replacing) console.error(`gem-snn reproduce: ${replacing}`);
  console.error(`gem-snn reproduce: profile ${params.profile}, experiments ${only.join(', ')}, results in ${root}`);
  const t0 = Date.now();
  const results: DoneExperiment[] = [];
  let runsWall = 0;
  let runTimings: Record<string, number> = {};
  let renderer: FigureRenderer | undefined;
  const closeRenderer = async () => {
    const r = renderer;
    renderer = undefined;
    if (r) await r.close();
  };
  await withShutdown(runCacheDir(root), closeRenderer, async () => {
    // every run of every chosen experiment in one pool, longest first; the experiments then read them
    const runSeconds: Record<string, number> = {};
    const computed = await computeRuns(plan, params, root, values.force, 'runs of all experiments', (s, sec) => {
      const name = firstUser.get(runKey(s)) ?? 'other';
      runSeconds[name] = (runSeconds[name] ?? 0) + sec;
    });
    runsWall = (Date.now() - t0) / 1000;
    console.error(`   runs: ${plan.length} planned, ${computed} computed in ${runsWall.toFixed(1)} s${computed ? ` (worker seconds by the first experiment reading them: ${Object.entries(runSeconds).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')})` : ''}`);
    runTimings = runSeconds;
    if (figures) renderer = await openRenderer();
    for (const name of only) {
      const t = Date.now();
      console.error(`\n== ${name}`);
      const res = await runExperiment(name, params, { resultsDir: root, force: values.force, progress: createProgress, log: (s) => console.error(s) });
      await writeExperiment(res, root, { figures, html: !values['no-html'], renderer });
      const secs = (Date.now() - t) / 1000;
      console.error(`   ${name}: ${secs.toFixed(1)} s`);
      results.push({ res, figures: res.figures.map((fig) => ({ name: fig.name, caption: fig.caption })), seconds: secs });
    }
  });
  const seconds = (Date.now() - t0) / 1000;
  // Read-modify-write of the folder-wide files: one writer at a time (concurrent runs into one folder).
  const idx = await withLock(join(root, '.lock'), () => updateResultsFolder(root, params, overrides, results, EXPERIMENT_ORDER, { jobs: params.jobs, runs: runsWall, runWorkerSeconds: runTimings }), {
    onWait: (pid) => console.error(`waiting for process ${pid}, which is writing ${root}`),
  });
  const kept = Object.keys(idx.experiments).filter((n) => !only.includes(n));
  if (kept.length) console.error(`kept the entries of ${kept.join(', ')} from the earlier run in claims.json, claims.md and timings.json`);
  // README.md only from a complete index; the project README's results section from results/ (main profile only)
  if (indexComplete(idx, EXPERIMENT_ORDER)) {
    writeResultsReadme(EXPERIMENT_ORDER.map((n) => ({ name: n, ...idx.experiments[n] })), root, { profile: params.profile });
    if (root === resultsDirFor(resolveParams('small'), {})) {
      const readme = join(projectRoot(), 'README.md');
      writeFileAtomic(readme, replaceResultsSection(readFileSync(readme, 'utf8'), readmeResultsSection(root, EXPERIMENT_ORDER)));
    }
  }
  console.log(claimsText(results.flatMap((r) => r.res.claims)));
  console.log(`\nDone in ${seconds.toFixed(0)} s. Results: ${root}`);
  return 0;
}
