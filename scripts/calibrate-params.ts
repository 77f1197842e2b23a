// `gem-snn data calibrate` with other emulator parameters, for choosing an emulator version: the same report
// (every statistic and the three AUCs) for PARAMS_JSON merged over DEFAULT_EMULATOR, on the held-back real files
// 0051-0100 (with the real-vs-real control) or on the fit half 0001-0050 (no control).
// Usage: tsx scripts/calibrate-params.ts held|fit SEED [PARAMS_JSON] [OUT_JSON] [REAL_DIR]; env N (default 100).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EMULATOR } from '../lib/data/emulator';
import { aucTable, calibrationReport, calibrationTable, FIT_FILES, HELD_OUT_FILES } from '../lib/data/real-vs-emulated';

const [half, seed, paramsJson = '{}', out, realArg] = process.argv.slice(2);
if (half !== 'held' && half !== 'fit') throw new Error(`calibrate-params: half = ${JSON.stringify(half)}; expected held or fit`);
if (!seed) throw new Error('calibrate-params: SEED is required');
const realDir = realArg ?? path.join(__dirname, '..', '..', 'shared', 'mnist-dvs', 'real-digit0');
const params = { ...DEFAULT_EMULATOR, ...JSON.parse(paramsJson) };
const rep = calibrationReport(realDir, {
  heldOut: half === 'held' ? HELD_OUT_FILES : FIT_FILES,
  control: half === 'held' ? FIT_FILES : [],
  nEmulated: Number(process.env.N ?? 100),
  seed,
  params,
});
if (out) fs.writeFileSync(out, JSON.stringify({ rows: rep.rows, auc: rep.auc }));
console.log(`${calibrationTable(rep)}\n\n${aucTable(rep)}`);
