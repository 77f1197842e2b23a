/**
 * Event images and a minimal PNG encoder (RGB, 8 bit, via node:zlib) for the data documentation.
 */
import * as zlib from 'node:zlib';
import type { AedatEvents } from './aedat';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes `rgb` (Uint8Array [height, width, 3] row-major) as PNG bytes. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`encodePng: rgb.length = ${rgb.length}; expected ${width * height * 3}`);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Event image of a sensor window: RGB Uint8Array [side*zoom, side*zoom, 3], ON counts in red, OFF in blue
 * (square-root scaled to `maxCount`), y up (row 0 = highest y), window `x0..x0+side-1`, `y0..y0+side-1`.
 */
export function eventImage(ev: AedatEvents, x0: number, y0: number, side: number, zoom: number, maxCount = 30, tMaxUs = Infinity): Uint8Array {
  const on = new Float32Array(side * side), off = new Float32Array(side * side);
  for (let i = 0; i < ev.length; i++) {
    if (ev.tUs[i] >= tMaxUs) break;
    const x = ev.x[i] - x0, y = ev.y[i] - y0;
    if (x < 0 || y < 0 || x >= side || y >= side) continue;
    (ev.bit0[i] === 0 ? on : off)[(side - 1 - y) * side + x]++;
  }
  const W = side * zoom;
  const out = new Uint8Array(W * W * 3).fill(255);
  for (let r = 0; r < W; r++)
    for (let c = 0; c < W; c++) {
      const k = Math.floor(r / zoom) * side + Math.floor(c / zoom);
      const a = Math.min(1, Math.sqrt(on[k] / maxCount)), b = Math.min(1, Math.sqrt(off[k] / maxCount));
      const o = (r * W + c) * 3;
      out[o] = Math.round(255 * (1 - b)); out[o + 1] = Math.round(255 * (1 - Math.max(a, b))); out[o + 2] = Math.round(255 * (1 - a));
    }
  return out;
}

/** Places RGB images of equal height side by side with a `gap`-pixel white margin. */
export function sideBySide(images: { rgb: Uint8Array; width: number }[], height: number, gap = 8): { rgb: Uint8Array; width: number; height: number } {
  const width = images.reduce((s, im) => s + im.width, 0) + gap * (images.length + 1);
  const H = height + 2 * gap;
  const out = new Uint8Array(width * H * 3).fill(255);
  let x = gap;
  for (const im of images) {
    for (let r = 0; r < height; r++) out.set(im.rgb.subarray(r * im.width * 3, (r + 1) * im.width * 3), ((r + gap) * width + x) * 3);
    x += im.width + gap;
  }
  return { rgb: out, width, height: H };
}
