/**
 * An emulated MNIST-DVS distribution on disk: AEDAT 2.0 files in the real layout
 * (`grabbed_data<d>/scale4/mnist_<d>_scale04_<NNNN>.aedat`) plus `manifest.json` naming the MNIST image
 * behind each file. Recording n < testFrom of digit d shows the n-th training image of d (file order),
 * n >= testFrom the (n - testFrom + 1)-th test image, so no image is in both splits.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeAedat, defaultAedatHeader } from './aedat';
import { withLock, writeFileAtomic } from '../util/files';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams, type EmulationInfo } from './emulator';
import { loadMnist, mnistImage } from './mnist';
import { recordingRelPath } from './preprocess';
import { silentProgress, type Progress } from '../util/progress';

/**
 * Generation of the emulator, as data/README.md names it (v5: the v4 mechanisms with refitted timing
 * defaults): bump when a change of code or defaults alters the events written. The parameters are in every
 * cache key and manifest as well, so files of different parameters never mix.
 */
export const EMULATOR_VERSION = 5;

/** One manifest entry. */
export interface ManifestEntry extends EmulationInfo {
  digit: number;
  recording: number;
  mnistSet: 'train' | 'test';
  /** 0-based index of the image in the MNIST file. */
  mnistIndex: number;
  events: number;
  /** Size and SHA-256 of the file as written (a file that differs is regenerated). */
  bytes?: number;
  sha256?: string;
}

/** `manifest.json` of an emulated distribution. */
export interface EmulatedManifest {
  generator: string;
  emulatorVersion: number;
  seed: string;
  testFrom: number;
  params: EmulatorParams;
  note: string;
  recordings: Record<string, ManifestEntry>;
}

/** Options of emulateDataset. */
export interface EmulateDatasetOptions {
  /** Distribution root to write into. */
  out: string;
  digits: number[];
  /** Recording numbers to produce for every digit (1-based, as in the file names). */
  recordings: number[];
  seed: string;
  /** First recording number shown from the MNIST test set (default 901). */
  testFrom?: number;
  params?: EmulatorParams;
  progress?: Progress;
  /** Told about each listed recording whose bytes differ from the manifest (it is regenerated). */
  onCorrupt?: (file: string) => void;
}

/** Reads `<root>/manifest.json` or returns null if absent; throws if present but unreadable. */
export function readManifest(root: string): EmulatedManifest | null {
  const f = path.join(root, 'manifest.json');
  if (!fs.existsSync(f)) return null;
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as EmulatedManifest;
  } catch (e) {
    throw new Error(`${f}: cannot parse manifest (${(e as Error).message}); delete the folder to regenerate it`);
  }
}

/** Seconds between manifest checkpoints: a killed `data emulate` loses at most this much work. */
const CHECKPOINT_SECONDS = 1;

function sha256(buf: Uint8Array): string {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** True if `file` exists and matches its manifest entry (size and, when recorded, SHA-256). */
function intact(file: string, entry: ManifestEntry | undefined): boolean {
  if (!entry) return false;
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (entry.bytes !== undefined && buf.length !== entry.bytes) return false;
  return entry.sha256 === undefined || sha256(buf) === entry.sha256;
}

/** The same as emulateDataset, holding the lock `<out>/.lock` so concurrent callers never write one folder twice. */
export async function emulateDatasetLocked(o: EmulateDatasetOptions, onWait?: (pid: number) => void): Promise<ReturnType<typeof emulateDataset>> {
  return withLock(path.join(o.out, '.lock'), () => emulateDataset(o), { onWait });
}

/**
 * Writes every recording that is missing, unlisted or corrupt (size or SHA-256 differs from the
 * manifest; such files are reported through `onCorrupt` and regenerated) and the manifest, which is
 * checkpointed every second so an interrupted run resumes where it stopped. Returns counts and the
 * seconds spent. Throws if `out` holds a manifest of another seed or parameter set.
 */
export function emulateDataset(o: EmulateDatasetOptions): { written: number; kept: number; events: number; seconds: number; corrupt: number } {
  const params = o.params ?? DEFAULT_EMULATOR;
  const testFrom = o.testFrom ?? 901;
  const progress = o.progress ?? silentProgress;
  if (!o.digits.length || o.digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) throw new Error(`emulateDataset: digits = ${JSON.stringify(o.digits)}; expected digits 0-9`);
  if (o.recordings.some((n) => !Number.isInteger(n) || n < 1 || n > 9999)) throw new Error(`emulateDataset: recordings contain a number outside 1-9999`);
  const old = readManifest(o.out);
  if (old && (old.seed !== o.seed || old.testFrom !== testFrom || old.emulatorVersion !== EMULATOR_VERSION || JSON.stringify(old.params) !== JSON.stringify(params))) {
    throw new Error(`${path.join(o.out, 'manifest.json')}: made with another seed/testFrom/emulator version/parameters (seed ${JSON.stringify(old.seed)}); write into an empty folder`);
  }
  const t0 = Date.now();
  let corrupt = 0;
  const todo = new Set<string>();
  for (const d of o.digits) {
    for (const n of o.recordings) {
      const rel = recordingRelPath(d, 'scale4', n);
      const file = path.join(o.out, rel);
      if (intact(file, old?.recordings[rel])) continue;
      if (old?.recordings[rel] && fs.existsSync(file)) {
        corrupt++;
        o.onCorrupt?.(file);
      }
      todo.add(rel);
    }
  }
  if (todo.size === 0) {
    progress.tick(o.digits.length * o.recordings.length);
    return { written: 0, kept: o.digits.length * o.recordings.length, events: 0, seconds: (Date.now() - t0) / 1000, corrupt: 0 };
  }
  const train = loadMnist('train');
  const test = loadMnist('test');
  for (const d of o.digits) {
    const maxTrain = Math.max(0, ...o.recordings.filter((n) => n < testFrom));
    const maxTest = Math.max(0, ...o.recordings.filter((n) => n >= testFrom).map((n) => n - testFrom + 1));
    if (maxTrain > train.byDigit[d].length) throw new Error(`emulateDataset: recording ${maxTrain} of digit ${d} needs MNIST training image ${maxTrain} of that digit; only ${train.byDigit[d].length} exist`);
    if (maxTest > test.byDigit[d].length) throw new Error(`emulateDataset: recording ${maxTest + testFrom - 1} of digit ${d} needs MNIST test image ${maxTest} of that digit; only ${test.byDigit[d].length} exist (testFrom = ${testFrom})`);
  }
  const manifest: EmulatedManifest = old ?? {
    generator: 'gem-snn DVS emulator (lib/data/emulator.ts)',
    emulatorVersion: EMULATOR_VERSION,
    seed: o.seed,
    testFrom,
    params,
    note: 'EMULATED MNIST-DVS: synthetic DVS recordings of MNIST digits, not real sensor data',
    recordings: {},
  };
  let written = 0, kept = 0, events = 0;
  let lastSave = Date.now();
  const save = () => writeFileAtomic(path.join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  try {
    for (const d of o.digits) {
      for (const n of o.recordings) {
        const rel = recordingRelPath(d, 'scale4', n);
        const file = path.join(o.out, rel);
        if (!todo.has(rel)) { kept++; progress.tick(); continue; }
        delete manifest.recordings[rel]; // listed again only once rewritten
        const set = n < testFrom ? train : test;
        const mnistIndex = set.byDigit[d][n < testFrom ? n - 1 : n - testFrom];
        const { events: ev, info } = emulateRecording(mnistImage(set, mnistIndex), o.seed, `${d}/${n}`, params);
        const bytes = encodeAedat(ev, defaultAedatHeader([
          `EMULATED by gem-snn DVS emulator v${EMULATOR_VERSION}, seed ${o.seed}: MNIST ${set.set} image ${mnistIndex} (digit ${d})`,
        ]));
        writeFileAtomic(file, bytes);
        manifest.recordings[rel] = { digit: d, recording: n, mnistSet: set.set, mnistIndex, events: ev.length, ...info, bytes: bytes.length, sha256: sha256(bytes) };
        written++;
        events += ev.length;
        progress.tick();
        if (Date.now() - lastSave > CHECKPOINT_SECONDS * 1000) {
          save();
          lastSave = Date.now();
        }
      }
    }
  } finally {
    // Keep what was written even if interrupted by an error: the manifest lists only finished files.
    if (written > 0 || !old) save();
  }
  return { written, kept, events, seconds: (Date.now() - t0) / 1000, corrupt };
}
