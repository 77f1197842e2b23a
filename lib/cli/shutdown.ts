/**
 * Clean shutdown of long commands on SIGINT, SIGTERM and SIGHUP: the first signal runs the command's
 * cleanup (stop workers, close the browser, remove temporary folders), prints one line saying what was
 * kept, and exits with 128 + the signal number (130, 143, 129), as shells expect. A second signal
 * during cleanup exits at once.
 */

/** Exit status for each handled signal: 128 + its number. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** What a command gives the shutdown handler. */
export interface ShutdownHooks {
  /** Stops everything the command started; awaited (bounded by `timeoutMs`). */
  cleanup: () => Promise<void>;
  /** The one line printed after cleanup, e.g. "kept 12 finished runs in results/.cache/runs". */
  kept: () => string;
  /** Longest wait for cleanup before exiting anyway (default 10000 ms). */
  timeoutMs?: number;
}

/**
 * Installs the handlers; returns a function that removes them (call it when the command ends
 * normally, so in-process callers such as tests keep their own signal behaviour).
 */
export function installShutdown(name: string, hooks: ShutdownHooks): () => void {
  let busy = false;
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]) {
    const h = (): void => {
      const code = SIGNAL_EXIT[sig];
      if (busy) process.exit(code);
      busy = true;
      const timer = setTimeout(() => {
        process.stderr.write(`\n${name}: ${sig}: cleanup took longer than ${hooks.timeoutMs ?? 10000} ms; exiting\n`);
        process.exit(code);
      }, hooks.timeoutMs ?? 10000);
      hooks.cleanup().catch((e: unknown) => {
        process.stderr.write(`${name}: cleanup after ${sig}: ${e instanceof Error ? e.message : String(e)}\n`);
      }).finally(() => {
        clearTimeout(timer);
        let line: string;
        try {
          line = hooks.kept();
        } catch (e) {
          line = `could not list what was kept (${(e as Error).message})`;
        }
        process.stderr.write(`\n${name}: stopped by ${sig}; ${line}\n`);
        process.exit(code);
      });
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  return () => {
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  };
}
