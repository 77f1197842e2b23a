/**
 * Rich output from inside a tslab notebook kernel.
 *
 * tslab's public `display` API (tslab/dist/public.js) sends ONE mime type per display_data message
 * (`display.png(...)`, `display.html(...)`, `display.raw(type, payload)`). Underneath, every call goes
 * through `lastWriteDisplayData(content, update)`, exported by tslab/dist/jupyter.js and set by the
 * kernel before each cell runs; it publishes `content` ({ data, metadata, transient }) verbatim as a
 * `display_data` (or `update_display_data` when `update` is true) message on the IOPub channel. We call
 * that function directly to send multi-mime bundles and in-place updates (transient.display_id).
 */
import { randomBytes } from 'node:crypto';
import { markdownToHtml } from './markdown';

/** A Jupyter mime bundle: mime type -> payload (string, base64 for binary, or JSON for +json types). */
export type MimeBundle = Record<string, unknown>;

/** The content of a display_data message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

/**
 * Finds tslab's current display writer among the modules already loaded (the kernel loaded them), so
 * nothing heavy (tslab pulls in TypeScript) is loaded outside a notebook.
 */
function tslabWriter(): WriteDisplayData | null {
  for (const [id, mod] of Object.entries(require.cache)) {
    if (!mod || !/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(id)) continue;
    const w = (mod.exports as { lastWriteDisplayData?: unknown }).lastWriteDisplayData;
    if (typeof w === 'function') return w as WriteDisplayData;
  }
  return null;
}

/** True inside a tslab kernel (or the in-process executor) that accepts display data. */
export function inNotebook(): boolean {
  return tslabWriter() !== null;
}

/** A fresh display id for displays updated in place. */
export function newDisplayId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Publishes a mime bundle as one display (`update` = replace the display with the same `displayId`).
 * Returns false (and prints the text/plain part to stdout) outside a notebook kernel.
 */
export function sendDisplayData(
  data: MimeBundle,
  opts: { metadata?: Record<string, unknown>; displayId?: string; update?: boolean } = {},
): boolean {
  if (!data || typeof data !== 'object' || Object.keys(data).length === 0) {
    throw new Error(`notebook/display: data = ${JSON.stringify(data)}; expected a non-empty mime bundle`);
  }
  if (opts.update && !opts.displayId) throw new Error('notebook/display: update = true needs a displayId');
  const write = tslabWriter();
  if (!write) {
    if (!opts.update && typeof data['text/plain'] === 'string') console.log(data['text/plain']);
    return false;
  }
  const content: DisplayContent = { data, metadata: opts.metadata ?? {} };
  if (opts.displayId) content.transient = { display_id: opts.displayId };
  write(content, Boolean(opts.update));
  return true;
}

/** Shows an HTML fragment (with a plain-text alternative for consoles). */
export function showHtml(html: string, text = '[HTML output]'): boolean {
  return sendDisplayData({ 'text/html': html, 'text/plain': text });
}

/**
 * Shows Markdown, with an HTML rendering too (tables, emphasis, code) so an untrusted notebook or a
 * viewer that skips text/markdown still shows it formatted.
 */
export function showMarkdown(md: string): boolean {
  return sendDisplayData({ 'text/html': markdownToHtml(md), 'text/markdown': md, 'text/plain': md });
}
