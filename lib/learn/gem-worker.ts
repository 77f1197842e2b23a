/**
 * Worker thread of the GEM-SNN learner (gem-threads.ts): for each example message, runs the row phase
 * (gem-rows.ts rowsStep) of its rows at every step, between the GO and DONE barriers.
 */
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { rowsStep } from './gem-rows';
import { CTL_DONE, CTL_ERR, CTL_GO, CTL_READY, GemWorkerRun } from './gem-threads';

function waitGo(ctl: Int32Array, target: number): void {
  for (let spin = 0; spin < 20000; spin++) if (Atomics.load(ctl, CTL_GO) >= target) return;
  for (;;) {
    const v = Atomics.load(ctl, CTL_GO);
    if (v >= target) return;
    Atomics.wait(ctl, CTL_GO, v, 1000);
  }
}

let ua = new Float64Array(0);

if (parentPort) {
  const port = parentPort;
  const ready = (workerData as { ctl: Int32Array }).ctl;
  Atomics.add(ready, CTL_READY, 1);
  Atomics.notify(ready, CTL_READY);
  port.on('message', (msg: GemWorkerRun) => {
    if (!msg || msg.type !== 'run') return;
    const { st, ctl, lo, hi, T, go0 } = msg;
    try {
      if (ua.length < Math.max(st.L * st.Ka, st.K)) ua = new Float64Array(Math.max(st.L * st.Ka, st.K));
      for (let t = 0; t < T; t++) {
        waitGo(ctl, go0 + t + 1);
        rowsStep(st, lo, hi, t, T, ua);
        Atomics.add(ctl, CTL_DONE, 1);
        Atomics.notify(ctl, CTL_DONE);
      }
    } catch (err) {
      (workerData as { errPort: MessagePort }).errPort.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
      Atomics.store(ctl, CTL_ERR, 1);
      Atomics.notify(ctl, CTL_DONE);
    }
  });
}
