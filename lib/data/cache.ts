/**
 * Preprocessed data sets cached on disk as `data/cache/<key>/`: bit-packed spikes and labels as .npy
 * (readable with numpy) and `description.json` (parameters, source, per-example files, checksums).
 * The key hashes the source fingerprint and every preprocessing parameter, so a changed parameter or
 * source never reuses a stale cache; the folder appears by one rename (atomic), and a folder whose files
 * do not match their recorded sizes and SHA-256 is reported invalid (the caller rebuilds it).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeNpyU8, encodeNpyU8 } from './npy';
import type { PreprocessParams } from './preprocess';
import type { RecordingProblem } from './recording-checks';
import { ensureDir, replaceDir } from '../util/files';

/** Version of the cache layout; part of every key (2: source fingerprint from file contents). */
export const CACHE_FORMAT = 2;

/** One split held in memory in its cached form. */
export interface PackedSplit {
  /** Uint8Array [N, T, ceil(nIn/8)]: np.packbits of the [N, T, nIn] spikes along the last axis. */
  packed: Uint8Array;
  /** Class index per example (position of its digit in `digits`), [N]. */
  labels: Uint8Array;
  /** Source file of each example, relative to the source root. */
  sources: string[];
}

/** `description.json` of a cache folder. */
export interface CacheDescription {
  format: number;
  key: string;
  /** 'real' recordings or 'emulated' ones (figures must say which). */
  kind: 'real' | 'emulated';
  /** One sentence for figure captions, e.g. "EMULATED MNIST-DVS (...)". */
  dataNote: string;
  sourceRoot: string;
  sourceFingerprint: string;
  emulator?: { seed: string; version: number };
  params: PreprocessParams;
  T: number;
  nIn: number;
  digits: number[];
  /** Files: name -> { bytes, sha256 }. */
  files: Record<string, { bytes: number; sha256: string }>;
  splits: Record<'train' | 'test', { n: number; perDigit: number[]; sources: string[] }>;
  packing: string;
  warnings: string[];
  /** Recordings left out because they are unusable (lib/data/recording-checks.ts), by reason. */
  excluded?: Partial<Record<RecordingProblem, string[]>>;
  buildSeconds: number;
  createdBy: string;
}

/** Stable JSON (sorted object keys) so equal parameter sets hash equally. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 16 hex digits of SHA-256 over the stable JSON of `parts`. */
export function cacheKey(parts: unknown): string {
  return crypto.createHash('sha256').update(stableJson({ format: CACHE_FORMAT, parts })).digest('hex').slice(0, 16);
}

/**
 * Fingerprint of the source files: SHA-256 over (relative path, SHA-256 of the content) of each, in
 * order. Contents, not modification times, so a copy or a re-emulation with equal bytes reuses the
 * cache and concurrent builders agree on one key (hashing ~80 MB of recordings takes ~0.2 s).
 */
export function sourceFingerprint(root: string, relPaths: string[]): string {
  const h = crypto.createHash('sha256');
  for (const rel of relPaths) h.update(`${rel}\0${sha256(fs.readFileSync(path.join(root, rel)))}\n`);
  return h.digest('hex');
}

function sha256(buf: Uint8Array): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * Writes a cache folder `dir` atomically: files go to `<dir>.tmp-<pid>/`, which is renamed to `dir`
 * (an invalid old folder is renamed aside first, so `dir` is never half-written). The caller holds
 * the cache lock (see prepareDataset). `desc.files` is filled in here.
 */
export function writeCache(dir: string, splits: Record<'train' | 'test', PackedSplit>, desc: Omit<CacheDescription, 'files'>): CacheDescription {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  ensureDir(tmp, 'cache folder');
  const B = (desc.nIn + 7) >> 3;
  const files: CacheDescription['files'] = {};
  for (const name of ['train', 'test'] as const) {
    const s = splits[name];
    const N = s.labels.length;
    const spikes = encodeNpyU8(s.packed, [N, desc.T, B]);
    const labels = encodeNpyU8(s.labels, [N]);
    fs.writeFileSync(path.join(tmp, `${name}_spikes.npy`), spikes);
    fs.writeFileSync(path.join(tmp, `${name}_labels.npy`), labels);
    files[`${name}_spikes.npy`] = { bytes: spikes.length, sha256: sha256(spikes) };
    files[`${name}_labels.npy`] = { bytes: labels.length, sha256: sha256(labels) };
  }
  const full: CacheDescription = { ...desc, files };
  fs.writeFileSync(path.join(tmp, 'description.json'), JSON.stringify(full, null, 1) + '\n');
  replaceDir(tmp, dir);
  return full;
}

/** Checks a cache folder: description readable, of this format and key, every file of the recorded size and hash. */
export function validateCache(dir: string, key: string): { ok: true; desc: CacheDescription } | { ok: false; reason: string } {
  const df = path.join(dir, 'description.json');
  if (!fs.existsSync(df)) return { ok: false, reason: `${df} missing` };
  let desc: CacheDescription;
  try {
    desc = JSON.parse(fs.readFileSync(df, 'utf8'));
  } catch (e) {
    return { ok: false, reason: `${df}: unreadable (${(e as Error).message})` };
  }
  if (desc.format !== CACHE_FORMAT || desc.key !== key || !desc.files) return { ok: false, reason: `${df}: format ${desc.format}/key ${desc.key}; expected ${CACHE_FORMAT}/${key}` };
  for (const [name, want] of Object.entries(desc.files)) {
    const f = path.join(dir, name);
    if (!fs.existsSync(f)) return { ok: false, reason: `${f} missing` };
    const buf = fs.readFileSync(f);
    if (buf.length !== want.bytes) return { ok: false, reason: `${f}: ${buf.length} bytes; expected ${want.bytes} (truncated?)` };
    if (sha256(buf) !== want.sha256) return { ok: false, reason: `${f}: SHA-256 differs from description.json (corrupt)` };
  }
  return { ok: true, desc };
}

/** Reads one split of a validated cache folder. */
export function readCacheSplit(dir: string, desc: CacheDescription, split: 'train' | 'test'): PackedSplit {
  const sf = path.join(dir, `${split}_spikes.npy`);
  const lf = path.join(dir, `${split}_labels.npy`);
  const s = decodeNpyU8(fs.readFileSync(sf), sf);
  const l = decodeNpyU8(fs.readFileSync(lf), lf);
  const N = desc.splits[split].n;
  const B = (desc.nIn + 7) >> 3;
  if (s.shape.join() !== [N, desc.T, B].join()) throw new Error(`${sf}: shape (${s.shape.join(', ')}); expected (${N}, ${desc.T}, ${B})`);
  if (l.shape.join() !== String(N)) throw new Error(`${lf}: shape (${l.shape.join(', ')}); expected (${N},)`);
  return { packed: s.data, labels: l.data, sources: desc.splits[split].sources };
}
