/**
 * Executes many runs: cached ones are read, the others computed in up to `jobs` child processes (the
 * machines have 2 cores and runs are independent), longest first, each record written to the cache the
 * moment its run ends.
 */
import { fork, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Progress, silentProgress } from '../util/progress';
import { runCost } from './plan';
import { cachedRun, executeRun, runKey, RunRecord, RunSpec, runUnits, storeRun } from './runs';

export interface PoolOptions {
  /** Run cache folder. */
  cacheDir: string;
  /** Parallel child processes (1 = run in this process). */
  jobs: number;
  /** Recompute even when a record exists (each run at most once per process). */
  force: boolean;
  /** Creates the progress display for `total` units (e.g. createProgress or notebookProgress). */
  progress?: (label: string, total: number) => Progress;
  /** Label of the progress display. */
  label?: string;
  /** Called when a computed run ends, with its wall seconds (for timing breakdowns). */
  onRunDone?: (spec: RunSpec, seconds: number) => void;
}

/**
 * Cache keys computed by this process: with `force`, a run shared by several experiments (the GEM-SNN
 * runs behind log-likelihood, accuracy and calibration) is still computed only once per invocation.
 */
const computedHere = new Set<string>();

/** Worker processes alive now (stopWorkers ends them on a signal). */
const live = new Set<ChildProcess>();
/** Set by stopWorkers: worker exits are then expected, not errors. */
let stopping = false;
/** With isolateRuns(true), runs go to child processes even for jobs = 1 (see isolateRuns). */
let isolate = false;

/**
 * Runs every computation in child processes, even with one job, so the parent stays responsive to
 * signals while a run computes (a run in this process is synchronous for seconds to minutes). The
 * command line turns this on; notebooks keep runs in-process.
 */
export function isolateRuns(on: boolean): void {
  isolate = on;
}

/** Stops every worker process (SIGTERM, then SIGKILL after `graceMs`) and resolves once all have exited. */
export async function stopWorkers(graceMs = 3000): Promise<number> {
  stopping = true;
  const kids = [...live];
  await Promise.all(kids.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
    c.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    c.kill('SIGTERM');
  })));
  return kids.length;
}

/** Runs every spec (cached or computed) and returns the records in spec order. */
export async function runAll(specs: RunSpec[], opts: PoolOptions): Promise<RunRecord[]> {
  const fresh = (s: RunSpec) => !opts.force || computedHere.has(`${opts.cacheDir}/${runKey(s)}`);
  const out: (RunRecord | undefined)[] = specs.map((s) => (fresh(s) ? cachedRun(s, opts.cacheDir) : undefined));
  // identical specs (e.g. shared by two experiments) are computed once
  const todo: number[] = [];
  const seen = new Map<string, number>();
  const dupOf = new Map<number, number>();
  specs.forEach((s, i) => {
    if (out[i]) return;
    const key = runKey(s);
    const first = seen.get(key);
    if (first !== undefined) dupOf.set(i, first);
    else {
      seen.set(key, i);
      todo.push(i);
    }
  });
  if (todo.length === 0) return out as RunRecord[];
  // longest first: the last runs to finish are short ones, so no worker idles long at the end
  const cost = new Map(todo.map((i) => [i, runCost(specs[i])]));
  todo.sort((a, b) => cost.get(b)! - cost.get(a)! || a - b);
  const total = todo.reduce((a, i) => a + runUnits(specs[i]), 0);
  const progress = opts.progress ? opts.progress(opts.label ?? 'runs', total) : silentProgress;
  const jobs = Math.max(1, Math.min(opts.jobs, todo.length));
  try {
    if (jobs === 1 && !isolate) {
      for (const i of todo) {
        const t0 = Date.now();
        const rec = await executeRun(specs[i], progress, opts.cacheDir);
        storeRun(specs[i], rec, opts.cacheDir);
        out[i] = rec;
        opts.onRunDone?.(specs[i], (Date.now() - t0) / 1000);
      }
    } else {
      await runInChildren(specs, todo, jobs, opts.cacheDir, progress, opts.onRunDone);
      for (const i of todo) out[i] = cachedRun(specs[i], opts.cacheDir);
    }
  } finally {
    progress.done();
  }
  for (const i of todo) computedHere.add(`${opts.cacheDir}/${runKey(specs[i])}`);
  for (const [i, first] of dupOf) out[i] = out[first];
  out.forEach((r, i) => {
    if (!r) throw new Error(`run ${runKey(specs[i])} produced no record`);
  });
  return out as RunRecord[];
}

function workerCommand(): { file: string; execArgv: string[] } {
  const ts = __filename.endsWith('.ts');
  return { file: join(__dirname, ts ? 'worker.ts' : 'worker.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

function runInChildren(specs: RunSpec[], todo: number[], jobs: number, cacheDir: string, progress: Progress, onRunDone?: PoolOptions['onRunDone']): Promise<void> {
  const { file, execArgv } = workerCommand();
  const queue = [...todo];
  const children: ChildProcess[] = [];
  return new Promise<void>((resolve, reject) => {
    let active = 0;
    let failed = false;
    const finish = (err?: Error) => {
      if (failed) return;
      if (err) {
        failed = true;
        children.forEach((c) => c.kill());
        reject(err);
        return;
      }
      if (queue.length === 0 && active === 0) {
        children.forEach((c) => c.disconnect());
        resolve();
      }
    };
    const current = new Map<ChildProcess, { i: number; t0: number }>();
    const feed = (child: ChildProcess) => {
      const i = queue.shift();
      if (i === undefined) return;
      active++;
      current.set(child, { i, t0: Date.now() });
      child.send({ spec: specs[i], cacheDir });
    };
    for (let w = 0; w < jobs; w++) {
      const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      live.add(child);
      child.on('message', (m: { type: string; n?: number; message?: string }) => {
        if (m.type === 'tick') progress.tick(m.n);
        else if (m.type === 'done') {
          const c = current.get(child);
          if (c) onRunDone?.(specs[c.i], (Date.now() - c.t0) / 1000);
          active--;
          feed(child);
          finish();
        } else if (m.type === 'error') finish(new Error(`a run failed in a worker process:\n${m.message}`));
      });
      child.on('exit', (code, signal) => {
        live.delete(child);
        if (stopping) return; // a shutdown in progress: the process exits on its own terms
        if ((code || signal) && !failed && (active > 0 || queue.length > 0)) finish(new Error(`worker process exited with ${signal ?? `code ${code}`}`));
      });
      feed(child);
    }
  });
}
