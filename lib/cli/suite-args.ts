/**
 * Options shared by the commands that work on a profile's runs (`reproduce`, `runs`): the profile, the
 * experiments, parameter overrides, worker processes and the results root, parsed and checked before
 * any work starts.
 */
import { EXPERIMENT_ORDER } from '../experiments/registry';
import { combineOverrides, ParamOverrides, parseSetOverrides, PROFILES, resolveParams, SuiteParams } from '../experiments/profiles';
import { resultsDirFor } from '../experiments/store';

/** parseArgs option table of the shared options. */
export const SUITE_OPTIONS = {
  profile: { type: 'string', default: 'small' },
  only: { type: 'string' },
  set: { type: 'string', multiple: true, default: [] as string[] },
  params: { type: 'string' },
  jobs: { type: 'string' },
  results: { type: 'string' },
} as const;

/** Help lines of the shared options. */
export const SUITE_HELP = `  --profile NAME     ${Object.keys(PROFILES).join(' | ')} (default small)
  --only A,B         only these experiments (${EXPERIMENT_ORDER.join(', ')})
  --set key=value    override a parameter, repeatable (e.g. --set gem.eta=0.01 --set seeds=[1,2])
  --params JSON      overrides as one JSON object (applied before --set)
  --jobs N           parallel worker processes (default: the profile's)
  --results DIR      results root (default results/, or results/profile-<name>/ for other profiles)`;

/** What the shared options resolve to. */
export interface SuiteSelection {
  params: SuiteParams;
  /** Experiments in run order. */
  only: string[];
  /** Results root. */
  root: string;
  /** The overrides given (--params, --set, --jobs), recorded in the results folder's index.json. */
  overrides: ParamOverrides;
}

/** Resolves the shared options; throws naming the option and the value on bad input. */
export function resolveSuiteArgs(values: { profile?: string; only?: string; set?: string[]; params?: string; jobs?: string; results?: string }): SuiteSelection {
  let overrides: ParamOverrides = {};
  if (values.params) {
    try {
      overrides = JSON.parse(values.params) as ParamOverrides;
    } catch (e) {
      throw new Error(`--params: not valid JSON (${(e as Error).message})`);
    }
  }
  overrides = combineOverrides(overrides, parseSetOverrides(values.set ?? []));
  if (values.jobs !== undefined) {
    const j = Number(values.jobs);
    if (!Number.isInteger(j) || j < 1) throw new Error(`--jobs = ${values.jobs}; expected an integer >= 1`);
    overrides = { ...overrides, jobs: j };
  }
  const params = resolveParams(values.profile ?? 'small', overrides);
  const chosen = values.only !== undefined ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : EXPERIMENT_ORDER;
  if (chosen.length === 0) throw new Error(`--only = ${JSON.stringify(values.only)}; expected experiment names separated by commas (${EXPERIMENT_ORDER.join(', ')})`);
  for (const name of chosen) {
    if (!EXPERIMENT_ORDER.includes(name)) throw new Error(`--only: unknown experiment '${name}'; expected some of ${EXPERIMENT_ORDER.join(', ')}`);
  }
  const only = EXPERIMENT_ORDER.filter((n) => chosen.includes(n));
  return { params, only, root: resultsDirFor(params, { resultsDir: values.results }), overrides };
}
