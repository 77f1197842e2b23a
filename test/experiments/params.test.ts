// Profiles and overrides: unknown keys and wrong types are errors, overrides land where they should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineOverrides, paramsFromEnv, parseSetOverrides, PROFILES, resolveParams } from '../../lib/experiments/profiles';

test('every profile resolves and names itself', () => {
  for (const name of Object.keys(PROFILES)) {
    const p = resolveParams(name);
    assert.equal(p.profile, name);
    assert.ok(p.seeds.length >= 1);
    assert.ok(p.train.Ks.length >= 1 && p.eval.KIs.length >= 1);
  }
});

test('overrides merge deeply and arrays are replaced whole', () => {
  const p = resolveParams('small', { gem: { eta: 0.123 }, seeds: [9], train: { Ks: [1, 3] } });
  assert.equal(p.gem.eta, 0.123);
  assert.equal(p.gem.kappa, PROFILES.small.gem.kappa, 'siblings kept');
  assert.deepEqual(p.seeds, [9]);
  assert.deepEqual(p.train.Ks, [1, 3]);
  assert.deepEqual(PROFILES.small.seeds, [1, 2, 3, 4, 5], 'the profile itself is not modified');
});

test('unknown profiles, unknown keys and wrong types are rejected with the dotted key', () => {
  assert.throws(() => resolveParams('huge'), /unknown profile 'huge'/);
  assert.throws(() => resolveParams('small', { gem: { etta: 1 } } as never), /unknown parameter 'gem\.etta'/);
  assert.throws(() => resolveParams('small', { gem: { eta: 'fast' } } as never), /'gem\.eta' = "fast"; expected a number/);
  assert.throws(() => resolveParams('small', { seeds: 3 } as never), /'seeds' = 3; expected a list/);
});

test('--set key=value pairs parse as JSON where they can', () => {
  const o = parseSetOverrides(['gem.eta=0.01', 'seeds=[1,2]', 'gem.logitScale=sum']);
  assert.deepEqual(o, { gem: { eta: 0.01, logitScale: 'sum' }, seeds: [1, 2] });
  assert.throws(() => parseSetOverrides(['gem.eta']), /expected key=value/);
  assert.deepEqual(combineOverrides({ gem: { eta: 1 } }, { gem: { kappa: 0.5 } }), { gem: { eta: 1, kappa: 0.5 } });
});

test('GEM_PROFILE and GEM_PARAMS steer notebooks; bad JSON names the variable', () => {
  const saved = { ...process.env };
  try {
    process.env.GEM_PROFILE = 'smoke';
    process.env.GEM_PARAMS = '{"seeds":[4,5]}';
    const p = paramsFromEnv('small', { gem: { eta: 0.5 } });
    assert.equal(p.profile, 'smoke');
    assert.deepEqual(p.seeds, [4, 5]);
    assert.equal(p.gem.eta, 0.5);
    process.env.GEM_PARAMS = '{seeds:';
    assert.throws(() => paramsFromEnv(), /GEM_PARAMS/);
  } finally {
    process.env = saved;
  }
});
