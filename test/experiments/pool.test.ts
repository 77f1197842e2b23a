// The run pool: cached records are reused, --force recomputes a run once per process even when several
// experiments ask for it, and identical specs in one call are computed once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveParams } from '../../lib/experiments/profiles';
import { runAll } from '../../lib/experiments/pool';
import { MemorizationSpec, runKey } from '../../lib/experiments/runs';

test('runAll: duplicates computed once, cache reused, force recomputes each run once per process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gem-pool-'));
  try {
    const m = resolveParams('smoke').memorization;
    const spec = (K: number): MemorizationSpec => ({ kind: 'memorization', params: m, gem: m.gem, K, seed: 1 });
    const specs = [spec(1), spec(2), spec(1)];
    const recs = await runAll(specs, { cacheDir: dir, jobs: 1, force: false });
    assert.equal(recs.length, 3);
    assert.deepEqual(recs[2], recs[0], 'the duplicate spec gets the same record');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 2, 'two distinct runs stored');
    const mtime = () => statSync(join(dir, `${runKey(spec(1))}.json`)).mtimeMs;
    const t0 = mtime();
    await new Promise((r) => setTimeout(r, 20));
    await runAll([spec(1)], { cacheDir: dir, jobs: 1, force: false });
    assert.equal(mtime(), t0, 'cached record reused');
    // records computed elsewhere (another process) are recomputed once by a forced request
    const other = mkdtempSync(join(tmpdir(), 'gem-pool-b-'));
    try {
      for (const f of files) copyFileSync(join(dir, f), join(other, f));
      const mtimeB = () => statSync(join(other, `${runKey(spec(1))}.json`)).mtimeMs;
      const b0 = mtimeB();
      await new Promise((r) => setTimeout(r, 20));
      await runAll([spec(1)], { cacheDir: other, jobs: 1, force: true });
      const b1 = mtimeB();
      assert.ok(b1 > b0, 'force recomputes');
      await new Promise((r) => setTimeout(r, 20));
      const again = await runAll([spec(1)], { cacheDir: other, jobs: 1, force: true });
      assert.equal(mtimeB(), b1, 'a second forced request in the same process reuses the fresh record');
      const { spec: _stored, ...record } = again[0] as typeof again[0] & { spec?: unknown };
      assert.deepEqual(record, recs[0], 'and the recomputed record equals the first (deterministic)');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
