// Fits the emulator's speed profile along its path on real digit-0 recordings 0001-0050 (0051-0100 stay held
// back) and prints it for DEFAULT_EMULATOR.speedProfile (v5: 50 slices, 8 iterations; env SLICES, ITER).
// Usage: tsx scripts/fit-speed-profile.ts [REAL_DIR] [PARAMS_JSON]
import * as path from 'node:path';
import { DEFAULT_EMULATOR } from '../lib/data/emulator';
import { fitSpeedProfile, realActivityProfile } from '../lib/data/speed-profile';

const root = path.join(__dirname, '..');
const real = process.argv[2] ?? path.join(root, '..', 'shared', 'mnist-dvs', 'real-digit0');
const params = { ...DEFAULT_EMULATOR, ...JSON.parse(process.argv[3] ?? '{}') };
const files = Array.from({ length: 50 }, (_, i) => i + 1);
const slices = Number(process.env.SLICES ?? 50), iterations = Number(process.env.ITER ?? 8);
const profile = fitSpeedProfile(realActivityProfile(real, files), { params, slices, iterations });
console.log(JSON.stringify(profile));
