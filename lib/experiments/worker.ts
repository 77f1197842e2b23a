/**
 * Child process of the run pool: receives `{ spec, cacheDir }` messages, executes the run, stores its
 * record in the cache and answers `{ type: 'done', key }` (or `{ type: 'error', message }`). Progress
 * is sent as `{ type: 'tick', n }`, batched to a few messages a second.
 *
 * A worker never outlives its parent: it exits when the IPC channel closes and when its parent process
 * id changes (the parent was killed, even by SIGKILL). SIGINT and SIGHUP from the terminal's process
 * group are left to the parent, which stops its workers itself (SIGTERM) after cleaning up.
 */
import { executeRun, runKey, RunSpec, storeRun } from './runs';

const parent = process.ppid;

function send(msg: unknown): void {
  // A parent gone between two messages is not an error here: the watchdogs below end this process.
  if (process.send && process.connected) process.send(msg, undefined, undefined, () => undefined);
}

process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
// Polled because 'disconnect' is only seen between runs; a run is synchronous for seconds.
setInterval(() => {
  if (process.ppid !== parent || !process.connected) process.exit(0);
}, 1000).unref();

process.on('message', (msg: { spec: RunSpec; cacheDir: string }) => {
  let pending = 0;
  let last = Date.now();
  const progress = {
    tick(n = 1) {
      pending += n;
      const now = Date.now();
      if (now - last > 250) {
        // Inside a synchronous run timers cannot fire: check the parent here too.
        if (process.ppid !== parent) process.exit(0);
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
