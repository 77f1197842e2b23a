/**
 * Saving and loading a network (config + parameters) as one JSON file.
 *
 * Format `gem-snn-network`, version 1 (a single UTF-8 JSON object):
 *   {
 *     "format": "gem-snn-network",
 *     "version": 1,
 *     "config":  the resolved NetworkConfig (sizes, topology, both basis configs, initScale),
 *     "shapes":  { "W": [L, N, Ka], "F": [L, Kb], "b": [L] },
 *     "encoding": "float64-le-base64",
 *     "params":  { "W": base64, "F": base64, "b": base64 }   little-endian IEEE-754 float64, row-major
 *     "checksum": "fnv1a32:<8 hex digits>"  of the bytes of W, then F, then b
 *   }
 * Float64 bytes make the round trip bit-exact; the checksum catches a corrupted payload that still
 * decodes to the right length. Files are written atomically (`<path>.tmp-<pid>`, then rename).
 */
import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { emptyNetwork, Network, NetworkConfig, resolveNetworkConfig } from './network';

export const NETWORK_FORMAT = 'gem-snn-network';
export const NETWORK_FORMAT_VERSION = 1;
export const NETWORK_ENCODING = 'float64-le-base64';

/** The JSON object of a saved network (see the module comment). */
export interface NetworkFile {
  format: typeof NETWORK_FORMAT;
  version: number;
  config: Required<NetworkConfig>;
  shapes: { W: [number, number, number]; F: [number, number]; b: [number] };
  encoding: typeof NETWORK_ENCODING;
  params: { W: string; F: string; b: string };
  checksum: string;
}

/** Little-endian float64 bytes of `a` (independent of the host's byte order). */
function float64Bytes(a: Float64Array): Buffer {
  const buf = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) buf.writeDoubleLE(a[i], i * 8);
  return buf;
}

/** FNV-1a (32 bits) over several byte buffers, as 8 hex digits. */
function fnv1a(bufs: Buffer[]): string {
  let h = 0x811c9dc5;
  for (const b of bufs) {
    for (let i = 0; i < b.length; i++) {
      h ^= b[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/** Encodes Float64Array values as base64 of little-endian float64 bytes. */
export function encodeFloat64(a: Float64Array): string {
  return float64Bytes(a).toString('base64');
}

/**
 * Decodes base64 little-endian float64 bytes into a Float64Array of exactly `n` values; throws naming
 * `where` and `field` when the text is not valid base64 of n·8 bytes.
 */
export function decodeFloat64(text: unknown, n: number, where: string, field: string): Float64Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new Error(`${where}: ${field} is not a base64 string; expected ${n} little-endian float64 values`);
  }
  const buf = Buffer.from(text, 'base64');
  if (buf.length !== n * 8) {
    throw new Error(`${where}: ${field} holds ${buf.length} bytes; expected ${n * 8} (${n} float64 values)`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

/** The file object of a network (pure). */
export function networkToFile(net: Network): NetworkFile {
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const bytes = [float64Bytes(net.W), float64Bytes(net.F), float64Bytes(net.b)];
  return {
    format: NETWORK_FORMAT,
    version: NETWORK_FORMAT_VERSION,
    config: net.config,
    shapes: { W: [net.L, net.N, Ka], F: [net.L, Kb], b: [net.L] },
    encoding: NETWORK_ENCODING,
    params: { W: bytes[0].toString('base64'), F: bytes[1].toString('base64'), b: bytes[2].toString('base64') },
    checksum: `fnv1a32:${fnv1a(bytes)}`,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Checks that `net` has the shape of `expect` (sizes, basis sizes and tables, mask, feedback mask);
 * throws `${where}: <field> = <value>; expected <value> (...)` on the first difference.
 */
export function checkSameShape(net: Network, expect: NetworkConfig, where: string): void {
  const e = emptyNetwork(resolveNetworkConfig(expect, `${where} (expected config)`));
  const rows: [string, unknown, unknown][] = [
    ['inputs', net.nIn, e.nIn],
    ['hidden', net.nH, e.nH],
    ['outputs', net.nO, e.nO],
    ['synapticBasis.K', net.synaptic.K, e.synaptic.K],
    ['synapticBasis.tau', net.synaptic.tau, e.synaptic.tau],
    ['feedbackBasis.K', net.feedbackBasis.K, e.feedbackBasis.K],
    ['feedbackBasis.tau', net.feedbackBasis.tau, e.feedbackBasis.tau],
  ];
  for (const [f, got, want] of rows) {
    if (got !== want) throw new Error(`${where}: ${f} = ${got}; expected ${want} (the expected network shape)`);
  }
  if (!same(Array.from(net.synaptic.table), Array.from(e.synaptic.table))) throw new Error(`${where}: synapticBasis table differs from the expected basis (${e.synaptic.kind})`);
  if (!same(Array.from(net.feedbackBasis.table), Array.from(e.feedbackBasis.table))) throw new Error(`${where}: feedbackBasis table differs from the expected basis (${e.feedbackBasis.kind})`);
  if (!same(Array.from(net.topology.mask), Array.from(e.topology.mask))) throw new Error(`${where}: topology mask differs from the expected topology (${e.topology.preset})`);
  if (!same(Array.from(net.topology.feedback), Array.from(e.topology.feedback))) throw new Error(`${where}: topology feedback mask differs from the expected topology (${e.topology.preset})`);
}

/**
 * Rebuilds a network from a parsed file object. `where` names the file in errors. When `expect` is
 * given, the network must have that shape. Throws on a wrong format/version, shapes that do not match
 * the config, malformed or non-finite parameters, non-zero masked entries, or a checksum mismatch.
 */
export function networkFromFile(doc: unknown, where = 'network file', expect?: NetworkConfig): Network {
  if (!doc || typeof doc !== 'object') throw new Error(`${where}: not a JSON object; expected a ${NETWORK_FORMAT} file`);
  const d = doc as Partial<NetworkFile>;
  if (d.format !== NETWORK_FORMAT) throw new Error(`${where}: format = ${JSON.stringify(d.format)}; expected "${NETWORK_FORMAT}"`);
  if (d.version !== NETWORK_FORMAT_VERSION) throw new Error(`${where}: version = ${JSON.stringify(d.version)}; expected ${NETWORK_FORMAT_VERSION} (this library reads version ${NETWORK_FORMAT_VERSION} only)`);
  if (d.encoding !== NETWORK_ENCODING) throw new Error(`${where}: encoding = ${JSON.stringify(d.encoding)}; expected "${NETWORK_ENCODING}"`);
  let net: Network;
  try {
    net = emptyNetwork(d.config as NetworkConfig);
  } catch (e) {
    throw new Error(`${where}: config is invalid: ${(e as Error).message}`);
  }
  const Ka = net.synaptic.K;
  const Kb = net.feedbackBasis.K;
  const shapes: Record<string, number[]> = { W: [net.L, net.N, Ka], F: [net.L, Kb], b: [net.L] };
  for (const key of ['W', 'F', 'b'] as const) {
    const got = d.shapes?.[key];
    if (!same(got, shapes[key])) throw new Error(`${where}: shapes.${key} = ${JSON.stringify(got)}; expected ${JSON.stringify(shapes[key])} (from config)`);
  }
  if (!d.params || typeof d.params !== 'object') throw new Error(`${where}: params = ${JSON.stringify(d.params)}; expected { W, F, b } base64 strings`);
  const W = decodeFloat64(d.params.W, net.W.length, where, 'params.W');
  const F = decodeFloat64(d.params.F, net.F.length, where, 'params.F');
  const b = decodeFloat64(d.params.b, net.b.length, where, 'params.b');
  const sum = `fnv1a32:${fnv1a([float64Bytes(W), float64Bytes(F), float64Bytes(b)])}`;
  if (d.checksum !== sum) throw new Error(`${where}: checksum = ${JSON.stringify(d.checksum)}; expected "${sum}" (computed from params: the file is corrupted)`);
  const { N } = net;
  for (let i = 0; i < W.length; i++) {
    if (!Number.isFinite(W[i])) throw new Error(`${where}: params.W[${i}] = ${W[i]}; expected a finite number`);
    if (W[i] !== 0 && !net.topology.mask[Math.floor(i / Ka)]) {
      const l = Math.floor(i / (N * Ka));
      const j = Math.floor(i / Ka) % N;
      throw new Error(`${where}: params.W[${l}][${j}][${i % Ka}] = ${W[i]}; expected 0 (masked synapse)`);
    }
  }
  for (let i = 0; i < F.length; i++) {
    if (!Number.isFinite(F[i])) throw new Error(`${where}: params.F[${i}] = ${F[i]}; expected a finite number`);
    if (F[i] !== 0 && !net.topology.feedback[Math.floor(i / Kb)]) throw new Error(`${where}: params.F[${Math.floor(i / Kb)}][${i % Kb}] = ${F[i]}; expected 0 (no feedback filter)`);
  }
  for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) throw new Error(`${where}: params.b[${i}] = ${b[i]}; expected a finite number`);
  net.W.set(W);
  net.F.set(F);
  net.b.set(b);
  if (expect) checkSameShape(net, expect, where);
  return net;
}

/** Writes `net` to `path` in the gem-snn-network JSON format, atomically (tmp file + rename). */
export function saveNetwork(path: string, net: Network): void {
  const text = JSON.stringify(networkToFile(net), null, 1) + '\n';
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    throw new Error(`saveNetwork: cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads a network saved by saveNetwork. With `expect`, the stored network must have that shape.
 * Every error names the file and the field.
 */
export function loadNetwork(path: string, expect?: NetworkConfig): Network {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`loadNetwork: cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message}); expected a ${NETWORK_FORMAT} file`);
  }
  return networkFromFile(doc, path, expect);
}
