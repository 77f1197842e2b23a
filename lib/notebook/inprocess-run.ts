/**
 * Child-process entry of the in-process notebook engine (used when no Jupyter is installed):
 * runs a notebook's code cells with tslab's own TypeScript converter and executor, in this process,
 * with the notebook's folder as root, and writes the executed notebook plus a JSON result.
 * Display data is captured by installing our own `lastWriteDisplayData` in tslab's jupyter module, the
 * same hook the kernel sets, so gem-snn's showFigure/showTable/progress behave as in the kernel.
 * argv: <src.ipynb> <out.ipynb> <result.json> <timeoutSec>
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { format } from 'node:util';

interface Output {
  output_type: string;
  [k: string]: unknown;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const [src, out, resultFile, timeoutArg] = process.argv.slice(2);
  const timeoutMs = Number(timeoutArg) * 1000;
  const nb = JSON.parse(fs.readFileSync(src, 'utf8')) as { cells: Cell[]; metadata: Record<string, unknown> };
  const root = path.dirname(path.resolve(src));
  process.chdir(root);
  // The tslab the kernel would use: resolved from the notebook's folder.
  const req = createRequire(path.join(root, 'notebook.js'));
  const { createConverter } = req('tslab/dist/converter') as { createConverter(o: { isJS: boolean; isBrowser: boolean }): { close(): void } };
  const { createExecutor } = req('tslab/dist/executor') as {
    createExecutor(root: string, convs: unknown, c: { log(...a: unknown[]): void; error(...a: unknown[]): void }): { execute(src: string): Promise<boolean>; close(): void };
  };
  const jupyter = req('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
  let node: { close(): void } | null = null;
  let browser: { close(): void } | null = null;
  const convs = {
    get node() { return (node ??= createConverter({ isJS: false, isBrowser: false })); },
    get browser() { return (browser ??= createConverter({ isJS: false, isBrowser: true })); },
    close() { node?.close(); browser?.close(); },
  };

  let outputs: Output[] = [];
  const byDisplayId = new Map<string, Output>();
  const stream = (name: 'stdout' | 'stderr', text: string): void => {
    const last = outputs[outputs.length - 1];
    if (last && last.output_type === 'stream' && last.name === name) last.text = String(last.text) + text;
    else outputs.push({ output_type: 'stream', name, text });
  };
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => { stream('stdout', typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stream('stderr', typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()); return true; }) as typeof process.stderr.write;
  const executor = createExecutor(root, convs, {
    log: (...a: unknown[]) => stream('stdout', format(...a) + '\n'),
    error: (...a: unknown[]) => stream('stderr', format(...a) + '\n'),
  });
  jupyter.lastWriteDisplayData = (content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => {
    const id = content.transient?.display_id;
    if (update && id && byDisplayId.has(id)) {
      const o = byDisplayId.get(id) as Output;
      o.data = content.data;
      o.metadata = content.metadata;
      return;
    }
    const o: Output = { output_type: 'display_data', data: content.data, metadata: content.metadata };
    outputs.push(o);
    if (id) byDisplayId.set(id, o);
  };

  let result: Record<string, unknown> = { ok: true };
  let count = 0;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i];
    if (cell.cell_type !== 'code') continue;
    count++;
    outputs = [];
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const ok = await Promise.race([executor.execute(source), timeout]);
    clearTimeout(timer);
    cell.outputs = outputs;
    cell.execution_count = count;
    // The classic notebook folds tall outputs into a small scroll box unless scrolled is false.
    if (outputs.some((o) => o.data && typeof o.data === 'object' && ('image/png' in o.data || 'application/vnd.plotly.v1+json' in o.data))) {
      cell.metadata = { ...(cell.metadata ?? {}), scrolled: false };
    }
    if (ok !== true) {
      const stderr = outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => String(o.text)).join('');
      result = { ok: false, cellIndex: i, codeCell: count, source, kind: ok === 'timeout' ? 'timeout' : 'cell-error', message: ok === 'timeout' ? `no result after ${timeoutArg} s` : stderr.trim() };
      break;
    }
  }
  process.stdout.write = origOut;
  process.stderr.write = origErr;
  // What the tslab kernel reports in kernel_info, as the Jupyter engine writes it.
  const { JupyterHandlerImpl } = jupyter as unknown as { JupyterHandlerImpl: new (e: unknown, js: boolean) => { handleKernel(): { language_info: unknown } } };
  nb.metadata.language_info = new JupyterHandlerImpl(null, false).handleKernel().language_info;
  fs.writeFileSync(out, JSON.stringify(nb, null, 1) + '\n');
  fs.writeFileSync(resultFile, JSON.stringify(result));
  executor.close();
  // Open handles (e.g. a shared Chromium closing on its idle timer) must not keep us alive.
  process.exit(0);
}

main().catch((err: unknown) => {
  const resultFile = process.argv[4];
  try {
    fs.writeFileSync(resultFile, JSON.stringify({ ok: false, cellIndex: -1, codeCell: 0, source: '', kind: 'runner', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
  } catch {
    // nothing more we can do; the parent reports the missing result
  }
  process.exit(1);
});
