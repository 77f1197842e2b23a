/**
 * jAER AER-DAT 2.0 files as written by the DVS128 that recorded MNIST-DVS (SPEC 4.1).
 *
 * Layout: header lines starting with `#` (each ended by `\n`, usually `\r\n`), then 8-byte events:
 * big-endian uint32 address, big-endian uint32 timestamp in microseconds. Address bits:
 * `x = 127 - ((a & 0xFE) >> 1)`, `y = (a & 0x7F00) >> 8`, `bit0 = a & 1` (bit0 = 0 is an ON event).
 *
 * The reader holds one whole file in memory (a recording is ~130 kB), never more, and checks everything
 * it can: every error names the file and the byte offset of the offending field.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../util/files';

/** Decoded events of one recording, struct-of-arrays, all of length `length`, in file order. */
export interface AedatEvents {
  /** Sensor x in [0, 127] (already mirrored: 127 - raw x). */
  x: Uint8Array;
  /** Sensor y in [0, 127]. */
  y: Uint8Array;
  /** Address bit 0: 0 = ON (brighter), 1 = OFF. */
  bit0: Uint8Array;
  /** Timestamps in microseconds, non-decreasing. */
  tUs: Uint32Array;
  length: number;
}

/** The header of an AEDAT file: its lines (without line ends) and its size in bytes. */
export interface AedatHeader {
  lines: string[];
  bytes: number;
}

/** One parsed file. */
export interface AedatFile {
  file: string;
  header: AedatHeader;
  events: AedatEvents;
}

/** An error in an AEDAT file; `file` and `offset` (bytes from the file start) are also in the message. */
export interface AedatError extends Error {
  file: string;
  offset: number;
}

/** Address bits a DVS128 polarity event may use (x: bits 1-7, y: bits 8-14, polarity: bit 0). */
export const ADDRESS_MASK = 0x7fff;
/** Sensor side in pixels. */
export const SENSOR_SIZE = 128;
/** Upper bound on header size we accept before calling the file malformed (real files: 216 bytes). */
const MAX_HEADER_BYTES = 1 << 20;

function aedatError(file: string, offset: number, what: string): AedatError {
  const err = new Error(`${file}: byte offset ${offset}: ${what}`) as AedatError;
  err.file = file;
  err.offset = offset;
  return err;
}

/** Decodes one raw 32-bit address into sensor `{x, y, bit0}` (SPEC 4.1). */
export function decodeAddress(a: number): { x: number; y: number; bit0: number } {
  return { x: 127 - ((a & 0xfe) >> 1), y: (a & 0x7f00) >> 8, bit0: a & 1 };
}

/** Encodes sensor `x, y` in [0, 127] and `bit0` (0 = ON) into the raw address; inverse of decodeAddress. */
export function encodeAddress(x: number, y: number, bit0: number): number {
  return (y << 8) | ((127 - x) << 1) | (bit0 & 1);
}

/** Allocates an empty event arrays object holding `n` events. */
export function allocEvents(n: number): AedatEvents {
  return { x: new Uint8Array(n), y: new Uint8Array(n), bit0: new Uint8Array(n), tUs: new Uint32Array(n), length: n };
}

/**
 * Finds the header of `buf`: the run of lines starting with `#` at the top. The first line must be
 * `#!AER-DAT2.0` (other versions are rejected). Returns the lines and the byte size.
 */
export function parseAedatHeader(buf: Uint8Array, file: string): AedatHeader {
  if (buf.length === 0) throw aedatError(file, 0, 'empty file (0 bytes); expected an AER-DAT2.0 header then 8-byte events');
  if (buf[0] !== 0x23) {
    throw aedatError(file, 0, `no header: first byte is 0x${buf[0].toString(16).padStart(2, '0')}; expected '#' starting '#!AER-DAT2.0'`);
  }
  const lines: string[] = [];
  let off = 0;
  while (off < buf.length && buf[off] === 0x23) {
    const nl = buf.indexOf(0x0a, off);
    if (nl < 0) throw aedatError(file, off, `header line not terminated by a newline before the end of the file (${buf.length} bytes)`);
    let end = nl;
    if (end > off && buf[end - 1] === 0x0d) end--;
    lines.push(Buffer.from(buf.buffer, buf.byteOffset + off, end - off).toString('latin1'));
    off = nl + 1;
    if (off > MAX_HEADER_BYTES) throw aedatError(file, off, `header longer than ${MAX_HEADER_BYTES} bytes; not an AEDAT file?`);
  }
  const first = lines[0];
  if (!first.startsWith('#!AER-DAT')) {
    throw aedatError(file, 0, `first header line is ${JSON.stringify(first.slice(0, 40))}; expected '#!AER-DAT2.0'`);
  }
  const version = first.slice('#!AER-DAT'.length).trim();
  if (version !== '2.0') {
    throw aedatError(file, 0, `AER-DAT version ${JSON.stringify(version)}; only 2.0 (32-bit address, 32-bit timestamp) is supported`);
  }
  return { lines, bytes: off };
}

/**
 * Parses a whole AEDAT 2.0 file held in `buf` (`file` names it in errors). Throws, naming the byte
 * offset, on: empty file, missing/other-version header, a body whose length is not a multiple of 8,
 * an address with bits outside the 128 x 128 polarity layout (`a & ~0x7FFF`), a timestamp smaller than
 * the previous one.
 */
export function parseAedat(buf: Uint8Array, file: string): AedatFile {
  const header = parseAedatHeader(buf, file);
  const bodyBytes = buf.length - header.bytes;
  if (bodyBytes % 8 !== 0) {
    const lastFull = header.bytes + bodyBytes - (bodyBytes % 8);
    throw aedatError(
      file,
      lastFull,
      `truncated: body of ${bodyBytes} bytes after the ${header.bytes}-byte header is not a multiple of 8 ` +
        `(${bodyBytes % 8} stray bytes at the end; incomplete download?)`,
    );
  }
  const n = bodyBytes / 8;
  const ev = allocEvents(n);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let prevT = 0;
  for (let i = 0, off = header.bytes; i < n; i++, off += 8) {
    const a = dv.getUint32(off, false);
    const t = dv.getUint32(off + 4, false);
    if ((a & ~ADDRESS_MASK) !== 0) {
      throw aedatError(
        file,
        off,
        `event ${i}: address 0x${(a >>> 0).toString(16)} has bits outside the 128 x 128 sensor layout (mask 0x7fff)`,
      );
    }
    if (t < prevT) {
      throw aedatError(file, off + 4, `event ${i}: timestamp ${t} us goes backwards (previous event at ${prevT} us)`);
    }
    prevT = t;
    ev.x[i] = 127 - ((a & 0xfe) >> 1);
    ev.y[i] = (a & 0x7f00) >> 8;
    ev.bit0[i] = a & 1;
    ev.tUs[i] = t;
  }
  return { file, header, events: ev };
}

/** Reads and parses one AEDAT 2.0 file from disk (see parseAedat). Memory: the file plus 11 bytes/event. */
export function readAedat(file: string): AedatFile {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw aedatError(file, 0, 'file not found');
    if (code === 'EISDIR') throw aedatError(file, 0, 'is a directory; expected an .aedat file');
    throw aedatError(file, 0, `cannot read: ${(e as Error).message}`);
  }
  return parseAedat(buf, file);
}

/** Default header lines for files this library writes (`extra` lines are appended, each prefixed by '# '). */
export function defaultAedatHeader(extra: string[] = []): string[] {
  return [
    '#!AER-DAT2.0',
    '# This is a raw AE data file - do not edit',
    '# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event',
    '# Timestamps tick is 1 us',
    ...extra.map((l) => `# ${l.replace(/[\r\n]+/g, ' ')}`),
  ];
}

/**
 * Serialises events into AEDAT 2.0 bytes (header lines joined by `\r\n`, events big-endian).
 * Validates coordinates in [0, 127], bit0 in {0, 1} and non-decreasing timestamps before writing.
 */
export function encodeAedat(ev: AedatEvents, headerLines: string[] = defaultAedatHeader()): Buffer {
  if (headerLines.length === 0 || headerLines[0] !== '#!AER-DAT2.0') {
    throw new Error(`encodeAedat: headerLines[0] = ${JSON.stringify(headerLines[0])}; expected '#!AER-DAT2.0'`);
  }
  for (const l of headerLines) {
    if (!l.startsWith('#') || /[\r\n]/.test(l)) {
      throw new Error(`encodeAedat: header line ${JSON.stringify(l)}; expected one line starting with '#'`);
    }
  }
  const head = Buffer.from(headerLines.map((l) => l + '\r\n').join(''), 'latin1');
  const out = Buffer.alloc(head.length + 8 * ev.length);
  head.copy(out, 0);
  let prevT = 0;
  for (let i = 0, off = head.length; i < ev.length; i++, off += 8) {
    const x = ev.x[i], y = ev.y[i], b = ev.bit0[i], t = ev.tUs[i];
    if (x > 127 || y > 127 || b > 1) throw new Error(`encodeAedat: event ${i} = (x ${x}, y ${y}, bit0 ${b}); expected x, y in [0, 127], bit0 in {0, 1}`);
    if (t < prevT) throw new Error(`encodeAedat: event ${i} timestamp ${t} us < previous ${prevT} us; expected non-decreasing`);
    prevT = t;
    out.writeUInt32BE(encodeAddress(x, y, b), off);
    out.writeUInt32BE(t, off + 4);
  }
  return out;
}

/** Writes `ev` to `file` atomically (temporary file then rename), creating parent folders. */
export function writeAedat(file: string, ev: AedatEvents, headerLines?: string[]): void {
  writeFileAtomic(file, encodeAedat(ev, headerLines));
}
