/**
 * A progress bar for notebooks, updated in place: the first draw sends display_data with a
 * transient display_id, later draws send update_display_data for the same id (tslab forwards the
 * `update` flag; JupyterLab, the classic notebook and nbclient/nbconvert all honour it, so a saved
 * notebook keeps only the final state). Outside a notebook it prints a line to stderr every ~10 %.
 */
import { inNotebook, newDisplayId, sendDisplayData } from './display';

export interface NotebookProgress {
  /** Advances by n (default 1). */
  tick(n?: number): void;
  /** Marks the end (draws the final state). */
  done(): void;
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Creates a progress display for `total` units of work (total >= 0). Draws at most ~5 times a second. */
export function notebookProgress(label: string, total: number, opts: { minIntervalMs?: number } = {}): NotebookProgress {
  if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) {
    throw new Error(`notebookProgress: total = ${String(total)}; expected a finite number >= 0`);
  }
  const minInterval = opts.minIntervalMs ?? 200;
  const start = Date.now();
  const id = newDisplayId();
  const rich = inNotebook();
  let value = 0;
  let drawn = false;
  let lastDraw = 0;
  let lastDecile = -1;
  let finished = false;
  const text = (): string => {
    const el = Date.now() - start;
    const pct = total > 0 ? Math.min(100, (100 * value) / total) : 100;
    const eta = value > 0 && value < total ? ` · ~${seconds((el * (total - value)) / value)} left` : '';
    return `${label}: ${value}/${total} (${pct.toFixed(0)} %) · ${seconds(el)}${finished ? ' · done' : eta}`;
  };
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (rich) {
      if (!force && drawn && now - lastDraw < minInterval) return;
      const t = text();
      const html = `<div style="font-family:monospace"><progress value="${Math.min(value, total)}" max="${Math.max(total, 1)}" style="width:240px;vertical-align:middle"></progress> ${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</div>`;
      sendDisplayData({ 'text/html': html, 'text/plain': t }, { displayId: id, update: drawn });
      drawn = true;
      lastDraw = now;
    } else {
      const decile = total > 0 ? Math.floor((10 * value) / total) : 10;
      if (!force && decile === lastDecile) return;
      lastDecile = decile;
      process.stderr.write(text() + '\n');
    }
  };
  draw(true);
  return {
    tick(n = 1) {
      if (finished) return;
      value += n;
      draw(false);
    },
    done() {
      if (finished) return;
      finished = true;
      value = Math.max(value, total);
      draw(true);
    },
  };
}
