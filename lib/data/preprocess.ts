/**
 * The lab's MNIST-DVS preprocessing (SPEC 4.2, kclip/neurodata convention), every choice a parameter:
 * crop a window of the 128 x 128 sensor, keep events before `sampleUs`, bin time by `dtUs` (a bin is 1 if
 * any event fell in it), index inputs by polarity and position, and split recordings by number.
 */
import { MAX_STEPS } from '../model/training-example';
import type { AedatEvents, AedatFile } from './aedat';

/** Every convention of the preprocessing. Units: microseconds; crop bounds inclusive, sensor coordinates. */
export interface PreprocessParams {
  /** Folder of the scale inside `grabbed_data<d>/` (`scale4`, `scale8`, `scale16`). */
  scale: string;
  /** Kept window: `x0 <= x <= x1`, `y0 <= y <= y1`; coordinates are shifted by (x0, y0). */
  crop: { x0: number; x1: number; y0: number; y1: number };
  /** Bin width in microseconds (25 ms = 25000). */
  dtUs: number;
  /** Sample length in microseconds; events with `t >= sampleUs` are dropped. Must be a multiple of dtUs. */
  sampleUs: number;
  /** `split`: index `bit0 + 2*(x*H + y)` (2*W*H inputs, 1352); `merged`: `x*H + y` (W*H inputs, 676). */
  polarity: 'split' | 'merged';
  /** Digits (classes) used, in label order. */
  digits: number[];
  /** Recording numbers (inclusive) of the training split, per digit. */
  trainRange: [number, number];
  /** Recording numbers (inclusive) of the test split, per digit. */
  testRange: [number, number];
}

/** SPEC 4.2 defaults: scale 4, crop 48..73 (26 x 26), dt 25 ms, 2 s (T = 80), 1352 inputs, digits 0-2. */
export const DEFAULT_PREPROCESS: PreprocessParams = {
  scale: 'scale4',
  crop: { x0: 48, x1: 73, y0: 48, y1: 73 },
  dtUs: 25_000,
  sampleUs: 2_000_000,
  polarity: 'split',
  digits: [0, 1, 2],
  trainRange: [1, 900],
  testRange: [901, 1000],
};

/** Derived sizes of a parameter set: crop width W and height H, steps T, inputs nIn. */
export interface PreprocessShape {
  W: number;
  H: number;
  T: number;
  nIn: number;
}

/** Checks `p` (throws naming the field, the value and what is allowed) and returns its shape. */
export function checkPreprocess(p: PreprocessParams): PreprocessShape {
  const bad = (name: string, v: unknown, exp: string): never => {
    throw new Error(`preprocess: ${name} = ${JSON.stringify(v)}; expected ${exp}`);
  };
  if (!/^scale\d+$/.test(p.scale)) bad('scale', p.scale, "a folder name like 'scale4'");
  const { x0, x1, y0, y1 } = p.crop;
  for (const [k, v] of Object.entries(p.crop)) if (!Number.isInteger(v) || v < 0 || v > 127) bad(`crop.${k}`, v, 'an integer in [0, 127]');
  if (x1 < x0) bad('crop.x1', x1, `>= crop.x0 = ${x0}`);
  if (y1 < y0) bad('crop.y1', y1, `>= crop.y0 = ${y0}`);
  if (!Number.isInteger(p.dtUs) || p.dtUs <= 0) bad('dtUs', p.dtUs, 'a positive integer (microseconds)');
  if (!Number.isInteger(p.sampleUs) || p.sampleUs <= 0 || p.sampleUs % p.dtUs !== 0) {
    bad('sampleUs', p.sampleUs, `a positive multiple of dtUs = ${p.dtUs}`);
  }
  if (p.sampleUs / p.dtUs > MAX_STEPS) {
    bad('sampleUs', p.sampleUs, `at most ${MAX_STEPS} bins of dtUs = ${p.dtUs} (T = sampleUs / dtUs <= ${MAX_STEPS}: training keeps two T x T float64 matrices, 16 T^2 bytes)`);
  }
  if (p.polarity !== 'split' && p.polarity !== 'merged') bad('polarity', p.polarity, "'split' (1352) or 'merged' (676)");
  if (!Array.isArray(p.digits) || p.digits.length === 0 || p.digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
    bad('digits', p.digits, 'a non-empty list of digits 0-9');
  }
  if (new Set(p.digits).size !== p.digits.length) bad('digits', p.digits, 'no repeated digit');
  for (const [name, r] of [['trainRange', p.trainRange], ['testRange', p.testRange]] as const) {
    if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1]) || r[0] < 1 || r[1] < r[0] || r[1] > 9999) {
      bad(name, r, '[first, last] recording numbers with 1 <= first <= last <= 9999');
    }
  }
  if (!(p.trainRange[1] < p.testRange[0] || p.testRange[1] < p.trainRange[0])) {
    bad('testRange', p.testRange, `disjoint from trainRange ${JSON.stringify(p.trainRange)}`);
  }
  const W = x1 - x0 + 1;
  const H = y1 - y0 + 1;
  return { W, H, T: p.sampleUs / p.dtUs, nIn: (p.polarity === 'split' ? 2 : 1) * W * H };
}

/** Name of a layout as in the golden files, e.g. `dt25ms_T80_1352` (dt printed in ms, or us if fractional). */
export function layoutName(p: Pick<PreprocessParams, 'dtUs' | 'sampleUs' | 'polarity' | 'crop'>): string {
  const W = p.crop.x1 - p.crop.x0 + 1;
  const H = p.crop.y1 - p.crop.y0 + 1;
  const dt = p.dtUs % 1000 === 0 ? `${p.dtUs / 1000}ms` : `${p.dtUs}us`;
  return `dt${dt}_T${p.sampleUs / p.dtUs}_${(p.polarity === 'split' ? 2 : 1) * W * H}`;
}

/**
 * Bins one recording into `out`, a 0/1 Uint8Array [T, nIn] row-major (allocated if not given; zeroed
 * here). Returns the array and the number of events that landed in it (inside crop, before sampleUs).
 */
export function binEvents(
  ev: AedatEvents,
  p: PreprocessParams,
  out?: Uint8Array,
): { spikes: Uint8Array; T: number; nIn: number; eventsUsed: number } {
  const { H, T, nIn } = checkPreprocess(p);
  const spikes = out ?? new Uint8Array(T * nIn);
  if (spikes.length !== T * nIn) throw new Error(`binEvents: out.length = ${spikes.length}; expected T*nIn = ${T * nIn}`);
  spikes.fill(0);
  const { x0, x1, y0, y1 } = p.crop;
  const split = p.polarity === 'split';
  let used = 0;
  for (let i = 0; i < ev.length; i++) {
    const t = ev.tUs[i];
    if (t >= p.sampleUs) break; // timestamps are non-decreasing (checked by the reader)
    const x = ev.x[i], y = ev.y[i];
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    const cell = (x - x0) * H + (y - y0);
    const idx = split ? ev.bit0[i] + 2 * cell : cell;
    spikes[Math.floor(t / p.dtUs) * nIn + idx] = 1;
    used++;
  }
  return { spikes, T, nIn, eventsUsed: used };
}

/** Per-layout part of an inspection (golden file `layouts[name]`). */
export interface LayoutSummary {
  dt_us: number;
  T: number;
  inputs: number;
  active_cells: number;
  active_per_step: number[];
  /** Every active `[t, index]` cell, sorted by t then index (only when asked for). */
  active?: [number, number][];
}

/** Summary of one recording with the keys of `../shared/mnist-dvs/golden/*.json`. */
export interface RecordingSummary {
  file: string;
  header_lines: number;
  header_bytes: number;
  events: number;
  first_event: { x: number; y: number; bit0: number; t_us: number } | null;
  last_t_us: number | null;
  on_events_bit0_is_0: number;
  events_in_crop: number;
  events_in_crop_before_2s: number;
  layouts: Record<string, LayoutSummary>;
}

/** The three layouts of the golden files: 25 ms/1352, 25 ms/676, 10 ms/1352 (2 s, crop 48..73). */
export const GOLDEN_LAYOUTS: PreprocessParams[] = [
  { ...DEFAULT_PREPROCESS },
  { ...DEFAULT_PREPROCESS, polarity: 'merged' },
  { ...DEFAULT_PREPROCESS, dtUs: 10_000 },
];

/**
 * Computes every count of the preprocessing for one parsed file (golden-file keys). `layouts` are the
 * binnings to summarise; `withActive` lists layout names whose full active-cell list is included.
 * `events_in_crop*` use the crop and sample length of the first layout.
 */
export function summarizeRecording(
  f: AedatFile,
  layouts: PreprocessParams[] = GOLDEN_LAYOUTS,
  withActive: string[] = ['dt25ms_T80_1352'],
): RecordingSummary {
  const ev = f.events;
  const base = layouts[0] ?? DEFAULT_PREPROCESS;
  const { x0, x1, y0, y1 } = base.crop;
  let on = 0, inCrop = 0, inCropBefore = 0;
  for (let i = 0; i < ev.length; i++) {
    if (ev.bit0[i] === 0) on++;
    const x = ev.x[i], y = ev.y[i];
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
      inCrop++;
      if (ev.tUs[i] < base.sampleUs) inCropBefore++;
    }
  }
  const out: RecordingSummary = {
    file: f.file.split(/[\\/]/).pop() ?? f.file,
    header_lines: f.header.lines.length,
    header_bytes: f.header.bytes,
    events: ev.length,
    first_event: ev.length ? { x: ev.x[0], y: ev.y[0], bit0: ev.bit0[0], t_us: ev.tUs[0] } : null,
    last_t_us: ev.length ? ev.tUs[ev.length - 1] : null,
    on_events_bit0_is_0: on,
    events_in_crop: inCrop,
    events_in_crop_before_2s: inCropBefore,
    layouts: {},
  };
  for (const p of layouts) {
    const name = layoutName(p);
    const { spikes, T, nIn } = binEvents(ev, p);
    const perStep = new Array<number>(T).fill(0);
    const active: [number, number][] = [];
    const keep = withActive.includes(name);
    let total = 0;
    for (let t = 0; t < T; t++) {
      const row = t * nIn;
      for (let j = 0; j < nIn; j++) {
        if (spikes[row + j]) {
          perStep[t]++;
          if (keep) active.push([t, j]);
        }
      }
      total += perStep[t];
    }
    out.layouts[name] = { dt_us: p.dtUs, T, inputs: nIn, active_cells: total, active_per_step: perStep, ...(keep ? { active } : {}) };
  }
  return out;
}

/** `mnist_<d>_scale04_<NNNN>.aedat` for digit `d`, scale folder `scale4` and recording number `n`. */
export function recordingFileName(digit: number, scale: string, n: number): string {
  const s = Number(scale.replace(/^scale/, ''));
  return `mnist_${digit}_scale${String(s).padStart(2, '0')}_${String(n).padStart(4, '0')}.aedat`;
}

/** Path of a recording relative to the distribution root: `grabbed_data<d>/<scale>/<file>`. */
export function recordingRelPath(digit: number, scale: string, n: number): string {
  return `grabbed_data${digit}/${scale}/${recordingFileName(digit, scale, n)}`;
}

/** Parses `mnist_<d>_scale<SS>_<NNNN>.aedat` into digit, scale number and recording number (or null). */
export function parseRecordingName(name: string): { digit: number; scale: number; n: number } | null {
  const m = /^mnist_(\d)_scale(\d+)_(\d{4})\.aedat$/.exec(name.split(/[\\/]/).pop() ?? '');
  return m ? { digit: Number(m[1]), scale: Number(m[2]), n: Number(m[3]) } : null;
}

/** Which split recording number `n` belongs to under `p` (null: neither). */
export function splitOf(n: number, p: Pick<PreprocessParams, 'trainRange' | 'testRange'>): 'train' | 'test' | null {
  if (n >= p.trainRange[0] && n <= p.trainRange[1]) return 'train';
  if (n >= p.testRange[0] && n <= p.testRange[1]) return 'test';
  return null;
}
