/**
 * Worker threads of the GEM-SNN learner (option `threads` of createGemLearner): rows of the per-step
 * row phase (gem-rows.ts) are split into contiguous ranges, range 0 for the main thread and one per
 * worker. All mutable state lives in SharedArrayBuffers; each step has two barriers on a shared
 * Int32Array: GO (main → workers: the step's signals and traces are ready) and DONE (workers → main:
 * their rows are updated and their next potentials written). Every row is computed by exactly one
 * thread with the same code, so results are bit-identical to one thread.
 *
 * Workers load gem-worker.js next to this file (built package), or gem-worker.ts through tsx's CommonJS
 * hook registered by an eval'd bootstrap (TypeScript sources under tsx); they are
 * unref'd (an idle pool never keeps the process alive) and are terminated by `closeGemPool`.
 */
import * as path from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { RowState } from './gem-rows';

/** Indices into the control array. */
export const CTL_GO = 0;
export const CTL_DONE = 1;
export const CTL_ERR = 2;
export const CTL_READY = 3;
/** Int32 slots of the control array. */
export const CTL_SIZE = 4;

/** A running pool: workers, control array, row ranges. */
export interface GemPool {
  /** Threads including the main one (≥ 2). */
  threads: number;
  workers: Worker[];
  /** Int32Array [CTL_SIZE] on a SharedArrayBuffer: GO and DONE counters (monotone), error flag. */
  ctl: Int32Array;
  /** Steps released so far (value of GO) and DONE count expected after the last released step. */
  go: number;
  done: number;
  /** Int32Array [threads+1]: thread i owns rows ranges[i] .. ranges[i+1]−1 (thread 0 = main). */
  ranges: Int32Array;
  /** Error messages of workers ('error' events) and the port they post failures on (read synchronously). */
  errors: string[];
  errPorts: MessagePort[];
  closed: boolean;
}

/** Message to a worker: run the row phases of one example (T steps) on `st` for rows lo..hi−1. */
export interface GemWorkerRun {
  type: 'run';
  st: RowState;
  ctl: Int32Array;
  lo: number;
  hi: number;
  T: number;
  /** Value of GO before the example's first step. */
  go0: number;
}

/** Checks the `threads` engine option: an integer from 1 to 64. */
export function checkThreads(where: string, threads: unknown): number {
  if (threads === undefined) return 1;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new Error(`${where}: threads = ${JSON.stringify(threads)}; expected an integer from 1 to 64 (1 = no worker threads)`);
  }
  return threads;
}

/**
 * Splits rows 0..L−1 into `threads` contiguous ranges of about equal cost (cost[l]: relative work of
 * row l per step). Returns Int32Array [threads+1] of boundaries.
 */
export function splitRows(cost: Float64Array, threads: number): Int32Array {
  const L = cost.length;
  let total = 0;
  for (let l = 0; l < L; l++) total += cost[l];
  const r = new Int32Array(threads + 1);
  let acc = 0;
  let i = 1;
  for (let l = 0; l < L && i < threads; l++) {
    acc += cost[l];
    while (i < threads && acc >= (total * i) / threads) r[i++] = l + 1;
  }
  while (i < threads) r[i++] = L;
  r[threads] = L;
  return r;
}

/**
 * The worker: gem-worker next to this module with this module's extension (.js when built). From the
 * TypeScript sources (tsx), a small eval'd bootstrap registers tsx's CommonJS hook in the worker first
 * (a .ts worker file is not loadable through execArgv loaders on Node 20).
 */
function workerSpec(): { code: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `gem-worker${ext}`);
  if (ext !== '.ts') return { code: file, eval: false };
  const api = require.resolve('tsx/cjs/api');
  return { code: `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(file)});`, eval: true };
}

/** Starts threads−1 workers (threads ≥ 2) with row ranges from `cost` ([L], relative work per row). */
export function createGemPool(threads: number, cost: Float64Array): GemPool {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_SIZE));
  const spec = workerSpec();
  const pool: GemPool = { threads, workers: [], ctl, go: 0, done: 0, ranges: splitRows(cost, threads), errors: [], errPorts: [], closed: false };
  for (let i = 1; i < threads; i++) {
    const chan = new MessageChannel();
    chan.port1.unref();
    pool.errPorts.push(chan.port1);
    const w = new Worker(spec.code, { eval: spec.eval, workerData: { errPort: chan.port2, ctl }, transferList: [chan.port2] });
    w.unref();
    w.on('error', (err) => {
      pool.errors.push(String(err && (err as Error).stack ? (err as Error).stack : err));
      Atomics.store(ctl, CTL_ERR, 1);
      Atomics.notify(ctl, CTL_DONE);
    });
    pool.workers.push(w);
  }
  // wait (synchronously: training blocks the event loop) until every worker has loaded
  const t0 = Date.now();
  for (;;) {
    const v = Atomics.load(ctl, CTL_READY);
    if (v >= threads - 1) break;
    if (Date.now() - t0 > 60_000) {
      void closeGemPool(pool);
      throw new Error(`createGemLearner: threads = ${threads}: the worker threads did not start within 60 s (worker ${workerSpec().code})`);
    }
    Atomics.wait(ctl, CTL_READY, v, 100);
  }
  return pool;
}

/** Sends one example's row state to every worker (before its first step). */
export function poolStartExample(pool: GemPool, st: RowState, T: number): void {
  if (pool.closed) throw new Error('gemTrainExample: the learner was disposed (disposeGemLearner); create a new one');
  // a typed array on a plain ArrayBuffer would be copied to the workers, silently losing their writes
  for (const [name, a] of Object.entries(st)) {
    if (ArrayBuffer.isView(a) && !(a.buffer instanceof SharedArrayBuffer)) throw new Error(`gemTrainExample: internal: row state field ${name} is not on a SharedArrayBuffer`);
  }
  for (let i = 1; i < pool.threads; i++) {
    const msg: GemWorkerRun = { type: 'run', st, ctl: pool.ctl, lo: pool.ranges[i], hi: pool.ranges[i + 1], T, go0: pool.go };
    pool.workers[i - 1].postMessage(msg);
  }
}

/** Barrier GO: lets the workers run the row phase of the next step. */
export function poolRelease(pool: GemPool): void {
  pool.go++;
  pool.done += pool.threads - 1;
  Atomics.store(pool.ctl, CTL_GO, pool.go);
  Atomics.notify(pool.ctl, CTL_GO);
}

/** Barrier DONE: waits until every worker finished the released step (throws if one failed or hangs). */
export function poolWait(pool: GemPool): void {
  const ctl = pool.ctl;
  const target = pool.done;
  for (let spin = 0; spin < 20000; spin++) {
    if (Atomics.load(ctl, CTL_DONE) >= target) return;
  }
  const t0 = Date.now();
  for (;;) {
    const v = Atomics.load(ctl, CTL_DONE);
    if (Atomics.load(ctl, CTL_ERR) !== 0) break;
    if (v >= target) return;
    Atomics.wait(ctl, CTL_DONE, v, 1000);
    if (Date.now() - t0 > 300_000) break;
  }
  for (const port of pool.errPorts) {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) pool.errors.push(String(m.message));
  }
  pool.closed = true;
  for (const w of pool.workers) void w.terminate();
  pool.workers = [];
  throw new Error(`gemTrainExample: a worker thread failed or stopped responding${pool.errors.length ? `: ${pool.errors.join('; ')}` : ' (no message; see stderr)'}`);
}

/** Terminates the workers (idempotent). */
export function closeGemPool(pool: GemPool): Promise<void> {
  if (pool.closed && pool.workers.length === 0) return Promise.resolve();
  pool.closed = true;
  const ws = pool.workers;
  pool.workers = [];
  for (const port of pool.errPorts) port.close();
  return Promise.all(ws.map((w) => w.terminate())).then(() => undefined);
}
