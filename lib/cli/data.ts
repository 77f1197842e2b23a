/**
 * `gem-snn data <fetch|inspect|emulate|prepare|calibrate>`: the MNIST-DVS data layer from the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readAedat } from '../data/aedat';
import { summarizeRecording } from '../data/preprocess';
import { emulateDatasetLocked } from '../data/emulated-set';
import { PROBLEM_RULES, RECORDING_PROBLEMS } from '../data/recording-checks';
import { prepareDataset, suiteCheckout } from '../data/dataset';
import { aucTable, calibrationReport, calibrationTable, FIT_FILES, HELD_OUT_FILES } from '../data/real-vs-emulated';
import { mergeParams, parseSetOverrides } from '../experiments/profiles';
import { createProgress } from '../util/progress';
import { writeFileAtomic } from '../util/files';
import { checkEmulatorParams, DEFAULT_EMULATOR, emulateRecording } from '../data/emulator';
import { loadMnist, mnistImage } from '../data/mnist';
import { encodePng, eventImage, sideBySide } from '../data/png';
import { FETCH_HELP } from './data-fetch';

const HELP = `Usage:
  gem-snn data inspect FILE.aedat [--json] [--active]
      counts of one recording with the keys of the golden files (SPEC 4.2); --json (or --active) adds every
      active [t, index] cell of the 25 ms / 1352 layout
  gem-snn data emulate --out DIR [--digits 0,1,2] [--per-digit N] [--seed S] [--split train|test|both]
      write emulated recordings (AEDAT 2.0, real layout) and manifest.json; train recordings are
      0001.. (MNIST training images), test recordings 0901.. (MNIST test images)
  gem-snn data prepare [--root DIR] [--emulated] [--digits 0,1,2] [--train-per-digit N] [--test-per-digit N]
                       [--dt-ms 25] [--sample-ms 2000] [--layout 1352|676] [--seed S] [--data-dir DIR] [--strict]
      build or reuse the cached tensors (real data from --root or MNIST_DVS_ROOT, else the emulated
      default) and print where the cache is and what it holds; recordings with no events, ending before
      75 % of the example window, or with a timestamp gap over 1 s are excluded and counted per reason
      (--strict: an error instead)
  gem-snn data calibrate [--real DIR] [--n N] [--seed S] [--folds K] [--half held|fit] [--set key=value]... [--json] [--png FILE]
      real vs emulated digit 0 (default real folder ../shared/mnist-dvs/real-digit0): every statistic,
      real files 0051-0100 (held back from the emulator's fit) vs N emulated (default 100), and the AUC of
      a K-fold (default 5) logistic-regression discriminator on three feature sets, with the real-vs-real
      control 0001-0050 vs 0051-0100; --half fit reports on 0001-0050 instead (no control), to choose
      parameters without touching the held-back half; --set key=value (repeatable) changes an emulator
      parameter (data.emulator keys, e.g. --set scale=1.17)
${FETCH_HELP}`;

function parseDigits(s: string | undefined, dflt: number[]): number[] {
  if (s === undefined) return dflt;
  const d = s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (d.length === 0 || d.some((x) => !Number.isInteger(x) || x < 0 || x > 9)) throw new Error(`--digits = ${JSON.stringify(s)}; expected digits 0-9 separated by commas`);
  return d;
}

function parseIntArg(name: string, s: string | undefined, dflt: number, min = 0): number {
  if (s === undefined) return dflt;
  const v = Number(s);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} = ${JSON.stringify(s)}; expected an integer >= ${min}`);
  return v;
}

/**
 * The real digit-0 recordings beside the checkout (`<checkout>/../shared/mnist-dvs/real-digit0`), the
 * same folder from lib/cli sources and lib/dist/cli; an error saying to pass --real when absent.
 */
function defaultRealDigit0(): string {
  const root = suiteCheckout();
  const dir = root ? path.resolve(root, '..', 'shared', 'mnist-dvs', 'real-digit0') : undefined;
  if (!dir || !fs.existsSync(dir)) throw new Error(`gem-snn data calibrate: no real recordings at ${dir ?? '<checkout>/../shared/mnist-dvs/real-digit0 (not in a gem-snn-suite checkout)'}; pass --real DIR`);
  return dir;
}

/** `gem-snn data inspect FILE.aedat`: a recording's summary (counts, header, active cells per layout). */
async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, active: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length !== 1) { console.error('gem-snn data inspect: expected one FILE.aedat'); return 2; }
  const s = summarizeRecording(readAedat(positionals[0]), undefined, values.json || values.active ? ['dt25ms_T80_1352'] : []);
  if (values.json) console.log(JSON.stringify(s));
  else {
    console.log(`${s.file}: ${s.events} events, header ${s.header_lines} lines / ${s.header_bytes} bytes, last t ${s.last_t_us} us, ` +
      `${s.on_events_bit0_is_0} ON, ${s.events_in_crop} in crop (${s.events_in_crop_before_2s} before 2 s)`);
    for (const [name, l] of Object.entries(s.layouts)) console.log(`  ${name}: ${l.active_cells} active cells (${((100 * l.active_cells) / (l.T * l.inputs)).toFixed(2)} % of T x inputs)`);
  }
  return 0;
}

/** `gem-snn data emulate --out DIR`: writes (or resumes) an emulated MNIST-DVS distribution. */
async function emulateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    out: { type: 'string' }, digits: { type: 'string' }, 'per-digit': { type: 'string' }, seed: { type: 'string' },
    split: { type: 'string' }, 'test-from': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(HELP); return 0; }
  if (!values.out) { console.error('gem-snn data emulate: --out DIR is required'); return 2; }
  const digits = parseDigits(values.digits, [0, 1, 2]);
  const n = parseIntArg('per-digit', values['per-digit'], 100, 1);
  const testFrom = parseIntArg('test-from', values['test-from'], 901, 2);
  const split = values.split ?? 'both';
  if (!['train', 'test', 'both'].includes(split)) throw new Error(`--split = ${JSON.stringify(split)}; expected train, test or both`);
  const nums: number[] = [];
  if (split !== 'test') for (let i = 1; i <= Math.min(n, testFrom - 1); i++) nums.push(i);
  if (split !== 'train') for (let i = 0; i < n; i++) nums.push(testFrom + i);
  const prog = createProgress('emulating', digits.length * nums.length);
  const r = await emulateDatasetLocked(
    { out: path.resolve(values.out), digits, recordings: nums, seed: values.seed ?? 'gem-snn', testFrom, progress: prog, onCorrupt: (f) => console.error(`regenerating ${f}: its size or SHA-256 differs from manifest.json`) },
    (pid) => console.error(`waiting for process ${pid}, which is writing into ${path.resolve(values.out!)}`),
  );
  prog.done();
  console.log(`${path.resolve(values.out)}: ${r.written} recordings written (${r.corrupt} of them replacing corrupt files), ${r.kept} already there; ${r.seconds.toFixed(1)} s ` +
    `(${(r.written / Math.max(r.seconds, 1e-3)).toFixed(0)} recordings/s, ${(r.events / Math.max(r.seconds, 1e-3) / 1e6).toFixed(2)} M events/s); manifest.json lists the MNIST image behind each file`);
  return 0;
}

/** `gem-snn data prepare`: builds (or reuses) the cached example tensors and says what they hold. */
async function prepareCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    root: { type: 'string' }, emulated: { type: 'boolean' }, digits: { type: 'string' }, 'train-per-digit': { type: 'string' },
    'test-per-digit': { type: 'string' }, 'dt-ms': { type: 'string' }, 'sample-ms': { type: 'string' }, layout: { type: 'string' },
    seed: { type: 'string' }, 'data-dir': { type: 'string' }, 'skip-missing': { type: 'boolean' }, strict: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(HELP); return 0; }
  const layout = parseIntArg('layout', values.layout, 1352, 1);
  if (layout !== 1352 && layout !== 676) throw new Error(`--layout = ${layout}; expected 1352 or 676`);
  const num = (name: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    const v = Number(s);
    if (!(v > 0)) throw new Error(`--${name} = ${JSON.stringify(s)}; expected a positive number`);
    return v;
  };
  const t0 = Date.now();
  const prep = await prepareDataset({
    root: values.root, emulated: values.emulated, digits: parseDigits(values.digits, [0, 1, 2]),
    trainPerDigit: values['train-per-digit'] !== undefined ? parseIntArg('train-per-digit', values['train-per-digit'], 0) : undefined,
    testPerDigit: values['test-per-digit'] !== undefined ? parseIntArg('test-per-digit', values['test-per-digit'], 0) : undefined,
    dtMs: num('dt-ms', values['dt-ms']), sampleMs: num('sample-ms', values['sample-ms']), layout: layout as 1352 | 676,
    emulatorSeed: values.seed, dataDir: values['data-dir'], onMissing: values['skip-missing'] ? 'skip' : 'error',
    progress: true, log: (l) => console.error(l), strict: values.strict,
  });
  const d = prep.description;
  if (values.json) { console.log(JSON.stringify({ cacheDir: prep.cacheDir, built: prep.built, ...d, splits: { train: { n: d.splits.train.n, perDigit: d.splits.train.perDigit }, test: { n: d.splits.test.n, perDigit: d.splits.test.perDigit } } })); return 0; }
  console.log(`cache: ${prep.cacheDir} (${prep.built ? 'built' : 'reused'} in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`data: ${d.dataNote}`);
  console.log(`source: ${d.sourceRoot}`);
  console.log(`digits ${d.digits.join(',')}: train ${d.splits.train.n} (${d.splits.train.perDigit.join('/')} per digit), test ${d.splits.test.n} (${d.splits.test.perDigit.join('/')})`);
  console.log(`examples: [T=${d.T}, nIn=${d.nIn}] (dt ${d.params.dtUs / 1000} ms, ${d.params.sampleUs / 1000} ms, crop x ${d.params.crop.x0}-${d.params.crop.x1} y ${d.params.crop.y0}-${d.params.crop.y1}, polarity ${d.params.polarity})`);
  for (const r of RECORDING_PROBLEMS) {
    const l = d.excluded?.[r];
    if (l?.length) console.log(`excluded ${l.length} recording(s), ${r} (${PROBLEM_RULES[r]}): ${l.slice(0, 3).join(', ')}${l.length > 3 ? ', ...' : ''}`);
  }
  if (d.warnings.length) console.log(`warnings (${d.warnings.length}): ${d.warnings.slice(0, 5).join('; ')}${d.warnings.length > 5 ? '; ...' : ''}`);
  return 0;
}

/** `gem-snn data calibrate`: the statistics and discriminator tables, real vs emulated. */
async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: {
    real: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, folds: { type: 'string' }, json: { type: 'boolean' }, png: { type: 'string' },
    half: { type: 'string' }, set: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(HELP); return 0; }
  const half = values.half ?? 'held';
  if (half !== 'held' && half !== 'fit') throw new Error(`gem-snn data calibrate: --half = ${JSON.stringify(half)}; expected held (real 0051-0100, with the real-vs-real control) or fit (0001-0050, no control)`);
  // Other emulator parameters (`--set scale=1.17`), checked like the suite's data.emulator before any work.
  const where = 'gem-snn data calibrate --set (emulator parameters)';
  const params = mergeParams(DEFAULT_EMULATOR, parseSetOverrides(values.set ?? []) as Record<string, unknown>, where);
  checkEmulatorParams(params, where);
  const real = values.real ?? defaultRealDigit0();
  const n = parseIntArg('n', values.n, 100, 1);
  const folds = parseIntArg('folds', values.folds, 5, 2);
  const rep = calibrationReport(path.resolve(real), {
    nEmulated: n, seed: values.seed ?? 'gem-snn', folds, params,
    heldOut: half === 'held' ? HELD_OUT_FILES : FIT_FILES, control: half === 'held' ? FIT_FILES : [],
  });
  if (values.json) console.log(JSON.stringify(rep));
  if (values.png) {
    // Event images (all events of the recording, sensor window 36..91) of real and emulated recording 1.
    const realEv = readAedat(path.join(path.resolve(real), 'mnist_0_scale04_0001.aedat')).events;
    const m = loadMnist('train');
    const emuEv = emulateRecording(mnistImage(m, m.byDigit[0][0]), values.seed ?? 'gem-snn', '0/1').events;
    const side = 56, zoom = 5;
    const pic = sideBySide([eventImage(realEv, 36, 36, side, zoom), eventImage(emuEv, 36, 36, side, zoom)].map((rgb) => ({ rgb, width: side * zoom })), side * zoom);
    writeFileAtomic(path.resolve(values.png), encodePng(pic.rgb, pic.width, pic.height));
    console.error(`wrote ${path.resolve(values.png)} (left: real mnist_0_scale04_0001, right: emulated digit 0 recording 0001; ON red, OFF blue)`);
  }
  if (!values.json) console.log(`${calibrationTable(rep)}\n\n${aucTable(rep)}\n\nmean centroid trajectory (50 ms bins) RMS difference: ${rep.trajectoryRmsPx.toFixed(2)} px; emulation ${rep.emulateSeconds.toFixed(1)} s (${(n / rep.emulateSeconds).toFixed(0)} recordings/s)`);
  return 0;
}

/** Runs `gem-snn data ...`; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  if (sub === 'fetch') return (require('./data-fetch') as typeof import('./data-fetch')).run(rest);
  const commands: Record<string, (argv: string[]) => Promise<number>> = { inspect: inspectCommand, emulate: emulateCommand, prepare: prepareCommand, calibrate: calibrateCommand };
  if (Object.hasOwn(commands, sub)) return commands[sub](rest);
  console.error(`gem-snn data: unknown subcommand ${JSON.stringify(sub)}; expected fetch, inspect, emulate, prepare or calibrate`);
  return 2;
}
