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
import { configHash } from '../util/canonical-json';
import { decodeNpyU8, encodeNpyU8, npyHeaderU8 } from './npy';
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

/** 16 hex digits of SHA-256 over the canonical JSON of `parts` and the cache format. */
export function cacheKey(parts: unknown): string {
  return configHash({ format: CACHE_FORMAT, parts });
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

/** SHA-256 of a file read in 1 MB pieces (memory does not grow with the file). */
function sha256File(file: string): string {
  const h = crypto.createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** Streams a cache folder to disk, one example at a time (memory does not grow with the data set). */
export interface CacheWriter {
  /** Appends one example of `split`: packed rows [T, ceil(nIn/8)] and its class index. */
  add(split: 'train' | 'test', packed: Uint8Array, label: number): void;
  /** Writes labels and description.json, then puts the folder in place; returns the description. */
  finish(desc: Omit<CacheDescription, 'files'>): CacheDescription;
  /** Closes the files and removes the half-written folder (after an error). */
  abort(): void;
}

/**
 * Opens a cache folder `dir` for writing at most `maxN[split]` examples of [T, nIn] per split. Files go
 * to `<dir>.tmp-<pid>/`, which `finish` renames to `dir` (an invalid old folder is renamed aside first,
 * so `dir` is never half-written). The caller holds the cache lock (see prepareDataset). The spikes
 * header is written first for `maxN` and rewritten in place with the count kept.
 */
export function openCacheWriter(dir: string, T: number, nIn: number, maxN: Record<'train' | 'test', number>): CacheWriter {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  ensureDir(tmp, 'cache folder');
  const B = (nIn + 7) >> 3;
  const open = (split: 'train' | 'test') => {
    const header = npyHeaderU8([maxN[split], T, B]);
    const fd = fs.openSync(path.join(tmp, `${split}_spikes.npy`), 'w');
    fs.writeSync(fd, header);
    return { fd, headerLength: header.length, labels: new Uint8Array(maxN[split]), n: 0 };
  };
  const out = { train: open('train'), test: open('test') };
  const close = () => {
    for (const o of Object.values(out)) if (o.fd >= 0) (fs.closeSync(o.fd), (o.fd = -1));
  };
  return {
    add(split, packed, label) {
      const o = out[split];
      if (o.n >= maxN[split]) throw new Error(`cache writer: more than ${maxN[split]} ${split} examples`);
      if (packed.length !== T * B) throw new Error(`cache writer: ${split} example ${o.n} has ${packed.length} bytes; expected T × ceil(nIn/8) = ${T * B}`);
      fs.writeSync(o.fd, packed);
      o.labels[o.n++] = label;
    },
    finish(desc) {
      const files: CacheDescription['files'] = {};
      for (const split of ['train', 'test'] as const) {
        const o = out[split];
        if (desc.splits[split].n !== o.n) throw new Error(`cache writer: ${o.n} ${split} examples written; the description says ${desc.splits[split].n}`);
        fs.writeSync(o.fd, npyHeaderU8([o.n, T, B], o.headerLength), 0, o.headerLength, 0);
        fs.closeSync(o.fd);
        o.fd = -1;
        const sf = path.join(tmp, `${split}_spikes.npy`);
        const labels = encodeNpyU8(o.labels.subarray(0, o.n), [o.n]);
        fs.writeFileSync(path.join(tmp, `${split}_labels.npy`), labels);
        files[`${split}_spikes.npy`] = { bytes: fs.statSync(sf).size, sha256: sha256File(sf) };
        files[`${split}_labels.npy`] = { bytes: labels.length, sha256: sha256(labels) };
      }
      const full: CacheDescription = { ...desc, files };
      fs.writeFileSync(path.join(tmp, 'description.json'), JSON.stringify(full, null, 1) + '\n');
      replaceDir(tmp, dir);
      return full;
    },
    abort() {
      close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
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
    const size = fs.statSync(f).size;
    if (size !== want.bytes) return { ok: false, reason: `${f}: ${size} bytes; expected ${want.bytes} (truncated?)` };
    if (sha256File(f) !== want.sha256) return { ok: false, reason: `${f}: SHA-256 differs from description.json (corrupt)` };
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
