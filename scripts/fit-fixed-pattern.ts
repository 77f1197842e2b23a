// Fits the emulator's fixed-pattern gain map on real digit-0 recordings 0001-0050 (0051-0100 stay held back)
// and writes lib/data/fixed-pattern-map.ts. Usage: tsx scripts/fit-fixed-pattern.ts [REAL_DIR]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitFixedPattern, fixedPatternSource } from '../lib/data/fixed-pattern';

const root = path.join(__dirname, '..');
const real = process.argv[2] ?? path.join(root, '..', 'shared', 'mnist-dvs', 'real-digit0');
const files = Array.from({ length: 50 }, (_, i) => i + 1);
const bytes = fitFixedPattern(real, files);
const out = path.join(root, 'lib', 'data', 'fixed-pattern-map.ts');
fs.writeFileSync(out, fixedPatternSource(bytes, 'real digit-0 recordings 0001-0050 of MNIST-DVS scale 4'));
console.log(`wrote ${out}`);
