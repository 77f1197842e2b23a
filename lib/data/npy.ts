/**
 * NumPy `.npy` (format 1.0) for uint8 arrays, so caches open with `np.load` in Python, and bit packing
 * that matches `np.packbits(a, axis=-1)` / `np.unpackbits(p, axis=-1, count=n)` (bitorder 'big').
 */

/**
 * The .npy (1.0) header of a C-order uint8 array of `shape`: the data bytes follow it. `length` pads it to
 * that many bytes (a multiple of 64), so a header written before the count was known can be rewritten
 * in place.
 */
export function npyHeaderU8(shape: number[], length = 0): Buffer {
  const shp = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '|u1', 'fortran_order': False, 'shape': ${shp}, }`;
  // Magic (6) + version (2) + header length (2) + dict + '\n' must be a multiple of 64.
  let pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
  if (length > 0) {
    if (length % 64 !== 0 || length < 10 + dict.length + 1) throw new Error(`npyHeaderU8: length = ${length}; expected a multiple of 64 of at least ${10 + dict.length + 1}`);
    pad = length - (10 + dict.length + 1);
  }
  dict = dict + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

/** Serialises a C-order uint8 array of `shape` into .npy bytes. */
export function encodeNpyU8(data: Uint8Array, shape: number[]): Buffer {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`encodeNpyU8: data.length = ${data.length}; expected product of shape ${JSON.stringify(shape)} = ${size}`);
  return Buffer.concat([npyHeaderU8(shape), data]);
}

/** Parses .npy bytes holding a C-order uint8 array; throws naming `file` on anything else or a size mismatch. */
export function decodeNpyU8(buf: Uint8Array, file: string): { data: Uint8Array; shape: number[] } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: byte offset 0: not a .npy file (bad magic)`);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (b.length < start + hlen) throw new Error(`${file}: byte offset ${start}: header of ${hlen} bytes runs past the end (${b.length} bytes)`);
  const dict = b.toString('latin1', start, start + hlen);
  if (!/'descr':\s*'\|u1'/.test(dict) || !/'fortran_order':\s*False/.test(dict)) {
    throw new Error(`${file}: byte offset ${start}: header ${dict.trim()}; expected a C-order uint8 ('|u1') array`);
  }
  const m = /'shape':\s*\(([^)]*)\)/.exec(dict);
  if (!m) throw new Error(`${file}: byte offset ${start}: no shape in header ${dict.trim()}`);
  const shape = m[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const size = shape.reduce((a, c) => a * c, 1);
  const off = start + hlen;
  if (b.length - off !== size) {
    throw new Error(`${file}: byte offset ${off}: ${b.length - off} data bytes; expected ${size} for shape (${shape.join(', ')}) (truncated?)`);
  }
  return { data: new Uint8Array(b.buffer, b.byteOffset + off, size), shape };
}

/** Bytes per packed row of `n` bits. */
export function packedWidth(n: number): number {
  return (n + 7) >> 3;
}

/** Packs `rows` rows of `n` 0/1 values (row-major `src`) into `dst` at `dstOff`, MSB first (np.packbits). */
export function packRows(src: Uint8Array, rows: number, n: number, dst: Uint8Array, dstOff: number): void {
  const w = packedWidth(n);
  for (let r = 0; r < rows; r++) {
    const so = r * n, d0 = dstOff + r * w;
    for (let j = 0; j < w; j++) dst[d0 + j] = 0;
    for (let i = 0; i < n; i++) if (src[so + i]) dst[d0 + (i >> 3)] |= 0x80 >> (i & 7);
  }
}

/** Inverse of packRows: unpacks `rows` packed rows at `srcOff` into a 0/1 Uint8Array [rows, n]. */
export function unpackRows(src: Uint8Array, srcOff: number, rows: number, n: number, out = new Uint8Array(rows * n)): Uint8Array {
  const w = packedWidth(n);
  for (let r = 0; r < rows; r++) {
    const s0 = srcOff + r * w, o = r * n;
    for (let i = 0; i < n; i++) out[o + i] = (src[s0 + (i >> 3)] >> (7 - (i & 7))) & 1;
  }
  return out;
}
