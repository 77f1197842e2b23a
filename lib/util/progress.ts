/**
 * A tiny progress bar for long command-line work, on stderr. Draws in place when stderr is a TTY;
 * otherwise prints one line about every 10 % (logs stay readable in CI).
 */

/** A progress reporter: `tick(n)` adds n (default 1) done items, `done()` finishes the line. */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

/** Creates a progress bar named `label` for `total` items (rate shown in items/s). */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const t0 = Date.now();
  let n = 0;
  let lastDraw = 0;
  let lastDecile = -1;
  const line = (): string => {
    const s = (Date.now() - t0) / 1000;
    const frac = total > 0 ? Math.min(1, n / total) : 1;
    const rate = s > 0 ? n / s : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    return `${label} [${bar}] ${n}/${total} ${(100 * frac).toFixed(0)}% ${rate.toFixed(1)}/s ${s.toFixed(1)}s`;
  };
  return {
    tick(k = 1) {
      n += k;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw > 100 || n >= total) {
          stream.write(`\r${line()}`);
          lastDraw = now;
        }
      } else {
        const decile = total > 0 ? Math.floor((10 * n) / total) : 10;
        if (decile > lastDecile) {
          lastDecile = decile;
          stream.write(line() + '\n');
        }
      }
    },
    done() {
      if (tty) stream.write(`\r${line()}\n`);
      else if (lastDecile < 10) stream.write(line() + '\n');
    },
  };
}

/** A Progress that reports nothing (library calls without a terminal). */
export const silentProgress: Progress = { tick() {}, done() {} };
