#!/usr/bin/env node
// Reliability battery (issue 12): feeds bad input to the built library and command line and counts
// the outcomes: clean errors (an Error naming the parameter/file and what is allowed), crashes (any
// other failure: TypeError, "Cannot read properties", non-Error throw) and silent acceptances (no
// error). Usage: npm run build && node scripts/reliability-battery.mjs [--verbose]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = new URL('../lib/dist/', import.meta.url).pathname;
const L = (m) => require(join(dist, m));
const { parseAedat } = L('data/aedat.js');
const { makeRng } = L('util/rng.js');
const { resolveParams } = L('experiments/profiles.js');
const { main } = L('cli/main.js');
const { createNetwork } = L('model/network.js');
const { resolveGemOptions, resolveBaselineOptions } = L('model/learning-options.js');
const { createGemLearner, gemTrainExample } = L('learn/gem.js');
const { createBaselineLearner } = L('learn/single-sample.js');
const { prepareDataset } = L('data/dataset.js');
const { runAll } = L('experiments/pool.js');
const { cachedRun, runKey, setRunCacheWarning } = L('experiments/runs.js');

const verbose = process.argv.includes('--verbose');
const tally = {};
function count(group, outcome, what, msg) {
  tally[group] ??= { clean: 0, crash: 0, silent: 0 };
  tally[group][outcome]++;
  if (verbose || outcome !== 'clean') console.log(`${group}: ${outcome}: ${what}${msg ? ` -> ${msg.split('\n')[0].slice(0, 160)}` : ''}`);
}
// node's parseArgs reports unknown or ambiguous options as TypeErrors with a clear message and code.
const isCrash = (e) => !(e instanceof Error) || (!String(e.code ?? '').startsWith('ERR_PARSE_ARGS') && (e instanceof TypeError || e instanceof RangeError)) || /Cannot read prop|is not iterable|undefined|is not a function/.test(e.message);
async function judge(group, what, fn, expectError = true) {
  try {
    await fn();
    count(group, expectError ? 'silent' : 'clean', what);
  } catch (e) {
    count(group, isCrash(e) ? 'crash' : 'clean', what, e instanceof Error ? e.message : String(e));
  }
}
const quiet = async (fn) => {
  const w = process.stderr.write.bind(process.stderr), l = console.log;
  process.stderr.write = () => true;
  console.log = () => {};
  try { return await fn(); } finally { process.stderr.write = w; console.log = l; }
};

// 1. Fuzzed AEDAT: 369 seeded mutations of a real recording. A mutation may leave a valid file, so
// here "silent" means: parsed, but the events break an invariant (out of the sensor, time backwards).
const orig = readFileSync(new URL('../test/fixtures/mnist-dvs/mnist_0_scale04_0002.aedat', import.meta.url));
const head = parseAedat(orig, 'orig').header.bytes;
const nEv = (orig.length - head) / 8;
const rng = makeRng('battery-fuzz');
const int = (n) => Math.floor(rng.next() * n);
for (let c = 0; c < 369; c++) {
  let b = Buffer.from(orig);
  const k = c % 6;
  if (k === 0) b = b.subarray(0, int(b.length));
  else if (k === 1) for (let i = 0; i < 1 + int(8); i++) b[int(b.length)] = int(256);
  else if (k === 2) b = Buffer.concat([b.subarray(0, int(b.length)), Buffer.from([1, 2, 3]), b.subarray(int(b.length))]);
  else if (k === 3) b[int(head + 4)] = int(256);
  else if (k === 4) b.writeUInt32BE(int(2 ** 32), head + 8 * int(nEv) + 4);
  else b.writeUInt32BE(int(2 ** 32), head + 8 * int(nEv));
  try {
    const ev = parseAedat(b, `fuzz-${c}`).events;
    let ok = true;
    for (let i = 0; i < ev.length; i++) if (ev.x[i] > 127 || ev.y[i] > 127 || (i && ev.tUs[i] < ev.tUs[i - 1])) ok = false;
    count('fuzzed AEDAT', ok ? 'clean' : 'silent', `case ${c}`);
  } catch (e) {
    count('fuzzed AEDAT', isCrash(e) || !e.message.startsWith(`fuzz-${c}: byte offset`) ? 'crash' : 'clean', `case ${c}`, e.message);
  }
}

// 2. Bad command lines (checked before any work; an accepted one would run, so each has --only memorization).
const tmp = mkdtempSync(join(tmpdir(), 'gem-battery-'));
const sets = [
  'data.testPerDigit=0', 'data.trainPerDigit=0', 'train.epochs=-1', 'data.digits=[3]', 'data.source=banana',
  'memorization.pattern=banana', 'memorization.density=5', 'sweep.eta=[]', 'seeds=[1,1]', 'jobs=0', 'train.evalEvery=0',
  'memorization.evalEvery=0', 'train.Ks=[]', 'seeds=[]', 'profile=small', 'data.testPerDigit=1.5', 'data.trainPerDigit=100000',
  'data.digits=[]', 'data.digits=[1,1]', 'data.digits=[10]', 'data.dtMs=0', 'data.dtMs=-1', 'data.sampleMs=0', 'data.dtMs=0.001',
  'data.layout=999', 'data.emulatorSeed=-1', 'data.emulatorSeed=1.5', 'network.hidden=-1', 'network.initScale=-1',
  'network.topology={"preset":"nope"}', 'network.topology={"preset":"feedforward","bogus":1}', 'network.synapticBasis={"kind":"x","K":1,"tau":1}',
  'gem.eta=-1', 'gem.kappa=1', 'gem.kappa=-0.5', 'gem.kappaV=2', 'gem.logitScale=max', 'gem.hiddenSignal=x', 'gem.resetTracesPerExample=1',
  'baseline.r=0', 'baseline.beta=1', 'baseline.gamma=-1', 'train.Ks=[0]', 'train.Ks=[1,1]', 'train.curveExamples=0', 'eval.KIs=[]',
  'eval.KIs=[0]', 'eval.bins=0', 'eval.calibrationKs=[]', 'memorization.outputs=0', 'memorization.T=0', 'memorization.T=30000',
  'memorization.density=0', 'memorization.Ks=[]', 'memorization.iterations=0', 'memorization.KI=0', 'sweep.kappa=[1]',
  'sweep.kappaV=[]', 'sweep.logitScale=["x"]', 'sweep.hiddenSignal=[]', 'sweep.Ks=[]', 'sweep.iterations=0', 'sweep.seeds=[]',
  'sweep.seeds=[2,2]', 'seeds=[-1]', 'seeds=[1.5]', 'jobs=1000', 'nope=1', 'gem.etta=1', 'data.digits=3', 'seeds=3',
  // names of Object.prototype's members: never parameters, never a way to its prototype
  '__proto__.x=1', 'constructor.prototype.x=1', 'toString=1', 'data.toString=1', 'network.topology.__proto__.x=1',
  // emulator values (checked with the suite's parameters, not when emulation starts)
  'data.emulator.scale=-1', 'data.emulator.background=1', 'data.emulator.speedProfile=[0]', 'data.emulator.speedNoiseTauS=0',
];
const lines = [
  ...sets.map((s) => ['--set', s]),
  ['--only', ''], ['--only', ','], ['--only', 'nope'], ['--jobs', '0'], ['--jobs', 'x'], ['--params', '{bad'], ['--params', '{"seeds":[]}'],
  ['--profile', 'huge'], ['--set', 'novalue'], ['--bogus-flag'], ['--results', '/proc/gem-battery'],
  ['--profile', 'toString'], ['--only', 'toString'], ['--params', '{"__proto__":{"x":1}}'],
];
for (const extra of lines) {
  await judge('bad command lines', extra.join(' '), () => quiet(() => main(['reproduce', '--profile', 'smoke', '--no-figures', '--only', 'memorization', '--results', join(tmp, 'r'), ...extra])));
}
const data = [
  ['prepare', '--digits', '0,12'], ['prepare', '--layout', '7'], ['prepare', '--dt-ms', '0'], ['prepare', '--dt-ms', '0.001'],
  ['prepare', '--train-per-digit', '-1'], ['prepare', '--root', '/nonexistent'], ['prepare', '--data-dir', '/proc/x'],
  ['emulate'], ['emulate', '--out', join(tmp, 'e'), '--split', 'x'], ['emulate', '--out', join(tmp, 'e'), '--per-digit', '0'],
  ['inspect'], ['inspect', '/nonexistent.aedat'], ['calibrate', '--real', '/nonexistent'], ['bogus'], ['toString'],
];
for (const a of data) {
  await judge('bad command lines', `data ${a.join(' ')}`, async () => {
    const code = await quiet(() => main(['data', ...a]));
    if (code !== 0) throw new Error(`exit code ${code}`);
  });
}

for (const a of [['bogus'], ['toString'], ['__proto__'], ['constructor'], ['runs', 'toString'], ['kernel', 'toString']]) {
  await judge('bad command lines', a.join(' '), async () => {
    const code = await quiet(() => main(a));
    if (code !== 0) throw new Error(`exit code ${code}`);
  });
}
if (({}).x !== undefined) count('bad command lines', 'crash', 'Object.prototype was modified by a command line');

// 3. Bad library calls.
const cfg = { inputs: 2, hidden: 1, outputs: 2 };
const net = createNetwork(cfg, 1);
const ex = (T) => ({ T, input: new Uint8Array(T * 2), target: new Uint8Array(T * 2) });
const lib = [
  () => createNetwork({ ...cfg, hiden: 3 }, 1), () => createNetwork(cfg, NaN), () => createNetwork(cfg, Infinity), () => createNetwork({ ...cfg, inputs: -1 }, 1),
  () => createNetwork({ ...cfg, outputs: 0 }, 1), () => createNetwork({ ...cfg, initScale: NaN }, 1), () => createNetwork(null, 1), () => createNetwork({ ...cfg, topology: { preset: 'x' } }, 1),
  () => createNetwork({ ...cfg, topology: { preset: 'feedforward', extra: 1 } }, 1), () => createNetwork({ ...cfg, synapticBasis: { kind: 'exponential', K: 0, tau: 3 } }, 1),
  () => createNetwork({ ...cfg, synapticBasis: { kind: 'exponential', K: 2, tau: 3, tua: 1 } }, 1),
  () => resolveGemOptions({ Kk: 3 }), () => resolveGemOptions({ K: 0 }), () => resolveGemOptions({ K: 1.5 }), () => resolveGemOptions({ eta: NaN }),
  () => resolveGemOptions({ kappa: 1 }), () => resolveGemOptions({ kappaV: 1 }), () => resolveGemOptions({ logitScale: 'x' }), () => resolveGemOptions({ hiddenSignal: 'x' }),
  () => resolveGemOptions({ resetTracesPerExample: 'yes' }), () => resolveBaselineOptions({ etta: 1 }), () => resolveBaselineOptions({ r: 1 }), () => resolveBaselineOptions({ beta: -1 }),
  () => createGemLearner(net, { Kk: 2 }, 1), () => createGemLearner(net, {}, NaN), () => createGemLearner(net, {}, 1, { thread: 2 }), () => createGemLearner(net, {}, 1, { threads: 0 }),
  () => createGemLearner({}, {}, 1), () => createBaselineLearner(net, {}, NaN), () => createBaselineLearner(net, { gama: 1 }, 1),
  () => gemTrainExample(createGemLearner(net, {}, 1), ex(30000)), () => gemTrainExample(createGemLearner(net, {}, 1), ex(0)),
  () => gemTrainExample(createGemLearner(net, {}, 1), { T: 3, input: new Uint8Array(5), target: new Uint8Array(6) }),
  () => gemTrainExample(createGemLearner(net, {}, 1), { ...ex(3), input: new Uint8Array(6).fill(2) }),
  () => gemTrainExample(createGemLearner(net, {}, 1), { ...ex(3), label: 5 }),
  () => prepareDataset({ trainPerDigt: 3 }), () => prepareDataset({ digits: [11] }), () => prepareDataset({ layout: 5 }), () => prepareDataset({ dtMs: 1, sampleMs: 5000 }),
  () => prepareDataset({ trainPerDigit: -1 }), () => prepareDataset({ root: '/nonexistent' }), () => prepareDataset({ dataDir: '/proc/x', digits: [0, 1], trainPerDigit: 1, testPerDigit: 1 }),
  () => resolveParams('small', { seeds: [] }), () => resolveParams('small', { data: { testPerDigit: 0 } }), () => resolveParams('nope'),
];
for (const [i, f] of lib.entries()) await judge('bad library calls', `call ${i}: ${String(f).slice(6, 90)}`, () => quiet(async () => f()));

// 4. Corrupted run-cache records: each must be refused (recomputed), never used.
const cacheDir = join(tmp, 'runs');
const m = resolveParams('smoke').memorization;
const spec = (K) => ({ kind: 'memorization', params: m, gem: m.gem, K, seed: 1 });
await runAll([spec(1), spec(2)], { cacheDir, jobs: 1, force: false });
const file = join(cacheDir, `${runKey(spec(1))}.json`);
const good = JSON.parse(readFileSync(file, 'utf8'));
const edited = structuredClone(good);
edited.record.marginalLoglikPerStep += 1;
const { record: _r, ...missing } = good;
const variants = { 'edited values': JSON.stringify(edited), "another spec's record": readFileSync(join(cacheDir, `${runKey(spec(2))}.json`), 'utf8'), '{}': '{}', 'missing field': JSON.stringify(missing), 'truncated JSON': '{"spec":' };
setRunCacheWarning(() => {});
for (const [name, text] of Object.entries(variants)) {
  writeFileSync(file, text);
  await judge('corrupted run cache', name, () => {
    if (cachedRun(spec(1), cacheDir) !== undefined) return; // used: silent
    throw new Error('refused (recomputed)');
  });
}
rmSync(tmp, { recursive: true, force: true });

let total = { clean: 0, crash: 0, silent: 0 };
for (const [g, t] of Object.entries(tally)) {
  console.log(`${g}: ${t.clean} clean errors/valid, ${t.crash} crashes, ${t.silent} silent acceptances`);
  for (const k of Object.keys(total)) total[k] += t[k];
}
console.log(`total: ${total.clean} clean, ${total.crash} crashes, ${total.silent} silent acceptances`);
process.exitCode = total.crash + total.silent > 0 ? 1 : 0;
