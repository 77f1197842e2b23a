// AEDAT reader/writer: round trip, every kind of bad input (error names file and byte offset), fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAedat, readAedat, encodeAedat, writeAedat, allocEvents, encodeAddress, decodeAddress } from '../../lib/data/aedat';
import { makeRng } from '../../lib/util/rng';

const FIX = path.join(__dirname, '..', 'fixtures', 'mnist-dvs', 'mnist_0_scale04_0001.aedat');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-aedat-'));

function throwsAt(fn: () => unknown, file: string, offset: number, words: RegExp): void {
  assert.throws(fn, (e: Error & { offset?: number; file?: string }) => {
    assert.ok(e.message.includes(file), `message names the file: ${e.message}`);
    assert.ok(e.message.includes(`byte offset ${offset}`), `message names offset ${offset}: ${e.message}`);
    assert.equal(e.offset, offset);
    assert.match(e.message, words);
    return true;
  });
}

test('address encoding is the inverse of SPEC 4.1 decoding', () => {
  for (const [x, y, b] of [[0, 0, 0], [127, 127, 1], [55, 67, 0], [3, 120, 1]]) {
    const a = encodeAddress(x, y, b);
    assert.deepEqual(decodeAddress(a), { x, y, bit0: b });
    assert.equal(a & ~0x7fff, 0);
  }
  // SPEC formula on a raw address from the real file: 0x4390 -> x = 127 - 0x48 = 55, y = 0x43 = 67, ON.
  assert.deepEqual(decodeAddress(0x4390), { x: 55, y: 67, bit0: 0 });
});

test('write then read reproduces the real file byte for byte', () => {
  const f = readAedat(FIX);
  const out = path.join(tmp, 'copy.aedat');
  writeAedat(out, f.events, f.header.lines);
  assert.deepEqual(fs.readFileSync(out), fs.readFileSync(FIX));
  assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.includes('.tmp-')), []);
});

test('bad input: missing file, folder, empty, no header, other version, unterminated header', () => {
  throwsAt(() => readAedat(path.join(tmp, 'nope.aedat')), 'nope.aedat', 0, /not found/);
  throwsAt(() => readAedat(tmp), tmp, 0, /directory/);
  throwsAt(() => parseAedat(new Uint8Array(0), 'empty.aedat'), 'empty.aedat', 0, /empty/);
  throwsAt(() => parseAedat(Buffer.from([0, 0, 0x43, 0x90, 0, 0, 0, 0]), 'nohdr.aedat'), 'nohdr.aedat', 0, /no header/);
  throwsAt(() => parseAedat(Buffer.from('#!AER-DAT3.1\r\n'), 'v3.aedat'), 'v3.aedat', 0, /version "3.1"/);
  throwsAt(() => parseAedat(Buffer.from('#!AER-DAT2.0\r\n# cut'), 'cut.aedat'), 'cut.aedat', 14, /not terminated/);
});

test('bad input: body not a multiple of 8, address outside 128 x 128, timestamps backwards', () => {
  const good = fs.readFileSync(FIX);
  throwsAt(() => parseAedat(good.subarray(0, good.length - 3), 'trunc.aedat'), 'trunc.aedat', good.length - 8, /not a multiple of 8/);
  const bad = Buffer.from(good);
  bad.writeUInt32BE(0x00018000, 216 + 8 * 10); // bit 15 set in event 10
  throwsAt(() => parseAedat(bad, 'addr.aedat'), 'addr.aedat', 216 + 80, /outside the 128 x 128/);
  const back = Buffer.from(good);
  back.writeUInt32BE(5, 216 + 8 * 100 + 4); // event 100 earlier than event 99
  throwsAt(() => parseAedat(back, 'back.aedat'), 'back.aedat', 216 + 804, /backwards/);
  // The writer refuses what the reader would refuse.
  const ev = allocEvents(2);
  ev.tUs[0] = 10; ev.tUs[1] = 5;
  assert.throws(() => encodeAedat(ev), /non-decreasing/);
  ev.tUs[1] = 20; ev.x[0] = 128;
  assert.throws(() => encodeAedat(ev), /x, y in \[0, 127\]/);
});

test('fuzz: truncations and bit flips never crash and never return events other than the bytes hold', () => {
  const good = fs.readFileSync(FIX).subarray(0, 216 + 8 * 400);
  const rng = makeRng('fuzz-aedat');
  let errors = 0, parsed = 0;
  for (let k = 0; k < 400; k++) {
    let buf = Buffer.from(good);
    if (k % 2 === 0) buf = buf.subarray(0, Math.floor(rng.next() * buf.length));
    const flips = 1 + Math.floor(rng.next() * 4);
    for (let j = 0; j < flips && buf.length > 0; j++) buf[Math.floor(rng.next() * buf.length)] ^= 1 << Math.floor(rng.next() * 8);
    let f;
    try {
      f = parseAedat(buf, 'fuzz.aedat');
    } catch (e) {
      assert.ok(e instanceof Error && /^fuzz\.aedat: byte offset \d+: /.test(e.message), String(e));
      errors++;
      continue;
    }
    parsed++;
    // Independent decoding of the same bytes: the reader must agree event by event.
    const off = f.header.bytes;
    assert.equal(buf[0], 0x23);
    assert.equal((buf.length - off) % 8, 0);
    assert.equal(f.events.length, (buf.length - off) / 8);
    for (let i = 0; i < f.events.length; i++) {
      const a = buf.readUInt32BE(off + 8 * i), t = buf.readUInt32BE(off + 8 * i + 4);
      assert.equal(a & ~0x7fff, 0);
      assert.deepEqual([f.events.x[i], f.events.y[i], f.events.bit0[i], f.events.tUs[i]], [127 - ((a & 0xfe) >> 1), (a & 0x7f00) >> 8, a & 1, t]);
      if (i > 0) assert.ok(t >= f.events.tUs[i - 1]);
    }
  }
  assert.ok(errors > 100 && parsed > 10, `both outcomes exercised (errors ${errors}, parsed ${parsed})`);
});
