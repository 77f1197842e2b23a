/**
 * The experiments' single way to MNIST-DVS: the data layer's prepared (cached) dataset turned into
 * classification examples. Real recordings are used when `data.source` is 'real' (from `data.root` or
 * MNIST_DVS_ROOT); otherwise the emulated default, generated on first use.
 */
import { classExample } from '../model/training-example';
import { prepareDataset, DatasetOptions, PreparedDataset } from '../data/dataset';
import type { ClassificationData } from './runs-classification';
import type { DataParams } from './profiles';

/** The data layer's options for the suite's data parameters. */
export function datasetOptions(d: DataParams, extra: Partial<DatasetOptions> = {}): DatasetOptions {
  const real = d.source === 'real';
  if (real && !d.root && !process.env.MNIST_DVS_ROOT) {
    throw new Error("data.source = 'real' needs data.root (or the MNIST_DVS_ROOT environment variable) pointing at the MNIST-DVS distribution (grabbed_data<d>/scale4/...)");
  }
  return {
    ...(real ? { root: d.root || process.env.MNIST_DVS_ROOT } : { emulated: true }),
    digits: d.digits,
    trainPerDigit: d.trainPerDigit,
    testPerDigit: d.testPerDigit,
    dtMs: d.dtMs,
    sampleMs: d.sampleMs,
    layout: d.layout,
    emulatorSeed: String(d.emulatorSeed),
    emulator: d.emulator,
    ...extra,
  };
}

/** One line saying which data a figure shows. */
export function dataNote(d: DataParams): string {
  const kind = d.source === 'real' ? 'real MNIST-DVS' : 'emulated MNIST-DVS';
  const T = Math.floor(d.sampleMs / d.dtMs);
  return `data: ${kind}, digits ${d.digits.join(',')}, ${d.trainPerDigit}/${d.testPerDigit} train/test per digit, ${d.dtMs} ms bins, T = ${T}, ${d.layout} inputs`;
}

/** Builds the cache if needed (with progress on stderr when `progress`) and returns where it is. */
export function prepareData(d: DataParams, opts: { progress?: boolean; log?: (s: string) => void } = {}): Promise<PreparedDataset> {
  return prepareDataset(datasetOptions(d, opts));
}

const memo = new Map<string, ClassificationData>();

/** Train and test examples (targets: the true class's output spikes at every step), cached per process. */
export async function loadClassificationData(d: DataParams): Promise<ClassificationData> {
  const prepared = await prepareData(d);
  const hit = memo.get(prepared.key);
  if (hit) return hit;
  const ds = prepared.load();
  const C = ds.digits.length;
  const conv = (e: { spikes: Uint8Array; T: number; label: number }) => classExample(e.spikes, e.T, e.label, C);
  const data: ClassificationData = { train: ds.train.map(conv), test: ds.test.map(conv), nIn: ds.nIn, classes: C, T: ds.T };
  memo.set(prepared.key, data);
  return data;
}
