/**
 * plotly.js as shipped to pages that are not served by us: HTML figure files share one copy on disk,
 * and a notebook embeds it once (gzip + base64) so a trusted notebook draws interactive figures offline.
 * The bundle of plotly.js-dist is 11 MB unminified; when esbuild is installed (it comes with tsx, a dev
 * dependency) it is minified to ~4.9 MB once and cached under node_modules/.cache/gem-snn/.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../util/files';
import { plotlyJsPath } from './html';

let minified: string | null = null;
let gzipped: { base64: string; sha: string } | null = null;

function plotlyVersion(): string {
  const m = /plotly\.js v([0-9][^\s*]*)/.exec(fs.readFileSync(plotlyJsPath(), 'utf8').slice(0, 200));
  return m ? m[1] : 'unknown';
}

function cacheFile(name: string): string {
  return path.join(path.dirname(plotlyJsPath()), '..', '.cache', 'gem-snn', name);
}

type Esbuild = { version: string; transformSync(src: string, o: Record<string, unknown>): { code: string } };

/**
 * The plotly.js source, minified when esbuild can be loaded (result cached on disk, ~10 s the first
 * time), else the package's file as is. Same bytes on every call for the same installed versions.
 */
export function plotlyBundle(): string {
  if (minified !== null) return minified;
  let esbuild: Esbuild | null = null;
  try {
    esbuild = require('esbuild') as Esbuild;
  } catch {
    esbuild = null;
  }
  const full = fs.readFileSync(plotlyJsPath(), 'utf8');
  if (!esbuild) return (minified = full);
  const cached = cacheFile(`plotly-${plotlyVersion()}-esbuild-${esbuild.version}.min.js`);
  if (fs.existsSync(cached)) return (minified = fs.readFileSync(cached, 'utf8'));
  const header = full.slice(0, full.indexOf('*/') + 2) + '\n';
  minified = header + esbuild.transformSync(full, { minify: true, legalComments: 'none' }).code;
  try {
    writeFileAtomic(cached, minified);
  } catch {
    // read-only node_modules: keep it in memory only
  }
  return minified;
}

/** The bundle gzipped (level 9) and base64-encoded, plus the first 12 hex digits of its SHA-256. */
export function plotlyGzipBase64(): { base64: string; sha: string } {
  if (gzipped) return gzipped;
  const src = plotlyBundle();
  gzipped = {
    base64: gzipSync(Buffer.from(src, 'utf8'), { level: 9 }).toString('base64'),
    sha: createHash('sha256').update(src).digest('hex').slice(0, 12),
  };
  return gzipped;
}

/**
 * Writes the bundle to `file` unless it already holds exactly these bytes (so reruns do not touch it).
 * Returns `file`.
 */
export function writePlotlyBundle(file: string): string {
  const src = plotlyBundle();
  if (fs.existsSync(file) && fs.statSync(file).size === Buffer.byteLength(src) && fs.readFileSync(file, 'utf8') === src) return file;
  writeFileAtomic(file, src);
  return file;
}
