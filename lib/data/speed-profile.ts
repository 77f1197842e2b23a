/**
 * Fits the emulator's speed profile along its path (EmulatorParams.speedProfile) on real recordings: the
 * mean active inputs per 25 ms bin of the real files, against the emulator's, mapped to the path's phase;
 * each slice's speed is scaled by the real/emulated ratio of its bins, a few times over. Only a mean
 * profile per phase slice leaves the real files: no event, time or recording reaches an emulated one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat } from './aedat';
import { DEFAULT_EMULATOR, emulateRecording, type EmulatorParams } from './emulator';
import { PATH_PERIOD } from './emulator-path';
import { loadMnist, mnistImage } from './mnist';
import { activePerBin } from './time-stats';

const BIN_S = 0.025;
const T_BINS = 80;

/** Mean active inputs per 25 ms bin (Float64Array [80]) over a set of recordings' bin series. */
function meanProfile(series: Float64Array[]): Float64Array {
  const m = new Float64Array(T_BINS);
  for (const s of series) for (let b = 0; b < T_BINS; b++) m[b] += s[b] / series.length;
  return m;
}

/** Mean active inputs per bin of the real digit-0 files `files` in `realDir`. */
export function realActivityProfile(realDir: string, files: number[]): Float64Array {
  return meanProfile(files.map((n) => {
    const f = path.join(realDir, `mnist_0_scale04_${String(n).padStart(4, '0')}.aedat`);
    if (!fs.existsSync(f)) throw new Error(`realActivityProfile: ${f} not found`);
    return activePerBin(readAedat(f).events);
  }));
}

/** Mean active inputs per bin of `n` emulated digit-0 recordings (MNIST training zeros 1..n). */
export function emulatedActivityProfile(n: number, seed: string, params: EmulatorParams): Float64Array {
  const mnist = loadMnist('train');
  const series: Float64Array[] = [];
  for (let i = 1; i <= n; i++) series.push(activePerBin(emulateRecording(mnistImage(mnist, mnist.byDigit[0][i - 1]), seed, `0/${i}`, params).events));
  return meanProfile(series);
}

/**
 * Speed profile (`slices` relative speeds, mean 1) fitted so that `nEmulated` emulated recordings' mean
 * activity per bin follows `real` (from realActivityProfile). Bins map to the path's phase through the
 * mean start phase and period of `params`; `iterations` multiplicative updates damped by `damping`.
 */
export function fitSpeedProfile(
  real: Float64Array,
  o: { slices?: number; iterations?: number; damping?: number; nEmulated?: number; seed?: string; params?: EmulatorParams } = {},
): number[] {
  const { slices = 50, iterations = 8, damping = 0.7, nEmulated = 50, seed = 'speed-profile-fit', params = DEFAULT_EMULATOR } = o;
  const periodS = (params.periodS[0] + params.periodS[1]) / 2;
  const sliceOf = (b: number): number => {
    const t = (b + 0.5) * BIN_S;
    let ph = ((t + params.startPhaseS * (periodS / PATH_PERIOD)) / periodS) * PATH_PERIOD;
    ph = ((ph % PATH_PERIOD) + PATH_PERIOD) % PATH_PERIOD;
    return Math.min(slices - 1, Math.floor((ph / PATH_PERIOD) * slices));
  };
  let profile = new Array<number>(slices).fill(1);
  for (let it = 0; it < iterations; it++) {
    const emu = emulatedActivityProfile(nEmulated, seed, { ...params, speedProfile: profile });
    const logRatio = new Float64Array(slices), count = new Float64Array(slices);
    for (let b = 0; b < T_BINS; b++) {
      const k = sliceOf(b);
      logRatio[k] += Math.log(real[b] / emu[b]);
      count[k]++;
    }
    profile = profile.map((v, k) => v * Math.exp(count[k] ? (damping * logRatio[k]) / count[k] : 0));
    const mean = profile.reduce((s, v) => s + v, 0) / slices;
    profile = profile.map((v) => v / mean);
  }
  return profile.map((v) => Math.round(v * 1000) / 1000);
}
