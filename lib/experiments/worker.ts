/**
 * Child process of the run pool: receives `{ spec, cacheDir }` messages, executes the run, stores its
 * record in the cache and answers `{ type: 'done', key }` (or `{ type: 'error', message }`). Progress
 * is sent as `{ type: 'tick', n }`, batched to a few messages a second.
 */
import { executeRun, runKey, RunSpec, storeRun } from './runs';

function send(msg: unknown): void {
  if (process.send) process.send(msg);
}

process.on('message', (msg: { spec: RunSpec; cacheDir: string }) => {
  let pending = 0;
  let last = Date.now();
  const progress = {
    tick(n = 1) {
      pending += n;
      const now = Date.now();
      if (now - last > 250) {
        send({ type: 'tick', n: pending });
        pending = 0;
        last = now;
      }
    },
    done() {},
  };
  executeRun(msg.spec, progress, msg.cacheDir).then(
    (record) => {
      storeRun(msg.spec, record, msg.cacheDir);
      if (pending) send({ type: 'tick', n: pending });
      send({ type: 'done', key: runKey(msg.spec) });
    },
    (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
