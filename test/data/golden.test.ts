// The reader and SPEC 4.2 preprocessing against the reference counts of five real recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readAedat } from '../../lib/data/aedat';
import { summarizeRecording, binEvents, DEFAULT_PREPROCESS } from '../../lib/data/preprocess';

const FIX = path.join(__dirname, '..', 'fixtures', 'mnist-dvs');
const NAMES = ['0001', '0002', '0037', '0064', '0100'].map((n) => `mnist_0_scale04_${n}`);

for (const name of NAMES) {
  test(`golden ${name}: every count and the full active-cell list`, () => {
    const golden = JSON.parse(fs.readFileSync(path.join(FIX, `${name}.json`), 'utf8'));
    const f = readAedat(path.join(FIX, `${name}.aedat`));
    const s = summarizeRecording(f);
    // Same keys, same values, for everything (deepEqual compares the active lists cell by cell).
    assert.deepEqual(Object.keys(s).sort(), Object.keys(golden).sort());
    assert.deepEqual(Object.keys(s.layouts).sort(), Object.keys(golden.layouts).sort());
    assert.deepEqual(JSON.parse(JSON.stringify(s)), golden);
    // The 1352 layout's tensor agrees with the listed cells (guards the [T, nIn] row-major contract).
    const { spikes, T, nIn } = binEvents(f.events, DEFAULT_PREPROCESS);
    assert.equal(T, 80);
    assert.equal(nIn, 1352);
    const cells: [number, number][] = golden.layouts.dt25ms_T80_1352.active;
    let ones = 0;
    for (let i = 0; i < spikes.length; i++) ones += spikes[i];
    assert.equal(ones, cells.length);
    for (const [t, j] of cells) assert.equal(spikes[t * nIn + j], 1);
  });
}
