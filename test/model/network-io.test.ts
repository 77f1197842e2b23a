// Network save/load: bit-exact round trip, atomic write, and clear errors for another version, a
// corrupted file or a different expected shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createNetwork, NetworkConfig } from '../../lib/model/network';
import { loadNetwork, networkFromFile, networkToFile, saveNetwork } from '../../lib/model/network-io';

const dir = mkdtempSync(join(tmpdir(), 'gem-snn-params-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const configs: NetworkConfig[] = [
  { inputs: 3, hidden: 2, outputs: 2 },
  { inputs: 2, hidden: 0, outputs: 1, topology: { preset: 'feedforward' }, synapticBasis: { kind: 'exponential', K: 2, tau: 4 } },
  { inputs: 2, hidden: 2, outputs: 1, topology: { preset: 'custom', mask: [[1, 0, 0, 1, 1], [1, 1, 1, 0, 0], [0, 0, 1, 1, 0]], feedback: [1, 0, 1] }, feedbackBasis: { kind: 'custom', K: 2, tau: 2, table: [[1, 0.5], [0, 1]] } },
];

test('save/load round trip is bit-exact (including -0 and extreme values) and leaves no temporary file', () => {
  configs.forEach((cfg, i) => {
    const net = createNetwork(cfg, i + 1);
    net.b[0] = 1.2345678901234567e-300;
    net.b[net.b.length - 1] = -0;
    net.W[net.W.findIndex((w) => w !== 0)] = Number.MAX_VALUE;
    const path = join(dir, `net${i}.json`);
    saveNetwork(path, net);
    const back = loadNetwork(path, cfg);
    assert.ok(bytes(back.W).equals(bytes(net.W)), 'W bytes');
    assert.ok(bytes(back.F).equals(bytes(net.F)), 'F bytes');
    assert.ok(bytes(back.b).equals(bytes(net.b)), 'b bytes');
    assert.ok(Object.is(back.b[back.b.length - 1], -0));
    assert.deepEqual(back.config, net.config);
    assert.deepEqual(Array.from(back.topology.mask), Array.from(net.topology.mask));
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(doc.format, 'gem-snn-network');
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.shapes.W, [net.L, net.N, net.synaptic.K]);
  });
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
});

test('loading errors name the file and the field', () => {
  const cfg = configs[0];
  const net = createNetwork(cfg, 7);
  const path = join(dir, 'good.json');
  saveNetwork(path, net);
  const doc = networkToFile(net);
  const write = (name: string, obj: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
    return p;
  };
  const v2 = write('v2.json', { ...doc, version: 2 });
  assert.throws(() => loadNetwork(v2), new RegExp(`${v2}: version = 2; expected 1`));
  const other = write('other.json', { ...doc, format: 'something-else' });
  assert.throws(() => loadNetwork(other), /other\.json: format = "something-else"; expected "gem-snn-network"/);
  const trunc = write('trunc.json', JSON.stringify(doc).slice(0, 200));
  assert.throws(() => loadNetwork(trunc), /trunc\.json: not valid JSON/);
  // flip one character of the W payload: still valid base64 of the right length, caught by the checksum
  const W = doc.params.W;
  const pos = 40;
  const flipped = W.slice(0, pos) + (W[pos] === 'A' ? 'B' : 'A') + W.slice(pos + 1);
  const corrupt = write('corrupt.json', { ...doc, params: { ...doc.params, W: flipped } });
  assert.throws(() => loadNetwork(corrupt), /corrupt\.json: checksum = "fnv1a32:[0-9a-f]{8}"; expected "fnv1a32:[0-9a-f]{8}" \(computed from params: the file is corrupted\)/);
  const short = write('short.json', { ...doc, params: { ...doc.params, b: doc.params.b.slice(0, 8) } });
  assert.throws(() => loadNetwork(short), /short\.json: params\.b holds 6 bytes; expected 32 \(4 float64 values\)/);
  const shapes = write('shapes.json', { ...doc, shapes: { ...doc.shapes, F: [4, 2] } });
  assert.throws(() => loadNetwork(shapes), /shapes\.json: shapes\.F = \[4,2\]; expected \[4,1\] \(from config\)/);
  // another expected shape
  assert.throws(() => loadNetwork(path, { ...cfg, inputs: 4 }), /good\.json: inputs = 3; expected 4 \(the expected network shape\)/);
  assert.throws(() => loadNetwork(path, { ...cfg, synapticBasis: { kind: 'raised-cosine-2020', K: 4, tau: 10 } }), /good\.json: synapticBasis\.K = 8; expected 4/);
  assert.throws(() => loadNetwork(path, { ...cfg, topology: { preset: 'feedforward' } }), /good\.json: topology mask differs/);
  assert.throws(() => loadNetwork(join(dir, 'missing.json')), /loadNetwork: cannot read .*missing\.json/);
  assert.throws(() => networkFromFile({ ...doc, config: { ...doc.config, hidden: -1 } }, 'mem'), /mem: config is invalid: network: hidden = -1/);
});
